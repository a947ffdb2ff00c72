#!/usr/bin/env bash
# Short libFuzzer run of every fuzz target (CI smoke test, not a fuzzing campaign).
#   scripts/fuzz-smoke.sh            build the "fuzz" preset, make seeds, run each target
# Environment:
#   FUZZ_SECONDS   seconds per target (default 20)
#   FUZZ_BUILD     build directory (default build/fuzz, the preset's)
#   FUZZ_TARGETS   space-separated subset of targets (default: all in fuzz_targets.txt)
#   SEAWALL_CORPUS corpus root (default ../shared/corpus next to the repository)
# Fails when a target crashes, leaks or trips a sanitizer; the crashing input is
# kept in $FUZZ_BUILD/fuzz-artifacts/. Prints one summary line per target.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-20}"
BUILD="${FUZZ_BUILD:-build/fuzz}"
CORPUS_ROOT="${SEAWALL_CORPUS:-$ROOT/../shared/corpus}"
JOBS="${FUZZ_JOBS:-2}"

if ! command -v clang++ >/dev/null; then
  echo "fuzz-smoke: clang++ not found (scripts/install-deps.sh installs clang and libclang-rt-14-dev)" >&2
  exit 1
fi

echo "fuzz-smoke: configuring and building the fuzz preset in $BUILD"
if [ "$BUILD" = "build/fuzz" ]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz -j"$JOBS" --target fuzz_all
else
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
        -DSEAWALL_FUZZ=ON -DSEAWALL_BENCH=OFF >/dev/null
  cmake --build "$BUILD" -j"$JOBS" --target fuzz_all
fi

SEEDS="$BUILD/fuzz-seeds"
rm -rf "$SEEDS"
if [ -d "$CORPUS_ROOT/pcaps" ]; then
  python3 tests/fuzz/make_seeds.py "$SEEDS" "$CORPUS_ROOT/pcaps"
else
  echo "fuzz-smoke: corpus not found at $CORPUS_ROOT/pcaps; built-in seeds only"
  python3 tests/fuzz/make_seeds.py "$SEEDS"
fi

# fuzz_targets.txt: "name<TAB>binary" per target (tests/fuzz/CMakeLists.txt).
declare -A binary
targets=()
while IFS=$'\t' read -r name path; do
  [ -n "$name" ] || continue
  binary[$name]="$path"
  targets+=("$name")
done <"$BUILD/fuzz_targets.txt"
if [ -n "${FUZZ_TARGETS:-}" ]; then
  read -r -a targets <<<"$FUZZ_TARGETS"
fi

ARTIFACTS="$BUILD/fuzz-artifacts"
mkdir -p "$ARTIFACTS"
failed=0
summary=()
for t in "${targets[@]}"; do
  [ -n "$t" ] || continue
  if [ -z "${binary[$t]:-}" ]; then
    echo "fuzz-smoke: unknown target $t"; failed=1; continue
  fi
  work="$BUILD/fuzz-work/$t"   # the growing corpus (seeds are read-only inputs)
  mkdir -p "$work"
  seed_dir="$SEEDS/$t"
  [ -d "$seed_dir" ] || seed_dir=""
  log="$BUILD/fuzz-$t.log"
  echo "fuzz-smoke: $t for ${SECONDS_PER_TARGET}s (log $log)"
  set +e
  # Hard timeout well past -max_total_time in case a single input hangs.
  timeout --kill-after=10 $((SECONDS_PER_TARGET + 60)) \
    "${binary[$t]}" -max_total_time="$SECONDS_PER_TARGET" -max_len=65535 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$ARTIFACTS/$t-" "$work" $seed_dir >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -oE '(#[0-9]+).*cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 | grep -oE 'cov: [0-9]+ ft: [0-9]+')
  if [ $rc -eq 0 ]; then
    status="ok"
  else
    status="FAILED (exit $rc)"
    failed=1
    echo "---- $t: last lines of $log ----"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written|==[0-9]+==' "$log" | head -20 || true
    tail -5 "$log"
  fi
  summary+=("$(printf '%-14s %-18s execs=%-10s %s' "$t" "$status" "${execs:-?}" "${cov:-cov: ?}")")
done

echo "fuzz-smoke summary (${SECONDS_PER_TARGET}s per target):"
for line in "${summary[@]}"; do echo "  $line"; done
exit $failed
