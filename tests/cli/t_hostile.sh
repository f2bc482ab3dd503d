#!/usr/bin/env bash
# Hostile input (issue 13's reproducers): escape sequences and newlines in names and argv never reach stderr raw,
# files that are not regular (/dev/zero, a FIFO, a directory) are refused at once, a pid above the system's
# pid_max is refused, a SQLite file that is not a ledger is left alone, a read-only ledger can be read, loose
# modes are tightened once, and nothing is written by a refused command.
. "$(dirname "$0")/lib.sh"

# The bytes a hostile name carries: an OSC 52 clipboard write, a clear-screen, a bell and a newline.
EVIL=$(printf 't\033]52;c;QUJD\007\033[2J\nx')
SHOWN='t\x1b]52;c;QUJD\x07\x1b[2J\x0ax'

# stderr_clean: the last stderr is one line without any control character.
stderr_clean() {
	if [ "$(wc -l <"$ERR")" -eq 1 ] && ! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$ERR"); then good "stderr is one clean line"; else
		bad "stderr is not one clean line: $(od -c "$ERR" | head -3)"
	fi
}

section "an error naming a task from the database shows its control characters, on one line"
ok tasks --create "$EVIL" --goal g
ok finish-task "$EVIL"
fails 2 "Task $SHOWN is already done" stop-task "$EVIL"
stderr_clean
fails 2 "Task $SHOWN is already done" finish-task "$EVIL"
stderr_clean

section "errors naming argv (unknown campaign, unknown command, unknown option) are escaped too"
fails 2 "unknown campaign: $SHOWN" campaign status --name "$EVIL"
stderr_clean
cv "$EVIL"
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "unknown command: $SHOWN" ]; then good "unknown command is escaped"; else bad "unknown command is escaped"; fi
stderr_clean
fails 2 "unknown option --x$(printf '\\x9b')31m for sessions (see conveyor sessions --help)" sessions "--x$(printf '\302\233')31m"
stderr_clean

section "escape sequences in every field a text output shows reach stdout without their control characters"
E=$(printf '\033]52;c;QUJD\007\033[2J\302\233')
C="c$E"
ok campaign create --name "$C" --objective "obj$E"
ok campaign add-slot --name "$C" --slot-key "key$E" --role-label "role$E" --channel "ch$E" --thread-title "title$E"
SLOT=$(dbq "select id from campaign_worker_slots limit 1")
ok campaign brief --name "$C" --channel "ch$E" --brief-json '{"tone":"t\u001b]52;c;QUJD\u0007\u001b[2J\u009b"}'
ok campaign assign --name "$C" --slot "$SLOT" --title "assignment$E" --instructions "do$E" --json
ASSIGNMENT=$(val .assignment_id)
ok campaign asset --name "$C" --slot "$SLOT" --title "asset$E" --asset-type copy --status needs_review \
	--prompt-summary "prompt$E" --review-notes "notes$E" --json
ASSET=$(val .asset_receipt_id)
ok campaign review --name "$C" --asset "$ASSET" --status rejected --reviewer "rev$E" --review-notes "again$E"
ok campaign update-assignment --name "$C" --assignment "$ASSIGNMENT" --status blocked
ok tasks --create "task$E" --goal "goal$E" --summary "sum$E"
ok handoff "task$E" --summary "handoff$E" --next-step "next$E"
# text_clean WHAT: the last stdout is not empty and holds no control character (C0, DEL, C1) but tabs and newlines.
text_clean() {
	is_true "$1 (text) printed something" [ -s "$OUT" ]
	is_true "$1 (text) prints no control character but tabs and newlines" \
		not env LC_ALL=C grep -q $'[\001-\010\013-\037\177]\|\302[\200-\237]' "$OUT"
}
cv campaign status --name "$C" --path "$DB"; text_clean "campaign status"
cv campaign dashboard --name "$C" --path "$DB"; text_clean "campaign dashboard"
cv campaign list --path "$DB"; text_clean "campaign list"
cv tasks --path "$DB"; text_clean tasks
cv telemetry --path "$DB"; text_clean telemetry
cv task-status "task$E" --path "$DB"; text_clean task-status
cv campaign set-status --name "$C" --status paused --path "$DB"; text_clean "campaign set-status"

section "files that are not regular are refused without reading them (no hang, no unbounded read)"
mkfifo "$T/fifo"
before=$(db_digest)
for f in /dev/zero "$T/fifo"; do
	fails 2 "cannot read rollout file $f: not a regular file" register-worker --name w1 --pid $$ --codex-session "$f"
done
fails 2 "cannot read rollout file $T: Is a directory" register-worker --name w1 --pid $$ --codex-session "$T"
[ "$(db_digest)" = "$before" ] && good "a refused register-worker writes nothing" || bad "a refused register-worker writes nothing"
fails 2 "cannot read /dev/zero: not a regular file (--file - reads standard input)" classify --file /dev/zero
fails 2 "cannot read $T/fifo: not a regular file (--file - reads standard input)" classify --file "$T/fifo"
fails 2 "cannot read $T: Is a directory" classify --file "$T"

section "a rollout whose first line never ends is refused after 8 MiB"
head -c $((9 << 20)) /dev/zero | tr '\0' 'x' >"$T/long.jsonl"
fails 2 "rollout file first line is longer than 8 MiB: $T/long.jsonl" register-worker --name w1 --pid $$ \
	--codex-session "$T/long.jsonl"

section "classify reads at most 256 MiB of a stream, and the end of a large file"
cv classify --file - --path "$DB" < <(head -c $((257 << 20)) /dev/zero)
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "standard input is longer than 256 MiB; classify reads a screen capture" ]; then
	good "an endless stdin is refused after 256 MiB"
else
	bad "an endless stdin is refused after 256 MiB"
fi
{ head -c $((20 << 20)) /dev/zero | tr '\0' ' '; printf '\nWould you like to run the following command?\n'; } >"$T/screen"
ok classify --file "$T/screen" --json
jeq .screen.state approval

section "a pid above the system's pid_max is refused (it would be truncated to another process)"
PID_MAX=$(cat /proc/sys/kernel/pid_max)
fails 2 "--pid 4294967297 is above this system's pid_max ($PID_MAX)." register-worker --name w1 --pid 4294967297 \
	--codex-session "$ROLLOUT_FIXTURE"
fails 2 "--pid $((PID_MAX + 1)) is above this system's pid_max ($PID_MAX)." register-worker --name w1 \
	--pid $((PID_MAX + 1)) --codex-session "$ROLLOUT_FIXTURE"
ok register-worker --name w1 --pid $$ --codex-session "$ROLLOUT_FIXTURE"

section "a SQLite file that is not a ledger is refused by reads and writes, and left byte for byte as it was"
HIST="$T/places.sqlite"
sqlite3 -batch "$HIST" "create table moz_places(id integer primary key, url text); create table moz_bookmarks(id);
create table moz_origins(id); create table moz_meta(k, v); insert into moz_places values (1, 'https://example.org');
PRAGMA user_version = 74;"
chmod 644 "$HIST"
sum_before=$(sha256sum <"$HIST")
for args in "campaign list" "sessions" "campaign create --name c --objective o" "tasks --create t --goal g"; do
	# shellcheck disable=SC2086
	cv $args --path "$HIST"
	if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "$HIST is not a conveyor ledger: it holds 4 tables (moz_bookmarks, moz_meta, moz_origins, ...) and none of a ledger's; conveyor leaves it unchanged" ]; then
		good "$args refuses it and says what it found"
	else
		bad "$args refuses it and says what it found"
	fi
done
is_true "the file is unchanged" [ "$(sha256sum <"$HIST")" = "$sum_before" ]
is_true "its mode is unchanged" [ "$(stat -c %a "$HIST")" = 644 ]
is_true "no -wal, -shm or -journal was left beside it" [ -z "$(ls "$HIST"-* 2>/dev/null)" ]
is_true "its journal mode is still delete" [ "$(sqlite3 -batch "$HIST" 'PRAGMA journal_mode')" = delete ]

section "--path at a character device or a directory is refused, with nothing left behind"
cv campaign list --path /dev/null
is_true "a read on /dev/null is refused" [ "$RC" -eq 2 -a "$(cat "$ERR")" = "database /dev/null is not a regular file" ]
is_true "no /dev/null-journal or -wal" [ ! -e /dev/null-journal -a ! -e /dev/null-wal ]
cv campaign create --name c --objective o --path "$T"
is_true "a write on a directory is refused" [ "$RC" -eq 2 -a "$(cat "$ERR")" = "database $T is not a regular file" ]

section "a ledger this user may not write: reads work, writes say why, nothing changes"
RO_DIR=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-ro.XXXXXX")
chmod 755 "$RO_DIR"
RO="$RO_DIR/workerctl.db"
"$CONVEYOR" campaign create --name shared --objective o --path "$RO" >/dev/null
chmod 644 "$RO"
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${AS_NOBODY[@]}" "$CONVEYOR" campaign status --name shared --path "$RO" --json >"$OUT" 2>"$ERR"
RC=$?
is_true "campaign status reads it (exit $RC: $(head -c 200 "$ERR"))" [ "$RC" -eq 0 ]
jeq .campaign.name shared
"${AS_NOBODY[@]}" "$CONVEYOR" campaign create --name other --objective o --path "$RO" >"$OUT" 2>"$ERR"
RC=$?
is_true "campaign create is refused (exit 2)" [ "$RC" -eq 2 ]
is_true "the refusal says the ledger is read-only" \
	[ "$(cat "$ERR")" = "database $RO is read-only for this user: it can be read, not changed" ]
is_true "the ledger still has one campaign" \
	[ "$(sqlite3 -batch "$RO" 'select count(*) from campaigns')" = 1 ]
REF_RO="$RO_DIR/reference.db"
sqlite3 -batch "$REF_RO" ".read $(cd "$(dirname "$ROLLOUT_FIXTURE")/../../.." && pwd)/src/store/schema_v25.sql" "
PRAGMA user_version = 25; insert into schema_migrations values (25, '2025-12-01T00:00:00.000Z');
insert into campaigns values ('campaign-r', 'ref', 'o', 'active', '{}', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');"
chmod 644 "$REF_RO"
ref_sum=$(sha256sum <"$REF_RO")
"${AS_NOBODY[@]}" "$CONVEYOR" campaign list --path "$REF_RO" --json >"$OUT" 2>"$ERR"
RC=$?
is_true "a read-only reference ledger (not yet migrated) can be read (exit $RC: $(head -c 200 "$ERR"))" [ "$RC" -eq 0 ]
jeq '.campaigns[0].name' ref
is_true "and it is not migrated" [ "$(sha256sum <"$REF_RO")" = "$ref_sum" ]
rm -rf "$RO_DIR"

section "the files of a ledger made by hand are made private once, and it is said once"
LOOSE="$T/loose.db"
"$CONVEYOR" campaign create --name l --objective o --path "$LOOSE" >/dev/null
chmod 644 "$LOOSE"
cv campaign list --path "$LOOSE"
is_true "the first command says so on stderr, naming each file" [ "$(cat "$ERR")" = "conveyor: made private: \
$LOOSE (0600, was 0644), $LOOSE-wal (0600, was 0644), $LOOSE-shm (0600, was 0644)" ]
is_true "it still succeeds" [ "$RC" -eq 0 ]
is_true "the database is 0600" [ "$(stat -c %a "$LOOSE")" = 600 ]
cv campaign list --path "$LOOSE"
is_true "the next command says nothing" [ ! -s "$ERR" ]

section "conveyor's own state directory is made private too; a --path directory is not touched"
mkdir -p "$T/home" && cd "$T/home" || exit 1
"$CONVEYOR" campaign create --name d --objective o >/dev/null
chmod 755 .codex-workers
cv campaign list
is_true "the state directory is named in the notice" [ "$(cat "$ERR")" = "conveyor: made private: $T/home/.codex-workers (0700, was 0755)" ]
is_true "the state directory is 0700" [ "$(stat -c %a .codex-workers)" = 700 ]
chmod 755 "$T"
cv campaign list --path "$LOOSE"
is_true "the directory of a --path database keeps its mode" [ "$(stat -c %a "$T")" = 755 ]
mkdir -p "$T/h2" && chmod 755 "$T/h2"
HOME="$T/h2" WORKERCTL_STATE_ROOT="$T/h2" "$CONVEYOR" campaign create --name h --objective o >/dev/null 2>"$ERR"
is_true "a state root that is the home directory keeps its mode" [ "$(stat -c %a "$T/h2")" = 755 ]
is_true "and only the database's files are named" [ "$(cat "$ERR")" = "" ]
cd "$T" || exit 1

section "tail (redacted by default) masks secret-shaped values wherever they are in an event"
GH_TOKEN="ghp_$(printf 'EXAMPLE%.0s' 1 2 3 4 5)0123456"
STRIPE_KEY="sk_live_$(printf 'Ab%.0s' 1 2 3 4 5 6 7 8 9 10)"
PASSWORD_URL="https://bot:hunter2hunter2@git.example.com/r.git"
SECRETS_ROLLOUT="$T/secrets.jsonl"
cat >"$SECRETS_ROLLOUT" <<JSONL
{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"11111111-2222-4333-8444-555555555555","cwd":"/w","instructions":"push with $GH_TOKEN"}}
{"timestamp":"2026-01-01T00:00:01.000Z","type":"response_item","payload":{"type":"function_call","name":"shell","arguments":"{\\"command\\":[\\"git\\",\\"push\\",\\"$PASSWORD_URL\\"]}"}}
{"timestamp":"2026-01-01T00:00:02.000Z","type":"event_msg","payload":{"type":"exec_command_begin","command":["curl","-u","$STRIPE_KEY","https://api.example.com"]}}
{"timestamp":"2026-01-01T00:00:03.000Z","type":"event_msg","payload":{"type":"task_complete","last_agent_message":"done; the key is $STRIPE_KEY"}}
JSONL
ok register-worker --name leaky --pid $$ --codex-session "$SECRETS_ROLLOUT"
ok ingest leaky
ok tail leaky --json
for secret in "$GH_TOKEN" "$STRIPE_KEY" hunter2hunter2; do
	is_true "tail --json does not show ${secret:0:6}..." not grep -qF -- "$secret" "$OUT"
done
jeq '.[0].payload.last_agent_message' '[redacted: a Stripe secret key]'
jeq '.[1].payload.command[2]' '[redacted: a Stripe secret key]'
jeq '.[1].payload.command[0]' curl
jeq '.[2].payload.arguments' '[redacted: a URL with a password]'
jeq '.[3].payload.instructions' '[redacted: a GitHub token]'
jeq '.[3].payload.cwd' /w
ok tail leaky --include-content --json
is_true "--include-content shows the values as they were" grep -qF -- "$STRIPE_KEY" "$OUT"

finish
