# Shared helpers for the CLI tests: run conveyor, check exit codes, stdout/stderr, JSON fields and the database.
# Each test script sources this file, calls `section NAME` before each case, and `finish` at the end. Every check
# prints one TAP test point named after the section and what it checks (tests/tap.sh), so prove runs each script.
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
. "$(dirname "${BASH_SOURCE[0]}")/../tap.sh"
# A real Codex 0.169 rollout (session_meta first line), kept in the repository.
ROLLOUT_FIXTURE=$(cd "$(dirname "${BASH_SOURCE[0]}")/../fixtures/codex-0.169" && pwd)/tui-3turns.jsonl
T=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
export CONVEYOR_NOW=2026-01-01T00:00:00.000Z
unset WORKERCTL_STATE_ROOT CONVEYOR_CLI_PROG
DB="$T/state/workerctl.db"
OUT="$T/.out"
ERR="$T/.err"
RC=0
SECTION=setup

# Names the case that the following checks belong to.
section() { SECTION="$*"; }

# bad WHAT [DETAIL]: a failed check named WHAT, with DETAIL and the last stdout and stderr as diagnostics.
bad() {
	tap_not_ok "$SECTION: $1"
	[ -z "${2-}" ] || tap_diag "$2"
	tap_diag "stdout: $(head -c 600 "$OUT" 2>/dev/null)"
	tap_diag "stderr: $(head -c 600 "$ERR" 2>/dev/null)"
}

# good WHAT: a passed check named WHAT.
good() { tap_ok "$SECTION: $1"; }

# Runs conveyor with the arguments, capturing stdout, stderr and the exit code in RC.
cv() {
	"$CONVEYOR" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# Runs conveyor against $DB and expects exit 0 with nothing on stderr.
ok() {
	cv "$@" --path "$DB"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then good "conveyor $* succeeds"; else bad "conveyor $* succeeds" "exit $RC"; fi
}

# fails CODE MESSAGE ARGS...: runs conveyor against $DB, expects exit CODE, empty stdout and exactly MESSAGE on stderr.
fails() {
	local code=$1 msg=$2
	shift 2
	cv "$@" --path "$DB"
	if [ "$RC" -eq "$code" ] && [ ! -s "$OUT" ] && [ "$(cat "$ERR")" = "$msg" ] && [ "$(wc -l <"$ERR")" -eq 1 ]; then
		good "conveyor $*: exit $code, stderr '$msg'"
	else
		bad "conveyor $*: exit $code, stderr '$msg'" "exit $RC"
	fi
}

# jeq FILTER EXPECTED: the jq -r value of FILTER on the last stdout equals EXPECTED.
jeq() {
	local got
	got=$(jq -r "$1" "$OUT" 2>&1)
	if [ "$got" = "$2" ]; then good "jq '$1' = '$2'"; else bad "jq '$1' = '$2'" "got '$got'"; fi
}

# jtrue FILTER: FILTER is true for the last stdout.
jtrue() {
	if jq -e "$1" "$OUT" >/dev/null 2>&1; then good "jq '$1' is true"; else bad "jq '$1' is true"; fi
}

# out_is TEXT: the last stdout is exactly TEXT plus a trailing newline.
out_is() {
	if [ "$(cat "$OUT")" = "$1" ] && [ "$(tail -c 1 "$OUT" | od -An -c | tr -d ' ')" = '\n' ]; then
		good "stdout is: $1"
	else
		bad "stdout is: $1" "expected stdout: $1"
	fi
}

# out_has TEXT: the last stdout contains TEXT as a whole line.
out_has() {
	if grep -qxF -- "$1" "$OUT"; then good "stdout has the line: $1"; else bad "stdout has the line: $1"; fi
}

# out_lacks TEXT: no line of the last stdout contains TEXT.
out_lacks() {
	if grep -qF -- "$1" "$OUT"; then bad "stdout lacks: $1"; else good "stdout lacks: $1"; fi
}

# val: the jq -r value of FILTER on the last stdout (for capturing ids).
val() { jq -r "$1" "$OUT"; }

# dbq SQL: runs SQL on $DB and prints the result.
dbq() { sqlite3 -batch "$DB" "$1"; }

# dbeq SQL EXPECTED: the result of SQL on $DB equals EXPECTED.
dbeq() {
	local got
	got=$(dbq "$1" 2>&1)
	if [ "$got" = "$2" ]; then good "sql '$1' = '$2'"; else bad "sql '$1' = '$2'" "got '$got'"; fi
}

# A fingerprint of everything in $DB, to prove a command wrote nothing.
db_digest() { sqlite3 -batch "$DB" .dump | sha256sum; }

# same_db DIGEST: $DB still has fingerprint DIGEST.
same_db() {
	if [ "$(db_digest)" = "$1" ]; then good "the database is unchanged"; else bad "the database is unchanged"; fi
}

# refused CODE MESSAGE ARGS...: fails with MESSAGE and leaves the database exactly as it was (a suite may define
# its own refused instead).
refused() {
	local before
	before=$(db_digest)
	fails "$@"
	same_db "$before"
}

# rc_is CODE: the last exit code.
rc_is() { if [ "$RC" -eq "$1" ]; then good "exit $1"; else bad "exit $1" "got exit $RC"; fi; }

# is_true TEXT CONDITION...: a shell condition holds (TEXT names it).
is_true() {
	local what=$1
	shift
	if "$@"; then good "$what"; else bad "$what"; fi
}

# not CONDITION...: the condition does not hold.
not() { ! "$@"; }

# jmatch FILTER REGEX: the jq -r value of FILTER matches the extended REGEX as a whole.
jmatch() {
	if jq -r "$1" "$OUT" 2>/dev/null | grep -Eqx -- "$2"; then
		good "jq '$1' matches $2"
	else
		bad "jq '$1' matches $2" "got '$(jq -r "$1" "$OUT" 2>&1)'"
	fi
}

# Ends the script: prints the TAP plan and exits 1 if any check failed.
finish() { tap_plan; }
