#!/usr/bin/env bash
# The conventions every command shares: `help`, --version anywhere, --flag=value, a bare `--`, the unknown-option
# message, typed flag values, one help line per flag, and the generated shell completion.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

section "help COMMAND prints exactly what COMMAND --help prints"
for words in "campaign" "campaign assign" "sessions" "session-nudge" "dispatch"; do
	# shellcheck disable=SC2086
	"$CONVEYOR" $words --help >"$T/want" 2>&1
	# shellcheck disable=SC2086
	cv help $words
	if [ "$RC" -eq 0 ] && cmp -s "$OUT" "$T/want" && [ -s "$OUT" ]; then good "help $words prints what $words --help prints"; else bad "help $words prints what $words --help prints"; fi
done
"$CONVEYOR" --help >"$T/want"
cv help
if [ "$RC" -eq 0 ] && cmp -s "$OUT" "$T/want"; then good "help alone prints the usage"; else bad "help alone prints the usage"; fi
fails 2 "unknown command: nope" help nope
fails 2 "Unsupported campaign action: nope" help campaign nope
fails 2 "Unexpected argument: x" help sessions x
cv help completion --json
out_has "usage: conveyor completion bash|zsh"

section "--help lists one line per flag, with the global ones"
cv sessions --help
out_has "  --role worker|manager          list only sessions of this role"
out_has "  --name N                       list only the session with this name (repeatable)"
out_has "  --path DB                      database file (default .codex-workers/workerctl.db, or in \$WORKERCTL_STATE_ROOT)"
out_has "  --json                         print the result as JSON"
cv campaign assign --help
out_has "  --notify                       also queue it to the slot's worker session (assign, review)"
out_lacks "--asset-type"

section "--version works in any position, but not after --"
for args in "--version" "campaign --version" "campaign status --name x --version" "tasks --version --bogus"; do
	# shellcheck disable=SC2086
	cv $args
	if [ "$RC" -eq 0 ] && [ "$(cat "$OUT")" = "conveyor $(cat "$ROOT/VERSION")" ]; then good "--version in: $args prints the version"; else bad "--version in: $args prints the version"; fi
done
fails 2 "Unexpected argument: --version" session-nudge w1 hello -- --version

section "--flag=value is the same as --flag value"
ok campaign create --name=launch --objective='Launch week' --json
jeq .campaign launch
ok campaign add-slot --name launch --slot-key=tiktok --role-label=--editor --json
jeq .slot_key tiktok
ok campaign status --name launch --json
jeq .campaign.objective "Launch week"
jeq '.slots[0].role_label' --editor
fails 2 "--json does not take a value." campaign status --name launch --json=yes
fails 2 "--slot-key requires a value." campaign add-slot --name launch --slot-key= --role-label x
fails 2 "--limit must be a non-negative integer." discover --limit=x

section "a bare -- ends the options: what follows is positional, even when it begins with --"
# (--path comes first here: after -- it would be a positional too)
cv session-nudge --path "$DB" w1 -- "--help me"
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "no session registered with name \"w1\"" ]; then good "-- makes --help me a positional"; else bad "-- makes --help me a positional"; fi
cv session-nudge --path "$DB" w1 --dry-run -- "--not a flag" --json
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "Unexpected argument: --json" ]; then good "a third positional after -- is refused"; else bad "a third positional after -- is refused"; fi
fails 2 "unknown option --help-me for session-nudge (see conveyor session-nudge --help)" session-nudge w1 --help-me

section "an unknown option names the command and its help"
fails 2 "unknown option --bogus for campaign status (see conveyor campaign status --help)" campaign status --name a --bogus
fails 2 "unknown option --bogus for campaign status (see conveyor campaign status --help)" campaign --bogus=1 status
fails 2 "unknown option --host for tui (see conveyor tui --help)" tui --host x --dry-run
CONVEYOR_CLI_PROG=workerctl cv heartbeat w1 --bogus --path "$DB"
if [ "$(cat "$ERR")" = "unknown option --bogus for heartbeat (see workerctl heartbeat --help)" ]; then good "the message names workerctl when invoked as workerctl"; else bad "the message names workerctl when invoked as workerctl"; fi

section "typed values are checked where the command reads them, with the same messages"
fails 2 "--interval must be greater than zero." session-inbox w1 --interval 0
fails 2 "--timeout must be a number of seconds (at most 2000000)." session-inbox w1 --timeout 5x
fails 2 "--timeout must be zero or greater." session-inbox w1 --timeout=-1
fails 2 "--port must be between 1 and 65535." dashboard --port 0 --dry-run
fails 2 "Unsupported sessions role: boss" sessions --role boss
fails 2 "--sandbox must be one of read-only, workspace-write, danger-full-access." start-worker --name w --sandbox x
fails 2 "--metadata-json must be a JSON object" campaign create --name c2 --objective o --metadata-json '[1]'
fails 2 "campaign requires --objective" campaign create --name c2 --metadata-json '[1]'
cv dashboard --port=8080 --dry-run --json --path "$DB"
jeq '.notices | length' 1

section "bash completion, generated from the table, completes words, actions, flags and enum values"
"$CONVEYOR" completion bash >"$T/conveyor.bash"
is_true "bash -n accepts the script" bash -n "$T/conveyor.bash"
# complete WORDS...: prints the completions bash offers for the last word.
complete_words() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _conveyor; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$T/conveyor.bash" "$@"
}
[ "$(complete_words conveyor camp)" = "campaign" ] && good "completes a command word" || bad "completes a command word"
[ "$(complete_words conveyor campaign cr)" = "create" ] && good "completes a campaign action" || bad "completes a campaign action"
[ "$(complete_words conveyor sessions --ro)" = "--role" ] && good "completes a flag" || bad "completes a flag"
[ "$(complete_words conveyor sessions --role "" | tr '\n' ' ')" = "worker manager " ] && good "completes an enum flag's values" || bad "completes an enum flag's values"
[ "$(complete_words conveyor dispatch --type nu)" = "nudge_worker" ] && good "dispatch --type value" || bad "dispatch --type value"
[ "$(complete_words conveyor campaign assign --not)" = "--notify" ] && good "completes a campaign flag" || bad "completes a campaign flag"
[ "$(complete_words conveyor help sess | tr '\n' ' ')" = "sessions session-inbox session-nudge session-interrupt " ] &&
	good "help completes commands" || bad "help completes commands"
[ "$(complete_words conveyor completion z)" = "zsh" ] && good "completion shells" || bad "completion shells"
[ -z "$(complete_words conveyor tui --ho)" ] && good "tui does not offer dashboard's --host" || bad "tui does not offer dashboard's --host"
cv completion zsh
out_has "#compdef conveyor workerctl"
fails 2 "Unsupported completion shell: fish (bash or zsh)" completion fish

finish
