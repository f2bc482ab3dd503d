#!/usr/bin/env bash
# Benchmark of dispatch (conveyor-dispatch(1)) with pull delivery (the sessions have no tmux session, so every
# command becomes a pull_required inbox item):
#   (a) throughput: N `enqueue-nudge-worker` commands enqueued one process after another (the enqueue rate is
#       reported too), then `dispatch --once --limit N` passes until none is left: commands/s, ms per command;
#   (b) latency: from the start of `enqueue-nudge-worker` to the exit of a waiting
#       `worker-inbox T --consume-next --wait --timeout 10 --interval 0.05` (started beforehand), with a
#       `dispatch --watch --interval 0.05` running: median, min and max of RUNS runs; then once with the
#       default intervals (2 s) of the dispatcher and of the waiter.
#
#   bench/dispatch.sh /absolute/path/to/conveyor
#
# It is a benchmark, not a test: it exits 0 whatever the figures (non-zero only when it cannot run).
#
# Environment knobs:
#   BENCH_COMMANDS=2000  commands of the throughput case
#   BENCH_RUNS=10        timed latency runs
#   BENCH_KEEP=1         keep the work directory (its path is printed)
set -euo pipefail

# die MESSAGE: prints MESSAGE and stops the benchmark (it cannot run).
die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: $0 /absolute/path/to/conveyor"
BIN=$1
case $BIN in /*) ;; *) die "the conveyor binary must be given as an absolute path (got $BIN)" ;; esac
[ -x "$BIN" ] || die "not an executable: $BIN"
command -v jq >/dev/null || die "jq is needed (Debian: apt-get install jq)"
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 is needed (EPOCHREALTIME)"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX=$HERE/../tests/fixtures/codex-0.169/tui-3turns.jsonl
[ -r "$FIX" ] || die "missing $FIX"

N=${BENCH_COMMANDS:-2000}
RUNS=${BENCH_RUNS:-10}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-bench-dispatch.XXXXXX")
DB=$WORK/bench.db
unset TMUX TMUX_PANE
SLEEPER=
WATCHER=
WAITER=
# cleanup: ends the processes this script started and removes the work directory (the EXIT trap).
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
	local p
	for p in "$WAITER" "$WATCHER" "$SLEEPER"; do
		if [ -n "$p" ]; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: work directory kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

# A process that stays alive for the sessions' pids.
sleep 3600 >/dev/null 2>&1 &
SLEEPER=$!

# now_us: the wall clock in microseconds, without a fork.
now_us() { local t=${EPOCHREALTIME/./}; printf '%s' "$t"; }

# cv ARGS...: runs conveyor on the benchmark database, quietly, failing the benchmark when it fails.
cv() { "$BIN" "$@" --path "$DB" >"$WORK/out" 2>"$WORK/err" || die "conveyor $* failed: $(cat "$WORK/err")"; }

# pair TASK: registers a worker and a manager (rollout copies, no tmux session) and binds them to a new TASK.
pair() {
	cp "$FIX" "$WORK/$1-worker.jsonl"
	cp "$FIX" "$WORK/$1-manager.jsonl"
	cv register-worker --name "$1-w" --pid "$SLEEPER" --codex-session "$WORK/$1-worker.jsonl"
	cv register-manager --name "$1-m" --pid "$SLEEPER" --codex-session "$WORK/$1-manager.jsonl"
	cv tasks --create "$1" --goal "dispatch benchmark $1"
	cv bind --task "$1" --worker "$1-w" --manager "$1-m"
}

# stats: median, min and max of the numbers on stdin (microseconds), as "median min max" in ms.
stats() {
	sort -n | awk '{ a[NR] = $1 } END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f\n", m / 1000, a[1] / 1000, a[NR] / 1000 }'
}

# ---- (a) throughput ------------------------------------------------------------------------------------------
pair tput
t0=$(now_us)
for i in $(seq "$N"); do
	"$BIN" enqueue-nudge-worker tput --message "benchmark nudge $i" --path "$DB" >/dev/null 2>"$WORK/err" ||
		die "enqueue $i failed: $(cat "$WORK/err")"
done
t1=$(now_us)
ENQ_US=$((t1 - t0))

PASSES=0
DISPATCHED=0
t0=$(now_us)
while :; do
	cv dispatch --once --limit "$N" --json
	got=$(jq '.processed_count' "$WORK/out")
	[ "$got" -gt 0 ] || break
	PASSES=$((PASSES + 1))
	DISPATCHED=$((DISPATCHED + got))
done
t1=$(now_us)
DISPATCH_US=$((t1 - t0))
[ "$DISPATCHED" -eq "$N" ] || die "dispatched $DISPATCHED of $N commands"
jq -e '.processed_count == 0' "$WORK/out" >/dev/null || die "the last pass was not empty"
cv worker-inbox tput --limit "$N" --json
INBOX=$(jq '[.items[] | select(.delivery_mode == "pull_required")] | length' "$WORK/out")

# ---- (b) latency ---------------------------------------------------------------------------------------------
pair lat

# latency_run WAIT_ARGS...: µs from the enqueue to the exit of a waiter started with WAIT_ARGS (one item consumed).
latency_run() {
	"$BIN" worker-inbox lat --consume-next --wait --timeout 10 "$@" --json --path "$DB" \
		>"$WORK/wait.out" 2>"$WORK/wait.err" &
	WAITER=$!
	sleep 0.3 # the waiter has made its first (empty) poll and sleeps
	local t0 t1
	t0=$(now_us)
	cv enqueue-nudge-worker lat --message "latency probe"
	wait "$WAITER" || die "the waiter failed: $(cat "$WORK/wait.err")"
	t1=$(now_us)
	WAITER=
	jq -e '.consumed != null and .wait.timed_out == false' "$WORK/wait.out" >/dev/null ||
		die "the waiter got nothing: $(cat "$WORK/wait.out")"
	echo $((t1 - t0))
}

# watcher INTERVAL_ARGS...: starts a background `dispatch --watch` with INTERVAL_ARGS and lets it make a pass.
watcher() {
	"$BIN" dispatch --watch "$@" --dispatcher-id bench-watch --path "$DB" >/dev/null 2>"$WORK/watch.err" &
	WATCHER=$!
	sleep 0.2
	kill -0 "$WATCHER" 2>/dev/null || die "dispatch --watch stopped: $(cat "$WORK/watch.err")"
}

# stop_watcher: ends the background dispatcher.
stop_watcher() { kill "$WATCHER" 2>/dev/null || true; wait "$WATCHER" 2>/dev/null || true; WATCHER=; }

watcher --interval 0.05
LAT=$WORK/latency.txt
: >"$LAT"
for i in $(seq "$RUNS"); do latency_run --interval 0.05 >>"$LAT"; done
FAST=$(stats <"$LAT")
stop_watcher

watcher
DEFAULT_US=$(latency_run)
stop_watcher

# ---- report --------------------------------------------------------------------------------------------------
echo "dispatch: pull delivery (no tmux session), $N nudge_worker commands"
awk -v n="$N" -v e="$ENQ_US" -v d="$DISPATCH_US" -v p="$PASSES" -v inbox="$INBOX" 'BEGIN {
	printf "  %-46s %10s %12s\n", "case", "per s", "ms each"
	printf "  %-46s %10.0f %12.2f\n", "enqueue-nudge-worker, one process each", n / (e / 1e6), e / 1000 / n
	printf "  %-46s %10.0f %12.3f\n", sprintf("dispatch --once --limit %d (%d pass%s + 1 empty)", n, p, p == 1 ? "" : "es"),
		n / (d / 1e6), d / 1000 / n
	printf "  (%.2f s to enqueue, %.2f s to dispatch; %d pull_required items in the worker inbox)\n", e / 1e6, d / 1e6, inbox }'
printf 'latency: enqueue-nudge-worker -> worker-inbox --wait returns, %s runs (ms)\n' "$RUNS"
printf '  %-46s %8s %8s %8s\n' case median min max
# shellcheck disable=SC2086  # the figures are three words
printf '  %-46s %8s %8s %8s\n' "dispatch --watch and waiter, --interval 0.05" $FAST
awk -v u="$DEFAULT_US" 'BEGIN { printf "  %-46s %8.1f   (one run)\n", "both at the default --interval 2", u / 1000 }'
exit 0
