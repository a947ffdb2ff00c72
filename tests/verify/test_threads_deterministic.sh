#!/usr/bin/env bash
# Same input, same flow and anomaly records, whatever the run mode or threads:
#   test_threads_deterministic.sh BUILD_DIR
# Runs --runmode single, then autofp with 1, 2 and 3 threads and workers
# (every worker reading the file itself) with 2 and 3 threads on the
# bundled samples/demo.pcap (when present), a set of tunnel/telecom corpus
# captures and the throughput captures (corpus/bench), and compares each run's
# flow + anomaly records with single mode as multisets (compare_eve.py: all
# fields, stats records excluded). Exit 77 when neither the corpus nor the
# sample is present.
set -u
build_dir=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
corpus=${SEAWALL_CORPUS:-$repo/../shared/corpus}
seawall="$build_dir/seawall"
[[ -x "$seawall" ]] || { echo "FAIL: $seawall not built"; exit 1; }

captures=()
[[ -f "$repo/samples/demo.pcap" ]] && captures+=("$repo/samples/demo.pcap")
if [[ -d "$corpus/pcaps" ]]; then
  # Tunnels put inner and outer flows on one worker or several: the cases most
  # likely to depend on dispatch.
  for f in tunnels/zeek__gre-within-gre.pcap tunnels/ndpi__vxlan.pcap tunnels/zeek__ayiya3.pcap \
           tunnels/zeek__pppoe-over-qinq.pcap tunnels/zeek__mixed-vlan-mpls.pcap \
           gtp/zeek__gtp1_gn_normal_incl_fragmentation.pcap gtp/arkime__gtp-iphone.pcap \
           gtp/zeek__gtp8_teredo.pcap sip/ndpi__FAX-Call-t38-CA-TDM-SIP-FB-1.pcap \
           mobile-core/magma__nsa_connection.pcap sctp/arkime__sctp-www.pcap; do
    [[ -f "$corpus/pcaps/$f" ]] && captures+=("$corpus/pcaps/$f")
  done
fi
if [[ -d "$corpus/bench" ]]; then
  for f in "$corpus"/bench/*.pcap; do [[ -f "$f" ]] && captures+=("$f"); done
fi
if [[ ${#captures[@]} -eq 0 ]]; then
  echo "SKIP: no samples/demo.pcap and no corpus at $corpus"
  exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
for cap in "${captures[@]}"; do
  name=$(basename "$cap")
  ref="$work/single"
  rm -rf "$ref"; mkdir -p "$ref"
  if ! timeout 120 "$seawall" -r "$cap" -l "$ref" --runmode single -k none 2>"$work/err"; then
    echo "FAIL $name: single mode exit $?"; tail -3 "$work/err"; failed=$((failed + 1)); continue
  fi
  for mode in "autofp 1" "autofp 2" "autofp 3" "workers 2" "workers 3"; do
    set -- $mode
    out="$work/$1$2"
    rm -rf "$out"; mkdir -p "$out"
    if ! timeout 120 "$seawall" -r "$cap" -l "$out" --runmode "$1" --threads "$2" -k none 2>"$work/err"; then
      echo "FAIL $name $1 --threads $2: exit $?"; tail -3 "$work/err"; failed=$((failed + 1)); continue
    fi
    if result=$(python3 "$here/compare_eve.py" "$ref/eve.json" "$out/eve.json"); then
      echo "ok   $name $1 --threads $2: $result"
      passed=$((passed + 1))
    else
      echo "FAIL $name $1 --threads $2 vs single:"
      sed 's/^/     /' <<<"$result"
      failed=$((failed + 1))
    fi
  done
done
echo "$passed passed, $failed failed, 0 skipped"
[[ $failed -eq 0 ]]
