#!/usr/bin/env bash
# Lifecycle and health as a user sees it (SPEC 9.1, 9.2 with docs/lifecycle.md): finish-task and stop-task against
# a private tmux server running fake_codex.sh workers (the message really typed, the tmux sessions really killed),
# and reconcile with a dead process, a gone session in an active binding and a stale manager cycle. Checks exit
# codes, exact JSON, and the commands, events, telemetry, sessions, bindings, tasks and runs rows afterwards.
FAKE=$(cd "$(dirname "$0")" && pwd)/fake_codex.sh
. "$(dirname "$0")/lib.sh"

export TMUX_TMPDIR="$T/tmux"
mkdir -p "$TMUX_TMPDIR"
unset TMUX CONVEYOR_CODEX CODEX_HOME FAKE_VERSION
# Kills the private tmux server (and with it every fake worker) before removing the scratch directory.
cleanup() {
	tmux kill-server 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# wait_for TEXT CONDITION...: polls (up to 5 s) until the condition holds; counts as a check.
wait_for() {
	local what=$1 i
	shift
	for i in $(seq 50); do
		if "$@"; then
			good "$what"
			return 0
		fi
		sleep 0.1
	done
	bad "$what" "timed out"
}

# shows NAME TEXT: the screen of tmux session NAME contains TEXT.
shows() { tmux capture-pane -p -t "=$1:" 2>/dev/null | grep -qF -- "$2"; }

# alive NAME: tmux session NAME (exactly) exists.
alive() { tmux has-session -t "=$1" 2>/dev/null; }

# pane_pid NAME: the pid of the process in NAME's pane.
pane_pid() { tmux list-panes -t "=$1:" -F '#{pane_pid}'; }

# meta FILE ID: a rollout whose first line is a session_meta record.
meta() {
	mkdir -p "$(dirname "$1")"
	printf '{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"%s","cwd":"%s"}}\n' "$2" "$T" >"$1"
}

# fake NAME [FILE...]: fake_codex.sh in tmux session NAME with CODEX_HOME=$T/h/NAME holding the behaviour FILEs
# and a rollout $T/r/NAME.jsonl; waits for its screen.
fake() {
	local name=$1 home=$T/h/$1 f
	shift
	mkdir -p "$home"
	for f in "$@"; do touch "$home/$f"; done
	meta "$T/r/$name.jsonl" "fake-$name"
	echo "$T/r/$name.jsonl" >"$home/fake-rollout"
	tmux new-session -d -s "$name" -x 120 -y 30 -c "$T" -e CODEX_HOME="$home" -- bash "$FAKE"
	if [ -e "$home/fake-trust" ]; then
		wait_for "$name asks for trust" shows "$name" 'Trust this folder'
	else
		wait_for "$name shows its screen" shows "$name" 'OpenAI Codex'
	fi
}

# pair_up TASK WORKER MANAGER [FILE...]: fake tmux workers fk-WORKER and fk-MANAGER registered as WORKER and
# MANAGER (FILEs apply to the worker), task TASK created and bound, with an active run; sets TASK_ID, BID.
pair_up() {
	local task=$1 w=$2 m=$3
	shift 3
	fake "fk-$w" "$@"
	fake "fk-$m"
	ok register-worker --name "$w" --pid "$(pane_pid "fk-$w")" --codex-session "$T/r/fk-$w.jsonl" --tmux-session "fk-$w"
	ok register-manager --name "$m" --pid "$(pane_pid "fk-$m")" --codex-session "$T/r/fk-$m.jsonl" --tmux-session "fk-$m"
	ok tasks --create "$task" --goal "Goal of $task"
	TASK_ID=$(val .id)
	ok bind --task "$task" --worker "$w" --manager "$m"
	BID=$(val .binding_id)
	dbq "insert into runs(id, task_id, name, purpose, status, started_at, metadata_json) values ('run-$task', '$TASK_ID', '$task', 'pair', 'active', '2026-01-01T00:00:00Z', '{}')"
}

# cmd_row COLUMNS: columns of the newest commands row.
cmd_row() { dbq "select $1 from commands order by created_at desc, rowid desc limit 1"; }

NOW_S=2026-01-01T00:00:00Z
NOW=2026-01-01T00:00:00.000Z
KEYS=command_id,finish,killed_manager,killed_worker,manager,manager_session,message_submitted,reason,stop_manager,stop_worker,task,worker,worker_session

# ---------------------------------------------------------------------------------------------------------------
section "setup: t1 bound to fake tmux sessions w1 (fk-w1) and m1 (fk-m1)"
pair_up t1 w1 m1
T1=$TASK_ID
B1=$BID

section "usage and validation errors write nothing"
D=$(db_digest)
fails 2 'finish-task requires a task.' finish-task
fails 2 'stop-task requires a task.' stop-task
fails 2 'Unknown task: nope' finish-task nope
fails 2 'unknown option --stop-manager for stop-task (see conveyor stop-task --help)' stop-task t1 --stop-manager
fails 2 'unknown option --require-acks for finish-task (see conveyor finish-task --help)' finish-task t1 --require-acks
fails 2 'unknown option --decision-id for stop-task (see conveyor stop-task --help)' stop-task t1 --decision-id 3
fails 2 '--message requires a value.' finish-task t1 --message
same_db "$D"
cv finish-task --help
rc_is 0
out_has 'usage: conveyor finish-task TASK [--reason R] [--message TEXT] [--stop-worker] [--stop-manager] [--dry-run]'

section "finish-task --dry-run: the plan, nothing typed, killed or written"
ok finish-task t1 --stop-worker --stop-manager --message 'quick bye' --dry-run
jeq 'keys | join(",")' "command_id,dry_run,${KEYS#command_id,}"
jeq tojson '{"command_id":null,"dry_run":true,"finish":true,"killed_manager":false,"killed_worker":false,"manager":"m1","manager_session":"fk-m1","message_submitted":null,"reason":"Task finished by operator.","stop_manager":true,"stop_worker":true,"task":"t1","worker":"w1","worker_session":"fk-w1"}'
same_db "$D"
is_true "both tmux sessions still run" alive fk-w1
is_true "manager alive" alive fk-m1
is_true "nothing typed" test ! -e "$T/h/fk-w1/fake-input"

section "finish-task --message --stop-worker --stop-manager: typed, confirmed, both killed, everything ended"
ok finish-task t1 --stop-worker --stop-manager --message 'quick wrap up' --reason 'All done.' --json
C1=$(val .command_id)
jeq tojson "{\"command_id\":\"$C1\",\"finish\":true,\"killed_manager\":true,\"killed_worker\":true,\"manager\":\"m1\",\"manager_session\":\"fk-m1\",\"message_submitted\":true,\"reason\":\"All done.\",\"stop_manager\":true,\"stop_worker\":true,\"task\":\"t1\",\"worker\":\"w1\",\"worker_session\":\"fk-w1\"}"
is_true "the worker received the message" test "$(cat "$T/h/fk-w1/fake-input")" = 'quick wrap up'
is_true "the worker's tmux session is gone" not alive fk-w1
is_true "the manager's tmux session is gone" not alive fk-m1
dbeq "select name || ':' || state || ':' || last_heartbeat_at from sessions where name in ('w1', 'm1') order by name" "m1:gone:$NOW
w1:gone:$NOW"
dbeq "select state || ':' || ended_at from bindings where id = '$B1'" "ended:$NOW"
dbeq "select state || ':' || updated_at from tasks where id = '$T1'" "done:$NOW"
dbeq "select status || ':' || ended_at from runs where id = 'run-t1'" "finished:$NOW"
dbeq "select type || ':' || state || ':' || task_id || ':' || (error is null) from commands where id = '$C1'" "finish_task:succeeded:$T1:1"
dbeq "select payload_json from commands where id = '$C1'" '{"finish":true,"message":"quick wrap up","reason":"All done.","stop_manager":true,"stop_worker":true,"task":"t1"}'
dbeq "select c.result_json = json(e.payload_json) from commands c join events e on e.command_id = c.id where c.id = '$C1' and e.type = 'finish_task_succeeded'" 1
dbeq "select type from events where command_id = '$C1' order by id" 'finish_task_intent
finish_task_succeeded'
dbeq "select count(*) from events where command_id = '$C1' and task_id = '$T1'" 2
dbeq "select event_type from telemetry_events where correlation_json like '%$C1%' order by event_type" 'command_attempted
command_created
command_succeeded
task_finished'
dbeq "select actor || '|' || severity || '|' || summary || '|' || task_id || '|' || run_id || '|' || correlation_json from telemetry_events where event_type = 'task_finished'" "workerctl|info|Task finished.|$T1|run-t1|{\"command_id\":\"$C1\"}"
dbeq "select json_extract(attributes_json, '$.killed_worker') || json_extract(attributes_json, '$.reason') from telemetry_events where event_type = 'task_finished'" '1All done.'

section "finish-task on a finished task: exit 2, nothing written"
D=$(db_digest)
fails 2 'Task t1 is already done' finish-task t1
fails 2 'Task t1 is already done' stop-task t1 --dry-run
same_db "$D"

section "stop-task: the manager is always stopped, the worker only when asked; the run is abandoned"
pair_up t2 w2 m2
T2=$TASK_ID
ok stop-task t2
C2=$(val .command_id)
jeq tojson "{\"command_id\":\"$C2\",\"finish\":false,\"killed_manager\":true,\"killed_worker\":false,\"manager\":\"m2\",\"manager_session\":\"fk-m2\",\"message_submitted\":null,\"reason\":\"Task stopped by operator.\",\"stop_manager\":true,\"stop_worker\":false,\"task\":\"t2\",\"worker\":\"w2\",\"worker_session\":\"fk-w2\"}"
is_true "the worker still runs" alive fk-w2
is_true "the manager was killed" not alive fk-m2
dbeq "select name || ':' || state from sessions where name in ('w2', 'm2') order by name" 'm2:gone
w2:active'
dbeq "select state from tasks where id = '$T2'" done
dbeq "select status from runs where id = 'run-t2'" abandoned
dbeq "select state from bindings where task_id = '$T2'" ended
dbeq "select type || ':' || state from commands where id = '$C2'" 'stop_task:succeeded'
dbeq "select type from events where command_id = '$C2' order by id" 'stop_task_intent
stop_task_succeeded'
dbeq "select summary from telemetry_events where event_type = 'task_stopped' and task_id = '$T2'" 'Task stopped.'

section "finish-task of a task without a binding: nothing to stop, the task is done"
ok tasks --create t0 --goal 'Nothing bound'
ok finish-task t0 --stop-worker --stop-manager
jeq '[.worker, .manager, .killed_worker, .killed_manager] | tojson' '[null,null,false,false]'
dbeq "select state from tasks where name = 't0'" done

section "a stopped role whose tmux session already ended: not killed, marked gone, success"
pair_up t4 w4 m4
tmux kill-session -t =fk-w4
ok finish-task t4 --stop-worker
jeq '[.killed_worker, .killed_manager, .stop_manager] | tojson' '[false,false,false]'
dbeq "select name || ':' || state from sessions where name in ('w4', 'm4') order by name" 'm4:active
w4:gone'
is_true "the manager was not asked to stop" alive fk-m4

section "side-effect failure: a worker waiting for a person gets no message; command failed, exit 1, recorded"
pair_up t3 w3 m3 fake-trust
T3=$TASK_ID
MSG='session "w3" is waiting for a person (Codex asks whether to trust this folder); nothing was typed: answer it first (tmux attach -t fk-w3)'
fails 1 "$MSG" stop-task t3 --stop-worker --message 'hello'
C3=$(cmd_row id)
dbeq "select type || ':' || state || ':' || error from commands where id = '$C3'" "stop_task:failed:$MSG"
dbeq "select type from events where command_id = '$C3' order by id" 'stop_task_intent
stop_task_failed'
dbeq "select json_extract(payload_json, '$.error') || '|' || json_extract(payload_json, '$.killed_manager') from events where type = 'stop_task_failed'" "$MSG|0"
dbeq "select event_type from telemetry_events where correlation_json like '%$C3%' order by event_type" 'command_attempted
command_created
command_failed'
dbeq "select state from tasks where id = '$T3'" managed
dbeq "select state from bindings where task_id = '$T3'" active
dbeq "select status from runs where id = 'run-t3'" active
dbeq "select count(*) from sessions where name in ('w3', 'm3') and state = 'active'" 2
is_true "nothing was killed" alive fk-w3
is_true "manager alive" alive fk-m3
is_true "nothing was typed" test ! -e "$T/h/fk-w3/fake-input"

section "side-effect failure: tmux refused by a sandbox; nothing marked gone, the task stays; a retry succeeds"
pair_up t8 w8 m8
T8=$TASK_ID
mkdir -p "$T/deny"
printf '#!/bin/sh\necho "operation not permitted" >&2\nexit 1\n' >"$T/deny/tmux"
chmod +x "$T/deny/tmux"
DENIED='tmux has-session -t =fk-w8 failed: tmux access was denied by the operating system or sandbox: operation not permitted. Retry from a terminal/session with tmux PTY permissions.'
PATH="$T/deny:$PATH" fails 1 "$DENIED" stop-task t8 --stop-worker
dbeq "select type || ':' || state || ':' || error from commands order by created_at desc, rowid desc limit 1" "stop_task:failed:$DENIED"
dbeq "select json_extract(payload_json, '$.killed_worker') || json_extract(payload_json, '$.killed_manager') from events where type = 'stop_task_failed' and task_id = '$T8'" 00
dbeq "select count(*) from sessions where name in ('w8', 'm8') and state = 'active'" 2
dbeq "select state from tasks where id = '$T8'" managed
ok stop-task t8 --stop-worker
jeq '[.killed_worker, .killed_manager] | tojson' '[true,true]'
dbeq "select state from tasks where id = '$T8'" done
dbeq "select group_concat(state, ',') from commands where task_id = '$T8' order by rowid" 'failed,succeeded'

# ---------------------------------------------------------------------------------------------------------------
section "reconcile setup: a dead process (w5), a gone session in an active binding (w6), a stale cycle (t7)"
sleep 60 &
DEAD=$!
kill "$DEAD"
wait "$DEAD" 2>/dev/null
meta "$T/r/x.jsonl" fake-x
ok register-worker --name w5 --pid "$DEAD" --codex-session "$T/r/x.jsonl"
ok register-manager --name m5 --pid $$ --codex-session "$T/r/x.jsonl"
ok tasks --create t5 --goal g5
ok bind --task t5 --worker w5 --manager m5
B5=$(val .binding_id)
W5=$(dbq "select id from sessions where name = 'w5'")
ok register-worker --name w6 --pid $$ --codex-session "$T/r/x.jsonl"
ok register-manager --name m6 --pid $$ --codex-session "$T/r/x.jsonl"
ok tasks --create t6 --goal g6
T6=$(val .id)
ok bind --task t6 --worker w6 --manager m6
B6=$(val .binding_id)
dbq "update sessions set state = 'gone' where name = 'w6'"
ok register-worker --name w7 --pid $$ --codex-session "$T/r/x.jsonl"
ok register-manager --name m7 --pid $$ --codex-session "$T/r/x.jsonl"
ok tasks --create t7 --goal g7
T7=$(val .id)
ok bind --task t7 --worker w7 --manager m7
B7=$(val .binding_id)
dbq "insert into manager_cycles(task_id, started_at, completed_at, state) values ('$T7', '2025-12-31T21:00:00Z', '2025-12-31T21:30:00Z', 'succeeded'), ('$T7', '2025-12-31T22:00:00Z', '2025-12-31T22:00:00.000Z', 'succeeded')"
CY=$(dbq "select max(id) from manager_cycles")

section "reconcile: the report, nothing written"
D=$(db_digest)
ok reconcile
jeq 'keys | join(",")' 'dangling_bindings,dead_pid_sessions,interrupted_commands,schema_health,stuck_tasks'
jeq '.interrupted_commands | length' 0
jeq '.dead_pid_sessions | tojson' "[{\"name\":\"w5\",\"pid\":$DEAD,\"role\":\"worker\",\"session_id\":\"$W5\"}]"
jeq '.dangling_bindings | tojson' "[{\"binding_id\":\"$B6\",\"gone_role\":\"worker\",\"gone_session_name\":\"w6\",\"task_id\":\"$T6\",\"task_name\":\"t6\"}]"
jeq '.stuck_tasks | tojson' "[{\"binding_id\":\"$B7\",\"last_cycle_completed_at\":\"2025-12-31T22:00:00.000Z\",\"last_cycle_id\":$CY,\"seconds_since\":7200,\"task_id\":\"$T7\",\"task_name\":\"t7\"}]"
jeq '.schema_health | tojson' '{"journal_mode":"wal","ok":true,"quick_check":"ok","user_version":25}'
same_db "$D"
ok reconcile --stale-cycles-seconds 7200
jeq '.stuck_tasks | length' 0
CONVEYOR_NOW=2026-01-01T02:00:01.000Z ok reconcile --stale-cycles-seconds 14400
jeq '.stuck_tasks[0].seconds_since' 14401
fails 2 '--stale-cycles-seconds must be a non-negative integer.' reconcile --stale-cycles-seconds x
same_db "$D"

section "reconcile --apply: w5 gone, then both dangling bindings invalid, with events"
ok reconcile --apply
jeq '.applied | tojson' '{"bindings_marked_invalid":2,"commands_marked_failed":0,"sessions_marked_gone":1}'
jeq '[.dangling_bindings[] | .binding_id + ":" + .gone_session_name] | join(" ")' "$B5:w5 $B6:w6"
dbeq "select state || ':' || last_heartbeat_at from sessions where name = 'w5'" "gone:$NOW_S"
dbeq "select id || ':' || state || ':' || ended_at from bindings where id in ('$B5', '$B6') order by rowid" "$B5:invalid:$NOW_S
$B6:invalid:$NOW_S"
dbeq "select state from bindings where id = '$B7'" active
dbeq "select payload_json from events where type = 'session_marked_gone_by_reconcile'" "{\"name\":\"w5\",\"pid\":$DEAD,\"role\":\"worker\",\"session_id\":\"$W5\"}"
dbeq "select task_id || '|' || payload_json from events where type = 'binding_marked_invalid_by_reconcile' and json_extract(payload_json, '$.binding_id') = '$B6'" "$T6|{\"binding_id\":\"$B6\",\"gone_role\":\"worker\",\"gone_session_name\":\"w6\",\"task_id\":\"$T6\",\"task_name\":\"t6\"}"
dbeq "select count(*) from events where type like '%_by_reconcile'" 3
ok reconcile --apply
jeq '[.applied.bindings_marked_invalid, .applied.sessions_marked_gone, .applied.commands_marked_failed, (.dead_pid_sessions | length), (.dangling_bindings | length)] | tojson' '[0,0,0,0,0]'

section "reconcile on a missing database: reported unreadable, nothing created"
cv reconcile --path "$T/none.db"
rc_is 0
jeq '.schema_health.ok' false
jtrue '.schema_health.error | startswith("cannot open database")'
is_true "no database created" test ! -e "$T/none.db"

section "a finish-task killed between its two transactions: its command is leased, reported, and failed by reconcile --apply"
mkdir -p "$T/slowbin"
# A tmux that hangs (and says its pid), so finish-task stays between its transactions until it is killed.
printf '#!/bin/sh\necho $$ >>"%s/slow-tmux.pids"\nexec sleep 60\n' "$T" >"$T/slowbin/tmux"
chmod +x "$T/slowbin/tmux"
meta "$T/r/wk.jsonl" fake-wk
meta "$T/r/mk.jsonl" fake-mk
ok register-worker --name wk --pid $$ --codex-session "$T/r/wk.jsonl" --tmux-session wk-tmux
ok register-manager --name mk --pid $$ --codex-session "$T/r/mk.jsonl"
ok tasks --create tk --goal g
ok bind --task tk --worker wk --manager mk
# slow_finish: starts finish-task tk with the hanging tmux and waits until its command is attempted; sets KP.
slow_finish() {
	PATH="$T/slowbin:$PATH" "$CONVEYOR" finish-task tk --stop-worker --path "$DB" >/dev/null 2>&1 &
	KP=$!
	local n=0
	while [ "$(dbq "select count(*) from commands where type = 'finish_task' and state = 'attempted'")" != 1 ] &&
		[ $n -lt 200 ]; do
		sleep 0.05
		n=$((n + 1))
	done
}
slow_finish
dbeq "select claimed_by = 'finish-task:$KP' and claim_expires_at > claimed_at from commands where type = 'finish_task'" 1
ok reconcile --json
jeq '.interrupted_commands | length' 0
kill -9 "$KP"
wait "$KP" 2>/dev/null
CMD=$(dbq "select id from commands where type = 'finish_task' and state = 'attempted'")
ok reconcile --json
jeq '[.interrupted_commands[] | .command_id + "|" + .type] | tojson' "[\"$CMD|finish_task\"]"
ok reconcile --apply --json
jeq '.applied.commands_marked_failed' 1
dbeq "select state || '|' || error from commands where id = '$CMD'" \
	'failed|interrupted: the process running it ended before it recorded the outcome; run the command again'
dbeq "select count(*) from telemetry_events where event_type = 'command_failed' and json_extract(correlation_json, '$.command_id') = '$CMD'" 1
ok dispatch-status --task tk --json
jeq .queued 0
dbeq "select state from tasks where name = 'tk'" managed
xargs kill 2>/dev/null <"$T/slow-tmux.pids"

finish
