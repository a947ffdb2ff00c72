#!/usr/bin/env bash
# Memory under load: N concurrent TCP sessions (default 100,000), each an HTTP
# request left open (no FIN, no response), written with the scenario writer,
# then run through Seawall with the default memcaps and with small ones.
# Prints peak RSS and the session/reassembly/app-layer counters, so the memcap
# policies can be seen holding. A benchmark, not a test: nothing is asserted.
#   tests/bench/sessions_100k.sh BUILD_DIR [SESSIONS]
set -euo pipefail
BUILD="${1:?usage: sessions_100k.sh BUILD_DIR [SESSIONS]}"
N="${2:-100000}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$N" > "$WORK/sessions.scn" <<'PY'
import sys
n = int(sys.argv[1])
print("time 2024-05-01T10:00:00")
print("gap 0.0001")
for i in range(n):
    client = "10.%d.%d.%d" % (1 + i // 65536, (i // 256) % 256, i % 256)
    print('tcp %s:%d -> 10.200.0.1:80 payload "GET /s%d HTTP/1.1\\r\\nHost: load.example\\r\\n\\r\\n" close=none'
          % (client, 20000 + i % 40000, i))
PY
"$BUILD/seawall-scenario" "$WORK/sessions.scn" -o "$WORK/sessions.pcap" >/dev/null
echo "capture: $N sessions, $(stat -c %s "$WORK/sessions.pcap") bytes"

run() {
  local label="$1"; shift
  mkdir -p "$WORK/out"
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$BUILD/seawall" -r "$WORK/sessions.pcap" -l "$WORK/out" \
      --runmode single "$@" >/dev/null 2>&1
  read -r secs rss_kb < "$WORK/time"
  python3 - "$WORK/out/eve.json" "$label" "$secs" "$rss_kb" <<'PY'
import json, sys
path, label, secs, rss_kb = sys.argv[1:]
stats = {}
http = 0
for line in open(path):
    e = json.loads(line)
    if e["event_type"] == "stats":
        stats = e["stats"]
    elif e["event_type"] == "http":
        http += 1
def get(path):
    v = stats
    for k in path.split("."):
        v = v.get(k, {}) if isinstance(v, dict) else {}
    return v if isinstance(v, int) else 0
print("%-28s %6.2f s  peak RSS %6.1f MiB  tcp.sessions %d  ssn_memcap_drop %d  "
      "segment_memcap_drop %d  flows_detected %d  http records %d  flow.memcap %d" % (
      label, float(secs), int(rss_kb) / 1024.0, get("tcp.sessions"), get("tcp.ssn_memcap_drop"),
      get("tcp.segment_memcap_drop"), get("app_layer.flows_detected"), http,
      get("flow.memcap")))
PY
  rm -rf "$WORK/out"
}
run "default memcaps"
run "stream 8mb, reassembly 16mb" --set stream.memcap=8mb --set stream.reassembly.memcap=16mb
run "app layer off" --set app-layer.protocols.http.enabled=no
