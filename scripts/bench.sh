#!/usr/bin/env bash
# Throughput of Seawall on whole captures, against a plain libpcap read loop.
#   scripts/bench.sh [CAPTURE ...]     default: ../shared/corpus/bench/*.pcap
# Environment: BENCH_BUILD (default build/release), BENCH_RUNS (default 3), BENCH_ET (default 1),
#              BENCH_TIMEOUT seconds per run (default 300), BENCH_THREADS (default "1 2").
# For each capture: one read to warm the page cache, then the libpcap loop and
# seawall in --runmode single, autofp with each thread count and workers with
# each thread count above 1, best of
# BENCH_RUNS runs (wall time, peak RSS). Prints a table; asserts nothing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD:-$ROOT/build/release}"
RUNS="${BENCH_RUNS:-3}"
STEP_TIMEOUT="${BENCH_TIMEOUT:-300}"
THREADS="${BENCH_THREADS:-1 2}"
SEAWALL="$BUILD/seawall"
LOOP="$BUILD/tests/bench/pcap_read_loop"

if [ ! -x "$SEAWALL" ] || [ ! -x "$LOOP" ]; then
  echo "bench: building seawall and pcap_read_loop in $BUILD"
  if [ ! -f "$BUILD/build.ninja" ] && [ "$BUILD" = "$ROOT/build/release" ]; then
    (cd "$ROOT" && cmake --preset release >/dev/null)
  fi
  cmake --build "$BUILD" -j2 --target seawall pcap_read_loop
fi

if [ $# -gt 0 ]; then
  captures=("$@")
else
  shopt -s nullglob
  captures=("$ROOT"/../shared/corpus/bench/*.pcap)
  shopt -u nullglob
  if [ ${#captures[@]} -eq 0 ]; then
    echo "bench: no captures given and none at $ROOT/../shared/corpus/bench/*.pcap" >&2
    exit 1
  fi
fi

# ET Open rule files, when present (BENCH_ET=0 leaves them out).
ET_ARGS=""
if [ "${BENCH_ET:-1}" = "1" ]; then
  for f in "$ROOT"/../shared/corpus/rules/et-open/rules/*.rules; do
    [ -f "$f" ] && ET_ARGS="$ET_ARGS -S $f"
  done
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# measure CMD... -> prints "<wall seconds> <peak RSS KiB>" for one run; fails on a
# non-zero exit or a timeout. Wall time from the nanosecond clock around the run;
# peak RSS from GNU time (/usr/bin/time, Debian package "time"), else from
# python3's getrusage(RUSAGE_CHILDREN) (which may report the forking
# interpreter's own size, ~10 MiB, for processes smaller than that).
measure() {
  local t0 t1 rss
  if [ -x /usr/bin/time ]; then
    t0=$(date +%s.%N)
    if ! timeout "$STEP_TIMEOUT" /usr/bin/time -f '%M' -o "$WORK/time.out" "$@" >/dev/null 2>"$WORK/cmd.err"; then
      echo "bench: command failed or timed out: $*" >&2; tail -3 "$WORK/cmd.err" >&2; return 1
    fi
    t1=$(date +%s.%N)
    rss=$(tail -1 "$WORK/time.out")
    awk -v a="$t0" -v b="$t1" -v r="$rss" 'BEGIN{ printf "%.6f %d\n", b - a, r }'
  else
    python3 - "$STEP_TIMEOUT" "$@" <<'PY' 2>"$WORK/cmd.err" || { echo "bench: command failed: $*" >&2; return 1; }
import resource, subprocess, sys, time
start = time.monotonic()
subprocess.run(sys.argv[2:], check=True, timeout=float(sys.argv[1]),
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
wall = time.monotonic() - start
print("%.6f %d" % (wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
PY
  fi
}

# best CMD... -> best (lowest wall time) of RUNS runs: "<seconds> <rss KiB>"
best() {
  local best_s="" best_rss="" line s rss
  for _ in $(seq "$RUNS"); do
    line="$(measure "$@")" || return 1
    s="${line% *}"; rss="${line#* }"
    if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN{exit !(a<b)}'; then
      best_s="$s"; best_rss="$rss"
    fi
  done
  echo "$best_s $best_rss"
}

rows=()
row() {  # capture mode seconds rss_kib packets bytes baseline_mbit
  awk -v c="$1" -v m="$2" -v s="$3" -v r="$4" -v p="$5" -v b="$6" -v base="$7" 'BEGIN{
    if (s <= 0) s = 0.001;
    mbit = b * 8 / s / 1e6; pps = p / s;
    pct = base > 0 ? sprintf("%.1f%%", 100 * mbit / base) : "-";
    printf "%-22s %-18s %10.1f %12.0f %12.1f %9s\n", c, m, mbit, pps, r / 1024, pct }'
}

for cap in "${captures[@]}"; do
  name="$(basename "$cap")"
  cat "$cap" >/dev/null   # warm the page cache
  # Baseline: the loop's own timing (excludes process start), best of RUNS.
  base_line=""
  for _ in $(seq "$RUNS"); do
    line="$(timeout "$STEP_TIMEOUT" "$LOOP" "$cap")"
    if [ -z "$base_line" ] || awk -v a="$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$line")" \
        -v b="$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$base_line")" 'BEGIN{exit !(a<b)}'; then
      base_line="$line"
    fi
  done
  packets="$(sed 's/.*packets=\([0-9]*\) .*/\1/' <<<"$base_line")"
  bytes="$(sed 's/.*bytes=\([0-9]*\) .*/\1/' <<<"$base_line")"
  base_s="$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<<"$base_line")"
  base_rss="$(measure "$LOOP" "$cap" | cut -d' ' -f2)"
  base_mbit="$(awk -v b="$bytes" -v s="$base_s" 'BEGIN{ if (s<=0) s=1e-9; printf "%.1f", b*8/s/1e6 }')"
  rows+=("$(row "$name" "libpcap-loop" "$base_s" "$base_rss" "$packets" "$bytes" 0)")

  # single (app layer on), single without stream/app layer (decode + flow),
  # single with ET Open when the corpus has it, then autofp.
  modes=("single:--runmode single" "single-no-applayer:--runmode single --set app-layer.enabled=no")
  if [ -n "$ET_ARGS" ]; then modes+=("single-et-open:--runmode single$ET_ARGS"); fi
  for t in $THREADS; do modes+=("autofp-t$t:--runmode autofp --threads $t"); done
  for t in $THREADS; do
    [ "$t" -gt 1 ] && modes+=("workers-t$t:--runmode workers --threads $t")
  done
  for entry in "${modes[@]}"; do
    label="${entry%%:*}"; args="${entry#*:}"
    out="$WORK/out-$label"; mkdir -p "$out"
    # shellcheck disable=SC2086
    if r="$(best "$SEAWALL" -r "$cap" -l "$out" $args)"; then
      rows+=("$(row "$name" "seawall $label" "${r% *}" "${r#* }" "$packets" "$bytes" "$base_mbit")")
    else
      rows+=("$(printf '%-22s %-18s %s' "$name" "seawall $label" "FAILED")")
    fi
    rm -rf "$out"
  done
done

echo
echo "bench: best of $RUNS runs; seawall times are whole-process wall time (start-up included)"
printf "%-22s %-18s %10s %12s %12s %9s\n" "capture" "mode" "Mbit/s" "packets/s" "peakRSS MiB" "% of loop"
for r in "${rows[@]}"; do echo "$r"; done
