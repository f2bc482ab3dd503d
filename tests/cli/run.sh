#!/usr/bin/env bash
# Runs every CLI test script (tests/cli/t_*.sh) against $CONVEYOR, with prove when it is installed; ends with the
# line `N passed, M failed` (checks across all the scripts) and exits non-zero if any script failed.
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
case $CONVEYOR in /*) ;; *) CONVEYOR=$PWD/$CONVEYOR ;; esac
export CONVEYOR
cd "$(dirname "$0")" || exit 1
. ../tap_runner.sh
if tap_run_suite t_*.sh; then
	echo "CLI tests passed"
else
	echo "CLI tests failed: $SUITE_BROKEN"
fi
tap_summary
