# shellcheck shell=bash
# TAP output shared by the CLI, cockpit and end-to-end test helpers (sourced, not run): one test point per check
# (`ok N - NAME` or `not ok N - NAME`), `# ` comment lines for diagnostics and notes, and the plan `1..N` at the
# end, so that `prove` can run every t_*.sh. TAP_N counts the test points, TAP_FAILED the failed ones.
TAP_N=0
TAP_FAILED=0
TAP_NAME=""
TAP_NAME_MAX=200

# tap_name TEXT: sets TAP_NAME to TEXT as one short TAP description: control characters (newlines, tabs, escapes)
# become spaces, past TAP_NAME_MAX characters it is cut with "...", and '\' and '#' are escaped (an unescaped '#'
# would start a directive). Returns 1 when it cut TEXT.
tap_name() {
	local LC_ALL=C.UTF-8 cut=0
	TAP_NAME=${1//[[:cntrl:]]/ }
	if [ "${#TAP_NAME}" -gt "$TAP_NAME_MAX" ]; then
		TAP_NAME="${TAP_NAME:0:$((TAP_NAME_MAX - 3))}..."
		cut=1
	fi
	TAP_NAME=${TAP_NAME//\\/\\\\}
	TAP_NAME=${TAP_NAME//[#]/\\#}
	return "$cut"
}

# tap_ok NAME: prints a passed test point.
tap_ok() {
	TAP_N=$((TAP_N + 1))
	tap_name "$1"
	printf 'ok %d - %s\n' "$TAP_N" "$TAP_NAME"
}

# tap_not_ok NAME: prints a failed test point, and NAME in full as a diagnostic when it had to be cut (further
# diagnostics follow with tap_diag).
tap_not_ok() {
	local cut=0
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	tap_name "$1" || cut=1
	printf 'not ok %d - %s\n' "$TAP_N" "$TAP_NAME"
	[ "$cut" -eq 0 ] || tap_diag "in full: $1"
}

# tap_diag TEXT: prints every line of TEXT as a `# ` comment line.
tap_diag() { printf '%s\n' "$1" | awk '{ print "# " $0 }'; }

# tap_plan: prints the plan line (the number of test points printed) and returns 1 when any of them failed.
tap_plan() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}
