#!/usr/bin/env bash
# The Debian package: builds it with `make deb` (or takes the one $DEB names), unpacks it with dpkg-deb -x and
# checks the program, its version (the file VERSION), the man pages and the license line; also that the version
# copies (debian/changelog, the man pages' .TH) match VERSION and that conveyor(1) lists every family page.
# Prints TAP and exits 1 when a check fails.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=$(cat "$ROOT/VERSION")
T=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-pkg.XXXXXX")
trap 'rm -rf "$T"' EXIT
UNPACKED="$T/root"
MAN1="$UNPACKED/usr/share/man/man1"
N=0
FAILS=0

# check NAME COMMAND...: runs the command, prints `ok N - NAME` or `not ok N - NAME` with its output as comments.
check() {
	local name=$1
	shift
	N=$((N + 1))
	if "$@" >"$T/check.out" 2>&1; then
		echo "ok $N - $name"
	else
		echo "not ok $N - $name"
		tail -n 20 "$T/check.out" | sed 's/^/# /'
		FAILS=$((FAILS + 1))
	fi
}

# same WANT GOT: true when both are equal, otherwise says what differs.
same() {
	[ "$1" = "$2" ] && return 0
	echo "want '$1', got '$2'"
	return 1
}

# Every man page's .TH line names "conveyor VERSION".
th_versions() {
	local page bad=0
	for page in "$ROOT"/man/*.1; do
		grep '^\.TH ' "$page" | grep -qF " \"conveyor $VERSION\" " ||
			{ echo "$(basename "$page"): $(grep '^\.TH ' "$page")"; bad=1; }
	done
	return $bad
}

# see_also_names PAGE: the SEE ALSO section of man/conveyor.1 has `.BR PAGE (1)` (roff dashes as \-).
see_also_names() {
	sed -n '/^\.SH SEE ALSO/,/^\.SH /p' "$ROOT/man/conveyor.1" | sed 's/\\-/-/g' | grep -qxE "\.BR $1 \(1\),?"
}

# Builds the package with `make deb` unless $DEB names one, and copies it to $T/conveyor.deb.
get_deb() {
	local deb=${DEB:-}
	if [ -z "$deb" ]; then
		make -C "$ROOT" --no-print-directory deb || return 1
		deb="$ROOT/build/conveyor_${VERSION}_$(dpkg --print-architecture).deb"
	fi
	cp "$deb" "$T/conveyor.deb"
}

# Every man/*.1 page is in the package, compressed.
pages_packaged() {
	local page bad=0
	for page in "$ROOT"/man/*.1; do
		[ -f "$MAN1/$(basename "$page").gz" ] || { echo "missing $(basename "$page").gz"; bad=1; }
	done
	return $bad
}

# renders PAGE TEXT...: `man -l PAGE` succeeds and its output (whitespace collapsed) contains every TEXT.
renders() {
	local page=$1 text
	shift
	man -l "$page" >"$T/man.txt" || return 1
	tr -s ' \n' '  ' <"$T/man.txt" >"$T/man.flat"
	for text in "$@"; do
		grep -qF -- "$text" "$T/man.flat" || { echo "no '$text' in:"; tail -n 12 "$T/man.txt"; return 1; }
	done
}

check "debian/changelog is at version $VERSION (the file VERSION)" \
	same "$VERSION" "$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)"
check "every man page's .TH says conveyor $VERSION" th_versions
for page in "$ROOT"/man/conveyor-*.1; do
	name=$(basename "$page" .1)
	check "conveyor(1) SEE ALSO names $name(1)" see_also_names "$name"
done
check "the package builds${DEB:+ (given: $DEB)}" get_deb
check "the package is version $VERSION" same "$VERSION" "$(dpkg-deb -f "$T/conveyor.deb" Version 2>&1)"
check "dpkg-deb -x unpacks it" dpkg-deb -x "$T/conveyor.deb" "$UNPACKED"
check "usr/bin/conveyor --version prints conveyor $VERSION" \
	same "conveyor $VERSION" "$("$UNPACKED/usr/bin/conveyor" --version 2>&1)"
check "usr/bin/workerctl is there and prints workerctl $VERSION" \
	same "workerctl $VERSION" "$("$UNPACKED/usr/bin/workerctl" --version 2>&1)"
check "every man/*.1 page is in usr/share/man/man1" pages_packaged
check "conveyor-campaign(1) renders with the license line" \
	renders "$MAN1/conveyor-campaign.1.gz" COPYRIGHT "2026 the conveyor developers." "MIT License"
check "the workerctl man page is there and is conveyor(1)" renders "$MAN1/workerctl.1.gz" "CONVEYOR(1)"
check "usr/share/doc/conveyor/copyright names the MIT (Expat) license" \
	grep -q '^License: Expat$' "$UNPACKED/usr/share/doc/conveyor/copyright"
check "the bash completion is in usr/share/bash-completion/completions (conveyor and workerctl)" \
	grep -q '^complete -F _conveyor conveyor workerctl$' "$UNPACKED/usr/share/bash-completion/completions/workerctl"
check "the zsh completion is in usr/share/zsh/vendor-completions" \
	grep -qx '#compdef conveyor workerctl' "$UNPACKED/usr/share/zsh/vendor-completions/_conveyor"

echo "1..$N"
[ "$FAILS" -eq 0 ]
