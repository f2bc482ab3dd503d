#!/usr/bin/env bash
# The cockpit's live terminals (conveyor-tui(1) Terminals view): a shell pane that echoes what is typed, C-g back
# to the cockpit, the child seeing the new size after a resize, a child that exits, two panes side by side, and a
# terminal on a worker's tmux session (in the same private tmux server) that shows the worker's approval screen,
# marks it "needs you", is reached with !, forwards typing to the worker, and leaves the worker's tmux session
# running when the cockpit quits.
. "$(dirname "$0")/lib.sh"

# The worker: a tmux session of the same (private) server showing Codex's approval screen, registered with the
# pid of its pane and a copy of a real rollout, attached to a campaign slot.
ok campaign create --name launch --objective 'Launch week'
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok --thread-id thr-1 --state active
tm new-session -d -s codex-w1 -x 100 -y 26 "cat $(printf %q "$FIXTURES/panes/11-approval.txt"); exec sleep 600"
until_screen "Would you like to run the following command?" "$TIMEOUT" codex-w1
W1_PID=$(tm display-message -p -t codex-w1 '#{pane_pid}')
cp "$FIXTURES/tui-3turns.jsonl" "$T/rollout-w1.jsonl"
ok register-worker --name w1 --pid "$W1_PID" --codex-session "$T/rollout-w1.jsonl" --tmux-session codex-w1 --json
SID=$(val .session_id)
ok campaign attach-slot --name launch --slot tiktok --session-id "$SID"

# ---------------------------------------------------------------------------------------------------------------
section "a shell pane echoes what is typed"
start_cockpit --campaign launch
wait_screen "Workers "
keys O
wait_line '^ shell +running$'
keys Enter
wait_status "typing into shell; C-g returns to the cockpit"
wait_line '^sh\$$'
type_text 'echo hi-$((6*7))'
keys Enter
wait_line '^hi-42$'
screen_has 'sh$ echo hi-$((6*7))'

section "C-g returns the keyboard to the cockpit"
keys C-g
wait_status "back in the cockpit"
keys Tab
wait_view campaigns
goto_view terminals
wait_line '^ shell +running$'
# The pane kept its screen, and the Tabs went to the cockpit, not to the shell.
wait_line '^hi-42$'
keys Enter
type_text 'echo after-$((1+1))'
keys Enter
wait_line '^after-2$'
check "the shell's command line got no Tab" grep -qx 'sh\$ echo after-$((1+1))' "$SCREEN"

section "y copies the terminal's screen into the (private) tmux server's buffer"
keys C-g
keys y
wait_line '^copied '
check "the tmux buffer has the pane's text" grep -qx 'after-2' <(tm show-buffer 2>/dev/null)
keys Enter

section "the pane's child sees a resize"
type_text 'stty size'
keys Enter
# 100x30: 27 rows for the panes, one of them the pane's title line; one pane has every column.
wait_line '^26 100$'
tm resize-window -t "$CP" -x 120 -y 40
until_line '^ conveyor .*Terminals' "$TIMEOUT"
until_changed 1 || true
type_text 'clear; stty size'
keys Enter
wait_line '^36 120$'
tm resize-window -t "$CP" -x 100 -y 30
type_text 'clear; stty size'
keys Enter
wait_line '^26 100$'
screen_lacks '36 120'

section "a second pane: side by side"
keys C-g
keys O
wait_line '^ shell +running +shell +running$'
keys Enter
type_text 'stty size'
keys Enter
# Two panes share the 100 columns: 49, a separator column, and 50 for the selected (new) one.
wait_line ' 26 50$'
keys C-g

section "a child that exits is shown with its status; the cockpit keeps running"
keys Left Enter
type_text 'exit 3'
keys Enter
wait_line '^ shell +exited \(status 3\) +shell +running$'
keys C-g
keys Tab
wait_view campaigns
check "the cockpit is still running" kill -0 "$(cockpit_pid)"
goto_view terminals
wait_line '^ shell +exited \(status 3\) +shell +running$'

section "c closes a terminal after y/N"
keys c
wait_screen "[y/N]"
keys n
wait_screen "Terminals(2)"
keys c
wait_screen "[y/N]"
keys y
wait_screen "Terminals(1)"
wait_line '^ shell +running$'
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "a terminal on the worker's tmux session"
start_cockpit --campaign launch
wait_line '^>tiktok +active +[a-z_]+ +TikTok editor/tiktok +w1 '
keys O
wait_line '^ shell +running$'
goto_view campaign
wait_screen "Workers "
t0=$(now_ms)
keys o
wait_screen "Would you like to run the following command?"
wait_screen "Press enter to confirm or esc to cancel"
wait_screen " needs you: 1"
dt=$(($(now_ms) - t0))
note "needs you showed $dt ms after o"
check "needs you showed ${dt} ms after o (<= 2500)" [ "$dt" -le 2500 ]
wait_screen "w1 [needs you: approval_prompt]"
check "the shell pane is not marked" grep -qE '^ shell +running ' "$SCREEN"

section "! jumps to the terminal that needs you"
keys Left
keys '!'
keys Enter
wait_status "typing into w1; C-g returns to the cockpit"
type_text 'typed-into-w1'
until_screen 'typed-into-w1' "$TIMEOUT" codex-w1
check "typing reached the worker's tmux session" grep -qF 'typed-into-w1' "$SCREEN"
keys C-g
wait_status "back in the cockpit"

section "quitting leaves the worker's tmux session running"
quit_cockpit
check "codex-w1 still exists" tm has-session -t codex-w1
check "the worker process still runs" kill -0 "$W1_PID"
deadline=$(($(now_ms) + TIMEOUT * 1000))
while [ -n "$(tm list-clients -t codex-w1)" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.02; done
check "the cockpit's tmux client detached" [ -z "$(tm list-clients -t codex-w1)" ]
capture codex-w1
check "the worker's screen is intact" grep -qF 'Would you like to run the following command?' "$SCREEN"
finish
