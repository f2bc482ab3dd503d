#!/usr/bin/env bash
# codex-install.sh: install the pinned real Codex CLI (@openai/codex@0.169.0) from the npm registry into a
# cache folder outside the repository, reuse an existing install, and print the folder holding `codex`.
#
# Exit status: 0 with the bin folder on stdout; 77 when the npm registry is unreachable (the caller SKIPs);
# 1 on any other failure (missing npm and not root, install failed, binary unusable).
set -u

CODEX_VERSION=0.169.0
CACHE_ROOT=${CONVEYOR_E2E_CACHE:-${HOME:-/tmp}/.cache/conveyor-e2e}
PREFIX=$CACHE_ROOT/codex-$CODEX_VERSION
BIN=$PREFIX/node_modules/.bin

# say MSG: one line on stderr (stdout is reserved for the bin folder).
say() { printf 'codex-install: %s\n' "$*" >&2; }

# installed_ok: true when the cached install answers `codex --version` with the pinned version.
installed_ok() {
	[ -x "$BIN/codex" ] || return 1
	"$BIN/codex" --version 2>/dev/null | grep -q "$CODEX_VERSION"
}

# ensure_npm: make npm available (install Debian's npm as root, else print the exact command and fail).
ensure_npm() {
	command -v npm >/dev/null 2>&1 && return 0
	if [ "$(id -u)" = 0 ]; then
		say "npm missing: installing Debian's npm package"
		if ! (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm) >&2; then
			say "apt-get install npm failed"
			return 1
		fi
		command -v npm >/dev/null 2>&1 && return 0
		say "npm still missing after apt-get"
		return 1
	fi
	say "npm is missing; run: sudo apt-get install -y npm"
	return 1
}

if installed_ok; then
	printf '%s\n' "$BIN"
	exit 0
fi

ensure_npm || exit 1

# A quick reachability probe, so an offline machine skips in seconds instead of failing the install.
if ! timeout 30 npm view --fetch-retries=1 --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=2000 \
	--fetch-timeout=15000 "@openai/codex@$CODEX_VERSION" version >/dev/null 2>&1; then
	say "npm registry unreachable (npm view @openai/codex@$CODEX_VERSION failed)"
	exit 77
fi

mkdir -p "$PREFIX" || { say "cannot create $PREFIX"; exit 1; }
say "installing @openai/codex@$CODEX_VERSION into $PREFIX"
if ! timeout 600 npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error \
		"@openai/codex@$CODEX_VERSION" >&2; then
	say "npm install failed"
	exit 1
fi

if ! installed_ok; then
	say "installed, but $BIN/codex --version does not report $CODEX_VERSION (platform package missing?)"
	"$BIN/codex" --version >&2 || true
	exit 1
fi
printf '%s\n' "$BIN"
