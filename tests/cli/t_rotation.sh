#!/usr/bin/env bash
# Codex app worker rotation (SPEC 4 with docs/sessions.md), app-heartbeat and telemetry (SPEC 8.6) as a user sees
# them: the plan and its eight blockers, the record with its refusals and the campaign slots that follow the worker
# thread, the whole rotation loop of SPEC 12.3 (plan -> record -> stale slot -> heartbeat -> fresh), the heartbeat's
# next commands, and the telemetry receipts behind all of it. Every fixture is set up through conveyor itself.
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:05:00.250Z
T2=2026-01-01T00:06:00.500Z
T3=2026-01-01T00:10:00.700Z
T4=2026-01-01T00:10:30.000Z

ROLL="$T/codex/sessions/2026/01/01"
F="$ROLL/rollout-2026-01-01T00-00-00-0199aaaa-0000-7000-8000-000000000001.jsonl"
F2="$ROLL/rollout-2026-01-01T00-00-00-0199aaaa-0000-7000-8000-000000000002.jsonl"
F3="$ROLL/rollout-2026-01-01T00-00-00-0199aaaa-0000-7000-8000-000000000003.jsonl"
mkdir -p "$ROLL"
for f in "$F" "$F2" "$F3"; do cp "$ROLLOUT_FIXTURE" "$f"; done

# line_is N TEXT: line N of the last stdout is exactly TEXT.
line_is() {
	local got
	got=$(sed -n "${1}p" "$OUT")
	if [ "$got" = "$2" ]; then good "stdout line $1 is '$2'"; else bad "stdout line $1 is '$2'" "got '$got'"; fi
}

# matches VALUE REGEX: VALUE matches the extended REGEX as a whole.
matches() { if printf '%s\n' "$1" | grep -Eqx -- "$2"; then good "'$1' matches $2"; else bad "'$1' matches $2"; fi; }

# fixture NAME WTHREAD WTITLE MTHREAD: a fresh ledger $T/NAME/workerctl.db (DB points at it) with worker w and
# manager m registered through conveyor ("-" leaves a thread id or title out), task app-loop-task bound to them.
# Sets WID, MID, TID, BID. The clock is T0.
fixture() {
	DB="$T/$1/workerctl.db"
	export CONVEYOR_NOW=$T0
	local wargs=() margs=()
	[ "$2" != - ] && wargs+=(--codex-app-thread-id "$2")
	[ "$3" != - ] && wargs+=(--codex-app-thread-title "$3")
	[ "$4" != - ] && margs+=(--codex-app-thread-id "$4")
	ok register-worker --name w --pid $$ --codex-session "$F" "${wargs[@]}"
	WID=$(val .session_id)
	ok register-manager --name m --pid $$ --codex-session "$F2" "${margs[@]}"
	MID=$(val .session_id)
	ok tasks --create app-loop-task --goal 'Ship the app loop'
	TID=$(val .id)
	ok bind --task app-loop-task --worker w --manager m
	BID=$(val .binding_id)
}

# std_fixture NAME: the SPEC 12.3 fixture (thread-worker / Worker App, manager thread-manager) without a handoff.
std_fixture() { fixture "$1" thread-worker 'Worker App' thread-manager; }

# add_handoff: the worker's saved handoff for app-loop-task (id 1 on a fresh ledger).
add_handoff() { ok handoff app-loop-task --summary 'Chapters 1-3 drafted' --next-step 'Draft chapter 4' --next-step 'Review "intro"'; }

# tel SQL_EXPR TYPE: an expression over the newest telemetry row of event type TYPE.
tel() { dbq "select $1 from telemetry_events where event_type = '$2' order by rowid desc limit 1"; }

# tel_n TYPE: how many telemetry rows of event type TYPE exist.
tel_n() { dbq "select count(*) from telemetry_events where event_type = '$1'"; }

# plan_blocked BLOCKERS_JSON PLAN_ARGS...: the plan exits 0, blocked with exactly these blockers, no actions, no
# record command, and one warning telemetry row listing the same blockers.
plan_blocked() {
	local want=$1 before
	shift
	before=$(tel_n app_worker_rotation_planned)
	ok app-worker-rotation-plan app-loop-task "$@" --json
	jeq '.blockers | tojson' "$want"
	jeq .eligible false
	jeq '.actions | tojson' '[]'
	jeq .record_command null
	jeq .receipt.event_type app_worker_rotation_planned
	dbeq "select count(*) from telemetry_events where event_type = 'app_worker_rotation_planned'" $((before + 1))
	dbeq "select severity || '|' || summary from telemetry_events where id = '$(val .receipt.event_id)'" \
		'warning|Codex app worker rotation blocked for app-loop-task.'
	dbeq "select json_extract(attributes_json, '$.blockers') || json_extract(attributes_json, '$.eligible') ||
	      json_extract(attributes_json, '$.actions') from telemetry_events where id = '$(val .receipt.event_id)'" "${want}0[]"
}

# record_refused MESSAGE RECORD_ARGS...: the record exits 2 with exactly MESSAGE and writes nothing.
record_refused() {
	local msg=$1 d
	shift
	d=$(db_digest)
	fails 2 "$msg" app-worker-rotation-record app-loop-task "$@"
	same_db "$d"
}

# slot_lc KEY: the lifecycle "state|stale|stale_seconds" of the slot KEY in the last dashboard output.
slot_lc() { jq -r ".slots[] | select(.slot_key == \"$1\") | [.lifecycle.state, .lifecycle.stale, .lifecycle.stale_seconds] | map(tostring) | join(\"|\")" "$OUT"; }

# slot_is KEY EXPECTED: slot_lc KEY equals EXPECTED.
slot_is() {
	local got
	got=$(slot_lc "$1")
	if [ "$got" = "$2" ]; then good "slot $1 lifecycle '$2'"; else bad "slot $1 lifecycle '$2'" "got '$got'"; fi
}

GUARD_KEYS='active_binding,binding_id,exact_thread_match,expected_old_worker_thread_id,manager_session_id,manager_thread_id,require_handoff,role,task_id,worker_session_id,worker_state'
UUID='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'

# ===============================================================================================================
# The rotation loop of SPEC 12.3 on one ledger.
section "loop setup: worker, manager, task, binding, handoff, a second worker, campaign slots"
std_fixture loop
ok register-worker --name w2 --pid $$ --codex-session "$F3" --codex-app-thread-id thread-w2
W2=$(val .session_id)
add_handoff
jeq .id 1
jeq .worker_session_id "$WID"
jeq .created_at 2026-01-01T00:00:00Z
ok campaign create --name launch --objective 'Launch week' --json
CID=$(val .campaign_id)
# a: the worker's slot on its current thread (moves); b: the worker's slot on another thread (stays);
# c: another session's slot naming thread-worker (stays).
ok campaign add-slot --name launch --slot-key a --role-label 'Editor A' --session-id "$WID" --thread-id thread-worker \
	--thread-title 'Worker App' --state active --json
SA=$(val .slot_id)
ok campaign add-slot --name launch --slot-key b --role-label 'Editor B' --session-id "$WID" --thread-id thread-side \
	--thread-title 'Side' --state active --json
SB=$(val .slot_id)
ok campaign add-slot --name launch --slot-key c --role-label 'Editor C' --session-id "$W2" --thread-id thread-worker \
	--thread-title 'Other' --state idle --json
SC=$(val .slot_id)
# z: a second campaign's slot on the worker's current thread (moves too).
ok campaign create --name second --objective 'Second week' --json
CID2=$(val .campaign_id)
ok campaign add-slot --name second --slot-key z --role-label 'Editor Z' --session-id "$WID" --thread-id thread-worker \
	--state idle --json
SZ=$(val .slot_id)
dbeq "select count(*) from telemetry_events" 1

section "plan eligible (--require-handoff, --reason): exit 0 and the top-level shape"
export CONVEYOR_NOW=$T1
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --require-handoff --reason 'context window full' --json
rc_is 0
jeq 'keys | join(",")' 'actions,blockers,eligible,guard,handoff,old_worker,receipt,record_command,task'
jeq .eligible true
jeq '.blockers | tojson' '[]'
jeq '.task | tojson' "{\"id\":\"$TID\",\"name\":\"app-loop-task\"}"

section "plan eligible: the guard"
jeq '.guard | keys | join(",")' "$GUARD_KEYS"
jeq .guard.active_binding true
jeq .guard.binding_id "$BID"
jeq .guard.exact_thread_match true
jeq .guard.expected_old_worker_thread_id thread-worker
jeq .guard.manager_session_id "$MID"
jeq .guard.manager_thread_id thread-manager
jeq .guard.require_handoff true
jeq .guard.role worker
jeq .guard.task_id "$TID"
jeq .guard.worker_session_id "$WID"
jeq .guard.worker_state active

section "plan eligible: exactly two actions, create then archive"
jeq '.actions | length' 2
jeq '[.actions[].type] | join(",")' 'create_replacement_worker_thread,archive_old_worker_thread'
jeq '.actions[0] | keys | join(",")' 'guard,prompt,role,send_ready,status,thread,type'
jeq '.actions[0].status' ready_to_create
jeq '.actions[0].send_ready' true
jeq '.actions[0].role' worker
jeq '.actions[0].thread | tojson' '{"id":null,"title":"Worker App fresh"}'
jtrue '.actions[0].guard == .guard'
jeq '.actions[1] | keys | join(",")' 'guard,role,send_ready,status,thread,type'
jeq '.actions[1].status' ready_to_archive
jeq '.actions[1].send_ready' true
jeq '.actions[1].role' worker
jeq '.actions[1].thread | tojson' '{"id":"thread-worker","title":"Worker App"}'
jtrue '.actions[1].guard == .guard'
jtrue '.actions[1].thread.id != .guard.manager_thread_id'

section "plan eligible: the replacement prompt, line by line"
PL='.actions[0].prompt | split("\n")'
jeq "$PL | length" 18
jeq "$PL | .[0]" 'Use the manage-codex-workers skill.'
jeq "$PL | .[1]" 'You are the replacement Codex app worker thread for task app-loop-task.'
jeq "$PL | .[2]" 'Rotation reason: context window full'
jeq "$PL | .[3]" 'Saved handoff id: 1'
jeq "$PL | .[4]" 'Saved handoff summary: Chapters 1-3 drafted'
jeq "$PL | .[5]" 'Saved handoff next steps: ["Draft chapter 4","Review \"intro\""]'
jeq "$PL | .[6]" ''
jeq "$PL | .[7]" 'Resume from the saved handoff and continue through Conveyor only. Do not rely on the archived worker thread for context beyond the handoff above.'
jeq "$PL | .[8]" 'Visible session protocol, required for operator review: print each marker below on its own line in this thread as you go.'
jeq "$PL | .[9]" 'Before each inbox poll, print: CONVEYOR POLL worker-inbox'
jeq "$PL | .[10]" 'If the poll consumes nothing, print one line, CONVEYOR IDLE, and nothing else for that poll.'
jeq "$PL | .[11]" 'When an item is consumed, print: CONVEYOR RECEIVED <item id> <one-line summary of the instruction>'
jeq "$PL | .[12]" 'Before each significant step of the work, print: WORK <what you are doing>'
jeq "$PL | .[13]" 'Before notifying the manager, print: CONVEYOR SEND <one-line summary>; after the dispatch command, print: DISPATCH <its result>'
jeq "$PL | .[14]" 'End every turn that consumed an item with a final summary: files changed, commands run, evidence, residual risk and the next step.'
jeq "$PL | .[15]" "Run: conveyor app-heartbeat 'app-loop-task' --role worker --path '$DB' --json"
jeq "$PL | .[16]" "If the heartbeat output asks for direct inbox polling, run: conveyor worker-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
jeq "$PL | .[17]" 'If no item is consumed, stop after a one-line idle receipt.'

section "plan eligible: record_command, handoff, old_worker, receipt"
jeq .record_command "conveyor app-worker-rotation-record 'app-loop-task' --old-worker-thread-id 'thread-worker' --new-worker-thread-id <new.thread.id> --new-worker-thread-title <new.thread.title> --archive-status archived --path '$DB' --json"
jeq '.handoff | keys | join(",")' 'created_at,id,next_steps,summary,worker_session_id'
jeq '.handoff.id' 1
jeq '.handoff.created_at' 2026-01-01T00:00:00Z
jeq '.handoff.summary' 'Chapters 1-3 drafted'
jeq '.handoff.next_steps | tojson' '["Draft chapter 4","Review \"intro\""]'
jeq '.handoff.worker_session_id' "$WID"
jeq '.old_worker | tojson' "{\"codex_app_thread_id\":\"thread-worker\",\"codex_app_thread_title\":\"Worker App\",\"name\":\"w\",\"session_id\":\"$WID\"}"
jeq '.receipt | keys | join(",")' 'event_id,event_type,recorded_at'
jeq .receipt.event_type app_worker_rotation_planned
jeq .receipt.recorded_at 2026-01-01T00:05:00Z
matches "$(val .receipt.event_id)" "telemetry-$UUID"
PLAN_ID=$(val .receipt.event_id)

section "plan eligible: one telemetry row (actor manager, info) and its full-text row"
dbeq "select count(*) from telemetry_events" 2
dbeq "select count(*) from telemetry_events where event_type = 'app_worker_rotation_planned'" 1
dbeq "select id, run_id is null, task_id, timestamp, actor, event_type, severity, summary from telemetry_events
      where event_type = 'app_worker_rotation_planned'" \
	"$PLAN_ID|1|$TID|2026-01-01T00:05:00Z|manager|app_worker_rotation_planned|info|Codex app worker rotation planned for app-loop-task."
dbeq "select correlation_json from telemetry_events where id = '$PLAN_ID'" \
	'{"command":"app-worker-rotation-plan","old_worker_thread_id":"thread-worker"}'
dbeq "select attributes_json from telemetry_events where id = '$PLAN_ID'" \
	'{"actions":[{"status":"ready_to_create","thread_id":null,"type":"create_replacement_worker_thread"},{"status":"ready_to_archive","thread_id":"thread-worker","type":"archive_old_worker_thread"}],"blockers":[],"eligible":true,"handoff_id":1,"old_worker_thread_id":"thread-worker","reason":"context window full"}'
dbeq "select count(*) from telemetry_events_fts where event_id = '$PLAN_ID'" 1
dbeq "select f.task_id = e.task_id, f.run_id is null, f.actor, f.event_type, f.summary = e.summary, f.attributes = e.attributes_json
      from telemetry_events_fts f join telemetry_events e on e.id = f.event_id where f.event_id = '$PLAN_ID'" \
	'1|1|manager|app_worker_rotation_planned|1|1'
dbeq "select count(*) from events where created_at >= '$T1'" 0

section "plan eligible: the receipt is found by telemetry --search (full-text index)"
ok telemetry --search 'window full' --json
jeq 'length' 1
jeq '.[0].id' "$PLAN_ID"
ok telemetry --search 'rotation planned' --json
jeq '[.[].id] | join(",")' "$PLAN_ID"
ok telemetry --search 'nothing-like-this' --json
jeq 'length' 0

section "record: validation messages, in order, before any lookup"
d=$(db_digest)
fails 2 'app-worker-rotation-record command requires a task.' app-worker-rotation-record
fails 2 'app-worker-rotation-record command requires a task.' app-worker-rotation-record --new-worker-thread-id x --archive-status archived
fails 2 'app-worker-rotation-record requires --old-worker-thread-id.' app-worker-rotation-record app-loop-task
fails 2 'app-worker-rotation-record requires --old-worker-thread-id.' app-worker-rotation-record nope --new-worker-thread-id x --archive-status bogus
fails 2 'app-worker-rotation-record requires --new-worker-thread-id.' app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker
fails 2 'app-worker-rotation-record requires --new-worker-thread-id.' app-worker-rotation-record nope --old-worker-thread-id thread-worker --archive-status bogus
fails 2 'app-worker-rotation-record requires --archive-status archived|blocked' app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new
fails 2 'app-worker-rotation-record requires --archive-status archived|blocked' app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status done
fails 2 'app-worker-rotation-record requires --archive-status archived|blocked' app-worker-rotation-record nope --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status Archived
fails 2 'Unknown task: nope' app-worker-rotation-record nope --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived
fails 2 'unknown option --require-handoff for app-worker-rotation-record (see conveyor app-worker-rotation-record --help)' app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived --require-handoff
same_db "$d"

section "record: refusals leave the ledger unchanged (ownership, NEW = OLD, NEW = manager, NEW = another session's)"
export CONVEYOR_NOW=$T2
record_refused 'Cannot record worker rotation; active worker ownership check failed: old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-manager --new-worker-thread-id thread-new --archive-status archived
record_refused 'Cannot record worker rotation; the new worker thread id is the old one: thread-worker' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-worker --archive-status archived
record_refused "Cannot record worker rotation; the new worker thread id is the manager's thread: thread-manager" \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-manager --archive-status archived
record_refused 'Cannot record worker rotation; thread thread-w2 already belongs to session "w2"' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-w2 --archive-status archived
# The new-thread checks apply to a blocked archive as well, and the ownership check comes first.
record_refused "Cannot record worker rotation; the new worker thread id is the manager's thread: thread-manager" \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-manager --archive-status blocked
record_refused 'Cannot record worker rotation; active worker ownership check failed: old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-manager --new-worker-thread-id thread-manager --archive-status archived
dbeq "select codex_app_thread_id || '|' || codex_app_thread_title from sessions where id = '$WID'" 'thread-worker|Worker App'
dbeq "select count(*) from telemetry_events where event_type = 'app_worker_rotation_recorded'" 0

section "record archived: output"
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new \
	--new-worker-thread-title 'Worker App fresh' --archive-status archived --reason 'context window full' --json
rc_is 0
jeq 'keys | join(",")' 'archive,campaign_slots,guard,new_worker,old_worker,receipt,task'
jeq '.archive | tojson' '{"old_worker_thread_id":"thread-worker","status":"archived"}'
jeq '.new_worker | tojson' "{\"codex_app_thread_id\":\"thread-new\",\"codex_app_thread_title\":\"Worker App fresh\",\"session_id\":\"$WID\",\"session_updated\":true}"
jeq '.old_worker | tojson' "{\"codex_app_thread_id\":\"thread-worker\",\"codex_app_thread_title\":\"Worker App\",\"name\":\"w\",\"session_id\":\"$WID\"}"
jeq '.guard | keys | join(",")' "$GUARD_KEYS"
jeq .guard.require_handoff false
jeq .guard.binding_id "$BID"
jeq .guard.exact_thread_match true
jeq .guard.worker_session_id "$WID"
jeq .receipt.event_type app_worker_rotation_recorded
jeq .receipt.recorded_at 2026-01-01T00:06:00Z
matches "$(val .receipt.event_id)" "telemetry-$UUID"
REC_ID=$(val .receipt.event_id)
jeq '.task | tojson' "{\"id\":\"$TID\",\"name\":\"app-loop-task\"}"
jeq '.campaign_slots | length' 2
jeq '.campaign_slots | map(.slot_id) | sort | join(",")' "$(printf '%s\n' "$SA" "$SZ" | sort | paste -sd,)"
jeq ".campaign_slots[] | select(.slot_id == \"$SA\") | tojson" "{\"campaign_id\":\"$CID\",\"slot_id\":\"$SA\",\"slot_key\":\"a\"}"
jeq ".campaign_slots[] | select(.slot_id == \"$SZ\") | tojson" "{\"campaign_id\":\"$CID2\",\"slot_id\":\"$SZ\",\"slot_key\":\"z\"}"

section "record archived: the session carries the new thread and has no heartbeat"
dbeq "select codex_app_thread_id, codex_app_thread_title, last_heartbeat_at is null, state from sessions where id = '$WID'" \
	'thread-new|Worker App fresh|1|active'
dbeq "select codex_app_thread_id, last_heartbeat_at from sessions where id = '$MID'" "thread-manager|$T0"
dbeq "select codex_app_thread_id, last_heartbeat_at from sessions where id = '$W2'" "thread-w2|$T0"
dbeq "select state, worker_session_id, manager_session_id from bindings where id = '$BID'" "active|$WID|$MID"

section "record archived: the worker's slots on the old thread follow it; the others stay"
dbeq "select session_id, codex_app_thread_id, codex_app_thread_title, state, updated_at from campaign_worker_slots where id = '$SA'" \
	"$WID|thread-new|Worker App fresh|active|$T2"
dbeq "select session_id, codex_app_thread_id, codex_app_thread_title, state, updated_at from campaign_worker_slots where id = '$SZ'" \
	"$WID|thread-new|Worker App fresh|idle|$T2"
dbeq "select session_id, codex_app_thread_id, codex_app_thread_title, state, updated_at from campaign_worker_slots where id = '$SB'" \
	"$WID|thread-side|Side|active|$T0"
dbeq "select session_id, codex_app_thread_id, codex_app_thread_title, state, updated_at from campaign_worker_slots where id = '$SC'" \
	"$W2|thread-worker|Other|idle|$T0"

section "record archived: one campaign_rotate_slot event per moved slot"
dbeq "select count(*) from events where type = 'campaign_rotate_slot'" 2
dbeq "select created_at, actor, task_id is null, command_id is null, payload_json from events
      where type = 'campaign_rotate_slot' and json_extract(payload_json, '$.slot_id') = '$SA'" \
	"$T2|workerctl|1|1|{\"campaign_id\":\"$CID\",\"codex_app_thread_id\":{\"from\":\"thread-worker\",\"to\":\"thread-new\"},\"human_approved\":false,\"session_id\":{\"from\":\"$WID\",\"to\":\"$WID\"},\"slot_id\":\"$SA\",\"slot_key\":\"a\",\"state\":{\"from\":\"active\",\"to\":\"active\"},\"via\":\"app-worker-rotation-record\"}"
dbeq "select json_extract(payload_json, '$.campaign_id') || '|' || json_extract(payload_json, '$.state.to') || '|' ||
      json_extract(payload_json, '$.via') from events
      where type = 'campaign_rotate_slot' and json_extract(payload_json, '$.slot_id') = '$SZ'" "$CID2|idle|app-worker-rotation-record"
dbeq "select count(*) from events where created_at = '$T2'" 2

section "record archived: its telemetry row, and exactly two rotation rows (SPEC 12.3)"
dbeq "select count(*) from telemetry_events where event_type like 'app_worker_rotation_%'" 2
dbeq "select event_type from telemetry_events where event_type like 'app_worker_rotation_%' order by timestamp, rowid" \
	"app_worker_rotation_planned
app_worker_rotation_recorded"
dbeq "select id, task_id, timestamp, actor, severity, summary from telemetry_events where event_type = 'app_worker_rotation_recorded'" \
	"$REC_ID|$TID|2026-01-01T00:06:00Z|manager|info|Codex app worker rotation archived for app-loop-task."
dbeq "select correlation_json from telemetry_events where id = '$REC_ID'" \
	'{"command":"app-worker-rotation-record","new_worker_thread_id":"thread-new","old_worker_thread_id":"thread-worker"}'
dbeq "select attributes_json from telemetry_events where id = '$REC_ID'" \
	"{\"archive_status\":\"archived\",\"binding_id\":\"$BID\",\"handoff_id\":1,\"new_worker_thread_id\":\"thread-new\",\"new_worker_thread_title\":\"Worker App fresh\",\"old_worker_session_id\":\"$WID\",\"old_worker_thread_id\":\"thread-worker\",\"reason\":\"context window full\",\"session_updated\":true}"
dbeq "select f.actor, f.event_type, f.attributes = e.attributes_json from telemetry_events_fts f
      join telemetry_events e on e.id = f.event_id where f.event_id = '$REC_ID'" 'manager|app_worker_rotation_recorded|1'

section "loop: after the record the moved slot shows stale until the new thread heartbeats"
ok campaign dashboard --name launch --json
slot_is a 'stale|true|null'
slot_is c 'stale|true|361'
jeq '.slots[] | select(.slot_key == "a") | .codex_app_thread_id' thread-new
jeq '.slots[] | select(.slot_key == "a") | .blockers | tojson' '["worker slot a heartbeat is stale"]'
ok campaign dashboard --name launch
out_has 'slot a active stale assignments=0 assets=0'
ok campaign dashboard --name second --json
slot_is z 'stale|true|null'

section "loop: app-heartbeat of the new worker thread"
export CONVEYOR_NOW=$T3
ok app-heartbeat app-loop-task --role worker --json
jeq 'keys | join(",")' 'heartbeat,next,role,status,task'
jeq '.heartbeat | tojson' '{"recorded_at":"2026-01-01T00:10:00Z","state":"recorded"}'
jeq .next.poll_command "conveyor app-heartbeat 'app-loop-task' --role worker --path '$DB' --json"
jeq .next.direct_inbox_command "conveyor worker-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '.next | keys | join(",")' 'direct_inbox_command,poll_command'
jeq .role worker
jeq '.task | tojson' "{\"id\":\"$TID\",\"name\":\"app-loop-task\"}"
jeq '.status | keys | join(",")' 'dispatch,manager,next_actions,ok,task,worker'
jeq '.status.dispatch | tojson' '{"dispatcher_id":"dispatch-local","last_heartbeat_at":null,"state":"missing"}'
jeq '.status.worker.lease | tojson' '{"age_seconds":0,"last_heartbeat_at":"2026-01-01T00:10:00Z","stale_after_seconds":180,"state":"healthy"}'
jeq .status.worker.codex_app_thread_id thread-new
jeq .status.worker.codex_app_thread_title 'Worker App fresh'
jeq .status.worker.session_id "$WID"
jeq .status.worker.name w
jeq .status.worker.session_kind codex_app
jeq .status.worker.receive_style pull
jeq .status.worker.poll_command "conveyor app-heartbeat 'app-loop-task' --role worker --path '$DB' --json"
jeq .status.manager.lease.state stale
jeq .status.manager.lease.age_seconds 600
jeq .status.manager.lease.last_heartbeat_at "$T0"
jeq .status.manager.session_id "$MID"
jeq .status.manager.codex_app_thread_id thread-manager
jeq .status.manager.direct_inbox_command "conveyor manager-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '[.status.next_actions[].kind] | join(",")' 'start_dispatch,wake_manager'
jeq '.status.next_actions[0] | tojson' "{\"kind\":\"start_dispatch\",\"prompt\":\"Run: conveyor dispatch --watch --dispatcher-id 'dispatch-local' --path '$DB'\",\"reason\":\"Dispatch dispatch-local is missing.\"}"
jeq '.status.next_actions[1] | tojson' "{\"kind\":\"wake_manager\",\"prompt\":\"conveyor app-heartbeat 'app-loop-task' --role manager --path '$DB' --json\",\"reason\":\"Manager heartbeat is stale.\",\"role\":\"manager\"}"
jeq .status.ok false
jeq '.status.task | tojson' "{\"id\":\"$TID\",\"name\":\"app-loop-task\"}"

section "loop: the heartbeat is stamped on the session and leaves a receipt"
dbeq "select last_heartbeat_at from sessions where id = '$WID'" 2026-01-01T00:10:00Z
dbeq "select last_heartbeat_at from sessions where id = '$MID'" "$T0"
dbeq "select count(*) from telemetry_events where event_type = 'app_heartbeat'" 1
dbeq "select task_id, timestamp, actor, severity, summary, correlation_json from telemetry_events where event_type = 'app_heartbeat'" \
	"$TID|2026-01-01T00:10:00Z|worker|info|worker app heartbeat for app-loop-task.|{\"command\":\"app-heartbeat\"}"
dbeq "select attributes_json from telemetry_events where event_type = 'app_heartbeat'" \
	"{\"direct_inbox_command\":\"conveyor worker-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json\",\"role\":\"worker\",\"session_id\":\"$WID\",\"task\":\"app-loop-task\"}"
dbeq "select count(*) from telemetry_events_fts where event_type = 'app_heartbeat'" 1

section "loop: after the heartbeat the slot is fresh again"
export CONVEYOR_NOW=$T4
ok campaign dashboard --name launch --json
slot_is a 'active|false|30'
slot_is b 'active|false|30'
jeq '.slots[] | select(.slot_key == "a") | .blockers | tojson' '[]'
ok campaign dashboard --name launch
out_has 'slot a active active assignments=0 assets=0'

section "loop: repeating the record with the same OLD is refused"
record_refused 'Cannot record worker rotation; active worker ownership check failed: old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-newer --archive-status archived
dbeq "select codex_app_thread_id from sessions where id = '$WID'" thread-new

section "loop: the next rotation plans from the new thread"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-new --json
jeq .eligible true
jeq '.actions[1].thread | tojson' '{"id":"thread-new","title":"Worker App fresh"}'
jeq '.actions[0].thread.title' 'Worker App fresh fresh'

section "loop: telemetry --task lists the receipts in order"
ok telemetry --task app-loop-task --json
jeq '[.[].event_type] | join(",")' 'worker_handoff_recorded,app_worker_rotation_planned,app_worker_rotation_recorded,app_heartbeat,app_worker_rotation_planned'
jeq '.[1].id' "$PLAN_ID"
jeq '.[2].id' "$REC_ID"
jeq '.[0] | keys | join(",")' 'actor,attributes,correlation,event_type,id,run_id,severity,summary,task_id,timestamp'
jeq '.[2].correlation | tojson' '{"command":"app-worker-rotation-record","new_worker_thread_id":"thread-new","old_worker_thread_id":"thread-worker"}'
jeq '.[2].attributes.session_updated' true
jeq '.[2].run_id' null
jeq '.[2].task_id' "$TID"
ok telemetry --task "$TID" --json
jeq 'length' 5

# ===============================================================================================================
section "SPEC 12.3 #2: planning with the manager's thread is blocked (exit 0)"
std_fixture refuse
add_handoff
export CONVEYOR_NOW=$T1
plan_blocked '["old_worker_thread_id_mismatch"]' --old-worker-thread-id thread-manager
jeq .guard.exact_thread_match false
jeq .guard.expected_old_worker_thread_id thread-manager
jeq .guard.manager_thread_id thread-manager
jeq .guard.require_handoff false
jeq '.handoff.id' 1
jeq .old_worker.codex_app_thread_id thread-worker
jeq 'keys | join(",")' 'actions,blockers,eligible,guard,handoff,old_worker,receipt,record_command,task'
dbeq "select attributes_json from telemetry_events where id = '$(val .receipt.event_id)'" \
	'{"actions":[],"blockers":["old_worker_thread_id_mismatch"],"eligible":false,"handoff_id":1,"old_worker_thread_id":"thread-manager","reason":null}'
dbeq "select correlation_json from telemetry_events where id = '$(val .receipt.event_id)'" \
	'{"command":"app-worker-rotation-plan","old_worker_thread_id":"thread-manager"}'

section "SPEC 12.3 #2: blocked plan text output"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-manager
out_is "App worker rotation for app-loop-task: blocked
Old worker thread: thread-worker
Blockers: old_worker_thread_id_mismatch
Receipt: $(tel id app_worker_rotation_planned)"

section "SPEC 12.3 #2: recording with the manager's thread is refused"
record_refused 'Cannot record worker rotation; active worker ownership check failed: old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-manager --new-worker-thread-id thread-new --archive-status archived
dbeq "select codex_app_thread_id from sessions where id = '$WID'" thread-worker
dbeq "select count(*) from telemetry_events where event_type = 'app_worker_rotation_recorded'" 0

section "plan text output when eligible"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --reason r
out_is "App worker rotation for app-loop-task: ready
Old worker thread: thread-worker
create_replacement_worker_thread: ready_to_create
  thread: Worker App fresh (new)
archive_old_worker_thread: ready_to_archive
  thread: Worker App thread-worker
Record after app tools: conveyor app-worker-rotation-record 'app-loop-task' --old-worker-thread-id 'thread-worker' --new-worker-thread-id <new.thread.id> --new-worker-thread-title <new.thread.title> --archive-status archived --path '$DB' --json
Receipt: $(tel id app_worker_rotation_planned)"
dbeq "select severity from telemetry_events where rowid = (select max(rowid) from telemetry_events)" info

section "plan: a handoff is reported without --require-handoff"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq .eligible true
jeq .guard.require_handoff false
jeq .handoff.id 1
jeq .handoff.worker_session_id "$WID"
jeq '.actions[0].prompt | split("\n") | .[2:4] | join("/")' 'Rotation reason: fresh worker context for Codex app usage./Saved handoff id: 1'

section "plan: an old thread id with shell metacharacters is quoted in record_command"
ok register-worker --name w --pid $$ --codex-session "$F" --codex-app-thread-id "thr'1 x"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id "thr'1 x" --json
jeq .eligible true
jeq .record_command "conveyor app-worker-rotation-record 'app-loop-task' --old-worker-thread-id 'thr'\"'\"'1 x' --new-worker-thread-id <new.thread.id> --new-worker-thread-title <new.thread.title> --archive-status archived --path '$DB' --json"

# ---------------------------------------------------------------------------------------------------------------
section "plan without handoff or reason: default reason line, no-handoff line, title fallback"
fixture notitle thread-worker - thread-manager
export CONVEYOR_NOW=$T1
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq .eligible true
jeq .handoff null
jeq '.actions[0].thread | tojson' '{"id":null,"title":"app-loop-task worker fresh"}'
jeq '.actions[1].thread | tojson' '{"id":"thread-worker","title":null}'
jeq .old_worker.codex_app_thread_title null
PL='.actions[0].prompt | split("\n")'
jeq "$PL | length" 16
jeq "$PL | .[2]" 'Rotation reason: fresh worker context for Codex app usage.'
jeq "$PL | .[3]" 'No saved handoff was required for this rotation plan.'
jeq "$PL | .[4]" ''
jeq "$PL | .[6]" 'Visible session protocol, required for operator review: print each marker below on its own line in this thread as you go.'
jeq "$PL | .[13]" "Run: conveyor app-heartbeat 'app-loop-task' --role worker --path '$DB' --json"
jeq "$PL | .[14]" "If the heartbeat output asks for direct inbox polling, run: conveyor worker-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
jeq "$PL | .[15]" 'If no item is consumed, stop after a one-line idle receipt.'
jtrue '.actions[0].prompt | contains("Saved handoff") | not'
dbeq "select json_extract(attributes_json, '$.handoff_id') is null, json_extract(attributes_json, '$.reason') is null,
      json_type(attributes_json, '$.reason') from telemetry_events where event_type = 'app_worker_rotation_planned'" '1|1|null'

section "plan text with an untitled old thread"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker
line_is 4 '  thread: app-loop-task worker fresh (new)'
line_is 6 '  thread: (untitled) thread-worker'

section "plan: a blank title falls back, a padded title is trimmed"
ok register-worker --name w --pid $$ --codex-session "$F" --codex-app-thread-title '   '
dbeq "select codex_app_thread_id from sessions where id = '$WID'" thread-worker
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq '.actions[0].thread.title' 'app-loop-task worker fresh'
ok register-worker --name w --pid $$ --codex-session "$F" --codex-app-thread-title '  Worker App  '
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq '.actions[0].thread.title' 'Worker App fresh'
jeq '.actions[1].thread.title' '  Worker App  '

section "record succeeds without a handoff; an omitted title is null"
export CONVEYOR_NOW=$T2
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-b --archive-status archived --json
jeq .new_worker.codex_app_thread_title null
jeq '.campaign_slots | tojson' '[]'
dbeq "select codex_app_thread_id, codex_app_thread_title is null, last_heartbeat_at is null from sessions where id = '$WID'" 'thread-b|1|1'
dbeq "select json_type(attributes_json, '$.handoff_id') || json_type(attributes_json, '$.new_worker_thread_title') ||
      json_type(attributes_json, '$.reason') from telemetry_events where event_type = 'app_worker_rotation_recorded'" nullnullnull

section "record text output"
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-b --new-worker-thread-id thread-c --archive-status archived
out_is "App worker rotation archived for app-loop-task.
Old worker thread: thread-b
New worker thread: thread-c
Receipt: $(tel id app_worker_rotation_recorded)"

section "record: a gone session's thread may be reused; only active sessions own threads"
ok register-worker --name w3 --pid $$ --codex-session "$F3" --codex-app-thread-id thread-gone
ok deregister w3
dbeq "select state from sessions where name = 'w3'" gone
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-c --new-worker-thread-id thread-gone --archive-status archived --json
jeq .new_worker.codex_app_thread_id thread-gone
dbeq "select codex_app_thread_id from sessions where id = '$WID'" thread-gone

section "record: another active manager's thread is refused too"
ok register-manager --name m2 --pid $$ --codex-session "$F3" --codex-app-thread-id thread-m2
record_refused 'Cannot record worker rotation; thread thread-m2 already belongs to session "m2"' \
	--old-worker-thread-id thread-gone --new-worker-thread-id thread-m2 --archive-status archived

# ---------------------------------------------------------------------------------------------------------------
section "record --archive-status blocked: no session or slot change, warning receipt"
std_fixture blockedarchive
ok campaign create --name launch --objective 'Launch week' --json
ok campaign add-slot --name launch --slot-key a --role-label x --session-id "$WID" --thread-id thread-worker --state active --json
SLOT=$(val .slot_id)
export CONVEYOR_NOW=$T2
events_before=$(dbq "select count(*) from events")
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new \
	--new-worker-thread-title 'New' --archive-status blocked --reason 'archive failed' --json
jeq '.archive | tojson' '{"old_worker_thread_id":"thread-worker","status":"blocked"}'
jeq '.new_worker | tojson' "{\"codex_app_thread_id\":\"thread-new\",\"codex_app_thread_title\":\"New\",\"session_id\":\"$WID\",\"session_updated\":false}"
jeq '.campaign_slots | tojson' '[]'
jeq .receipt.event_type app_worker_rotation_recorded
dbeq "select codex_app_thread_id, codex_app_thread_title, last_heartbeat_at from sessions where id = '$WID'" "thread-worker|Worker App|$T0"
dbeq "select codex_app_thread_id, updated_at from campaign_worker_slots where id = '$SLOT'" "thread-worker|$T0"
dbeq "select count(*) from events" "$events_before"
dbeq "select severity, summary from telemetry_events where id = '$(val .receipt.event_id)'" \
	'warning|Codex app worker rotation blocked for app-loop-task.'
dbeq "select json_extract(attributes_json, '$.archive_status') || '|' || json_extract(attributes_json, '$.session_updated') || '|' ||
      json_extract(attributes_json, '$.reason') from telemetry_events where id = '$(val .receipt.event_id)'" 'blocked|0|archive failed'
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status blocked
out_is "App worker rotation blocked for app-loop-task.
Old worker thread: thread-worker
New worker thread: thread-new
Receipt: $(tel id app_worker_rotation_recorded)"
dbeq "select count(*) from telemetry_events where event_type = 'app_worker_rotation_recorded' and severity = 'warning'" 2

# ---------------------------------------------------------------------------------------------------------------
section "plan errors exit 2 and write nothing"
std_fixture planerrors
ok tasks --create lonely --goal 'No binding'
d=$(db_digest)
fails 2 'app-worker-rotation-plan command requires a task.' app-worker-rotation-plan
fails 2 'app-worker-rotation-plan command requires a task.' app-worker-rotation-plan --old-worker-thread-id thread-worker
fails 2 'app-worker-rotation-plan requires --old-worker-thread-id.' app-worker-rotation-plan app-loop-task
fails 2 'app-worker-rotation-plan requires --old-worker-thread-id.' app-worker-rotation-plan nope --require-handoff
fails 2 'Unknown task: nope' app-worker-rotation-plan nope --old-worker-thread-id thread-worker
fails 2 'no active session-based binding for task "lonely"' app-worker-rotation-plan lonely --old-worker-thread-id thread-worker
fails 2 'unknown option --new-worker-thread-id for app-worker-rotation-plan (see conveyor app-worker-rotation-plan --help)' app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id x
fails 2 'unknown option --archive-status for app-worker-rotation-plan (see conveyor app-worker-rotation-plan --help)' app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --archive-status archived
fails 2 '--old-worker-thread-id requires a value.' app-worker-rotation-plan app-loop-task --old-worker-thread-id --json
same_db "$d"
ok unbind --task app-loop-task
d=$(db_digest)
fails 2 'no active session-based binding for task "app-loop-task"' app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker
fails 2 'no active session-based binding for task "app-loop-task"' app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived
same_db "$d"

# ---------------------------------------------------------------------------------------------------------------
# Each blocker on its own.
section "blocker active_binding_not_active: binding ending (eligible otherwise)"
std_fixture b1
dbq "update bindings set state = 'ending' where id = '$BID'"
export CONVEYOR_NOW=$T1
plan_blocked '["active_binding_not_active"]' --old-worker-thread-id thread-worker
jeq .guard.active_binding false
jeq .guard.binding_id "$BID"
record_refused 'Cannot record worker rotation; active worker ownership check failed: active_binding_not_active' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "blocker worker_session_not_active: worker gone"
std_fixture b2
dbq "update sessions set state = 'gone' where id = '$WID'"
export CONVEYOR_NOW=$T1
plan_blocked '["worker_session_not_active"]' --old-worker-thread-id thread-worker
jeq .guard.worker_state gone
jeq .guard.active_binding true
record_refused 'Cannot record worker rotation; active worker ownership check failed: worker_session_not_active' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "blocker worker_session_is_tmux_backed: worker re-registered with a tmux session"
std_fixture b3
ok register-worker --name w --pid $$ --codex-session "$F" --tmux-session tmux-w
jeq .tmux_session tmux-w
jeq .codex_app_thread_id thread-worker
export CONVEYOR_NOW=$T1
plan_blocked '["worker_session_is_tmux_backed"]' --old-worker-thread-id thread-worker
jeq .guard.exact_thread_match true
record_refused 'Cannot record worker rotation; active worker ownership check failed: worker_session_is_tmux_backed' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "blocker missing_worker_codex_app_thread_id: no thread (the guard value cannot match either)"
fixture b4 - - thread-manager
export CONVEYOR_NOW=$T1
plan_blocked '["missing_worker_codex_app_thread_id","old_worker_thread_id_mismatch"]' --old-worker-thread-id thread-worker
jeq .old_worker.codex_app_thread_id null
jeq .guard.exact_thread_match false
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker
out_is "App worker rotation for app-loop-task: blocked
Old worker thread: (missing)
Blockers: missing_worker_codex_app_thread_id, old_worker_thread_id_mismatch
Receipt: $(tel id app_worker_rotation_planned)"
record_refused 'Cannot record worker rotation; active worker ownership check failed: missing_worker_codex_app_thread_id, old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "blocker missing_worker_codex_app_thread_id: an empty thread id"
dbq "update sessions set codex_app_thread_id = '' where id = '$WID'"
plan_blocked '["missing_worker_codex_app_thread_id","old_worker_thread_id_mismatch"]' --old-worker-thread-id thread-worker

section "blocker old_worker_thread_id_mismatch: wrong guard value, exact comparison"
std_fixture b5
export CONVEYOR_NOW=$T1
plan_blocked '["old_worker_thread_id_mismatch"]' --old-worker-thread-id thread-other
jeq .guard.expected_old_worker_thread_id thread-other
plan_blocked '["old_worker_thread_id_mismatch"]' --old-worker-thread-id Thread-Worker
plan_blocked '["old_worker_thread_id_mismatch"]' --old-worker-thread-id 'thread-worker '

section "blocker manager_worker_thread_not_distinct: manager on the worker's thread"
fixture b6 thread-worker 'Worker App' thread-worker
export CONVEYOR_NOW=$T1
plan_blocked '["manager_worker_thread_not_distinct"]' --old-worker-thread-id thread-worker
jeq .guard.manager_thread_id thread-worker
jeq .guard.exact_thread_match true
record_refused 'Cannot record worker rotation; active worker ownership check failed: manager_worker_thread_not_distinct' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "blocker missing_worker_handoff: --require-handoff and no handoff (record does not require one)"
std_fixture b7
export CONVEYOR_NOW=$T1
plan_blocked '["missing_worker_handoff"]' --old-worker-thread-id thread-worker --require-handoff
jeq .handoff null
jeq .guard.require_handoff true
dbeq "select json_type(attributes_json, '$.handoff_id') from telemetry_events where event_type = 'app_worker_rotation_planned'" null
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq .eligible true

section "blocker handoff_worker_session_mismatch: the newest handoff is another worker's"
std_fixture b8
ok register-worker --name w2 --pid $$ --codex-session "$F3" --codex-app-thread-id thread-w2
W2=$(val .session_id)
ok unbind --task app-loop-task
ok bind --task app-loop-task --worker w2 --manager m
ok handoff app-loop-task --summary 'w2 notes'
jeq .worker_session_id "$W2"
ok unbind --task app-loop-task
ok bind --task app-loop-task --worker w --manager m
BID=$(val .binding_id)
export CONVEYOR_NOW=$T1
plan_blocked '["handoff_worker_session_mismatch"]' --old-worker-thread-id thread-worker --require-handoff
jeq .handoff.worker_session_id "$W2"
jeq .handoff.summary 'w2 notes'
jeq .guard.binding_id "$BID"
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --json
jeq .eligible true
jeq .handoff.worker_session_id "$W2"
ok app-worker-rotation-record app-loop-task --old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status blocked --json
jeq .archive.status blocked

section "blocker handoff_worker_session_mismatch: a handoff saved while no worker was bound"
ok unbind --task app-loop-task
ok handoff app-loop-task --summary 'unbound notes'
jeq .worker_session_id null
ok bind --task app-loop-task --worker w --manager m
plan_blocked '["handoff_worker_session_mismatch"]' --old-worker-thread-id thread-worker --require-handoff
jeq .handoff.worker_session_id null
jeq .handoff.id 2

section "two missing thread ids are not the same thread"
fixture nulls - - -
export CONVEYOR_NOW=$T1
plan_blocked '["missing_worker_codex_app_thread_id","old_worker_thread_id_mismatch"]' --old-worker-thread-id thread-worker
jeq .guard.manager_thread_id null
jeq '.blockers | index("manager_worker_thread_not_distinct")' null

# ---------------------------------------------------------------------------------------------------------------
section "combined blockers keep the table order (A: no thread, no handoff)"
fixture comboA - - -
ok register-worker --name w --pid $$ --codex-session "$F" --tmux-session tmux-w
dbq "update bindings set state = 'ending' where id = '$BID'; update sessions set state = 'gone' where id = '$WID'"
export CONVEYOR_NOW=$T1
plan_blocked '["active_binding_not_active","worker_session_not_active","worker_session_is_tmux_backed","missing_worker_codex_app_thread_id","old_worker_thread_id_mismatch","missing_worker_handoff"]' \
	--old-worker-thread-id thread-worker --require-handoff
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --require-handoff
line_is 3 'Blockers: active_binding_not_active, worker_session_not_active, worker_session_is_tmux_backed, missing_worker_codex_app_thread_id, old_worker_thread_id_mismatch, missing_worker_handoff'
record_refused 'Cannot record worker rotation; active worker ownership check failed: active_binding_not_active, worker_session_not_active, worker_session_is_tmux_backed, missing_worker_codex_app_thread_id, old_worker_thread_id_mismatch' \
	--old-worker-thread-id thread-worker --new-worker-thread-id thread-new --archive-status archived

section "combined blockers keep the table order (B: shared thread, another worker's handoff)"
fixture comboB thread-worker 'Worker App' thread-worker
ok register-worker --name w2 --pid $$ --codex-session "$F3" --codex-app-thread-id thread-w2
ok unbind --task app-loop-task
ok bind --task app-loop-task --worker w2 --manager m
ok handoff app-loop-task --summary 'w2 notes'
ok unbind --task app-loop-task
ok bind --task app-loop-task --worker w --manager m
BID=$(val .binding_id)
ok register-worker --name w --pid $$ --codex-session "$F" --tmux-session tmux-w
dbq "update bindings set state = 'ending' where id = '$BID'; update sessions set state = 'gone' where id = '$WID'"
export CONVEYOR_NOW=$T1
plan_blocked '["active_binding_not_active","worker_session_not_active","worker_session_is_tmux_backed","old_worker_thread_id_mismatch","manager_worker_thread_not_distinct","handoff_worker_session_mismatch"]' \
	--old-worker-thread-id thread-wrong --require-handoff
record_refused 'Cannot record worker rotation; active worker ownership check failed: active_binding_not_active, worker_session_not_active, worker_session_is_tmux_backed, old_worker_thread_id_mismatch, manager_worker_thread_not_distinct' \
	--old-worker-thread-id thread-wrong --new-worker-thread-id thread-new --archive-status archived

# ===============================================================================================================
section "app-heartbeat: errors exit 2 and write nothing"
std_fixture hb
ok tasks --create lonely --goal 'No binding'
export CONVEYOR_NOW=$T3
d=$(db_digest)
fails 2 'app-heartbeat command requires a task.' app-heartbeat
fails 2 'app-heartbeat command requires a task.' app-heartbeat --role worker
fails 2 'app-heartbeat requires --role manager|worker' app-heartbeat app-loop-task
fails 2 'app-heartbeat requires --role manager|worker' app-heartbeat app-loop-task --role reviewer
fails 2 'app-heartbeat requires --role manager|worker' app-heartbeat nope --role Worker
fails 2 'Unknown task: nope' app-heartbeat nope --role worker
fails 2 'No active bound worker session for task.' app-heartbeat lonely --role worker
fails 2 'No active bound manager session for task.' app-heartbeat lonely --role manager
fails 2 '--stale-after must be a non-negative integer.' app-heartbeat app-loop-task --role worker --stale-after soon
same_db "$d"

section "app-heartbeat: text output is two lines"
ok app-heartbeat app-loop-task --role worker
out_is "worker heartbeat recorded for app-loop-task
Next: conveyor worker-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
dbeq "select last_heartbeat_at from sessions where id = '$WID'" 2026-01-01T00:10:00Z

section "app-heartbeat --role manager stamps the manager"
ok app-heartbeat app-loop-task --role manager --json
jeq .role manager
jeq .next.poll_command "conveyor app-heartbeat 'app-loop-task' --role manager --path '$DB' --json"
jeq .next.direct_inbox_command "conveyor manager-inbox 'app-loop-task' --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '.status.manager.lease | tojson' '{"age_seconds":0,"last_heartbeat_at":"2026-01-01T00:10:00Z","stale_after_seconds":180,"state":"healthy"}'
jeq '.status.worker.lease.state' healthy
jeq '[.status.next_actions[].kind] | join(",")' start_dispatch
jeq .status.ok false
dbeq "select last_heartbeat_at from sessions where id = '$MID'" 2026-01-01T00:10:00Z
dbeq "select actor || '|' || summary || '|' || json_extract(attributes_json, '$.role') || '|' || json_extract(attributes_json, '$.session_id')
      from telemetry_events where event_type = 'app_heartbeat' order by rowid desc limit 1" \
	"manager|manager app heartbeat for app-loop-task.|manager|$MID"

section "app-heartbeat: a missing manager heartbeat"
dbq "update sessions set last_heartbeat_at = null where id = '$MID'"
ok app-heartbeat app-loop-task --role worker --json
jeq '.status.manager.lease | tojson' '{"age_seconds":null,"last_heartbeat_at":null,"stale_after_seconds":180,"state":"missing"}'
jeq '.status.next_actions[1] | tojson' "{\"kind\":\"wake_manager\",\"prompt\":\"conveyor app-heartbeat 'app-loop-task' --role manager --path '$DB' --json\",\"reason\":\"Manager heartbeat is missing.\",\"role\":\"manager\"}"

section "app-heartbeat --stale-after decides when a lease is stale"
fixture hb2 thread-worker 'Worker App' thread-manager
export CONVEYOR_NOW=$T3
# The manager's heartbeat is the registration time, 600 s before T3.
ok app-heartbeat app-loop-task --role worker --stale-after 599 --json
jeq '.status.manager.lease | tojson' "{\"age_seconds\":600,\"last_heartbeat_at\":\"$T0\",\"stale_after_seconds\":599,\"state\":\"stale\"}"
jeq .status.worker.lease.stale_after_seconds 599
jeq '[.status.next_actions[].kind] | join(",")' 'start_dispatch,wake_manager'
ok app-heartbeat app-loop-task --role worker --stale-after 601 --json
jeq .status.manager.lease.state healthy
jeq '[.status.next_actions[].kind] | join(",")' start_dispatch
jeq .status.ok false
# Exactly the threshold is still healthy (stale means strictly older, as for campaign slots).
ok app-heartbeat app-loop-task --role worker --stale-after 600 --json
jeq .status.manager.lease.state healthy
jeq .status.manager.lease.age_seconds 600

section "app-heartbeat: a live dispatcher makes the loop ok"
dbq "insert into telemetry_events(id, task_id, timestamp, actor, event_type, severity, summary, correlation_json, attributes_json)
     values ('telemetry-dispatch-1', null, '2026-01-01T00:09:30Z', 'dispatch', 'dispatch_watch_heartbeat', 'info', 'beat',
             '{\"dispatcher_id\":\"dispatch-7\"}', '{}')"
ok app-heartbeat app-loop-task --role worker --stale-after 601 --dispatcher-id dispatch-7 --json
jeq '.status.dispatch | tojson' '{"dispatcher_id":"dispatch-7","last_heartbeat_at":"2026-01-01T00:09:30Z","state":"healthy"}'
jeq '.status.next_actions | tojson' '[]'
jeq .status.ok true
ok app-heartbeat app-loop-task --role worker --stale-after 601 --json
jeq .status.dispatch.state missing

section "app-heartbeat: a gone bound worker cannot heartbeat"
dbq "update sessions set state = 'gone' where id = '$WID'"
d=$(db_digest)
fails 2 'No active bound worker session for task.' app-heartbeat app-loop-task --role worker
same_db "$d"

# ===============================================================================================================
section "telemetry: setup of two tasks' receipts"
std_fixture tel
add_handoff
ok tasks --create other-task --goal 'Other'
OTID=$(val .id)
export CONVEYOR_NOW=$T1
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-worker --reason 'quasar drift' --json
P1=$(val .receipt.event_id)
ok app-worker-rotation-plan app-loop-task --old-worker-thread-id thread-manager --json
P2=$(val .receipt.event_id)
export CONVEYOR_NOW=$T2
ok handoff other-task --summary 'Other notes'
H2=$(tel id worker_handoff_recorded)
export CONVEYOR_NOW=$T3
ok app-heartbeat app-loop-task --role worker --json
HB=$(tel id app_heartbeat)
H1=$(dbq "select id from telemetry_events where task_id = '$TID' and event_type = 'worker_handoff_recorded'")

section "telemetry: all rows, oldest first"
ok telemetry --json
jeq '[.[].id] | join(",")' "$H1,$P1,$P2,$H2,$HB"
jeq '.[1] | keys | join(",")' 'actor,attributes,correlation,event_type,id,run_id,severity,summary,task_id,timestamp'
jeq '.[1].attributes.reason' 'quasar drift'
jeq '.[1].correlation.command' app-worker-rotation-plan
jeq '.[1].timestamp' 2026-01-01T00:05:00Z

section "telemetry --task"
ok telemetry --task app-loop-task --json
jeq '[.[].id] | join(",")' "$H1,$P1,$P2,$HB"
ok telemetry --task other-task --json
jeq '[.[].id] | join(",")' "$H2"
jeq '.[0].task_id' "$OTID"
ok telemetry --task "$OTID" --json
jeq 'length' 1

section "telemetry --actor, --event-type, --severity"
ok telemetry --actor manager --json
jeq '[.[].id] | join(",")' "$P1,$P2"
ok telemetry --actor worker --task app-loop-task --json
jeq '[.[].id] | join(",")' "$H1,$HB"
ok telemetry --actor system --json
jeq 'length' 0
ok telemetry --event-type worker_handoff_recorded --json
jeq '[.[].id] | join(",")' "$H1,$H2"
ok telemetry --severity warning --json
jeq '[.[].id] | join(",")' "$P2"
ok telemetry --severity info --actor manager --json
jeq '[.[].id] | join(",")' "$P1"

section "telemetry --search (summary, attributes, or the exact event type)"
ok telemetry --search quasar --json
jeq '[.[].id] | join(",")' "$P1"
ok telemetry --search 'rotation blocked' --json
jeq '[.[].id] | join(",")' "$P2"
ok telemetry --search 'Other notes' --json
jeq 'length' 0
ok telemetry --search 'Recorded worker handoff' --json
jeq '[.[].id] | join(",")' "$H1,$H2"
ok telemetry --search app_worker_rotation_planned --json
jeq '[.[].id] | join(",")' "$P1,$P2"
ok telemetry --search 'rotation' --task other-task --json
jeq 'length' 0
ok telemetry --search '"quasar' --json
jeq '[.[].id] | join(",")' "$P1"

section "telemetry --limit and --newest"
ok telemetry --limit 2 --json
jeq '[.[].id] | join(",")' "$H1,$P1"
ok telemetry --newest --json
jeq '[.[].id] | join(",")' "$HB,$H2,$P2,$P1,$H1"
ok telemetry --newest --limit 1 --json
jeq '[.[].id] | join(",")' "$HB"
ok telemetry --limit 0 --json
out_is '[]'

section "telemetry text lines"
ok telemetry --task app-loop-task
out_is "2026-01-01T00:00:00Z worker worker_handoff_recorded [info] Recorded worker handoff.
2026-01-01T00:05:00Z manager app_worker_rotation_planned [info] Codex app worker rotation planned for app-loop-task.
2026-01-01T00:05:00Z manager app_worker_rotation_planned [warning] Codex app worker rotation blocked for app-loop-task.
2026-01-01T00:10:00Z worker app_heartbeat [info] worker app heartbeat for app-loop-task."
ok telemetry --event-type nothing-here
if [ ! -s "$OUT" ]; then good "telemetry with no rows prints nothing"; else bad "telemetry with no rows prints nothing"; fi

section "telemetry errors exit 2"
d=$(db_digest)
fails 2 'Unsupported telemetry actor: x' telemetry --actor x
fails 2 'Unsupported telemetry actor: Manager' telemetry --actor Manager --json
fails 2 'Unsupported telemetry severity: fatal' telemetry --severity fatal
fails 2 'Unknown task: nope' telemetry --task nope --json
fails 2 '--limit must be a non-negative integer.' telemetry --limit x
fails 2 '--limit must be a non-negative integer.' telemetry --limit -1
fails 2 'unknown option --role for telemetry (see conveyor telemetry --help)' telemetry --role worker
same_db "$d"

finish
