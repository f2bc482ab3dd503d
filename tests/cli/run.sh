#!/usr/bin/env bash
# Runs every CLI test script (tests/cli/t_*.sh) against $CONVEYOR; exits non-zero if any fails.
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
export CONVEYOR
dir=$(cd "$(dirname "$0")" && pwd)
failed=()
for t in "$dir"/t_*.sh; do
	name=$(basename "$t")
	echo "== $name"
	bash "$t" || failed+=("$name")
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "CLI tests failed: ${failed[*]}"
	exit 1
fi
echo "CLI tests passed"
