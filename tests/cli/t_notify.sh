#!/usr/bin/env bash
# Commands addressed to a session (docs/dispatch.md): enqueue-* --session, their routing by dispatch (no task, no
# binding, no source session) into the session's inbox, and the campaign's link to dispatch: campaign assign
# --notify and campaign review --notify queue a nudge_worker command to the slot's worker session.
. "$(dirname "$0")/lib.sh"

cp "$ROLLOUT_FIXTURE" "$T/w.jsonl"
cp "$ROLLOUT_FIXTURE" "$T/m.jsonl"
ok register-worker --name w1 --pid $$ --codex-session "$T/w.jsonl"
ok register-manager --name m1 --pid $$ --codex-session "$T/m.jsonl"
ok tasks --create t1 --goal 'a task'
W1=$(dbq "select id from sessions where name = 'w1'")
M1=$(dbq "select id from sessions where name = 'm1'")

section "enqueue --session: refusals write nothing"
refused 2 'enqueue-nudge-worker takes a task or --session, not both' enqueue-nudge-worker t1 --session w1 --message hi
refused 2 'enqueue-nudge-worker requires a task.' enqueue-nudge-worker --message hi
refused 2 'no session registered with name "zz"' enqueue-nudge-worker --session zz --message hi
refused 2 'session "m1" has role "manager", expected "worker"' enqueue-nudge-worker --session m1 --message hi
refused 2 'session "w1" has role "worker", expected "manager"' enqueue-notify-manager --session w1 --message hi
refused 2 'nudge_worker message must be non-empty' enqueue-nudge-worker --session w1 --message ' '
refused 2 "--required-permission needs a task: it is checked against the task's manager config" \
	enqueue-nudge-worker --session w1 --message hi --required-permission repo.open_pr
refused 2 '--session requires a value.' enqueue-nudge-worker --session

section "enqueue-nudge-worker --session: the command row, its result and command_created"
ok enqueue-nudge-worker --session w1 --message 'look at the brief' --correlation-id corr-s1 --json
jeq 'keys | join(",")' 'command_id,command_type,correlation_id,required_permission,target_session,task'
jeq '.command_type' nudge_worker
jeq '.correlation_id' corr-s1
jeq '.task' null
jeq '.required_permission' null
jeq '.target_session | "\(.id) \(.name) \(.role)"' "$W1 w1 worker"
C1=$(val .command_id)
dbeq "select state || '|' || type || '|' || coalesce(task_id, 'null') || '|' || target_session_id || '|' || payload_json
  from commands where id = '$C1'" "pending|nudge_worker|null|$W1|{\"message\":\"look at the brief\"}"
dbeq "select json_extract(attributes_json, '$.target_session_id') || '|' || coalesce(task_id, 'null') from telemetry_events
  where event_type = 'command_created' and json_extract(correlation_json, '$.command_id') = '$C1'" "$W1|null"
ok enqueue-notify-manager --session m1 --message 'status, please'
out_is "queued notify_manager command $(dbq "select id from commands where type = 'notify_manager'") for session m1"

section "dispatch --dry-run names the target session of a session-addressed command"
ok dispatch --dry-run --json
jeq '[.processed[] | .target_session] | sort | join(",")' 'm1,w1'
jeq '[.processed[] | keys | join(",")] | unique | join(" ")' 'command_id,command_type,correlation_id,dry_run,state,target_session,task'
dbeq "select count(*) from commands where state = 'pending'" 2

section "dispatch delivers them pull_required into the sessions' inboxes: no task, binding or source session"
ok dispatch --once --json
jeq '[.processed[] | "\(.state) \(.target_session) \(.error)"] | sort | join(",")' 'pull_required m1 null,pull_required w1 null'
dbeq "select coalesce(task_id, 'null') || '|' || coalesce(binding_id, 'null') || '|' || coalesce(source_session_id, 'null')
  || '|' || target_session_id || '|' || state || '|' || dedupe_key from routed_notifications where command_id = '$C1'" \
	"null|null|null|$W1|delivered|session:$W1:nudge_worker:$C1"
dbeq "select state from commands where id = '$C1'" succeeded
ok session-inbox w1 --json
jeq '.items | length' 1
jeq '.items[0] | "\(.source_session_name) \(.source_session_role) \(.task_name) \(.task_id) \(.binding_id)"' \
	'null null null null null'
jeq '.items[0].payload.message' 'look at the brief'
jeq '.items[0].payload.source_session' null
jeq '.items[0].target_session_name' w1
ok session-inbox w1
out_has "#$(dbq "select id from routed_notifications where command_id = '$C1'") nudge_worker pull_required from operator to w1 delivered 2026-01-01T00:00:00.000Z (corr-s1)"
ok session-inbox m1 --consume-next --json
jeq '.consumed.signal_type' notify_manager
jeq '.consumed.consumed_by_session_id' "$M1"
jeq '.items | length' 0
dbeq "select json_extract(attributes_json, '$.source_session') is null from telemetry_events
  where event_type = 'dispatch_inbox_consumed'" 1

section "a session-addressed command does not need, or use, a binding: the bound worker's task inbox still works"
ok bind --task t1 --worker w1 --manager m1
ok enqueue-nudge-worker t1 --message 'through the binding'
ok dispatch --once
ok worker-inbox t1 --json
jeq '[.items[] | "\(.payload.message):\(.task_name)"] | sort | join(",")' 'look at the brief:null,through the binding:t1'

# The campaign: slot tiktok has w1 as its worker session, slot reels has none.
ok campaign create --name launch --objective 'Launch week'
ok campaign add-slot --name launch --slot-key tiktok --role-label Editor --session-id "$W1" --thread-id thr-1 \
	--state active --json
TIK=$(val .slot_id)
ok campaign add-slot --name launch --slot-key reels --role-label Reels --json
REELS=$(val .slot_id)

section "campaign assign --notify: the assignment and a nudge_worker command to the slot's worker, one transaction"
ok campaign assign --name launch --slot "$TIK" --title 'Teaser cut' --instructions 'Three 15 s cuts' --notify --json
jeq 'keys | join(",")' 'action,assignment_id,campaign,created,notification,slot_id'
A1=$(val .assignment_id)
jeq '.notification.command_type' nudge_worker
jeq '.notification.target_session.name' w1
jeq '.notification.task' null
N1=$(val .notification.command_id)
dbeq "select target_session_id || '|' || json_extract(payload_json, '$.assignment_id') || '|' ||
  json_extract(payload_json, '$.slot_id') || '|' || json_extract(payload_json, '$.slot_key') || '|' ||
  (json_extract(payload_json, '$.campaign_id') = (select id from campaigns where name = 'launch'))
  from commands where id = '$N1'" "$W1|$A1|$TIK|tiktok|1"
MSG=$(dbq "select json_extract(payload_json, '$.message') from commands where id = '$N1'")
case $MSG in
*'Campaign launch, slot tiktok: new assignment "Teaser cut"'*'Three 15 s cuts'*"conveyor campaign update-assignment --name 'launch' --assignment $A1 --status done --path '$DB'") good "the assignment message (with the --path of this ledger)" ;;
*) bad "the assignment message (with the --path of this ledger)" "$MSG" ;;
esac
ok campaign assign --name launch --slot "$TIK" --title 'Second cut' --instructions 'One more' --notify
out_is "campaign launch assignment created $(dbq "select id from campaign_assignments where title = 'Second cut'")
queued nudge_worker command $(dbq "select id from commands order by rowid desc limit 1") for session w1"

section "campaign assign without --notify queues nothing; --notify on a slot without a session writes nothing"
n=$(dbq "select count(*) from commands")
ok campaign assign --name launch --slot "$TIK" --title 'Quiet' --instructions 'No message' --json
jeq 'has("notification")' false
dbeq "select count(*) from commands" "$n"
refused 2 '--notify needs a worker session on slot reels (campaign attach-slot --session-id sets one)' \
	campaign assign --name launch --slot "$REELS" --title 'Lost' --instructions 'x' --notify
ok campaign assign --name launch --slot "$TIK" --title 'Dry' --instructions 'x' --notify --dry-run --json
jeq '.notification.command_type' nudge_worker
dbeq "select count(*) from commands" "$n"
dbeq "select count(*) from campaign_assignments where title = 'Dry'" 0

section "campaign review --status rejected --notify: the notes go to the worker of the asset's slot"
ok campaign asset --name launch --slot "$TIK" --assignment "$A1" --title 'Teaser v1' --asset-type video \
	--status needs_review --json
AS=$(val .asset_receipt_id)
ok campaign review --name launch --asset "$AS" --status rejected --review-notes 'Too long; cut to 12 s' --notify --json
jeq '.asset.status' rejected
jeq '.notification.target_session.name' w1
N2=$(val .notification.command_id)
dbeq "select json_extract(payload_json, '$.asset_receipt_id') || '|' || json_extract(payload_json, '$.review_status')
  from commands where id = '$N2'" "$AS|rejected"
MSG=$(dbq "select json_extract(payload_json, '$.message') from commands where id = '$N2'")
case $MSG in
*"your asset \"Teaser v1\" ($AS) was reviewed: rejected."*'Review notes: Too long; cut to 12 s'*"conveyor campaign asset --name 'launch' --slot $TIK --assignment $A1 --asset-type video --status needs_review --title 'Teaser v1' --path '$DB'") good "the review message (with the --path of this ledger)" ;;
*) bad "the review message (with the --path of this ledger)" "$MSG" ;;
esac
ok campaign review --name launch --asset "$AS" --status approved --notify
out_is "campaign launch asset $AS rejected -> approved
queued nudge_worker command $(dbq "select id from commands order by rowid desc limit 1") for session w1"
MSG=$(dbq "select json_extract(payload_json, '$.message') from commands order by rowid desc limit 1")
case $MSG in
*'was reviewed: approved.'*'Review notes: Too long; cut to 12 s') good "the approval message" ;;
*) bad "the approval message" "$MSG" ;;
esac

section "campaign review --notify on an asset whose slot has no session is refused and leaves the asset alone"
ok campaign asset --name launch --slot "$REELS" --title 'Reel v1' --asset-type video --status needs_review --json
AR=$(val .asset_receipt_id)
refused 2 '--notify needs a worker session on slot reels (campaign attach-slot --session-id sets one)' \
	campaign review --name launch --asset "$AR" --status rejected --review-notes 'no' --notify
dbeq "select status from campaign_asset_receipts where id = '$AR'" needs_review

section "dispatch delivers the campaign's notifications into the worker's inbox with the campaign's ids"
ok dispatch --once --limit 10 --json
jeq '[.processed[] | .state] | unique | join(",")' pull_required
ok session-inbox w1 --json --limit 20
jeq "[.items[] | select(.payload.assignment_id == \"$A1\" and .payload.campaign_id != null) | .payload.slot_key] | join(\",\")" tiktok
jeq "[.items[] | select(.payload.asset_receipt_id == \"$AS\") | .payload.review_status] | sort | join(\",\")" 'approved,rejected'

section "dispatch-status: dispatcher heartbeat, queue and inboxes of a campaign, a task, or everything"
refused 2 'dispatch-status takes --campaign or --task, not both' dispatch-status --campaign launch --task t1
refused 2 'unknown campaign: nope' dispatch-status --campaign nope
refused 2 'Unknown task: nope' dispatch-status --task nope
ok dispatch-status --campaign launch --json
jeq 'keys | join(",")' 'core_status,dispatcher_id,failed,inbox,last_heartbeat_at,queued,scope,sessions,side_effect_risk,stale_claims,suppressed'
jeq '[.core_status, .dispatcher_id, .queued, .failed, .stale_claims, .side_effect_risk, .suppressed] | tojson' '["not_observed",null,0,0,0,0,0]'
jeq '.scope | tojson' '{"kind":"campaign","name":"launch"}'
jeq '.inbox | tojson' '{"consumed":0,"pending":6,"pull_pending":6}'
jeq '.sessions | tojson' '[{"inbox":{"consumed":0,"pending":6,"pull_pending":6},"name":"w1","role":"worker"}]'
ok dispatch --watch --watch-iterations 1 --interval 0.01 --dispatcher-id dh
ok dispatch-status --task t1 --json
jeq '[.core_status, .dispatcher_id, .last_heartbeat_at] | tojson' '["active","dh","2026-01-01T00:00:00.000Z"]'
jeq '[.sessions[] | "\(.name):\(.inbox.pending):\(.inbox.consumed)"] | join(",")' 'm1:0:1,w1:6:0'
jeq '.scope | tojson' '{"kind":"task","name":"t1"}'
CONVEYOR_NOW=2026-01-01T00:00:31.000Z ok dispatch-status --json
jeq '[.core_status, .scope.kind, .scope.name, ([.sessions[].name] | join(","))] | tojson' '["stale","all",null,"m1,w1"]'
# A queued command, an attempted one whose lease expired and whose push started typing, and a failed one.
ok enqueue-nudge-worker --session w1 --message 'not dispatched yet'
dbq "insert into commands(id, idempotency_key, created_at, updated_at, target_session_id, correlation_id, type, state,
  claimed_by, claimed_at, claim_expires_at, attempts, payload_json) values ('command-x', 'command-x',
  '2025-12-31T23:58:00.000Z', '2025-12-31T23:58:00.000Z', '$W1', 'c-x', 'nudge_worker', 'attempted', 'gone',
  '2025-12-31T23:58:00.000Z', '2025-12-31T23:59:00.000Z', 1, '{\"message\":\"x\"}');
  insert into command_attempts(command_id, correlation_id, dispatcher_id, started_at, state, side_effect_started)
  values ('command-x', 'c-x', 'gone', '2025-12-31T23:58:00.000Z', 'running', 1);
  insert into commands(id, idempotency_key, created_at, updated_at, target_session_id, correlation_id, type, state,
  payload_json) values ('command-f', 'command-f', '2025-12-31T23:58:00.000Z', '2025-12-31T23:58:00.000Z', '$W1', 'c-f',
  'nudge_worker', 'failed', '{}')"
ok dispatch-status --campaign launch --json
jeq '[.core_status, .queued, .failed, .stale_claims, .side_effect_risk] | tojson' '["active",2,1,1,1]'
ok dispatch-status --task t1 --json
jeq '[.queued, .failed, .stale_claims, .side_effect_risk] | tojson' '[0,0,0,0]'
ok dispatch-status --campaign launch
out_is "dispatch active (dh, last heartbeat 2026-01-01T00:00:00.000Z) for campaign launch
queued=2 failed=1 stale_claims=1 side_effect_risk=1 suppressed=0
inbox pending=6 pull_pending=6 consumed=0
  w1 (worker) pending=6 pull_pending=6 consumed=0"

section "task-status reports the same dispatch health for its task"
ok task-status t1 --json
jeq '.dispatch | [.core_status, .queued, .inbox.pending, .inbox.consumed, (.sessions | length)] | tojson' '["active",0,6,1,2]'

section "in the default ledger (./.codex-workers) the generated command carries no --path"
mkdir -p "$T/home" && cd "$T/home" || exit 1
"$CONVEYOR" register-worker --name w1 --pid $$ --codex-session "$T/w.jsonl" >/dev/null
"$CONVEYOR" campaign create --name home --objective o >/dev/null
"$CONVEYOR" campaign add-slot --name home --slot-key k --role-label r \
	--session-id "$(sqlite3 -batch .codex-workers/workerctl.db "select id from sessions where name = 'w1'")" >/dev/null
"$CONVEYOR" campaign assign --name home --slot k --title t --instructions i --notify >/dev/null
MSG=$(sqlite3 -batch .codex-workers/workerctl.db "select json_extract(payload_json, '$.message') from commands")
case $MSG in
*"--status done") good "the message ends with the command, no --path" ;;
*) bad "the message ends with the command, no --path" "$MSG" ;;
esac
cd "$T" || exit 1

finish
