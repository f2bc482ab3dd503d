#!/usr/bin/env bash
# The program as a whole (SPEC section 0): program names, usage and --help, --json everywhere, the test clock,
# terminal-safe output, scripts/deps.sh and make install.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

section "no command and -h/--help print the usage, exit 0"
for args in "" "-h" "--help"; do
	cv $args
	if [ "$RC" -eq 0 ] && [ "$(head -1 "$OUT")" = "usage: conveyor [-h] <command> ..." ] && [ "$(sed -n 2p "$OUT")" = "" ] &&
		[ -n "$(sed -n 3p "$OUT")" ]; then good "usage for '$args'"; else bad "usage for '$args'"; fi
done
out_has "  campaign                   The campaign ledger: worker slots, briefs, assignments, asset receipts and the dashboard."

section "the program name is workerctl when invoked as workerctl, or when CONVEYOR_CLI_PROG says so"
ln -s "$CONVEYOR" "$T/workerctl"
"$T/workerctl" --help >"$OUT" 2>"$ERR"
is_true "workerctl usage" [ "$(head -1 "$OUT")" = "usage: workerctl [-h] <command> ..." ]
CONVEYOR_CLI_PROG=workerctl "$CONVEYOR" campaign create --help >"$OUT" 2>"$ERR"
is_true "CONVEYOR_CLI_PROG override" \
	[ "$(head -1 "$OUT")" = "usage: workerctl campaign create --name C --objective TEXT [--metadata-json JSON] [--human-approved] [--dry-run]" ]
CONVEYOR_CLI_PROG=other "$T/workerctl" --help >"$OUT" 2>"$ERR"
is_true "invalid CONVEYOR_CLI_PROG is ignored" [ "$(head -1 "$OUT")" = "usage: workerctl [-h] <command> ..." ]
cv --version
out_is "conveyor $(cat "$ROOT/VERSION")"

section "--help for the group and for every action, anywhere after the command, before validation"
cv campaign --help
is_true "campaign --help exits 0" [ "$RC" -eq 0 ]
for action in create add-slot attach-slot rotate-slot archive-slot brief assign asset status dashboard list \
	set-status update-assignment review; do
	is_true "group help lists $action" grep -q "^  $action " "$OUT"
done
out_has "examples (the Creative Ops loop):"
for action in create add-slot attach-slot rotate-slot archive-slot brief assign asset status dashboard list \
	set-status update-assignment review; do
	cv campaign --bogus "$action" --name --help
	if [ "$RC" -eq 0 ] && head -1 "$OUT" | grep -q "^usage: conveyor campaign $action " && grep -q '^example:$' "$OUT"; then
		good "help of $action"
	else
		bad "help of $action"
	fi
done
cv campaign nope -h
if [ "$RC" -eq 0 ] && [ "$(head -1 "$OUT")" = "usage: conveyor campaign <action> [flags] [--path DB] [--json]" ]; then
	good "help with an unknown action shows the group help"
else
	bad "help with an unknown action shows the group help"
fi
cv bogus --help
if [ "$RC" -eq 2 ] && [ "$(cat "$ERR")" = "unknown command: bogus" ] && [ ! -s "$OUT" ]; then
	good "unknown command with --help"
else
	bad "unknown command with --help"
fi

section "--json is accepted by every action"
ok campaign create --name j --objective o --json
jeq .created true
ok campaign list --json
jeq '.campaigns[0].name' j
for action in status dashboard; do
	ok campaign "$action" --name j --json
	jeq .campaign.name j
done

section "the test clock: CONVEYOR_NOW sets every timestamp; a malformed value is an error and writes nothing"
CONVEYOR_NOW=2026-03-04T05:06:07Z "$CONVEYOR" campaign create --name clock --objective o --path "$DB" >/dev/null
dbeq "select created_at from campaigns where name = 'clock'" 2026-03-04T05:06:07.000Z
mkdir -p "$T/clock" && cd "$T/clock" || exit 1
CONVEYOR_NOW=tomorrow "$CONVEYOR" campaign create --name c --objective o >"$OUT" 2>"$ERR"
if [ $? -eq 2 ] && [ "$(cat "$ERR")" = "CONVEYOR_NOW must be a UTC timestamp such as 2026-01-01T00:00:00.000Z" ] &&
	[ -z "$(ls -A)" ]; then good "malformed CONVEYOR_NOW"; else bad "malformed CONVEYOR_NOW"; fi
cd "$T" || exit 1

section "strings from the database never reach the terminal raw: control characters stripped in text, escaped in JSON"
ok campaign add-slot --name j --slot-key "$(printf 'evil\033[2J')" --role-label "$(printf 'r\001')" --thread-id t
ok campaign assign --name j --slot "$(printf 'evil\033[2J')" --title "$(printf 'Cut\nslot fake active active\033]0;pwned\007')" \
	--instructions i --status blocked
ok campaign dashboard --name j
if grep -q "$(printf '\033')" "$OUT" || grep -q "$(printf '\007')" "$OUT" || grep -q "$(printf '\001')" "$OUT"; then
	bad "no control characters in text output"
else
	good "no control characters in text output"
fi
out_has "blocker assignment Cutslot fake active active]0;pwned is blocked"
out_has "slot evil[2J planned planned assignments=1 assets=0"
is_true "a title injects no slot line" [ "$(grep -c '^slot ' "$OUT")" -eq 1 ]
ok campaign dashboard --name j --json
is_true "ESC escaped in JSON" grep -qF '"slot_key": "evil\u001b[2J"' "$OUT"
is_true "title escaped in JSON" grep -qF '"title": "Cut\nslot fake active active\u001b]0;pwned\u0007"' "$OUT"

section "scripts/deps.sh: silent when everything is installed; for a normal user, the exact apt-get line"
"$ROOT/scripts/deps.sh" coreutils >"$OUT" 2>"$ERR"
if [ $? -eq 0 ] && [ ! -s "$OUT" ] && [ ! -s "$ERR" ]; then
	good "deps.sh with nothing missing"
else
	bad "deps.sh with nothing missing"
fi
runas=()
[ "$(id -u)" = 0 ] && runas=(setpriv --reuid=65534 --regid=65534 --clear-groups)
"${runas[@]}" sh "$ROOT/scripts/deps.sh" coreutils conveyor-no-such-package-a conveyor-no-such-package-b >"$OUT" 2>"$ERR"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(sed -n 2p "$ERR")" = "  sudo apt-get install -y conveyor-no-such-package-a conveyor-no-such-package-b" ]; then
	good "deps.sh as a normal user"
else
	bad "deps.sh as a normal user" "exit $rc"
fi

section "make install puts the binary, the workerctl link, the man pages (workerctl.1 too) and completions under DESTDIR/PREFIX"
if make -C "$ROOT" --no-print-directory -s BUILD="$(dirname "$CONVEYOR")" install DESTDIR="$T/inst" PREFIX=/usr >"$T/install.log" 2>&1; then
	good "make install succeeds"
else
	bad "make install succeeds" "$(tail -3 "$T/install.log")"
fi
is_true "the binary is installed" [ -x "$T/inst/usr/bin/conveyor" ]
is_true "the workerctl link is installed" [ "$(readlink "$T/inst/usr/bin/workerctl")" = conveyor ]
"$T/inst/usr/bin/workerctl" >"$OUT" 2>&1
is_true "the installed workerctl prints its usage" [ "$(head -1 "$OUT")" = "usage: workerctl [-h] <command> ..." ]
for page in conveyor.1 conveyor-campaign.1 workerctl.1; do
	is_true "man page $page is installed" [ -f "$T/inst/usr/share/man/man1/$page" ]
done
"$CONVEYOR" completion bash >"$T/want.bash"
is_true "the bash completion is installed" cmp -s "$T/inst/usr/share/bash-completion/completions/conveyor" "$T/want.bash"
is_true "workerctl's bash completion links to it" \
	[ "$(readlink "$T/inst/usr/share/bash-completion/completions/workerctl")" = conveyor ]
is_true "the zsh completion is installed" grep -qx '#compdef conveyor workerctl' "$T/inst/usr/share/zsh/site-functions/_conveyor"
make -C "$ROOT" --no-print-directory -s BUILD="$(dirname "$CONVEYOR")" uninstall DESTDIR="$T/inst" PREFIX=/usr >"$T/install.log" 2>&1
LEFT=$(find "$T/inst" -type f -o -type l | head -3)
is_true "make uninstall removes everything install put there (left: $LEFT)" [ -z "$LEFT" ]

finish
