#!/usr/bin/env bash
# Actuation as a user sees it (SPEC 7 and 9.4 with docs/steer.md): session-nudge and session-interrupt with
# confirmed delivery, start-worker / start-manager, pair and doctor, against a private tmux server running
# fake_codex.sh (a stand-in for the Codex 0.169 client) instead of codex. Checks exit codes, exact messages,
# what reached the worker, and the events and telemetry written (with the bound task's id); a dry run and every
# validation failure leave the database unchanged. Synchronisation is by polling, never by fixed sleeps.
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

# screen NAME: the visible screen of tmux session NAME (matched exactly).
screen() { tmux capture-pane -p -t "=$1:" 2>/dev/null; }

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

# shows NAME TEXT: the screen of NAME contains TEXT.
shows() { screen "$1" | grep -qF -- "$2"; }

# alive NAME: tmux session NAME (exactly) exists.
alive() { tmux has-session -t "=$1" 2>/dev/null; }

# pane_pid NAME: the pid of the process in NAME's pane.
pane_pid() { tmux list-panes -t "=$1:" -F '#{pane_pid}'; }

# meta FILE ID: a rollout whose first line is a session_meta record.
meta() {
	mkdir -p "$(dirname "$1")"
	printf '{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"%s","cwd":"%s"}}\n' "$2" "$T" >"$1"
}

# fake NAME HOME [FILE...]: starts fake_codex.sh in tmux session NAME with CODEX_HOME=HOME, after creating the
# behaviour FILEs (fake-ignore, fake-trust, ...) in HOME.
fake() {
	local name=$1 home=$2 f
	shift 2
	mkdir -p "$home"
	for f in "$@"; do touch "$home/$f"; done
	tmux new-session -d -s "$name" -x 120 -y 30 -c "$T" -e CODEX_HOME="$home" -- bash "$FAKE"
}

# since FILE SIZE: what FILE holds after its first SIZE bytes.
since() { tail -c +"$(($2 + 1))" "$1"; }

# last_event COLUMNS: columns of the newest events row.
last_event() { dbq "select $1 from events order by id desc limit 1"; }

# last_tel COLUMNS: columns of the newest telemetry row.
last_tel() { dbq "select $1 from telemetry_events order by rowid desc limit 1"; }

NOW_S=2026-01-01T00:00:00Z
NUDGE_KEYS=confirmed_by,dry_run,session,side_effect_completed,side_effect_started,submitted,target,text,time
INTERRUPT_KEYS=confirmed_by,dry_run,followup,followup_confirmed_by,interrupted,key,key_sent,session,submitted,target,time
NO_TMUX='session has no tmux_session; cannot build tmux target (session likely registered outside tmux)'

# ---------------------------------------------------------------------------------------------------------------
section "setup: fake worker fk1 (w1, rollout R1) bound to t1 with manager m1 (no tmux)"
R1="$T/r/w1.jsonl"
meta "$R1" fake-w1
mkdir -p "$T/h/w1"
echo "$R1" >"$T/h/w1/fake-rollout"
fake fk1 "$T/h/w1"
wait_for "fk1 shows its prompt" shows fk1 'OpenAI Codex'
ok register-worker --name w1 --pid "$(pane_pid fk1)" --codex-session "$R1" --tmux-session fk1
ok tasks --create t1 --goal 'Goal one'
TASK1=$(val .id)
meta "$T/r/m1.jsonl" fake-m1
ok register-manager --name m1 --pid $$ --codex-session "$T/r/m1.jsonl"
ok bind --task t1 --worker w1 --manager m1
B1=$(val .binding_id)

section "session-nudge: usage and validation errors write nothing"
D=$(db_digest)
fails 2 'session-nudge requires a session name and the text to send.' session-nudge w1
fails 2 'session-nudge requires a session name and the text to send.' session-nudge
fails 2 'session-nudge text must not be empty.' session-nudge w1 '   '
fails 2 'Unexpected argument: extra' session-nudge w1 hi extra
fails 2 'no session registered with name "nope"' session-nudge nope hi
fails 2 '--confirm-seconds must be at most 600.' session-nudge w1 hi --confirm-seconds 601
fails 2 '--confirm-seconds must be a non-negative integer.' session-nudge w1 hi --confirm-seconds x
fails 2 'unknown option --key for session-nudge (see conveyor session-nudge --help)' session-nudge w1 hi --key C-c
same_db "$D"
cv session-nudge --help
rc_is 0
out_has 'usage: conveyor session-nudge SESSION TEXT [--confirm-seconds N] [--dry-run]'

section "session-nudge --dry-run: the result, nothing typed, nothing written"
ok session-nudge w1 'quick hello' --dry-run --json
jeq 'keys | join(",")' "$NUDGE_KEYS"
jeq tojson "{\"confirmed_by\":null,\"dry_run\":true,\"session\":\"w1\",\"side_effect_completed\":false,\"side_effect_started\":false,\"submitted\":null,\"target\":\"fk1\",\"text\":\"quick hello\",\"time\":\"$NOW_S\"}"
ok session-nudge w1 'quick hello' --dry-run
out_is $'dry-run: nothing written\nnudge w1 (fk1): not sent (dry run)'
same_db "$D"
is_true "dry run typed nothing" test ! -e "$T/h/w1/fake-input"

section "session-nudge: typed, submitted, confirmed by the rollout; audited under the bound task"
S0=$(stat -c %s "$R1")
ok session-nudge w1 'work on step one' --json
jeq tojson "{\"confirmed_by\":\"rollout\",\"dry_run\":false,\"session\":\"w1\",\"side_effect_completed\":true,\"side_effect_started\":true,\"submitted\":true,\"target\":\"fk1\",\"text\":\"work on step one\",\"time\":\"$NOW_S\"}"
is_true "the worker received the text once" test "$(cat "$T/h/w1/fake-input")" = 'work on step one'
is_true "a turn started in the rollout" grep -q task_started <(since "$R1" "$S0")
dbeq "select count(*) from events where type = 'session_nudged'" 1
is_true "event row" test "$(last_event "type, task_id, payload_json")" = "session_nudged|$TASK1|{\"dry_run\":false,\"session\":\"w1\",\"submitted\":true,\"success\":true,\"text_length\":16}"
is_true "telemetry row" test "$(last_tel "actor, event_type, severity, task_id, timestamp, summary")" = "workerctl|session_nudge_succeeded|info|$TASK1|$NOW_S|Session nudge sent"
is_true "telemetry correlation" test "$(last_tel correlation_json)" = "{\"binding_id\":\"$B1\",\"dry_run\":false,\"role\":\"worker\",\"session\":\"w1\",\"session_id\":\"$(dbq "select id from sessions where name = 'w1'")\"}"
is_true "telemetry attributes" test "$(last_tel attributes_json)" = '{"confirmed_by":"rollout","side_effect_completed":true,"side_effect_started":true,"submitted":true,"target":"fk1","text_length":16}'
is_true "the paste buffer was deleted" test -z "$(tmux list-buffers -F '#{buffer_name}' | grep workerctl-session-w1)"

section "session-nudge: a message to a busy worker joins the turn (UserMessage in the rollout)"
S0=$(stat -c %s "$R1")
ok session-nudge w1 'also check the docs'
out_is 'nudge w1 (fk1): submitted (confirmed by rollout)'
is_true "no new task_started, one UserMessage" test "$(since "$R1" "$S0" | grep -c UserMessage)-$(since "$R1" "$S0" | grep -c task_started)" = 1-0

section "session-interrupt: usage and validation errors write nothing"
D=$(db_digest)
fails 2 'session-interrupt requires a session name.' session-interrupt
fails 2 'no session registered with name "nope"' session-interrupt nope
fails 2 'Unexpected argument: more' session-interrupt w1 more
fails 2 '--followup requires a value.' session-interrupt w1 --followup
same_db "$D"

section "session-interrupt --dry-run: nothing sent, nothing written"
ok session-interrupt w1 --dry-run --json
jeq 'keys | join(",")' "$INTERRUPT_KEYS"
jeq tojson "{\"confirmed_by\":null,\"dry_run\":true,\"followup\":null,\"followup_confirmed_by\":null,\"interrupted\":null,\"key\":\"Escape\",\"key_sent\":false,\"session\":\"w1\",\"submitted\":null,\"target\":\"fk1\",\"time\":\"$NOW_S\"}"
same_db "$D"
is_true "the worker is still busy" shows fk1 'esc to interrupt'

section "session-interrupt: Escape (the default) ends the running turn, confirmed by turn_aborted"
S0=$(stat -c %s "$R1")
ok session-interrupt w1 --json
jeq '[.key, .key_sent, .interrupted, .confirmed_by, .submitted] | tojson' '["Escape",true,true,"rollout",null]'
is_true "turn_aborted in the rollout" grep -q turn_aborted <(since "$R1" "$S0")
is_true "event row" test "$(last_event "type, task_id, payload_json")" = "session_interrupted|$TASK1|{\"dry_run\":false,\"followup_length\":0,\"interrupted\":true,\"key\":\"Escape\",\"session\":\"w1\",\"submitted\":null,\"success\":true}"
is_true "telemetry row" test "$(last_tel "event_type, severity, task_id, summary")" = "session_interrupt_succeeded|info|$TASK1|Session interrupted"

section "session-interrupt --key C-c on an idle worker sends no key (C-c would quit Codex 0.169)"
ok session-interrupt w1 --key C-c
out_is 'interrupt w1 (fk1): no turn was running; no key sent'
is_true "the fake worker (which quits on C-c when idle) is still there" alive fk1
is_true "telemetry summary" test "$(last_tel "summary")" = 'Session was idle; no interrupt key sent'

section "session-interrupt --followup on an idle worker: no key, the follow-up is submitted and confirmed"
ok session-interrupt w1 --followup 'quick status please' --json
jeq '[.key_sent, .interrupted, .followup, .submitted, .followup_confirmed_by] | tojson' '[false,false,"quick status please",true,"rollout"]'
is_true "event payload" test "$(last_event payload_json)" = '{"dry_run":false,"followup_length":19,"interrupted":false,"key":"Escape","session":"w1","submitted":true,"success":true}'

section "session-interrupt --key C-c on a busy worker interrupts it; the worker stays"
ok session-nudge w1 'long job'
S0=$(stat -c %s "$R1")
ok session-interrupt w1 --key C-c --followup 'quick summarise'
out_is $'interrupt w1 (fk1): C-c sent, turn ended (confirmed by rollout)\nfollow-up submitted (confirmed by rollout)'
is_true "turn_aborted then the follow-up's turn" test "$(since "$R1" "$S0" | jq -r .payload.type | tr '\n' ' ')" = 'turn_aborted task_started item_completed task_complete '
is_true "fk1 is alive" alive fk1

section "session-nudge: a worker that ignores Enter is reported submitted:false (exit 0, warning telemetry)"
R2="$T/r/w2.jsonl"
meta "$R2" fake-w2
mkdir -p "$T/h/w2"
echo "$R2" >"$T/h/w2/fake-rollout"
fake fk2 "$T/h/w2" fake-ignore
wait_for "fk2 shows its prompt" shows fk2 'OpenAI Codex'
ok register-worker --name w2 --pid "$(pane_pid fk2)" --codex-session "$R2" --tmux-session fk2
ok session-nudge w2 'please start' --confirm-seconds 1 --json
jeq '[.side_effect_started, .side_effect_completed, .submitted, .confirmed_by] | tojson' '[true,true,false,null]'
is_true "the text is still on the input line" shows fk2 "› please start"
is_true "event row (no binding: no task)" test "$(last_event "task_id is null, payload_json")" = '1|{"dry_run":false,"session":"w2","submitted":false,"success":true,"text_length":12}'
is_true "telemetry row" test "$(last_tel "event_type, severity, task_id is null, summary")" = 'session_nudge_succeeded|warning|1|Session nudge sent but not confirmed'
ok session-nudge w2 'again' --confirm-seconds 1
out_is 'nudge w2 (fk2): typed and Enter sent, but no turn was seen to start: NOT confirmed'
ok session-nudge w2 'unchecked' --confirm-seconds 0 --json
jeq '[.side_effect_completed, .submitted] | tojson' '[true,null]'

section "session-nudge: a worker whose rollout conveyor cannot see is confirmed by the screen"
R3="$T/r/w3.jsonl"
meta "$R3" fake-w3
fake fk3 "$T/h/w3"
wait_for "fk3 shows its prompt" shows fk3 'OpenAI Codex'
ok register-worker --name w3 --pid "$(pane_pid fk3)" --codex-session "$R3" --tmux-session fk3
ok session-nudge w3 'build it' --json
jeq '[.submitted, .confirmed_by] | tojson' '[true,"screen"]'
ok session-interrupt w3 --json
jeq '[.key_sent, .interrupted, .confirmed_by] | tojson' '[true,true,"screen"]'

section "session-nudge: nothing is typed while the worker waits for a person (Enter would answer it)"
R4="$T/r/w4.jsonl"
meta "$R4" fake-w4
fake fk4 "$T/h/w4" fake-trust
wait_for "fk4 shows the trust prompt" shows fk4 'Trust this folder?'
ok register-worker --name w4 --pid "$(pane_pid fk4)" --codex-session "$R4" --tmux-session fk4
fails 1 'session "w4" is waiting for a person (Codex asks whether to trust this folder); nothing was typed: answer it first (tmux attach -t fk4)' session-nudge w4 'hello'
is_true "the trust prompt is still there" shows fk4 'Trust this folder?'
is_true "failure event" test "$(last_event "type, task_id is null, payload_json")" = 'session_nudged|1|{"dry_run":false,"error":"session \"w4\" is waiting for a person (Codex asks whether to trust this folder); nothing was typed: answer it first (tmux attach -t fk4)","error_type":"Error","session":"w4","submitted":null,"success":false,"text_length":5}'
is_true "failure telemetry" test "$(last_tel "event_type, severity, json_extract(attributes_json, '\$.side_effect_started')")" = 'session_nudge_failed|error|0'

section "session-nudge: a tmux session that is not running (names match exactly: fk is not fk1)"
meta "$T/r/w5.jsonl" fake-w5
ok register-worker --name w5 --pid $$ --codex-session "$T/r/w5.jsonl" --tmux-session fk
N=$(dbq "select count(*) from events")
fails 1 'tmux session is not running for session "w5": fk' session-nudge w5 'hello'
fails 1 'tmux session is not running for session "w5": fk' session-interrupt w5
dbeq "select count(*) from events" $((N + 2))
is_true "interrupt failure event" test "$(last_event "type, payload_json")" = 'session_interrupted|{"dry_run":false,"error":"tmux session is not running for session \"w5\": fk","error_type":"Error","followup_length":0,"interrupted":null,"key":"Escape","session":"w5","submitted":null,"success":false}'
is_true "interrupt failure telemetry" test "$(last_tel "event_type, severity")" = 'session_interrupt_failed|error'
is_true "fk1 received nothing" test "$(grep -c hello "$T/h/w1/fake-input")" = 0

section "no tmux session: exit 2 even in a dry run; the failure is audited under the manager's task"
D=$(db_digest)
fails 2 "$NO_TMUX" session-nudge m1 'hello' --dry-run
fails 2 "$NO_TMUX" session-interrupt m1 --dry-run
same_db "$D"
fails 2 "$NO_TMUX" session-nudge m1 'hello'
is_true "failure event with t1's id" test "$(last_event "type, task_id, json_extract(payload_json, '\$.success'), json_extract(payload_json, '\$.error')")" = "session_nudged|$TASK1|0|$NO_TMUX"
is_true "failure telemetry correlation (manager role)" test "$(last_tel "event_type, task_id, json_extract(correlation_json, '\$.role'), json_extract(correlation_json, '\$.binding_id')")" = "session_nudge_failed|$TASK1|manager|$B1"

section "session-nudge to a bound manager with a tmux session: its task's id"
fake fk6 "$T/h/m2"
wait_for "fk6 shows its prompt" shows fk6 'OpenAI Codex'
meta "$T/r/m2.jsonl" fake-m2
ok register-manager --name m2 --pid "$(pane_pid fk6)" --codex-session "$T/r/m2.jsonl" --tmux-session fk6
ok tasks --create t2 --goal 'Goal two'
TASK2=$(val .id)
ok bind --task t2 --worker w3 --manager m2
ok session-nudge m2 'quick review please'
out_is 'nudge m2 (fk6): submitted (confirmed by screen)'
is_true "event under t2" test "$(last_event "type, task_id")" = "session_nudged|$TASK2"
is_true "telemetry role manager" test "$(last_tel "task_id, json_extract(correlation_json, '\$.role')")" = "$TASK2|manager"

# ---------------------------------------------------------------------------------------------------------------
section "start-worker: validation (exit 2) writes nothing and starts nothing"
mkdir -p "$T/bin" "$T/proj"
ln -s "$FAKE" "$T/bin/codex"
export PATH="$T/bin:$PATH"
D=$(db_digest)
fails 2 'start-worker requires --name N.' start-worker
fails 2 'Unsupported TypeScript runtime option for start-worker.' start-worker --name sw1 --json
fails 2 "session name \"a.b\" may contain only letters, digits, '-' and '_' (it names tmux session codex-<name>)" start-worker --name a.b
fails 2 '--timeout-seconds must be greater than zero (at most 3600).' start-worker --name sw1 --timeout-seconds 0
fails 2 '--cwd is not a directory: /nonexistent-dir' start-worker --name sw1 --cwd /nonexistent-dir
fails 2 '--codex-profile accepts only yolo.' start-worker --name sw1 --codex-profile fast
fails 2 '--sandbox must be one of read-only, workspace-write, danger-full-access.' start-worker --name sw1 --sandbox all
fails 2 '--ask-for-approval must be one of untrusted, on-failure, on-request, never.' start-worker --name sw1 --ask-for-approval x
fails 2 'Unsupported TypeScript runtime option for start-manager.' start-manager --name sm1 --json
same_db "$D"
is_true "no codex-sw1 tmux session" not alive codex-sw1

section "start-worker: codex --no-daemon in tmux, first prompt confirmed, rollout found through /proc, registered"
export CODEX_HOME="$T/ch/sw1"
mkdir -p "$CODEX_HOME"
HOME_P=$(cd "$CODEX_HOME" && pwd -P)
ok start-worker --name sw1 --cwd "$T/proj" --task 'quick first task'
jeq 'keys | join(",")' codex_session_id,codex_session_path,cwd,first_prompt,name,pid,role,session_id,tmux_session,trust_accepted
jeq '[.name, .role, .tmux_session, .cwd, .trust_accepted] | tojson' "[\"sw1\",\"worker\",\"codex-sw1\",\"$T/proj\",false]"
jeq '.first_prompt.submitted' true
jmatch .codex_session_path "$HOME_P/sessions/2026/01/01/rollout-2026-01-01T00-00-00-fake-[0-9]+\\.jsonl"
jeq .pid "$(pane_pid codex-sw1)"
jeq .codex_session_id "fake-$(pane_pid codex-sw1)"
is_true "codex argv" test "$(tr '\n' ' ' <"$CODEX_HOME/fake-argv")" = '--no-daemon --sandbox danger-full-access --ask-for-approval never '
is_true "the prompt was typed once" test "$(cat "$CODEX_HOME/fake-input")" = 'quick first task'
is_true "stored session" test "$(dbq "select role, tmux_session, pid, codex_session_id, cwd, state from sessions where name = 'sw1'")" = "worker|codex-sw1|$(pane_pid codex-sw1)|fake-$(pane_pid codex-sw1)|$T/proj|active"
is_true "session_registered event" test "$(last_event "type, task_id is null, json_extract(payload_json, '\$.via'), json_extract(payload_json, '\$.name')")" = 'session_registered|1|start-worker|sw1'

section "start-worker: a rollout opened before its session_meta is written is waited for, not refused"
export CODEX_HOME="$T/ch/sw9"
mkdir -p "$CODEX_HOME"
touch "$CODEX_HOME/fake-slow-meta"
ok start-worker --name sw9 --cwd "$T/proj" --task 'quick slow meta'
jeq .codex_session_id "fake-$(pane_pid codex-sw9)"
is_true "stored with its codex session id" test "$(dbq "select codex_session_id from sessions where name = 'sw9'")" = "fake-$(pane_pid codex-sw9)"
tmux kill-session -t =codex-sw9

section "start-worker: refusals exit 1 with a hint; a tmux name that only starts the same is no conflict"
fails 1 'a session named "sw1" is already registered (state active); choose another name, or remove it first with: conveyor deregister sw1' start-worker --name sw1
tmux new-session -d -s codex-sw2 'sleep 600'
fails 1 'tmux session codex-sw2 already exists; attach to it with: tmux attach -t codex-sw2, or remove it with: tmux kill-session -t codex-sw2' start-worker --name sw2
tmux kill-session -t =codex-sw2
CONVEYOR_CODEX="$T/nope" fails 1 'codex is not installed or is not available on PATH (or set CONVEYOR_CODEX to it)' start-worker --name sw2 --cwd "$T/proj"

section "start-worker: the trust prompt is answered only with --accept-trust"
tmux new-session -d -s codex-sw30 'sleep 600'
export CODEX_HOME="$T/ch/sw3"
mkdir -p "$CODEX_HOME"
touch "$CODEX_HOME/fake-trust"
fails 1 "codex in tmux session codex-sw3 asks whether to trust $T/proj (pass --accept-trust to answer it); inspect it with: tmux attach -t codex-sw3; once codex shows a prompt and has its rollout open, register it with: conveyor register-worker --name 'sw3' --pid PID --tmux-session codex-sw3; or remove it with: tmux kill-session -t codex-sw3" start-worker --name sw3 --cwd "$T/proj" --task 'quick x'
is_true "nothing was typed into the trust prompt" test ! -e "$CODEX_HOME/fake-input"
tmux kill-session -t =codex-sw3
ok start-worker --name sw3 --cwd "$T/proj" --task 'quick trusted' --accept-trust
jeq '[.trust_accepted, .first_prompt.submitted, .tmux_session] | tojson' '[true,true,"codex-sw3"]'

section "start-worker: a client that never gets ready times out (exit 1, recovery hint)"
export CODEX_HOME="$T/ch/sw4"
mkdir -p "$CODEX_HOME"
touch "$CODEX_HOME/fake-hang"
fails 1 "codex in tmux session codex-sw4 was not ready within 1 s (Codex has not reached a recognized startup state); inspect it with: tmux attach -t codex-sw4; once codex shows a prompt and has its rollout open, register it with: conveyor register-worker --name 'sw4' --pid PID --tmux-session codex-sw4; or remove it with: tmux kill-session -t codex-sw4" start-worker --name sw4 --cwd "$T/proj" --timeout-seconds 1
dbeq "select count(*) from sessions where name = 'sw4'" 0
tmux kill-session -t =codex-sw4

section "start-worker without --task: registered without a rollout (0.169 creates it at the first prompt)"
export CODEX_HOME="$T/ch/sw5"
mkdir -p "$CODEX_HOME"
ok start-worker --name sw5 --cwd "$T/proj" --codex-profile yolo
jeq '[.codex_session_path, .codex_session_id, .first_prompt] | tojson' '[null,null,null]'
jeq .pid "$(pane_pid codex-sw5)"
is_true "yolo argv" test "$(tr '\n' ' ' <"$CODEX_HOME/fake-argv")" = '--no-daemon --dangerously-bypass-approvals-and-sandbox '

section "start-manager: the bootstrap prompt names the task, the worker and the steering commands"
export CODEX_HOME="$T/ch/sm1"
mkdir -p "$CODEX_HOME"
ok start-manager --name sm1 --cwd "$T/proj" --task t1 --task-goal 'Goal one' --worker w1
jeq '[.role, .tmux_session, .first_prompt.submitted] | tojson' '["manager","codex-sm1",true]'
is_true "bootstrap prompt" test "$(cat "$CODEX_HOME/fake-input")" = "You are the manager of conveyor task 't1' (goal: Goal one). Your worker is the Codex session 'w1'. Observe it with: conveyor cycle 't1' --path '$DB' --json. Steer it with: conveyor session-nudge 'w1' '<instruction>' --path '$DB' --json (check that submitted is true), and stop a wrong turn with: conveyor session-interrupt 'w1' --followup '<instruction>' --path '$DB' --json. Read the worker's state first, then give it its next instruction."
is_true "session_registered via start-manager" test "$(last_event "json_extract(payload_json, '\$.via'), json_extract(payload_json, '\$.role')")" = 'start-manager|manager'

# ---------------------------------------------------------------------------------------------------------------
section "pair: validation and the dry-run plan write nothing and start nothing"
export CODEX_HOME="$T/ch/pair"
mkdir -p "$CODEX_HOME"
D=$(db_digest)
fails 2 'pair requires --task, --worker-name, and --manager-name.' pair --task p1 --worker-name pw1
fails 2 'pair needs two different session names (--worker-name, --manager-name).' pair --task p1 --worker-name x --manager-name x
fails 2 '--manager-supervision-mode must be one of light, guided, strict.' pair --task p1 --worker-name pw1 --manager-name pm1 --manager-supervision-mode loose
fails 2 'pair needs --task-goal to create task "p1".' pair --task p1 --worker-name pw1 --manager-name pm1 --cwd "$T/proj"
ok pair --task p1 --task-goal 'quick pair goal' --worker-name pw1 --manager-name pm1 --cwd "$T/proj" --dry-run --json
jeq 'keys | join(",")' dispatch,dispatch_command,dry_run,ensure_dispatch,manager,task,worker
jeq '[.task.create, .task.name, .worker.tmux_session, .manager.tmux_session, .dispatch.started, .dispatch.reason] | tojson' '[true,"p1","codex-pw1","codex-pm1",false,"dry run: nothing was started"]'
jeq .dispatch_command "conveyor dispatch --watch --dispatcher-id 'dispatch-pair' --path '$DB'"
jtrue ".worker.command | endswith(\"exec '$T/bin/codex' '--no-daemon' '--sandbox' 'danger-full-access' '--ask-for-approval' 'never'\")"
same_db "$D"
is_true "no codex-pw1 tmux session" not alive codex-pw1

section "pair: task created, config and criteria seeded, worker then manager started, bound, run opened"
ok pair --task p1 --task-goal 'quick pair goal' --worker-name pw1 --manager-name pm1 --cwd "$T/proj" --manager-acceptance 'tests pass' --manager-acceptance 'docs updated' --manager-guideline 'be brief' --timeout-seconds 10 --json
jeq 'keys | join(",")' binding_id,dispatch,dispatch_command,ensure_dispatch,manager,manager_acceptance_criteria_seeded,manager_config_seeded,manager_config_seeded_by_pair,run_id,task,worker
jeq '[.task.created, .task.name, .manager_acceptance_criteria_seeded, .manager_config_seeded, .manager_config_seeded_by_pair, .dispatch.started, .dispatch.reason] | tojson' '[true,"p1",2,true,true,true,"started"]'
# pair started a detached `dispatch --watch` (it outlives pair): it runs with pair's dispatcher id, then is stopped.
DPID=$(val .dispatch.pid)
is_true "the dispatcher runs (pid $DPID)" grep -q 'dispatch --watch --dispatcher-id dispatch-pair' <<<"$(tr '\0' ' ' <"/proc/$DPID/cmdline")"
is_true "the dispatcher is in its own session" test "$(ps -o sid= -p "$DPID" | tr -d ' ')" = "$DPID"
kill "$DPID"
jeq '[.worker.name, .worker.role, .worker.first_prompt.submitted, .manager.name, .manager.role, .manager.first_prompt.submitted] | tojson' '["pw1","worker",true,"pm1","manager",true]'
P1=$(val .task.id)
PB=$(val .binding_id)
PR=$(val .run_id)
is_true "binding row" test "$(dbq "select b.state, t.name, w.name, m.name, t.state from bindings b join tasks t on t.id = b.task_id join sessions w on w.id = b.worker_session_id join sessions m on m.id = b.manager_session_id where b.id = '$PB'")" = 'active|p1|pw1|pm1|managed'
is_true "run row" test "$(dbq "select task_id, name, purpose, status, started_at, json_extract(metadata_json, '\$.binding_id') from runs where id = '$PR'")" = "$P1|p1|pair|active|$NOW_S|$PB"
is_true "manager config" test "$(dbq "select supervision_mode, objective, guidelines_json, acceptance_criteria_json from manager_configs where task_id = '$P1'")" = 'guided|quick pair goal|["be brief"]|["tests pass","docs updated"]'
is_true "acceptance criteria" test "$(dbq "select group_concat(criterion || ':' || status || ':' || source, ',') from acceptance_criteria where task_id = '$P1'")" = 'tests pass:accepted:user_requested,docs updated:accepted:user_requested'
is_true "pair telemetry" test "$(dbq "select group_concat(event_type, ',') from (select event_type from telemetry_events where task_id = '$P1' and event_type like 'pair_%' order by rowid)")" = 'pair_started,pair_worker_started,pair_completed'
is_true "registered via pair" test "$(dbq "select count(*) from events where type = 'session_registered' and json_extract(payload_json, '\$.via') = 'pair'")" = 2
is_true "task_created and binding_created events" test "$(dbq "select group_concat(type, ',') from events where task_id = '$P1'")" = 'task_created,binding_created'

section "pair: a failed start is recorded as pair_failed (exit 1); the task stays"
export CODEX_HOME="$T/ch/hang"
mkdir -p "$CODEX_HOME"
touch "$CODEX_HOME/fake-hang"
fails 1 "codex in tmux session codex-pw3 was not ready within 1 s (Codex has not reached a recognized startup state); inspect it with: tmux attach -t codex-pw3; once codex shows a prompt and has its rollout open, register it with: conveyor register-worker --name 'pw3' --pid PID --tmux-session codex-pw3; or remove it with: tmux kill-session -t codex-pw3" pair --task p3 --task-goal 'Goal three' --worker-name pw3 --manager-name pm3 --cwd "$T/proj" --timeout-seconds 1
is_true "pair_failed telemetry" test "$(last_tel "event_type, severity, json_extract(attributes_json, '\$.step')")" = 'pair_failed|error|start_worker'
dbeq "select count(*) from tasks where name = 'p3'" 1
tmux kill-session -t =codex-pw3
fails 1 'a session named "pw1" is already registered (state active); choose another name, or remove it first with: conveyor deregister pw1' pair --task p1 --worker-name pw1 --manager-name pm9 --cwd "$T/proj"

# ---------------------------------------------------------------------------------------------------------------
section "doctor: everything present (fake codex 0.169.0 on PATH, tmux, database)"
unset CODEX_HOME
ok doctor --cwd "$T/proj" --json
jeq '[.checks[].name] | join(",")' tmux,tmux_version,codex,codex_version,target_cwd_exists,state_root_exists,database
jeq '.ok' true
jeq .project_root "$T/proj"
jeq '[.checks[] | select(.ok | not)] | length' 0
jeq '.checks[3].detail' 'codex-cli 0.169.0'
jeq '.checks[2].detail' "$T/bin/codex"
jeq '.checks[6].detail' "$DB: journal_mode wal, user_version 25, quick_check ok"
jeq '[.checks[] | select(.informational) | .name] | join(",")' state_root_exists
jeq '.workers | map(select(.name == "w1"))[0] | tojson' "{\"alive\":true,\"name\":\"w1\",\"pid\":$(pane_pid fk1),\"tmux_session\":\"fk1\"}"
ok doctor --cwd "$T/proj"
out_has 'ok   codex_version: codex-cli 0.169.0'
out_has 'doctor: ok'

section "doctor: another Codex version is a warning, not a failure"
FAKE_VERSION=0.170.0 ok doctor --json
jeq '[.ok, .checks[3].ok, .checks[3].detail] | tojson' '[true,true,"codex-cli 0.170.0 (warning: conveyor is tested with Codex 0.169.x)"]'

section "doctor: failures print the report, exit 1 and name the failed checks on stderr; a missing database is informational"
mkdir -p "$T/onlytmux"
ln -s "$(command -v tmux)" "$T/onlytmux/tmux"
env PATH="$T/onlytmux" "$CONVEYOR" doctor --path "$DB" >"$OUT" 2>"$ERR"
RC=$?
rc_is 1
is_true "missing codex message" test "$(cat "$ERR")" = 'doctor: not ok: codex (codex is not installed or is not available on PATH (or set CONVEYOR_CODEX to it)); codex_version (not run: the program is missing)'
out_has 'FAIL codex: codex is not installed or is not available on PATH (or set CONVEYOR_CODEX to it)'
out_has 'doctor: not ok'
cv doctor --cwd /nonexistent-dir --json --path "$DB"
rc_is 1
jeq '[.ok, (.checks[] | select(.name == "target_cwd_exists") | .ok)] | tojson' '[false,false]'
is_true "failed check on stderr" test "$(cat "$ERR")" = 'doctor: not ok: target_cwd_exists (/nonexistent-dir)'
cv doctor --path "$T/nodb/x.db" --json
rc_is 0
jeq '[.checks[5].ok, .checks[5].informational, .checks[6].ok, .checks[6].informational, (.workers | length)] | tojson' '[false,true,true,true,0]'
is_true "doctor created no database" test ! -e "$T/nodb"
printf 'not a database at all, just some text to fill a page' >"$T/bad.db"
cv doctor --path "$T/bad.db"
rc_is 1
is_true "corrupt database message" test "$(cat "$ERR")" = "doctor: not ok: database ($T/bad.db: file is not a database)"

finish
