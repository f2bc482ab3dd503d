#!/usr/bin/env bash
# Benchmark of the pane terminal layer (src/tui/vt*.c, docs/terminal-panes.md):
#   throughput  time for `seq 1 2000000` to run to EOF in one 40x120 pane, pumped with poll() as the cockpit does;
#   memory      RSS and heap after 8 panes of 40x120 are each filled with >= 10,000 scrollback lines of `seq`,
#               `ls -l /usr/bin` and `ls -l --color=always /usr/bin` output, and the scrollback bytes per line.
# Target: 8 panes x 10,000 lines of typical shell output well under 20 MB RSS.
# Builds bench/vt.c with the pane sources directly (pkg-config, no Makefile needed) into a temporary directory.
#
#   bench/vt.sh            (from anywhere)
#   BENCH_VT_LINES=N       lines for the throughput run (default 2000000)
# It is a benchmark, not a test: it exits 0 whatever the figures (non-zero only when it cannot run).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cc -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -I"$ROOT/src" $(pkg-config --cflags vterm ncursesw) \
	-o "$TMP/vt_bench" "$HERE/vt.c" "$ROOT"/src/tui/vt.c "$ROOT"/src/tui/vt_flood.c "$ROOT"/src/tui/vt_pty.c "$ROOT"/src/tui/vt_scrollback.c \
	"$ROOT"/src/tui/vt_scan.c \
	"$ROOT"/src/util/sb.c "$ROOT"/src/util/utf8.c $(pkg-config --libs vterm)

"$TMP/vt_bench" throughput "${BENCH_VT_LINES:-2000000}"
for kind in seq ls lscolor; do
	"$TMP/vt_bench" memory "$kind"
done
