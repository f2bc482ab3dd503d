#!/usr/bin/env bash
# --dry-run on every writing campaign action as a user sees it: the JSON and text it prints (the real output plus
# dry_run), nothing written (no row, no event), the same domain and validation errors as a real run, and no
# database file created, at --path or at the default location, not even by argument errors.
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:10:00.000Z

# slot_row SLOT_ID: the lifecycle columns of a slot, |-separated.
slot_row() {
	echo "select session_id, codex_app_thread_id, codex_app_thread_title, state, metadata_json from campaign_worker_slots where id = '$1'"
}

# events_n: the number of audit events.
events_n() { dbq "select count(*) from events"; }

# line_is N TEXT: line N of the last stdout is exactly TEXT.
line_is() {
	local got
	got=$(sed -n "${1}p" "$OUT")
	if [ "$got" = "$2" ]; then good "stdout line $1 is '$2'"; else bad "stdout line $1 is '$2'" "got '$got'"; fi
}

# line_matches N REGEX: line N of the last stdout matches the extended REGEX as a whole.
line_matches() {
	if sed -n "${1}p" "$OUT" | grep -Eqx -- "$2"; then good "stdout line $1 matches $2"; else bad "stdout line $1 matches $2"; fi
}

# no_file PATH: PATH does not exist.
no_file() { if [ -e "$1" ]; then bad "no file $1"; else good "no file $1"; fi; }

# ---------------------------------------------------------------------------------------------------------------
section "dry-run: fixture"
ok campaign create --name dry --objective 'Dry runs' --json
DCID=$(val .campaign_id)
ok campaign add-slot --name dry --slot-key d1 --role-label x --thread-id thr_d1 --thread-title 'D one' --state idle --json
DS1=$(val .slot_id)
ok campaign assign --name dry --slot d1 --title 'Draft cut' --instructions i --json
DA1=$(val .assignment_id)
ok campaign asset --name dry --slot d1 --title 'Draft v1' --asset-type video --status needs_review --json
DX1=$(val .asset_receipt_id)
ok campaign brief --name dry --channel tiktok --brief-json '{"tone":"dry"}' --json
DB1=$(val .brief_id)

section "dry-run create"
d=$(db_digest)
n=$(events_n)
ok campaign create --name dry2 --objective 'Not written' --dry-run --json
jeq .dry_run true
jeq .action create
jeq .campaign dry2
jeq .created true
jtrue '.campaign_id | test("^campaign-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")'
jeq 'keys | join(",")' 'action,campaign,campaign_id,created,dry_run'
dbeq "select count(*) from campaigns where name = 'dry2' or id = '$(val .campaign_id)'" 0
ok campaign create --name dry2 --objective 'Not written' --dry-run
line_is 1 'dry-run: nothing written'
line_matches 2 'campaign dry2 created campaign-[0-9a-f-]{36}'
if [ "$(wc -l <"$OUT")" -eq 2 ]; then good "two lines"; else bad "two lines"; fi
same_db "$d"
dbeq "select count(*) from events" "$n"

section "dry-run add-slot"
d=$(db_digest)
ok campaign add-slot --name dry --slot-key d2 --role-label y --dry-run --json
jeq .dry_run true
jeq .action add-slot
jeq .created true
jeq .slot_key d2
jtrue '.slot_id | startswith("campaign-slot-")'
ok campaign add-slot --name dry --slot-key d2 --role-label y --dry-run
line_is 1 'dry-run: nothing written'
line_matches 2 'campaign dry slot d2 created campaign-slot-[0-9a-f-]{36}'
same_db "$d"
dbeq "select count(*) from campaign_worker_slots where slot_key = 'd2'" 0

section "dry-run attach-slot"
d=$(db_digest)
ok campaign attach-slot --name dry --slot d1 --thread-title 'D renamed' --state active --dry-run --json
jeq .dry_run true
jeq .action attach-slot
jeq .updated true
jeq .slot.id "$DS1"
jeq .slot.codex_app_thread_title 'D renamed'
jeq .slot.state active
jeq .slot.codex_app_thread_id thr_d1
ok campaign attach-slot --name dry --slot d1 --thread-title 'D renamed' --state active --dry-run
line_is 1 'dry-run: nothing written'
line_is 2 "campaign dry slot d1 attached $DS1"
same_db "$d"
dbeq "$(slot_row "$DS1")" '|thr_d1|D one|idle|{}'

section "dry-run rotate-slot"
d=$(db_digest)
ok campaign rotate-slot --name dry --slot d1 --expected-thread-id thr_d1 --thread-id thr_d2 --dry-run --json
jeq .dry_run true
jeq .action rotate-slot
jeq .expected_thread_id thr_d1
jeq .slot.codex_app_thread_id thr_d2
jeq .slot.codex_app_thread_title null
ok campaign rotate-slot --name dry --slot d1 --expected-thread-id thr_d1 --thread-id thr_d2 --dry-run
out_is 'dry-run: nothing written
campaign dry slot d1 rotated thr_d1 -> thr_d2'
same_db "$d"

section "dry-run archive-slot"
d=$(db_digest)
ok campaign archive-slot --name dry --slot d1 --expected-thread-id thr_d1 --dry-run --json
jeq .dry_run true
jeq .action archive-slot
jeq .slot.state archived
ok campaign archive-slot --name dry --slot d1 --expected-thread-id thr_d1 --dry-run
out_is "dry-run: nothing written
campaign dry slot d1 archived $DS1"
same_db "$d"
dbeq "select state from campaign_worker_slots where id = '$DS1'" idle

section "dry-run brief (new channel and existing channel)"
d=$(db_digest)
ok campaign brief --name dry --channel reels --brief-json '{"tone":"new"}' --dry-run --json
jeq .dry_run true
jeq .action brief
jeq .channel reels
jeq .upserted true
jtrue '.brief_id | startswith("campaign-brief-")'
ok campaign brief --name dry --channel tiktok --brief-json '{"tone":"changed"}' --dry-run --json
jeq .brief_id "$DB1"
ok campaign brief --name dry --channel tiktok --brief-json '{"tone":"changed"}' --dry-run
out_is "dry-run: nothing written
campaign dry brief tiktok upserted $DB1"
same_db "$d"
dbeq "select brief_json from campaign_channel_briefs where id = '$DB1'" '{"tone":"dry"}'

section "dry-run assign"
d=$(db_digest)
ok campaign assign --name dry --slot d1 --title 'Ghost' --instructions i --dry-run --json
jeq .dry_run true
jeq .action assign
jeq .created true
jeq .slot_id "$DS1"
GA=$(val .assignment_id)
ok campaign assign --name dry --slot d1 --title 'Ghost' --instructions i --dry-run
line_is 1 'dry-run: nothing written'
line_matches 2 'campaign dry assignment created campaign-assignment-[0-9a-f-]{36}'
same_db "$d"
dbeq "select count(*) from campaign_assignments where id = '$GA' or title = 'Ghost'" 0

section "dry-run asset"
d=$(db_digest)
ok campaign asset --name dry --slot d1 --title 'Ghost asset' --asset-type image --dry-run --json
jeq .dry_run true
jeq .action asset
jeq .created true
jeq .slot_id "$DS1"
jtrue '.asset_receipt_id | startswith("campaign-asset-")'
ok campaign asset --name dry --slot d1 --title 'Ghost asset' --asset-type image --dry-run
line_is 1 'dry-run: nothing written'
line_matches 2 'campaign dry asset receipt created campaign-asset-[0-9a-f-]{36}'
same_db "$d"

section "dry-run set-status"
d=$(db_digest)
ok campaign set-status --name dry --status paused --dry-run --json
jeq .dry_run true
jeq .action set-status
jeq .campaign_id "$DCID"
jeq .previous_status active
jeq .status paused
jeq .updated true
ok campaign set-status --name dry --status paused --dry-run
out_is 'dry-run: nothing written
campaign dry status active -> paused'
same_db "$d"
dbeq "select status from campaigns where id = '$DCID'" active

section "dry-run update-assignment"
d=$(db_digest)
export CONVEYOR_NOW=$T1
ok campaign update-assignment --name dry --assignment "$DA1" --status done --dry-run --json
jeq .dry_run true
jeq .action update-assignment
jeq .previous_status queued
jeq .assignment.status done
jeq .assignment.completed_at "$T1"
jeq .assignment.updated_at "$T1"
ok campaign update-assignment --name dry --assignment "$DA1" --status done --dry-run
out_is "dry-run: nothing written
campaign dry assignment $DA1 queued -> done"
same_db "$d"
dbeq "select status, completed_at is null, updated_at from campaign_assignments where id = '$DA1'" "queued|1|$T0"

section "dry-run review"
d=$(db_digest)
ok campaign review --name dry --asset "$DX1" --status approved --reviewer dana --dry-run --json
jeq .dry_run true
jeq .action review
jeq .previous_status needs_review
jeq .asset.status approved
jeq .asset.reviewer dana
jeq .asset.reviewed_at "$T1"
ok campaign review --name dry --asset "$DX1" --status approved --reviewer dana --dry-run
out_is "dry-run: nothing written
campaign dry asset $DX1 needs_review -> approved"
same_db "$d"
dbeq "select status, reviewer is null, reviewed_at is null from campaign_asset_receipts where id = '$DX1'" 'needs_review|1|1'
export CONVEYOR_NOW=$T0

section "dry-run output equals the real output plus dry_run"
ok campaign attach-slot --name dry --slot d1 --thread-title 'D two' --dry-run --json
jq -S 'del(.dry_run)' "$OUT" >"$T/dry.json"
ok campaign attach-slot --name dry --slot d1 --thread-title 'D two' --json
jtrue 'has("dry_run") | not'
if [ "$(jq -S . "$OUT")" = "$(cat "$T/dry.json")" ]; then
	good "the dry-run output is the real one's"
else
	bad "the dry-run output is the real one's"
fi
dbeq "select codex_app_thread_title from campaign_worker_slots where id = '$DS1'" 'D two'

section "dry-run still fails on domain and validation errors, writing nothing"
d=$(db_digest)
fails 2 'unknown campaign: nope' campaign add-slot --name nope --slot-key a --role-label b --dry-run
fails 2 'unknown campaign: nope' campaign set-status --name nope --status done --dry-run
fails 2 'UNIQUE constraint failed: campaigns.name' campaign create --name dry --objective again --dry-run
fails 2 'UNIQUE constraint failed: campaign_worker_slots.campaign_id, campaign_worker_slots.slot_key' \
	campaign add-slot --name dry --slot-key d1 --role-label again --dry-run
fails 2 'campaign worker slot thread guard does not match' \
	campaign rotate-slot --name dry --slot d1 --expected-thread-id wrong --thread-id thr_x --dry-run
fails 2 'unknown campaign assignment: nope' campaign update-assignment --name dry --assignment nope --status done --dry-run
fails 2 'unknown campaign asset receipt: nope' campaign review --name dry --asset nope --status approved --dry-run
fails 2 '--status must be one of: active, blocked, cancelled, done, queued' \
	campaign assign --name dry --slot d1 --title t --instructions i --status finished --dry-run
same_db "$d"

section "dry-run in a fresh directory creates no database"
mkdir -p "$T/fresh"
cv campaign create --name x --objective y --dry-run --json --path "$T/fresh/state/w.db"
rc_is 0
jeq .dry_run true
jeq .created true
no_file "$T/fresh/state/w.db"
cv campaign create --name x --objective y --dry-run --path "$T/fresh/state/w.db"
rc_is 0
line_is 1 'dry-run: nothing written'
no_file "$T/fresh/state/w.db"
cv campaign add-slot --name x --slot-key k --role-label r --dry-run --path "$T/fresh/state/w.db"
rc_is 2
if [ "$(cat "$ERR")" = 'unknown campaign: x' ]; then good "stderr is unknown campaign: x"; else bad "stderr is unknown campaign: x"; fi
no_file "$T/fresh/state/w.db"
cv campaign set-status --name x --status done --dry-run --path "$T/fresh/state/w.db"
rc_is 2
no_file "$T/fresh/state/w.db"
no_file "$T/fresh/state/w.db-wal"
no_file "$T/fresh/state/w.db-journal"

section "argument errors of writing actions never create the database"
V="$T/fresh/args/w.db"
for args in "set-status --name x" "update-assignment --name x --status done" "review --name x --asset a --status draft" \
	"attach-slot --name x --slot s --metadata-json [1]" "archive-slot --name x --slot s" "create --name x" \
	"brief --name x --channel c" "add-slot --name x --slot-key k --role-label r --state bogus" \
	"asset --name x --slot s --title t --asset-type gif" "assign --name x --slot s --title t" \
	"rotate-slot --name x --slot s --thread-id t" "create --objective o" "create --name x --objective o --metadata-json {x"; do
	# shellcheck disable=SC2086
	cv campaign $args --path "$V"
	rc_is 2
done
no_file "$V"

section "dry-run at the default database location creates nothing"
mkdir -p "$T/fresh-cwd"
cd "$T/fresh-cwd" || exit 1
cv campaign create --name x --objective y --dry-run --json
rc_is 0
jeq .dry_run true
no_file "$T/fresh-cwd/.codex-workers/workerctl.db"
cv campaign add-slot --name x --slot-key k --role-label r --dry-run
rc_is 2
no_file "$T/fresh-cwd/.codex-workers/workerctl.db"
cd "$T" || exit 1

finish
