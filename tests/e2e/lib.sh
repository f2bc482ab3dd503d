# Shared helpers for the offline end-to-end tests against the real Codex CLI 0.169.0 (sourced, not run).
#
# e2e_setup makes a private world under one temp folder: a private tmux server (TMUX_TMPDIR, so plain `tmux`
# commands, conveyor's included, talk to it), CODEX_HOME with a config.toml for the loopback mock provider,
# MOCK_API_KEY, and PATH with the pinned codex first. Everything started here is stopped by the EXIT trap.
# Synchronisation is always polling with a deadline (wait_for, wait_rollout_count, ...), never a fixed sleep.
# Every check prints one TAP test point named after the step and what it checks (tests/tap.sh); progress lines and
# the state dumped after a failure are `# ` comments, and e2e_finish prints the plan.
#
# Variables after e2e_setup: E2E_DIR, E2E_TMP, CODEX_HOME, TMUX_TMPDIR, MOCK_PORT, MOCK_PID, MOCK_LOG,
# E2E_OUTSIDE (a path outside every workspace, for `approve:` prompts). Set E2E_KEEP=1 to keep E2E_TMP.
set -u

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$E2E_DIR/../tap.sh"
E2E_TMP=""
MOCK_PID=""
MOCK_PORT=""
MOCK_LOG=""
E2E_OUTSIDE=""
E2E_STEP=setup
# Arguments every interactive worker gets: no daemon, a sandbox, and approvals the user answers.
CODEX_ARGS="--no-daemon --sandbox workspace-write --ask-for-approval on-request"

# e2e_log MSG: one progress line on stdout (a TAP comment), prefixed with the elapsed seconds.
e2e_log() { printf '# [%3ds] %s\n' "$SECONDS" "$*"; }

# step NAME: names the part of the test that the following checks belong to.
step() {
	E2E_STEP="$*"
	e2e_log "-- $*"
}

# pass MSG: a passed check named after the step and MSG.
pass() { tap_ok "$E2E_STEP: $*"; }

# fail MSG: a failed check named after the step and MSG.
fail() { tap_not_ok "$E2E_STEP: $*"; }

# die MSG: a failure after which the test cannot go on; ends the test as e2e_finish does (cleanup runs).
die() {
	fail "$*"
	e2e_finish
}

# e2e_finish: prints the plan (after the state, when a check failed) and exits 0 only when nothing failed.
e2e_finish() {
	[ "$TAP_FAILED" -eq 0 ] || e2e_dump
	tap_plan || exit 1
	exit 0
}

# e2e_dump: prints, as TAP comments, what helps debugging a failure: every pane, the mock's request log tail.
e2e_dump() {
	local s
	[ -n "$E2E_TMP" ] || return 0
	for s in $(tmux list-sessions -F '#{session_name}' 2>/dev/null); do
		tap_diag "---- pane of tmux session $s:"
		tap_diag "$(tmux capture-pane -p -t "$s" 2>/dev/null | grep -v '^[[:space:]]*$' | tail -25)"
	done
	if [ -n "$MOCK_LOG" ] && [ -f "$MOCK_LOG" ]; then
		tap_diag "---- mock log tail ($MOCK_LOG):"
		tap_diag "$(tail -8 "$MOCK_LOG" | cut -c1-300)"
	fi
}

# codex_bin_dir: finds (or installs) the pinned codex and prints its bin folder; exit 77 = registry unreachable.
codex_bin_dir() {
	if [ -n "${CODEX_BIN_DIR:-}" ] && [ -x "$CODEX_BIN_DIR/codex" ]; then
		printf '%s\n' "$CODEX_BIN_DIR"
		return 0
	fi
	"$E2E_DIR/codex-install.sh"
}

# e2e_setup: creates the temp world (private tmux server, CODEX_HOME, PATH) and installs the cleanup traps.
e2e_setup() {
	local bin rc
	bin=$(codex_bin_dir)
	rc=$?
	if [ "$rc" -eq 77 ]; then
		echo "1..0 # SKIP npm registry unreachable"
		exit 77
	fi
	if [ "$rc" -ne 0 ] || [ ! -x "$bin/codex" ]; then
		echo "Bail out! cannot install codex 0.169.0"
		exit 1
	fi
	export CODEX_BIN_DIR=$bin
	E2E_TMP=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-e2e.XXXXXX") || exit 1
	trap e2e_cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	mkdir -p "$E2E_TMP/tmux" "$E2E_TMP/codex-home" "$E2E_TMP/work"
	chmod 700 "$E2E_TMP/tmux"
	unset TMUX TMUX_PANE
	export TMUX_TMPDIR=$E2E_TMP/tmux
	export CODEX_HOME=$E2E_TMP/codex-home
	export MOCK_API_KEY=x
	export PATH=$CODEX_BIN_DIR:$PATH
	E2E_OUTSIDE=$E2E_TMP/outside.txt
	MOCK_LOG=$E2E_TMP/mock.log
	e2e_log "temp world: $E2E_TMP (codex $(codex --version 2>/dev/null))"
}

# e2e_cleanup: kills the private tmux server, the mock, and any process still using our CODEX_HOME.
e2e_cleanup() {
	local rc=$? pids
	trap - EXIT INT TERM HUP
	[ -n "$E2E_TMP" ] || exit "$rc"
	tmux kill-server 2>/dev/null
	if [ -n "$MOCK_PID" ]; then
		kill "$MOCK_PID" 2>/dev/null
		wait "$MOCK_PID" 2>/dev/null
	fi
	# A codex that outlived its pane would still have CODEX_HOME=<our temp home> in its environment.
	pids=$(our_codex_pids)
	if [ -n "$pids" ]; then
		# shellcheck disable=SC2086 # a list of pids
		kill $pids 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			pids=$(our_codex_pids)
			[ -z "$pids" ] && break
			sleep 0.2
		done
		# shellcheck disable=SC2086 # a list of pids
		[ -n "$pids" ] && kill -9 $pids 2>/dev/null
	fi
	if [ "${E2E_KEEP:-0}" = 1 ]; then
		echo "kept $E2E_TMP"
	else
		rm -rf "$E2E_TMP" 2>/dev/null
	fi
	exit "$rc"
}

# our_codex_pids: pids of processes whose environment holds exactly our CODEX_HOME (never any other).
our_codex_pids() {
	local d pid
	[ -n "${CODEX_HOME:-}" ] || return 0
	for d in /proc/[0-9]*; do
		pid=${d#/proc/}
		[ "$pid" = "$$" ] && continue
		if { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF "CODEX_HOME=$CODEX_HOME"; then
			case "$({ tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null)" in
			*codex*) printf '%s ' "$pid" ;;
			esac
		fi
	done
}

# mock_start: starts the loopback Responses mock and waits (deadline 10 s) for its port; sets MOCK_PORT.
mock_start() {
	local deadline=$((SECONDS + 10))
	python3 "$E2E_DIR/mock_responses.py" --port-file "$E2E_TMP/mock.port" --log "$MOCK_LOG" \
		--outside-path "$E2E_OUTSIDE" --slow-seconds 8 >"$E2E_TMP/mock.out" 2>&1 &
	MOCK_PID=$!
	while [ ! -s "$E2E_TMP/mock.port" ]; do
		kill -0 "$MOCK_PID" 2>/dev/null || die "mock exited: $(cat "$E2E_TMP/mock.out")"
		[ "$SECONDS" -lt "$deadline" ] || die "mock did not publish its port within 10 s"
		sleep 0.05
	done
	MOCK_PORT=$(cat "$E2E_TMP/mock.port")
	e2e_log "mock Responses API on 127.0.0.1:$MOCK_PORT (pid $MOCK_PID)"
}

# codex_config [TRUSTED_DIR...]: writes $CODEX_HOME/config.toml for the mock with no first-run screens.
# The trust prompt (git repositories only) is skipped only for the exact folders listed here.
codex_config() {
	local d
	{
		cat <<EOF
model = "mock-model"
model_provider = "mock"
check_for_update_on_startup = false

[model_providers.mock]
name = "mock"
base_url = "http://127.0.0.1:$MOCK_PORT/v1"
env_key = "MOCK_API_KEY"
wire_api = "responses"

[tui]
screen_reader_detection_done = true

[tui.model_availability_nux]
"gpt-6.1-sol" = 99

[notice]
hide_full_access_warning = true
EOF
		for d in "$@"; do
			printf '\n[projects."%s"]\ntrust_level = "trusted"\n' "$d"
		done
	} >"$CODEX_HOME/config.toml"
}

# tmux_server_start: starts the private tmux server (no user config, 200x50 default size) with our environment.
tmux_server_start() {
	tmux -f /dev/null new-session -d -s e2e-hold -x 200 -y 50 || die "cannot start the private tmux server"
	tmux set-option -g default-size 200x50 >/dev/null
	tmux set-option -g history-limit 5000 >/dev/null
}

# git_workdir DIR: makes DIR an empty git repository (codex shows its trust prompt for untrusted repos).
git_workdir() {
	mkdir -p "$1" && git -C "$1" init -q && printf '%s\n' "$1"
}

# pane SESSION: the visible screen of SESSION's pane as plain text.
pane() { tmux capture-pane -p -t "$1" 2>/dev/null; }

# wait_for SESSION TEXT [SECONDS]: polls the pane until it shows TEXT (fixed string); 1 on the deadline.
wait_for() {
	local s=$1 text=$2 deadline=$((SECONDS + ${3:-20}))
	while :; do
		pane "$s" | grep -qF -- "$text" && return 0
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# wait_for_any SESSION SECONDS TEXT...: polls until one TEXT shows and prints it; 1 on the deadline.
wait_for_any() {
	local s=$1 deadline=$((SECONDS + $2)) t screen
	shift 2
	while :; do
		screen=$(pane "$s")
		for t in "$@"; do
			if printf '%s' "$screen" | grep -qF -- "$t"; then
				printf '%s\n' "$t"
				return 0
			fi
		done
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# send_prompt SESSION TEXT: types TEXT, pauses 300 ms, presses Enter (text+Enter at once is taken as a paste
# and not submitted: the pause is what the client needs, not a synchronisation).
send_prompt() {
	tmux send-keys -t "$1" -l -- "$2"
	sleep 0.3
	tmux send-keys -t "$1" Enter
}

# codex_start SESSION DIR [ARGS...]: runs codex interactively in a new tmux session (pane = the codex process).
codex_start() {
	local s=$1 dir=$2 args
	shift 2
	if [ $# -gt 0 ]; then args=("$@"); else read -ra args <<<"$CODEX_ARGS"; fi
	tmux new-session -d -s "$s" -x 200 -y 50 -c "$dir" codex "${args[@]}" || die "tmux new-session $s failed"
	tmux set-option -t "$s" remain-on-exit on >/dev/null
}

# codex_ready SESSION [SECONDS]: waits for the ready screen, pressing Enter once on the trust prompt; prints
# "trust" when the trust prompt was accepted, "ready" otherwise; 1 on the deadline.
# Ready = the footer "← for agents · ? for shortcuts" (with the "<model> <effort> · <cwd>" line above it).
# NOT "› Ask Codex to do anything": the composer flashes for ~200 ms before the trust prompt replaces it.
codex_ready() {
	local s=$1 secs=${2:-30} seen
	seen=$(wait_for_any "$s" "$secs" "Trust this folder?" "for agents") || return 1
	if [ "$seen" = "Trust this folder?" ]; then
		# An Enter sent the moment the prompt is drawn is sometimes lost: press again while it stays.
		local deadline=$((SECONDS + secs)) presses=0
		while :; do
			tmux send-keys -t "$s" Enter
			presses=$((presses + 1))
			wait_for "$s" "for agents" 2 && break
			if ! pane "$s" | grep -qF "Trust this folder?"; then
				wait_for "$s" "for agents" 5 && break
			fi
			[ "$SECONDS" -lt "$deadline" ] || return 1
		done
		[ "$presses" -gt 1 ] && e2e_log "trust prompt needed $presses presses of Enter" >&2
		echo trust
		return 0
	fi
	echo ready
}

# pane_dead SESSION: true when SESSION's pane process has exited (needs remain-on-exit).
pane_dead() { [ "$(tmux display-message -p -t "$1" '#{pane_dead}' 2>/dev/null)" = 1 ]; }

# pane_pid SESSION: the pid of the process the pane runs.
pane_pid() { tmux display-message -p -t "$1" '#{pane_pid}' 2>/dev/null; }

# descendants PID: PID and all its descendant pids, one a line.
descendants() {
	local p c
	echo "$1"
	# shellcheck disable=SC2013 # the children file is one line of pids
	for p in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		for c in $(descendants "$p"); do echo "$c"; done
	done
}

# rollout_holder PID: prints "PID PATH" for the first process in PID's tree holding a rollout file open.
rollout_holder() {
	local p f
	for p in $(descendants "$1"); do
		for f in /proc/"$p"/fd/*; do
			case "$(readlink "$f" 2>/dev/null)" in
			*/sessions/*/rollout-*.jsonl)
				echo "$p $(readlink "$f")"
				return 0
				;;
			esac
		done
	done
	return 1
}

# rollouts: every rollout file under $CODEX_HOME/sessions, oldest name first.
rollouts() { find "$CODEX_HOME/sessions" -name 'rollout-*.jsonl' 2>/dev/null | sort; }

# wait_rollout [SECONDS]: waits for the first rollout file under $CODEX_HOME/sessions and prints its path.
wait_rollout() {
	local deadline=$((SECONDS + ${1:-20})) f
	while :; do
		f=$(rollouts | tail -1)
		[ -n "$f" ] && { printf '%s\n' "$f"; return 0; }
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# rollout_count FILE TYPE: how many complete lines carry a payload of TYPE (event_msg or response_item type).
rollout_count() {
	local n
	n=$(grep -c "\"payload\":{\"type\":\"$2\"" "$1" 2>/dev/null)
	echo "${n:-0}"
}

# wait_rollout_count FILE TYPE N [SECONDS]: polls until FILE has at least N payloads of TYPE.
wait_rollout_count() {
	local f=$1 type=$2 n=$3 deadline=$((SECONDS + ${4:-20}))
	while [ "$(rollout_count "$f" "$type")" -lt "$n" ]; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# last_event FILE: the payload type of the last event_msg line (task_started, task_complete, turn_aborted, ...).
last_event() {
	grep '"type":"event_msg"' "$1" 2>/dev/null | grep -o '"payload":{"type":"[a-z_]*"' | tail -1 |
		sed 's/.*"type":"\([a-z_]*\)"/\1/'
}
