#!/usr/bin/env bash
# Benchmark of the cockpit (`conveyor tui`) as it runs for a person, driven in a private tmux server:
#   idle        an idle cockpit with 4 shell terminals open, over BENCH_TUI_IDLE seconds (10): wakeups (poll
#               calls counted by strace when it can attach, and voluntary context switches from /proc) and CPU
#               time (utime + stime from /proc/PID/stat).                          target <= 1 wakeup/s
#   throughput  time for `seq 1 2000000` to finish in a shell terminal of the cockpit (a sentinel printed after
#               it appears on tmux's screen) against the same in a bare tmux pane of the same size; and, for
#               scale, through script(1) into /dev/null (a PTY reader that does nothing with what it reads).
#   memory      RSS of the cockpit with 8 terminals each holding >= 10,000 lines of scrollback (`seq 1 12000`
#               in each).                                                          target <= 20 MB
#
#   bench/tui.sh /absolute/path/to/conveyor        (what `make bench` runs)
#   BENCH_TUI_IDLE=10  BENCH_TUI_LINES=2000000     knobs
#   BENCH_TUI_CASES="idle throughput memory"       the cases to run
#   BENCH_TUI_RUNS=5                               throughput runs (bare, cockpit, floor each time; every run
#                                                  is printed; the verdict is on the median ratio)
# It is a benchmark, not a test: it exits 0 when a target is missed (non-zero only when it cannot run).
set -euo pipefail

die() { printf 'bench: %s\n' "$*" >&2; exit 2; }
[ $# -eq 1 ] || die "usage: $0 /absolute/path/to/conveyor"
BIN=$1
case $BIN in /*) ;; *) die "the conveyor binary must be given as an absolute path (got $BIN)" ;; esac
[ -x "$BIN" ] || die "not an executable: $BIN"
command -v tmux >/dev/null || die "tmux is needed (Debian: apt-get install tmux)"

IDLE_S=${BENCH_TUI_IDLE:-10}
LINES_N=${BENCH_TUI_LINES:-2000000}
CASES=${BENCH_TUI_CASES:-idle throughput memory}
RUNS=${BENCH_TUI_RUNS:-5}
T=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-bench-tui.XXXXXX")
unset TMUX TMUX_PANE NO_COLOR LC_ALL
export TMUX_TMPDIR=$T LANG=C.UTF-8 HISTFILE=/dev/null
SRV=bench-tui-$$
DB=$T/workerctl.db
tm() { tmux -L "$SRV" -f /dev/null "$@"; }
trap 'tm kill-server >/dev/null 2>&1 || true; rm -rf "$T"' EXIT

cat >"$T/sh" <<'EOF'
#!/bin/bash
[ "${1-}" = -c ] && exec bash --norc --noprofile -c "$2"
export PS1='sh$ '
exec bash --norc --noprofile -i
EOF
chmod +x "$T/sh"
export SHELL=$T/sh

now_ms() { local t=${EPOCHREALTIME/./}; echo $((10#$t / 1000)); }

# until_text SESSION TEXT TIMEOUT_S [COUNT]: polls (5 ms) until SESSION's screen shows TEXT (COUNT times).
until_text() {
	local deadline=$(($(now_ms) + $3 * 1000)) n
	while :; do
		n=$(tm capture-pane -p -t "$1" | grep -oF -- "$2" | wc -l)
		[ "$n" -ge "${4:-1}" ] && return 0
		[ "$(now_ms)" -ge "$deadline" ] && return 1
		sleep 0.005
	done
}

# cockpit SIZE: starts the cockpit on $DB in session cp (size WxH, status line off); sets PID.
cockpit() {
	tm kill-session -t cp 2>/dev/null || true
	tm new-session -d -s cp -x "${1%x*}" -y "${1#*x}" "$T/sh"
	tm set-option -t cp status off >/dev/null
	until_text cp 'sh$' 5 || die "no shell prompt"
	rm -f "$T/pid"
	printf '#!/bin/bash\necho $$ >%q\nexec %q tui --path %q 2>>%q\n' "$T/pid" "$BIN" "$DB" "$T/stderr" >"$T/go"
	chmod +x "$T/go"
	tm send-keys -t cp "$T/go" Enter
	until_text cp ' conveyor ' 10 || die "the cockpit did not start"
	PID=$(cat "$T/pid")
}

# open_shells N: opens N shell terminals (O), waiting for each prompt.
open_shells() {
	local i
	for ((i = 1; i <= $1; i++)); do
		tm send-keys -t cp O
		until_text cp 'sh$' 10 "$i" || die "terminal $i did not start"
	done
}

"$BIN" campaign create --name bench --objective 'cockpit bench' --path "$DB" >/dev/null
"$BIN" campaign add-slot --name bench --slot-key s1 --role-label 'Editor' --thread-id thr-1 --state active --path "$DB" >/dev/null

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
vcs() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }
ivcs() { awk '/^nonvoluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }
HZ=$(getconf CLK_TCK)
MISSED=0
ROWS=()
row() { ROWS+=("$(printf '%-46s %14s %12s %s' "$@")"); }

wants() { [[ " $CASES " == *" $1 "* ]]; }

# ---- idle ----
if wants idle; then
cockpit 160x40
open_shells 4
sleep 1.5 # let the shells and the first needs-you classification settle
# First without a tracer (context switches and CPU time from /proc), then the poll calls counted by strace
# (which itself adds context switches, so the two are not measured together).
c0=$(cpu_ticks "$PID") v0=$(vcs "$PID") n0=$(ivcs "$PID")
sleep "$IDLE_S"
c1=$(cpu_ticks "$PID") v1=$(vcs "$PID") n1=$(ivcs "$PID")
cpu_ms=$(((c1 - c0) * 1000 / HZ))
wake=$(awk -v v=$((v1 - v0 + n1 - n0)) -v s="$IDLE_S" 'BEGIN {printf "%.2f", v / s}')
verdict=PASS
awk -v p="$wake" 'BEGIN {exit !(p > 1.05)}' && verdict=FAIL && MISSED=$((MISSED + 1))
row "idle, 4 terminals: context switches" "$wake /s" "<= 1 /s" "$verdict"
if command -v strace >/dev/null; then
	timeout "$IDLE_S" strace -qq -c -e trace=poll,ppoll -p "$PID" -o "$T/strace" 2>/dev/null || true
fi
if [ -s "$T/strace" ]; then
	polls=$(awk '$NF ~ /^p?poll$/ {n += $4} END {print n + 0}' "$T/strace")
	pps=$(awk -v p="$polls" -v s="$IDLE_S" 'BEGIN {printf "%.2f", p / s}')
	verdict=PASS
	awk -v p="$pps" 'BEGIN {exit !(p > 1.05)}' && verdict=FAIL && MISSED=$((MISSED + 1))
	row "idle, 4 terminals: poll calls (strace)" "$pps /s" "<= 1 /s" "$verdict"
else
	row "idle, 4 terminals: poll calls (strace)" "n/a" "<= 1 /s" "strace missing or not permitted"
fi
row "idle, 4 terminals: CPU time over ${IDLE_S} s" "$cpu_ms ms" "" info
fi

# ---- throughput ----
# The cockpit's single terminal at 120x40 has 36 rows of 120 columns (title, pane title, status and hint lines);
# the bare pane gets exactly that size.
if wants throughput; then
cockpit 120x40
open_shells 1
tm send-keys -t cp Enter
tm new-session -d -s bare -x 120 -y 36 "$T/sh"
tm set-option -t bare status off >/dev/null
until_text bare 'sh$' 5 || die "no bare shell"
run_seq() { # SESSION RUN [floor] -> prints milliseconds (the sentinel names the run, so an old one does not count)
	local t0 cmd="seq 1 $LINES_N"
	[ $# -eq 3 ] && cmd="script -qfc '$cmd' /dev/null >/dev/null"
	tm send-keys -t "$1" -l "clear; $cmd; echo SEQ-DONE-\$((6*7))-$2."
	t0=$(now_ms)
	tm send-keys -t "$1" Enter
	until_text "$1" "SEQ-DONE-42-$2." 300 || die "seq did not finish in $1"
	echo $(($(now_ms) - t0))
}
ratios=()
for ((run = 1; run <= RUNS; run++)); do
	bare_ms=$(run_seq bare "$run")
	cockpit_ms=$(run_seq cp "$run")
	ratio=$(awk -v a="$cockpit_ms" -v b="$bare_ms" 'BEGIN {printf "%.2f", a / (b ? b : 1)}')
	ratios+=("$ratio")
	tag=""
	[ "$RUNS" -gt 1 ] && tag=" (run $run)"
	row "seq 1 $LINES_N, bare tmux pane 120x36$tag" "$bare_ms ms" "" info
	row "seq 1 $LINES_N, cockpit terminal 120x36$tag" "$cockpit_ms ms" "" info
	row "  cockpit / bare$tag" "${ratio}x" "" info
	# The floor: the fastest a PTY reader can be here, script(1) reading seq's PTY and throwing the output away.
	if command -v script >/dev/null; then
		row "  floor: seq via script(1) >/dev/null$tag" "$(run_seq bare "f$run" floor) ms" "" info
	fi
done
median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
verdict=PASS
awk -v m="$median" 'BEGIN {exit !(m > 1)}' && verdict=FAIL && MISSED=$((MISSED + 1))
row "  cockpit / bare, median of $RUNS" "${median}x" "<= 1x" "$verdict"
tm kill-session -t bare
fi

# ---- memory ----
if wants memory; then
cockpit 200x50
for ((i = 1; i <= 8; i++)); do
	tm send-keys -t cp O
	until_text cp 'sh$' 10 "$i" || die "terminal $i did not start"
	tm send-keys -t cp Enter
	tm send-keys -t cp -l "seq 1 12000; touch $T/done.$i"
	tm send-keys -t cp Enter C-g
done
deadline=$(($(now_ms) + 120000))
while [ "$(compgen -G "$T/done.*" | wc -l)" -lt 8 ]; do
	[ "$(now_ms)" -lt "$deadline" ] || die "the 8 terminals did not finish seq"
	sleep 0.05
done
# Every shell has written its output; give the cockpit a moment to read what is still in the PTYs.
sleep 1
rss=$(awk '/^VmRSS/ {print $2}' "/proc/$PID/status")
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$PID/status")
rss_mb=$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')
verdict=PASS
[ "$rss" -gt $((20 * 1024)) ] && verdict=FAIL && MISSED=$((MISSED + 1))
row "8 terminals x 12,000 lines: RSS" "$rss_mb MB" "<= 20 MB" "$verdict"
row "8 terminals x 12,000 lines: peak RSS (VmHWM)" "$(awk -v k="$hwm" 'BEGIN {printf "%.1f", k / 1024}') MB" "" info
tm send-keys -t cp q
until_text cp 'sh$' 10 || true
fi

printf '%-46s %14s %12s %s\n' "cockpit benchmark" "value" "target" ""
printf '%s\n' "${ROWS[@]}"
if [ -s "$T/stderr" ]; then
	echo "the cockpit wrote to stderr:"
	head -20 "$T/stderr"
fi
echo "TARGETS MISSED: $MISSED"
