#!/usr/bin/env bash
# dispatch (SPEC 6.2-6.3, docs/dispatch.md): flags and refusals, dry run, pull delivery field by field, routing and
# permission failures, push through a fake tmux (success, failure before the side effect retried - defect 34 -,
# failure after it never retried), stale-claim recovery compared as instants (defect 36), --watch heartbeats, and
# the reliability cases: a dispatcher killed with SIGKILL mid-delivery, two dispatchers on 200 commands, and
# eight enqueuers racing a dispatcher on 2,000 commands.
. "$(dirname "$0")/lib.sh"

PIDS=()
# cleanup: kills the processes this script started, then removes the scratch folder.
cleanup() {
	local p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# wait_file FILE: polls (up to 10 s) until FILE exists and is not empty; counts as a check.
wait_file() {
	local i
	for i in $(seq 100); do
		if [ -s "$1" ]; then
			good "$1 appears"
			return 0
		fi
		sleep 0.1
	done
	bad "$1 appears" "timed out"
}

# A fake tmux on PATH: it logs each call, keeps the "screen" in a file, and misbehaves on request through files
# in $FT: down (no session), hang-has / hang-set (the call hangs, its pid in $FT/hanging), paste-fail.
FT="$T/faketmux"
mkdir -p "$FT/bin"
cat >"$FT/bin/tmux" <<'EOF'
#!/usr/bin/env bash
d=$FAKE_TMUX_DIR
printf '%s\n' "$*" >>"$d/log"
case $1 in
has-session)
	[ -f "$d/hang-has" ] && { echo $$ >"$d/hanging"; exec sleep 60; }
	[ -f "$d/down" ] && { echo "can't find session" >&2; exit 1; }
	exit 0 ;;
capture-pane) cat "$d/screen" 2>/dev/null; exit 0 ;;
set-buffer)
	[ -f "$d/hang-set" ] && { echo $$ >"$d/hanging"; exec sleep 60; }
	printf '%s' "${@: -1}" >"$d/buffer" ;;
paste-buffer)
	[ -f "$d/paste-fail" ] && { echo "paste refused" >&2; exit 1; }
	cat "$d/buffer" >>"$d/screen"; echo >>"$d/screen" ;;
esac
exit 0
EOF
chmod +x "$FT/bin/tmux"
echo '  >_ fake screen' >"$FT/screen"
export FAKE_TMUX_DIR="$FT" PATH="$FT/bin:$PATH"

cp "$ROLLOUT_FIXTURE" "$T/w.jsonl"
cp "$ROLLOUT_FIXTURE" "$T/m.jsonl"
cp "$ROLLOUT_FIXTURE" "$T/p.jsonl"
ok register-worker --name w1 --pid $$ --codex-session "$T/w.jsonl"
ok register-manager --name m1 --pid $$ --codex-session "$T/m.jsonl"
ok register-manager --name mp --pid $$ --codex-session "$T/p.jsonl" --tmux-session mx
ok register-worker --name wp --pid $$ --codex-session "$T/w.jsonl"
ok tasks --create t1 --goal 'pull target'
ok tasks --create tp --goal 'push target'
ok tasks --create t0 --goal 'never bound'
ok bind --task t1 --worker w1 --manager m1
ok bind --task tp --worker wp --manager mp
T1=$(dbq "select id from tasks where name = 't1'")

# cmd TASK TYPE MESSAGE: enqueues a command and prints its id.
cmd() {
	"$CONVEYOR" "enqueue-$2" "$1" --message "$3" --json --path "$DB" | jq -r .command_id
}

section "dispatch: refusals leave the database unchanged"
refused 2 '--once and --watch cannot be used together.' dispatch --once --watch
refused 2 '--type must be one of notify_manager, nudge_worker, continue_iteration, worker_task_complete.' dispatch --type finish_task
refused 2 '--interval must be greater than zero.' dispatch --interval 0
refused 2 '--interval must be a number of seconds (at most 2000000).' dispatch --interval soon
refused 2 '--limit must be a non-negative integer.' dispatch --limit -1
refused 2 '--lease-seconds must be a non-negative integer.' dispatch --lease-seconds x
refused 2 '--watch-iterations must be a non-negative integer.' dispatch --watch-iterations 1.5
refused 2 '--dispatcher-id requires a value.' dispatch --dispatcher-id
refused 2 'Unexpected argument: extra' dispatch extra
refused 2 'unknown option --message for dispatch (see conveyor dispatch --help)' dispatch --message hi

section "dispatch: an empty queue, JSON and text"
ok dispatch --json
jeq 'keys | join(",")' dispatcher_id,dry_run,iterations,processed,processed_count,watch
jeq '[.dispatcher_id, .dry_run, .iterations, .processed_count, .watch] | map(tostring) | join(",")' 'dispatch-local,false,1,0,false'
ok dispatch --once
out_is 'dispatch processed 0 item(s)'

section "dispatch --dry-run: lists claimable commands, writes nothing"
C1=$(cmd t1 notify-manager 'Chapter 4 is drafted')
BEFORE=$(db_digest)
ok dispatch --dry-run --json --dispatcher-id d1
same_db "$BEFORE"
jeq '.processed | length' 1
jeq '.processed[0] | keys | join(",")' command_id,command_type,correlation_id,dry_run,state,task
jeq '.processed[0] | [.command_id, .command_type, .dry_run, .state, .task] | map(tostring) | join(",")' "$C1,notify_manager,true,planned,$T1"
jeq '[.dispatcher_id, .dry_run] | map(tostring) | join(",")' 'd1,true'
ok dispatch --dry-run --type worker_task_complete --json
jeq .processed_count 0

section "dispatch: pull_required delivery, field by field"
export CONVEYOR_NOW=2026-01-01T00:00:01.000Z
ok dispatch --once --dispatcher-id d1 --json
jeq '.processed | length' 1
jeq '.processed[0] | keys | join(",")' attempt_id,command_id,command_type,correlation_id,delivery_mode,dispatcher_id,dry_run,error,notification_id,permission_check,required_permission,side_effect_completed,side_effect_started,state,target_session
jeq '.processed[0] | [.command_id, .delivery_mode, .dispatcher_id, .state, .target_session, .side_effect_started, .side_effect_completed, .permission_check, .error] | map(tostring) | join(",")' \
	"$C1,pull_required,d1,pull_required,m1,false,false,null,null"
N1=$(val '.processed[0].notification_id')
dbeq "select state, attempts, claimed_by, claimed_at, claim_expires_at, updated_at from commands where id = '$C1'" \
	'succeeded|1|d1|2026-01-01T00:00:01.000Z||2026-01-01T00:00:01.000Z'
dbeq "select dispatcher_id, state, started_at, finished_at, side_effect_started, side_effect_completed, json_extract(result_json, '$.state') from command_attempts where command_id = '$C1'" \
	'd1|succeeded|2026-01-01T00:00:01.000Z|2026-01-01T00:00:01.000Z|0|0|pull_required'
BID=$(dbq "select id from bindings where task_id = '$T1'")
dbeq "select state, delivery_mode, delivered_at, dedupe_key, signal_type, json_extract(payload_json, '$.message'), json_extract(payload_json, '$.dispatcher_id'), claim_expires_at from routed_notifications where id = $N1" \
	"delivered|pull_required|2026-01-01T00:00:01.000Z|$BID:notify_manager:$C1|notify_manager|Chapter 4 is drafted|d1|2026-01-01T00:01:01.000Z"
dbeq "select group_concat(event_type, ',') from (select event_type from telemetry_events where actor = 'dispatch' and json_extract(correlation_json, '$.command_id') = '$C1' order by rowid)" \
	'dispatch_command_claimed,dispatch_command_attempted,dispatch_signal_pull_required'
ok manager-inbox t1 --json
jeq '.items[0].payload.message' 'Chapter 4 is drafted'
ok dispatch --once --json
jeq .processed_count 0

section "dispatch: text form and routing failures (no binding, permission)"
C2=$(cmd t0 nudge-worker 'nobody bound')
ok dispatch
out_is "dispatch processed 1 item(s)
failed nudge_worker $C2: task $(dbq "select id from tasks where name = 't0'") has no active binding"
dbeq "select state, error from commands where id = '$C2'" "failed|task $(dbq "select id from tasks where name = 't0'") has no active binding"
C3=$("$CONVEYOR" enqueue-nudge-worker t1 --message 'open it' --required-permission allow_pr --json --path "$DB" | jq -r .command_id)
ok dispatch --json
jeq '.processed[0] | [.state, .error, .error_type, .permission_check.allowed, .notification_id] | map(tostring) | join(",")' \
	'failed,manager permission denied: allow_pr,Error,false,null'
dbeq "select count(*) from telemetry_events where event_type = 'dispatch_command_permission_checked' and severity = 'warning'" 1
dbq "insert into manager_configs(task_id, supervision_mode, guidelines_json, acceptance_criteria_json, reference_paths_json, permissions_json, created_at, updated_at) values ('$T1', 'guided', '[]', '[]', '[]', '[\"allow_pr\"]', 'x', 'x')"
C4=$("$CONVEYOR" enqueue-nudge-worker t1 --message 'open it' --required-permission allow_pr --json --path "$DB" | jq -r .command_id)
ok dispatch --json
jeq '.processed[0] | [.command_id, .state, .target_session, .permission_check.allowed, .permission_check.required_permission] | map(tostring) | join(",")' \
	"$C4,pull_required,w1,true,allow_pr"

section "dispatch: continue_iteration goes manager to worker; --type filters"
dbq "insert into commands(id, idempotency_key, created_at, updated_at, task_id, correlation_id, type, state, max_attempts, payload_json)
  values ('command-ci', 'command-ci', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', '$T1', 'corr-ci', 'continue_iteration', 'pending', 1, '{\"text\":\"next iteration\"}')"
C5=$(cmd t1 notify-manager 'not this type')
ok dispatch --type continue_iteration --json
jeq '[.processed[] | [.command_id, .state, .target_session] | join(":")] | join(",")' 'command-ci:pull_required:w1'
dbeq "select json_extract(payload_json, '$.message') from routed_notifications where command_id = 'command-ci'" 'next iteration'
dbeq "select state from commands where id = '$C5'" pending
ok dispatch --type notify_manager
out_is "dispatch processed 1 item(s)
pull_required notify_manager $C5 to m1"

section "dispatch: push through tmux (confirmed nudge path)"
P1=$(cmd tp notify-manager 'push me')
ok dispatch --json
jeq '.processed[0] | [.command_id, .state, .delivery_mode, .side_effect_started, .side_effect_completed, .send_result.target] | map(tostring) | join(",")' \
	"$P1,delivered,push,true,true,mx"
dbeq "select state, side_effect_started, side_effect_completed, delivered_at from routed_notifications where command_id = '$P1'" \
	'delivered|1|1|2026-01-01T00:00:01.000Z'
dbeq "select state, side_effect_started, side_effect_completed from command_attempts where command_id = '$P1'" 'succeeded|1|1'
is_true "the text reached the screen once" [ "$(grep -c 'push me' "$FT/screen")" -eq 1 ]
dbeq "select count(*) from telemetry_events where event_type = 'dispatch_signal_routed'" 1

section "dispatch: a command addressed to a session is pushed to that session's tmux, with no binding"
P0=$("$CONVEYOR" enqueue-notify-manager --session mp --message 'addressed to mp' --json --path "$DB" | jq -r .command_id)
ok dispatch --json
jeq '.processed[0] | [.command_id, .state, .delivery_mode, .target_session, .side_effect_completed, .send_result.target] | map(tostring) | join(",")' \
	"$P0,delivered,push,mp,true,mx"
dbeq "select coalesce(binding_id, 'none'), coalesce(source_session_id, 'operator'), state, side_effect_completed from routed_notifications where command_id = '$P0'" \
	'none|operator|delivered|1'
is_true "the addressed text reached the screen once" [ "$(grep -c 'addressed to mp' "$FT/screen")" -eq 1 ]
dbeq "select summary from telemetry_events where event_type = 'dispatch_command_attempted' and json_extract(correlation_json, '$.command_id') = '$P0'" \
	'Routed command notify_manager from operator to mp (push).'

section "dispatch: push failing before its side effect is retried, not orphaned (defect 34)"
touch "$FT/down"
P2=$(cmd tp notify-manager 'retry me')
ok dispatch --json
jeq '.processed[0] | [.state, .requeued, .side_effect_started, .error] | map(tostring) | join(",")' \
	'failed,true,false,tmux session is not running for session "mp": mx'
dbeq "select state, attempts, claimed_by, available_at from commands where id = '$P2'" 'pending|1||2026-01-01T00:00:06.000Z'
dbeq "select state, claimed_by, side_effect_started from routed_notifications where command_id = '$P2'" 'pending||0'
NP2=$(dbq "select id from routed_notifications where command_id = '$P2'")
ok dispatch --json
jeq .processed_count 0
rm "$FT/down"
export CONVEYOR_NOW=2026-01-01T00:00:06.000Z
ok dispatch --json
jeq '.processed[0] | [.command_id, .state, .notification_id] | map(tostring) | join(",")' "$P2,delivered,$NP2"
dbeq "select state, attempts from commands where id = '$P2'" 'succeeded|2'
dbeq "select group_concat(state, ',') from (select state from command_attempts where command_id = '$P2' order by id)" 'failed,succeeded'
dbeq "select count(*), group_concat(state) from routed_notifications where command_id = '$P2'" '1|delivered'
is_true "the retried text reached the screen once" [ "$(grep -c 'retry me' "$FT/screen")" -eq 1 ]

section "dispatch: retries stop after max(max_attempts, 3) attempts"
touch "$FT/down"
P3=$(cmd tp notify-manager 'never')
for t in 10 20 30; do CONVEYOR_NOW=2026-01-01T00:00:$t.000Z ok dispatch --json; done
jeq '.processed[0] | [.state, .requeued] | map(tostring) | join(",")' 'failed,false'
dbeq "select state, attempts from commands where id = '$P3'" 'failed|3'
dbeq "select state from routed_notifications where command_id = '$P3'" failed
CONVEYOR_NOW=2026-01-01T00:00:50.000Z ok dispatch --json
jeq .processed_count 0
rm "$FT/down"

section "dispatch: a push failing after its side effect started is never retried"
touch "$FT/paste-fail"
P4=$(cmd tp notify-manager 'half typed')
ok dispatch --json
jeq '.processed[0] | [.state, .requeued, .side_effect_started, .side_effect_completed] | map(tostring) | join(",")' 'failed,false,true,false'
dbeq "select state, attempts from commands where id = '$P4'" 'failed|1'
dbeq "select state, side_effect_started, side_effect_completed from routed_notifications where command_id = '$P4'" 'failed|1|0'
dbeq "select json_extract(attributes_json, '$.side_effect_risk') from telemetry_events where event_type = 'dispatch_signal_failed' and json_extract(correlation_json, '$.command_id') = '$P4'" 1
rm "$FT/paste-fail"

section "dispatch: stale claims are compared as instants (defect 36)"
S1=$(cmd t1 notify-manager 'stale one')
dbq "update commands set state = 'attempted', attempts = 1, claimed_by = 'gone', claim_expires_at = '2026-01-01T00:01:05Z' where id = '$S1'"
CONVEYOR_NOW=2026-01-01T00:01:04.900Z ok dispatch --json
jeq .processed_count 0
CONVEYOR_NOW=2026-01-01T00:01:05.500Z ok dispatch --json
jeq '.processed[0] | [.command_id, .state, .side_effect_started] | map(tostring) | join(",")' "$S1,requeued,false"
jeq '.processed[1] | [.command_id, .state] | map(tostring) | join(",")' "$S1,pull_required"
dbeq "select state, attempts from commands where id = '$S1'" 'succeeded|2'

section "dispatch --watch: passes with heartbeats"
unset CONVEYOR_NOW
ok dispatch --watch --watch-iterations 3 --interval 0.01 --dispatcher-id dw --json
jeq '[.iterations, .watch, .processed_count] | map(tostring) | join(",")' '3,true,0'
dbeq "select group_concat(json_extract(correlation_json, '$.iteration') || ':' || json_extract(attributes_json, '$.processed_count'), ',') from telemetry_events where event_type = 'dispatch_watch_heartbeat' and json_extract(correlation_json, '$.dispatcher_id') = 'dw'" '1:0,2:0,3:0'
ok dispatch --watch --watch-iterations 2 --interval 0.01 --dry-run --json
jeq '[.iterations, .dry_run] | map(tostring) | join(",")' '2,true'

section "dispatch: SIGKILL after the side effect started - recovery fails it, nothing typed twice"
export CONVEYOR_NOW=2026-01-01T00:02:00.000Z
K1=$(cmd tp notify-manager 'killed while typing')
touch "$FT/hang-set"
"$CONVEYOR" dispatch --once --lease-seconds 5 --path "$DB" >"$T/k.out" 2>"$T/k.err" &
KP=$!
PIDS+=("$KP")
wait_file "$FT/hanging"
{
	kill -9 "$KP"
	wait "$KP"
} 2>/dev/null
kill -9 "$(cat "$FT/hanging")" 2>/dev/null
rm -f "$FT/hang-set" "$FT/hanging"
dbeq "select c.state, a.state, a.side_effect_started from commands c join command_attempts a on a.command_id = c.id where c.id = '$K1'" 'attempted|running|1'
CONVEYOR_NOW=2026-01-01T00:02:04.000Z ok dispatch --once --json
jeq .processed_count 0
CONVEYOR_NOW=2026-01-01T00:02:05.000Z ok dispatch --once --json
jeq '[.processed_count, .processed[0].command_id, .processed[0].state, .processed[0].side_effect_started] | map(tostring) | join(",")' "1,$K1,failed,true"
dbeq "select c.state, a.state from commands c join command_attempts a on a.command_id = c.id where c.id = '$K1'" 'failed|failed'
dbeq "select state from routed_notifications where command_id = '$K1'" failed
is_true "the text was typed at most once" [ "$(grep -c 'killed while typing' "$FT/screen")" -le 1 ]

section "dispatch: SIGKILL before the side effect - recovery requeues and it is delivered once"
K2=$(cmd tp notify-manager 'killed before typing')
touch "$FT/hang-has"
"$CONVEYOR" dispatch --once --lease-seconds 5 --path "$DB" >"$T/k.out" 2>"$T/k.err" &
KP=$!
PIDS+=("$KP")
wait_file "$FT/hanging"
{
	kill -9 "$KP"
	wait "$KP"
} 2>/dev/null
kill -9 "$(cat "$FT/hanging")" 2>/dev/null
rm -f "$FT/hang-has" "$FT/hanging"
dbeq "select c.state, a.state, a.side_effect_started from commands c join command_attempts a on a.command_id = c.id where c.id = '$K2'" 'attempted|running|0'
CONVEYOR_NOW=2026-01-01T00:02:06.000Z ok dispatch --once --json
jeq '[.processed[].state] | join(",")' 'requeued,delivered'
dbeq "select group_concat(state, ',') from (select state from command_attempts where command_id = '$K2' order by id)" 'abandoned,succeeded'
dbeq "select count(*), group_concat(state) from routed_notifications where command_id = '$K2'" '1|delivered'
is_true "the text was typed exactly once" [ "$(grep -c 'killed before typing' "$FT/screen")" -eq 1 ]
unset CONVEYOR_NOW

# ev SESSION TIMESTAMP [MESSAGE]: inserts a task_complete codex event of a session and prints its id.
ev() {
	dbq "insert into codex_events(session_id, timestamp, type, subtype, payload_json, byte_offset, ingested_at)
	  values ((select id from sessions where name = '$1'), '$2', 'event_msg', 'task_complete',
	  json_object('type', 'task_complete', 'last_agent_message', '${3:-done}', 'turn_id', 'turn-1'), 0, '$2');
	  select max(id) from codex_events"
}

section "completions: routed to the manager, never from before the binding existed (defect 35)"
export CONVEYOR_NOW=2026-01-01T00:03:00.000Z
E0=$(ev w1 2025-12-31T23:59:59.999Z 'before the binding')
E1=$(ev w1 2026-01-01T00:00:30Z 'chapter done')
ok dispatch --dry-run --type worker_task_complete --json
jeq '[.processed[] | [.source_event_id, .state, .target_session, .delivery_mode] | map(tostring) | join(":")] | join(",")' "$E1:planned:m1:pull_required"
ok dispatch --type nudge_worker --json
jeq .processed_count 0
ok dispatch --json
jeq '.processed | length' 1
jeq '.processed[0] | keys | join(",")' delivery_mode,dispatcher_id,dry_run,error,notification_id,recovered,side_effect_completed,side_effect_started,signal_type,source_event_id,state,target_session
jeq '.processed[0] | [.source_event_id, .state, .signal_type, .target_session, .recovered] | map(tostring) | join(",")' "$E1,pull_required,worker_task_complete,m1,false"
NE1=$(val '.processed[0].notification_id')
W1=$(dbq "select id from sessions where name = 'w1'")
dbeq "select state, dedupe_key, source_event_timestamp, delivered_at, json_extract(payload_json, '$.worker_receipt.last_agent_message'), json_extract(payload_json, '$.worker_receipt.turn_id'), json_extract(payload_json, '$.message') from routed_notifications where id = $NE1" \
	"delivered|$BID:worker_task_complete:$W1:$E1|2026-01-01T00:00:30Z|2026-01-01T00:03:00.000Z|chapter done|turn-1|Worker w1 appears to have completed a turn on task t1. Run \`conveyor cycle t1\` to review it."
dbeq "select count(*) from telemetry_events where event_type = 'dispatch_signal_detected' and json_extract(correlation_json, '$.source_event_id') = $E1" 1
ok dispatch
out_is 'dispatch processed 0 item(s)'
dbeq "select count(*) from routed_notifications where source_event_id = $E0" 0
E5=$(ev w1 2026-01-01T00:02:00.000+00:00)
ok dispatch --type worker_task_complete
out_is "dispatch processed 1 item(s)
pull_required worker_task_complete event $E5 to m1"

section "completions: push to a tmux manager, retried after a failure before the side effect"
touch "$FT/down"
E2=$(ev wp 2026-01-01T00:02:59.000Z 'pushed completion')
ok dispatch --json
jeq '.processed[0] | [.source_event_id, .state, .side_effect_started, .recovered] | map(tostring) | join(",")' "$E2,failed,false,false"
dbeq "select state, claimed_by, side_effect_started from routed_notifications where source_event_id = $E2" 'pending||0'
rm "$FT/down"
ok dispatch --json
jeq '.processed[0] | [.source_event_id, .state, .side_effect_started, .side_effect_completed, .recovered] | map(tostring) | join(",")' "$E2,delivered,true,true,true"
dbeq "select count(*), group_concat(state) from routed_notifications where source_event_id = $E2" '1|delivered'
dbeq "select count(*) from telemetry_events where event_type = 'dispatch_signal_recovered'" 1
is_true "the completion reached the manager's screen once" [ "$(grep -c 'Worker wp appears to have completed' "$FT/screen")" -eq 1 ]

section "completions: an expired claim whose side effect started fails; a taken dedupe key is not routed again"
E3=$(ev wp 2026-01-01T00:02:59.500Z 'half sent')
dbq "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, target_session_id, signal_type,
  source_event_id, dedupe_key, created_at, delivery_mode, state, claimed_by, claim_expires_at, side_effect_started, payload_json)
  select task_id, id, 'corr-x', worker_session_id, manager_session_id, 'worker_task_complete', $E3, 'dk-x', 'x', 'push', 'pending', 'gone',
  '2026-01-01T00:02:59Z', 1, '{}' from bindings where task_id = (select id from tasks where name = 'tp')"
E4=$(ev w1 2026-01-01T00:02:58.000Z 'twice')
dbq "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, target_session_id, signal_type,
  dedupe_key, created_at, delivery_mode, state, payload_json) values ('$T1', '$BID', 'corr-y', '$W1', '$W1', 'worker_task_complete',
  '$BID:worker_task_complete:$W1:$E4', 'x', 'pull_required', 'suppressed', '{}')"
ok dispatch --json
jeq .processed_count 0
dbeq "select state, error from routed_notifications where source_event_id = $E3" 'failed|claim expired after its side effect started'
dbeq "select count(*) from routed_notifications where dedupe_key like '%:$E4'" 1
unset CONVEYOR_NOW

section "reliability: two dispatchers at once never deliver one command twice"
cp "$ROLLOUT_FIXTURE" "$T/wc.jsonl"
ok register-worker --name wc --pid $$ --codex-session "$T/wc.jsonl"
ok register-manager --name mc --pid $$ --codex-session "$T/wc.jsonl"
ok tasks --create tc --goal concurrency
ok bind --task tc --worker wc --manager mc
TC=$(dbq "select id from tasks where name = 'tc'")
dbq "with recursive n(i) as (select 1 union all select i + 1 from n where i < 200)
  insert into commands(id, idempotency_key, created_at, updated_at, task_id, correlation_id, type, state, max_attempts, payload_json)
  select 'command-cc-' || i, 'command-cc-' || i, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '$TC', 'corr-' || i,
  case i % 2 when 0 then 'notify_manager' else 'nudge_worker' end, 'pending', 1, json_object('message', 'm' || i) from n"
for i in $(seq 50); do ev wc "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ -d '+1 min')" "c$i" >/dev/null; done
"$CONVEYOR" dispatch --watch --interval 0.02 --watch-iterations 40 --dispatcher-id da --json --path "$DB" >"$T/da" 2>"$T/da.err" &
DA=$!
"$CONVEYOR" dispatch --watch --interval 0.02 --watch-iterations 40 --dispatcher-id db --json --path "$DB" >"$T/db" 2>"$T/db.err" &
DB2=$!
PIDS+=("$DA" "$DB2")
wait "$DA"
RA=$?
wait "$DB2"
RB=$?
is_true "both dispatchers exit 0 with empty stderr ($RA $RB)" [ "$RA$RB" = 00 ] && [ ! -s "$T/da.err" ] && [ ! -s "$T/db.err" ]
dbeq "select count(*) from commands where task_id = '$TC' and state = 'succeeded'" 200
dbeq "select count(*) from (select command_id from command_attempts where command_id like 'command-cc-%' group by command_id having count(*) = 1 and max(state) = 'succeeded')" 200
dbeq "select count(*), count(distinct command_id) from routed_notifications where task_id = '$TC' and command_id is not null" '200|200'
dbeq "select count(*), count(distinct source_event_id), sum(state = 'delivered') from routed_notifications where task_id = '$TC' and signal_type = 'worker_task_complete'" '50|50|50'
is_true "the two outputs add up to 250 items" [ $(($(jq .processed_count "$T/da") + $(jq .processed_count "$T/db"))) -eq 250 ]

section "reliability: eight enqueuers racing a dispatcher - 2,000 delivered once, no lock error"
"$CONVEYOR" dispatch --watch --interval 0.05 --limit 100 --watch-iterations 100000 --dispatcher-id dz --path "$DB" >"$T/dz" 2>"$T/dz.err" &
DZ=$!
PIDS+=("$DZ")
EP=()
for p in 1 2 3 4 5 6 7 8; do
	(for i in $(seq 250); do "$CONVEYOR" enqueue-notify-manager tc --message "e$p-$i" --path "$DB" >/dev/null || echo "exit $?" >&2; done) 2>"$T/e$p.err" &
	EP+=($!)
done
for p in "${EP[@]}"; do wait "$p"; done
for i in $(seq 200); do
	[ "$(dbq "select count(*) from commands where task_id = '$TC' and state = 'succeeded'")" -ge 2200 ] && break
	sleep 0.1
done
kill "$DZ"
wait "$DZ" 2>/dev/null
ERRS=$(cat "$T"/e?.err "$T/dz.err")
is_true "no enqueuer or dispatcher wrote to stderr: ${ERRS:0:200}" [ -z "$ERRS" ]
dbeq "select count(*), sum(state = 'succeeded') from commands where task_id = '$TC' and type = 'notify_manager' and json_extract(payload_json, '$.message') like 'e%'" '2000|2000'
dbeq "select count(*), count(distinct command_id) from routed_notifications where task_id = '$TC' and command_id is not null" '2200|2200'
dbeq "select count(*) from (select command_id from command_attempts group by command_id having count(*) > 1 and command_id in (select id from commands where task_id = '$TC'))" 0

finish
