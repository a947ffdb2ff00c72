#!/usr/bin/env bash
# EVE schema validation over the corpus:
#   test_eve_schema.sh BUILD_DIR
# Runs seawall on every capture under corpus/pcaps and on a fixed selection of
# suricata-verify captures (decoder/tunnel cases), one eve.json per capture, and
# validates each with tests/verify/validate_eve.py (Suricata's EVE schema plus our
# overlay). Fails when seawall fails on a capture or any record is invalid.
# Exit 77 (skipped) when the corpus is absent.
set -u
build_dir=${1:?usage: $0 BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
corpus=${SEAWALL_CORPUS:-$here/../../../shared/corpus}
seawall="$build_dir/seawall"
validator="$here/validate_eve.py"

[[ -x "$seawall" ]] || { echo "FAIL: $seawall not built"; exit 1; }
[[ -d "$corpus/pcaps" ]] || { echo "SKIP: corpus not found at $corpus/pcaps"; exit 77; }
[[ -f "$validator" ]] || { echo "SKIP: $validator not present yet"; exit 77; }
[[ -f "$corpus/eve-schema.json" ]] || { echo "SKIP: $corpus/eve-schema.json not found"; exit 77; }

# suricata-verify cases chosen for decoder coverage (tunnels, VLAN, IPv6 oddities,
# truncation); missing ones are skipped, so the list may outlive the corpus split.
sv_cases=(
  decode-too-small decode-erspan-typeI-02 decode-erspan-typeII-01 decode-unknown-1
  vxlan-decoder-01 vxlan-decoder-02 vxlan-decoder-03 vxlan-non-zero-reserved-fields
  geneve-decoder decode-nsh-type1 decode-nsh-type2 decode-vntag-01 decode-etag-01
  eve-flow-vlan detect-vlan-id bug-4571-02 bug-4571-03 bug-7964-02 http-ipv6
  ipv6-evasion/ipv6-malformed-fragments-4 ipv6-evasion/ipv6-dos-with-ext-headers-5
)
captures=()
while IFS= read -r -d '' f; do captures+=("$f"); done < <(
  find "$corpus/pcaps" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -print0 | sort -z)
for c in "${sv_cases[@]}"; do
  d="$corpus/suricata-verify/tests/$c"
  [[ -d "$d" ]] || continue
  while IFS= read -r -d '' f; do captures+=("$f"); done < <(
    find "$d" -maxdepth 1 -type f \( -name '*.pcap' -o -name '*.pcapng' \) -print0 | sort -z)
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0 ran=0
eve_files=()
for i in "${!captures[@]}"; do
  cap=${captures[$i]}
  rel=${cap#"$corpus"/}
  out="$work/$i"
  mkdir -p "$out"
  if ! timeout 120 "$seawall" -r "$cap" -l "$out" -k none >"$work/stdout" 2>"$work/stderr"; then
    echo "FAIL $rel: seawall exit $?"; tail -3 "$work/stderr" | sed 's/^/       /'
    failed=$((failed + 1)); continue
  fi
  if [[ ! -s "$out/eve.json" ]]; then
    echo "FAIL $rel: no eve.json written"; failed=$((failed + 1)); continue
  fi
  # Named after the capture, so the validator's file:line errors point at it.
  named="$work/eve/${rel//\//__}.json"
  mkdir -p "$work/eve"
  mv "$out/eve.json" "$named"
  eve_files+=("$named")
  ran=$((ran + 1))
done
# One validator run over all files (loading the schema dominates its run time).
if [[ ${#eve_files[@]} -gt 0 ]]; then
  if ! python3 "$validator" --max-errors 20 "${eve_files[@]}"; then
    echo "FAIL: invalid EVE records (see above; file names are corpus paths with / as __)"
    failed=$((failed + 1))
  fi
fi
echo "seawall ran on $ran of ${#captures[@]} captures; $failed failure(s)"
[[ $failed -eq 0 ]]
