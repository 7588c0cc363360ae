#!/bin/sh
# Runs every libFuzzer harness of BUILDDIR (set up with -Dfuzzing=true, see README.md) for SECONDS
# each, on a copy of its seed corpus, and exits non-zero if any of them crashed, leaked or hung,
# printing the reproducer's path. Each run is also written to BUILDDIR/meson-logs/fuzzlog.json in
# the shape of meson's testlog.json, so that .ci/run counts it.
# Usage: tests/fuzz/run-fuzzers.sh BUILDDIR SECONDS [HARNESS…]
set -u
if [ $# -lt 2 ]; then
  echo "Usage: $0 BUILDDIR SECONDS [HARNESS…]" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
builddir=$(cd "$1" && pwd) || exit 2
seconds=$2
shift 2
[ $# -gt 0 ] || set -- scenario msel journal http

work=$(mktemp -d "${TMPDIR:-/tmp}/whitecell-fuzz-XXXXXX") || exit 2
log="$builddir/meson-logs/fuzzlog.json"
mkdir -p "$builddir/meson-logs"
: > "$log"
# leaks and undefined behaviour are failures too; a slow input is a hang after 25 s
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export G_DEBUG="gc-friendly" LC_ALL=C.UTF-8 GSETTINGS_BACKEND=memory

failed=0
for name in "$@"; do
  exe="$builddir/tests/fuzz/fuzz-$name"
  dir="$work/$name"
  mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
  if ! grep -qa LLVMFuzzerRunDriver "$exe" 2>/dev/null; then
    echo "fuzz-$name: $exe is not a libFuzzer program (set up $builddir with CC=clang -Dfuzzing=true)" >&2
    result=FAIL
  else
    cp "$here/corpus/$name/"* "$dir/corpus/"
    case $name in
      msel) dict="$here/csv.dict" ;;
      *) dict="$here/json.dict" ;;
    esac
    start=$(date +%s)
    # one job; the found inputs stay in $dir/corpus (to add the interesting ones to the seeds)
    TMPDIR="$dir/tmp" "$exe" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$dir/artifacts/" -dict="$dict" "$dir/corpus" \
      > "$dir/log" 2>&1
    status=$?
    end=$(date +%s)
    if [ $status -eq 0 ] && [ -z "$(ls "$dir/artifacts")" ]; then
      result=OK
      runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log")
      echo "fuzz-$name: OK, ${runs:-?} inputs in $((end - start)) s"
    else
      result=FAIL
      echo "fuzz-$name: FAILED (exit status $status); the end of its log ($dir/log):" >&2
      grep -v '^#[0-9]' "$dir/log" | tail -n 40 >&2
      for artifact in "$dir/artifacts/"*; do
        [ -e "$artifact" ] || continue
        echo "fuzz-$name: reproduce with: $exe $artifact" >&2
      done
    fi
  fi
  [ $result = OK ] || failed=$((failed + 1))
  printf '{"name": "fuzz-run-%s", "result": "%s", "duration": %s}\n' \
    "$name" "$result" "${seconds}" >> "$log"
done

if [ $failed -eq 0 ]; then
  rm -rf "$work"
else
  echo "$failed fuzzer(s) failed; their corpora, logs and reproducers are kept in $work" >&2
fi
[ $failed -eq 0 ]
