#!/usr/bin/env python3
"""Differential test: Seawall's EVE flow records against tshark, per capture.

  test_tshark_flows.py BUILD_DIR [CAPTURE ...]

For every capture in the corpus (pcaps/**, listed in pcaps/MANIFEST.tsv plus any
other capture file found there) Seawall runs with --runmode single, and the set of
TCP/UDP/SCTP flows from its EVE `flow` records is compared with the set tshark
sees. A flow is (proto, {ip:port, ip:port}) with the endpoints unordered, so
direction and VLAN/tunnel context do not matter; addresses are normalised.

The tshark side is built per packet from `-T fields` with every occurrence of
each field (`-E occurrence=a`), walking `frame.protocols` so that EVERY layer
of a tunnelled packet counts: the outer UDP flow of VXLAN/GTP-U/Teredo/... and
the inner flows. Rules of the oracle (each one a property of the protocols, not
of a capture):

* `-o ip.defragment:FALSE -o ipv6.defragment:FALSE`: with reassembly on, tshark
  would show one reassembled datagram at the frame of the last fragment, built
  from bytes of several frames. Seawall does not reassemble fragments yet
  (stream/ defrag is a later stage; flow/flow_table.h: "IP fragments ... get no
  flow"), so an IP fragment and every layer inside it are set aside: flows seen
  ONLY inside fragments are neither required nor forbidden (listed as
  "fragment-only" in the output). Non-fragmented packets of the same flows
  still count.
* Headers quoted inside ICMP/ICMPv6 errors are not flows (tshark dissects the
  quoted IP/UDP header; no engine tracks a flow for it), so the walk stops at
  icmp/icmpv6.
* tshark options from the `tshark_opts` column of MANIFEST.tsv are applied
  (decode-as for NetFlow/syslog ports, RTP heuristics).

Differences that come from tshark decoding something Seawall by design does not
are listed per capture, flow by flow, in tshark_flow_exceptions.py; anything else
fails. Exit 0 when every capture passes, 1 otherwise, 77 (skip) when tshark or
the corpus is absent.
"""

import concurrent.futures
import csv
import ipaddress
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from tshark_flow_exceptions import KNOWN_DIFFERENCES  # noqa: E402

SKIP = 77
PROTO_NUM_NAMES = {"tcp": "TCP", "udp": "UDP", "sctp": "SCTP"}
TSHARK_FIELDS = [
    "frame.number", "frame.protocols",
    "ip.src", "ip.dst", "ip.flags.mf", "ip.frag_offset",
    "ipv6.src", "ipv6.dst",
    "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
    "sctp.srcport", "sctp.dstport",
]
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")


def corpus_dir():
    return os.environ.get("SEAWALL_CORPUS",
                          os.path.join(HERE, "..", "..", "..", "shared", "corpus"))


def norm_ip(text):
    return str(ipaddress.ip_address(text))


def flow_key(proto, a_ip, a_port, b_ip, b_port):
    a = (norm_ip(a_ip), int(a_port))
    b = (norm_ip(b_ip), int(b_port))
    lo, hi = sorted([a, b], key=lambda e: (ipaddress.ip_address(e[0]).version,
                                             ipaddress.ip_address(e[0]), e[1]))
    return (proto, lo, hi)


def format_flow(key):
    proto, (a_ip, a_port), (b_ip, b_port) = key
    fmt = lambda ip, port: ("[%s]:%d" if ":" in ip else "%s:%d") % (ip, port)  # noqa: E731
    return "%s %s <-> %s" % (proto, fmt(a_ip, a_port), fmt(b_ip, b_port))


# ------------------------------------------------------------------ tshark side

def tshark_flows(path, extra_opts):
    """Returns (flows, fragment_only_flows, error)."""
    cmd = ["tshark", "-n", "-r", path,
           "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-o", "tcp.desegment_tcp_streams:FALSE",
           "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-E", "separator=/t"]
    cmd += shlex.split(extra_opts)
    for f in TSHARK_FIELDS:
        cmd += ["-e", f]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return set(), set(), "tshark timed out"
    if out.returncode != 0 and not out.stdout:
        return set(), set(), "tshark failed: " + out.stderr.strip()[-300:]
    flows, under_fragment = set(), set()
    for line in out.stdout.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(TSHARK_FIELDS) - len(cols))
        vals = {name: (cols[i].split(",") if cols[i] else [])
                for i, name in enumerate(TSHARK_FIELDS)}
        counters = {"ip": 0, "ipv6": 0, "tcp": 0, "udp": 0, "sctp": 0}
        current_ip = None          # (src, dst) of the innermost IP layer so far
        in_fragment = False        # a layer at or below this point is an IP fragment
        for proto in vals["frame.protocols"][0].split(":") if vals["frame.protocols"] else []:
            if proto in ("icmp", "icmpv6"):
                break  # anything after is a quoted header, not a packet
            if proto == "ip":
                i = counters["ip"]
                counters["ip"] += 1
                try:
                    current_ip = (vals["ip.src"][i], vals["ip.dst"][i])
                    mf = vals["ip.flags.mf"][i] in ("1", "True")
                    off = int(vals["ip.frag_offset"][i] or 0)
                except (IndexError, ValueError):
                    current_ip = None
                    continue
                if mf or off:
                    in_fragment = True
            elif proto == "ipv6":
                i = counters["ipv6"]
                counters["ipv6"] += 1
                try:
                    current_ip = (vals["ipv6.src"][i], vals["ipv6.dst"][i])
                except IndexError:
                    current_ip = None
            elif proto == "ipv6.fraghdr":
                in_fragment = True
            elif proto in PROTO_NUM_NAMES:
                i = counters[proto]
                counters[proto] += 1
                if current_ip is None:
                    continue
                try:
                    sport = vals[proto + ".srcport"][i]
                    dport = vals[proto + ".dstport"][i]
                except IndexError:
                    continue
                key = flow_key(PROTO_NUM_NAMES[proto], current_ip[0], sport, current_ip[1], dport)
                (under_fragment if in_fragment else flows).add(key)
    return flows, under_fragment - flows, None


# ------------------------------------------------------------------ seawall side

def seawall_flows(seawall, path, workdir):
    """Returns (flows, error)."""
    cmd = [seawall, "-r", path, "-l", workdir, "--runmode", "single", "-k", "none"]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return set(), "seawall timed out"
    if out.returncode != 0:
        return set(), "seawall exit %d: %s" % (out.returncode, out.stderr.strip()[-400:])
    eve = os.path.join(workdir, "eve.json")
    flows = set()
    try:
        with open(eve) as f:
            for n, line in enumerate(f, 1):
                rec = json.loads(line)
                if rec.get("event_type") != "flow" or rec.get("proto") not in ("TCP", "UDP", "SCTP"):
                    continue
                flows.add(flow_key(rec["proto"], rec["src_ip"], rec["src_port"],
                                   rec["dest_ip"], rec["dest_port"]))
    except (OSError, ValueError, KeyError) as e:
        return set(), "cannot read %s: %s" % (eve, e)
    return flows, None


# ------------------------------------------------------------------ driver

def list_captures(corpus):
    pcaps = os.path.join(corpus, "pcaps")
    opts = {}
    manifest = os.path.join(pcaps, "MANIFEST.tsv")
    if os.path.exists(manifest):
        with open(manifest, newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                opts[row["file"]] = row.get("tshark_opts") or ""
    found = []
    for dirpath, _dirs, files in os.walk(pcaps):
        for name in files:
            if name.endswith(CAPTURE_SUFFIXES):
                found.append(os.path.relpath(os.path.join(dirpath, name), pcaps))
    return [(rel, os.path.join(pcaps, rel), opts.get(rel, "")) for rel in sorted(found)]


def check_capture(seawall, rel, path, opts):
    with tempfile.TemporaryDirectory(prefix="sw-tshark-") as tmp:
        ours, err = seawall_flows(seawall, path, tmp)
    if err:
        return rel, "FAIL", [err], 0
    theirs, frag_only, err = tshark_flows(path, opts)
    if err:
        return rel, "FAIL", [err], 0
    missing = theirs - ours                  # tshark sees it, Seawall does not
    extra = (ours - theirs) - frag_only      # Seawall sees it, tshark does not
    known = KNOWN_DIFFERENCES.get(rel, {})
    known_missing = {k for k in missing if format_flow(k) in known.get("missing", ())}
    known_extra = {k for k in extra if format_flow(k) in known.get("extra", ())}
    lines = []
    for k in sorted(missing - known_missing):
        lines.append("missing " + format_flow(k))
    for k in sorted(extra - known_extra):
        lines.append("extra   " + format_flow(k))
    for k in sorted(known_missing):
        lines.append("known missing (%s) %s" % (known.get("reason", "?"), format_flow(k)))
    for k in sorted(known_extra):
        lines.append("known extra (%s) %s" % (known.get("reason", "?"), format_flow(k)))
    listed = set(known.get("missing", ())) | set(known.get("extra", ()))
    stale = listed - {format_flow(k) for k in known_missing | known_extra}
    for s in sorted(stale):
        lines.append("note: exception no longer needed: " + s)
    if frag_only:
        lines.append("fragment-only flows (not compared): %d" % len(frag_only))
    status = "DIFF" if (missing - known_missing) or (extra - known_extra) else "ok"
    return rel, status, lines, len(theirs | ours)


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    build = sys.argv[1]
    seawall = os.path.join(build, "seawall")
    if not os.access(seawall, os.X_OK):
        print("FAIL: %s not found (build the seawall target)" % seawall)
        return 1
    if shutil.which("tshark") is None:
        print("SKIP: tshark not installed")
        return SKIP
    # An empty profile, so local Wireshark preferences cannot change the oracle.
    profile = tempfile.mkdtemp(prefix="sw-wireshark-profile-")
    os.environ["WIRESHARK_CONFIG_DIR"] = profile
    corpus = corpus_dir()
    if not os.path.isdir(os.path.join(corpus, "pcaps")):
        print("SKIP: corpus not found at %s/pcaps" % corpus)
        return SKIP
    captures = list_captures(corpus)
    if len(sys.argv) > 2:
        wanted = set(sys.argv[2:])
        captures = [c for c in captures if c[0] in wanted or c[1] in wanted]
    stale_table = set(KNOWN_DIFFERENCES) - {c[0] for c in list_captures(corpus)}
    passed = failed = 0
    compared = 0
    jobs = int(os.environ.get("VERIFY_JOBS", "2"))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        results = pool.map(lambda c: check_capture(seawall, *c), captures)
        for rel, status, lines, n in results:
            compared += n
            print("%-4s %s (%d flows)" % (status, rel, n))
            for line in lines:
                print("       " + line)
            if status == "ok":
                passed += 1
            else:
                failed += 1
    for s in sorted(stale_table):
        print("note: exceptions table names a capture not in the corpus: " + s)
    shutil.rmtree(profile, ignore_errors=True)
    print("%d passed, %d failed, 0 skipped (%d flows compared)" % (passed, failed, compared))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
