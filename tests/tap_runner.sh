# shellcheck shell=bash
# Runs TAP test scripts for tests/cli/run.sh and tests/tui/run.sh (sourced, not run): with prove when it is
# installed (Debian's perl package has it), one after another otherwise; tap_summary then prints the plain line
# `N passed, M failed` counting test points across all the scripts.
SUITE_PASSED=0
SUITE_FAILED=0
SUITE_BROKEN=""

# tap_run_suite SCRIPT...: runs the scripts, showing their failed test points with diagnostics and their comments;
# sets SUITE_PASSED and SUITE_FAILED (test points) and SUITE_BROKEN (the names of the scripts that failed, space
# separated). Returns 1 when any script failed.
tap_run_suite() {
	local log rc t
	log=$(mktemp "${TMPDIR:-/tmp}/conveyor-tap.XXXXXX") || return 1
	if command -v prove >/dev/null 2>&1; then
		prove --norc --failures --comments "$@" | tee "$log"
		rc=${PIPESTATUS[0]}
		# prove's closing lines: "Files=F, Tests=N, ..." and, for each failed script, "PATH (Wstat: ... Failed: M)".
		SUITE_PASSED=$(sed -nE 's/^Files=[0-9]+, Tests=([0-9]+),.*/\1/p' "$log")
		SUITE_FAILED=$(awk '/ \(Wstat: .*Failed: [0-9]+\)$/ { sub(/.*Failed: /, ""); sub(/\)$/, ""); n += $0 } END { print n + 0 }' "$log")
		SUITE_PASSED=$((${SUITE_PASSED:-0} - SUITE_FAILED))
		SUITE_BROKEN=$(sed -nE 's/^(.*) \(Wstat: .*/\1/p' "$log" | xargs -r -n 1 basename | paste -sd ' ')
		[ "$rc" -eq 0 ] || [ -n "$SUITE_BROKEN" ] || SUITE_BROKEN="(prove exited $rc)"
	else
		for t in "$@"; do
			tap_run_one "$t" "$log"
			SUITE_PASSED=$((SUITE_PASSED + $(grep -c '^ok ' "$log")))
			SUITE_FAILED=$((SUITE_FAILED + $(grep -c '^not ok ' "$log")))
		done
	fi
	rm -f "$log"
	[ -z "$SUITE_BROKEN" ]
}

# tap_run_one SCRIPT LOG: runs SCRIPT with bash, its TAP in LOG, showing its failed test points and comments; adds
# its name to SUITE_BROKEN when it exits non-zero or its plan does not match the test points it printed.
tap_run_one() {
	local name rc plan points
	name=$(basename "$1")
	echo "== $name"
	bash "$1" | tee "$2" | grep -v '^ok '
	rc=${PIPESTATUS[0]}
	plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$2" | tail -n 1)
	points=$(grep -cE '^(not )?ok ' "$2")
	if [ "$rc" -ne 0 ] || [ "$plan" != "$points" ]; then
		echo "   $name failed (exit $rc, plan 1..${plan:-missing}, $points test points)"
		SUITE_BROKEN="$SUITE_BROKEN${SUITE_BROKEN:+ }$name"
	fi
}

# tap_summary: prints `N passed, M failed` for the last tap_run_suite; returns 1 when a script failed.
tap_summary() {
	echo "$SUITE_PASSED passed, $SUITE_FAILED failed"
	[ -z "$SUITE_BROKEN" ]
}
