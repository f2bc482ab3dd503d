#!/usr/bin/env bash
# t_conveyor.sh: conveyor drives a real codex 0.169.0 worker offline: start-worker (answering the trust prompt),
# cycle sees busy then idle, session-nudge submits a new turn, the classifier and cycle name an approval prompt,
# session-interrupt aborts a busy turn (turn_aborted), and a killed session reads as not alive.
# shellcheck disable=SC2015,SC2119 # `check && pass || fail`: pass never fails; codex_config takes no args here
set -u
. "$(dirname "$0")/lib.sh"
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"

e2e_setup
mock_start
# An untrusted git repository: start-worker --accept-trust must get past the trust prompt itself.
WORK=$(git_workdir "$E2E_TMP/work/w1")
codex_config
tmux_server_start
mkdir -p "$E2E_TMP/state"
DB=$E2E_TMP/state/conveyor.db
OUT=$E2E_TMP/out.json
ERR=$E2E_TMP/err.txt
RC=0
W=w1
TS=codex-w1

# cv ARGS...: runs conveyor against $DB, output in $OUT/$ERR, exit status in RC.
cv() {
	"$CONVEYOR" "$@" --path "$DB" >"$OUT" 2>"$ERR"
	RC=$?
}

# cv_ok WHAT ARGS...: runs conveyor and counts a pass when it exits 0 with JSON on stdout.
cv_ok() {
	local what=$1
	shift
	cv "$@"
	if [ "$RC" -eq 0 ] && jq -e . "$OUT" >/dev/null 2>&1; then
		pass "$what"
	else
		fail "$what"
		tap_diag "exit $RC, stdout $(head -c 300 "$OUT"), stderr $(head -c 300 "$ERR")"
		return 1
	fi
}

# j FILTER: jq -r FILTER on the last stdout.
j() { jq -r "$1" "$OUT" 2>/dev/null; }

# expect_j FILTER VALUE: the last stdout's FILTER equals VALUE.
expect_j() {
	local got
	got=$(j "$1")
	if [ "$got" = "$2" ]; then pass "$1 = $2"; else fail "$1 = $2"; tap_diag "got '$got'"; fi
}

# deep KEY: the first value of KEY anywhere in the last stdout (fields may sit in a nested object).
deep() { jq -r --arg k "$1" '[.. | objects | select(has($k)) | .[$k]] | if length > 0 then .[0] else empty end' "$OUT" 2>/dev/null; }

STATES=""
# cycle_until FIELD VALUE SECONDS: polls `cycle t1 --json` until FIELD (anywhere) is VALUE; records the states seen.
cycle_until() {
	local field=$1 want=$2 deadline=$((SECONDS + $3)) got
	while :; do
		cv cycle t1 --json
		got=$(deep "$field")
		[ "$field" = state ] && STATES="$STATES $got"
		[ "$got" = "$want" ] && return 0
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.3
	done
}

step "start-worker w1 (untrusted git repository, --accept-trust)"
cv_ok "start-worker" start-worker --name "$W" --cwd "$WORK" --task "slow=4 reply: e2e-task-done" --accept-trust \
	--ask-for-approval on-request --sandbox workspace-write --timeout-seconds 60 || die "start-worker failed"
expect_j .name "$W"
expect_j .role worker
expect_j .tmux_session "$TS"
expect_j .cwd "$WORK"
PID=$(j .pid)
ROLLOUT=$(j .codex_session_path)
SID=$(j .codex_session_id)
kill -0 "$PID" 2>/dev/null && pass "worker pid $PID alive" || fail "worker pid '$PID' not alive"
[ -f "$ROLLOUT" ] && pass "codex_session_path exists" || die "codex_session_path '$ROLLOUT' is not a file"
case "$ROLLOUT" in "$CODEX_HOME"/sessions/*"-$SID.jsonl") pass "rollout under CODEX_HOME named by the session id" ;;
*) fail "rollout '$ROLLOUT' is not \$CODEX_HOME/sessions/...-$SID.jsonl" ;; esac
[ -n "$(j .session_id)" ] && pass "conveyor session_id $(j .session_id)" || fail "no session_id"
WSID=$(j .session_id)
tmux has-session -t "$TS" 2>/dev/null && pass "tmux session $TS exists" || die "no tmux session $TS"
grep -qF "[projects.\"$WORK\"]" "$CODEX_HOME/config.toml" && pass "trust accepted (config.toml has the project)" ||
	fail "trust prompt not accepted"

step "bind the worker to a task with a manager"
# The manager is this test shell: it holds no rollout, so it registers a copy of a recorded one.
cp "$E2E_DIR/../fixtures/codex-0.169/tui-3turns.jsonl" "$E2E_TMP/manager-rollout.jsonl"
cv_ok "register-manager" register-manager --name m1 --pid $$ --codex-session "$E2E_TMP/manager-rollout.jsonl" --json
cv_ok "tasks --create" tasks --create t1 --goal "e2e: drive a real codex worker" --json
cv_ok "bind" bind --task t1 --worker "$W" --manager m1 --json

step "cycle: busy during the task, then idle"
cycle_until state idle 40 && pass "idle after the task" || fail "never idle (states:$STATES)"
case "$STATES" in *busy*) pass "busy seen before idle" ;; *) fail "busy never seen (states:$STATES)" ;; esac
expect_j .worker_alive true
[ "$(rollout_count "$ROLLOUT" task_complete)" -ge 1 ] && pass "rollout has task_complete" || fail "no task_complete"
wait_for "$TS" "• e2e-task-done" 5 && pass "task reply on screen" || fail "task reply not on screen"

step "session-nudge submits a new turn"
cv_ok "session-nudge" session-nudge "$W" "slow=2 reply: e2e-nudge-done" --json
expect_j .submitted true
wait_rollout_count "$ROLLOUT" task_started 2 10 && pass "a second turn started" || fail "no second task_started"
STATES=""
cycle_until state idle 30 && pass "idle after the nudge" || fail "never idle after the nudge (states:$STATES)"
wait_rollout_count "$ROLLOUT" task_complete 2 5 && pass "second task_complete" || fail "no second task_complete"
wait_for "$TS" "• e2e-nudge-done" 5 && pass "nudge reply on screen" || fail "nudge reply not on screen"

step "an approval prompt is named by classify and cycle"
cv_ok "session-nudge (approval)" session-nudge "$W" "approve: $E2E_OUTSIDE" --json
expect_j .submitted true
wait_for "$TS" "Would you like to run the following command?" 20 || die "no approval prompt on the worker's screen"
pane "$TS" >"$E2E_TMP/approval.txt"
cv_ok "classify" classify --file "$E2E_TMP/approval.txt" --json
expect_j .busy_wait.pattern approval_prompt
cv_ok "cycle during approval" cycle t1 --json
case "$(j .notable_pane_pattern) $(j '.pane_signal | tostring')" in
*approval*) pass "cycle names the approval ($(j .notable_pane_pattern))" ;;
*) fail "cycle does not name the approval: $(head -c 400 "$OUT")" ;;
esac
tmux send-keys -t "$TS" Enter
wait_rollout_count "$ROLLOUT" task_complete 3 20 && pass "approved turn completed" || fail "approved turn did not complete"
[ "$(cat "$E2E_OUTSIDE" 2>/dev/null)" = hello ] && pass "approved command ran" || fail "approved command did not run"

step "session-interrupt aborts a busy turn"
cv_ok "session-nudge (slow)" session-nudge "$W" "slow=30 reply: never-shown" --json
STATES=""
cycle_until state busy 15 && pass "busy before the interrupt" || fail "never busy (states:$STATES)"
wait_for "$TS" "esc to interrupt" 10 || fail "no 'esc to interrupt' on screen"
cv_ok "session-interrupt (default key Escape)" session-interrupt "$W" --json
expect_j .key Escape
wait_rollout_count "$ROLLOUT" turn_aborted 1 10 && pass "turn_aborted in the rollout" || fail "no turn_aborted in the rollout"
cycle_until last_event_subtype turn_aborted 10 && pass "cycle reports last_event_subtype turn_aborted" || {
	cv tail "$W" --json
	grep -q turn_aborted "$OUT" && pass "tail reports turn_aborted" || fail "neither cycle nor tail reports turn_aborted"
}
cycle_until state idle 10 && pass "idle after the interrupt" || fail "not idle after the interrupt"
expect_j .worker_alive true

step "campaign assign --notify reaches the worker through dispatch (push into its tmux pane)"
cv_ok "campaign create" campaign create --name e2e --objective "e2e: a campaign slot on a real worker" --json
cv_ok "campaign add-slot" campaign add-slot --name e2e --slot-key s1 --role-label Worker --session-id "$WSID" \
	--thread-id "$SID" --state active --json
cv_ok "campaign assign --notify" campaign assign --name e2e --slot s1 --title Hook \
	--instructions "reply: e2e-campaign-done" --notify --json
expect_j .notification.target_session.name "$W"
cv_ok "dispatch --once" dispatch --once --json
expect_j '.processed[0].state' delivered
expect_j '.processed[0].delivery_mode' push
wait_rollout_count "$ROLLOUT" task_complete 4 30 && pass "the assignment started and completed a turn" ||
	fail "no turn for the assignment"
wait_for "$TS" "• e2e-campaign-done" 10 && pass "assignment reply on screen" || fail "assignment reply not on screen"
cv_ok "session-inbox" session-inbox "$W" --json
expect_j '[.items[] | select(.payload.slot_key == "s1") | .signal_type] | join(",")' nudge_worker
cv_ok "dispatch-status --campaign" dispatch-status --campaign e2e --json
expect_j '[.queued, .failed, .side_effect_risk] | tojson' '[0,0,0]'

step "stop the worker"
tmux kill-session -t "$TS"
cycle_until worker_alive false 10 && pass "worker_alive false after kill-session" || fail "worker still alive after kill-session"
kill -0 "$PID" 2>/dev/null && fail "pid $PID survived kill-session" || pass "pid $PID gone"

e2e_finish
