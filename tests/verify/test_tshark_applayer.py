#!/usr/bin/env python3
"""Differential test: Seawall's app-layer EVE records against tshark, per capture.

  test_tshark_applayer.py BUILD_DIR [CAPTURE ...]

For every capture in the corpus (found, run and keyed as in test_tshark_flows.py,
whose helpers this script imports) Seawall runs with --runmode single and no
rules, and one tshark pass reads the same capture with TCP desegmentation and IP
defragmentation ON (their defaults; Seawall reassembles both). What each side
saw is compared per flow, a flow being (proto, {ip:port, ip:port}) unordered:

  dns   requests:  "request NAME TYPE" per question of every query message
        (tshark dns.flags.response==0: dns.qry.name + dns.qry.type, the type
        number mapped to Suricata's mnemonic; Seawall `dns` records with type
        "request": dns.queries[].rrname / rrtype)
        responses: "response RCODE NAME/TYPE ..." per response message, the
        4-bit header RCODE by its RFC 6895 name, then every question
        (tshark dns.flags.rcode; Seawall type "response": dns.rcode, queries)
  http  "request METHOD URI" (http.request.method/uri vs http.http_method/url)
        and "response CODE" (http.response.code vs http.status)
  tls   "clienthello sni=SNI ja3=HASH" per ClientHello
        (tls.handshake.extensions_server_name / tls.handshake.ja3 vs
        tls.sni / tls.ja3.hash)
  ssh   "banner from IP:PORT SSH-PROTO-SOFTWARE" per side (ssh.protocol, cut at
        the first space like Suricata's banner parser, which logs what follows
        as a comment, not as software; vs ssh.client / ssh.server
        proto_version + software_version, the client being the record's src)

Items are compared as MULTISETS (collections.Counter): every DNS message, HTTP
transaction and ClientHello is a separate event on both sides, so a query sent
twice (a retransmission over UDP, a repeated lookup on the same port pair) must
be logged twice; a set would hide a lost or doubled record. The SSH banners of
a flow are one per side, so multiset and set coincide there.

Rules of the oracle (each a property of the protocols or of tshark, not of a
capture):

* Only flows tshark dissected as the protocol are compared. tshark picks
  dissectors by port (plus a few heuristics) while Seawall detects by content,
  so Seawall records on flows tshark did not dissect as that protocol are
  neither required nor forbidden (counted as "seawall-only, not compared").
  That includes LLMNR (5355) and mDNS (5353): tshark gives them their own
  dissectors, Seawall's DNS probe accepts them as DNS.
  On a flow tshark did dissect, every item of either side counts.
* The application layer is taken at the innermost transport layer preceding
  it in `frame.protocols`; anything inside ICMP/ICMPv6 errors is a quoted
  header, not traffic, and is ignored.
* HTTP, TLS and SSH are compared over TCP, DNS over UDP and TCP: the
  transports Suricata's (and Seawall's) parsers are registered for. tshark also
  dissects HTTP over UDP (SSDP) and SCTP, and the TLS handshake inside QUIC
  (Seawall logs that as `quic`); those are counted as "not compared".
* `-o http.desegment_body:FALSE`: tshark otherwise shows an HTTP message only
  once its whole body (Content-Length) has arrived, so a response whose body
  the capture cuts short would vanish; Suricata and Seawall log a transaction
  from its headers on. Headers are still desegmented.
* tshark options from the `tshark_opts` column of MANIFEST.tsv are applied,
  plus an empty Wireshark profile so local preferences cannot change the oracle.

Differences that come from the protocols or the dissectors are listed per
capture, item by item, in tshark_applayer_exceptions.py with their reason;
anything else fails. Per protocol the totals are printed: items compared (size
of the multiset union), agreed, known exceptions, failures. Exit 0 when there is
no unexplained difference, 1 otherwise, 77 (skip) when tshark or the corpus is
absent.
"""

import collections
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from test_tshark_flows import corpus_dir, flow_key, format_flow, list_captures  # noqa: E402
from tshark_applayer_exceptions import KNOWN_DIFFERENCES  # noqa: E402

SKIP = 77
PROTOCOLS = ("dns", "http", "tls", "ssh")
# Transports each app-layer parser is registered for (Suricata and Seawall alike).
TRANSPORTS = {"dns": ("UDP", "TCP"), "http": ("TCP",), "tls": ("TCP",), "ssh": ("TCP",)}
TRANSPORT_LAYERS = {"tcp": "TCP", "udp": "UDP", "sctp": "SCTP"}
AGG = "\x1f"  # aggregator for repeated fields: never in a name, URI or banner

TSHARK_FIELDS = [
    "frame.number", "frame.protocols",
    "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
    "sctp.srcport", "sctp.dstport",
    "dns.flags.response", "dns.flags.rcode", "dns.count.queries",
    "dns.qry.name", "dns.qry.type",
    "http.request.method", "http.request.uri", "http.response.code",
    "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.ja3",
    "ssh.protocol",
]
TSHARK_FILTER = "dns or http or tls.handshake.type == 1 or ssh.protocol"

# DNS RR type mnemonics (IANA "Resource Record (RR) TYPEs" registry), the
# subset Suricata names in EVE (rust/src/dns/log.rs dns_rrtype_string); any
# other type is logged as its decimal number.
DNS_RRTYPES = {
    1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB", 8: "MG",
    9: "MR", 10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX",
    16: "TXT", 17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP",
    23: "NSAPPTR", 24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC",
    30: "NXT", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX", 37: "CERT", 38: "A6",
    39: "DNAME", 41: "OPT", 42: "APL", 43: "DS", 44: "SSHFP", 45: "IPSECKEY",
    46: "RRSIG", 47: "NSEC", 48: "DNSKEY", 49: "DHCID", 50: "NSEC3", 51: "NSEC3PARAM",
    52: "TLSA", 55: "HIP", 59: "CDS", 60: "CDNSKEY", 65: "HTTPS", 99: "SPF",
    249: "TKEY", 250: "TSIG", 253: "MAILA", 255: "ANY", 256: "URI",
}
# DNS header RCODE names (RFC 1035, RFC 2136; IANA "DNS RCODEs" 0-10). The
# header field is 4 bits; the extended values 16+ need OPT and are not here.
DNS_RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
              "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"]


def rrtype_name(number):
    return DNS_RRTYPES.get(number, str(number))


def rcode_name(number):
    return DNS_RCODES[number] if 0 <= number < len(DNS_RCODES) else str(number)


def format_endpoint(ip, port):
    return ("[%s]:%s" if ":" in ip else "%s:%s") % (ip, port)


def dns_name(name):
    # tshark shows the root name as "<Root>"; Suricata logs it as "".
    return "" if name == "<Root>" else name


def ssh_banner(proto_version, software):
    return "SSH-%s-%s" % (proto_version, software)


def cut_banner(line):
    # Suricata's banner parser: "SSH-" proto "-" software up to the first space.
    return line.split(" ", 1)[0].rstrip("\r\n")


# ------------------------------------------------------------------ tshark side

def new_side():
    """Per protocol: {flow: Counter(items)}."""
    return {p: collections.defaultdict(collections.Counter) for p in PROTOCOLS}


def frame_layers(vals):
    """Walks frame.protocols. Returns {app proto: (flow, src endpoint)} for the
    first occurrence of each protocol of interest, with the innermost transport
    layer before it; flow is None when no usable transport precedes it."""
    counters = collections.Counter()
    current_ip = None
    transport = None  # (flow, "ip:port" of the sender)
    found = {}
    protos = vals["frame.protocols"][0].split(":") if vals["frame.protocols"] else []
    for proto in protos:
        if proto in ("icmp", "icmpv6"):
            break  # what follows is a quoted header
        if proto in ("ip", "ipv6"):
            i = counters[proto]
            counters[proto] += 1
            try:
                current_ip = (vals[proto + ".src"][i], vals[proto + ".dst"][i])
            except IndexError:
                current_ip = None
            transport = None
        elif proto in TRANSPORT_LAYERS:
            i = counters[proto]
            counters[proto] += 1
            transport = None
            if current_ip is None:
                continue
            try:
                sport = vals[proto + ".srcport"][i]
                dport = vals[proto + ".dstport"][i]
            except IndexError:
                continue
            transport = (flow_key(TRANSPORT_LAYERS[proto], current_ip[0], sport,
                                  current_ip[1], dport),
                         format_endpoint(current_ip[0], sport))
        elif proto in PROTOCOLS and proto not in found:
            found[proto] = transport
    return found


def dns_items(vals):
    items = []
    responses = vals["dns.flags.response"]
    counts = vals["dns.count.queries"]
    names, types = vals["dns.qry.name"], vals["dns.qry.type"]
    rcodes = vals["dns.flags.rcode"]
    pos = 0
    for m, response in enumerate(responses):
        try:
            n = int(counts[m])
        except (IndexError, ValueError):
            n = 0
        questions = []
        for q in range(pos, min(pos + n, len(names))):
            try:
                qtype = rrtype_name(int(types[q]))
            except (IndexError, ValueError):
                qtype = "?"
            questions.append((dns_name(names[q]), qtype))
        pos += n
        if response in ("0", "False"):
            items += ["request %s %s" % q for q in questions]
        else:
            try:
                rcode = rcode_name(int(rcodes[m]))
            except (IndexError, ValueError):
                rcode = "?"
            items.append(" ".join(["response", rcode] + ["%s/%s" % q for q in questions]))
    return items


def http_items(vals):
    methods, uris = vals["http.request.method"], vals["http.request.uri"]
    items = ["request %s %s" % (m, uris[i] if i < len(uris) else "-")
             for i, m in enumerate(methods)]
    items += ["response %s" % code for code in vals["http.response.code"]]
    return items


def tls_items(vals):
    hellos = vals["tls.handshake.type"].count("1")
    snis, ja3s = vals["tls.handshake.extensions_server_name"], vals["tls.handshake.ja3"]
    items = []
    for i in range(hellos):
        # A frame holds one ClientHello in practice; with several, an SNI can only
        # be paired by position when every hello carries one.
        sni = snis[i] if (hellos == 1 or len(snis) == hellos) and i < len(snis) else "-"
        items.append("clienthello sni=%s ja3=%s" % (sni or "-", ja3s[i] if i < len(ja3s) else "-"))
    return items


ITEM_BUILDERS = {"dns": dns_items, "http": http_items, "tls": tls_items}


def tshark_items(path, extra_opts):
    """Returns (side, not_compared Counter per proto, error)."""
    cmd = ["tshark", "-n", "-r", path,
           "-o", "tcp.desegment_tcp_streams:TRUE",
           "-o", "ip.defragment:TRUE", "-o", "ipv6.defragment:TRUE",
           "-o", "http.desegment_body:FALSE",
           "-Y", TSHARK_FILTER,
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=" + AGG,
           "-E", "separator=/t"]
    cmd += shlex.split(extra_opts)
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                             errors="backslashreplace")
    except subprocess.TimeoutExpired:
        return None, None, "tshark timed out"
    if out.returncode != 0 and not out.stdout:
        return None, None, "tshark failed: " + out.stderr.strip()[-300:]
    side = new_side()
    not_compared = collections.Counter()
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(TSHARK_FIELDS) - len(cols))
        vals = {name: (cols[i].split(AGG) if cols[i] else [])
                for i, name in enumerate(TSHARK_FIELDS)}
        for proto, where in frame_layers(vals).items():
            if proto == "ssh":
                items = ["banner from %s %s" % (where[1] if where else "?", cut_banner(b))
                         for b in vals["ssh.protocol"]]
            else:
                items = ITEM_BUILDERS[proto](vals)
            if not items:
                continue
            if where is None or where[0][0] not in TRANSPORTS[proto]:
                not_compared[proto] += len(items)
                continue
            side[proto][where[0]].update(items)
    return side, not_compared, None


# ------------------------------------------------------------------ seawall side

def eve_items(rec):
    """(proto, [items]) of one EVE record, or (None, [])."""
    kind = rec.get("event_type")
    if kind == "dns":
        dns = rec.get("dns", {})
        questions = [(q.get("rrname", ""), q.get("rrtype", "?")) for q in dns.get("queries", [])]
        if dns.get("type") == "request":
            return kind, ["request %s %s" % q for q in questions]
        if dns.get("type") == "response":
            return kind, [" ".join(["response", dns.get("rcode", "?")] +
                                   ["%s/%s" % q for q in questions])]
        return kind, []
    if kind == "http":
        http = rec.get("http", {})
        items = []
        if "http_method" in http:
            items.append("request %s %s" % (http["http_method"], http.get("url", "-")))
        if "status" in http:
            items.append("response %s" % http["status"])
        return kind, items
    if kind == "tls":
        tls = rec.get("tls", {})
        ja3 = tls.get("ja3", {}).get("hash")
        if ja3 is None and "sni" not in tls:
            return kind, []  # no ClientHello seen on this flow
        return kind, ["clienthello sni=%s ja3=%s" % (tls.get("sni") or "-", ja3 or "-")]
    if kind == "ssh":
        ssh = rec.get("ssh", {})
        items = []
        for role, ip, port in (("client", rec["src_ip"], rec["src_port"]),
                               ("server", rec["dest_ip"], rec["dest_port"])):
            side = ssh.get(role)
            if side and "proto_version" in side:
                items.append("banner from %s %s" % (
                    format_endpoint(ip, port),
                    ssh_banner(side["proto_version"], side.get("software_version", ""))))
        return kind, items
    return None, []


def seawall_items(seawall, path, workdir):
    """Returns (side, error)."""
    cmd = [seawall, "-r", path, "-l", workdir, "--runmode", "single", "-k", "none"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return None, "seawall timed out"
    if out.returncode != 0:
        return None, "seawall exit %d: %s" % (out.returncode, out.stderr.strip()[-400:])
    side = new_side()
    eve = os.path.join(workdir, "eve.json")
    try:
        with open(eve) as f:
            for line in f:
                rec = json.loads(line)
                proto, items = eve_items(rec)
                if proto is None or rec.get("proto") not in ("TCP", "UDP"):
                    continue
                key = flow_key(rec["proto"], rec["src_ip"], rec["src_port"],
                               rec["dest_ip"], rec["dest_port"])
                side[proto][key].update(items)
    except (OSError, ValueError, KeyError) as e:
        return None, "cannot read %s: %s" % (eve, e)
    return side, None


# ------------------------------------------------------------------ comparison

def known_for(rel):
    """The capture's exception entries as a list of dicts."""
    entry = KNOWN_DIFFERENCES.get(rel, [])
    return [entry] if isinstance(entry, dict) else list(entry)


def zero_stats():
    return {p: collections.Counter() for p in PROTOCOLS}


def check_capture(seawall, rel, path, opts):
    """Returns (rel, status, lines, stats)."""
    stats = zero_stats()
    with tempfile.TemporaryDirectory(prefix="sw-tshark-app-") as tmp:
        ours, err = seawall_items(seawall, path, tmp)
    if err:
        return rel, "FAIL", [err], stats
    theirs, not_compared, err = tshark_items(path, opts)
    if err:
        return rel, "FAIL", [err], stats
    entries = known_for(rel)
    used = set()
    lines = []
    for proto in PROTOCOLS:
        stats[proto]["not compared (tshark)"] += not_compared[proto]
        for flow in sorted(set(ours[proto]) - set(theirs[proto])):
            stats[proto]["seawall-only, not compared"] += sum(ours[proto][flow].values())
        for flow in sorted(theirs[proto]):
            t, o = theirs[proto][flow], ours[proto].get(flow, collections.Counter())
            agreed = t & o
            stats[proto]["compared"] += sum((t | o).values())
            stats[proto]["agreed"] += sum(agreed.values())
            for kind, diff in (("missing", t - o), ("extra", o - t)):
                for item, n in sorted(diff.items()):
                    text = "%s %s %s" % (proto, format_flow(flow), item)
                    reason = None
                    for i, e in enumerate(entries):
                        if text in e.get(kind, ()):
                            reason = e.get("reason", "?")
                            used.add((i, kind, text))
                    times = " (x%d)" % n if n > 1 else ""
                    if reason is None:
                        stats[proto]["failures"] += n
                        lines.append("%-7s %s%s" % (kind, text, times))
                    else:
                        stats[proto]["exceptions"] += n
                        lines.append("known %s (%s) %s%s" % (kind, reason, text, times))
    for i, e in enumerate(entries):
        for kind in ("missing", "extra"):
            for text in e.get(kind, ()):
                if (i, kind, text) not in used:
                    lines.append("note: exception no longer needed: %s %s" % (kind, text))
    skipped = ["%s %d %s" % (p, stats[p][what], label)
               for p in PROTOCOLS
               for what, label in (("not compared (tshark)", "tshark items on other transports"),
                                   ("seawall-only, not compared", "seawall-only items"))
               if stats[p][what]]
    if skipped:
        lines.append("not compared: " + ", ".join(skipped))
    failed = any(stats[p]["failures"] for p in PROTOCOLS)
    return rel, "DIFF" if failed else "ok", lines, stats


def summary(stats):
    parts = ["%s %d/%d" % (p, stats[p]["agreed"], stats[p]["compared"])
             for p in PROTOCOLS if stats[p]["compared"]]
    return ", ".join(parts) if parts else "nothing to compare"


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    seawall = os.path.join(sys.argv[1], "seawall")
    if not os.access(seawall, os.X_OK):
        print("FAIL: %s not found (build the seawall target)" % seawall)
        return 1
    if shutil.which("tshark") is None:
        print("SKIP: tshark not installed")
        return SKIP
    corpus = corpus_dir()
    if not os.path.isdir(os.path.join(corpus, "pcaps")):
        print("SKIP: corpus not found at %s/pcaps" % corpus)
        return SKIP
    # An empty profile, so local Wireshark preferences cannot change the oracle.
    profile = tempfile.mkdtemp(prefix="sw-wireshark-profile-")
    os.environ["WIRESHARK_CONFIG_DIR"] = profile
    all_captures = list_captures(corpus)
    captures = all_captures
    if len(sys.argv) > 2:
        wanted = set(sys.argv[2:])
        captures = [c for c in captures if c[0] in wanted or c[1] in wanted]
    stale_table = set(KNOWN_DIFFERENCES) - {c[0] for c in all_captures}
    totals = zero_stats()
    failed_captures = 0
    jobs = int(os.environ.get("VERIFY_JOBS", "2"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for rel, status, lines, stats in pool.map(lambda c: check_capture(seawall, *c),
                                                  captures):
            print("%-4s %s (%s)" % (status, rel, summary(stats)))
            for line in lines:
                print("       " + line)
            for p in PROTOCOLS:
                totals[p].update(stats[p])
            if status != "ok":
                failed_captures += 1
    for s in sorted(stale_table):
        print("note: exceptions table names a capture not in the corpus: " + s)
    shutil.rmtree(profile, ignore_errors=True)
    for p in PROTOCOLS:
        t = totals[p]
        print("%-4s compared %d, agreed %d, exceptions %d, failures %d "
              "(not compared: %d tshark items on other transports, %d seawall-only items)"
              % (p, t["compared"], t["agreed"], t["exceptions"], t["failures"],
                 t["not compared (tshark)"], t["seawall-only, not compared"]))
    print("%d captures, %d with unexplained differences" % (len(captures), failed_captures))
    return 0 if failed_captures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
