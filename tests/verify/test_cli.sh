#!/usr/bin/env bash
# Command-line behaviour (no corpus needed):
#   test_cli.sh BUILD_DIR
# --version / --build-info, -T with etc/seawall.yaml, a bad --set value (error
# names the key), -r on a missing file, an unknown option (usage + exit 2),
# a bad -k / --runmode value, -r without -l directory.
set -u
build_dir=${1:?usage: $0 BUILD_DIR}
repo=$(cd "$(dirname "$0")/../.." && pwd)
seawall="$build_dir/seawall"
[[ -x "$seawall" ]] || { echo "FAIL: $seawall not built"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
# expect NAME WANT_RC REGEX_ON_OUTPUT -- ARGS...   (stdout+stderr matched, case-insensitive)
expect() {
  local name=$1 want=$2 regex=$3; shift 4
  timeout 30 "$seawall" "$@" >"$work/out" 2>&1
  local rc=$?
  if [[ "$want" == "nonzero" && ( $rc -eq 0 || $rc -ge 124 ) ]] || \
     [[ "$want" != "nonzero" && $rc -ne $want ]]; then
    echo "FAIL $name: exit $rc, expected $want"; sed 's/^/       | /' "$work/out" | head -5
    failed=$((failed + 1))
  elif ! grep -qiE -- "$regex" "$work/out"; then
    echo "FAIL $name: output does not match /$regex/"; sed 's/^/       | /' "$work/out" | head -5
    failed=$((failed + 1))
  else
    echo "ok   $name (exit $rc): $(head -1 "$work/out" | cut -c1-110)"
    passed=$((passed + 1))
  fi
}

expect "--version" 0 "seawall version [0-9]+\.[0-9]+" -- --version
expect "-V" 0 "seawall version [0-9]+\.[0-9]+" -- -V
expect "--build-info" 0 "libpcap" -- --build-info
expect "--help" 0 "usage" -- --help
if [[ -f "$repo/etc/seawall.yaml" ]]; then
  expect "-T -c etc/seawall.yaml" 0 "success|ok|loaded" -- -T -c "$repo/etc/seawall.yaml"
else
  echo "FAIL -T: $repo/etc/seawall.yaml missing"; failed=$((failed + 1))
fi
expect "--set flow.memcap=12xb" nonzero "flow\.memcap" -- -T --set flow.memcap=12xb
expect "-c missing file" nonzero "nonexistent\.yaml" -- -T -c "$work/nonexistent.yaml"
printf 'flow:\n  memcap: [unclosed\n' >"$work/broken.yaml"
expect "-c broken YAML" nonzero "broken\.yaml" -- -T -c "$work/broken.yaml"
expect "-r missing file" nonzero "missing\.pcap" -- -r "$work/missing.pcap" -l "$work"
expect "unknown option" 2 "usage" -- --no-such-option
expect "-k bad value" nonzero "-k|checksum" -- -k sometimes -r "$work/missing.pcap" -l "$work"
expect "--runmode bad value" nonzero "runmode" -- --runmode turbo -r "$work/missing.pcap" -l "$work"
expect "--threads 0" nonzero "threads" -- --threads 0 -r "$work/missing.pcap" -l "$work"
expect "-l missing dir" nonzero "no-such-dir" -- -r "$repo/samples/demo.pcap" -l "$work/no-such-dir"
expect "nothing to read" 2 "-r|nothing" -- -l "$work"

echo "$passed passed, $failed failed, 0 skipped"
[[ $failed -eq 0 ]]
