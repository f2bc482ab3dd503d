#!/usr/bin/env bash
# The audit events of every campaign mutation: one events row per writing action, carrying ids, statuses and
# from/to pairs but never free text, all by actor workerctl with no task; none for read-only actions or failed
# commands, and none without the change (the event is written in the same transaction).
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:10:00.000Z

# add_session ID STATE HEARTBEAT [ROLE]: inserts a session row directly, because these cases need a chosen id,
# state and heartbeat, which register-worker does not take.
add_session() {
	local hb="'$3'"
	[ "$3" = null ] && hb=null
	dbq "insert into sessions(id, name, role, identity_token, pid, cwd, registered_at, last_heartbeat_at, state)
	     values ('$1', 'name-$1', '${4:-worker}', 'token-$1', 4242, '/tmp', '$T0', $hb, '$2')"
}

# events_n: the number of audit events.
events_n() { dbq "select count(*) from events"; }

# ---------------------------------------------------------------------------------------------------------------
section "setup: campaign launch with slot reels and the archived slot shorts; worker and manager sessions"
ok campaign create --name launch --objective 'Launch week'
ok campaign add-slot --name launch --slot-key reels --role-label 'Reels editor' --state blocked
ok campaign add-slot --name launch --slot-key shorts --role-label 'Shorts editor'
ok campaign archive-slot --name launch --slot shorts --no-thread
add_session session-w1 active "$T0"
add_session session-w2 active "$T0"
add_session session-m1 active "$T0" manager

# ---------------------------------------------------------------------------------------------------------------
section "events: create"
export CONVEYOR_NOW=$T1
n=$(events_n)
ok campaign create --name audit --objective 'Audit trail' --json
ECID=$(val .campaign_id)
dbeq "select count(*) from events" $((n + 1))
dbeq "select type, actor, task_id is null, created_at from events order by id desc limit 1" "campaign_create|workerctl|1|$T1"
dbeq "select json_extract(payload_json, '\$.campaign_id') from events order by id desc limit 1" "$ECID"
dbeq "select json_extract(payload_json, '\$.human_approved') from events order by id desc limit 1" 0

section "events: add-slot"
n=$(events_n)
ok campaign add-slot --name audit --slot-key e1 --role-label x --json
ES1=$(val .slot_id)
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_add_slot
dbeq "select json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.slot_id') || ' ' || json_extract(payload_json, '\$.slot_key') from events order by id desc limit 1" "$ECID $ES1 e1"

section "events: attach-slot with from/to pairs"
n=$(events_n)
ok campaign attach-slot --name audit --slot e1 --session-id session-w1 --thread-id thr_e1 --state active
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_attach_slot
dbeq "select json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.slot_id') || ' ' || json_extract(payload_json, '\$.slot_key') from events order by id desc limit 1" "$ECID $ES1 e1"
dbeq "select json_extract(payload_json, '\$.codex_app_thread_id') from events order by id desc limit 1" '{"from":null,"to":"thr_e1"}'
dbeq "select json_extract(payload_json, '\$.session_id') from events order by id desc limit 1" '{"from":null,"to":"session-w1"}'
dbeq "select json_extract(payload_json, '\$.state') from events order by id desc limit 1" '{"from":"planned","to":"active"}'

section "events: rotate-slot"
n=$(events_n)
ok campaign rotate-slot --name audit --slot "$ES1" --expected-thread-id thr_e1 --thread-id thr_e2 --session-id session-w2
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_rotate_slot
dbeq "select json_extract(payload_json, '\$.slot_id') from events order by id desc limit 1" "$ES1"
dbeq "select json_extract(payload_json, '\$.codex_app_thread_id') from events order by id desc limit 1" '{"from":"thr_e1","to":"thr_e2"}'
dbeq "select json_extract(payload_json, '\$.session_id') from events order by id desc limit 1" '{"from":"session-w1","to":"session-w2"}'
dbeq "select json_extract(payload_json, '\$.state') from events order by id desc limit 1" '{"from":"active","to":"active"}'

section "events: brief"
n=$(events_n)
ok campaign brief --name audit --channel tiktok --brief-json '{"tone":"secret sauce"}' --json
EB1=$(val .brief_id)
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_brief
dbeq "select json_extract(payload_json, '\$.brief_id') || ' ' || json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.channel') from events order by id desc limit 1" "$EB1 $ECID tiktok"
dbeq "select instr(payload_json, 'secret sauce') from events order by id desc limit 1" 0

section "events: assign (ids, never free text)"
n=$(events_n)
ok campaign assign --name audit --slot e1 --title 'Private title words' --instructions 'Private instruction words' --json
EA1=$(val .assignment_id)
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_assign
dbeq "select json_extract(payload_json, '\$.assignment_id') || ' ' || json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.slot_id') || ' ' || json_extract(payload_json, '\$.status') from events order by id desc limit 1" "$EA1 $ECID $ES1 queued"
dbeq "select instr(payload_json, 'Private') from events order by id desc limit 1" 0

section "events: asset"
n=$(events_n)
ok campaign asset --name audit --slot e1 --assignment "$EA1" --title 'Private asset title' --asset-type video --status needs_review --json
EX1=$(val .asset_receipt_id)
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_asset
dbeq "select json_extract(payload_json, '\$.asset_receipt_id') || ' ' || json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.slot_id') || ' ' || json_extract(payload_json, '\$.assignment_id') from events order by id desc limit 1" "$EX1 $ECID $ES1 $EA1"
dbeq "select instr(payload_json, 'Private') from events order by id desc limit 1" 0

section "events: update-assignment"
n=$(events_n)
ok campaign update-assignment --name audit --assignment "$EA1" --status done
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_update_assignment
dbeq "select json_extract(payload_json, '\$.assignment_id') || ' ' || json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.previous_status') || ' ' || json_extract(payload_json, '\$.status') from events order by id desc limit 1" "$EA1 $ECID queued done"

section "events: review"
n=$(events_n)
ok campaign review --name audit --asset "$EX1" --status approved --reviewer dana --review-notes 'Private note words'
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_review
dbeq "select json_extract(payload_json, '\$.asset_receipt_id') || ' ' || json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.previous_status') || ' ' || json_extract(payload_json, '\$.status') from events order by id desc limit 1" "$EX1 $ECID needs_review approved"
dbeq "select instr(payload_json, 'Private') from events order by id desc limit 1" 0

section "events: archive-slot"
n=$(events_n)
ok campaign archive-slot --name audit --slot e1 --expected-thread-id thr_e2
dbeq "select count(*) from events" $((n + 1))
dbeq "select type from events order by id desc limit 1" campaign_archive_slot
dbeq "select json_extract(payload_json, '\$.slot_id') from events order by id desc limit 1" "$ES1"
dbeq "select json_extract(payload_json, '\$.state') from events order by id desc limit 1" '{"from":"active","to":"archived"}'
dbeq "select json_extract(payload_json, '\$.codex_app_thread_id') from events order by id desc limit 1" '{"from":"thr_e2","to":"thr_e2"}'

section "events: set-status"
n=$(events_n)
ok campaign set-status --name audit --status paused
dbeq "select count(*) from events" $((n + 1))
dbeq "select type, created_at from events order by id desc limit 1" "campaign_set_status|$T1"
dbeq "select json_extract(payload_json, '\$.campaign_id') || ' ' || json_extract(payload_json, '\$.previous_status') || ' ' || json_extract(payload_json, '\$.status') from events order by id desc limit 1" "$ECID active paused"

section "events: every campaign event is a workerctl event with no task"
dbeq "select count(*) from events where type like 'campaign_%' and (actor <> 'workerctl' or task_id is not null or command_id is not null)" 0
dbeq "select count(distinct type) from events where type like 'campaign_%'" 11

section "events: read-only actions write nothing"
d=$(db_digest)
ok campaign status --name audit
ok campaign dashboard --name audit
ok campaign list
same_db "$d"

section "events: a failed command leaves no event"
d=$(db_digest)
n=$(events_n)
fails 2 'campaign worker slot requires a worker session, got manager' campaign attach-slot --name audit --slot e1 --state active --session-id session-m1
fails 2 'campaign worker slot shorts is archived; attach-slot needs an explicit --state to reactivate it' campaign attach-slot --name launch --slot shorts --thread-id thr_s
fails 2 'campaign worker slot thread guard does not match' campaign archive-slot --name audit --slot e1 --expected-thread-id thr_e1
fails 2 'UNIQUE constraint failed: campaigns.name' campaign create --name audit --objective again
fails 2 'unknown campaign assignment: nope' campaign update-assignment --name audit --assignment nope --status done
same_db "$d"
dbeq "select count(*) from events" "$n"

section "events: the event is in the same transaction as the change"
dbq "create trigger test_block_events before insert on events begin select raise(abort, 'events blocked by test'); end;"
d=$(db_digest)
fails 2 'events blocked by test' campaign create --name never --objective 'Never written'
fails 2 'events blocked by test' campaign set-status --name audit --status done
fails 2 'events blocked by test' campaign assign --name audit --slot e1 --title never --instructions never
fails 2 'events blocked by test' campaign attach-slot --name launch --slot reels --thread-title never
same_db "$d"
dbeq "select count(*) from campaigns where name = 'never'" 0
dbeq "select status from campaigns where id = '$ECID'" paused
dbeq "select count(*) from campaign_assignments where title = 'never'" 0
dbq "drop trigger test_block_events;"

finish
