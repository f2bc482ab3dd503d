#!/usr/bin/env bash
# discover / search (SPEC 3.8 with docs/sessions.md): the same output under both names, the query matching rules
# (case-insensitive substring over the documented fields, empty query matches everything), --all, --limit, the
# bindings rows, telemetry found by full-text search or by event type, setup suggestions, and --path in the
# communication poll template only when --path was given. discover writes nothing.
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:01:00.000Z
T2=2026-01-01T00:02:00.000Z
T3=2026-01-01T00:03:00.000Z
T4=2026-01-01T00:04:00.000Z
T5=2026-01-01T00:05:00.000Z
T7=2026-01-01T00:07:00.000Z
FIXTURE=$ROLLOUT_FIXTURE
SID=01a211e3-120c-7582-9710-cfc34f81afd2
RDIR="$T/codex/sessions/2026/01/01"
SESSION_KEYS=codex_app_thread_id,codex_app_thread_title,codex_session_id,codex_session_path,communication,cwd,id,identity_token,last_heartbeat_at,last_ingest_offset,name,pid,registered_at,role,state,tmux_pane_id,tmux_session
BINDING_KEYS=created_at,id,manager_name,manager_state,manager_tmux_session,state,task_goal,task_name,worker_name,worker_state,worker_tmux_session
TELEMETRY_KEYS=actor,attributes,correlation,event_type,id,run_id,severity,summary,task_id,timestamp
PROMPT_W='Open the intended worker Codex session and ask it to use the manage-codex-workers skill to register as the worker for this dashboard setup.'
PROMPT_M='Open the intended manager Codex session and ask it to use the manage-codex-workers skill to register as the manager for this dashboard setup.'
SUG_W="{\"kind\":\"register-worker\",\"prompt\":\"$PROMPT_W\"}"
SUG_M="{\"kind\":\"register-manager\",\"prompt\":\"$PROMPT_M\"}"
Q="'\"'\"'"

# pretty_sorted: the last stdout is JSON printed with 2-space indentation and recursively sorted keys.
pretty_sorted() {
	if [ -s "$OUT" ] && jq -S --indent 2 . "$OUT" 2>/dev/null | cmp -s - "$OUT"; then good "stdout is pretty sorted JSON"; else bad "stdout is pretty sorted JSON"; fi
}

# same_out FILE: the last stdout equals FILE byte for byte.
same_out() { if cmp -s "$1" "$OUT"; then good "stdout is the same as $1"; else bad "stdout is the same as $1"; fi; }

# ok_at DBPATH ARGS...: runs conveyor with --path DBPATH and expects success with nothing on stderr.
ok_at() {
	local db=$1
	shift
	cv "$@" --path "$db"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then good "conveyor $* --path $db succeeds"; else bad "conveyor $* --path $db succeeds" "exit $RC"; fi
}

# ok_nopath ARGS...: runs conveyor without --path (the database comes from WORKERCTL_STATE_ROOT) and expects success.
ok_nopath() {
	WORKERCTL_STATE_ROOT="$T/state" cv "$@"
	if [ "$RC" -eq 0 ] && [ ! -s "$ERR" ]; then good "conveyor $* (no --path) succeeds"; else bad "conveyor $* (no --path) succeeds" "exit $RC"; fi
}

# names LIST: the names (tasks, sessions) or task names (bindings) of a list of the last output, comma-joined.
names() { jq -r "[.$1[] | (.name // .task_name)] | join(\",\")" "$OUT"; }

# lists_are TASKS SESSIONS BINDINGS: what discover matched, by name.
lists_are() {
	local got
	got="$(names tasks)|$(names sessions)|$(names bindings)"
	if [ "$got" = "$1|$2|$3" ]; then good "matched '$1|$2|$3'"; else bad "matched '$1|$2|$3'" "got '$got'"; fi
}

# write_meta FILE ID CWD: a rollout whose first line is a session_meta record.
write_meta() {
	mkdir -p "$(dirname "$1")"
	printf '{"type":"session_meta","payload":{"id":"%s","cwd":"%s"}}\n' "$2" "$3" >"$1"
}

# ---------------------------------------------------------------------------------------------------------------
section "setup: sessions, tasks, bindings and telemetry"
mkdir -p "$RDIR"
cp "$FIXTURE" "$RDIR/rollout-2026-01-01T00-00-00-$SID.jsonl"
write_meta "$RDIR/rollout-w2.jsonl" W2-Codex-ID /srv/w2
write_meta "$RDIR/rollout-m1.jsonl" m1-id /srv/m1
write_meta "$RDIR/rollout-m2.jsonl" m2-id /srv/m2
write_meta "$RDIR/rollout-gone.jsonl" gone-id /srv/gone
ok register-worker --name w1 --pid 4242 --codex-session "$RDIR/rollout-2026-01-01T00-00-00-$SID.jsonl"
W1=$(val .session_id)
ok register-manager --name m1 --pid 4343 --codex-session "$RDIR/rollout-m1.jsonl" --cwd /srv/Manager-Home --tmux-session tmux-Mgr
ok register-worker --name w2 --pid 4444 --codex-session "$RDIR/rollout-w2.jsonl"
ok register-manager --name m2 --pid 4545 --codex-session "$RDIR/rollout-m2.jsonl"
ok register-worker --name gone1 --pid 4646 --codex-session "$RDIR/rollout-gone.jsonl"
dbq "insert into sessions(id, name, role, identity_token, cwd, registered_at, state)
     values ('session-legacy-1', 'legacy1', 'manager', 'token-legacy-1', '/legacy', '2025-12-31T00:00:00.000Z', 'active')"
export CONVEYOR_NOW=$T1
ok tasks --create beta --goal 'Beta goal'
BETA=$(val .id)
dbq "update tasks set state = 'done' where id = '$BETA'"
export CONVEYOR_NOW=$T2
ok tasks --create gamma --goal 'Gamma goal'
GAMMA=$(val .id)
ok bind --task gamma --worker w1 --manager m1
B1=$(val .binding_id)
export CONVEYOR_NOW=$T3
ok tasks --create alpha --goal 'Build the Alpha widget' --summary 'Needs a CSV export'
ALPHA=$(val .id)
export CONVEYOR_NOW=$T4
ok tasks --create delta --goal 'Delta goal'
DELTA=$(val .id)
dbq "update tasks set state = 'paused' where id = '$DELTA'"
export CONVEYOR_NOW=$T5
ok bind --task delta --worker w2 --manager m2
B2=$(val .binding_id)
export CONVEYOR_NOW=2026-01-01T00:06:00.000Z
ok handoff gamma --summary 'Gamma progress'
export CONVEYOR_NOW=$T7
ok deregister gone1
TEL_H=$(dbq "select id from telemetry_events where event_type = 'worker_handoff_recorded'")
dbeq "select group_concat(event_type, ' ') from (select event_type from telemetry_events order by rowid)" \
	'worker_handoff_recorded command_created command_attempted command_succeeded'
D=$(db_digest)

section "discover with no query: every active task, session and binding; keys; no telemetry"
ok discover
pretty_sorted
jeq 'keys | join(",")' bindings,query,sessions,suggestions,tasks,telemetry
jeq '.query | tojson' '""'
lists_are gamma,alpha,delta w1,m1,w2,m2 delta,gamma
jeq '.telemetry | tojson' '[]'
jeq '[.tasks[] | keys | join(",")] | unique | join(" ")' budget,created_at,goal,id,name,state,summary,updated_at
jeq '.tasks[1] | tojson' "{\"budget\":null,\"created_at\":\"$T3\",\"goal\":\"Build the Alpha widget\",\"id\":\"$ALPHA\",\"name\":\"alpha\",\"state\":\"candidate\",\"summary\":\"Needs a CSV export\",\"updated_at\":\"$T3\"}"
jeq '[.tasks[].state] | join(",")' managed,candidate,paused
jeq '[.sessions[] | keys | join(",")] | unique | join(" ")' "$SESSION_KEYS"
jeq '.sessions[0].id' "$W1"
jeq '.sessions[0].codex_session_id' "$SID"
jeq '[.sessions[].state] | unique | join(",")' active
same_db "$D"

section "discover: bindings rows (keys, values, newest first)"
jeq '[.bindings[] | keys | join(",")] | unique | join(" ")' "$BINDING_KEYS"
jeq '.bindings[1] | tojson' "{\"created_at\":\"$T2\",\"id\":\"$B1\",\"manager_name\":\"m1\",\"manager_state\":\"active\",\"manager_tmux_session\":\"tmux-Mgr\",\"state\":\"active\",\"task_goal\":\"Gamma goal\",\"task_name\":\"gamma\",\"worker_name\":\"w1\",\"worker_state\":\"active\",\"worker_tmux_session\":null}"
jeq '.bindings[0] | tojson' "{\"created_at\":\"$T5\",\"id\":\"$B2\",\"manager_name\":\"m2\",\"manager_state\":\"active\",\"manager_tmux_session\":null,\"state\":\"active\",\"task_goal\":\"Delta goal\",\"task_name\":\"delta\",\"worker_name\":\"w2\",\"worker_state\":\"active\",\"worker_tmux_session\":null}"

section "discover: the bind suggestion skips bound tasks (exact command string)"
jeq '.suggestions | length' 1
jeq '.suggestions[0] | keys | join(",")' command,kind,manager,task,worker
jeq '.suggestions[0].command' "conveyor bind --task 'alpha' --worker 'w1' --manager 'm1'"
jeq '.suggestions[0] | tojson' "{\"command\":\"conveyor bind --task 'alpha' --worker 'w1' --manager 'm1'\",\"kind\":\"bind\",\"manager\":\"m1\",\"task\":\"alpha\",\"worker\":\"w1\"}"
cp "$OUT" "$T/discover.json"

section "search is discover; --json and a blank query change nothing"
ok search
same_out "$T/discover.json"
ok discover --json
same_out "$T/discover.json"
ok search --json
same_out "$T/discover.json"
ok discover '   '
same_out "$T/discover.json"
ok discover ''
same_out "$T/discover.json"
same_db "$D"

section "discover: poll_command_template has --path only when --path was given"
jeq '.sessions[0].communication.poll_command_template' "conveyor worker-inbox <task> --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '.sessions[1].communication.poll_command_template' "conveyor manager-inbox <task> --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '[.sessions[].communication | has("poll_command")] | any | tojson' false
jeq '.sessions[1].communication | tojson' "{\"can_receive_pull\":true,\"can_receive_push\":true,\"delivery_mode\":\"push\",\"detection_source\":\"tmux_session\",\"poll_command_template\":\"conveyor manager-inbox <task> --consume-next --wait --timeout 60 --path '$DB' --json\",\"receive_style\":\"push\",\"requires_polling\":false,\"session_kind\":\"tmux\",\"tmux_session\":\"tmux-Mgr\"}"
ok_nopath discover
lists_are gamma,alpha,delta w1,m1,w2,m2 delta,gamma
jeq '.sessions[0].communication.poll_command_template' 'conveyor worker-inbox <task> --consume-next --wait --timeout 60 --json'
jeq '.sessions[1].communication.poll_command_template' 'conveyor manager-inbox <task> --consume-next --wait --timeout 60 --json'
jeq '.sessions[2].communication | tojson' '{"can_receive_pull":true,"can_receive_push":false,"delivery_mode":"pull_required","detection_source":"codex_session_without_tmux","poll_command_template":"conveyor worker-inbox <task> --consume-next --wait --timeout 60 --json","receive_style":"pull","requires_polling":true,"session_kind":"codex_app","tmux_session":null}'
ok_nopath search alpha
jeq '.sessions | tojson' '[]'
jeq '.query' alpha
same_db "$D"

section "query: tasks match on name, goal, summary and state, ignoring case; the query is trimmed"
ok discover ALPHA
jeq .query ALPHA
lists_are alpha '' ''
ok discover '  alpha  '
jeq .query alpha
lists_are alpha '' ''
ok discover wIdGeT
lists_are alpha '' ''
ok discover csv
lists_are alpha '' ''
ok discover paused
lists_are delta '' ''
ok discover candid
lists_are alpha '' ''
ok discover 'widget alpha'
lists_are '' '' ''
ok discover 'Build the Alpha'
lists_are alpha '' ''

section "query: sessions match on name, role, state, cwd, tmux_session and codex_session_id"
ok discover orke
lists_are '' w1,w2 ''
ok discover ANAGE
lists_are gamma m1,m2 ''
ok discover manager-home
lists_are '' m1 ''
ok discover TMUX-mgr
lists_are '' m1 ''
ok discover w2-codex
lists_are '' w2 ''
ok discover 01A211E3
lists_are '' w1 ''
ok discover demo/work2
lists_are '' w1 ''
ok discover pid
lists_are '' '' ''
ok discover rollout
lists_are '' '' ''

section "query: bindings match on task name, task goal, worker name, manager name and state"
ok discover gamma
lists_are gamma '' gamma
ok discover 'DELTA GOAL'
lists_are delta '' delta
ok discover w1
lists_are '' w1 gamma
ok discover m2
lists_are '' m2 delta
ok discover activ
lists_are '' w1,m1,w2,m2 delta,gamma
jeq '.telemetry | tojson' '[]'
ok discover tmux-mgr
jeq '.bindings | tojson' '[]'
same_db "$D"

section "query: suggestions come from what matched (register prompts verbatim)"
ok discover alpha
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"
ok discover w1
jeq '.suggestions | tojson' "[$SUG_M]"
ok discover m1
jeq '.suggestions | tojson' "[$SUG_W]"
ok discover gamma
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"

section "--all: done tasks, gone and legacy sessions; suggestions use the first active sessions (a legacy row is active)"
ok discover --all
lists_are beta,gamma,alpha,delta legacy1,w1,m1,w2,m2,gone1 delta,gamma
jeq '[.tasks[].state] | join(",")' done,managed,candidate,paused
jeq '[.sessions[].state] | join(",")' active,active,active,active,active,gone
jeq '.sessions[0] | [.pid, .codex_session_path, .communication.detection_source, .communication.session_kind] | tojson' \
	'[null,null,"missing_tmux_session","no_tmux"]'
jeq '.suggestions | tojson' "[{\"command\":\"conveyor bind --task 'alpha' --worker 'w1' --manager 'legacy1'\",\"kind\":\"bind\",\"manager\":\"legacy1\",\"task\":\"alpha\",\"worker\":\"w1\"}]"
ok discover gone --all
lists_are '' gone1 ''
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"
ok discover gone
lists_are '' '' ''
ok discover beta --all
lists_are beta '' ''
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"
ok discover done
lists_are '' '' ''
ok discover legacy --all
lists_are '' legacy1 ''
same_db "$D"

section "--limit truncates every list"
ok discover --limit 1
lists_are gamma w1 delta
jeq '.suggestions | tojson' "[$SUG_M]"
ok discover --limit 2 --all
lists_are beta,gamma legacy1,w1 delta,gamma
ok discover --limit 0
lists_are '' '' ''
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"
ok discover 'command deregister_session' --limit 2
jeq '[.telemetry[].event_type] | join(",")' command_created,command_attempted
fails 2 '--limit must be a non-negative integer.' discover --limit abc
fails 2 '--limit must be a non-negative integer.' discover --limit -1
fails 2 '--limit requires a value.' discover --limit
same_db "$D"

section "telemetry: full-text search over summary and attributes (each word), oldest first"
ok discover handoff
jeq '.telemetry | length' 1
jeq '[.telemetry[] | keys | join(",")] | unique | join(" ")' "$TELEMETRY_KEYS"
jeq '.telemetry[0] | tojson' "{\"actor\":\"worker\",\"attributes\":{\"next_step_count\":0,\"payload_keys\":[],\"summary_length\":14},\"correlation\":{\"handoff_id\":1,\"worker_session_id\":\"$W1\"},\"event_type\":\"worker_handoff_recorded\",\"id\":\"$TEL_H\",\"run_id\":null,\"severity\":\"info\",\"summary\":\"Recorded worker handoff.\",\"task_id\":\"$GAMMA\",\"timestamp\":\"2026-01-01T00:06:00Z\"}"
ok discover 'RECORDED Worker'
jeq '[.telemetry[].event_type] | join(",")' worker_handoff_recorded
ok discover 'Command deregister_session'
jeq '[.telemetry[].event_type] | join(",")' command_created,command_attempted,command_succeeded
jeq '[.telemetry[].timestamp] | unique | join(",")' "$T7"
jeq '[.telemetry[].correlation.command_type] | unique | join(",")' deregister_session
ok discover pending
jeq '[.telemetry[].event_type] | join(",")' command_created
jeq '.telemetry[0].attributes.state' pending
ok discover 'handoff pending'
jeq '.telemetry | tojson' '[]'
ok discover handof
jeq '.telemetry | tojson' '[]'
same_db "$D"

section "telemetry: an exact event_type matches even when the text does not"
ok discover worker_handoff_recorded
jeq '[.telemetry[].id] | join(",")' "$TEL_H"
lists_are '' '' ''
ok discover command_succeeded
jeq '[.telemetry[].event_type] | join(",")' command_succeeded
ok discover Command_Succeeded
jeq '.telemetry | tojson' '[]'

section "telemetry: FTS syntax in the query is taken literally"
ok discover 'NEAR(handoff'
jeq '.telemetry | tojson' '[]'
ok discover 'say "hi" OR *'
jeq '.telemetry | tojson' '[]'
ok discover 'handoff"'
jeq '[.telemetry[].event_type] | join(",")' worker_handoff_recorded
same_db "$D"

section "suggestions: quoting of names in the bind command, and --path with a quote"
DB2="$T/q'dir/conveyor.db"
ok_at "$DB2" register-worker --name "w'1" --pid 4242 --codex-session "$RDIR/rollout-w2.jsonl"
ok_at "$DB2" register-manager --name m1 --pid 4343 --codex-session "$RDIR/rollout-m2.jsonl"
ok_at "$DB2" tasks --create "it's" --goal 'Quote goal'
ok_at "$DB2" discover
jeq '.suggestions[0].command' "conveyor bind --task 'it${Q}s' --worker 'w${Q}1' --manager 'm1'"
jeq '.suggestions[0].task' "it's"
jeq '.suggestions[0].worker' "w'1"
jeq '.sessions[0].communication.poll_command_template' "conveyor worker-inbox <task> --consume-next --wait --timeout 60 --path '$T/q${Q}dir/conveyor.db' --json"

section "suggestions: nobody registered gives both register prompts"
DB3="$T/empty/conveyor.db"
ok_at "$DB3" tasks --create solo --goal 'Solo goal'
ok_at "$DB3" discover
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"
jeq '.suggestions[0].prompt' "$PROMPT_W"
jeq '.suggestions[1].prompt' "$PROMPT_M"
lists_are solo '' ''
ok_at "$DB3" search solo --all
jeq '.suggestions | tojson' "[$SUG_W,$SUG_M]"

section "suggestions and templates start with the program's name (workerctl when invoked so)"
CONVEYOR_CLI_PROG=workerctl ok discover
jeq '.sessions[0].communication.poll_command_template' "workerctl worker-inbox <task> --consume-next --wait --timeout 60 --path '$DB' --json"
jeq '.suggestions[0].command' "workerctl bind --task 'alpha' --worker 'w1' --manager 'm1'"

section "discover: flag and argument errors (nothing written)"
fails 2 'unknown option --role for discover (see conveyor discover --help)' discover --role worker
fails 2 'unknown option --state for search (see conveyor search --help)' search --state all
fails 2 'Unexpected argument: b' discover a b
same_db "$D"

finish
