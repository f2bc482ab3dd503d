#!/usr/bin/env bash
# The cockpit and the terminal it runs in (conveyor-tui(1) DESCRIPTION, ENVIRONMENT, EXIT STATUS): strings with
# escape sequences from the database render inert, NO_COLOR, an 80x24 layout, a 20x5 terminal and resizes that
# must not crash it, and the terminal restored after q, SIGINT and SIGTERM.
. "$(dirname "$0")/lib.sh"

ok campaign create --name launch --objective 'Launch week'
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok --thread-id thr-1 --state active
ok campaign add-slot --name launch --slot-key yt --role-label 'YT editor' --channel youtube
ok campaign brief --name launch --channel tiktok --brief-json '{"tone":"playful"}'
ok campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts'
ok campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review
dash launch
cp "$OUT" "$T/launch.json"

# ---------------------------------------------------------------------------------------------------------------
section "80x24: everything of the campaign view fits (opened as \`conveyor dashboard\`)"
start_cockpit -s 80x24 -c dashboard --campaign launch --host 127.0.0.1 --port 8080
wait_screen "Workers 1  Stale 0  Blocked 0  Review 1  Assets 1  Briefs 1"
action=$(jq -r '.next_manager_action.action' "$T/launch.json")
check "80x24: heading with the next action" grep -qE "^launch active next $action: " "$SCREEN"
check "80x24: slot row tiktok" grep -qE '^>tiktok +active +active +TikTok editor/tiktok +no session$' "$SCREEN"
check "80x24: slot row yt" grep -qE '^ yt +planned +needs_thread +YT editor/youtube +no session$' "$SCREEN"
check "80x24: the operator message" grep -qF ' Codex app worker slot is active.' "$SCREEN"
check "80x24: approvals heading" grep -qx 'Approvals (needs review, oldest first)' "$SCREEN"
check "80x24: approvals item" grep -qE '^>Teaser v1 +needs_review +video$' "$SCREEN"
check "80x24: the assignment" grep -qE '^>Teaser cut +queued +Three 15 s cuts$' "$SCREEN"
check "80x24: the assets heading" grep -qx 'Assets of the selected slot' "$SCREEN"
check "80x24: blockers" grep -qx 'Blockers: worker slot yt has no Codex app thread id' "$SCREEN"
check "80x24: key hints on the last row" grep -q '^a approve  x reject' <<<"$(row 23)"
keys O
wait_line '^ shell +running$'
keys Enter
type_text 'stty size'
keys Enter
wait_line '^20 80$'
keys C-g
quit_cockpit
check "dashboard printed its one-line notice about --host/--port on stderr" \
	[ "$(grep -c -- '--host and --port' "$LOG")" = 1 ]

# ---------------------------------------------------------------------------------------------------------------
section "a 20x5 terminal, resized down and up, does not crash"
start_cockpit -s 20x5
wait_screen "conveyor"
# Everything the cockpit writes from here on, to count how often it leaves the alternate screen.
tm pipe-pane -t "$CP" "cat >>$T/cp.stream"
keys Tab Tab Tab '?' j k Escape Enter Space j k Escape
keys :
type_text 'campaign list'
keys Enter Escape
keys Tab Tab O Enter
type_text 'echo small-$((2+3))'
keys Enter C-g Tab
tm resize-window -t "$CP" -x 5 -y 2
until_changed 2 || true
tm resize-window -t "$CP" -x 1 -y 1
until_changed 2 || true
keys Tab '?' '?' Tab
tm resize-window -t "$CP" -x 200 -y 60
wait_screen "Terminals(1)"
tm resize-window -t "$CP" -x 20 -y 5
until_changed 2 || true
check "the cockpit survived the small sizes" kill -0 "$(cockpit_pid)"
keys q
if until_line '^EXITED [0-9]+$' && grep -qx 'EXITED 0' "$SCREEN"; then
	good "the 20x5 cockpit quits with EXITED 0"
else
	bad "the 20x5 cockpit quits with EXITED 0"
fi
# A resize redraws on the alternate screen: the shell's screen never flashes in between (leaving and re-entering
# it at every step also made tmux copy the shell's screen back and forth through sizes as small as 1x1).
rmcup=$'\e[?1049l'
d=$(deadline "$TIMEOUT")
until grep -qF "$rmcup" "$T/cp.stream" 2>/dev/null || [ "$(now_ms)" -ge "$d" ]; do sleep 0.02; done
check "the cockpit left the alternate screen once, at quit, not at each of the four resizes" \
	[ "$(grep -oF "$rmcup" "$T/cp.stream" | wc -l)" = 1 ]
tm pipe-pane -t "$CP"
tm resize-window -t "$CP" -x 100 -y 30
W=100 H=30
terminal_restored

# ---------------------------------------------------------------------------------------------------------------
section "wide characters from the database are drawn in two columns each, and columns stay aligned"
ok campaign create --name 発売 --objective '週 launch'
ok campaign add-slot --name 発売 --slot-key 東京 --role-label '編集者' --channel tv --thread-id thr-w --state active
ok campaign add-slot --name 発売 --slot-key ab --role-label 'plain' --channel tv --thread-id thr-x --state active
start_cockpit -s 100x30 --campaign 発売
wait_screen "Workers 2  "
check "campaign name and status" grep -qE '^発売 active next ' "$SCREEN"
# "東京" is four columns wide: the STORED column still starts at column 14, as for the two-column key "ab".
check "wide slot key keeps the columns aligned" grep -qE '^>東京 {9}active +active +編集者/tv' "$SCREEN"
check "narrow slot key in the same columns" grep -qE '^ ab {11}active +active +plain/tv' "$SCREEN"
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "mouse reporting is off by default and on with --mouse"
start_cockpit --campaign launch
wait_screen "Workers 1  "
check "no mouse reporting without --mouse" [ "$(tm display-message -p -t "$CP" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" = 000 ]
quit_cockpit
start_cockpit --campaign launch --mouse
wait_screen "Workers 1  "
check "mouse reporting with --mouse" [ "$(tm display-message -p -t "$CP" '#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}')" != 000 ]
quit_cockpit
ok tui --mouse --campaign launch --dry-run --json
jeq '[.mouse, .campaign, .ensure_dispatch, .dispatcher_id] | tojson' '[true,"launch",false,"dispatch-dashboard"]'

# ---------------------------------------------------------------------------------------------------------------
section "escape sequences in the database are drawn inert"
ESC=$'\e' BEL=$'\a'
EVIL_CAMPAIGN="ev${ESC}]0;pwned-title${BEL}il"
ok campaign create --name "$EVIL_CAMPAIGN" --objective "obj ${ESC}[31mred${ESC}]0;pwned-title${BEL}"$'\x9b'"31m"
ok campaign add-slot --name "$EVIL_CAMPAIGN" --slot-key "s${ESC}[5mk" --role-label "${ESC}[31mRED${ESC}[0m" \
	--channel "ch${ESC}kpwned-name${ESC}\\" --thread-id thr-9 --state active
ok campaign asset --name "$EVIL_CAMPAIGN" --slot "s${ESC}[5mk" --title $'T\xc2\x9b31mX\x9b5;41mBLINK' --asset-type video --status needs_review
ok campaign asset --name "$EVIL_CAMPAIGN" --slot "s${ESC}[5mk" --title "rej${ESC}[41mBG" --asset-type image --status rejected
ok campaign assign --name "$EVIL_CAMPAIGN" --slot "s${ESC}[5mk" --title "as${ESC}[H${ESC}[2Jsign" \
	--instructions "in${ESC}]52;c;cHdubmVk${BEL}${ESC}P1;2|x${ESC}\\str"
new_shell "$CP"
tm select-pane -t "$CP" -T clean-title
name_before=$(tm display-message -p -t "$CP" '#{window_name}')
start_cockpit -e NO_COLOR=1 --campaign "$EVIL_CAMPAIGN"
tm select-pane -t "$CP" -T clean-title
name_before=$(tm display-message -p -t "$CP" '#{window_name}')
wait_screen "Workers 1  "
check "campaign name drawn without its control characters" grep -qE '^ev\]0;pwned-titleil active next ' "$SCREEN"
check "slot key and role label/channel (cut at 20 columns)" grep -qE '^>s\[5mk +active +active +\[31mRED\[0m/chkpwned- +no session +thr-9 ' "$SCREEN"
# U+009B (C1 CSI) is dropped when drawn; the lone byte 0x9b is already U+FFFD in the JSON the handlers return.
check "asset title: C1 CSI dropped, the invalid byte shown as U+FFFD" grep -qE "^>T31mX"$'\xef\xbf\xbd'"5;41mBLINK +needs_review +video\$" "$SCREEN"
check "assignment title and instructions" grep -qE '^>as\[H\[2Jsign +queued +in\]52;c;cHdubmVkP1;2\|x\\str$' "$SCREEN"
check "blockers name the rejected asset, inert" grep -qF 'Blockers: asset rej[41mBG is rejected' "$SCREEN"
check "the title line is intact (nothing cleared the screen)" grep -q '^ conveyor  Campaigns' <<<"$(row 0)"
tm capture-pane -p -e -t "$CP" >"$T/evil.sgr"
check "no colour SGR reached the terminal (got: $(sgr_colours "$T/evil.sgr"))" [ -z "$(sgr_colours "$T/evil.sgr")" ]
check "no blink reached the terminal" [ -z "$(grep -oE $'\e''\[[0-9;]*m' "$T/evil.sgr" | tr -d '\033[m' | tr ';' '\n' | grep -x 5)" ]
check "tmux pane title unchanged ($(tm display-message -p -t "$CP" '#{pane_title}'))" \
	[ "$(tm display-message -p -t "$CP" '#{pane_title}')" = clean-title ]
check "tmux window name unchanged" [ "$(tm display-message -p -t "$CP" '#{window_name}')" = "$name_before" ]
check "no OSC 52 reached tmux's buffers" [ -z "$(tm list-buffers)" ]

section "a pane's escape sequences go to its terminal emulator, not the outer terminal"
keys O
wait_line '^ shell +running$'
keys Enter
type_text "printf '\\033]0;pane-title-x\\007\\033]52;c;aGVsbG8=\\007\\033[31mREDTEXT\\033[0m\\n'"
keys Enter
wait_line '^REDTEXT$'
wait_line '^ shell - pane-title-x +running$'
tm capture-pane -p -e -t "$CP" >"$T/pane.sgr"
check "NO_COLOR: the pane's red is not drawn (got: $(sgr_colours "$T/pane.sgr"))" [ -z "$(sgr_colours "$T/pane.sgr")" ]
check "tmux pane title still unchanged" [ "$(tm display-message -p -t "$CP" '#{pane_title}')" = clean-title ]
check "still no tmux buffer" [ -z "$(tm list-buffers)" ]
keys C-g
quit_cockpit

section "colours without NO_COLOR (the probe above can fail)"
start_cockpit --campaign "$EVIL_CAMPAIGN"
wait_screen "Workers 1  "
tm capture-pane -p -e -t "$CP" >"$T/colour.sgr"
check "colour SGR is used without NO_COLOR (got: $(sgr_colours "$T/colour.sgr"))" [ -n "$(sgr_colours "$T/colour.sgr")" ]
check "the slot role label is not red: only the cockpit's colours" \
	[ -z "$(grep -F 'RED' "$T/colour.sgr" | grep -oE $'\e''\[31m\[31mRED')" ]
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
for how in q INT TERM; do
	section "the terminal is restored after $how"
	start_cockpit --campaign launch
	wait_screen "Workers "
	keys O
	wait_line '^ shell +running$'
	pid=$(cockpit_pid)
	children=$(pgrep -P "$pid" | tr '\n' ' ')
	check "the cockpit has a pane child" [ -n "$children" ]
	if [ "$how" = q ]; then keys q; else kill "-$how" "$pid"; fi
	terminal_restored
	for c in $children; do check "pane child $c ended with the cockpit" bash -c "! kill -0 $c 2>/dev/null"; done
done
finish
