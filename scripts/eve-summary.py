#!/usr/bin/python3
"""Prints what Seawall found in an eve.json: records per type, anomalies, tunnelled flows."""
import collections
import json
import sys


def main(path):
    counts = collections.Counter()
    anomalies = collections.Counter()
    flows = []
    alerts = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            et = rec.get("event_type")
            counts[et] += 1
            if et == "anomaly":
                a = rec["anomaly"]
                anomalies[(a.get("type"), a.get("event"), rec.get("pkt_src", ""))] += 1
            elif et == "flow":
                flows.append(rec)
            elif et == "alert":
                alerts.append(rec)
    print(f"\n== {path}")
    print("records: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if alerts:
        print(f"\nalerts: {len(alerts)}")
        for r in sorted(alerts, key=lambda r: r.get("pcap_cnt", 0)):
            a = r["alert"]
            if "src_ip" in r:
                src = r["src_ip"] + (f":{r['src_port']}" if "src_port" in r else "")
                dst = r["dest_ip"] + (f":{r['dest_port']}" if "dest_port" in r else "")
                where = f"{r.get('proto', '?')} {src} -> {dst}"
            else:
                where = f"(no IP layer, packet {r.get('pcap_cnt', '?')})"
            via = r.get("pkt_src", "")
            via = f"  [{via}]" if via and via != "wire/pcap" else ""
            print(f"  [{a['gid']}:{a['signature_id']}:{a['rev']}] {a['signature']}  {where}{via}")
    if anomalies:
        print("\nanomalies:")
        for (typ, ev, src), n in sorted(anomalies.items()):
            print(f"  {n:4d} x {typ}: {ev}" + (f"  [{src}]" if src and src != "wire/pcap" else ""))
    tunnelled = [r for r in flows if r.get("tunnel") or r.get("pkt_src", "wire/pcap") != "wire/pcap"]
    print(f"\nflows: {len(flows)} ({len(tunnelled)} inside tunnels)")
    for r in flows:
        src = f"{r.get('src_ip')}:{r.get('src_port', '')}"
        dst = f"{r.get('dest_ip')}:{r.get('dest_port', '')}"
        fl = r.get("flow", {})
        via = r.get("pkt_src", "")
        via = f"  via {via}" if via and via != "wire/pcap" else ""
        print(f"  {r.get('proto', '?'):9s} {src:>28s} -> {dst:<28s} "
              f"pkts {fl.get('pkts_toserver', 0)}/{fl.get('pkts_toclient', 0)} "
              f"{fl.get('state', '')}{via}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: eve-summary.py EVE_JSON")
    main(sys.argv[1])
