#!/usr/bin/env bash
# Benchmark of the observation commands (conveyor-observe(1)):
#   (a) `ingest` throughput: a ~50 MB rollout built from the real Codex 0.169 fixture lines (a ~21 KB session_meta
#       first line, the lines of a real interactive session repeated, and a ~20 KB tool-output line in every
#       turn), ingested in one go: MB/s, ms, events;
#   (b) `cycle` latency on a bound worker/manager pair whose worker has a few thousand ingested events: median,
#       min and max of N runs, without a tmux pane and with a real pane in a private tmux server.
#
#   bench/observe.sh /absolute/path/to/conveyor
#
# It is a benchmark, not a test: it exits 0 whatever the figures (non-zero only when it cannot run).
#
# Environment knobs:
#   BENCH_INGEST_MB=50   size of the ingest rollout in MB
#   BENCH_EVENTS=3000    events of the cycle worker
#   BENCH_RUNS=20        timed cycle runs per case
#   BENCH_KEEP=1         keep the work directory (its path is printed)
set -euo pipefail

die() { printf 'bench: %s\n' "$*" >&2; exit 2; }

[ $# -eq 1 ] || die "usage: $0 /absolute/path/to/conveyor"
BIN=$1
case $BIN in /*) ;; *) die "the conveyor binary must be given as an absolute path (got $BIN)" ;; esac
[ -x "$BIN" ] || die "not an executable: $BIN"
command -v jq >/dev/null || die "jq is needed (Debian: apt-get install jq)"

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
FIX=$HERE/../tests/fixtures/codex-0.169
SRC=$FIX/tui-approval-interrupt-steer.jsonl
[ -r "$SRC" ] || die "missing $SRC"

INGEST_MB=${BENCH_INGEST_MB:-50}
EVENTS=${BENCH_EVENTS:-3000}
RUNS=${BENCH_RUNS:-20}
export CONVEYOR_NOW=2026-11-25T09:00:00.000Z

WORK=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-bench-observe.XXXXXX")
unset TMUX TMUX_PANE
export TMUX_TMPDIR=$WORK/tmux
mkdir -p "$TMUX_TMPDIR"
SLEEPER=
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
	command -v tmux >/dev/null && tmux kill-server 2>/dev/null || true
	[ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null || true
	if [ -n "${BENCH_KEEP:-}" ]; then
		echo "bench: work directory kept in $WORK"
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

# A process that stays alive for the sessions' pids.
sleep 3600 </dev/null >/dev/null 2>&1 &
SLEEPER=$!

now_ns() { date +%s%N; }

# conveyor ARGS...: runs conveyor on the benchmark database, quietly, failing the benchmark when it fails.
cv() { "$BIN" "$@" --path "$WORK/bench.db" >"$WORK/out" 2>"$WORK/err" || die "conveyor $* failed: $(cat "$WORK/err")"; }

# ---- the rollouts --------------------------------------------------------------------------------------------
# session_meta with a ~21 KB base_instructions text, as in real files
meta() {
	jq -c --arg text "$(head -c 21000 /dev/zero | tr '\0' 'x')" \
		'.payload.base_instructions = {text: $text}' <(head -n 1 "$SRC")
}
# one block: the session's lines after session_meta, plus a ~20 KB CommandExecution output in the first turn
BLOCK=$WORK/block.jsonl
{
	sed -n '2,12p' "$SRC"
	jq -c --arg out "$(head -c 20000 /dev/zero | tr '\0' 'o')" \
		'.payload.item.aggregated_output = $out' <(grep -m1 '"CommandExecution"' "$SRC")
	sed -n '13,$p' "$SRC"
} >"$BLOCK"
BLOCK_LINES=$(wc -l <"$BLOCK")

# build FILE BYTES: a rollout of at least BYTES bytes (session_meta + repeated blocks)
build() {
	meta >"$1"
	local chunk=$WORK/chunk.jsonl
	: >"$chunk"
	local i
	for i in $(seq 64); do cat "$BLOCK" >>"$chunk"; done
	while [ "$(stat -c %s "$1")" -lt "$2" ]; do cat "$chunk" >>"$1"; done
}

# ---- (a) ingest throughput -----------------------------------------------------------------------------------
BIG=$WORK/rollout-big.jsonl
build "$BIG" $((INGEST_MB * 1000 * 1000))
BIG_BYTES=$(stat -c %s "$BIG")
BIG_LINES=$(wc -l <"$BIG")
LONGEST=$(awk '{ if (length($0) > m) m = length($0) } END { print m }' "$BIG")
cv register-worker --name big --pid "$SLEEPER" --codex-session "$BIG"
t0=$(now_ns)
cv ingest big
t1=$(now_ns)
INGEST_MS=$(((t1 - t0) / 1000000))
INGESTED=$(jq .new_events "$WORK/out")
[ "$INGESTED" -eq "$BIG_LINES" ] || die "ingest read $INGESTED events of $BIG_LINES lines"

# ---- (b) cycle latency ---------------------------------------------------------------------------------------
# cycle_case TASK: median/min/max ms of RUNS cycles (after one untimed cycle), as "median min max"
cycle_case() {
	cv cycle "$1" --json
	local times=() i t0 t1
	for i in $(seq "$RUNS"); do
		t0=$(now_ns)
		cv cycle "$1" --json
		t1=$(now_ns)
		times+=($(((t1 - t0) / 1000)))
	done
	printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END {
		m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
		printf "%.1f %.1f %.1f\n", m / 1000, a[1] / 1000, a[NR] / 1000 }'
}

CW=$WORK/rollout-cycle.jsonl
meta >"$CW"
while [ "$(wc -l <"$CW")" -lt "$EVENTS" ]; do cat "$BLOCK" >>"$CW"; done
head -n "$EVENTS" "$CW" >"$CW.tmp" && mv "$CW.tmp" "$CW"
cp "$FIX/exec-missing-key-error.jsonl" "$WORK/manager.jsonl"
cv register-worker --name cw --pid "$SLEEPER" --codex-session "$CW"
cv register-manager --name cm --pid "$SLEEPER" --codex-session "$WORK/manager.jsonl"
cv tasks --create bench-cycle --goal 'cycle latency'
cv bind --task bench-cycle --worker cw --manager cm
NO_TMUX=$(cycle_case bench-cycle)
WITH_TMUX="(tmux not installed)"
if command -v tmux >/dev/null; then
	CT=$WORK/rollout-cycle-tmux.jsonl
	cp "$CW" "$CT"
	tmux new-session -d -s bench-pane -x 200 -y 50 "cat '$FIX/panes/04-busy.txt'; exec sleep 3600"
	cv register-worker --name tw --pid "$SLEEPER" --codex-session "$CT" --tmux-session bench-pane
	cv register-manager --name tm --pid "$SLEEPER" --codex-session "$WORK/manager.jsonl"
	cv tasks --create bench-tmux --goal 'cycle latency with a pane'
	cv bind --task bench-tmux --worker tw --manager tm
	WITH_TMUX=$(cycle_case bench-tmux)
	jq -e '.pane_signal.captured' "$WORK/out" >/dev/null || die "the tmux pane was not captured"
fi
CYCLE_EVENTS=$(sqlite3 "$WORK/bench.db" "select count(*) from codex_events where session_id = (select id from sessions where name = 'cw')" 2>/dev/null || echo "$EVENTS")

# ---- report --------------------------------------------------------------------------------------------------
awk -v b="$BIG_BYTES" -v ms="$INGEST_MS" -v n="$BIG_LINES" -v l="$LONGEST" -v bl="$BLOCK_LINES" 'BEGIN {
	printf "ingest: %.1f MB rollout, %d lines (%d per session block, longest %d bytes)\n", b / 1e6, n, bl, l
	printf "  %d ms, %.1f MB/s, %.0f events/s\n", ms, (b / 1e6) / (ms / 1000), n / (ms / 1000) }'
printf 'cycle: worker with %s events, %s timed runs (ms)\n' "$CYCLE_EVENTS" "$RUNS"
printf '  %-14s %8s %8s %8s\n' case median min max
# shellcheck disable=SC2086  # the figures are three words
printf '  %-14s %8s %8s %8s\n' "no tmux" $NO_TMUX
# shellcheck disable=SC2086
printf '  %-14s %8s %8s %8s\n' "tmux pane" $WITH_TMUX
