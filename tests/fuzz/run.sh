#!/bin/sh
# Runs each fuzz target for SECONDS on a scratch corpus under DIR (DIR/corpus/<target>, started from the seeds in
# DIR/seeds/<target>), one target at a time, and fails when any of them finds a crash, a leak, a timeout or an
# out-of-memory input, printing the reproducer it saved and the command that replays it.
# Usage (from the top of the repository): tests/fuzz/run.sh DIR SECONDS TARGET...
set -eu
dir=$1
secs=$2
shift 2
case $secs in
'' | *[!0-9]* | 0 | 0*)
	# libFuzzer reads -max_total_time=0 as no limit at all.
	echo "fuzz: FUZZ_SECONDS must be a whole number of seconds, at least 1, not '$secs'" >&2
	exit 2
	;;
esac
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
	export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$dir/logs"
failed=""
for t in "$@"; do
	corpus=$dir/corpus/$t
	artifacts=$dir/artifacts/$t
	log=$dir/logs/$t.log
	mkdir -p "$corpus" "$artifacts"
	cp "$dir/seeds/$t"/* "$corpus/"
	dict=""
	[ -f "$dir/seeds/$t.dict" ] && dict="-dict=$dir/seeds/$t.dict"
	rc=0
	# shellcheck disable=SC2086
	"$dir/bin/$t" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=25 -print_final_stats=1 \
		-artifact_prefix="$artifacts/" $dict "$corpus" >"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	kept=$(sed -n 's/.*DONE .* corp: \([0-9]*\)\/\([^ ]*\) .*/\1 inputs, \2/p' "$log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz: $t ok: ${runs:-?} runs in $secs s (${speed:-?} exec/s), corpus ${kept:-?}"
		continue
	fi
	failed="$failed $t"
	echo "fuzz: $t FAILED (exit $rc); the end of $log:" >&2
	tail -n 40 "$log" >&2
	repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
	if [ -n "$repro" ]; then
		echo "fuzz: $t reproducer: $repro" >&2
		echo "fuzz: replay it with: $dir/bin/$t $repro" >&2
	fi
done
if [ -n "$failed" ]; then
	echo "fuzz: failed:$failed" >&2
	exit 1
fi
