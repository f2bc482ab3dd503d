#!/usr/bin/env bash
# Observation as a user sees it (SPEC 5 with the real Codex 0.169 facts): `ingest` (stored offset, partial and
# malformed lines, refusals, codex_events rows, telemetry), the busy/idle state of both rollout formats, `cycle`
# (staleness, liveness, the pane signal without tmux, with a missing tmux session and with a real pane in a
# private tmux server, cycle rows and spans, notification consumption, failed cycles), `tail` (order, filters,
# redaction), `divergences`, `classify`, and every refusal with its exact message and an unchanged database.
. "$(dirname "$0")/lib.sh"

FIX=$(dirname "$ROLLOUT_FIXTURE")
PANES="$FIX/panes"

# A private tmux server (never the caller's) and the processes this script starts, all ended at exit.
unset TMUX TMUX_PANE
export TMUX_TMPDIR
TMUX_TMPDIR=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-tmux.XXXXXX")
PIDS=()
# cleanup: ends the private tmux server and the processes this script started, then removes the scratch folders.
cleanup() {
	local p
	tmux kill-server 2>/dev/null
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
	rm -rf "$T" "$TMUX_TMPDIR"
}
trap cleanup EXIT

UUID='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
CYCLE_KEYS=binding_id,consumed_dispatch_notifications,cycle_completed_at,cycle_id,cycle_started_at,ingest,kind,last_event_subtype,last_state_event_at,manager_alive,manager_context,manager_session,notable_pane_pattern,pane_signal,staleness_seconds,state,task,task_completed,worker_alive,worker_session
PHASES=start_cycle,ingest_rollout,infer_worker_state,capture_pane_signal,load_manager_context,persist_cycle_row

# pretty_sorted: the last stdout is JSON printed with 2-space indentation and recursively sorted keys.
pretty_sorted() {
	if [ -s "$OUT" ] && jq -S --indent 2 . "$OUT" 2>/dev/null | cmp -s - "$OUT"; then good "stdout is pretty sorted JSON"; else bad "stdout is pretty sorted JSON"; fi
}

# line_is N TEXT: line N of the last stdout is exactly TEXT.
line_is() {
	local got
	got=$(sed -n "${1}p" "$OUT")
	if [ "$got" = "$2" ]; then good "stdout line $1 is '$2'"; else bad "stdout line $1 is '$2'" "got '$got'"; fi
}

# sid NAME: the id of a session.
sid() { dbq "select id from sessions where name = '$1'"; }

# start_sleeper: starts a process that stays alive until killed (its pid in SLEEPER, killed at exit).
start_sleeper() {
	sleep 600 </dev/null >/dev/null 2>&1 &
	SLEEPER=$!
	PIDS+=("$SLEEPER")
}

# lines FILE FROM TO: lines FROM..TO of FILE.
lines() { sed -n "${2},${3}p" "$1"; }

# line_no FILE N-TH PATTERN: the line number of the N-th line of FILE containing the fixed PATTERN.
line_no() { grep -nF -- "$3" "$1" | sed -n "${2}p" | cut -d: -f1; }

# ts_of FILE LINE: the timestamp of a rollout line.
ts_of() { sed -n "${2}p" "$1" | jq -r .timestamp; }

# expected_events FILE START: what ingest must store for each complete line of FILE from byte START (SPEC 5.1),
# as a JSON array of {byte_offset, type, subtype, timestamp, payload} (timestamps absent as null).
expected_events() {
	tail -c +"$(($2 + 1))" "$1" | jq -Rn --argjson start "$2" '
		[inputs] | reduce .[] as $l ({o: $start, r: []};
			.r += [($l | try fromjson catch null) as $j
				| select(($j | type) == "object" and ($j.type | type) == "string")
				| {byte_offset: .o, type: $j.type,
				   subtype: (if $j.type == "event_msg" and ($j.payload | type) == "object"
				             and ($j.payload.type | type) == "string" then $j.payload.type else null end),
				   timestamp: (if ($j.timestamp | type) == "string" and $j.timestamp != "" then $j.timestamp
				               else null end),
				   payload: (if ($j.payload | type) == "object" then $j.payload else {} end)}]
			| .o += ($l | utf8bytelength) + 1) | .r'
}

# stored_events SESSION MIN_ID: the codex_events rows of SESSION with id >= MIN_ID in the same shape (a
# timestamp equal to NOW, the ingest time, is shown as null).
stored_events() {
	sqlite3 -json "$DB" "select byte_offset, type, subtype, case when timestamp = '$3' then null else timestamp end
		as timestamp, payload_json from codex_events where session_id = '$(sid "$1")' and id >= $2 order by id" |
		jq '[.[] | {byte_offset, type, subtype, timestamp, payload: (.payload_json | fromjson)}]'
}

# same_events TEXT SESSION MIN_ID FILE START: the rows stored for SESSION equal what FILE says from START.
same_events() {
	local want got
	want=$(expected_events "$4" "$5" | jq -S -c .)
	got=$(stored_events "$2" "$3" "$CONVEYOR_NOW" | jq -S -c .)
	if [ -n "$want" ] && [ "$want" = "$got" ]; then
		good "$1: the stored events are the rollout's"
	else
		bad "$1: the stored events are the rollout's" "want $(head -c 200 <<<"$want"), got $(head -c 200 <<<"$got")"
	fi
}

# payloads_canonical SESSION: every stored payload_json of SESSION is compact JSON with recursively sorted keys.
payloads_canonical() {
	local n
	n=$(sqlite3 -json "$DB" "select payload_json from codex_events where session_id = '$(sid "$1")'" | jq '
		def sorted: if type == "object" then to_entries | sort_by(.key) | map(.value |= sorted) | from_entries
		            elif type == "array" then map(sorted) else . end;
		map(select(.payload_json != (.payload_json | fromjson | sorted | tojson))) | length')
	if [ "$n" = 0 ]; then
		good "every payload_json of $1 is sorted compact JSON"
	else
		bad "every payload_json of $1 is sorted compact JSON" "$n are not"
	fi
}

# age FROM TO: whole seconds from the timestamp FROM to TO (truncated), as cycle computes staleness.
age() { echo $((($(date -u -d "$2" +%s%3N) - $(date -u -d "$1" +%s%3N)) / 1000)); }

# wait_pane SESSION TEXT: waits (up to 5 s) until the tmux pane of SESSION shows TEXT.
wait_pane() {
	local i
	for i in $(seq 50); do
		tmux capture-pane -p -t "=$1:" 2>/dev/null | grep -qF -- "$2" && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------------------------------------------
section "setup: rollouts of both formats, live processes, a task per worker"
mkdir -p "$T/r"
R3="$T/r/tui-3turns.jsonl"
RA="$T/r/approval.jsonl"
RX="$T/r/exec.jsonl"
RO="$T/r/older.jsonl"
RM="$T/r/manager.jsonl"
cp "$FIX/tui-3turns.jsonl" "$R3"
cp "$FIX/exec-toolcall.jsonl" "$RX"
cp "$FIX/exec-missing-key-error.jsonl" "$RM"
chmod u+w "$T"/r/*.jsonl
APP="$FIX/tui-approval-interrupt-steer.jsonl"
# the older format: event_msg user_message / agent_message, no item_completed
cat >"$T/r/older-full.jsonl" <<'EOF'
{"timestamp":"2025-06-01T10:00:00.000Z","type":"session_meta","payload":{"id":"old-1","cwd":"/srv/old"}}
{"timestamp":"2025-06-01T10:00:01.000Z","type":"event_msg","payload":{"type":"task_started"}}
{"timestamp":"2025-06-01T10:00:02.000Z","type":"event_msg","payload":{"type":"user_message","message":"fix the build\nplease","images":[]}}
{"timestamp":"2025-06-01T10:00:05.000Z","type":"event_msg","payload":{"type":"agent_message","message":"on it"}}
{"timestamp":"2025-06-01T10:00:09.000Z","type":"event_msg","payload":{"type":"task_complete","last_agent_message":"done"}}
{"timestamp":"2025-06-01T10:01:00.000Z","type":"event_msg","payload":{"type":"user_message","message":""}}
{"timestamp":"2025-06-01T10:01:02.000Z","type":"event_msg","payload":{"type":"agent_message","message":"thinking"}}
EOF
head -n 1 "$APP" >"$RA"
head -n 1 "$T/r/older-full.jsonl" >"$RO"
start_sleeper
LIVE=$SLEEPER
is_true "a live process for the sessions" kill -0 "$LIVE"

# ---------------------------------------------------------------------------------------------------------------
section "classify: JSON fields, defaults, screen state of a real 0.169 screen; no database is created"
cv classify --file "$PANES/09-git-first-start.txt" --json --path "$T/never.db"
rc_is 0
pretty_sorted
jeq 'keys | join(",")' busy_wait,busy_wait_seconds,screen,startup,startup_reason,status_age_seconds
jeq '[.busy_wait_seconds, .status_age_seconds] | tojson' '[90,90]'
jeq .startup needs_trust
jeq .startup_reason 'Codex is waiting for workspace trust confirmation'
jeq '.screen | tojson' '{"needs_you":true,"reason":"Codex asks whether to trust this folder","recommended_action":"inspect_or_accept_trust","state":"trust"}'
jeq '.busy_wait | tojson' '{"pattern":"trust_prompt","reason":"terminal is waiting for workspace trust confirmation","recommended_action":"inspect_or_accept_trust"}'
is_true "classify did not create its --path database" [ ! -e "$T/never.db" ]

section "classify: the status-age gate (fresh status: no busy-wait pattern; at the threshold: one)"
cv classify --file "$PANES/04-busy.txt" --status-age-seconds 89 --json
jeq '.busy_wait | tojson' null
jeq .screen.state working
jeq '.screen.needs_you | tojson' false
cv classify --file "$PANES/04-busy.txt" --status-age-seconds 89 --busy-wait-seconds 89 --json
jeq .busy_wait.pattern long_running_interruptible
jeq .busy_wait.recommended_action inspect_or_interrupt
jeq '[.busy_wait_seconds, .status_age_seconds] | tojson' '[89,89]'
cv classify --file "$PANES/18-login-screen.txt" --status-age-seconds 0 --busy-wait-seconds 0 --json
jeq .busy_wait.pattern login_prompt
jeq .screen.state login
jeq .startup needs_login

section "classify: --text, --file - (standard input), and the text form"
cv classify --text 'Starting MCP servers (0/1)' --status-age-seconds 300
rc_is 0
out_is "startup: starting (Codex has not reached a recognized startup state)
screen: mcp_startup (Codex is starting MCP servers)
busy_wait: mcp_startup -> inspect_or_interrupt (terminal shows Codex waiting on MCP server startup)"
"$CONVEYOR" classify --file - --status-age-seconds 0 <"$PANES/11-approval.txt" >"$OUT" 2>"$ERR"
RC=$?
rc_is 0
out_is "startup: ready (Codex input prompt is visible)
screen: approval (Codex asks for approval to run a command) - needs you
busy_wait: none"
cv classify --text 'nothing to see'
out_is "startup: starting (Codex has not reached a recognized startup state)
screen: unrecognized
busy_wait: none"
cv classify --file "$PANES/08-after-quit.txt" --json
jeq '.screen | tojson' null
cv classify --file - --json </dev/null
jeq .startup starting
jeq .startup_reason 'terminal output is empty'

section "classify: refusals"
fails 2 'classify requires exactly one of --text or --file.' classify
fails 2 'classify requires exactly one of --text or --file.' classify --text a --file "$PANES/02-idle-prompt.txt"
fails 2 '--text requires a value.' classify --text
fails 2 '--text requires a value.' classify --text ''
fails 2 '--file requires a value.' classify --file --json
fails 2 "cannot read $T/nope.txt: No such file or directory" classify --file "$T/nope.txt"
fails 2 '--status-age-seconds must be a non-negative integer.' classify --text a --status-age-seconds -1
fails 2 '--busy-wait-seconds must be a non-negative integer.' classify --text a --busy-wait-seconds 1.5
fails 2 'Unexpected argument: x' classify x --text a
fails 2 'unknown option --limit for classify (see conveyor classify --help)' classify --text a --limit 3
is_true "no refusal created a database" [ ! -e "$DB" ]

# ---------------------------------------------------------------------------------------------------------------
export CONVEYOR_NOW=2026-11-25T09:00:00.000Z
NOW=$CONVEYOR_NOW
section "ingest: a real three-turn 0.169 rollout, all 43 lines, output and stored rows"
ok register-worker --name w3 --pid "$LIVE" --codex-session "$R3"
ok ingest w3
pretty_sorted
jeq 'keys | join(",")' new_events,new_offset,session,skipped_lines
jeq 'tojson' '{"new_events":43,"new_offset":50621,"session":"w3","skipped_lines":0}'
dbeq "select count(*) from codex_events where session_id = '$(sid w3)'" 43
same_events "tui-3turns" w3 0 "$R3" 0
payloads_canonical w3
dbeq "select type, quote(subtype), byte_offset, timestamp, ingested_at from codex_events order by id limit 1" \
	"session_meta|NULL|0|2026-11-25T08:47:16.978Z|$NOW"
dbeq "select count(*) from codex_events where ingested_at != '$NOW'" 0
dbeq "select subtype, byte_offset from codex_events order by id desc limit 1" 'task_complete|50270'
dbeq "select last_ingest_offset, last_heartbeat_at from sessions where name = 'w3'" "50621|$NOW"

section "ingest: telemetry codex_events_ingested (no bound task yet)"
dbeq "select actor, event_type, severity, quote(task_id), quote(run_id), timestamp from telemetry_events order by rowid desc limit 1" \
	"workerctl|codex_events_ingested|info|NULL|NULL|$NOW"
dbeq "select correlation_json from telemetry_events order by rowid desc limit 1" "{\"session\":\"w3\",\"session_id\":\"$(sid w3)\"}"
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" \
	'{"new_events":43,"new_offset":50621,"skipped_lines":0,"start_offset":0}'
dbeq "select count(*) from telemetry_events_fts where event_id = (select id from telemetry_events order by rowid desc limit 1)" 1

section "ingest: nothing new is a no-op (offset kept, heartbeat refreshed); --json changes nothing"
export CONVEYOR_NOW=2026-11-25T09:00:05.000Z
cp "$OUT" "$T/first.json"
ok ingest w3 --json
jeq 'tojson' '{"new_events":0,"new_offset":50621,"session":"w3","skipped_lines":0}'
ok ingest w3
jeq 'tojson' '{"new_events":0,"new_offset":50621,"session":"w3","skipped_lines":0}'
dbeq "select count(*) from codex_events" 43
dbeq "select last_ingest_offset, last_heartbeat_at from sessions where name = 'w3'" "50621|$CONVEYOR_NOW"
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" \
	'{"new_events":0,"new_offset":50621,"skipped_lines":0,"start_offset":50621}'

section "ingest: resumes at the stored offset after lines are appended"
NOW=$CONVEYOR_NOW
lines "$FIX/exec-toolcall.jsonl" 2 6 >>"$R3"
MAXID=$(dbq "select max(id) from codex_events")
ok ingest w3
jeq 'tojson' "{\"new_events\":5,\"new_offset\":$(stat -c %s "$R3"),\"session\":\"w3\",\"skipped_lines\":0}"
same_events "appended lines" w3 $((MAXID + 1)) "$R3" 50621
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" \
	"{\"new_events\":5,\"new_offset\":$(stat -c %s "$R3"),\"skipped_lines\":0,\"start_offset\":50621}"

section "ingest: a partial trailing line is left, then read once completed"
OFF=$(stat -c %s "$R3")
printf '{"timestamp":"2026-11-25T09:00:01.000Z","type":"event_msg","payload":{"type":"task_st' >>"$R3"
ok ingest w3
jeq 'tojson' "{\"new_events\":0,\"new_offset\":$OFF,\"session\":\"w3\",\"skipped_lines\":0}"
dbeq "select last_ingest_offset from sessions where name = 'w3'" "$OFF"
printf 'arted","turn_id":"t9"}}\n' >>"$R3"
ok ingest w3
jeq 'tojson' "{\"new_events\":1,\"new_offset\":$(stat -c %s "$R3"),\"session\":\"w3\",\"skipped_lines\":0}"
dbeq "select subtype, byte_offset, timestamp, payload_json from codex_events order by id desc limit 1" \
	"task_started|$OFF|2026-11-25T09:00:01.000Z|{\"turn_id\":\"t9\",\"type\":\"task_started\"}"

section "ingest: malformed lines are skipped and counted once, a trailing one included (unlike the reference)"
OFF=$(stat -c %s "$R3")
{
	echo 'not json'
	echo '{"type":"x"} trailing'
	echo '[{"type":"x"}]'
	echo '{"type":7}'
	echo ''
	echo '{"payload":{"type":"task_complete"}}'
	echo '{"type":"event_msg","payload":["task_complete"]}'
	echo '{"type":"custom","timestamp":""}'
	echo '{garbage'
} >>"$R3"
ok ingest w3
jeq 'tojson' "{\"new_events\":2,\"new_offset\":$(stat -c %s "$R3"),\"session\":\"w3\",\"skipped_lines\":7}"
dbeq "select type, quote(subtype), payload_json, timestamp from codex_events order by id desc limit 2" \
	"custom|NULL|{}|$NOW
event_msg|NULL|{}|$NOW"
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" \
	"{\"new_events\":2,\"new_offset\":$(stat -c %s "$R3"),\"skipped_lines\":7,\"start_offset\":$OFF}"
ok ingest w3
jeq 'tojson' "{\"new_events\":0,\"new_offset\":$(stat -c %s "$R3"),\"session\":\"w3\",\"skipped_lines\":0}"
echo 'still garbage' >>"$R3"
ok ingest w3
jeq '.skipped_lines' 1
jeq .new_offset "$(stat -c %s "$R3")"
ok ingest w3
jeq '.skipped_lines' 0

section "ingest: refusals leave the database unchanged"
refused 2 'ingest requires a session name.' ingest
refused 2 'Unknown session: nope' ingest nope
refused 2 'Unexpected argument: extra' ingest w3 extra
refused 2 'unknown option --limit for ingest (see conveyor ingest --help)' ingest w3 --limit 3
SIZE=$(stat -c %s "$R3")
truncate -s 100 "$R3"
refused 2 "rollout file shrank: cached offset $SIZE > current size 100. The rollout was likely rotated or truncated. Reset the session's last_ingest_offset (e.g. via re-register) before retrying." ingest w3
cp "$FIX/tui-3turns.jsonl" "$R3"
refused 2 "rollout file shrank: cached offset $SIZE > current size 50621. The rollout was likely rotated or truncated. Reset the session's last_ingest_offset (e.g. via re-register) before retrying." ingest w3
ok register-worker --name w3 --pid "$LIVE" --codex-session "$R3"
dbeq "select quote(last_ingest_offset) from sessions where name = 'w3'" NULL
ok ingest w3
jeq 'tojson' '{"new_events":43,"new_offset":50621,"session":"w3","skipped_lines":0}' # re-registering starts over
ok register-worker --name gone1 --pid "$LIVE" --codex-session "$RX"
ok deregister gone1
refused 2 'session "gone1" is in state "gone"; re-register it before ingesting' ingest gone1
ok register-worker --name nopath --pid "$LIVE" --codex-session "$RX"
dbq "update sessions set codex_session_path = null where name = 'nopath'"
refused 2 'session "nopath" has no codex_session_path' ingest nopath
cp "$RX" "$T/r/vanish.jsonl"
ok register-worker --name vanish --pid "$LIVE" --codex-session "$T/r/vanish.jsonl"
rm "$T/r/vanish.jsonl"
refused 2 "rollout file does not exist: $T/r/vanish.jsonl" ingest vanish

# ---------------------------------------------------------------------------------------------------------------
section "setup: tasks bound to workers of each format (0.169 tui, 0.169 exec, older) and their managers"
ok register-worker --name wa --pid "$LIVE" --codex-session "$RA"
ok register-manager --name ma --pid "$LIVE" --codex-session "$RM"
ok tasks --create ta --goal 'approval, interrupt and steer'
TA=$(val .id)
ok bind --task ta --worker wa --manager ma
BA=$(val .binding_id)
ok register-worker --name wx --pid "$LIVE" --codex-session "$RX"
ok register-manager --name mx --pid "$LIVE" --codex-session "$RM"
ok tasks --create tx --goal 'exec tool call'
ok bind --task tx --worker wx --manager mx
ok register-worker --name wo --pid "$LIVE" --codex-session "$RO"
ok register-manager --name mo --pid "$LIVE" --codex-session "$RM"
ok tasks --create to --goal 'older format'
TO=$(val .id)
ok bind --task to --worker wo --manager mo

section "ingest: the telemetry row names the task the session is bound to"
ok ingest wa
jeq 'tojson' "{\"new_events\":1,\"new_offset\":$(stat -c %s "$RA"),\"session\":\"wa\",\"skipped_lines\":0}"
dbeq "select task_id from telemetry_events order by rowid desc limit 1" "$TA"
ok ingest ma
dbeq "select task_id from telemetry_events order by rowid desc limit 1" "$TA"

# ---------------------------------------------------------------------------------------------------------------
section "cycle: only session_meta ingested: state unknown, no staleness, no pane without tmux"
export CONVEYOR_NOW=2026-11-25T09:10:00.000Z
NOW=$CONVEYOR_NOW
ok cycle ta --json
pretty_sorted
jeq 'keys | join(",")' "$CYCLE_KEYS"
jeq .kind session_cycle
jeq .state unknown
jeq '.last_event_subtype | tojson' null
jeq '.last_state_event_at | tojson' null
jeq '.staleness_seconds | tojson' null
jeq '.task_completed | tojson' false
jeq '.pane_signal | tojson' '{"captured":false,"classifier":null,"degraded":false,"notable_pattern":null,"reason":"session has no tmux_session","screen":null,"status_age_seconds":null}'
jeq '.notable_pane_pattern | tojson' null
jeq .binding_id "$BA"
jeq .task ta
jeq .worker_session wa
jeq .manager_session ma
jeq '[.worker_alive, .manager_alive] | tojson' '[true,true]'
jeq '.ingest | tojson' "{\"new_events\":0,\"new_offset\":$(stat -c %s "$RA"),\"session\":\"wa\",\"skipped_lines\":0}"
jeq '.consumed_dispatch_notifications' 0
jeq '.manager_context | tojson' '{"acceptance_criteria":null,"criteria_negotiation":null,"manager_ack":null,"manager_config":null,"worker_ack":null,"worker_handoff":null,"worker_receipt":null}'
jeq .cycle_started_at "$NOW"
jeq .cycle_completed_at "$NOW"
C1=$(val .cycle_id)

section "cycle: the manager_cycles row, its status_json, six spans and the manager_cycle_started event"
dbeq "select task_id, quote(manager_id), started_at, completed_at, state, quote(error), quote(decision) from manager_cycles where id = $C1" \
	"$TA|NULL|$NOW|$NOW|succeeded|NULL|NULL"
is_true "status_json is the output without the cycle_* fields" [ \
	"$(dbq "select status_json from manager_cycles where id = $C1" | jq -S -c .)" = \
	"$(jq -S -c 'del(.cycle_id, .cycle_started_at, .cycle_completed_at)' "$OUT")" ]
dbeq "select group_concat(phase, ',') from (select phase from manager_cycle_spans where manager_cycle_id = $C1 order by id)" "$PHASES"
dbeq "select count(*) from manager_cycle_spans where manager_cycle_id = $C1 and task_id = '$TA' and state = 'succeeded' and started_at = '$NOW' and completed_at = '$NOW' and duration_ms >= 0 and attributes_json = '{}' and error_type is null" 6
dbeq "select type, task_id, actor, payload_json from events where type = 'manager_cycle_started' order by id desc limit 1" \
	"manager_cycle_started|$TA|workerctl|{\"binding_id\":\"$BA\",\"cycle_id\":$C1,\"worker_session\":\"wa\"}"

section "cycle: 0.169 rollout line by line: busy on task_started and UserMessage, idle on task_complete and turn_aborted"
L_START1=$(line_no "$APP" 1 '"type":"task_started"')
L_USER1=$(line_no "$APP" 1 '"type":"UserMessage"')
L_AGENT1=$(line_no "$APP" 1 '"type":"AgentMessage"')
L_DONE1=$(line_no "$APP" 1 '"type":"task_complete"')
L_USER2=$(line_no "$APP" 2 '"type":"UserMessage"')
L_ABORT=$(line_no "$APP" 1 '"type":"turn_aborted"')
L_USERS=$(grep -nF '"type":"UserMessage"' "$APP" | cut -d: -f1)
L_LAST=$(wc -l <"$APP")
# cycle_to LINE STATE SUBTYPE: the rollout grows to LINE lines, and cycle then says STATE, with the newest event
# SUBTYPE and the state event at the line that set it (STATE_LINE).
cycle_to() {
	lines "$APP" "$(($(wc -l <"$RA") + 1))" "$1" >>"$RA"
	ok cycle ta --json
	jeq .state "$2"
	jeq .last_event_subtype "$3"
	jeq .last_state_event_at "$(ts_of "$APP" "$4")"
	jeq .task_completed "$([ "$3" = task_complete ] && echo true || echo false)"
}
cycle_to "$L_START1" busy task_started "$L_START1"
cycle_to "$((L_USER1 - 1))" busy null "$L_START1" # a response_item has no subtype
cycle_to "$L_USER1" busy item_completed "$L_USER1"
cycle_to "$L_AGENT1" busy item_completed "$L_USER1"
cycle_to "$L_DONE1" idle task_complete "$L_DONE1"
jeq .manager_context.worker_receipt.source_event_id "$(dbq "select max(id) from codex_events where session_id = '$(sid wa)'")"
jeq .manager_context.worker_receipt.completed_at "$(ts_of "$APP" "$L_DONE1")"
jeq .manager_context.worker_receipt.last_agent_message 'Done: status updated.'
cycle_to "$L_USER2" busy item_completed "$L_USER2"
cycle_to "$((L_ABORT - 1))" busy null "$L_USER2"
cycle_to "$L_ABORT" idle turn_aborted "$L_ABORT"
# the steered turn: a second UserMessage joins the running turn (no new task_started)
L_STEER=0
prev=0
for l in $L_USERS; do
	if [ "$prev" -gt 0 ] && ! lines "$APP" "$prev" "$l" | grep -qF '"type":"task_started"'; then L_STEER=$l; fi
	prev=$l
done
is_true "the fixture has a steered turn (two UserMessages, one task_started)" [ "$L_STEER" -gt 0 ]
cycle_to "$L_STEER" busy item_completed "$L_STEER"
cycle_to "$L_LAST" idle task_complete "$L_LAST"
jeq '.ingest.skipped_lines' 0

section "cycle: an AgentMessage after the turn ended does not make the worker busy"
printf '{"timestamp":"2026-11-25T08:59:00.000Z","type":"event_msg","payload":{"type":"item_completed","item":{"type":"AgentMessage","content":[]}}}\n' >>"$RA"
ok cycle ta --json
jeq .state idle
jeq .last_event_subtype item_completed
jeq .last_state_event_at "$(ts_of "$APP" "$L_LAST")"
jeq '.task_completed | tojson' false

section "cycle: staleness is whole seconds from the state event to CONVEYOR_NOW (a future event is 0)"
LAST_TS=$(ts_of "$APP" "$L_LAST") # 2026-11-25T08:52:25.284Z
CONVEYOR_NOW=2026-11-25T08:54:31.283Z ok cycle ta --json
jeq .staleness_seconds 125
jeq .pane_signal.status_age_seconds 125
CONVEYOR_NOW=2026-11-25T08:54:31.284Z ok cycle ta --json
jeq .staleness_seconds 126
CONVEYOR_NOW=2026-11-25T08:50:00.000Z ok cycle ta --json
jeq .staleness_seconds 0
CONVEYOR_NOW=2026-11-25T08:52:25Z ok cycle ta --json
jeq .staleness_seconds 0

section "cycle: the older format (user_message / agent_message), both states"
ALL_OLD="$T/r/older-full.jsonl"
lines "$ALL_OLD" 2 5 >>"$RO"
ok cycle to --json
jeq .state idle
jeq .last_event_subtype task_complete
jeq .last_state_event_at 2025-06-01T10:00:09.000Z
jeq '.task_completed | tojson' true
jeq .manager_context.worker_receipt.last_agent_message done
lines "$ALL_OLD" 6 7 >>"$RO"
ok cycle to --json
jeq .state busy
jeq .last_event_subtype agent_message
jeq .last_state_event_at 2025-06-01T10:01:00.000Z
jeq '.task_completed | tojson' false
dbeq "select count(*) from codex_events where session_id = '$(sid wo)'" 7

section "cycle: exec rollout (0.169 codex exec) ends idle with its receipt; text form"
ok cycle tx --json
jeq .state idle
jeq .last_event_subtype task_complete
jeq .ingest.new_events 19
jeq .manager_context.worker_receipt.last_agent_message 'Done: status updated.'
ok cycle tx
CX=$(dbq "select max(id) from manager_cycles")
X_DONE=$(tail -n 1 "$RX" | jq -r .timestamp)
out_is "cycle #$CX tx: worker wx idle (alive), last event task_complete $(age "$X_DONE" "$CONVEYOR_NOW")s ago, pane ok"

section "cycle: worker_alive and manager_alive follow the processes"
start_sleeper
DYING=$SLEEPER
ok register-worker --name wd --pid "$DYING" --codex-session "$RX"
ok register-manager --name md --pid "$LIVE" --codex-session "$RM"
ok tasks --create td --goal liveness
ok bind --task td --worker wd --manager md
ok cycle td --json
jeq '[.worker_alive, .manager_alive] | tojson' '[true,true]'
kill "$DYING"
wait "$DYING" 2>/dev/null
ok cycle td --json
jeq '[.worker_alive, .manager_alive] | tojson' '[false,true]'
ok cycle td
out_is "cycle #$(dbq "select max(id) from manager_cycles") td: worker wd idle (not running), last event task_complete $(age "$X_DONE" "$CONVEYOR_NOW")s ago, pane ok"

section "cycle: the worker's handoff appears in manager_context"
ok handoff to --summary 'half done' --next-step 'finish it'
ok cycle to --json
jeq .manager_context.worker_handoff.summary 'half done'
jeq '.manager_context.worker_handoff.next_steps | tojson' '["finish it"]'
jeq .manager_context.worker_handoff.worker_session_id "$(sid wo)"

section "cycle: delivered, unconsumed notifications of the binding for the manager are consumed once"
export CONVEYOR_NOW=2026-11-25T09:20:00.000Z
NOW=$CONVEYOR_NOW
BO=$(dbq "select id from bindings where task_id = '$TO'")
# note DEDUPE STATE TARGET BINDING CONSUMED_AT: inserts a worker_task_complete notification from wo to TARGET.
note() {
	dbq "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, target_session_id,
		signal_type, dedupe_key, created_at, delivered_at, consumed_at, state, payload_json)
		values ('$TO', '$4', 'dispatch-1', '$(sid wo)', '$3', 'worker_task_complete', '$1', '$NOW',
		case when '$2' = 'delivered' then '$NOW' end, $5, '$2', '{}')"
}
note n-delivered delivered "$(sid mo)" "$BO" null
note n-pending pending "$(sid mo)" "$BO" null
note n-to-worker delivered "$(sid wo)" "$BO" null
note n-consumed delivered "$(sid mo)" "$BO" "'2026-11-25T09:00:00.000Z'"
note n-other-binding delivered "$(sid mo)" "$BA" null
ok cycle to --json
jeq .consumed_dispatch_notifications 1
CN=$(val .cycle_id)
dbeq "select dedupe_key, consumed_manager_cycle_id, consumed_at from routed_notifications where consumed_manager_cycle_id is not null" \
	"n-delivered|$CN|$NOW"
dbeq "select count(*) from routed_notifications where consumed_at is null" 3
ok cycle to --json
jeq .consumed_dispatch_notifications 0

section "cycle: --busy-wait-seconds is validated; refusals leave the database unchanged"
refused 2 'cycle requires a task.' cycle
refused 2 'Unknown task: nope' cycle nope
refused 2 'Unexpected argument: more' cycle to more
refused 2 '--busy-wait-seconds must be a non-negative integer.' cycle to --busy-wait-seconds -1
refused 2 '--busy-wait-seconds requires a value.' cycle to --busy-wait-seconds
refused 2 'unknown option --limit for cycle (see conveyor cycle --help)' cycle to --limit 2
ok tasks --create lonely --goal 'no binding'
refused 2 'task "lonely" has no active binding; bind a worker and a manager first' cycle lonely
dbq "update bindings set state = 'ending' where task_id = '$TO'"
refused 2 'task "to" has no active binding; bind a worker and a manager first' cycle to
dbq "update bindings set state = 'active' where task_id = '$TO'"
ok unbind --task td
refused 2 'task "td" has no active binding; bind a worker and a manager first' cycle td

section "cycle: a failed ingest fails the cycle: recorded as failed, telemetry manager_cycle_failed, exit 2"
NC=$(dbq "select count(*) from manager_cycles")
mv "$RO" "$T/r/older.moved"
fails 2 "rollout file does not exist: $RO" cycle to
CF=$(dbq "select max(id) from manager_cycles")
dbeq "select count(*) from manager_cycles" $((NC + 1))
dbeq "select state, started_at, completed_at, error from manager_cycles where id = $CF" \
	"failed|$NOW|$NOW|rollout file does not exist: $RO"
is_true "failed status_json" [ "$(dbq "select status_json from manager_cycles where id = $CF" | jq -S -c .)" = \
	"{\"cycle_id\":$CF,\"error\":\"rollout file does not exist: $RO\",\"kind\":\"session_cycle\",\"phase\":\"ingest_rollout\"}" ]
dbeq "select group_concat(phase || ':' || state || ':' || ifnull(error_type, '-'), ',') from (select * from manager_cycle_spans where manager_cycle_id = $CF order by id)" \
	'start_cycle:succeeded:-,ingest_rollout:failed:CycleError'
dbeq "select actor, event_type, severity, task_id, summary from telemetry_events order by rowid desc limit 1" \
	"manager|manager_cycle_failed|error|$TO|rollout file does not exist: $RO"
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" \
	"{\"cycle_id\":$CF,\"error\":\"rollout file does not exist: $RO\",\"phase\":\"ingest_rollout\"}"
dbeq "select correlation_json from telemetry_events order by rowid desc limit 1" "{\"binding_id\":\"$BO\"}"
dbeq "select payload_json from events where type = 'manager_cycle_started' order by id desc limit 1" \
	"{\"binding_id\":\"$BO\",\"cycle_id\":$CF,\"worker_session\":\"wo\"}"
mv "$T/r/older.moved" "$RO"
dbq "update sessions set state = 'gone' where name = 'wo'"
fails 2 'session "wo" is in state "gone"; re-register it before ingesting' cycle to
dbeq "select state, json_extract(status_json, '\$.phase') from manager_cycles order by id desc limit 1" 'failed|ingest_rollout'
dbq "update sessions set state = 'active' where name = 'wo'"
ok cycle to --json
jeq .state busy

# ---------------------------------------------------------------------------------------------------------------
section "cycle: a tmux session that is not running (no tmux server at all) is a degraded pane signal"
export CONVEYOR_NOW=2026-11-25T09:30:00.000Z
RN="$T/r/none.jsonl"
cp "$FIX/tui-3turns.jsonl" "$RN"
ok register-worker --name wn --pid "$LIVE" --codex-session "$RN" --tmux-session cv-none
ok register-manager --name mn --pid "$LIVE" --codex-session "$RM"
ok tasks --create tn --goal 'no tmux session'
TN=$(val .id)
ok bind --task tn --worker wn --manager mn
ok cycle tn --json
jeq .notable_pane_pattern tmux_session_missing
N_AGE=$(age "$(tail -n 1 "$RN" | jq -r .timestamp)" "$CONVEYOR_NOW")
jeq '.pane_signal | tojson' "{\"captured\":false,\"classifier\":null,\"degraded\":true,\"notable_pattern\":\"tmux_session_missing\",\"reason\":\"tmux session is not running: cv-none\",\"screen\":null,\"status_age_seconds\":$N_AGE}"
CM=$(val .cycle_id)
dbeq "select state from manager_cycle_spans where manager_cycle_id = $CM and phase = 'capture_pane_signal'" degraded
dbeq "select state from manager_cycles where id = $CM" succeeded
ok cycle tn
out_is "cycle #$((CM + 1)) tn: worker wn idle (alive), last event task_complete ${N_AGE}s ago, pane tmux_session_missing"

section "cycle: tmux missing from PATH is a pane_signal_error, not a failed cycle"
PATH=/nonexistent ok cycle tn --json
jeq .notable_pane_pattern pane_signal_error
jeq '.pane_signal | [.captured, .degraded, .notable_pattern, .reason] | tojson' \
	'[false,true,"pane_signal_error","tmux is not installed or is not available on PATH"]'

section "cycle: a real Codex 0.169 approval screen captured from a private tmux server"
tmux new-session -d -s cv-approval -x 200 -y 50 "cat '$PANES/11-approval.txt'; exec sleep 120"
tmux new-session -d -s cv-busy -x 200 -y 50 "cat '$PANES/04-busy.txt'; exec sleep 120"
SERVER=$(tmux display-message -p -t '=cv-approval:' '#{pid}')
[ -n "$SERVER" ] && PIDS+=("$SERVER")
is_true "the approval screen is on the pane" wait_pane cv-approval 'Press enter to confirm or esc to cancel'
is_true "the busy screen is on the pane" wait_pane cv-busy 'esc to interrupt'
RT="$T/r/tmux-approval.jsonl"
cp "$FIX/tui-3turns.jsonl" "$RT"
ok register-worker --name wt --pid "$LIVE" --codex-session "$RT" --tmux-session cv-approval
ok register-manager --name mt --pid "$LIVE" --codex-session "$RM"
ok tasks --create tt --goal 'approval on screen'
TT=$(val .id)
ok bind --task tt --worker wt --manager mt
# fresh status (10 s after the last task_complete): no busy-wait pattern; the screen says approval, needs you
export CONVEYOR_NOW=2026-11-25T08:48:39.935Z
ok cycle tt --json
jeq .state idle
jeq .staleness_seconds 10
jeq '.pane_signal.captured | tojson' true
jeq '.pane_signal.degraded | tojson' false
jeq '.pane_signal.classifier | tojson' null
jeq '.pane_signal.screen | tojson' '{"needs_you":true,"reason":"Codex asks for approval to run a command","recommended_action":"inspect_or_approve","state":"approval"}'
jeq .pane_signal.notable_pattern approval_prompt
jeq .pane_signal.reason 'Codex asks for approval to run a command'
jeq .notable_pane_pattern approval_prompt
CA=$(val .cycle_id)
dbeq "select json_extract(status_json, '\$.pane_signal.screen.state') from manager_cycles where id = $CA" approval
dbeq "select state from manager_cycle_spans where manager_cycle_id = $CA and phase = 'capture_pane_signal'" succeeded
ok cycle tt
out_is "cycle #$((CA + 1)) tt: worker wt idle (alive), last event task_complete 10s ago, pane approval_prompt"
# stale status: the busy-wait classifier speaks, and the notable pattern is its pattern
export CONVEYOR_NOW=2026-11-25T09:48:29.935Z
ok cycle tt --json
jeq .staleness_seconds 3600
jeq .pane_signal.screen.state approval
jtrue '.pane_signal.classifier.pattern == .notable_pane_pattern and .pane_signal.notable_pattern == .notable_pane_pattern'
is_true "a stale 0.169 approval screen is approval_prompt / inspect_or_approve, not $(val .notable_pane_pattern)" \
	[ "$(val '.pane_signal.classifier | [.pattern, .recommended_action] | join("/")')" = approval_prompt/inspect_or_approve ]

section "cycle: a busy pane: long_running_interruptible once stale and quiet (fewer than 10 new events)"
RB="$T/r/tmux-busy.jsonl"
head -n "$((L_USER1 + 3))" "$APP" >"$RB" # the turn is open: task_started, UserMessage and more
# quiet N: appends N non-state events (token_count) to the rollout RB.
quiet() {
	local i
	for i in $(seq "$1"); do
		printf '{"timestamp":"2026-11-25T08:49:05.000Z","type":"event_msg","payload":{"type":"token_count","n":%d}}\n' "$i" >>"$RB"
	done
}
ok register-worker --name wb --pid "$LIVE" --codex-session "$RB" --tmux-session cv-busy
ok register-manager --name mb --pid "$LIVE" --codex-session "$RM"
ok tasks --create tb --goal 'busy on screen'
ok bind --task tb --worker wb --manager mb
export CONVEYOR_NOW=2026-11-25T09:49:00.000Z
ok cycle tb --json
jeq .state busy
jeq .ingest.new_events "$((L_USER1 + 3))"
jeq .pane_signal.screen.state working
jeq '.pane_signal.classifier | tojson' null # 12 events arrived this cycle: the worker is not quiet
jeq '.notable_pane_pattern | tojson' null
ok cycle tb --json
jeq .ingest.new_events 0
jeq .pane_signal.classifier.pattern long_running_interruptible
jeq .pane_signal.classifier.recommended_action inspect_or_interrupt
jeq .notable_pane_pattern long_running_interruptible
quiet 9
ok cycle tb --json
jeq .ingest.new_events 9
jeq .notable_pane_pattern long_running_interruptible
quiet 10
ok cycle tb --json
jeq .ingest.new_events 10
jeq '.notable_pane_pattern | tojson' null
ok cycle tb --busy-wait-seconds 100000 --json
jeq '.pane_signal.classifier | tojson' null
jeq '.notable_pane_pattern | tojson' null
jeq .pane_signal.screen.state working

section "cycle: a tmux session that is not running while the server runs; a name that is only a prefix"
ok register-worker --name wn --pid "$LIVE" --codex-session "$RN" --tmux-session cv-none
ok cycle tn --json
jeq .notable_pane_pattern tmux_session_missing
ok register-worker --name wn --pid "$LIVE" --codex-session "$RN" --tmux-session cv-appr
ok cycle tn --json
is_true "tmux session cv-appr (only cv-approval runs) is missing, not $(val .notable_pane_pattern) from another session's pane" \
	[ "$(val .notable_pane_pattern)" = tmux_session_missing ]
ok register-worker --name wn --pid "$LIVE" --codex-session "$RN" --tmux-session cv-none

# ---------------------------------------------------------------------------------------------------------------
section "tail: newest first, all fields, content redacted (byte and line counts)"
export CONVEYOR_NOW=2026-11-25T10:00:00.000Z
ok tail wo --json
pretty_sorted
jeq length 7
jeq '[.[].id] | . == (sort | reverse) | tojson' true
jeq '.[0] | keys | join(",")' byte_offset,id,payload,subtype,timestamp,type
jeq '[.[].subtype] | tojson' '["agent_message","user_message","task_complete","agent_message","user_message","task_started",null]'
jeq '.[6].byte_offset' 0
jeq '.[0].byte_offset' "$(head -n 6 "$ALL_OLD" | wc -c)"
jeq '.[4].payload | tojson' '{"images":[],"message_byte_count":20,"message_line_count":2,"message_redacted":true,"type":"user_message"}'
jeq '.[1].payload | tojson' '{"message_byte_count":0,"message_line_count":0,"message_redacted":true,"type":"user_message"}'
jeq '.[0].payload | tojson' '{"message_byte_count":8,"message_line_count":1,"message_redacted":true,"type":"agent_message"}'
jeq '.[2].payload.last_agent_message' done
dbeq "select actor, event_type, severity, quote(task_id) from telemetry_events order by rowid desc limit 1" \
	'workerctl|codex_events_tail_read|info|NULL'
dbeq "select correlation_json, attributes_json from telemetry_events order by rowid desc limit 1" \
	"{\"session\":\"wo\",\"session_id\":\"$(sid wo)\"}|{\"limit\":50,\"returned_count\":7,\"subtype\":null}"

section "tail: --include-content, --limit, --subtype"
ok tail wo --include-content --json
jeq '.[4].payload | tojson' '{"images":[],"message":"fix the build\nplease","type":"user_message"}'
jeq '.[1].payload.message' ''
ok tail wo --limit 2 --json
jeq '[.[].subtype] | tojson' '["agent_message","user_message"]'
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" '{"limit":2,"returned_count":2,"subtype":null}'
ok tail wo --subtype user_message --limit 1 --json
jeq '[.[].timestamp] | tojson' '["2025-06-01T10:01:00.000Z"]'
dbeq "select attributes_json from telemetry_events order by rowid desc limit 1" '{"limit":1,"returned_count":1,"subtype":"user_message"}'
ok tail wo --subtype nothing --json
out_is '[]'

section "tail: 0.169 content nested in arrays is redacted at any depth"
ok tail wa --subtype item_completed --limit 200 --json
jtrue 'map(select(.payload.item.type == "UserMessage")) as $u | ($u | length) > 0 and ($u | all(.[]; .payload.item.content[0] | .text_redacted == true and (has("text") | not) and .text_byte_count > 0 and .text_line_count == 1))'
jtrue '[paths(type == "string") | .[-1] | select(. == "text" or . == "message" or . == "output" or . == "content" or . == "segment_text")] | length == 0'
ok tail wa --subtype item_completed --limit 200 --include-content --json
jtrue 'map(select(.payload.item.type == "UserMessage")) | all(.[]; .payload.item.content[0].text | type == "string")'

section "tail: text form"
ok tail wo --limit 2
out_is "#$(dbq "select max(id) from codex_events where session_id = '$(sid wo)'") 2025-06-01T10:01:02.000Z event_msg/agent_message @$(head -n 6 "$ALL_OLD" | wc -c)
#$(($(dbq "select max(id) from codex_events where session_id = '$(sid wo)'") - 1)) 2025-06-01T10:01:00.000Z event_msg/user_message @$(head -n 5 "$ALL_OLD" | wc -c)"
ok tail wo --subtype nothing
out_is 'no events'
ok tail wo --subtype task_started --limit 1
line_is 1 "#$(dbq "select id from codex_events where session_id = '$(sid wo)' and subtype = 'task_started'") 2025-06-01T10:00:01.000Z event_msg/task_started @$(head -n 1 "$ALL_OLD" | wc -c)"

section "tail: refusals leave the database unchanged"
refused 2 'tail requires a session name.' tail
refused 2 'Unknown session: nope' tail nope
refused 2 '--limit must be at least 1.' tail wo --limit 0
refused 2 '--limit must be a non-negative integer.' tail wo --limit x
refused 2 '--subtype requires a value.' tail wo --subtype
refused 2 'Unexpected argument: more' tail wo more
refused 2 'unknown option --task for tail (see conveyor tail --help)' tail wo --task to

# ---------------------------------------------------------------------------------------------------------------
section "divergences: cycles with a notable pane pattern, newest first, with their status"
ok divergences tt --json
pretty_sorted
jeq 'length' 3
jeq '.[0] | keys | join(",")' completed_at,id,notable_pane_pattern,started_at,state,status,task_id
jeq '[.[].notable_pane_pattern] | .[1:] | tojson' '["approval_prompt","approval_prompt"]'
jeq '[.[].id] | . == (sort | reverse) | tojson' true
jtrue 'all(.[]; .status.notable_pane_pattern == .notable_pane_pattern and .status.kind == "session_cycle" and .task_id == "'"$TT"'" and .state == "succeeded")'
jeq '.[2].id' "$CA"
jeq '.[2].started_at' 2026-11-25T08:48:39.935Z
ok divergences tt --limit 1 --json
jeq 'length' 1
jeq '.[0].staleness_seconds // .[0].status.staleness_seconds' 3600
ok divergences tn --json
jtrue '[.[].notable_pane_pattern] | index("pane_signal_error") != null and index("tmux_session_missing") != null'
ok divergences tb --json
jeq '[.[].notable_pane_pattern] | tojson' '["long_running_interruptible","long_running_interruptible"]'

section "divergences: none for cycles without a notable pattern (and failed ones without a pane)"
ok divergences to --json
out_is '[]'
ok divergences ta
out_is 'no divergences'
ok divergences tb
ok divergences tb --limit 1
out_is "#$(dbq "select max(id) from manager_cycles where task_id = (select id from tasks where name = 'tb') and json_extract(status_json, '\$.notable_pane_pattern') is not null") 2026-11-25T09:49:00.000Z long_running_interruptible succeeded"

section "divergences: refusals leave the database unchanged"
refused 2 'divergences requires a task.' divergences
refused 2 'Unknown task: nope' divergences nope
refused 2 '--limit must be at least 1.' divergences tt --limit 0
refused 2 'unknown option --subtype for divergences (see conveyor divergences --help)' divergences tt --subtype x
refused 2 'Unexpected argument: more' divergences tt more

section "task-status: binding, sessions (alive, inbox), latest cycle, timeline"
ok task-status tt --json
jeq '[.task.name, .binding.state, .worker.name, .worker.alive, .manager.role, (.worker.inbox | tojson)] | tojson' \
	'["tt","active","wt",true,"manager","{\"consumed\":0,\"pending\":0}"]'
jeq .latest_cycle.id "$(dbq "select max(id) from manager_cycles where task_id = (select id from tasks where name = 'tt')")"
jeq '.timeline[0].type' "$(dbq "select type from events where task_id = (select id from tasks where name = 'tt') order by id desc limit 1")"
jtrue '(.timeline | length) <= 40 and (.timeline | length) > 0'
ok task-status tt
out_has "binding $(dbq "select id from bindings where task_id = (select id from tasks where name = 'tt') order by created_at desc limit 1") active"
ok task-status tt --json
jeq '.dispatch | [.core_status, .queued, .failed, .stale_claims, .side_effect_risk, .dispatcher_id] | tojson' '["not_observed",0,0,0,0,null]'
ok enqueue-nudge-worker tt --message 'look at the tests'
ok task-status tt --json
jeq '.dispatch | [.core_status, .queued] | tojson' '["not_observed",1]'
ok task-status tt
out_has 'dispatch not_observed queued=1 failed=0 stale_claims=0 side_effect_risk=0'
refused 2 'task-status requires a task.' task-status
refused 2 'Unknown task: nope' task-status nope

finish
