#!/usr/bin/env bash
# Runs every cockpit test script (tests/tui/t_*.sh) against $CONVEYOR, each in its own private tmux server, with
# prove when it is installed; prints the time taken, ends with the line `N passed, M failed` (checks across all
# the scripts) and exits non-zero if any script failed. Needs tmux, jq and sqlite3. TUI_TIMEOUT=N raises the
# per-wait deadline (seconds).
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
case $CONVEYOR in /*) ;; *) CONVEYOR=$PWD/$CONVEYOR ;; esac
export CONVEYOR
command -v tmux >/dev/null || { echo "tmux is needed for the cockpit tests (Debian: apt-get install tmux)"; exit 2; }
cd "$(dirname "$0")" || exit 1
. ../tap_runner.sh
start=$SECONDS
if tap_run_suite t_*.sh </dev/null; then
	echo "cockpit tests passed ($((SECONDS - start)) s)"
else
	echo "cockpit tests failed: $SUITE_BROKEN ($((SECONDS - start)) s)"
fi
tap_summary
