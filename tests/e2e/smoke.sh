#!/usr/bin/env bash
# smoke.sh: proves the harness alone (no conveyor): the mock, the private tmux server and the real codex 0.169.0
# driven interactively — trust prompt, ready screen, a turn, a busy turn, an approval, an Esc interrupt, a C-c
# interrupt, and C-c on an idle prompt quitting codex. Every wait has a deadline; a run takes about 10-15 s.
# shellcheck disable=SC2015 # `check && pass || fail`: pass never fails
set -u
. "$(dirname "$0")/lib.sh"

e2e_setup
mock_start
WORK=$(git_workdir "$E2E_TMP/work/trusted")
UNTRUSTED=$(git_workdir "$E2E_TMP/work/untrusted")
codex_config "$WORK"
tmux_server_start

step "trust prompt: an untrusted git repository asks once, Enter accepts it"
codex_start trust "$UNTRUSTED"
seen=$(codex_ready trust 30) || die "codex never reached its prompt in $UNTRUSTED"
[ "$seen" = trust ] && pass "trust prompt shown and accepted with Enter" || fail "no trust prompt for an untrusted git repository"
grep -qF "[projects.\"$UNTRUSTED\"]" "$CODEX_HOME/config.toml" && pass "accepting trust wrote [projects.\"$UNTRUSTED\"] to config.toml" ||
	fail "config.toml has no projects entry for $UNTRUSTED"
tmux kill-session -t trust

step "start: codex $CODEX_ARGS in a trusted git repository"
t0=$SECONDS
codex_start w1 "$WORK"
seen=$(codex_ready w1 30) || die "codex never reached its prompt"
[ "$seen" = ready ] && pass "ready with no first-run screen after $((SECONDS - t0)) s" || fail "a trust prompt showed for a trusted folder"
wait_for w1 "mock-model default" 10 && pass "footer names the mock model" || fail "footer lacks 'mock-model default'"
[ -z "$(rollouts)" ] && pass "no rollout file before the first prompt" || fail "a rollout exists before the first prompt: $(rollouts)"

step "turn 1: a prompt is answered and the turn completes in the rollout"
send_prompt w1 "reply: smoke-first-reply"
wait_for w1 "• smoke-first-reply" 20 && pass "reply on screen" || die "no reply on screen"
ROLLOUT=$(wait_rollout 10) || die "no rollout file under $CODEX_HOME/sessions"
pass "rollout file ${ROLLOUT#"$CODEX_HOME"/}"
wait_rollout_count "$ROLLOUT" task_complete 1 10 && pass "task_complete in the rollout" || die "no task_complete"
head -c 4000 "$ROLLOUT" | grep -q '"type":"session_meta"' && pass "first line is session_meta" || fail "first line is not session_meta"
id=$(head -1 "$ROLLOUT" | jq -r .payload.id 2>/dev/null)
case "$ROLLOUT" in *"-$id.jsonl") pass "session id $id is the file name's uuid" ;; *) fail "session id '$id' not in $ROLLOUT" ;; esac
[ "$(head -1 "$ROLLOUT" | jq -r .payload.originator 2>/dev/null)" = codex-tui ] && pass "originator codex-tui" || fail "originator is not codex-tui"
pp=$(pane_pid w1)
holder=$(rollout_holder "$pp") && pass "rollout held open by pid ${holder%% *} ($(tr '\0' ' ' </proc/"${holder%% *}"/cmdline | cut -c1-60)...), pane pid $pp ($(cat /proc/"$pp"/comm))" ||
	fail "no process under pane pid $pp holds the rollout open"

step "turn 2: a slow turn shows busy, then completes"
send_prompt w1 "slow=3 reply: smoke-slow-reply"
wait_for w1 "esc to interrupt" 10 && pass "busy: 'esc to interrupt' on screen" || fail "busy line never shown"
[ "$(last_event "$ROLLOUT")" = task_started ] || [ "$(rollout_count "$ROLLOUT" task_started)" -ge 2 ] && pass "task_started in the rollout" || fail "no second task_started"
wait_for w1 "• smoke-slow-reply" 20 && pass "slow reply on screen" || fail "no slow reply"
wait_rollout_count "$ROLLOUT" task_complete 2 10 && pass "second task_complete" || fail "no second task_complete"

step "turn 3: an approval prompt, approved with Enter"
send_prompt w1 "approve: $E2E_OUTSIDE"
wait_for w1 "Would you like to run the following command?" 20 && pass "approval prompt on screen" || die "no approval prompt"
wait_for w1 "Press enter to confirm or esc to cancel" 5 && pass "approval footer on screen" || fail "no approval footer"
[ "$(rollout_count "$ROLLOUT" function_call)" -ge 1 ] && [ "$(rollout_count "$ROLLOUT" function_call_output)" -eq 0 ] &&
	pass "rollout ends at a function_call with no output while approval is pending" || fail "rollout does not show the pending call"
[ "$(last_event "$ROLLOUT")" != task_complete ] && pass "turn still open while approval is pending" || fail "turn closed during approval"
tmux send-keys -t w1 Enter
wait_for w1 "You approved codex to run" 10 && pass "approval recorded on screen" || fail "no approval confirmation"
wait_rollout_count "$ROLLOUT" task_complete 3 20 && pass "third task_complete" || fail "no third task_complete"
[ "$(cat "$E2E_OUTSIDE" 2>/dev/null)" = hello ] && pass "approved command wrote $E2E_OUTSIDE" || fail "approved command did not run"

step "turn 4: Esc interrupts a busy turn"
send_prompt w1 "slow=30 interrupt me"
wait_for w1 "esc to interrupt" 10 || die "turn 4 never busy"
tmux send-keys -t w1 Escape
wait_for w1 "Conversation interrupted" 10 && pass "'Conversation interrupted' on screen" || fail "no interruption on screen"
wait_rollout_count "$ROLLOUT" turn_aborted 1 10 && pass "turn_aborted in the rollout" || fail "no turn_aborted"
grep -q '"type":"turn_aborted"[^}]*"reason":"interrupted"' "$ROLLOUT" && pass "reason interrupted" || fail "turn_aborted reason is not interrupted"
pane_dead w1 && fail "Esc on a busy turn killed codex" || pass "codex still running after Esc"

step "turn 5: C-c also interrupts a busy turn, and codex stays"
wait_for w1 "for agents" 5 || fail "no idle prompt after the Esc interrupt"
send_prompt w1 "slow=30 ctrl-c me"
wait_for w1 "esc to interrupt" 10 || die "turn 5 never busy"
tmux send-keys -t w1 C-c
wait_rollout_count "$ROLLOUT" turn_aborted 2 10 && pass "second turn_aborted after C-c" || fail "C-c did not abort the turn"
wait_for w1 "for agents" 5 && ! pane_dead w1 && pass "codex still running after C-c on a busy turn" || fail "C-c on a busy turn quit codex"

step "C-c on an idle empty prompt quits codex"
wait_for w1 "for agents" 5 || fail "no idle prompt"
tmux send-keys -t w1 C-c
deadline=$((SECONDS + 10))
until pane_dead w1 || [ "$SECONDS" -ge "$deadline" ]; do sleep 0.1; done
pane_dead w1 && pass "codex exited" || fail "codex still runs after C-c on an idle prompt"
grep -q '"kind": "title"' "$MOCK_LOG" && pass "mock answered the tool-less title request" || fail "no title request seen"

e2e_finish
