# Shared helpers for the CLI tests: run conveyor, check exit codes, stdout/stderr, JSON fields and the database.
# Each test script sources this file, calls `section NAME` before each case, and `finish` at the end.
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
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
FAILS=0
CHECKS=0
SECTION="-"

# Names the case that the following checks belong to.
section() { SECTION="$*"; }

# Records a failed check with its details.
bad() {
	FAILS=$((FAILS + 1))
	echo "FAIL [$SECTION] $*"
	echo "  stdout: $(head -c 600 "$OUT" 2>/dev/null)"
	echo "  stderr: $(head -c 600 "$ERR" 2>/dev/null)"
}

# Counts a passed check.
good() { CHECKS=$((CHECKS + 1)); }

# Runs conveyor with the arguments, capturing stdout, stderr and the exit code in RC.
cv() {
	"$CONVEYOR" "$@" >"$OUT" 2>"$ERR"
	RC=$?
}

# Runs conveyor against $DB and expects exit 0 with nothing on stderr.
ok() {
	cv "$@" --path "$DB"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then good; else bad "expected success: conveyor $*"; fi
}

# fails CODE MESSAGE ARGS...: runs conveyor against $DB, expects exit CODE, empty stdout and exactly MESSAGE on stderr.
fails() {
	local code=$1 msg=$2
	shift 2
	cv "$@" --path "$DB"
	if [ "$RC" -eq "$code" ] && [ ! -s "$OUT" ] && [ "$(cat "$ERR")" = "$msg" ] && [ "$(wc -l <"$ERR")" -eq 1 ]; then
		good
	else
		bad "expected exit $code and stderr '$msg' (got exit $RC): conveyor $*"
	fi
}

# jeq FILTER EXPECTED: the jq -r value of FILTER on the last stdout equals EXPECTED.
jeq() {
	local got
	got=$(jq -r "$1" "$OUT" 2>&1)
	if [ "$got" = "$2" ]; then good; else bad "jq '$1' = '$got', expected '$2'"; fi
}

# jtrue FILTER: FILTER is true for the last stdout.
jtrue() {
	if jq -e "$1" "$OUT" >/dev/null 2>&1; then good; else bad "jq '$1' is not true"; fi
}

# out_is TEXT: the last stdout is exactly TEXT plus a trailing newline.
out_is() {
	if [ "$(cat "$OUT")" = "$1" ] && [ "$(tail -c 1 "$OUT" | od -An -c | tr -d ' ')" = '\n' ]; then good; else bad "stdout is not: $1"; fi
}

# out_has TEXT: the last stdout contains TEXT as a whole line.
out_has() {
	if grep -qxF -- "$1" "$OUT"; then good; else bad "stdout has no line: $1"; fi
}

# out_lacks TEXT: no line of the last stdout contains TEXT.
out_lacks() {
	if grep -qF -- "$1" "$OUT"; then bad "stdout contains: $1"; else good; fi
}

# val: the jq -r value of FILTER on the last stdout (for capturing ids).
val() { jq -r "$1" "$OUT"; }

# dbq SQL: runs SQL on $DB and prints the result.
dbq() { sqlite3 -batch "$DB" "$1"; }

# dbeq SQL EXPECTED: the result of SQL on $DB equals EXPECTED.
dbeq() {
	local got
	got=$(dbq "$1" 2>&1)
	if [ "$got" = "$2" ]; then good; else bad "sql '$1' = '$got', expected '$2'"; fi
}

# A fingerprint of everything in $DB, to prove a command wrote nothing.
db_digest() { sqlite3 -batch "$DB" .dump | sha256sum; }

# same_db DIGEST: $DB still has fingerprint DIGEST.
same_db() {
	if [ "$(db_digest)" = "$1" ]; then good; else bad "database changed"; fi
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
rc_is() { if [ "$RC" -eq "$1" ]; then good; else bad "exit $RC, expected $1"; fi; }

# is_true TEXT CONDITION...: a shell condition holds (TEXT names it).
is_true() {
	local what=$1
	shift
	if "$@"; then good; else bad "$what"; fi
}

# not CONDITION...: the condition does not hold.
not() { ! "$@"; }

# jmatch FILTER REGEX: the jq -r value of FILTER matches the extended REGEX as a whole.
jmatch() {
	if jq -r "$1" "$OUT" 2>/dev/null | grep -Eqx -- "$2"; then good; else bad "jq '$1' = '$(jq -r "$1" "$OUT" 2>&1)' does not match $2"; fi
}

# Ends the script: prints the tally and exits 1 if any check failed.
finish() {
	echo "   $CHECKS checks passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
}
