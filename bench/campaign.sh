#!/usr/bin/env bash
# Benchmark of `campaign dashboard --json` and `campaign status --json` (docs/performance.md).
#
#   bench/campaign.sh /absolute/path/to/conveyor        (what `make bench` runs)
#
# Builds three databases with conveyor itself plus a bulk fill (bench/campaign_fill.sql) through the sqlite3
# CLI, times both commands on each with hyperfine (or a plain loop when hyperfine is missing), prints median,
# min and max wall time and the output size, and checks the targets:
#   one-slot campaign <= 5 ms; 200 slots / 2,000 assignments / 5,000 assets <= 20 ms;
#   ten times the data (2,000 / 20,000 / 50,000) in <= 12 times the time of the base case.
# It is a benchmark, not a test: it exits 0 when a target is missed (non-zero only when it cannot run).
#
# Environment knobs:
#   BENCH_RUNS=30        timed runs per command (one-slot and base cases)
#   BENCH_RUNS_10X=15    timed runs per command for the 10x case
#   BENCH_WARMUP=3       untimed warm-up runs before each measurement
#   BENCH_NO_HYPERFINE=1 use the plain timing loop even when hyperfine is installed
#   BENCH_KEEP=1         keep the benchmark databases (their directory is printed) instead of deleting them
#   BENCH_CASES="one base 10x"  which cases to run
set -euo pipefail

die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: $0 /absolute/path/to/conveyor"
BIN=$1
case $BIN in /*) ;; *) die "the conveyor binary must be given as an absolute path (got $BIN)" ;; esac
[ -x "$BIN" ] || die "not an executable: $BIN"
command -v sqlite3 >/dev/null || die "the sqlite3 command-line shell is needed (Debian: apt-get install sqlite3)"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FILL_SQL=$HERE/campaign_fill.sql
[ -r "$FILL_SQL" ] || die "missing $FILL_SQL"

RUNS=${BENCH_RUNS:-30}
RUNS_10X=${BENCH_RUNS_10X:-15}
WARMUP=${BENCH_WARMUP:-3}
CASES=${BENCH_CASES:-one base 10x}
CAMPAIGN=bench-launch
# The fixed "now" of every timed run (and of the fill's heartbeats), so lifecycles and output are reproducible.
BENCH_NOW=2026-01-15T12:00:00.000Z

TARGET_ONE_MS=5
TARGET_BASE_MS=20
TARGET_RATIO=12

USE_HYPERFINE=0
if [ -z "${BENCH_NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null; then
	USE_HYPERFINE=1
elif [ -z "${BENCH_NO_HYPERFINE:-}" ]; then
	echo "bench: hyperfine not found; using a plain timing loop (Debian: apt-get install hyperfine)"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-bench.XXXXXX")
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: databases kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

# Wall-clock now in microseconds, without forking when bash provides EPOCHREALTIME.
now_us() {
	if [ -n "${EPOCHREALTIME:-}" ]; then
		local t=${EPOCHREALTIME/[.,]/}
		echo "$t"
	else
		echo $(($(date +%s%N) / 1000))
	fi
}

# build_db NAME SLOTS ASSIGNMENTS ASSETS BRIEFS: creates $WORK/NAME.db with conveyor, then bulk-fills it.
build_db() {
	local name=$1 slots=$2 assign=$3 assets=$4 briefs=$5
	local db=$WORK/$name.db t0 t1 out
	t0=$(now_us)
	CONVEYOR_NOW=2026-01-10T08:59:00.000Z "$BIN" campaign create --name "$CAMPAIGN" \
		--objective 'Launch week content across eight channels' --path "$db" >/dev/null ||
		die "conveyor campaign create failed"
	CONVEYOR_NOW=2026-01-10T08:59:00.000Z "$BIN" campaign add-slot --name "$CAMPAIGN" --slot-key slot-00000 \
		--role-label 'TikTok editor' --channel tiktok --path "$db" >/dev/null ||
		die "conveyor campaign add-slot failed"
	out=$( { printf "CREATE TEMP TABLE bench_params AS SELECT %d AS n_slots, %d AS n_assign, %d AS n_assets, %d AS n_briefs, '%s' AS campaign_name;\n" \
			"$slots" "$assign" "$assets" "$briefs" "$CAMPAIGN"; cat "$FILL_SQL"; } |
		sqlite3 -bail "$db" 2>&1) || die "bulk fill of $name failed: $out"
	# The fill ends with foreign_key_check (prints nothing when clean) and a checkpoint (prints one row).
	[ "$(printf '%s\n' "$out" | grep -vc '^0|[0-9-]*|[0-9-]*$' || true)" -eq 0 ] ||
		die "bulk fill of $name left problems: $out"
	t1=$(now_us)
	local got
	got=$(sqlite3 "$db" "select (select count(*) from campaign_worker_slots) || ' slots, ' ||
		(select count(*) from campaign_assignments) || ' assignments, ' ||
		(select count(*) from campaign_asset_receipts) || ' assets, ' ||
		(select count(*) from campaign_channel_briefs) || ' briefs, ' ||
		(select count(*) from sessions) || ' sessions'")
	printf 'built %-5s %s; %s bytes; %d ms\n' "$name" "$got" "$(stat -c %s "$db")" $(((t1 - t0) / 1000))
}

# time_loop OUT RUNS WARMUP CMD...: the fallback timer; writes one run time in ms per line to OUT.
time_loop() {
	local out=$1 runs=$2 warmup=$3 i t0 t1
	shift 3
	for ((i = 0; i < warmup; i++)); do "$@" >/dev/null; done
	: >"$out"
	for ((i = 0; i < runs; i++)); do
		t0=$(now_us)
		"$@" >/dev/null
		t1=$(now_us)
		awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1000 }' >>"$out"
	done
}

# Reads "median min max" (ms) from a file of one time per line.
stats_of_lines() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f\n", m, v[1], v[NR] }'
}

# Reads "median min max" (ms) from a hyperfine --export-json file (one benchmark in it).
stats_of_hyperfine() {
	if command -v jq >/dev/null; then
		jq -r '.results[0] | "\(.median * 1000) \(.min * 1000) \(.max * 1000)"' "$1" |
			awk '{ printf "%.3f %.3f %.3f\n", $1, $2, $3 }'
	else
		awk -F': *' '/"(median|min|max)":/ { gsub(/[ ,"]/, "", $1); gsub(/[ ,]/, "", $2); v[$1] = $2 }
			END { printf "%.3f %.3f %.3f\n", v["median"] * 1000, v["min"] * 1000, v["max"] * 1000 }' "$1"
	fi
}

declare -A MEDIAN
RESULTS=$WORK/results.txt
: >"$RESULTS"

# measure CASE COMMAND RUNS: times `conveyor campaign COMMAND --json` on $WORK/CASE.db.
measure() {
	local case=$1 cmd=$2 runs=$3 db=$WORK/$1.db stats bytes
	local argv=("$BIN" campaign "$cmd" --name "$CAMPAIGN" --path "$db" --json)
	export CONVEYOR_NOW=$BENCH_NOW
	"${argv[@]}" >"$WORK/out.json" || die "conveyor campaign $cmd failed on $case"
	bytes=$(wc -c <"$WORK/out.json")
	if [ "$USE_HYPERFINE" = 1 ]; then
		local q="'$BIN' campaign $cmd --name $CAMPAIGN --path '$db' --json"
		hyperfine -N --style none --warmup "$WARMUP" --runs "$runs" --output null \
			--export-json "$WORK/hf.json" "$q" >/dev/null 2>"$WORK/hf.err" ||
			die "hyperfine failed on $case $cmd: $(cat "$WORK/hf.err")"
		stats=$(stats_of_hyperfine "$WORK/hf.json")
	else
		time_loop "$WORK/times.txt" "$runs" "$WARMUP" "${argv[@]}"
		stats=$(stats_of_lines "$WORK/times.txt")
	fi
	unset CONVEYOR_NOW
	read -r med min max <<<"$stats"
	MEDIAN[$case/$cmd]=$med
	printf '%-5s %-9s %9s %9s %9s %11s %5s\n' "$case" "$cmd" "$med" "$min" "$max" "$bytes" "$runs" >>"$RESULTS"
}

# verdict VALUE LIMIT: PASS when VALUE <= LIMIT.
verdict() { awk -v v="$1" -v l="$2" 'BEGIN { print (v <= l) ? "PASS" : "FAIL" }'; }

echo "conveyor campaign benchmark: $BIN"
echo "timer: $([ "$USE_HYPERFINE" = 1 ] && hyperfine --version || echo 'shell loop (EPOCHREALTIME)'); runs $RUNS (10x: $RUNS_10X), warm-up $WARMUP; CONVEYOR_NOW=$BENCH_NOW"
echo "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1)"
echo

for c in $CASES; do
	case $c in
	one) build_db one 1 3 5 1 ;;
	base) build_db base 200 2000 5000 5 ;;
	10x) build_db 10x 2000 20000 50000 5 ;;
	*) die "unknown case $c (one, base, 10x)" ;;
	esac
done
echo

for c in $CASES; do
	runs=$RUNS
	[ "$c" = 10x ] && runs=$RUNS_10X
	for cmd in dashboard status; do
		measure "$c" "$cmd" "$runs"
	done
done

printf '%-5s %-9s %9s %9s %9s %11s %5s\n' case command median_ms min_ms max_ms out_bytes runs
cat "$RESULTS"
echo

fails=0 checks=0
check() { # check LABEL VALUE LIMIT UNIT
	local v
	checks=$((checks + 1))
	v=$(verdict "$2" "$3")
	[ "$v" = PASS ] || fails=$((fails + 1))
	printf '%-4s %-44s %9s %s (target <= %s %s)\n' "$v" "$1" "$2" "$4" "$3" "$4"
}
for cmd in dashboard status; do
	[ -n "${MEDIAN[one/$cmd]:-}" ] && check "one-slot $cmd median" "${MEDIAN[one/$cmd]}" $TARGET_ONE_MS ms
	[ -n "${MEDIAN[base/$cmd]:-}" ] && check "base (200/2,000/5,000) $cmd median" "${MEDIAN[base/$cmd]}" $TARGET_BASE_MS ms
	if [ -n "${MEDIAN[base/$cmd]:-}" ] && [ -n "${MEDIAN[10x/$cmd]:-}" ]; then
		ratio=$(awk -v a="${MEDIAN[10x/$cmd]}" -v b="${MEDIAN[base/$cmd]}" 'BEGIN { printf "%.2f", a / b }')
		check "10x/base $cmd ratio" "$ratio" $TARGET_RATIO x
	fi
done
echo
if [ "$checks" -eq 0 ]; then
	echo "no target applies to the cases run (targets need the one and base cases, the ratio needs base and 10x)"
elif [ "$fails" -eq 0 ]; then
	echo "all $checks targets met"
else
	echo "TARGETS MISSED: $fails (see FAIL lines above)"
fi
exit 0
