#!/usr/bin/env bash
# End to end on the bundled sample: Seawall's own rules on samples/demo.pcap.
# Expected alerts follow from what samples/demo.scn describes (an SSH server on
# router port 22222, TACACS+ mirrored through ERSPAN II and III, GRE tunnels
# from two internal routers to an external host, malformed packets), not from
# a previous run. Every record must also validate against the EVE schema.
set -euo pipefail
build=${1:?usage: test_demo_alerts.sh BUILD_DIR}
root=$(cd "$(dirname "$0")/../.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

"$build/seawall" -r "$root/samples/demo.pcap" -S "$root/rules/seawall.rules" -l "$out" --runmode single

/usr/bin/python3 - "$out/eve.json" "$out/fast.log" <<'PY'
import json, sys
alerts = [r for r in map(json.loads, open(sys.argv[1])) if r["event_type"] == "alert"]
got = {}
for r in alerts:
    got.setdefault(r["alert"]["signature_id"], []).append(r)
failures = []
def expect(sid, count, check=None, why=""):
    rows = got.get(sid, [])
    if len(rows) != count:
        failures.append(f"sid {sid}: expected {count} alert(s), got {len(rows)} ({why})")
    elif check:
        for r in rows:
            problem = check(r)
            if problem:
                failures.append(f"sid {sid}: {problem} ({why})")
expect(9200001, 1, lambda r: None if (r["src_ip"], r["src_port"]) == ("10.0.0.1", 22222) else f"wrong source {r['src_ip']}:{r.get('src_port')}",
       "SSH banner from router 10.0.0.1:22222")
expect(9200010, 2, lambda r: None if r.get("pkt_src") == "erspan tunnel" and r["dest_port"] == 49 else f"pkt_src {r.get('pkt_src')}",
       "TACACS+ SYNs seen through the ERSPAN II and III mirrors")
expect(9200020, 2, lambda r: None if r["proto"] == "GRE" and r["dest_ip"] == "198.51.100.23" else f"{r['proto']} to {r['dest_ip']}",
       "GRE from 10.0.0.1 and 10.0.0.2 (limit 1 per source)")
expect(9200100, 1, None, "truncated IPv4 header: no IP layer, decoder-event rule")
expect(9200101, 1, None, "TCP header length 16")
expect(9200102, 1, None, "GRE version 2")
unexpected = sorted(set(got) - {9200001, 9200010, 9200020, 9200100, 9200101, 9200102})
if unexpected:
    failures.append(f"unexpected alerts: {unexpected}")
fast = open(sys.argv[2]).read().splitlines()
# fast.log has a line per alert with an IP layer (the truncated IPv4 one has none).
if len(fast) != len(alerts) - 1:
    failures.append(f"fast.log has {len(fast)} lines for {len(alerts)} alerts")
for f in failures:
    print("FAIL", f)
print(f"{len(alerts)} alerts checked, {len(failures)} problems")
sys.exit(1 if failures else 0)
PY
/usr/bin/python3 "$root/tests/verify/validate_eve.py" "$out/eve.json"
