#!/usr/bin/env bash
# Keys and the commands they run (conveyor-tui(1) DESCRIPTION, KEY BINDINGS, FILES): a command from the ':' line
# or from a key runs in a child that EXECUTES conveyor with the line's words and the cockpit's --path (seen in
# /proc while a slow command runs: a fork of the cockpit would still have the cockpit's command line);
# keys.conf binds a new key to a command, overrides a built-in key, unbinds one and binds an action, proven with
# the database; its bad lines show in the status line and in the help, which marks the file's bindings.
. "$(dirname "$0")/lib.sh"

CONF=$XDG_CONFIG_HOME/conveyor/keys.conf
heartbeats() { sqlite3 "$DB" "select count(*) from telemetry_events where event_type = 'dispatch_watch_heartbeat' and json_extract(correlation_json, '\$.dispatcher_id') = '$1'"; }
campaign_field() { cv campaign list --json; jq -r ".campaigns[] | select(.name==\"$1\") | .$2" "$OUT"; }

# child_cmdline PID WANT: waits (up to TIMEOUT) until a child of PID has the command line WANT (its words joined
# by spaces); GOT is the last command line seen, CHILD that child's pid.
child_cmdline() {
	local d c want=$2
	d=$(deadline "$TIMEOUT")
	GOT="" CHILD=""
	while :; do
		for c in $(pgrep -P "$1"); do
			GOT=$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null)
			GOT=${GOT% }
			CHILD=$c
			[ "$GOT" = "$want" ] && return 0
		done
		[ "$(now_ms)" -ge "$d" ] && return 1
		sleep 0.02
	done
}

# ---------------------------------------------------------------------------------------------------------------
section "a ':' command runs in a child that executes conveyor, not in a fork of the cockpit"
ok campaign create --name launch --objective 'Keys'
start_cockpit
wait_line '^>launch +active '
CPID=$(cockpit_pid)
keys :
prompt_line "dispatch --watch --watch-iterations 40 --interval 0.1 --dispatcher-id exec-probe"
wait_line '^running: dispatch --watch'
want="conveyor dispatch --watch --watch-iterations 40 --interval 0.1 --dispatcher-id exec-probe --path $DB"
child_cmdline "$CPID" "$want"
check "the child's command line is conveyor's argv for the command ('$GOT')" [ "$GOT" = "$want" ]
check "the child's program is conveyor" [ "$(readlink "/proc/$CHILD/exe")" = "$(readlink -f "$CONVEYOR")" ]
check "the child reads /dev/null, not the cockpit's terminal" [ "$(readlink "/proc/$CHILD/fd/0")" = /dev/null ]
wait_status "ok: dispatch processed 0 item(s)" 20
check "the child's dispatcher ran on the cockpit's database" [ "$(heartbeats exec-probe)" -gt 0 ]
keys :
prompt_line "campaign frobnicate --name launch"
wait_status "campaign frobnicate --name launch: Unsupported campaign action: frobnicate"
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "keys.conf: bad lines named in the status line, the others applied"
cat >"$CONF" <<'EOF'
# the operator's keys
bind campaign F5 campaign set-status --name %campaign --status paused
bind campaign a campaign set-status --name %campaign --status active
bind campaigns C-t campaign create --name %{Name} --objective 'made by a rebound key'
unbind campaigns n
bind all F2 keys
bind foo x quit
bind campaigns F6 dispatch --watch --watch-iterations 30 --interval 0.1 --dispatcher-id key-probe
bind campaign Q frobnicate --now
EOF
start_cockpit
wait_status 'keys.conf:7: unknown view "foo" (and 1 more: ? lists them)'
wait_line '^>launch +active '

section "unbind: n does nothing in the campaigns view"
before=$(db_digest)
keys n
wait_status "no binding for that key here (? lists them)"
check "n wrote nothing" [ "$(db_digest)" = "$before" ]

section "a new key bound to a command with a %{Prompt} field"
keys C-t
wait_screen "Name:"
prompt_line "rebound"
wait_line "^ok: campaign rebound created campaign-[0-9a-f-]{36}$"
check "the campaign the key made is in the database" [ "$(campaign_field rebound objective)" = "made by a rebound key" ]

section "a key bound to a slow command runs it in an exec'd conveyor too"
keys F6
wait_line '^running: dispatch --watch'
want="conveyor dispatch --watch --watch-iterations 30 --interval 0.1 --dispatcher-id key-probe --path $DB"
child_cmdline "$(cockpit_pid)" "$want"
check "F6's child runs '$want' ('$GOT')" [ "$GOT" = "$want" ]
wait_status "ok: dispatch processed 0 item(s)" 20
check "F6's dispatcher ran" [ "$(heartbeats key-probe)" -gt 0 ]

section "F5 (new) pauses the campaign on screen, a (overridden) makes it active again"
cv campaign list --json
[ "$(jq -r '.campaigns[0].name' "$OUT")" = launch ] || keys j
wait_line '^>launch '
keys Enter
wait_view campaign
keys F5
wait_status "ok: campaign launch status active -> paused"
check "F5 paused launch" [ "$(campaign_field launch status)" = paused ]
keys a
wait_status "ok: campaign launch status paused -> active"
check "a (rebound) made launch active" [ "$(campaign_field launch status)" = active ]
keys Q
wait_status "no binding for that key here (? lists them)"

section "F2 (an action) shows the help: the file's bindings marked, its bad lines listed"
keys F2
wait_screen "Everywhere"
capture
check "the help lists the bad lines" grep -qxF 'keys.conf: 2 bad lines, skipped:' "$SCREEN"
check "the first bad line" grep -qxF '  keys.conf:7: unknown view "foo"' "$SCREEN"
check "the second bad line" grep -qxF '  keys.conf:9: unknown command "frobnicate"' "$SCREEN"
check "the help names the file" grep -qxF "* bound in $CONF" "$SCREEN"
check "F2 is marked as the file's" grep -qE '^\* F2 +show or hide every key binding$' "$SCREEN"
check "C-t is marked as the file's" grep -qE "^\* C-t +Create a campaign \(status active\)\.  = campaign create --name %\{Name\}" "$SCREEN"
check "the built-in ? is not marked" grep -qE '^  \? +every key binding$' "$SCREEN"
check "n is no longer listed for the campaigns view" bash -c "! sed -n '/^Campaigns\$/,/^Campaign\$/p' '$SCREEN' | grep -qE '^  n +'"
keys Escape
wait_view campaign
quit_cockpit
finish
