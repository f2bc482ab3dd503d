#!/usr/bin/env bash
# Hostile input (issue 13's reproducers): escape sequences and newlines in names and argv never reach stderr raw,
# files that are not regular (/dev/zero, a FIFO, a directory) are refused at once, a pid above the system's
# pid_max is refused, and nothing is written by a refused command.
. "$(dirname "$0")/lib.sh"

# The bytes a hostile name carries: an OSC 52 clipboard write, a clear-screen, a bell and a newline.
EVIL=$(printf 't\033]52;c;QUJD\007\033[2J\nx')
SHOWN='t\x1b]52;c;QUJD\x07\x1b[2J\x0ax'

# stderr_clean: the last stderr is one line without any control character.
stderr_clean() {
	if [ "$(wc -l <"$ERR")" -eq 1 ] && ! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$ERR"); then good "stderr is one clean line"; else
		bad "stderr is not one clean line: $(od -c "$ERR" | head -3)"
	fi
}

section "an error naming a task from the database shows its control characters, on one line"
ok tasks --create "$EVIL" --goal g
ok finish-task "$EVIL"
fails 2 "Task $SHOWN is already done" stop-task "$EVIL"
stderr_clean
fails 2 "Task $SHOWN is already done" finish-task "$EVIL"
stderr_clean

section "errors naming argv (unknown campaign, unknown command, unknown option) are escaped too"
fails 2 "unknown campaign: $SHOWN" campaign status --name "$EVIL"
stderr_clean
cv "$EVIL"
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "unknown command: $SHOWN" ]; then good "unknown command is escaped"; else bad "unknown command is escaped"; fi
stderr_clean
fails 2 "unknown option --x$(printf '\\x9b')31m for sessions (see conveyor sessions --help)" sessions "--x$(printf '\302\233')31m"
stderr_clean

section "files that are not regular are refused without reading them (no hang, no unbounded read)"
mkfifo "$T/fifo"
before=$(db_digest)
for f in /dev/zero "$T/fifo"; do
	fails 2 "cannot read rollout file $f: not a regular file" register-worker --name w1 --pid $$ --codex-session "$f"
done
fails 2 "cannot read rollout file $T: Is a directory" register-worker --name w1 --pid $$ --codex-session "$T"
[ "$(db_digest)" = "$before" ] && good "a refused register-worker writes nothing" || bad "a refused register-worker writes nothing"
fails 2 "cannot read /dev/zero: not a regular file (--file - reads standard input)" classify --file /dev/zero
fails 2 "cannot read $T/fifo: not a regular file (--file - reads standard input)" classify --file "$T/fifo"
fails 2 "cannot read $T: Is a directory" classify --file "$T"

section "a rollout whose first line never ends is refused after 8 MiB"
head -c $((9 << 20)) /dev/zero | tr '\0' 'x' >"$T/long.jsonl"
fails 2 "rollout file first line is longer than 8 MiB: $T/long.jsonl" register-worker --name w1 --pid $$ \
	--codex-session "$T/long.jsonl"

section "classify reads at most 256 MiB of a stream, and the end of a large file"
cv classify --file - --path "$DB" < <(head -c $((257 << 20)) /dev/zero)
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "standard input is longer than 256 MiB; classify reads a screen capture" ]; then
	good "an endless stdin is refused after 256 MiB"
else
	bad "an endless stdin is refused after 256 MiB"
fi
{ head -c $((20 << 20)) /dev/zero | tr '\0' ' '; printf '\nWould you like to run the following command?\n'; } >"$T/screen"
ok classify --file "$T/screen" --json
jeq .screen.state approval

section "a pid above the system's pid_max is refused (it would be truncated to another process)"
PID_MAX=$(cat /proc/sys/kernel/pid_max)
fails 2 "--pid 4294967297 is above this system's pid_max ($PID_MAX)." register-worker --name w1 --pid 4294967297 \
	--codex-session "$ROLLOUT_FIXTURE"
fails 2 "--pid $((PID_MAX + 1)) is above this system's pid_max ($PID_MAX)." register-worker --name w1 \
	--pid $((PID_MAX + 1)) --codex-session "$ROLLOUT_FIXTURE"
ok register-worker --name w1 --pid $$ --codex-session "$ROLLOUT_FIXTURE"

finish
