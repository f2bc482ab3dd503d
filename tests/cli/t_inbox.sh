#!/usr/bin/env bash
# Dispatch's queue and inboxes (SPEC 6.1, 6.5): `enqueue-notify-manager` / `enqueue-nudge-worker` (commands rows,
# command_created telemetry, permissions, idempotency keys, refusals) and the inboxes (`session-inbox`,
# `manager-inbox`, `worker-inbox`): contents built with sqlite3, order, consumption (wall-clock consumed_at,
# telemetry, two concurrent consumers), --wait returning promptly when an item arrives, the timeout, text forms.
. "$(dirname "$0")/lib.sh"

PIDS=()
# cleanup: kills the processes this script started, then removes the scratch folder.
cleanup() {
	local p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

MS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
RECORD_KEYS=binding_id,claim_expires_at,claimed_at,claimed_by,command_id,consumed_at,consumed_by_session_id,consumed_manager_cycle_id,correlation_id,created_at,dedupe_key,delivered_at,delivery_mode,error,id,payload,side_effect_completed,side_effect_started,signal_type,source_event_id,source_event_timestamp,source_session_id,source_session_name,source_session_role,state,target_session_id,target_session_name,target_session_role,task_id,task_name

# sid NAME: the id of a session.
sid() { dbq "select id from sessions where name = '$1'"; }

# note SIGNAL SOURCE TARGET CREATED [STATE [DELIVERED [MODE]]]: inserts a routed notification (correlation
# corr-N and payload {message: "item N", n: N} where N is its id), prints its id.
note() {
	local N
	N=$(($(dbq "select coalesce(max(id), 0) from routed_notifications") + 1))
	local delivered=${6-2026-01-01T00:00:01.000Z}
	dbq "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, target_session_id,
	  signal_type, dedupe_key, created_at, delivered_at, delivery_mode, state, side_effect_started, payload_json)
	  values ((select id from tasks where name = 't1'), (select id from bindings where state = 'active'), 'corr-$N',
	  '$(sid "$2")', '$(sid "$3")', '$1', 'dedupe-$N', '$4', $([ -n "$delivered" ] && echo "'$delivered'" || echo null),
	  '${7:-pull_required}', '${5:-delivered}', 1, '{\"message\":\"item $N\",\"n\":$N}'); select max(id) from routed_notifications;"
}

cp "$ROLLOUT_FIXTURE" "$T/w.jsonl"
cp "$ROLLOUT_FIXTURE" "$T/m.jsonl"
ok register-worker --name w1 --pid $$ --codex-session "$T/w.jsonl"
ok register-manager --name m1 --pid $$ --codex-session "$T/m.jsonl"
ok tasks --create t1 --goal 'dispatch slice'
ok tasks --create t2 --goal 'never bound'

section "enqueue-notify-manager: JSON, the commands row and command_created"
ok enqueue-notify-manager t1 --message 'Chapter 4 is drafted' --required-permission ' allow_pr ' --json
TASK1=$(dbq "select id from tasks where name = 't1'")
CMD=$(val .command_id)
jeq 'keys | join(",")' command_id,command_type,correlation_id,required_permission,task
jmatch .command_id 'command-[0-9a-f-]{36}'
jmatch .correlation_id 'dispatch-[0-9a-f-]{36}'
jeq .command_type notify_manager
jeq .required_permission allow_pr
jeq .task "$TASK1"
dbeq "select idempotency_key = id, state, max_attempts, attempts, required_permission, payload_json, created_at,
  updated_at, task_id = '$TASK1', type from commands where id = '$CMD'" \
	"1|pending|1|0|allow_pr|{\"message\":\"Chapter 4 is drafted\"}|2026-01-01T00:00:00.000Z|2026-01-01T00:00:00.000Z|1|notify_manager"
dbeq "select actor, severity, summary, task_id = '$TASK1', timestamp, correlation_json, attributes_json from telemetry_events
  where event_type = 'command_created'" \
	"workerctl|info|Created command notify_manager.|1|2026-01-01T00:00:00.000Z|{\"command_id\":\"$CMD\",\"command_type\":\"notify_manager\",\"correlation_id\":\"$(val .correlation_id)\"}|{\"idempotency_key\":\"$CMD\",\"manager_id\":null,\"required_permission\":\"allow_pr\",\"state\":\"pending\",\"worker_id\":null}"
dbeq "select count(*) from telemetry_events_fts where event_type = 'command_created'" 1

section "enqueue-nudge-worker: flags, text form, no binding needed"
ok enqueue-nudge-worker t2 --message 'Run the tests' --correlation-id corr-x --idempotency-key key-1 \
	--required-permission worker_session.interrupt
CMD2=$(dbq "select id from commands where idempotency_key = 'key-1'")
out_is "queued nudge_worker command $CMD2"
dbeq "select type, correlation_id, required_permission from commands where id = '$CMD2'" \
	'nudge_worker|corr-x|worker_session.interrupt'
dbeq "select json_extract(attributes_json, '$.idempotency_key') from telemetry_events where json_extract(correlation_json, '$.command_id') = '$CMD2'" key-1
ok enqueue-nudge-worker t1 --message hi --required-permission repo.open_pr --json
jeq .required_permission repo.open_pr
ok enqueue-nudge-worker t1 --message hi --json
jeq .required_permission null

section "enqueue: refusals leave the database unchanged"
refused 2 'enqueue-notify-manager requires a task.' enqueue-notify-manager --message hi
refused 2 'notify_manager message must be non-empty' enqueue-notify-manager t1
refused 2 'nudge_worker message must be non-empty' enqueue-nudge-worker t1 --message '  	 '
refused 2 'Unknown task: nope' enqueue-nudge-worker nope --message hi
refused 2 'unknown required_permission: repo.nope' enqueue-nudge-worker t1 --message hi --required-permission repo.nope
refused 2 'unknown required_permission: repo' enqueue-nudge-worker t1 --message hi --required-permission repo
refused 2 'required_permission must be non-empty when provided' enqueue-nudge-worker t1 --message hi --required-permission ' '
refused 2 'UNIQUE constraint failed: commands.idempotency_key' enqueue-nudge-worker t1 --message hi --idempotency-key key-1
refused 2 'UNIQUE constraint failed: commands.idempotency_key' enqueue-notify-manager t1 --message hi --idempotency-key "$CMD"
refused 2 '--message requires a value.' enqueue-notify-manager t1 --message
refused 2 'unknown option --wait for enqueue-notify-manager (see conveyor enqueue-notify-manager --help)' enqueue-notify-manager t1 --message hi --wait

ok bind --task t1 --worker w1 --manager m1

section "inbox: only delivered, unconsumed items of the session, oldest first, records field by field"
ok session-inbox m1 --json
jeq '.items | length' 0
jeq .consumed null
jeq '.task' null
N1=$(note notify_manager w1 m1 2026-01-01T00:00:03.000Z)
N2=$(note notify_manager w1 m1 2026-01-01T00:00:02.000Z delivered 2026-01-01T00:00:02.500Z push)
note notify_manager w1 m1 2026-01-01T00:00:01.000Z pending '' >/dev/null
note notify_manager w1 m1 2026-01-01T00:00:01.000Z failed >/dev/null
N5=$(note nudge_worker m1 w1 2026-01-01T00:00:01.000Z)
ok session-inbox m1 --json
jeq '[.items[].id] | map(tostring) | join(",")' "$N2,$N1"
jeq '.items[0] | keys | join(",")' "$RECORD_KEYS"
jeq '.items[0] | [.side_effect_started, .side_effect_completed, .payload.n, .payload.message] | map(tostring) | join(",")' "true,false,$N2,item $N2"
jeq '.items[0] | [.source_session_name, .source_session_role, .target_session_name, .target_session_role, .task_name, .delivery_mode, .delivered_at] | join(",")' \
	'w1,worker,m1,manager,t1,push,2026-01-01T00:00:02.500Z'
jeq '.session | [.id, .name, .role] | join(",")' "$(sid m1),m1,manager"
jeq '.wait | [.enabled, .timed_out, .poll_count, .interval_seconds, .timeout_seconds] | map(tostring) | join(",")' 'false,false,1,2,30'
ok session-inbox m1 --limit 1 --json
jeq '[.items[].id] | map(tostring) | join(",")' "$N2"
ok session-inbox m1 --limit 0 --json
jeq '.items | length' 1
ok worker-inbox t1 --json
jeq '[.items[].id] | map(tostring) | join(",")' "$N5"
jeq '.task | [.id, .name] | join(",")' "$TASK1,t1"
jeq .session.name w1

section "inbox: text form"
ok manager-inbox t1
out_is "inbox for m1 on t1
pending: 2
#$N2 notify_manager push from w1 to m1 delivered 2026-01-01T00:00:02.500Z (corr-$N2)
#$N1 notify_manager pull_required from w1 to m1 delivered 2026-01-01T00:00:01.000Z (corr-$N1)"

section "inbox: --consume-next takes the oldest, at the command's time, with telemetry"
export CONVEYOR_NOW=2026-01-01T00:01:00.000Z
ok manager-inbox t1 --consume-next --json
jeq .consumed.id "$N2"
jeq .consumed.consumed_at 2026-01-01T00:01:00.000Z
jeq .consumed.consumed_by_session_id "$(sid m1)"
jeq '[.items[].id] | map(tostring) | join(",")' "$N1"
dbeq "select consumed_at, consumed_by_session_id = '$(sid m1)' from routed_notifications where id = $N2" '2026-01-01T00:01:00.000Z|1'
dbeq "select actor, severity, timestamp, task_id = '$TASK1', json_extract(correlation_json, '$.notification_id'),
  json_extract(attributes_json, '$.signal_type') from telemetry_events where event_type = 'dispatch_inbox_consumed'" \
	"dispatch|info|2026-01-01T00:01:00.000Z|1|$N2|notify_manager"
ok session-inbox m1 --consume-next
out_is "inbox for m1
consumed #$N1 notify_manager pull_required from w1 to m1 at 2026-01-01T00:01:00.000Z (corr-$N1)
pending: none"
ok session-inbox m1 --consume-next --json
jeq .consumed null
jeq '.items | length' 0
dbeq "select count(*) from telemetry_events where event_type = 'dispatch_inbox_consumed'" 2
export CONVEYOR_NOW=2026-01-01T00:00:00.000Z

section "inbox: two concurrent consumers of one item - exactly one gets it"
for i in 1 2 3; do
	NC=$(note nudge_worker m1 w1 2026-01-01T00:00:0$i.000Z)
	dbq "update routed_notifications set consumed_at = '2026-01-01T00:00:00.000Z' where target_session_id = '$(sid w1)' and id <> $NC"
	"$CONVEYOR" worker-inbox t1 --consume-next --json --path "$DB" >"$T/c1" 2>&1 &
	P1=$!
	"$CONVEYOR" worker-inbox t1 --consume-next --json --path "$DB" >"$T/c2" 2>&1 &
	P2=$!
	wait "$P1"
	R1=$?
	wait "$P2"
	R2=$?
	is_true "both consumers exit 0 ($R1 $R2)" [ "$R1$R2" = 00 ]
	GOT=$(jq -r '.consumed.id // empty' "$T/c1" "$T/c2" | tr '\n' ' ')
	is_true "exactly one consumer got #$NC (got: $GOT)" [ "$GOT" = "$NC " ]
done

section "inbox: --wait returns promptly when another process delivers an item"
unset CONVEYOR_NOW
START=$(date +%s%N)
"$CONVEYOR" session-inbox m1 --consume-next --wait --timeout 10 --interval 0.2 --json --path "$DB" >"$T/w" 2>"$T/we" &
PW=$!
PIDS+=("$PW")
sleep 0.6
NW=$(CONVEYOR_NOW=2026-01-01T00:00:00.000Z note notify_manager w1 m1 2026-01-01T00:00:09.000Z)
INSERTED=$(date +%s%N)
wait "$PW"
RW=$?
DONE=$(date +%s%N)
cp "$T/w" "$OUT"
is_true "waiter exits 0" [ "$RW" -eq 0 ]
is_true "waiter returned $(((DONE - INSERTED) / 1000000)) ms after the insert (< 1500)" [ $(((DONE - INSERTED) / 1000000)) -lt 1500 ]
jeq .consumed.id "$NW"
jeq .wait.timed_out false
jtrue '.wait.poll_count >= 3'
jtrue ".wait.elapsed_seconds >= 0.5 and .wait.elapsed_seconds <= $(((DONE - START) / 1000000 + 50)) / 1000"
jmatch .consumed.consumed_at "$MS"
jmatch .consumed.consumed_at "$(date -u +%Y-%m-%d)T.*"
CONSUMED_MS=$(date -u -d "$(jq -r .consumed.consumed_at "$OUT")" +%s%3N)
is_true "consumed_at is the wall-clock time of consumption" [ "$CONSUMED_MS" -ge $((INSERTED / 1000000 - 1000)) ] 
is_true "consumed_at is not after the waiter returned" [ "$CONSUMED_MS" -le $((DONE / 1000000 + 5)) ]
export CONVEYOR_NOW=2026-01-01T00:00:00.000Z

section "inbox: --wait without --consume-next stops when the list is non-empty; timeout path"
note notify_manager w1 m1 2026-01-01T00:00:10.000Z >/dev/null
ok session-inbox m1 --wait --interval 0.1 --json
jeq '.items | length' 1
jeq .wait.poll_count 1
jeq .wait.enabled true
dbq "update routed_notifications set consumed_at = '2026-01-01T00:00:00.000Z'"
S0=$(date +%s%N)
ok worker-inbox t1 --consume-next --wait --timeout 0.5 --interval 0.1 --json
EL=$((($(date +%s%N) - S0) / 1000000))
jeq .consumed null
jeq .wait.timed_out true
jtrue '.wait.elapsed_seconds >= 0.5 and .wait.elapsed_seconds < 1.5'
jtrue '.wait.poll_count >= 4 and .wait.poll_count <= 7'
jeq .wait.interval_seconds 0.1
jeq .wait.timeout_seconds 0.5
is_true "timed out after ${EL} ms (< 1500)" [ "$EL" -lt 1500 ]
ok session-inbox w1 --wait --timeout 0 --json
jeq .wait.timed_out true
jeq .wait.poll_count 1

section "inbox: refusals leave the database unchanged"
refused 2 'session-inbox requires a session name.' session-inbox
refused 2 'manager-inbox requires a task.' manager-inbox
refused 2 'no session registered with name "zz"' session-inbox zz
refused 2 'Unknown task: nope' worker-inbox nope
refused 2 'task "t2" has no active binding; bind a worker and a manager first' manager-inbox t2
refused 2 '--interval must be greater than zero.' session-inbox m1 --interval 0
refused 2 '--interval must be greater than zero.' session-inbox m1 --interval -1
refused 2 '--timeout must be zero or greater.' session-inbox m1 --timeout -0.5
refused 2 '--timeout must be a number of seconds (at most 2000000).' session-inbox m1 --timeout soon
refused 2 '--interval must be a number of seconds (at most 2000000).' session-inbox m1 --interval 3000000
refused 2 '--limit must be a non-negative integer.' session-inbox m1 --limit x
refused 2 'unknown option --message for worker-inbox (see conveyor worker-inbox --help)' worker-inbox t1 --message hi

finish
