#!/usr/bin/env bash
# Runs every libFuzzer target built by the `fuzz` preset (tests/fuzz/) for a set time, one after
# the other, and prints the executions and crashes of each. Called by `make fuzz`.
# Usage: scripts/run-fuzzers.sh [target...]    (default: every fuzz_* binary in build/fuzz)
# Environment: FUZZ_SECONDS (per target, default 60), FUZZ_TIMEOUT (seconds one input may take,
# default 10), FUZZ_RSS_MB (memory limit, default 2048).
#
# Each target fuzzes a scratch copy of its committed corpus under build/fuzz/runs/<target>/, so
# what it finds never dirties the tree; crash inputs are written there too (crash-*, timeout-*,
# oom-*, leak-*). Exit status 1 when any target crashed.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
timeout=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
bin=build/fuzz/tests/fuzz
runs=build/fuzz/runs

# Longest input per target: images may be up to the engine's 64 KiB cap; the text parsers find
# their bugs in short inputs, and a large seed (options_json's 100 KB nesting case) must not make
# every input that long.
max_len() {
  case $1 in
    engine) echo 65536 ;;
    multipart) echo 16384 ;;
    *) echo 4096 ;;
  esac
}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in "$bin"/fuzz_*; do targets+=("$(basename "$f" | sed 's/^fuzz_//')"); done
fi

# libvips, GLib and fontconfig keep process-lifetime allocations: the suppressions the asan
# preset uses. ODR checks off as in that preset (the npm libvips and our code share GLib types).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/tests/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=0
report=()
for t in "${targets[@]}"; do
  exe=$bin/fuzz_$t
  if [ ! -x "$exe" ]; then
    echo "run-fuzzers: no $exe (build the fuzz preset first: make fuzz)" >&2
    exit 2
  fi
  out=$runs/$t
  rm -rf "$out"
  mkdir -p "$out/corpus"
  cp -r tests/fuzz/corpus/"$t"/. "$out/corpus/"
  args=(-max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss_mb"
        -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$out/")
  [ -f tests/fuzz/"$t".dict ] && args+=(-dict=tests/fuzz/"$t".dict)
  echo "run-fuzzers: $t for ${seconds}s (log: $out/log)"
  "$exe" "${args[@]}" "$out/corpus" >"$out/log" 2>&1
  status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/log" | tail -1)
  crashes=$(find "$out" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \
    -o -name 'leak-*' \) | wc -l)
  if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi  # died without an artifact
  [ "$crashes" -gt 0 ] && failed=1
  report+=("$(printf '%-18s %12s %8s  %s' "$t" "${execs:-?}" "$crashes" \
    "$([ "$crashes" -gt 0 ] && echo "see $out/" || echo ok)")")
done

printf '\n%-18s %12s %8s\n' target executions crashes
printf '%s\n' "${report[@]}"
exit $failed
