# Shared helpers for the cockpit tests: each script drives `conveyor tui` the way a person does, in a PRIVATE tmux
# server (its own socket directory and name, no config file, fixed size), reads the screen with capture-pane and
# proves every action with the CLI or the database. Each script sources this file, calls `section NAME` before
# each case, and `finish` at the end (which also fails on any sanitizer report the cockpit wrote to $LOG). Every
# check prints one TAP test point named after the section and what it checks (tests/tap.sh), so prove runs each
# script; measured figures are printed as `# note:` comments.
#
# Synchronisation is never a fixed sleep: wait_screen polls the screen (every 20 ms) until the text appears or a
# deadline passes. TUI_TIMEOUT (seconds, default 5) is the default deadline; sanitizer builds may need more.
set -u
: "${CONVEYOR:?set CONVEYOR to the conveyor binary}"
case $CONVEYOR in /*) ;; *) CONVEYOR=$(cd "$(dirname "$CONVEYOR")" && pwd)/$(basename "$CONVEYOR") ;; esac
command -v tmux >/dev/null || { echo "Bail out! tmux is needed for the cockpit tests (Debian: apt-get install tmux)"; exit 2; }

TUI_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$TUI_DIR/../tap.sh"
ROOT=$(cd "$TUI_DIR/../.." && pwd)
FIXTURES=$ROOT/tests/fixtures/codex-0.169
TIMEOUT=${TUI_TIMEOUT:-5}

T=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-tui.XXXXXX")
# A private tmux: our own socket directory and server name, never the caller's server ($TMUX is dropped).
unset TMUX TMUX_PANE WORKERCTL_STATE_ROOT CONVEYOR_CLI_PROG CONVEYOR_NOW LC_ALL LC_CTYPE NO_COLOR
export TMUX_TMPDIR=$T LANG=C.UTF-8 HISTFILE=/dev/null
# The cockpit reads $XDG_CONFIG_HOME/conveyor/keys.conf: none unless a script writes one (never the caller's).
export XDG_CONFIG_HOME=$T/config
mkdir -p "$XDG_CONFIG_HOME/conveyor"
SRV=conveyor-tui-$$
DB=$T/state/workerctl.db
LOG=$T/cockpit.stderr   # the cockpit's standard error (sanitizer reports land here)
OUT=$T/.out
ERR=$T/.err
SCREEN=$T/.screen
CP="cp"                 # the tmux session the cockpit runs in
W=100 H=30              # its size (start_cockpit -s)
RC=0
SECTION=setup
: >"$LOG"

# The shell of the tmux sessions and of the cockpit's `O` panes: plain bash, no rc files, a known prompt.
# (tmux also runs session commands through it, as `$SHELL -c COMMAND`.)
cat >"$T/sh" <<'EOF'
#!/bin/bash
[ "${1-}" = -c ] && exec bash --norc --noprofile -c "$2"
export PS1='sh$ '
exec bash --norc --noprofile -i
EOF
chmod +x "$T/sh"
export SHELL=$T/sh

# tm ARGS...: tmux on the private server, with no config file.
tm() { tmux -L "$SRV" -f /dev/null "$@"; }

# cleanup: kills the private tmux server and removes the scratch folder.
cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

# section NAME: names the case that the following checks belong to (with TUI_TRACE set, also prints it as a
# comment with the time in ms).
section() { SECTION="$*"; [ -z "${TUI_TRACE:-}" ] || tap_diag "$(now_ms) $*"; }

# good WHAT: a passed check named WHAT.
good() { tap_ok "$SECTION: $1"; }

# note TEXT: prints a measured figure (latencies) as a `# note:` comment.
note() { tap_diag "note: $*"; }

# bad WHAT [DETAIL]: a failed check named WHAT, with DETAIL and the cockpit's screen (when it is running) as
# diagnostics.
bad() {
	tap_not_ok "$SECTION: $1"
	[ -z "${2-}" ] || tap_diag "$2"
	if tm has-session -t "$CP" 2>/dev/null; then
		tap_diag "screen of $CP:"
		tm capture-pane -p -t "$CP" | sed -e 's/^/# | /' -e '/^# | $/d' | head -40
	fi
}

# check MESSAGE COMMAND...: one check: COMMAND succeeds.
check() {
	local what=$1
	shift
	if "$@"; then good "$what"; else bad "$what"; fi
}

# Milliseconds of the wall clock (bash 5's EPOCHREALTIME).
now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }

# deadline SECONDS: now_ms plus SECONDS (which may have a decimal part, e.g. 2.5).
deadline() {
	local s=${1%%.*} f=0
	case $1 in *.*) f=${1#*.}000; f=$((10#${f:0:3})) ;; esac
	echo $(($(now_ms) + ${s:-0} * 1000 + f))
}

# cv ARGS...: runs the CLI against $DB, output in $OUT/$ERR and the status in RC.
cv() {
	"$CONVEYOR" "$@" --path "$DB" >"$OUT" 2>"$ERR"
	RC=$?
}

# ok ARGS...: a CLI call that must succeed (a check).
ok() {
	cv "$@"
	if [ "$RC" -eq 0 ]; then
		good "conveyor $* succeeds"
	else
		bad "conveyor $* succeeds" "exit $RC, stderr: $(head -c 300 "$ERR")"
	fi
}

# val FILTER: the jq -r value of FILTER on the last stdout.
val() { jq -r "$1" "$OUT"; }

# dash NAME: the campaign dashboard as JSON in $OUT.
dash() { cv campaign dashboard --name "$1" --json; }

# jeq FILTER EXPECTED: the jq -r value of FILTER on the last stdout equals EXPECTED.
jeq() {
	local got
	got=$(jq -r "$1" "$OUT" 2>&1)
	if [ "$got" = "$2" ]; then good "jq '$1' = '$2'"; else bad "jq '$1' = '$2'" "got '$got'"; fi
}

# A fingerprint of everything in $DB.
db_digest() { sqlite3 -batch "$DB" .dump | sha256sum; }

# ---- the cockpit in tmux ----

# new_shell NAME [WxH]: a tmux session running the plain shell, size fixed (default 100x30), prompt ready.
new_shell() {
	local name=$1 size=${2:-100x30}
	tm kill-session -t "$name" 2>/dev/null
	tm new-session -d -s "$name" -x "${size%x*}" -y "${size#*x}" "$T/sh" 2>"$T/.tmux.err" || return 1
	# The server stays up between sessions: killing the only session would make it exit while the next
	# new-session may already be talking to it.
	tm set-option -g exit-empty off
	tm set-option -t "$name" status off >/dev/null
	until_screen 'sh$' "$TIMEOUT" "$name"
}

# start_cockpit [-s WxH] [-c tui|dashboard] [-e NAME=VALUE]... ARGS...: runs `conveyor tui ARGS --path $DB` in a fresh session $CP
# from its shell, the way a person types it: the shell first prints a marker, the cockpit's pid goes to
# $T/cockpit.pid, its stderr is appended to $LOG, and after it the shell prints "EXITED <status>" and saves
# `stty -g` (compared with the one saved before, by terminal_restored). Waits for the title line.
start_cockpit() {
	local size=100x30 envs=() a cmd=tui
	while [ $# -gt 0 ]; do
		case $1 in
		-s) size=$2; shift 2 ;;
		-c) cmd=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		*) break ;;
		esac
	done
	W=${size%x*} H=${size#*x}
	new_shell "$CP" "$size" || {
		bad "the tmux session for the cockpit starts" "$(cat "$T/.tmux.err" 2>/dev/null)"
		return 1
	}
	rm -f "$T/cockpit.pid" "$T/stty.before" "$T/stty.after"
	{
		echo '#!/bin/bash'
		printf 'echo $$ >%q\n' "$T/cockpit.pid"
		printf 'exec env'
		for a in ${envs[@]+"${envs[@]}"}; do printf ' %q' "$a"; done
		printf ' %q %q' "$CONVEYOR" "$cmd"
		for a in "$@"; do printf ' %q' "$a"; done
		printf ' --path %q 2>>%q\n' "$DB" "$LOG"
	} >"$T/go"
	chmod +x "$T/go"
	tm send-keys -t "$CP" "echo before-\$((20+22)); stty -g >$T/stty.before; $T/go; echo EXITED \$?; stty -g >$T/stty.after" Enter
	if until_screen ' conveyor ' "$TIMEOUT"; then good "the cockpit starts: $cmd $*"; else bad "the cockpit starts: $cmd $*"; return 1; fi
}

# The cockpit's pid (its exec'd launcher wrote it).
cockpit_pid() { cat "$T/cockpit.pid" 2>/dev/null; }

# capture [TARGET]: the screen of the cockpit's session (or TARGET) into $SCREEN.
capture() { tm capture-pane -p -t "${1:-$CP}" >"$SCREEN" 2>/dev/null; }

# until_screen TEXT [TIMEOUT [TARGET]]: waits (polling) until the screen shows TEXT; 0 when it did.
until_screen() {
	local text=$1 target=${3:-$CP} end
	end=$(deadline "${2:-$TIMEOUT}")
	while :; do
		capture "$target"
		grep -qF -- "$text" "$SCREEN" && return 0
		[ "$(now_ms)" -ge "$end" ] && return 1
		sleep 0.02
	done
}

# until_line REGEX [TIMEOUT]: waits until a screen line matches the extended REGEX; 0 when one did.
until_line() {
	local deadline
	deadline=$(deadline "${2:-$TIMEOUT}")
	while :; do
		capture
		grep -qE -- "$1" "$SCREEN" && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# until_changed [TIMEOUT]: waits until the screen differs from the last capture; 0 when it did.
until_changed() {
	local deadline
	deadline=$(deadline "${1:-$TIMEOUT}")
	cp "$SCREEN" "$SCREEN.prev"
	while :; do
		capture
		cmp -s "$SCREEN" "$SCREEN.prev" || return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# wait_screen TEXT [TIMEOUT]: a check: the screen shows TEXT within TIMEOUT seconds.
wait_screen() {
	if until_screen "$1" "${2:-$TIMEOUT}"; then good "the screen shows: $1"; else bad "the screen shows: $1"; fi
}

# wait_line REGEX [TIMEOUT]: a check: a screen line matches the extended REGEX within TIMEOUT seconds.
wait_line() {
	if until_line "$1" "${2:-$TIMEOUT}"; then good "a screen line matches: $1"; else bad "a screen line matches: $1"; fi
}

# wait_status TEXT [TIMEOUT]: a check: the status line (the row above the key hints) is TEXT, cut to the width.
wait_status() {
	local want=${1:0:$W} got deadline
	deadline=$(deadline "${2:-$TIMEOUT}")
	want=${want%"${want##*[! ]}"}
	while :; do
		capture
		got=$(row $((H - 2)))
		if [ "$got" = "$want" ]; then good "the status line is: $want"; return 0; fi
		if [ "$(now_ms)" -ge "$deadline" ]; then
			bad "the status line is: $want" "got '$got'"
			return 1
		fi
		sleep 0.02
	done
}

# screen_has TEXT: a check: the screen as it is now shows TEXT.
screen_has() {
	capture
	if grep -qF -- "$1" "$SCREEN"; then good "the screen shows now: $1"; else bad "the screen shows now: $1"; fi
}
# screen_lacks TEXT: a check: the screen as it is now does not show TEXT.
screen_lacks() {
	capture
	if grep -qF -- "$1" "$SCREEN"; then bad "the screen lacks: $1"; else good "the screen lacks: $1"; fi
}

# row N: line N (0 = the title line) of the last capture.
row() { sed -n "$(($1 + 1))p" "$SCREEN"; }

# keys KEY...: tmux send-keys to the cockpit (key names: Enter, Tab, Escape, C-g, Down, ...).
keys() { tm send-keys -t "$CP" "$@"; }

# type_text TEXT: types TEXT literally.
type_text() { tm send-keys -t "$CP" -l -- "$1"; }

# prompt_line TEXT: types TEXT at an open prompt and presses Enter.
prompt_line() { type_text "$1"; keys Enter; }

# quit_cockpit: presses q and waits for the shell's EXITED line; a check that the status is 0.
quit_cockpit() {
	keys q
	if until_line '^EXITED [0-9]+$' && grep -qx 'EXITED 0' "$SCREEN"; then
		good "q ends the cockpit with status 0"
	else
		bad "q ends the cockpit with status 0"
	fi
}

# view_hint NAME: the start of the key hint line (the last row) of a view: how the tests tell the views apart.
view_hint() {
	case $1 in
	campaigns) echo 'Enter open  n new campaign' ;;
	campaign) echo 'a approve  x reject' ;;
	task) echo 'Enter open  Esc tasks' ;;
	terminals) echo 'Enter type  C-g back' ;;
	*) echo "unknown view $1" ;;
	esac
}

# in_view NAME [TIMEOUT]: waits until the cockpit shows view NAME (its hint line); 0 when it does.
in_view() {
	local hint deadline
	deadline=$(deadline "${2:-$TIMEOUT}")
	hint=$(view_hint "$1")
	while :; do
		capture
		[ "$(tail -n 1 "$SCREEN" | cut -c1-${#hint})" = "$hint" ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.02
	done
}

# wait_view NAME: a check: the cockpit shows view NAME.
wait_view() { if in_view "$1"; then good "in the $1 view"; else bad "in the $1 view"; fi; }

# goto_view NAME: presses Tab until view NAME shows (at most 6 times); a check.
goto_view() {
	local i
	for i in 1 2 3 4 5 6; do
		in_view "$1" 0 && { good "Tab reaches the $1 view"; return 0; }
		keys Tab
		in_view "$1" 1 && { good "Tab reaches the $1 view"; return 0; }
	done
	bad "Tab reaches the $1 view"
}

# terminal_restored: checks that the cockpit has ended with status 0 and left the terminal as it found it: main
# screen (with the shell's output from before the cockpit), the same stty settings, and a working prompt.
terminal_restored() {
	if until_line '^EXITED [0-9]+$' && grep -qx 'EXITED 0' "$SCREEN"; then
		good "the cockpit ended with status 0"
	else
		bad "the cockpit ended with status 0"
	fi
	check "the alternate screen was left" [ "$(tm display-message -p -t "$CP" '#{alternate_on}')" = 0 ]
	check "the shell's output from before the cockpit is visible again" grep -qx 'before-42' "$SCREEN"
	local deadline
	deadline=$(deadline "$TIMEOUT")
	while [ ! -s "$T/stty.after" ] && [ "$(now_ms)" -lt "$deadline" ]; do sleep 0.02; done
	check "stty settings are restored" cmp -s "$T/stty.before" "$T/stty.after"
	type_text 'echo back-$((40+2))'
	keys Enter
	wait_line '^back-42$'
	check "the typed line was echoed by the terminal" grep -qxF 'sh$ echo back-$((40+2))' "$SCREEN"
}

# sgr_colours FILE: prints the colour parameters (30-38, 40-48, 90-97, 100-107) of the SGR sequences in FILE.
sgr_colours() {
	grep -oE $'\e''\[[0-9;:]*m' "$1" | tr -d '\033[m' | tr ';:' '\n\n' |
		grep -xE '3[0-8]|4[0-8]|9[0-7]|10[0-7]' | sort -u | tr '\n' ' '
}

# finish: a last check that the cockpit's stderr has no sanitizer report, then the TAP plan; fails when any
# check failed.
finish() {
	SECTION=sanitizer
	if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error|SUMMARY: UndefinedBehaviorSanitizer' "$LOG"; then
		tap_not_ok "$SECTION: the cockpit's stderr has no sanitizer report"
		head -60 "$LOG" | sed 's/^/# | /'
	else
		good "the cockpit's stderr has no sanitizer report"
	fi
	tap_plan
}
