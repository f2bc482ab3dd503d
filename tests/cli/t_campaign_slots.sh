#!/usr/bin/env bash
# Campaign worker slots as a user sees them: attach-slot and rotate-slot keep every field whose flag is not given,
# archived slots and their reactivation, archive-slot --no-thread, --slot by key or id, the needs_session state,
# --stale-after, and the text dashboard's slot and blocker lines.
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:10:00.000Z
T2=2026-01-01T00:20:00.000Z

# add_session ID STATE HEARTBEAT [ROLE]: inserts a session row directly, because these cases need a chosen id,
# state and heartbeat, which register-worker does not take.
add_session() {
	local hb="'$3'"
	[ "$3" = null ] && hb=null
	dbq "insert into sessions(id, name, role, identity_token, pid, cwd, registered_at, last_heartbeat_at, state)
	     values ('$1', 'name-$1', '${4:-worker}', 'token-$1', 4242, '/tmp', '$T0', $hb, '$2')"
}

# slot_row SLOT_ID: the lifecycle columns of a slot, |-separated.
slot_row() {
	echo "select session_id, codex_app_thread_id, codex_app_thread_title, state, metadata_json from campaign_worker_slots where id = '$1'"
}

# ---------------------------------------------------------------------------------------------------------------
section "setup: campaign, worker sessions"
ok campaign create --name launch --objective 'Launch week' --json
CID=$(val .campaign_id)
add_session session-w1 active "$T0"
add_session session-w2 active "$T0"
add_session session-m1 active "$T0" manager
dbeq "select count(*) from sessions" 3

section "attach-slot: a field whose flag is omitted keeps its value"
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok \
	--session-id session-w1 --thread-id thr_1 --thread-title 'Thread one' --state idle \
	--metadata-json '{"tier":"gold"}' --json
S1=$(val .slot_id)
export CONVEYOR_NOW=$T1
ok campaign attach-slot --name launch --slot "$S1" --json
jeq .action attach-slot
jeq .campaign launch
jeq .updated true
jeq .slot.id "$S1"
jeq .slot.session_id session-w1
jeq .slot.codex_app_thread_id thr_1
jeq .slot.codex_app_thread_title 'Thread one'
jeq .slot.state idle
jeq '.slot.metadata | tojson' '{"tier":"gold"}'
jeq .slot.channel tiktok
jeq .slot.created_at "$T0"
jeq .slot.updated_at "$T1"
jtrue 'has("dry_run") | not'
dbeq "$(slot_row "$S1")" 'session-w1|thr_1|Thread one|idle|{"tier":"gold"}'
dbeq "select created_at, updated_at from campaign_worker_slots where id = '$S1'" "$T0|$T1"

section "attach-slot: only the given title changes"
ok campaign attach-slot --name launch --slot "$S1" --thread-title 'Thread one (renamed)' --json
jeq .slot.codex_app_thread_title 'Thread one (renamed)'
jeq .slot.codex_app_thread_id thr_1
jeq .slot.session_id session-w1
jeq .slot.state idle
dbeq "$(slot_row "$S1")" 'session-w1|thr_1|Thread one (renamed)|idle|{"tier":"gold"}'

section "attach-slot: only the given session and thread change"
ok campaign attach-slot --name launch --slot "$S1" --session-id session-w2 --json
dbeq "$(slot_row "$S1")" 'session-w2|thr_1|Thread one (renamed)|idle|{"tier":"gold"}'
ok campaign attach-slot --name launch --slot "$S1" --thread-id thr_1b --json
jeq .slot.codex_app_thread_id thr_1b
dbeq "$(slot_row "$S1")" 'session-w2|thr_1b|Thread one (renamed)|idle|{"tier":"gold"}'

section "attach-slot: --metadata-json replaces the metadata, the rest stays"
ok campaign attach-slot --name launch --slot "$S1" --metadata-json '{"tier":"silver","n":2}' --json
jeq '.slot.metadata | tojson' '{"n":2,"tier":"silver"}'
dbeq "$(slot_row "$S1")" 'session-w2|thr_1b|Thread one (renamed)|idle|{"n":2,"tier":"silver"}'

section "attach-slot: --state changes the state (and only the state)"
ok campaign attach-slot --name launch --slot "$S1" --state active --json
jeq .slot.state active
dbeq "$(slot_row "$S1")" 'session-w2|thr_1b|Thread one (renamed)|active|{"n":2,"tier":"silver"}'
ok campaign attach-slot --name launch --slot "$S1" --status idle
out_is "campaign launch slot tiktok attached $S1"
dbeq "select state from campaign_worker_slots where id = '$S1'" idle

section "attach-slot: --state and --status are one value, the last one wins"
ok campaign attach-slot --name launch --slot "$S1" --state active --status planned --json
jeq .slot.state planned
ok campaign attach-slot --name launch --slot "$S1" --status active --state idle --json
jeq .slot.state idle
dbeq "select state from campaign_worker_slots where id = '$S1'" idle

section "attach-slot: a blocked slot stays blocked without --state"
ok campaign add-slot --name launch --slot-key reels --role-label 'Reels editor' --state blocked --json
S2=$(val .slot_id)
ok campaign attach-slot --name launch --slot "$S2" --session-id session-w1 --thread-id thr_r --thread-title 'Reels' --json
jeq .slot.state blocked
dbeq "$(slot_row "$S2")" 'session-w1|thr_r|Reels|blocked|{}'
ok campaign attach-slot --name launch --slot "$S2" --state active
dbeq "select state from campaign_worker_slots where id = '$S2'" active

section "attach-slot: enum, session and slot errors write nothing"
d=$(db_digest)
fails 2 '--state must be one of: active, archived, blocked, idle, planned' campaign attach-slot --name launch --slot "$S1" --state sleeping
fails 2 'unknown session: session-nope' campaign attach-slot --name launch --slot "$S1" --session-id session-nope
fails 2 'campaign worker slot requires a worker session, got manager' campaign attach-slot --name launch --slot "$S1" --session-id session-m1
fails 2 'unknown campaign worker slot: nope' campaign attach-slot --name launch --slot nope --state active
fails 2 'campaign requires --slot' campaign attach-slot --name launch --state active
same_db "$d"

section "rotate-slot: session kept, title null without --thread-title, state kept"
export CONVEYOR_NOW=$T2
# tiktok: session-w2, thread thr_1b, title 'Thread one (renamed)', state idle.
ok campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_1b --thread-id thr_2 --json
jeq .action rotate-slot
jeq .expected_thread_id thr_1b
jeq .updated true
jeq .slot.codex_app_thread_id thr_2
jeq .slot.codex_app_thread_title null
jeq .slot.session_id session-w2
jeq .slot.state idle
jeq .slot.updated_at "$T2"
dbeq "$(slot_row "$S1")" 'session-w2|thr_2||idle|{"n":2,"tier":"silver"}'
dbeq "select codex_app_thread_title is null from campaign_worker_slots where id = '$S1'" 1

section "rotate-slot: --thread-title sets the title; text output"
ok campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_2 --thread-id thr_3 --thread-title 'Thread three'
out_is 'campaign launch slot tiktok rotated thr_2 -> thr_3'
dbeq "$(slot_row "$S1")" 'session-w2|thr_3|Thread three|idle|{"n":2,"tier":"silver"}'

section "rotate-slot: --session-id and --state change them"
ok campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_3 --thread-id thr_4 --session-id session-w1 --state active --json
jeq .slot.session_id session-w1
jeq .slot.state active
dbeq "$(slot_row "$S1")" 'session-w1|thr_4||active|{"n":2,"tier":"silver"}'

section "rotate-slot: guard mismatch and missing flags write nothing"
d=$(db_digest)
fails 2 'campaign worker slot thread guard does not match' campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_3 --thread-id thr_5
fails 2 'campaign requires --expected-thread-id' campaign rotate-slot --name launch --slot "$S1" --thread-id thr_5
fails 2 'campaign requires --thread-id' campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_4
same_db "$d"

section "archived slot: attach and rotate refused without --state"
ok campaign archive-slot --name launch --slot "$S1" --expected-thread-id thr_4 --json
jeq .slot.state archived
jeq .slot.codex_app_thread_id thr_4
jeq .expected_thread_id thr_4
dbeq "$(slot_row "$S1")" 'session-w1|thr_4||archived|{"n":2,"tier":"silver"}'
d=$(db_digest)
fails 2 'campaign worker slot tiktok is archived; attach-slot needs an explicit --state to reactivate it' \
	campaign attach-slot --name launch --slot "$S1"
fails 2 'campaign worker slot tiktok is archived; attach-slot needs an explicit --state to reactivate it' \
	campaign attach-slot --name launch --slot "$S1" --thread-title 'New title'
fails 2 'campaign worker slot tiktok is archived; rotate-slot needs an explicit --state to reactivate it' \
	campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_4 --thread-id thr_5
fails 2 'campaign worker slot tiktok is archived; rotate-slot needs an explicit --state to reactivate it' \
	campaign rotate-slot --name launch --slot tiktok --expected-thread-id thr_4 --thread-id thr_5 --dry-run
same_db "$d"

section "archived slot: attach with --state reactivates it"
ok campaign attach-slot --name launch --slot "$S1" --state idle --json
jeq .slot.state idle
dbeq "$(slot_row "$S1")" 'session-w1|thr_4||idle|{"n":2,"tier":"silver"}'

section "archived slot: rotate with --state reactivates it"
ok campaign archive-slot --name launch --slot "$S1" --expected-thread-id thr_4
out_is "campaign launch slot tiktok archived $S1"
ok campaign rotate-slot --name launch --slot "$S1" --expected-thread-id thr_4 --thread-id thr_5 --state active --json
jeq .slot.state active
dbeq "$(slot_row "$S1")" 'session-w1|thr_5||active|{"n":2,"tier":"silver"}'

section "archive-slot --no-thread archives a slot with no thread"
ok campaign add-slot --name launch --slot-key shorts --role-label 'Shorts editor' --json
S3=$(val .slot_id)
ok campaign archive-slot --name launch --slot "$S3" --no-thread --json
jeq .action archive-slot
jeq .slot.state archived
jeq .slot.codex_app_thread_id null
jeq .expected_thread_id null
jeq .updated true
dbeq "$(slot_row "$S3")" '|||archived|{}'

section "archive-slot --no-thread text output"
ok campaign add-slot --name launch --slot-key stories --role-label 'Stories editor' --json
S4=$(val .slot_id)
ok campaign archive-slot --name launch --slot stories --no-thread
out_is "campaign launch slot stories archived $S4"
dbeq "select state from campaign_worker_slots where id = '$S4'" archived

section "archive-slot --no-thread is refused on a slot with a thread"
d=$(db_digest)
fails 2 'campaign worker slot thread guard does not match' campaign archive-slot --name launch --slot "$S1" --no-thread
same_db "$d"
dbeq "select state, codex_app_thread_id from campaign_worker_slots where id = '$S1'" 'active|thr_5'

section "archive-slot: --no-thread with --expected-thread-id, and neither"
d=$(db_digest)
fails 2 '--expected-thread-id and --no-thread cannot be used together' \
	campaign archive-slot --name launch --slot "$S1" --no-thread --expected-thread-id thr_5
fails 2 'campaign requires --expected-thread-id' campaign archive-slot --name launch --slot "$S1"
# A null thread never matches a guard value.
ok campaign add-slot --name launch --slot-key threadless --role-label x --json
d=$(db_digest)
fails 2 'campaign worker slot thread guard does not match' campaign archive-slot --name launch --slot threadless --expected-thread-id thr_5
same_db "$d"

section "--slot accepts a slot key and a slot id"
ok campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three cuts' --json
jeq .slot_id "$S1"
A1=$(val .assignment_id)
dbeq "select slot_id from campaign_assignments where id = '$A1'" "$S1"
ok campaign assign --name launch --slot "$S1" --title 'Second cut' --instructions 'Two cuts' --json
jeq .slot_id "$S1"
ok campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --assignment "$A1" --json
jeq .slot_id "$S1"
dbeq "select slot_id, channel from campaign_asset_receipts where id = '$(val .asset_receipt_id)'" "$S1|tiktok"
ok campaign attach-slot --name launch --slot reels --thread-title 'Reels by key' --json
jeq .slot.id "$S2"
dbeq "select codex_app_thread_title from campaign_worker_slots where id = '$S2'" 'Reels by key'
ok campaign rotate-slot --name launch --slot reels --expected-thread-id thr_r --thread-id thr_r2 --json
jeq .slot.id "$S2"
jeq .slot.codex_app_thread_id thr_r2

section "--slot: a key resolves within the --name campaign only"
ok campaign create --name other --objective 'Other campaign' --json
OID=$(val .campaign_id)
ok campaign add-slot --name other --slot-key only-there --role-label x --json
OS1=$(val .slot_id)
ok campaign add-slot --name other --slot-key tiktok --role-label 'Other tiktok' --json
OS2=$(val .slot_id)
d=$(db_digest)
fails 2 'unknown campaign worker slot: only-there' campaign assign --name launch --slot only-there --title t --instructions i
fails 2 'unknown campaign worker slot: only-there' campaign attach-slot --name launch --slot only-there --state active
fails 2 "slot does not belong to campaign $CID" campaign assign --name launch --slot "$OS1" --title t --instructions i
fails 2 "slot does not belong to campaign $CID" campaign attach-slot --name launch --slot "$OS2" --state active
same_db "$d"
ok campaign assign --name other --slot tiktok --title t --instructions i --json
jeq .slot_id "$OS2"
ok campaign assign --name "$OID" --slot only-there --title t --instructions i --json
jeq .slot_id "$OS1"
jeq .campaign "$OID"

# ---------------------------------------------------------------------------------------------------------------
section "needs_session: setup (gone session, deleted session, no session)"
export CONVEYOR_NOW=$T0
ok campaign create --name sess --objective 'Session checks' --json
SCID=$(val .campaign_id)
add_session session-gone gone "$T0"
add_session session-deleted active "$T0"
ok campaign add-slot --name sess --slot-key a-gone --role-label x --thread-id thr_g --session-id session-gone --state active
ok campaign add-slot --name sess --slot-key b-deleted --role-label x --thread-id thr_d --session-id session-deleted --state active
ok campaign add-slot --name sess --slot-key c-nosession --role-label x --thread-id thr_n --state active
ok campaign add-slot --name sess --slot-key d-live --role-label x --thread-id thr_l --session-id session-w1 --state active
dbq "PRAGMA foreign_keys=OFF; delete from sessions where id = 'session-deleted';"
dbeq "select count(*) from sessions where id = 'session-deleted'" 0
dbeq "select session_id from campaign_worker_slots where slot_key = 'b-deleted'" session-deleted

section "needs_session: a slot whose session is gone"
ok campaign dashboard --name sess --json
jeq .campaign.id "$SCID"
jeq '.slots[0].slot_key' a-gone
jeq '.slots[0].lifecycle.state' needs_session
jeq '.slots[0].lifecycle.operator_message' 'Worker session is gone; register a live worker or attach another session.'
jeq '.slots[0].lifecycle.stale' false
jeq '.slots[0].session.state' gone
jeq '.slots[0].blockers | tojson' '["worker slot a-gone has no registered worker session"]'

section "needs_session: a slot whose session no longer exists"
jeq '.slots[1].slot_key' b-deleted
jeq '.slots[1].lifecycle.state' needs_session
jeq '.slots[1].lifecycle.operator_message' 'Worker session is gone; register a live worker or attach another session.'
jeq '.slots[1].lifecycle.stale' false
jeq '.slots[1].lifecycle.stale_seconds' null
jeq '.slots[1].session' null
jeq '.slots[1].blockers | tojson' '["worker slot b-deleted has no registered worker session"]'

section "needs_session: no session_id at all is still the native-app case; a live session is active"
jeq '.slots[2].lifecycle.state' active
jeq '.slots[2].lifecycle.operator_message' 'Codex app worker slot is active.'
jeq '.slots[2].blockers | tojson' '[]'
jeq '.slots[3].lifecycle.state' active
jeq '.slots[3].lifecycle.operator_message' 'Worker slot is active.'
jeq '.slots[3].lifecycle.stale_seconds' 0

section "needs_session: campaign blockers, summary and next action"
jeq '.blockers | tojson' '["worker slot a-gone has no registered worker session","worker slot b-deleted has no registered worker session"]'
jeq .summary.stale_slots 0
jeq .next_manager_action.action wake_or_rotate_workers
jeq .next_manager_action.reason 'One or more worker slots are stale or missing session/thread metadata.'
ok campaign dashboard --name sess
out_is 'campaign sess active
next wake_or_rotate_workers: One or more worker slots are stale or missing session/thread metadata.
workers active=4 stale=0 blocked=0 archived=0
assignments active=0 blocked=0 cancelled=0 done=0 queued=0
assets approved=0 draft=0 needs_review=0 published=0 rejected=0
approvals needs_review=0 approved=0 rejected=0 published=0
blockers 2
blocker worker slot a-gone has no registered worker session
blocker worker slot b-deleted has no registered worker session
slot a-gone active needs_session assignments=0 assets=0
slot b-deleted active needs_session assignments=0 assets=0
slot c-nosession active active assignments=0 assets=0
slot d-live active active assignments=0 assets=0'

section "needs_session: a gone session with an old heartbeat is needs_session, not stale"
export CONVEYOR_NOW=$T2
ok campaign dashboard --name sess --json
jeq '[.slots[].lifecycle.state] | join(",")' 'needs_session,needs_session,active,stale'
jeq .summary.stale_slots 1
jeq '.blockers | tojson' '["worker slot a-gone has no registered worker session","worker slot b-deleted has no registered worker session","worker slot d-live heartbeat is stale"]'
jeq .next_manager_action.action wake_or_rotate_workers
export CONVEYOR_NOW=$T0

section "needs_session: rule order (after archived/blocked, before needs_thread)"
ok campaign create --name order --objective 'Rule order' --json
ok campaign add-slot --name order --slot-key a-blocked --role-label x --thread-id thr --session-id session-gone --state blocked
ok campaign add-slot --name order --slot-key b-archived --role-label x --thread-id thr --session-id session-gone --state archived
ok campaign add-slot --name order --slot-key c-nothread --role-label x --session-id session-gone --state active
ok campaign dashboard --name order --json
jeq '.slots[0].lifecycle.state' blocked
jeq '.slots[0].blockers | tojson' '["worker slot a-blocked is blocked"]'
jeq '.slots[1].lifecycle.state' archived
jeq '.slots[1].blockers | tojson' '[]'
jeq '.slots[2].lifecycle.state' needs_session
jeq '.slots[2].blockers | tojson' '["worker slot c-nothread has no registered worker session"]'
jeq .next_manager_action.action resolve_worker_blockers

section "needs_session: list follows (not stale, next wake_or_rotate_workers)"
ok campaign list --json
jeq '.campaigns[] | select(.name == "sess") | .stale_slots' 0
jeq '.campaigns[] | select(.name == "sess") | .next_manager_action.action' wake_or_rotate_workers

# ---------------------------------------------------------------------------------------------------------------
section "--stale-after: setup (heartbeat at T0)"
ok campaign create --name beat --objective 'Heartbeats' --json
ok campaign add-slot --name beat --slot-key w --role-label x --thread-id thr_w --session-id session-w2 --state active
dbeq "select last_heartbeat_at from sessions where id = 'session-w2'" "$T0"

section "--stale-after default: 300 s old is fresh"
export CONVEYOR_NOW=2026-01-01T00:05:00.000Z
ok campaign dashboard --name beat --json
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale' false
jeq '.slots[0].lifecycle.stale_seconds' 300
jeq .summary.stale_slots 0
jeq .next_manager_action.action assign_work

section "--stale-after default: 301 s old is stale"
export CONVEYOR_NOW=2026-01-01T00:05:01.000Z
ok campaign dashboard --name beat --json
jeq '.slots[0].lifecycle.state' stale
jeq '.slots[0].lifecycle.stale' true
jeq '.slots[0].lifecycle.stale_seconds' 301
jeq '.slots[0].lifecycle.operator_message' 'Wake or rotate this worker before assigning more work.'
jeq '.slots[0].blockers | tojson' '["worker slot w heartbeat is stale"]'
jeq .summary.stale_slots 1
jeq .next_manager_action.action wake_or_rotate_workers
ok campaign list
out_has 'beat active slots=1 stale=1 assignments=0 assets=0 next=wake_or_rotate_workers'

section "--stale-after 300 given explicitly equals the default"
ok campaign dashboard --name beat --stale-after 300 --json
jeq '.slots[0].lifecycle.state' stale
export CONVEYOR_NOW=2026-01-01T00:05:00.000Z
ok campaign dashboard --name beat --stale-after 300 --json
jeq '.slots[0].lifecycle.state' active

section "--stale-after N: exactly N seconds is fresh, N+1 is stale"
export CONVEYOR_NOW=2026-01-01T00:01:00.000Z
ok campaign dashboard --name beat --stale-after 60 --json
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale_seconds' 60
ok campaign list --stale-after 60 --json
jeq '.campaigns[] | select(.name == "beat") | .stale_slots' 0
export CONVEYOR_NOW=2026-01-01T00:01:01.000Z
ok campaign dashboard --name beat --stale-after 60 --json
jeq '.slots[0].lifecycle.state' stale
jeq '.slots[0].lifecycle.stale_seconds' 61
jeq .summary.stale_slots 1
ok campaign list --stale-after 60 --json
jeq '.campaigns[] | select(.name == "beat") | .stale_slots' 1
jeq '.campaigns[] | select(.name == "beat") | .next_manager_action.action' wake_or_rotate_workers
ok campaign dashboard --name beat --stale-after 61 --json
jeq '.slots[0].lifecycle.state' active

section "--stale-after: a large value keeps an hour-old heartbeat fresh; 0 keeps only age 0 fresh"
export CONVEYOR_NOW=2026-01-01T01:00:00.000Z
ok campaign dashboard --name beat --json
jeq '.slots[0].lifecycle.state' stale
ok campaign dashboard --name beat --stale-after 3600 --json
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale_seconds' 3600
export CONVEYOR_NOW=$T0
ok campaign dashboard --name beat --stale-after 0 --json
jeq '.slots[0].lifecycle.state' active
export CONVEYOR_NOW=2026-01-01T00:00:01.000Z
ok campaign dashboard --name beat --stale-after 0 --json
jeq '.slots[0].lifecycle.state' stale

section "--stale-after: rounding to whole seconds (half up)"
export CONVEYOR_NOW=2026-01-01T00:05:00.499Z
ok campaign dashboard --name beat --json
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale_seconds' 300
export CONVEYOR_NOW=2026-01-01T00:05:00.500Z
ok campaign dashboard --name beat --json
jeq '.slots[0].lifecycle.state' stale
jeq '.slots[0].lifecycle.stale_seconds' 301

section "--stale-after rejects a non-integer"
d=$(db_digest)
fails 2 '--stale-after must be a non-negative integer.' campaign dashboard --name beat --stale-after soon
fails 2 '--stale-after must be a non-negative integer.' campaign list --stale-after -5
same_db "$d"
export CONVEYOR_NOW=$T0

# ---------------------------------------------------------------------------------------------------------------
section "text dashboard: ten slots, every slot line and one blocker line per blocker"
ok campaign create --name big --objective 'Ten slots' --json
for i in 01 02 03 04 05 06 07 08 09 10; do
	case $i in
	02) ok campaign add-slot --name big --slot-key "s$i" --role-label x --thread-id "thr_$i" --state blocked ;;
	05) ok campaign add-slot --name big --slot-key "s$i" --role-label x --state planned ;;
	*) ok campaign add-slot --name big --slot-key "s$i" --role-label x --thread-id "thr_$i" --state active ;;
	esac
done
ok campaign assign --name big --slot s07 --title 'Cut A' --instructions i --status blocked
ok campaign asset --name big --slot s07 --title Poster --asset-type image --status rejected
ok campaign assign --name big --slot s09 --title 'Cut B' --instructions i --status blocked
ok campaign assign --name big --slot s10 --title 'Cut C' --instructions i --status active
ok campaign dashboard --name big
out_is 'campaign big active
next resolve_worker_blockers: One or more worker slots are blocked.
workers active=8 stale=0 blocked=1 archived=0
assignments active=1 blocked=2 cancelled=0 done=0 queued=0
assets approved=0 draft=0 needs_review=0 published=0 rejected=1
approvals needs_review=0 approved=0 rejected=1 published=0
blockers 5
blocker worker slot s02 is blocked
blocker worker slot s05 has no Codex app thread id
blocker assignment Cut A is blocked
blocker asset Poster is rejected
blocker assignment Cut B is blocked
slot s01 active active assignments=0 assets=0
slot s02 blocked blocked assignments=0 assets=0
slot s03 active active assignments=0 assets=0
slot s04 active active assignments=0 assets=0
slot s05 planned needs_thread assignments=0 assets=0
slot s06 active active assignments=0 assets=0
slot s07 active active assignments=1 assets=1
slot s08 active active assignments=0 assets=0
slot s09 active active assignments=1 assets=0
slot s10 active active assignments=1 assets=0'
if [ "$(grep -c '^slot ' "$OUT")" -eq 10 ]; then good "10 slot lines"; else bad "10 slot lines"; fi
ok campaign dashboard --name big --json
jeq '.slots | length' 10
jeq '.blockers | tojson' '["worker slot s02 is blocked","worker slot s05 has no Codex app thread id","assignment Cut A is blocked","asset Poster is rejected","assignment Cut B is blocked"]'

section "text dashboard: no blockers prints blockers 0 and no blocker lines"
ok campaign dashboard --name beat
out_has 'blockers 0'
out_lacks 'blocker '
out_has 'slot w active active assignments=0 assets=0'

finish
