#!/usr/bin/env bash
# Sessions, tasks and bindings as a user sees them (SPEC 3.1-3.7 with docs/sessions.md): registration from a real
# Codex 0.169 rollout and from --pid, rollout validation, re-registration, the communication block, `sessions`
# filters, heartbeat, deregister and its command receipts, tasks, bind/unbind conflicts, handoff and
# create-disposable-binding. Every refusal must leave the database unchanged (except deregister's audit trail).
. "$(dirname "$0")/lib.sh"

# Processes this script starts (rollout holders); killed by pid at exit.
PIDS=()
# cleanup: kills the processes this script started, then removes the scratch folder.
cleanup() {
	local p
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T00:01:00.000Z
T2=2026-01-01T00:02:00.000Z
T3=2026-01-01T00:03:00.000Z
T4=2026-01-01T00:04:00.000Z
T5=2026-01-01T00:05:00.000Z
UUID='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
FIXTURE=$ROLLOUT_FIXTURE
SID=01a211e3-120c-7582-9710-cfc34f81afd2
FIX_CWD=/home/op/demo/work2
HERE=$(pwd -P)
RDIR="$HERE/codex/sessions/2026/01/01"
ROLL="$RDIR/rollout-2026-01-01T00-00-00-$SID.jsonl"
ROLL_REL="codex/sessions/2026/01/01/rollout-2026-01-01T00-00-00-$SID.jsonl"
SESSION_KEYS=codex_app_thread_id,codex_app_thread_title,codex_session_id,codex_session_path,communication,cwd,id,identity_token,last_heartbeat_at,last_ingest_offset,name,pid,registered_at,role,state,tmux_pane_id,tmux_session
COMM_KEYS=can_receive_pull,can_receive_push,delivery_mode,detection_source,poll_command_template,receive_style,requires_polling,session_kind,tmux_session
POLL_W='conveyor worker-inbox <task> --consume-next --wait --timeout 60 --json'
POLL_M='conveyor manager-inbox <task> --consume-next --wait --timeout 60 --json'
# The communication blocks of SPEC 3.2 (compact, keys sorted), with POLL as the poll command template.
# comm_app POLL: a Codex app session's (no tmux).
comm_app() { echo "{\"can_receive_pull\":true,\"can_receive_push\":false,\"delivery_mode\":\"pull_required\",\"detection_source\":\"codex_session_without_tmux\",\"poll_command_template\":\"$1\",\"receive_style\":\"pull\",\"requires_polling\":true,\"session_kind\":\"codex_app\",\"tmux_session\":null}"; }
# comm_tmux POLL TMUX_SESSION: a session's in a tmux session.
comm_tmux() { echo "{\"can_receive_pull\":true,\"can_receive_push\":true,\"delivery_mode\":\"push\",\"detection_source\":\"tmux_session\",\"poll_command_template\":\"$1\",\"receive_style\":\"push\",\"requires_polling\":false,\"session_kind\":\"tmux\",\"tmux_session\":\"$2\"}"; }
# comm_none POLL: a session's whose tmux session is missing.
comm_none() { echo "{\"can_receive_pull\":true,\"can_receive_push\":false,\"delivery_mode\":\"pull_required\",\"detection_source\":\"missing_tmux_session\",\"poll_command_template\":\"$1\",\"receive_style\":\"pull\",\"requires_polling\":true,\"session_kind\":\"no_tmux\",\"tmux_session\":null}"; }

# out_empty: the last stdout is empty.
out_empty() { if [ ! -s "$OUT" ]; then good "stdout is empty"; else bad "stdout is empty"; fi; }

# line_is N TEXT: line N of the last stdout is exactly TEXT.
line_is() {
	local got
	got=$(sed -n "${1}p" "$OUT")
	if [ "$got" = "$2" ]; then good "stdout line $1 is '$2'"; else bad "stdout line $1 is '$2'" "got '$got'"; fi
}

# pretty_sorted: the last stdout is JSON printed with 2-space indentation and recursively sorted keys.
pretty_sorted() {
	if [ -s "$OUT" ] && jq -S --indent 2 . "$OUT" 2>/dev/null | cmp -s - "$OUT"; then good "stdout is pretty sorted JSON"; else bad "stdout is pretty sorted JSON"; fi
}

# same_out FILE: the last stdout equals FILE byte for byte.
same_out() { if cmp -s "$1" "$OUT"; then good "stdout is the same as $1"; else bad "stdout is the same as $1" "$1: $(head -c 300 "$1")"; fi; }

# events_n: how many events rows exist.
events_n() { dbq "select count(*) from events"; }
# tel_n: how many telemetry rows exist.
tel_n() { dbq "select count(*) from telemetry_events"; }

# sess_row NAME: the stored columns of a session, |-separated, NULL shown as NULL.
sess_row() {
	dbq "select id, role, identity_token, quote(tmux_session), quote(tmux_pane_id), quote(codex_session_path),
	     quote(codex_session_id), quote(codex_app_thread_id), quote(codex_app_thread_title), quote(pid), cwd,
	     registered_at, quote(last_heartbeat_at), state, quote(last_ingest_offset) from sessions where name = '$1'"
}

# write_meta FILE ID CWD: a rollout whose first line is a session_meta record, plus one more record.
write_meta() {
	mkdir -p "$(dirname "$1")"
	printf '{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"%s","cwd":"%s","originator":"codex-tui","cli_version":"0.169.0"}}\n' "$2" "$3" >"$1"
	printf '{"timestamp":"2026-01-01T00:00:01.000Z","type":"event_msg","payload":{"type":"task_started"}}\n' >>"$1"
}

# wait_file FILE: waits (up to 5 s) until FILE exists and is not empty.
wait_file() {
	local i
	for i in $(seq 50); do
		[ -s "$1" ] && return 0
		sleep 0.1
	done
	return 1
}

# ---------------------------------------------------------------------------------------------------------------
section "setup: a real Codex 0.169 rollout copied into a sessions tree"
mkdir -p "$RDIR"
cp "$FIXTURE" "$ROLL"
chmod u+w "$ROLL"
is_true "fixture's session_meta id is $SID" [ "$(head -n 1 "$ROLL" | jq -r .payload.id)" = "$SID" ]
is_true "fixture's session_meta cwd is $FIX_CWD" [ "$(head -n 1 "$ROLL" | jq -r .payload.cwd)" = "$FIX_CWD" ]

section "tasks: no tasks yet (empty text output, [] as JSON); listing never creates the database"
ok tasks
out_empty
is_true "tasks did not create the database" [ ! -e "$DB" ]
ok tasks --json
out_is '[]'

section "register-worker: output from a real 0.169 rollout"
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL"
pretty_sorted
jeq 'keys | join(",")' codex_app_thread_id,codex_app_thread_title,codex_session_id,codex_session_path,communication,cwd,name,pid,role,session_id,tmux_session
jeq .codex_app_thread_id null
jeq .codex_app_thread_title null
jeq .codex_session_id "$SID"
jeq .codex_session_path "$ROLL"
jeq .cwd "$FIX_CWD"
jeq .name w1
jeq '.pid | tojson' 4242
jeq .role worker
jmatch .session_id "session-$UUID"
jeq .tmux_session null
W1=$(val .session_id)

section "register-worker: the communication block field by field (Codex app, no tmux)"
jeq '.communication | keys | join(",")' "$COMM_KEYS"
jeq '.communication.can_receive_pull | tojson' true
jeq '.communication.can_receive_push | tojson' false
jeq .communication.delivery_mode pull_required
jeq .communication.detection_source codex_session_without_tmux
jeq .communication.poll_command_template "$POLL_W"
jeq .communication.receive_style pull
jeq '.communication.requires_polling | tojson' true
jeq .communication.session_kind codex_app
jeq '.communication.tmux_session | tojson' null
jtrue '.communication | has("poll_command") | not'
cp "$OUT" "$T/w1-register.json"

section "register-worker: the sessions row and the session_registered event"
TOK1=$(dbq "select identity_token from sessions where name = 'w1'")
is_true "identity token $TOK1 has the session-token-<uuid> form" grep -Eqx "session-token-$UUID" <<<"$TOK1"
dbeq "select count(*) from sessions" 1
is_true "sessions row of w1" [ "$(sess_row w1)" = "$W1|worker|$TOK1|NULL|NULL|'$ROLL'|'$SID'|NULL|NULL|4242|$FIX_CWD|$T0|'$T0'|active|NULL" ]
dbeq "select count(*) from events" 1
dbeq "select created_at, actor, quote(command_id), quote(task_id), quote(correlation_id), quote(worker_id), quote(manager_id), type from events" \
	"$T0|workerctl|NULL|NULL|NULL|NULL|NULL|session_registered"
dbeq "select payload_json from events where type = 'session_registered'" \
	"{\"codex_session_id\":\"$SID\",\"name\":\"w1\",\"pid\":4242,\"role\":\"worker\",\"session_id\":\"$W1\"}"
dbeq "select count(*) from telemetry_events" 0

section "register-manager: relative rollout path stored absolute, --cwd and --tmux-session (push block)"
ok register-manager --name m1 --pid 4343 --codex-session "$ROLL_REL" --cwd /srv/m1 --tmux-session tm-1
M1=$(val .session_id)
jeq .codex_session_path "$ROLL"
jeq .cwd /srv/m1
jeq .role manager
jeq '.pid | tojson' 4343
jeq .tmux_session tm-1
jeq .codex_session_id "$SID"
jeq '.communication | tojson' "$(comm_tmux "$POLL_M" tm-1)"
jeq .communication.poll_command_template "$POLL_M"
TOKM1=$(dbq "select identity_token from sessions where name = 'm1'")
is_true "sessions row of m1" [ "$(sess_row m1)" = "$M1|manager|$TOKM1|'tm-1'|NULL|'$ROLL'|'$SID'|NULL|NULL|4343|/srv/m1|$T0|'$T0'|active|NULL" ]
dbeq "select payload_json from events order by id desc limit 1" \
	"{\"codex_session_id\":\"$SID\",\"name\":\"m1\",\"pid\":4343,\"role\":\"manager\",\"session_id\":\"$M1\"}"

section "register: a rollout whose first line is longer than 64 KB (a padded session_meta) registers"
BIG="$RDIR/rollout-2026-01-01T00-00-01-big.jsonl"
{
	printf '{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"big-meta-1","cwd":"/work/big","base_instructions":{"text":"'
	head -c 200000 /dev/zero | tr '\0' x
	printf '"},"originator":"codex-tui"}}\n'
	printf '{"type":"event_msg","payload":{"type":"task_started"}}\n'
} >"$BIG"
is_true "first line is longer than 64 KB" [ "$(head -n 1 "$BIG" | wc -c)" -gt 65536 ]
ok register-worker --name big --pid 4444 --codex-session "$BIG"
jeq .codex_session_id big-meta-1
jeq .cwd /work/big
jeq .codex_session_path "$BIG"
dbeq "select codex_session_id, cwd from sessions where name = 'big'" 'big-meta-1|/work/big'

section "register: a rollout with CRLF line endings registers"
CRLF="$RDIR/rollout-2026-01-01T00-00-02-crlf.jsonl"
printf '{"type":"session_meta","payload":{"id":"crlf-meta-1","cwd":"/work/crlf"}}\r\n{"type":"event_msg","payload":{}}\r\n' >"$CRLF"
ok register-worker --name crlf --pid 4545 --codex-session "$CRLF"
jeq .codex_session_id crlf-meta-1
jeq .cwd /work/crlf

section "register: a session_meta without cwd gives cwd \"\""
NOCWD="$RDIR/rollout-2026-01-01T00-00-03-nocwd.jsonl"
printf '{"type":"session_meta","payload":{"id":"nocwd-1"}}\n' >"$NOCWD"
ok register-worker --name nocwd --pid 4646 --codex-session "$NOCWD"
jeq '.cwd | tojson' '""'
dbeq "select quote(cwd) from sessions where name = 'nocwd'" "''"

section "register: every rollout validation error (exit 2, message naming the path as typed, nothing written)"
mkdir -p bad
: >bad/empty.jsonl
printf '\n{"type":"session_meta","payload":{"id":"x"}}\n' >bad/blank-first.jsonl
printf 'this is not json\n' >bad/notjson.jsonl
printf '{"type":"session_meta","payload":{"id":"x"}\n' >bad/truncated.jsonl
printf '{"type":"event_msg","payload":{"id":"x"}}\n' >bad/event.jsonl
printf '[{"type":"session_meta","payload":{"id":"x"}}]\n' >bad/array.jsonl
printf '{"payload":{"id":"x"}}\n' >bad/notype.jsonl
printf '{"type":"session_meta","payload":"x"}\n' >bad/payload-string.jsonl
printf '{"type":"session_meta","payload":["x"]}\n' >bad/payload-array.jsonl
printf '{"type":"session_meta"}\n' >bad/payload-missing.jsonl
printf '{"type":"session_meta","payload":{"cwd":"/x"}}\n' >bad/id-missing.jsonl
printf '{"type":"session_meta","payload":{"id":42}}\n' >bad/id-number.jsonl
printf '{"type":"session_meta","payload":{"id":null}}\n' >bad/id-null.jsonl
d=$(db_digest)
fails 2 'rollout file not found: bad/missing.jsonl' register-worker --name bad --pid 4242 --codex-session bad/missing.jsonl
fails 2 "rollout file not found: $HERE/bad/missing.jsonl" register-worker --name bad --pid 4242 --codex-session "$HERE/bad/missing.jsonl"
fails 2 'rollout file is empty: bad/empty.jsonl' register-worker --name bad --pid 4242 --codex-session bad/empty.jsonl
fails 2 'rollout file is empty: bad/blank-first.jsonl' register-worker --name bad --pid 4242 --codex-session bad/blank-first.jsonl
fails 2 'rollout file first line is not JSON: bad/notjson.jsonl' register-worker --name bad --pid 4242 --codex-session bad/notjson.jsonl
fails 2 'rollout file first line is not JSON: bad/truncated.jsonl' register-worker --name bad --pid 4242 --codex-session bad/truncated.jsonl
fails 2 'rollout file first record is not session_meta: bad/event.jsonl' register-worker --name bad --pid 4242 --codex-session bad/event.jsonl
fails 2 'rollout file first record is not session_meta: bad/array.jsonl' register-worker --name bad --pid 4242 --codex-session bad/array.jsonl
fails 2 'rollout file first record is not session_meta: bad/notype.jsonl' register-worker --name bad --pid 4242 --codex-session bad/notype.jsonl
fails 2 'rollout session_meta payload is not an object: bad/payload-string.jsonl' register-worker --name bad --pid 4242 --codex-session bad/payload-string.jsonl
fails 2 'rollout session_meta payload is not an object: bad/payload-array.jsonl' register-worker --name bad --pid 4242 --codex-session bad/payload-array.jsonl
fails 2 'rollout session_meta payload is not an object: bad/payload-missing.jsonl' register-worker --name bad --pid 4242 --codex-session bad/payload-missing.jsonl
fails 2 'rollout session_meta payload is missing id: bad/id-missing.jsonl' register-worker --name bad --pid 4242 --codex-session bad/id-missing.jsonl
fails 2 'rollout session_meta payload is missing id: bad/id-number.jsonl' register-worker --name bad --pid 4242 --codex-session bad/id-number.jsonl
fails 2 'rollout session_meta payload is missing id: bad/id-null.jsonl' register-worker --name bad --pid 4242 --codex-session bad/id-null.jsonl
fails 2 'rollout session_meta payload is missing id: bad/id-missing.jsonl' register-manager --name bad --pid 4242 --codex-session bad/id-missing.jsonl
# An existing session is not touched by a failed re-registration either.
fails 2 'rollout file is empty: bad/empty.jsonl' register-worker --name w1 --pid 4242 --codex-session bad/empty.jsonl
same_db "$d"

section "register: missing or malformed --name/--pid, unknown flags (nothing written)"
d=$(db_digest)
fails 2 'register-worker requires --name and --pid (--codex-session is found from the process when omitted).' \
	register-worker --pid 4242 --codex-session "$ROLL"
fails 2 'register-worker requires --name and --pid (--codex-session is found from the process when omitted).' \
	register-worker --name w9 --codex-session "$ROLL"
fails 2 'register-manager requires --name and --pid (--codex-session is found from the process when omitted).' \
	register-manager --name m9
fails 2 'register-worker requires --name and --pid (--codex-session is found from the process when omitted).' \
	register-worker --name w9 --name w10 --pid 4242 --codex-session "$ROLL"
fails 2 '--pid must be an integer.' register-worker --name w9 --pid abc --codex-session "$ROLL"
fails 2 '--pid requires a value.' register-worker --name w9 --pid
fails 2 '--name requires a value.' register-worker --name --pid 4242
fails 2 'unknown option --bogus for register-worker (see conveyor register-worker --help)' register-worker --name w9 --pid 4242 --bogus
fails 2 'Unexpected argument: extra' register-worker extra --name w9 --pid 4242 --codex-session "$ROLL"
same_db "$d"

section "--pid: the rollout a live child process keeps open"
RP1="$RDIR/rollout-2026-01-01T00-10-00-pidchild.jsonl"
write_meta "$RP1" pid-child-1 /work/pidchild
(
	exec 3<"$RP1"
	echo ok >"$T/ready.1"
	exec sleep 30
) &
P1=$!
PIDS+=("$P1")
wait_file "$T/ready.1"
is_true "pid $P1 holds the rollout open" bash -c "ls -l /proc/$P1/fd | grep -qF -- '$RP1'"
ok register-worker --name pw1 --pid "$P1"
jeq '.pid | tojson' "$P1"
jeq .codex_session_path "$(realpath "$RP1")"
jeq .codex_session_id pid-child-1
jeq .cwd /work/pidchild
jeq '.communication | tojson' "$(comm_app "$POLL_W")"
dbeq "select pid, codex_session_path, codex_session_id from sessions where name = 'pw1'" "$P1|$(realpath "$RP1")|pid-child-1"

section "--pid: the rollout a grandchild keeps open (register with the outer pid)"
RP2="$RDIR/rollout-2026-01-01T00-11-00-grandchild.jsonl"
write_meta "$RP2" pid-grandchild-1 /work/grandchild
bash -c '( exec 3<"$1"; echo $BASHPID >"$2.tmp"; mv "$2.tmp" "$2"; exec sleep 30 ) & wait' _ "$RP2" "$T/inner.pid" &
P2=$!
PIDS+=("$P2")
wait_file "$T/inner.pid"
P2I=$(cat "$T/inner.pid")
PIDS+=("$P2I")
is_true "the outer pid $P2 itself has no rollout open" bash -c "! ls -l /proc/$P2/fd | grep -qF -- rollout-"
is_true "the grandchild $P2I holds the rollout" bash -c "ls -l /proc/$P2I/fd | grep -qF -- '$RP2'"
ok register-manager --name pm1 --pid "$P2"
jeq '.pid | tojson' "$P2"
jeq .codex_session_path "$(realpath "$RP2")"
jeq .codex_session_id pid-grandchild-1
jeq .cwd /work/grandchild
jeq .role manager
dbeq "select pid, codex_session_path from sessions where name = 'pm1'" "$P2|$(realpath "$RP2")"

section "--pid: two rollouts open, the most recently modified one wins"
RA="$RDIR/rollout-2026-01-01T00-12-00-older.jsonl"
RB="$RDIR/rollout-2026-01-01T00-12-01-newer.jsonl"
write_meta "$RA" older-1 /work/older
write_meta "$RB" newer-1 /work/newer
touch -d '2020-01-01 00:00:00' "$RA"
touch -d '2021-01-01 00:00:00' "$RB"
(
	exec 3<"$RB" 4<"$RA"
	echo ok >"$T/ready.3"
	exec sleep 30
) &
P3=$!
PIDS+=("$P3")
wait_file "$T/ready.3"
ok register-worker --name pw2 --pid "$P3"
jeq .codex_session_id newer-1
jeq .codex_session_path "$(realpath "$RB")"

section "--pid: no rollout open, dead process, invalid rollout found (exit 2, nothing written)"
mkdir -p other codex/sessions
write_meta other/rollout-x.jsonl other-1 /x
write_meta codex/sessions/notes.jsonl notes-1 /x
write_meta codex/sessions/rollout-y.json notes-2 /x
(
	exec 3<other/rollout-x.jsonl 4<codex/sessions/notes.jsonl 5<codex/sessions/rollout-y.json
	echo ok >"$T/ready.4"
	exec sleep 30
) &
P4=$!
PIDS+=("$P4")
wait_file "$T/ready.4"
sleep 0 &
DEAD=$!
wait "$DEAD"
REMPTY="$RDIR/rollout-2026-01-01T00-13-00-empty.jsonl"
: >"$REMPTY"
(
	exec 3<"$REMPTY"
	echo ok >"$T/ready.5"
	exec sleep 30
) &
P5=$!
PIDS+=("$P5")
wait_file "$T/ready.5"
d=$(db_digest)
fails 2 "no Codex rollout file (sessions/.../rollout-*.jsonl) is open by pid $P4 or its children; pass --codex-session ROLLOUT.jsonl" \
	register-worker --name pw3 --pid "$P4"
fails 2 "no process with pid $DEAD is running" register-worker --name pw3 --pid "$DEAD"
fails 2 "no process with pid $DEAD is running" register-manager --name pw3 --pid "$DEAD"
fails 2 '--pid must be a positive process id.' register-worker --name pw3 --pid 0
fails 2 '--pid must be a positive process id.' register-worker --name pw3 --pid -5 --codex-session "$ROLL"
fails 2 "rollout file is empty: $(realpath "$REMPTY")" register-worker --name pw3 --pid "$P5"
same_db "$d"

section "register: a name taken by the other role is refused (nothing written)"
d=$(db_digest)
fails 2 'session name "w1" already exists with role "worker"; refusing to re-register as "manager"' \
	register-manager --name w1 --pid 4242 --codex-session "$ROLL"
fails 2 'session name "m1" already exists with role "manager"; refusing to re-register as "worker"' \
	register-worker --name m1 --pid 4242 --codex-session "$ROLL"
same_db "$d"

section "re-register: keeps id, token, registered_at and pane; refreshes the rest; resets the ingest offset"
export CONVEYOR_NOW=$T1
dbq "update sessions set tmux_pane_id = '%7', last_ingest_offset = 123 where name = 'w1'"
R2="$RDIR/rollout-2026-01-01T00-20-00-second.jsonl"
write_meta "$R2" second-meta-1 /work/second
ev=$(events_n)
ok register-worker --name w1 --pid 5151 --codex-session "$R2" --tmux-session tw-1
jeq .session_id "$W1"
jeq '.pid | tojson' 5151
jeq .codex_session_id second-meta-1
jeq .codex_session_path "$R2"
jeq .cwd /work/second
jeq .tmux_session tw-1
jeq '.communication | tojson' "$(comm_tmux "$POLL_W" tw-1)"
is_true "sessions row of w1 after re-registration" \
	[ "$(sess_row w1)" = "$W1|worker|$TOK1|'tw-1'|'%7'|'$R2'|'second-meta-1'|NULL|NULL|5151|/work/second|$T0|'$T1'|active|NULL" ]
dbeq "select count(*) from events" $((ev + 1))
dbeq "select created_at || ' ' || payload_json from events order by id desc limit 1" \
	"$T1 {\"codex_session_id\":\"second-meta-1\",\"name\":\"w1\",\"pid\":5151,\"role\":\"worker\",\"session_id\":\"$W1\"}"
dbeq "select count(*) from sessions where name = 'w1'" 1

section "re-register: tmux session and cwd come from this registration only"
export CONVEYOR_NOW=$T0
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL"
same_out "$T/w1-register.json"
is_true "sessions row of w1 back to the fixture" \
	[ "$(sess_row w1)" = "$W1|worker|$TOK1|NULL|'%7'|'$ROLL'|'$SID'|NULL|NULL|4242|$FIX_CWD|$T0|'$T0'|active|NULL" ]
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL" --json
same_out "$T/w1-register.json"

section "re-register: the app thread id and title are stored and kept unless new ones are given"
# thread_of NAME: the stored app thread id and title of session NAME, SQL-quoted.
thread_of() { dbq "select quote(codex_app_thread_id) || ' ' || quote(codex_app_thread_title) from sessions where name = '$1'"; }
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL" --codex-app-thread-id thr_1 --codex-app-thread-title 'Thread one'
jeq .codex_app_thread_id thr_1
jeq .codex_app_thread_title 'Thread one'
jeq .session_id "$W1"
is_true "thread stored" [ "$(thread_of w1)" = "'thr_1' 'Thread one'" ]
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL"
jeq .codex_app_thread_id thr_1
jeq .codex_app_thread_title 'Thread one'
is_true "thread kept without thread flags" [ "$(thread_of w1)" = "'thr_1' 'Thread one'" ]
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL" --codex-app-thread-title 'Thread one (renamed)'
jeq .codex_app_thread_id thr_1
jeq .codex_app_thread_title 'Thread one (renamed)'
is_true "only the title changes" [ "$(thread_of w1)" = "'thr_1' 'Thread one (renamed)'" ]
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL" --codex-app-thread-id thr_2
jeq .codex_app_thread_id thr_2
jeq .codex_app_thread_title null
is_true "a new thread id without a title clears the old title" [ "$(thread_of w1)" = "'thr_2' NULL" ]
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL" --codex-app-thread-id thr_3 --codex-app-thread-title 'Thread three'
jeq .codex_app_thread_id thr_3
jeq .codex_app_thread_title 'Thread three'
ok register-worker --name w1 --pid 4242 --codex-session "$ROLL"
jeq .codex_app_thread_id thr_3
jeq .codex_app_thread_title 'Thread three'
is_true "id, token and registered_at still the first ones" \
	[ "$(dbq "select id || ' ' || identity_token || ' ' || registered_at from sessions where name = 'w1'")" = "$W1 $TOK1 $T0" ]
ok register-manager --name m2 --pid 4747 --codex-session "$ROLL" --codex-app-thread-id thr_m2 --codex-app-thread-title 'Manager two'
jeq .codex_app_thread_id thr_m2
jeq .codex_app_thread_title 'Manager two'
is_true "manager thread stored" [ "$(thread_of m2)" = "'thr_m2' 'Manager two'" ]

section "deregister: an unbound session becomes gone (exact line, command row, telemetry, event)"
export CONVEYOR_NOW=$T2
ev=$(events_n)
ok deregister big
out_is '{"name": "big", "state": "gone"}'
dbeq "select state, last_heartbeat_at from sessions where name = 'big'" "gone|$T2"
dbeq "select count(*) from commands" 1
CMD=$(dbq "select id from commands")
is_true "command id $CMD has the command-<uuid> form" grep -Eqx "command-$UUID" <<<"$CMD"
dbeq "select type, state, quote(task_id), idempotency_key, created_at, updated_at, payload_json, result_json, quote(error) from commands" \
	"deregister_session|succeeded|NULL|$CMD|$T2|$T2|{\"active_binding\":null,\"expected_failure\":false,\"name\":\"big\",\"role\":\"worker\"}|{\"command_id\":\"$CMD\",\"name\":\"big\",\"state\":\"gone\"}|NULL"
dbeq "select group_concat(event_type || ':' || severity || ':' || actor || ':' || quote(task_id), ' ') from (select * from telemetry_events order by rowid)" \
	'command_created:info:workerctl:NULL command_attempted:info:workerctl:NULL command_succeeded:info:workerctl:NULL'
dbeq "select count(*) from telemetry_events where json_extract(correlation_json, '$.command_id') = '$CMD' and json_extract(correlation_json, '$.command_type') = 'deregister_session'" 3
dbeq "select json_extract(attributes_json, '$.state') from telemetry_events where event_type = 'command_succeeded'" succeeded
dbeq "select count(*) from telemetry_events_fts" 3
dbeq "select count(*) from events" $((ev + 1))
dbeq "select type, command_id, quote(task_id), actor, created_at, payload_json from events order by id desc limit 1" \
	"session_deregistered|$CMD|NULL|workerctl|$T2|{\"name\":\"big\"}"

section "deregister --json prints the same fixed line"
ok deregister nocwd --json
out_is '{"name": "nocwd", "state": "gone"}'
dbeq "select state from sessions where name = 'nocwd'" gone
dbeq "select count(*) from commands where state = 'succeeded' and type = 'deregister_session'" 2

section "deregister: unknown or missing name, unsupported flags (nothing written)"
d=$(db_digest)
fails 2 'no session registered with name "nope"' deregister nope
fails 2 'deregister requires a session name.' deregister
fails 2 'unknown option --role for deregister (see conveyor deregister --help)' deregister w1 --role worker
fails 2 'Unexpected argument: w2' deregister w1 w2
same_db "$d"

section "sessions: default list (gone and legacy hidden), registration order, every key"
dbq "insert into sessions(id, name, role, identity_token, cwd, registered_at, state)
     values ('session-legacy-1', 'legacy1', 'manager', 'token-legacy-1', '/legacy', '2025-12-31T00:00:00.000Z', 'active')"
d=$(db_digest)
ok sessions
pretty_sorted
jeq '[.[].name] | join(",")' w1,m1,crlf,pw1,pm1,pw2,m2
jeq '[.[] | keys | join(",")] | unique | join(" ")' "$SESSION_KEYS"
jeq '[.[] | .communication | keys | join(",")] | unique | join(" ")' "$COMM_KEYS"
jeq "map(select(.name == \"w1\"))[0] | del(.communication) | tojson" \
	"{\"codex_app_thread_id\":\"thr_3\",\"codex_app_thread_title\":\"Thread three\",\"codex_session_id\":\"$SID\",\"codex_session_path\":\"$ROLL\",\"cwd\":\"$FIX_CWD\",\"id\":\"$W1\",\"identity_token\":\"$TOK1\",\"last_heartbeat_at\":\"$T0\",\"last_ingest_offset\":null,\"name\":\"w1\",\"pid\":4242,\"registered_at\":\"$T0\",\"role\":\"worker\",\"state\":\"active\",\"tmux_pane_id\":\"%7\",\"tmux_session\":null}"
jeq 'map(select(.name == "w1"))[0].communication | tojson' "$(comm_app "$POLL_W")"
jeq 'map(select(.name == "m1"))[0].communication | tojson' "$(comm_tmux "$POLL_M" tm-1)"
jeq 'map(select(.name == "pm1"))[0].communication | tojson' "$(comm_app "$POLL_M")"
cp "$OUT" "$T/sessions.json"
ok sessions --json
same_out "$T/sessions.json"
same_db "$d"

section "sessions: --include-legacy, --state active|gone|all"
ok sessions --include-legacy
jeq '[.[].name] | join(",")' legacy1,w1,m1,crlf,pw1,pm1,pw2,m2
jeq 'map(select(.name == "legacy1"))[0].communication | tojson' "$(comm_none "$POLL_M")"
jeq 'map(select(.name == "legacy1"))[0] | [.pid, .codex_session_path, .tmux_session] | tojson' '[null,null,null]'
ok sessions --state active
jeq '[.[].name] | join(",")' w1,m1,crlf,pw1,pm1,pw2,m2
ok sessions --state active --include-legacy
jeq '[.[].name] | join(",")' w1,m1,crlf,pw1,pm1,pw2,m2
ok sessions --state gone
jeq '[.[].name] | join(",")' big,nocwd
jeq '[.[].state] | unique | join(",")' gone
ok sessions --state all
jeq '[.[].name] | join(",")' legacy1,w1,m1,big,crlf,nocwd,pw1,pm1,pw2,m2
same_db "$d"

section "sessions: --role, repeated --name, combined filters"
ok sessions --role manager
jeq '[.[].name] | join(",")' m1,pm1,m2
ok sessions --role manager --include-legacy
jeq '[.[].name] | join(",")' legacy1,m1,pm1,m2
ok sessions --role worker --state all
jeq '[.[].name] | join(",")' w1,big,crlf,nocwd,pw1,pw2
ok sessions --name m1 --name w1
jeq '[.[].name] | join(",")' w1,m1
ok sessions --name big
out_is '[]'
ok sessions --name big --state gone
jeq '[.[].name] | join(",")' big
ok sessions --name w1 --role manager
out_is '[]'
ok sessions --name nope
out_is '[]'
same_db "$d"

section "sessions --redact-identity-token"
ok sessions --redact-identity-token --state all
jeq '[.[].identity_token] | unique | join(",")' '[REDACTED]'
jeq 'length' 10
ok sessions --state all
jeq 'map(select(.identity_token == "[REDACTED]")) | length' 0
jeq 'map(select(.name == "w1"))[0].identity_token' "$TOK1"
dbeq "select identity_token from sessions where name = 'w1'" "$TOK1"
same_db "$d"

section "sessions: bad --role and --state, unsupported flags (nothing written)"
fails 2 'Unsupported sessions role: boss' sessions --role boss
fails 2 'Unsupported sessions state: dead' sessions --state dead
fails 2 'unknown option --all for sessions (see conveyor sessions --help)' sessions --all
fails 2 '--role requires a value.' sessions --role
same_db "$d"

section "heartbeat: millisecond timestamp, text and JSON, no event or telemetry"
export CONVEYOR_NOW=2026-01-01T00:06:00.123Z
ev=$(events_n)
tn=$(tel_n)
ok heartbeat w1
out_is 'w1 heartbeat recorded at 2026-01-01T00:06:00.123Z'
dbeq "select last_heartbeat_at from sessions where name = 'w1'" 2026-01-01T00:06:00.123Z
export CONVEYOR_NOW=2026-01-01T00:06:30.456Z
ok heartbeat m1 --json
pretty_sorted
jeq 'keys | join(",")' communication,last_heartbeat_at,name,role,session_id,state
jeq '.communication.delivery_mode + " " + .communication.poll_command_template' 'push conveyor manager-inbox <task> --consume-next --wait --timeout 60 --json'
jeq .last_heartbeat_at 2026-01-01T00:06:30.456Z
jeq .name m1
jeq .role manager
jeq .session_id "$M1"
jeq .state active
dbeq "select last_heartbeat_at from sessions where name = 'm1'" 2026-01-01T00:06:30.456Z
dbeq "select last_heartbeat_at from sessions where name = 'w1'" 2026-01-01T00:06:00.123Z
ok heartbeat legacy1
out_is 'legacy1 heartbeat recorded at 2026-01-01T00:06:30.456Z'
dbeq "select count(*) from events" "$ev"
dbeq "select count(*) from telemetry_events" "$tn"

section "heartbeat: gone, unknown and missing session (nothing written)"
d=$(db_digest)
fails 2 'session "big" is gone; register it again before it can heartbeat' heartbeat big
fails 2 'no session registered with name "nope"' heartbeat nope
fails 2 'heartbeat requires a session name.' heartbeat
same_db "$d"

section "tasks --create: output, row and task_created event"
export CONVEYOR_NOW=$T3
ok tasks --create t1 --goal 'Goal one'
pretty_sorted
jeq 'keys | join(",")' created,id,name
jeq '.created | tojson' true
jmatch .id "task-$UUID"
jeq .name t1
TK1=$(val .id)
dbeq "select name, goal, quote(summary), state, created_at, updated_at from tasks where id = '$TK1'" "t1|Goal one|NULL|candidate|$T3|$T3"
dbeq "select type, task_id, quote(command_id), created_at, payload_json from events order by id desc limit 1" \
	"task_created|$TK1|NULL|$T3|{\"goal\":\"Goal one\",\"name\":\"t1\",\"summary\":null}"
export CONVEYOR_NOW=$T4
ok tasks --create t2 --goal 'Goal two' --summary 'Summary two' --json
jeq '.created | tojson' true
jeq .name t2
TK2=$(val .id)
dbeq "select payload_json from events order by id desc limit 1" '{"goal":"Goal two","name":"t2","summary":"Summary two"}'
dbeq "select summary, state from tasks where id = '$TK2'" 'Summary two|candidate'
export CONVEYOR_NOW=$T5
ok tasks --create t3 --goal 'Goal three'
TK3=$(val .id)

section "tasks --create: a name used by an unfinished task is refused; allowed once it is done or failed"
export CONVEYOR_NOW=2026-01-01T00:05:00.500Z
ok tasks --create dup --goal 'First dup'
DUP1=$(val .id)
d=$(db_digest)
fails 2 "task \"dup\" already exists and is not finished ($DUP1, state candidate)" tasks --create dup --goal 'Second dup'
fails 2 '--goal is required with tasks --create' tasks --create t9
fails 2 '--create requires a value.' tasks --create --goal x
same_db "$d"
dbq "update tasks set state = 'managed' where id = '$DUP1'"
d=$(db_digest)
fails 2 "task \"dup\" already exists and is not finished ($DUP1, state managed)" tasks --create dup --goal 'Second dup'
same_db "$d"
dbq "update tasks set state = 'paused' where id = '$DUP1'"
d=$(db_digest)
fails 2 "task \"dup\" already exists and is not finished ($DUP1, state paused)" tasks --create dup --goal 'Second dup'
same_db "$d"
dbq "update tasks set state = 'done' where id = '$DUP1'"
export CONVEYOR_NOW=2026-01-01T00:05:01.000Z
ok tasks --create dup --goal 'Second dup'
DUP2=$(val .id)
is_true "a new task id" [ "$DUP2" != "$DUP1" ]
dbeq "select count(*) from tasks where name = 'dup'" 2
dbq "update tasks set state = 'failed' where id = '$DUP2'"
export CONVEYOR_NOW=2026-01-01T00:05:02.000Z
ok tasks --create dup --goal 'Third dup'
DUP3=$(val .id)
dbeq "select count(*) from tasks where name = 'dup' and state = 'candidate'" 1
dbeq "select count(*) from events where type = 'task_created' and json_extract(payload_json, '$.name') = 'dup'" 3

section "tasks: JSON list with budgets, text form, --active"
dbq "insert into budgets(task_id, max_nudges, nudges_used, expires_at) values ('$TK2', 5, 2, '2026-02-01T00:00:00.000Z')"
d=$(db_digest)
ok tasks --json
pretty_sorted
jeq '[.[].name] | join(",")' t1,t2,t3,dup,dup,dup
jeq '[.[] | keys | join(",")] | unique | join(" ")' budget,created_at,goal,id,name,state,summary,updated_at
jeq ".[0] | tojson" "{\"budget\":null,\"created_at\":\"$T3\",\"goal\":\"Goal one\",\"id\":\"$TK1\",\"name\":\"t1\",\"state\":\"candidate\",\"summary\":null,\"updated_at\":\"$T3\"}"
jeq '.[1].budget | tojson' '{"expires_at":"2026-02-01T00:00:00.000Z","max_nudges":5,"nudges_remaining":3,"nudges_used":2}'
jeq '.[1].summary' 'Summary two'
jeq '[.[].state] | join(",")' candidate,candidate,candidate,done,failed,candidate
ok tasks
out_is "$(printf 't1\tcandidate\tGoal one\nt2\tcandidate\tGoal two\nt3\tcandidate\tGoal three\ndup\tdone\tFirst dup\ndup\tfailed\tSecond dup\ndup\tcandidate\tThird dup')"
ok tasks --active
out_is "$(printf 't1\tcandidate\tGoal one\nt2\tcandidate\tGoal two\nt3\tcandidate\tGoal three\ndup\tcandidate\tThird dup')"
ok tasks --active --json
jeq '[.[].id] | join(",")' "$TK1,$TK2,$TK3,$DUP3"
same_db "$d"

section "bind: output, binding row, binding_created event, candidate task becomes managed"
export CONVEYOR_NOW=2026-01-01T00:07:00.000Z
ok bind --task t1 --worker w1 --manager m1
pretty_sorted
jeq 'keys | join(",")' binding_id,manager,task,worker
jmatch .binding_id "binding-$UUID"
jeq .manager m1
jeq .task t1
jeq .worker w1
B1=$(val .binding_id)
dbeq "select task_id, worker_session_id, manager_session_id, quote(worker_id), quote(manager_id), state, created_at, quote(ended_at) from bindings where id = '$B1'" \
	"$TK1|$W1|$M1|NULL|NULL|active|2026-01-01T00:07:00.000Z|NULL"
dbeq "select state, updated_at from tasks where id = '$TK1'" 'managed|2026-01-01T00:07:00.000Z'
dbeq "select type, task_id, quote(command_id), created_at, payload_json from events order by id desc limit 1" \
	"binding_created|$TK1|NULL|2026-01-01T00:07:00.000Z|{\"binding_id\":\"$B1\",\"manager\":\"m1\",\"task\":\"t1\",\"worker\":\"w1\"}"

section "bind: a managed task stays managed; the task may be named by id; --json accepted"
PM1=$(dbq "select id from sessions where name = 'pm1'")
PW1=$(dbq "select id from sessions where name = 'pw1'")
dbq "update tasks set state = 'managed' where id = '$TK2'"
ok bind --task "$TK2" --worker pw1 --manager pm1 --json
jeq .task "$TK2"
B2=$(val .binding_id)
dbeq "select state from tasks where id = '$TK2'" managed
dbeq "select task_id, worker_session_id, manager_session_id from bindings where id = '$B2'" "$TK2|$PW1|$PM1"
dbeq "select json_extract(payload_json, '$.task') from events order by id desc limit 1" "$TK2"

section "bind: every refusal in SPEC 3.6 order (exit 2, nothing written)"
# t1: w1+m1 (B1); t2: pw1+pm1 (B2); t3 unbound candidate. Free: crlf, pw2 (workers), m2 (manager).
# Gone: big (worker), nocwd (worker); gone manager below.
ok register-manager --name mgone --pid 4848 --codex-session "$ROLL"
ok deregister mgone
d=$(db_digest)
fails 2 'bind requires --task, --worker, and --manager.' bind --worker crlf --manager m2
fails 2 'bind requires --task, --worker, and --manager.' bind --task t3 --manager m2
fails 2 'bind requires --task, --worker, and --manager.' bind --task t3 --worker crlf
fails 2 'Unknown task: nope' bind --task nope --worker nope --manager nope
fails 2 'no session registered with name "nope"' bind --task t3 --worker nope --manager nope
fails 2 'session "m2" has role "manager", expected "worker"' bind --task t3 --worker m2 --manager nope
fails 2 'no session registered with name "nope"' bind --task t3 --worker crlf --manager nope
fails 2 'session "pw2" has role "worker", expected "manager"' bind --task t3 --worker crlf --manager pw2
fails 2 'session "big" has role "worker", expected "manager"' bind --task t3 --worker crlf --manager big
fails 2 'worker session "big" is gone; register it again before binding it' bind --task t3 --worker big --manager m2
fails 2 'manager session "mgone" is gone; register it again before binding it' bind --task t3 --worker crlf --manager mgone
fails 2 "task \"t1\" already has an active binding \"$B1\"" bind --task t1 --worker crlf --manager m2
fails 2 "task \"t1\" already has an active binding \"$B1\"" bind --task t1 --worker w1 --manager m1
fails 2 "task \"$TK1\" already has an active binding \"$B1\"" bind --task "$TK1" --worker crlf --manager m2
fails 2 'session "m1" has role "manager", expected "worker"' bind --task t1 --worker m1 --manager m2
fails 2 'worker session "big" is gone; register it again before binding it' bind --task t1 --worker big --manager m2
fails 2 "worker session \"w1\" is already bound to task \"$TK1\" (binding \"$B1\")" bind --task t3 --worker w1 --manager m2
fails 2 "worker session \"w1\" is already bound to task \"$TK1\" (binding \"$B1\")" bind --task t3 --worker w1 --manager pm1
fails 2 "manager session \"m1\" is already bound to task \"$TK1\" (binding \"$B1\")" bind --task t3 --worker crlf --manager m1
fails 2 "manager session \"pm1\" is already bound to task \"$TK2\" (binding \"$B2\")" bind --task t3 --worker pw2 --manager pm1
fails 2 'unknown option --name for bind (see conveyor bind --help)' bind --task t3 --worker crlf --manager m2 --name x
same_db "$d"

section "bind: an ending binding still holds the task and its sessions"
dbq "update bindings set state = 'ending' where id = '$B1'"
d=$(db_digest)
fails 2 "task \"t1\" already has an active binding \"$B1\"" bind --task t1 --worker crlf --manager m2
fails 2 "worker session \"w1\" is already bound to task \"$TK1\" (binding \"$B1\")" bind --task t3 --worker w1 --manager m2
same_db "$d"
dbq "update bindings set state = 'active' where id = '$B1'"

section "handoff: the bound worker's handoff (row, output, telemetry, event; second-form time)"
export CONVEYOR_NOW=2026-01-01T00:08:00.456Z
ev=$(events_n)
tn=$(tel_n)
ok handoff t1 --summary 'Drafted é' --next-step 'step b' --next-step 'step a' --next-step 'step c' --payload-json '{"z":1,"a":{"y":2,"b":3},"m":[2,1]}'
pretty_sorted
jeq 'keys | join(",")' created_at,id,next_steps,payload,summary,task_id,worker_session_id
jeq '.id | tojson' 1
jeq .created_at 2026-01-01T00:08:00Z
jeq '.next_steps | tojson' '["step b","step a","step c"]'
jeq '.payload | tojson' '{"a":{"b":3,"y":2},"m":[2,1],"z":1}'
jeq .summary 'Drafted é'
jeq .task_id "$TK1"
jeq .worker_session_id "$W1"
dbeq "select task_id, worker_session_id, summary, next_steps_json, payload_json, created_at from worker_handoffs where id = 1" \
	"$TK1|$W1|Drafted é|[\"step b\",\"step a\",\"step c\"]|{\"a\":{\"b\":3,\"y\":2},\"m\":[2,1],\"z\":1}|2026-01-01T00:08:00Z"
dbeq "select count(*) from telemetry_events" $((tn + 1))
dbeq "select actor, event_type, severity, summary, task_id, quote(run_id), timestamp, correlation_json, attributes_json from telemetry_events order by rowid desc limit 1" \
	"worker|worker_handoff_recorded|info|Recorded worker handoff.|$TK1|NULL|2026-01-01T00:08:00Z|{\"handoff_id\":1,\"worker_session_id\":\"$W1\"}|{\"next_step_count\":3,\"payload_keys\":[\"a\",\"m\",\"z\"],\"summary_length\":9}"
dbeq "select count(*) from telemetry_events_fts where event_type = 'worker_handoff_recorded' and summary = 'Recorded worker handoff.'" 1
dbeq "select count(*) from events" $((ev + 1))
dbeq "select type, task_id, quote(command_id), payload_json from events order by id desc limit 1" \
	"worker_handoff_recorded|$TK1|NULL|{\"handoff_id\":1,\"next_step_count\":3,\"worker_session_id\":\"$W1\"}"

section "handoff: no binding gives a null worker; no steps or payload; --json accepted"
ok handoff t3 --summary 'Nothing bound' --json
jeq '.id | tojson' 2
jeq '.worker_session_id | tojson' null
jeq '.next_steps | tojson' '[]'
jeq '.payload | tojson' '{}'
jeq .task_id "$TK3"
dbeq "select quote(worker_session_id), next_steps_json, payload_json from worker_handoffs where id = 2" 'NULL|[]|{}'
dbeq "select correlation_json, attributes_json from telemetry_events order by rowid desc limit 1" \
	'{"handoff_id":2,"worker_session_id":null}|{"next_step_count":0,"payload_keys":[],"summary_length":13}'
dbeq "select payload_json from events order by id desc limit 1" '{"handoff_id":2,"next_step_count":0,"worker_session_id":null}'

section "handoff: errors (nothing written)"
d=$(db_digest)
fails 2 'handoff command requires a task.' handoff --summary x
fails 2 'handoff requires --summary.' handoff t1 --next-step x
fails 2 'Unknown task: nope' handoff nope --summary x
fails 2 '--payload-json must be valid JSON: unexpected input at position 5' handoff t1 --summary x --payload-json '{"a":}'
fails 2 '--payload-json must be a JSON object' handoff t1 --summary x --payload-json '[1,2]'
fails 2 '--summary requires a value.' handoff t1 --summary
same_db "$d"

section "deregister: refused while bound; the failed command and its audit trail are committed"
export CONVEYOR_NOW=2026-01-01T00:09:00.000Z
ncmd=$(dbq "select count(*) from commands")
ev=$(events_n)
tn=$(tel_n)
MSG="cannot deregister session \"w1\": it is still bound to task \"$TK1\" (binding \"$B1\"). Unbind the task first."
fails 2 "$MSG" deregister w1
dbeq "select state from sessions where name = 'w1'" active
dbeq "select count(*) from commands" $((ncmd + 1))
CMDF=$(dbq "select id from commands order by rowid desc limit 1")
dbeq "select type, state, task_id, payload_json, result_json, error from commands where id = '$CMDF'" \
	"deregister_session|failed|$TK1|{\"active_binding\":{\"id\":\"$B1\",\"task_id\":\"$TK1\"},\"expected_failure\":true,\"name\":\"w1\",\"role\":\"worker\"}|{\"active_binding\":{\"id\":\"$B1\",\"task_id\":\"$TK1\"},\"command_id\":\"$CMDF\",\"expected_failure\":true,\"name\":\"w1\"}|$MSG"
dbeq "select count(*) from telemetry_events" $((tn + 3))
dbeq "select group_concat(event_type || ':' || severity || ':' || task_id, ' ') from (select * from telemetry_events where json_extract(correlation_json, '$.command_id') = '$CMDF' order by rowid)" \
	"command_created:info:$TK1 command_attempted:info:$TK1 command_failed:error:$TK1"
dbeq "select json_extract(attributes_json, '$.error'), json_extract(attributes_json, '$.state') from telemetry_events where event_type = 'command_failed'" "$MSG|failed"
dbeq "select count(*) from events" $((ev + 1))
dbeq "select type, command_id, task_id, json_extract(payload_json, '$.error'), json_extract(payload_json, '$.expected_failure'), json_extract(payload_json, '$.name'), json_extract(payload_json, '$.active_binding.id') from events order by id desc limit 1" \
	"session_deregister_failed|$CMDF|$TK1|$MSG|1|w1|$B1"
fails 2 "cannot deregister session \"m1\": it is still bound to task \"$TK1\" (binding \"$B1\"). Unbind the task first." deregister m1 --json
dbeq "select state from sessions where name = 'm1'" active

section "unbind: fixed line, ended_at, binding_ended event"
export CONVEYOR_NOW=2026-01-01T00:10:00.000Z
ok unbind --task t1
out_is '{"task": "t1", "state": "ended"}'
dbeq "select state, ended_at from bindings where id = '$B1'" 'ended|2026-01-01T00:10:00.000Z'
dbeq "select type, task_id, payload_json from events order by id desc limit 1" "binding_ended|$TK1|{\"task\":\"t1\"}"
dbeq "select state from tasks where id = '$TK1'" managed
ok unbind --task "$TK2" --json
out_is "{\"task\": \"$TK2\", \"state\": \"ended\"}"
dbeq "select state, ended_at from bindings where id = '$B2'" 'ended|2026-01-01T00:10:00.000Z'

section "unbind: no binding, unknown task, missing --task (nothing written)"
d=$(db_digest)
fails 2 'no active binding for task "t1"' unbind --task t1
fails 2 'no active binding for task "t3"' unbind --task t3
fails 2 'Unknown task: nope' unbind --task nope
fails 2 'unbind requires --task.' unbind
fails 2 'Unexpected argument: t1' unbind t1
same_db "$d"

section "after unbind: sessions can be bound again, deregistered, and re-registered active"
ok bind --task t3 --worker w1 --manager m1
B3=$(val .binding_id)
dbeq "select state from tasks where id = '$TK3'" managed
ok handoff t3 --summary 'Now bound'
jeq .worker_session_id "$W1"
ok unbind --task t3
ok deregister pw1
out_is '{"name": "pw1", "state": "gone"}'
export CONVEYOR_NOW=2026-01-01T00:11:00.000Z
ok register-worker --name big --pid 4444 --codex-session "$BIG"
jeq .session_id "$(dbq "select id from sessions where name = 'big'")"
dbeq "select state, registered_at, last_heartbeat_at from sessions where name = 'big'" "active|$T0|2026-01-01T00:11:00.000Z"

section "create-disposable-binding --json: task, binding, sessions with no pid, rollouts, communication"
export CONVEYOR_NOW=2026-01-01T00:12:00.000Z
ev=$(events_n)
ok create-disposable-binding demo --json
pretty_sorted
jeq 'keys | join(",")' binding,db_path,heartbeat_recommendations,manager,replay_commands,run,task,worker,worker_handoff
jeq '.binding | keys | join(",")' id
jmatch .binding.id "binding-$UUID"
DB_B=$(val .binding.id)
jeq .db_path "$DB"
jeq '.run | tojson' null
jeq '.task | keys | join(",")' created,id,name,state
jeq '.task.created | tojson' true
jmatch .task.id "task-$UUID"
jeq .task.name demo
jeq .task.state managed
DTASK=$(val .task.id)
SDIR="$T/state/disposable-sessions"
for role in worker manager; do
	jeq ".$role | keys | join(\",\")" codex_app_thread_id,codex_app_thread_title,communication,id,name,rollout_path,tmux_session
	jeq ".$role.name" "demo-$role"
	jeq ".$role.rollout_path" "$SDIR/rollout-demo-$role.jsonl"
	jeq ".$role.tmux_session | tojson" null
	jeq ".$role.codex_app_thread_id | tojson" null
	jeq ".$role.codex_app_thread_title | tojson" null
	jmatch ".$role.id" "session-$UUID"
	jeq ".$role.communication | tojson" "{\"can_receive_pull\":true,\"can_receive_push\":false,\"delivery_mode\":\"pull_required\",\"detection_source\":\"codex_session_without_tmux\",\"poll_command\":\"conveyor $role-inbox 'demo' --consume-next --wait --timeout 60 --path '$DB' --json\",\"poll_command_template\":\"conveyor $role-inbox <task> --consume-next --wait --timeout 60 --path '$DB' --json\",\"receive_style\":\"pull\",\"requires_polling\":true,\"session_kind\":\"codex_app\",\"tmux_session\":null}"
done
DW=$(val .worker.id)
DM=$(val .manager.id)
jeq '.replay_commands | length' 3
jeq '.replay_commands[0]' "conveyor create-disposable-binding 'demo' --worker 'demo-worker' --manager 'demo-manager' --session-dir '$SDIR' --path '$DB' --json"
jeq '.replay_commands[1]' "conveyor worker-inbox 'demo' --wait --path '$DB' --json"
jeq '.replay_commands[2]' "conveyor manager-inbox 'demo' --wait --path '$DB' --json"
cp "$OUT" "$T/demo.json"

section "create-disposable-binding: heartbeat_recommendations and worker_handoff"
jeq '.heartbeat_recommendations | keys | join(",")' applies_when,delivery_receipt_commands,interval_minutes,manager,note,status_command,teardown_policy,wakeup_dispatch_command,wakeup_plan_command,worker
jeq '.heartbeat_recommendations.interval_minutes | tojson' 2
jeq '.heartbeat_recommendations.applies_when | tojson' '{"can_receive_push":false,"delivery_mode":"pull_required","receive_style":"pull","session_kind":"codex_app"}'
jeq '.heartbeat_recommendations.delivery_receipt_commands | keys | join(",")' blocked,note,sent,skipped
jeq '.heartbeat_recommendations.teardown_policy | keys | join(",")' idle_poll,owner,terminal_closeout,terminal_closeout_command,worker_rule
jeq '.heartbeat_recommendations.teardown_policy.owner' manager_or_operator
for role in worker manager; do
	jeq ".heartbeat_recommendations.$role | keys | join(\",\")" direct_inbox_command,kind,poll_command,prompt
	jeq ".heartbeat_recommendations.$role.kind" thread_heartbeat
	jeq ".heartbeat_recommendations.$role.poll_command" "conveyor app-heartbeat 'demo' --role $role --path '$DB' --json"
	jeq ".heartbeat_recommendations.$role.direct_inbox_command" "conveyor $role-inbox 'demo' --consume-next --wait --timeout 60 --path '$DB' --json"
	jtrue ".heartbeat_recommendations.$role.prompt | contains(\"Visible session protocol, required for operator review\")"
done
jeq '.heartbeat_recommendations.status_command' "conveyor app-loop-status 'demo' --path '$DB' --json"
jeq '.heartbeat_recommendations.wakeup_plan_command' "conveyor app-wakeup-plan 'demo' --path '$DB' --json"
jeq '.heartbeat_recommendations.wakeup_dispatch_command' "conveyor app-wakeup-dispatch 'demo' --path '$DB' --json"
jtrue '.worker_handoff | startswith("Use the manage-codex-workers skill.\n\nYou are the worker for task demo")'
jtrue '.worker_handoff | contains("\nVisible session protocol, required for operator review: ")'
jtrue '.worker_handoff | contains("CONVEYOR POLL worker-inbox")'
jtrue ".worker_handoff | endswith(\"\\n\\nRun: conveyor worker-inbox 'demo' --consume-next --wait --timeout 60 --path '$DB' --json\")"
jtrue ".worker_handoff | contains(\"Run: conveyor enqueue-notify-manager 'demo' --message \")"

section "create-disposable-binding: the database (task, sessions with pid NULL, binding, event) and rollout files"
dbeq "select name, goal, quote(summary), state, created_at, updated_at from tasks where id = '$DTASK'" \
	"demo|Disposable no-tmux Ralph-loop task.|NULL|managed|2026-01-01T00:12:00.000Z|2026-01-01T00:12:00.000Z"
for role in worker manager; do
	dbeq "select role, quote(pid), quote(tmux_session), codex_session_path, codex_session_id, cwd, state, registered_at from sessions where name = 'demo-$role'" \
		"$role|NULL|NULL|$SDIR/rollout-demo-$role.jsonl|codex-demo-$role|$HERE|active|2026-01-01T00:12:00.000Z"
	is_true "rollout of demo-$role has its exact content" \
		[ "$(cat "$SDIR/rollout-demo-$role.jsonl")" = "{\"payload\":{\"cwd\":\"$HERE\",\"id\":\"codex-demo-$role\",\"originator\":\"conveyor create-disposable-binding\"},\"type\":\"session_meta\"}" ]
	is_true "rollout of demo-$role is one line" [ "$(wc -l <"$SDIR/rollout-demo-$role.jsonl")" -eq 1 ]
done
dbeq "select id, task_id, worker_session_id, manager_session_id, state from bindings where id = '$DB_B'" "$DB_B|$DTASK|$DW|$DM|active"
dbeq "select type, task_id, payload_json from events where type = 'disposable_binding_created'" \
	"disposable_binding_created|$DTASK|{\"binding_id\":\"$DB_B\",\"manager\":\"demo-manager\",\"run\":null,\"worker\":\"demo-worker\"}"
dbeq "select count(*) from events where type = 'task_created' and task_id = '$DTASK'" 1

section "create-disposable-binding: its sessions are listed by sessions, can heartbeat, and keep no pid"
ok sessions --name demo-worker --name demo-manager
jeq '[.[].name] | join(",")' demo-worker,demo-manager
jeq '[.[].pid] | tojson' '[null,null]'
jeq '.[0].communication | tojson' "$(comm_app "$POLL_W")"
jeq '.[1].communication | tojson' "$(comm_app "$POLL_M")"
ok sessions --state active --name demo-worker
jeq '[.[].name] | join(",")' demo-worker
ok heartbeat demo-worker
out_is 'demo-worker heartbeat recorded at 2026-01-01T00:12:00.000Z'
dbeq "select count(*) from sessions where name like 'demo-%' and pid is null" 2

section "create-disposable-binding: refused while the task is bound (nothing written)"
d=$(db_digest)
fails 2 "task \"demo\" already has an active binding \"$DB_B\"" create-disposable-binding demo
fails 2 'create-disposable-binding command requires a task.' create-disposable-binding --json
fails 2 'unknown option --template for create-disposable-binding (see conveyor create-disposable-binding --help)' create-disposable-binding other --template x
fails 2 'session name "m1" already exists with role "manager"; refusing to re-register as "worker"' \
	create-disposable-binding other --worker m1
fails 2 'session name "w1" already exists with role "worker"; refusing to re-register as "manager"' \
	create-disposable-binding demo2 --manager w1
same_db "$d"

section "create-disposable-binding: after unbind the same sessions are re-registered and bound again"
ok unbind --task demo
ok create-disposable-binding demo --json
jeq '.task.created | tojson' false
jeq .task.id "$DTASK"
jeq .worker.id "$DW"
jeq .manager.id "$DM"
jmatch .binding.id "binding-$UUID"
is_true "a new binding" [ "$(val .binding.id)" != "$DB_B" ]
dbeq "select count(*) from bindings where task_id = '$DTASK' and state = 'active'" 1
dbeq "select count(*) from tasks where name = 'demo'" 1

section "create-disposable-binding: an existing task is reused; names, dir, cwd and threads from flags"
export CONVEYOR_NOW=2026-01-01T00:13:00.000Z
ok tasks --create reuse --goal 'Reuse goal' --summary 'Reuse summary'
RT=$(val .id)
ok create-disposable-binding reuse --worker 'rw 1' --manager rm --session-dir sd --cwd /srv/reuse \
	--worker-codex-app-thread-id wthr --worker-codex-app-thread-title 'W thread' --manager-codex-app-thread-id mthr --json
jeq '.task | tojson' "{\"created\":false,\"id\":\"$RT\",\"name\":\"reuse\",\"state\":\"managed\"}"
jeq .worker.name 'rw 1'
jeq .worker.rollout_path "$HERE/sd/rollout-rw-1.jsonl"
jeq .manager.rollout_path "$HERE/sd/rollout-rm.jsonl"
jeq .worker.codex_app_thread_id wthr
jeq .worker.codex_app_thread_title 'W thread'
jeq .manager.codex_app_thread_id mthr
jeq '.manager.codex_app_thread_title | tojson' null
jeq '.replay_commands[0]' "conveyor create-disposable-binding 'reuse' --worker 'rw 1' --manager 'rm' --session-dir '$HERE/sd' --path '$DB' --json"
dbeq "select goal, summary, state from tasks where id = '$RT'" 'Reuse goal|Reuse summary|managed'
dbeq "select count(*) from tasks where name = 'reuse'" 1
dbeq "select count(*) from events where type = 'task_created' and task_id = '$RT'" 1
dbeq "select cwd, codex_session_id, quote(pid), codex_app_thread_id from sessions where name = 'rw 1'" '/srv/reuse|codex-rw-1|NULL|wthr'
is_true "rollout of rw 1 names cwd /srv/reuse" \
	[ "$(cat sd/rollout-rw-1.jsonl)" = '{"payload":{"cwd":"/srv/reuse","id":"codex-rw-1","originator":"conveyor create-disposable-binding"},"type":"session_meta"}' ]

section "create-disposable-binding: text form"
export CONVEYOR_NOW=2026-01-01T00:14:00.000Z
ok create-disposable-binding 'text demo'
line_is 1 'Created disposable binding for task "text demo".'
line_is 2 "Worker: text demo-worker ($SDIR/rollout-text-demo-worker.jsonl)"
line_is 3 "Manager: text demo-manager ($SDIR/rollout-text-demo-manager.jsonl)"
line_is 4 'Replay commands:'
line_is 5 "  conveyor create-disposable-binding 'text demo' --worker 'text demo-worker' --manager 'text demo-manager' --session-dir '$SDIR' --path '$DB' --json"
line_is 6 "  conveyor worker-inbox 'text demo' --wait --path '$DB' --json"
line_is 7 "  conveyor manager-inbox 'text demo' --wait --path '$DB' --json"
line_is 8 'Heartbeat recommendations:'
out_has 'Worker handoff:'
out_has 'Use the manage-codex-workers skill.'
dbeq "select state from tasks where name = 'text demo'" managed
dbeq "select count(*) from bindings where state = 'active' and task_id = (select id from tasks where name = 'text demo')" 1

finish
