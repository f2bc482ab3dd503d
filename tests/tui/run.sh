#!/usr/bin/env bash
# Runs every cockpit test script (tests/tui/t_*.sh) against $CONVEYOR, each in its own private tmux server;
# exits non-zero if any fails. Needs tmux, jq and sqlite3. TUI_TIMEOUT=N raises the per-wait deadline (seconds).
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
export CONVEYOR
command -v tmux >/dev/null || { echo "tmux is needed for the cockpit tests (Debian: apt-get install tmux)"; exit 2; }
dir=$(cd "$(dirname "$0")" && pwd)
failed=()
start=$SECONDS
for t in "$dir"/t_*.sh; do
	name=$(basename "$t")
	echo "== tui/$name"
	bash "$t" </dev/null || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "cockpit tests failed: ${failed[*]} ($((SECONDS - start)) s)"
	exit 1
fi
echo "cockpit tests passed ($((SECONDS - start)) s)"
