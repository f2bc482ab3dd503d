#!/usr/bin/env bash
# fake_codex.sh: a stand-in for the Codex 0.169 terminal client in the CLI tests (t_steer.sh, t_lifecycle.sh). It
# draws Codex's ready screen, reads keys itself and keeps a rollout open, so that conveyor's confirmed delivery,
# interrupt and start-worker discovery are proven without the real client.
#   fake_codex.sh --version   prints "codex-cli $FAKE_VERSION" (default 0.169.0)
#   fake_codex.sh ARGS...     runs interactively; ARGS are written one per line to $CODEX_HOME/fake-argv
# Behaviour files in $CODEX_HOME (tmux hands panes its server's environment, not the test's, so files are used):
#   fake-rollout   holds the path of a rollout to append to (else one is created under sessions/ at the first
#                  prompt, as 0.169 does)
#   fake-ignore    Enter does nothing: typed text stays on the input line
#   fake-trust     the trust prompt shows first; Enter answers it
#   fake-hang      never becomes ready
#   fake-slow-meta the turn shows as working and the rollout is opened a second before its session_meta line
#                  is written (a race the real client shows under load)
# Each submitted line is appended to $CODEX_HOME/fake-input. Enter turns the input line into a turn: task_started and a UserMessage item are appended to the rollout and the
# screen shows "Working (0s • esc to interrupt)"; a line starting with "quick" completes at once (task_complete).
# While a turn runs, Enter adds a UserMessage to it. Esc or C-c ends a running turn (turn_aborted, "Conversation
# interrupted"); C-c while idle quits, as 0.169 does.
set -u
if [ "${1:-}" = --version ]; then
	echo "codex-cli ${FAKE_VERSION:-0.169.0}"
	exit 0
fi
HOME_DIR=${CODEX_HOME:-.}
printf '%s\n' "$@" >"$HOME_DIR/fake-argv"
ROLLOUT=
[ -f "$HOME_DIR/fake-rollout" ] && ROLLOUT=$(cat "$HOME_DIR/fake-rollout")
[ -n "$ROLLOUT" ] && exec 3>>"$ROLLOUT"
LINE=
STATUS=
BUSY=0

# redraw: the whole screen for the current state (header, status line, input line).
redraw() { printf '\033[2J\033[H  >_ OpenAI Codex (fake 0.169.0)\n\n%s\n\xe2\x80\xba %s' "$STATUS" "$LINE"; }

# event TYPE [EXTRA]: appends one event_msg record to the rollout.
event() { printf '{"type":"event_msg","payload":{"type":"%s"%s}}\n' "$1" "${2:-}" >&3; }

# open_rollout: creates the session's rollout at the first prompt (session_meta first) and keeps it open.
open_rollout() {
	[ -n "$ROLLOUT" ] && return
	local dir="$HOME_DIR/sessions/2026/01/01"
	mkdir -p "$dir"
	ROLLOUT="$dir/rollout-2026-01-01T00-00-00-fake-$$.jsonl"
	exec 3>>"$ROLLOUT"
	[ -f "$HOME_DIR/fake-slow-meta" ] && sleep 1
	printf '{"timestamp":"2026-01-01T00:00:00.000Z","type":"session_meta","payload":{"id":"fake-%s","cwd":"%s","originator":"codex-tui","cli_version":"0.169.0"}}\n' "$$" "$PWD" >&3
}

# submit: Enter on the input line.
submit() {
	[ -f "$HOME_DIR/fake-ignore" ] && return
	[ -z "$LINE" ] && return
	printf '%s\n' "$LINE" >>"$HOME_DIR/fake-input"
	[ -f "$HOME_DIR/fake-slow-meta" ] && { STATUS="• Working (0s • esc to interrupt)"; redraw; }
	open_rollout
	[ "$BUSY" = 1 ] || event task_started
	event item_completed ',"item":{"type":"UserMessage"}'
	case "$LINE" in
	quick*) event task_complete; BUSY=0; STATUS="• Done." ;;
	*) BUSY=1; STATUS="• Working (0s • esc to interrupt)" ;;
	esac
	LINE=
	redraw
}

# stop: Esc or C-c; ends a running turn. C-c while idle quits.
stop() {
	if [ "$BUSY" = 1 ]; then
		event turn_aborted ',"reason":"interrupted"'
		BUSY=0
		STATUS="■ Conversation interrupted - use /feedback if something went wrong"
		LINE=
		redraw
	elif [ "$1" = int ]; then
		exit 0
	fi
}

trap 'stop int' INT
if [ -f "$HOME_DIR/fake-hang" ]; then
	printf 'starting...\n'
	while :; do read -rs -t 60 _; done
fi
if [ -f "$HOME_DIR/fake-trust" ]; then
	printf '  Folder access\n  %s\n  Trust this folder? Codex can read, edit, and run files here.\n\xe2\x80\xba 1. Trust and continue\n  2. Back\n' "$PWD"
	while IFS= read -rsn1 -d '' ch; do [ "$ch" = $'\r' ] || [ "$ch" = $'\n' ] && break; done
fi
redraw
while :; do
	IFS= read -rsn1 -d '' ch
	rc=$?
	[ "$rc" -gt 128 ] && continue
	[ "$rc" -ne 0 ] && exit 0
	case "$ch" in
	$'\r' | $'\n') submit ;;
	$'\e') stop esc ;;
	*) LINE+=$ch; printf '%s' "$ch" ;;
	esac
done
