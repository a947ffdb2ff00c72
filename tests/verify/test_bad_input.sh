#!/usr/bin/env bash
# Bad input must give clear messages, the right exit code and never a crash:
#   test_bad_input.sh BUILD_DIR
# Inputs are generated in a temp dir by gen_bad_inputs.py (python3 struct, no
# corpus needed): empty file, garbage, truncated capture, zero-length and
# oversize records, 1,000 nested GTP-U and GRE headers, a directory holding a
# garbage file among good captures.
set -u
build_dir=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
seawall="$build_dir/seawall"
[[ -x "$seawall" ]] || { echo "FAIL: $seawall not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 "$here/gen_bad_inputs.py" "$work/in" || { echo "FAIL: could not generate inputs"; exit 1; }

passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
bad() { echo "FAIL $1: $2"; failed=$((failed + 1)); [[ -f "$work/err" ]] && sed 's/^/       | /' "$work/err" | head -8; }

# run NAME INPUT [ARGS...] -> sets rc, out dir $work/out/NAME, stderr in $work/err
run() {
  local name=$1 input=$2; shift 2
  out="$work/out/$name"
  mkdir -p "$out"
  timeout 60 "$seawall" -r "$input" -l "$out" "$@" >"$work/stdout" 2>"$work/err"
  rc=$?
  eve="$out/eve.json"
}
# A crash is a signal exit, a timeout, or a sanitizer report.
crashed() {
  [[ $rc -ge 124 ]] || grep -qE 'AddressSanitizer|UndefinedBehaviorSanitizer|runtime error:|LeakSanitizer' "$work/err"
}
flows_in() { if [[ -f "$eve" ]]; then grep -c '"event_type":"flow"' "$eve"; else echo 0; fi; }
has_anomaly() { [[ -f "$eve" ]] && grep -q "\"event\":\"$1\"" "$eve"; }

# 1. Empty file: clear error naming the file, non-zero exit.
run empty "$work/in/empty.pcap"
if crashed; then bad "empty file" "crashed (exit $rc)"
elif [[ $rc -eq 0 ]]; then bad "empty file" "exit 0"
elif ! grep -q "empty.pcap" "$work/err"; then bad "empty file" "message does not name the file"
else ok "empty file: exit $rc, '$(head -1 "$work/err")'"; fi

# 2. Garbage: clear error naming the file, non-zero exit.
run garbage "$work/in/garbage.pcap"
if crashed; then bad "garbage file" "crashed (exit $rc)"
elif [[ $rc -eq 0 ]]; then bad "garbage file" "exit 0"
elif ! grep -q "garbage.pcap" "$work/err"; then bad "garbage file" "message does not name the file"
else ok "garbage file: exit $rc, '$(head -1 "$work/err")'"; fi

# 3. Truncated capture (cut in the middle of record 7 of 10): warning naming the
# file and the packet, exit 0, the 6 complete packets processed (6 UDP flows).
run truncated "$work/in/truncated.pcap"
if crashed; then bad "truncated capture" "crashed (exit $rc)"
elif [[ $rc -ne 0 ]]; then bad "truncated capture" "exit $rc, expected 0"
elif ! grep -q "truncated.pcap" "$work/err"; then bad "truncated capture" "no warning naming the file"
elif ! grep -qE "packet (6|7)([^0-9]|$)" "$work/err"; then bad "truncated capture" "warning does not name packet 6/7"
elif [[ $(flows_in) -ne 6 ]]; then bad "truncated capture" "$(flows_in) flows in EVE, expected 6"
else ok "truncated capture: exit 0, 6 flows, '$(grep truncated.pcap "$work/err" | head -1)'"; fi

# 4a. A record with caplen 0 between two good packets: no crash, exit 0, both
# good packets processed.
run zero_len "$work/in/zero_len.pcap"
if crashed; then bad "zero-length record" "crashed (exit $rc)"
elif [[ $rc -ne 0 ]]; then bad "zero-length record" "exit $rc, expected 0"
elif [[ $(flows_in) -ne 2 ]]; then bad "zero-length record" "$(flows_in) flows, expected 2"
else
  note="no anomaly"
  has_anomaly "decoder.empty_packet" && note="anomaly decoder.empty_packet"
  ok "zero-length record: exit 0, 2 flows, $note"
fi

# 4b. A record with caplen 300000 (> 262144, libpcap's limit) after a good
# packet: a clear message naming the file (or an anomaly), no crash; the good
# packet before it is processed.
run oversize "$work/in/oversize.pcap"
if crashed; then bad "oversize record" "crashed (exit $rc)"
elif [[ $(flows_in) -lt 1 ]]; then bad "oversize record" "packet before the oversize record not processed"
elif ! grep -q "oversize.pcap" "$work/err" && ! has_anomaly "decoder.pkt_too_large"; then
  bad "oversize record" "neither a message naming the file nor a decoder.pkt_too_large anomaly"
else ok "oversize record: exit $rc, '$(grep -m1 oversize.pcap "$work/err")'"; fi

# 4c. caplen larger than the file's snaplen (but within libpcap's limit):
# libpcap cuts the record to the snaplen, so the 80-byte frame arrives as 64
# bytes and its IPv4 header claims more than is there. Either the flow or a
# decoder.ipv4.trunc_pkt anomaly is fine; a crash or a failure exit is not.
run over_snaplen "$work/in/over_snaplen.pcap"
if crashed; then bad "caplen > snaplen" "crashed (exit $rc)"
elif [[ $rc -ne 0 ]]; then bad "caplen > snaplen" "exit $rc, expected 0"
elif [[ $(flows_in) -lt 1 ]] && ! has_anomaly "decoder.ipv4.trunc_pkt"; then
  bad "caplen > snaplen" "neither a flow nor decoder.ipv4.trunc_pkt"
else ok "caplen > snaplen: exit 0, $(flows_in) flow(s)$(has_anomaly decoder.ipv4.trunc_pkt && echo ', decoder.ipv4.trunc_pkt')"; fi

# 5. 1,000 nested tunnel headers: decoder.too_many_layers anomaly, no crash.
for kind in gtpu gre; do
  run "nested_$kind" "$work/in/nested_$kind.pcap"
  if crashed; then bad "1000 nested $kind" "crashed (exit $rc)"
  elif [[ $rc -ne 0 ]]; then bad "1000 nested $kind" "exit $rc, expected 0"
  elif ! has_anomaly "decoder.too_many_layers"; then bad "1000 nested $kind" "no decoder.too_many_layers anomaly in EVE"
  else ok "1000 nested $kind: decoder.too_many_layers logged"; fi
done

# 6. Directory with good captures and one garbage file: good ones processed,
# error naming the bad one, non-zero exit.
run directory "$work/in/dir"
if crashed; then bad "directory with a bad file" "crashed (exit $rc)"
elif [[ $rc -eq 0 ]]; then bad "directory with a bad file" "exit 0"
elif ! grep -q "b_garbage.pcap" "$work/err"; then bad "directory with a bad file" "no error naming b_garbage.pcap"
elif [[ $(flows_in) -ne 2 ]]; then bad "directory with a bad file" "$(flows_in) flows, expected 2 (one per good file)"
else ok "directory with a bad file: exit $rc, 2 flows, '$(grep -m1 b_garbage.pcap "$work/err")'"; fi

# 7. Unknown link type (DLT 147, user0): clear message, no crash.
run bad_link "$work/in/bad_link.pcap"
if crashed; then bad "unknown link type" "crashed (exit $rc)"
elif ! grep -qiE "link|dlt|datalink" "$work/err"; then bad "unknown link type" "no message about the link type"
else ok "unknown link type: exit $rc, '$(head -1 "$work/err")'"; fi

echo "$passed passed, $failed failed, 0 skipped"
[[ $failed -eq 0 ]]
