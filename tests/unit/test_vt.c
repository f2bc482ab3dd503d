/* Unit tests of the pane terminal (src/tui/vt.c) on real PTYs. Every wait is a poll() bounded by 5 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <time.h>
#include <unistd.h>

#include "tui/vt.h"

#define WAIT_MS 5000

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Starts argv on a rows x cols terminal with a 10,000-line scrollback. */
static struct vt *spawn(int rows, int cols, const char *const argv[])
{
	struct vt *vt = vt_spawn(argv, rows, cols, NULL, NULL, 10000);
	assert_non_null(vt);
	return vt;
}

/* Pumps the terminal as the cockpit would (poll, read, write queued input) until done(vt, arg) holds or
 * WAIT_MS pass; returns whether it held. */
static bool pump_until(struct vt *vt, bool (*done)(struct vt *, const void *), const void *arg)
{
	long deadline = now_ms() + WAIT_MS;
	while (!done(vt, arg)) {
		long left = deadline - now_ms();
		if (left <= 0 || vt_fd(vt) < 0)
			return done(vt, arg);
		struct pollfd p = { .fd = vt_fd(vt), .events = POLLIN | (vt_wants_write(vt) ? POLLOUT : 0) };
		if (poll(&p, 1, (int)left) > 0) {
			if (p.revents & POLLOUT)
				vt_flush(vt);
			vt_pump(vt);
		}
	}
	return true;
}

/* done(): the child's side of the PTY is closed. */
static bool at_eof(struct vt *vt, const void *arg)
{
	(void)arg;
	return vt_fd(vt) < 0;
}

/* The text of one screen row (offset 0), malloc'd. */
static char *row_text(struct vt *vt, int row)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	return vt_text(vt, row, 0, row, cols - 1, 0);
}

/* done(): some screen row contains the string arg. */
static bool screen_has(struct vt *vt, const void *arg)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	char *all = vt_text(vt, 0, 0, rows - 1, cols - 1, 0);
	bool found = strstr(all, arg) != NULL;
	free(all);
	return found;
}

/* Asserts that screen row `row` reads exactly `want`. */
static void assert_row(struct vt *vt, int row, const char *want)
{
	char *t = row_text(vt, row);
	assert_string_equal(t, want);
	free(t);
}

/* Waits (bounded, on a pidfd) until the child has exited, then reaps it. */
static void wait_reaped(struct vt *vt)
{
	int fd = pidfd_open(vt_pid(vt), 0);
	if (fd >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		poll(&p, 1, WAIT_MS);
		close(fd);
	}
	assert_true(vt_reap(vt));
}

/* Printed text lands in the cells, marks its rows dirty and moves the cursor. */
static void test_plain_text(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "printf", "hello %s\\n", "world", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "hello world");
	assert_row(vt, 1, "");
	struct vt_cell c;
	vt_cell(vt, 0, 4, 0, &c);
	assert_int_equal(c.chars[0], 'o');
	assert_int_equal(c.chars[1], 0);
	assert_int_equal(c.width, 1);
	assert_int_equal(c.fg.kind, VT_COLOR_DEFAULT);
	assert_true(vt_dirty_rows(vt)[0]);
	vt_clear_dirty(vt);
	assert_false(vt_dirty_rows(vt)[0]);
	int row, col;
	vt_cursor(vt, &row, &col);
	assert_int_equal(row, 1);
	assert_int_equal(col, 0);
	vt_free(vt);
}

/* seq 1 12000 on 24 rows: the screen ends with 11978..12000, the scrollback keeps the newest 10,000 lines. */
static void test_seq_scrollback(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "seq", "1", "12000", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "11978");
	assert_row(vt, 22, "12000");
	assert_row(vt, 23, "");
	assert_int_equal(vt_scrollback(vt), 10000);
	assert_int_equal(vt_pushed(vt), 11977);
	char *t = vt_text(vt, 0, 0, 1, 79, 10000);
	assert_string_equal(t, "1978\n1979");
	free(t);
	t = vt_text(vt, 0, 0, 0, 79, 1);
	assert_string_equal(t, "11977");
	free(t);
	/* Offsets past the scrollback are clamped to it. */
	t = vt_text(vt, 0, 0, 0, 79, 99999);
	assert_string_equal(t, "1978");
	free(t);
	vt_free(vt);
}

/* done(): the child's side is closed; every call first looks at the screen, as a cockpit drawing after each
 * read would (so the plain lines held back are handed to libvterm after every read, not once at the end). */
static bool drawn_eof(struct vt *vt, const void *arg)
{
	(void)arg;
	vt_dirty_rows(vt);
	return vt_fd(vt) < 0;
}

/* Checks that the scrollback holds top1, top2, then 1..n-? in order and the screen ends with n: what `echo top1;
 * echo top2; <numbers 1..n>` must leave on a 10x20 terminal, however the output was read (and whether the
 * screen was looked at after every read: draw). */
static void assert_flood_drawn(const char *script, int n, bool draw)
{
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c", script, NULL });
	assert_true(pump_until(vt, draw ? drawn_eof : at_eof, NULL));
	int pushed = n + 2 - 9;
	assert_int_equal(vt_pushed(vt), pushed);
	char last[16];
	snprintf(last, sizeof last, "%d", n);
	assert_row(vt, 8, last);
	assert_row(vt, 9, "");
	for (int offset = pushed; offset >= 1; offset--) {
		int index = pushed - offset;
		char want[16];
		if (index < 2)
			snprintf(want, sizeof want, "top%d", index + 1);
		else
			snprintf(want, sizeof want, "%d", index - 1);
		char *t = vt_text(vt, 0, 0, 0, 19, offset);
		if (strcmp(t, want) != 0)
			fail_msg("%s: scrollback line at offset %d is '%s', expected '%s'", script, offset, t, want);
		free(t);
	}
	vt_free(vt);
}

/* assert_flood_drawn both ways: looked at only at the end, and after every read. */
static void assert_flood(const char *script, int n)
{
	assert_flood_drawn(script, n, false);
	assert_flood_drawn(script, n, true);
}

/* A flood of plain lines (the fast paths past libvterm): the rows that were on screen before it, then every
 * line, reach the scrollback in order, whether the lines arrive in large reads (seq) or a few at a time (one
 * write per line from a shell loop). */
static void test_flood_order(void **state)
{
	(void)state;
	assert_flood("echo top1; echo top2; seq 1 3000", 3000);
	assert_flood("echo top1; echo top2; i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo $i; done", 400);
}

/* A flood in a colour keeps the colour (no fast path with a non-default pen). */
static void test_flood_colour(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c", "printf '\\033[31m'; seq 1 300", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	struct vt_cell c;
	vt_cell(vt, 0, 0, 100, &c);
	assert_int_equal(c.fg.kind, VT_COLOR_INDEX);
	assert_int_equal(c.fg.index, 1);
	vt_cell(vt, 0, 0, 0, &c);
	assert_int_equal(c.fg.kind, VT_COLOR_INDEX);
	vt_free(vt);
}

/* A flood inside a scroll region stays inside it (no fast path with margins set). */
static void test_flood_margins(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c", "printf 'keep\\n\\033[3;6r\\033[3;1H'; seq 1 300", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "keep");
	assert_row(vt, 2, "298");
	assert_row(vt, 4, "300");
	assert_row(vt, 5, "");
	assert_row(vt, 9, "");
	vt_free(vt);
}

/* Lines that arrive one read at a time, and lines split across reads, reach the scrollback in order. */
static void test_flood_single_lines(void **state)
{
	(void)state;
	assert_flood("echo top1; echo top2; i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo $i; sleep 0.002; done", 30);
	assert_flood("echo top1; echo top2; i=0; while [ $i -lt 30 ]; do i=$((i+1)); printf %s $i; sleep 0.002; "
		     "echo; done", 30);
	assert_flood("echo top1; echo top2; sleep 0.02; seq 1 5; sleep 0.02; seq 6 12; sleep 0.02; seq 13 40", 40);
}

/* A flood on the alternate screen stays there: nothing reaches the scrollback, the main screen comes back. */
static void test_flood_altscreen(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c",
		"echo keep; printf '\\033[?1049h'; seq 1 50; sleep 0.05; seq 51 60", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "52");
	assert_row(vt, 8, "60");
	assert_int_equal(vt_pushed(vt), 0);
	assert_int_equal(vt_scrollback(vt), 0);
	vt_free(vt);
	vt = spawn(10, 20, (const char *const[]){ "sh", "-c", "echo keep; printf '\\033[?1049h'; seq 1 50; "
		"printf '\\033[?1049l'", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "keep");
	assert_int_equal(vt_pushed(vt), 0);
	vt_free(vt);
}

/* No fast path when the cursor's row is not empty, or the cursor is not on the last row: the lines land where
 * libvterm puts them. */
static void test_flood_cursor(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c",
		"printf '\\033[10;1Hzz\\033[10;1H'; seq 1 12", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_int_equal(vt_pushed(vt), 12);
	assert_row(vt, 0, "4");
	assert_row(vt, 8, "12");
	char *t = vt_text(vt, 0, 0, 0, 19, 3);
	assert_string_equal(t, "1z");
	free(t);
	vt_free(vt);
	vt = spawn(10, 20, (const char *const[]){ "sh", "-c", "printf '\\033[4;1H'; seq 1 5", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_int_equal(vt_pushed(vt), 0);
	assert_row(vt, 3, "1");
	assert_row(vt, 7, "5");
	vt_free(vt);
}

/* A character set other than ASCII (DEC line drawing: q is a horizontal line) keeps the slow path, also when
 * the sequence that selects it is split across reads; so does a colour or a scroll region set that way. */
static void test_flood_modes(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "sh", "-c",
		"printf '\\033'; sleep 0.05; printf '(0'; i=0; while [ $i -lt 30 ]; do i=$((i+1)); echo q; done",
		NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	char *t = vt_text(vt, 0, 0, 0, 19, 5);
	assert_string_equal(t, "\xe2\x94\x80");
	free(t);
	assert_row(vt, 8, "\xe2\x94\x80");
	vt_free(vt);
	vt = spawn(10, 20, (const char *const[]){ "sh", "-c", "printf '\\033[3'; sleep 0.05; printf '1m'; seq 1 300",
				 NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	struct vt_cell c;
	vt_cell(vt, 0, 0, 100, &c);
	assert_int_equal(c.fg.kind, VT_COLOR_INDEX);
	vt_free(vt);
	vt = spawn(10, 20, (const char *const[]){ "sh", "-c",
		"printf 'keep\\n\\033[3;'; sleep 0.05; printf '10r\\033[10;1H'; seq 1 300", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, "keep");
	assert_row(vt, 2, "294");
	assert_row(vt, 8, "300");
	assert_row(vt, 9, "");
	assert_int_equal(vt_pushed(vt), 0);
	vt_free(vt);
}

/* Lines held back are handed to libvterm before a resize: growing pulls the same lines back. */
static void test_flood_resize(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 20, (const char *const[]){ "seq", "1", "100", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	vt_resize(vt, 12, 20);
	assert_int_equal(vt_pushed(vt), 89);
	assert_row(vt, 0, "90");
	assert_row(vt, 10, "100");
	assert_row(vt, 11, "");
	vt_free(vt);
}

/* A wide character has width 2 and the cell after it is its right half (width 0). */
static void test_wide_char(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "printf", "\xe6\x97\xa5\xe6\x9c\xacx\\n", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	struct vt_cell c;
	vt_cell(vt, 0, 0, 0, &c);
	assert_int_equal(c.chars[0], 0x65E5);
	assert_int_equal(c.width, 2);
	vt_cell(vt, 0, 1, 0, &c);
	assert_int_equal(c.width, 0);
	vt_cell(vt, 0, 2, 0, &c);
	assert_int_equal(c.chars[0], 0x672C);
	assert_int_equal(c.width, 2);
	vt_cell(vt, 0, 4, 0, &c);
	assert_int_equal(c.chars[0], 'x');
	assert_row(vt, 0, "\xe6\x97\xa5\xe6\x9c\xacx");
	vt_free(vt);
}

/* Asserts that no cell of the screen holds a control character. */
static void assert_no_controls(struct vt *vt)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	for (int r = 0; r < rows; r++)
		for (int c = 0; c < cols; c++) {
			struct vt_cell cell;
			vt_cell(vt, r, c, 0, &cell);
			for (int k = 0; k < VT_MAX_CHARS && cell.chars[k]; k++)
				assert_false(cell.chars[k] < 0x20 || (cell.chars[k] >= 0x7F && cell.chars[k] < 0xA0));
		}
}

/* Escape sequences are interpreted, never shown: a title, a clear, a raw C1 CSI byte and an encoded C1. */
static void test_escapes_hidden(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){
		"printf", "junk\\033]0;my \\001title\\007\\033[2JA\\233B\\302\\233C\\302\\205D\\n", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_string_equal(vt_title(vt), "my title");
	assert_no_controls(vt);
	assert_false(screen_has(vt, "junk"));
	assert_false(screen_has(vt, "title"));
	assert_true(screen_has(vt, "A"));
	assert_true(screen_has(vt, "D"));
	vt_free(vt);
}

/* A title split across two reads still arrives (libvterm 0.1.4 alone would drop it). */
static void test_split_title(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){
		"sh", "-c", "printf 'M\\033]2;spl'; read x; printf 'it\\007N\\n'", NULL });
	assert_true(pump_until(vt, screen_has, "M"));
	assert_true(vt_input_bytes(vt, "\r", 1));
	assert_true(pump_until(vt, at_eof, NULL));
	assert_string_equal(vt_title(vt), "split");
	assert_true(screen_has(vt, "N"));
	vt_free(vt);
}

/* After vt_resize the child sees the new size. */
static void test_resize(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "sh", "-c", "echo go; read x; stty size", NULL });
	assert_true(pump_until(vt, screen_has, "go"));
	vt_resize(vt, 30, 100);
	int rows, cols;
	vt_size(vt, &rows, &cols);
	assert_int_equal(rows, 30);
	assert_int_equal(cols, 100);
	assert_true(vt_dirty_rows(vt)[29]);
	assert_true(vt_input_bytes(vt, "\r", 1));
	assert_true(pump_until(vt, at_eof, NULL));
	assert_true(screen_has(vt, "30 100"));
	vt_free(vt);
}

/* Growing pulls lines back from the scrollback, shrinking pushes them again; cells survive the round trip. */
static void test_resize_scrollback(void **state)
{
	(void)state;
	struct vt *vt = spawn(10, 40, (const char *const[]){
		"sh", "-c", "printf '\\033[1;31mred\\033[0m \\033[48;2;1;2;3mrgb\\033[0m \\346\\227\\245z\\n'; seq 1 20", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	assert_int_equal(vt_scrollback(vt), 12);
	/* The coloured line is the oldest one in the scrollback: view row 0 at offset 12. */
	struct vt_cell c;
	vt_cell(vt, 0, 0, 12, &c);
	assert_int_equal(c.chars[0], 'r');
	assert_true(c.attrs & VT_BOLD);
	assert_int_equal(c.fg.kind, VT_COLOR_INDEX);
	assert_int_equal(c.fg.index, 1);
	vt_cell(vt, 0, 4, 12, &c);
	assert_int_equal(c.bg.kind, VT_COLOR_RGB);
	assert_int_equal(c.bg.b, 3);
	vt_cell(vt, 0, 8, 12, &c);
	assert_int_equal(c.chars[0], 0x65E5);
	assert_int_equal(c.width, 2);
	vt_cell(vt, 0, 9, 12, &c);
	assert_int_equal(c.width, 0);
	vt_resize(vt, 30, 40);
	assert_int_equal(vt_scrollback(vt), 0);
	assert_row(vt, 0, "red rgb \xe6\x97\xa5z");
	vt_cell(vt, 0, 4, 0, &c);
	assert_int_equal(c.bg.kind, VT_COLOR_RGB);
	vt_cell(vt, 0, 7, 0, &c);
	assert_int_equal(c.bg.kind, VT_COLOR_DEFAULT);
	assert_row(vt, 20, "20");
	vt_resize(vt, 5, 20);
	assert_row(vt, 3, "20");
	assert_int_equal(vt_scrollback(vt), 17);
	char *t = vt_text(vt, 0, 0, 0, 19, 17);
	assert_string_equal(t, "red rgb \xe6\x97\xa5z");
	free(t);
	vt_free(vt);
}

/* An exit status is reported once reaped; pumping after EOF returns at once. */
static void test_exit_status(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "sh", "-c", "exit 3", NULL });
	char buf[64];
	assert_true(pump_until(vt, at_eof, NULL));
	wait_reaped(vt);
	assert_true(vt_exited(vt));
	assert_int_equal(WEXITSTATUS(vt_wait_status(vt)), 3);
	vt_state_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "exited (status 3)");
	long t0 = now_ms();
	for (int i = 0; i < 1000; i++)
		assert_int_equal(vt_pump(vt) & VT_EOF, VT_EOF);
	assert_true(now_ms() - t0 < 1000);
	assert_int_equal(vt_fd(vt), -1);
	assert_false(vt_input_bytes(vt, "x", 1));
	assert_false(vt_wants_write(vt));
	vt_free(vt);

	vt = spawn(24, 80, (const char *const[]){ "sh", "-c", "kill -9 $$", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	wait_reaped(vt);
	vt_state_text(vt, buf, sizeof buf);
	assert_string_equal(buf, "killed (signal 9)");
	vt_free(vt);
}

/* A command that cannot run fails at spawn with its errno. */
static void test_spawn_failure(void **state)
{
	(void)state;
	errno = 0;
	assert_null(vt_spawn((const char *const[]){ "/nonexistent/conveyor-test", NULL }, 24, 80, NULL, NULL, 10));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(vt_spawn((const char *const[]){ "true", NULL }, 24, 80, "/nonexistent", NULL, 10));
	assert_int_equal(errno, ENOENT);
}

/* The child gets TERM, the environment additions, and loses what env unsets. */
static void test_environment(void **state)
{
	(void)state;
	setenv("CONVEYOR_VT_DROP", "gone", 1);
	const char *const env[] = { "CONVEYOR_VT_ADD=added", "CONVEYOR_VT_DROP", NULL };
	struct vt *vt = vt_spawn((const char *const[]){ "sh", "-c", "echo \"$TERM:$CONVEYOR_VT_ADD:${CONVEYOR_VT_DROP-unset}:$PWD\"", NULL },
				 24, 80, "/tmp", env, 10);
	assert_non_null(vt);
	assert_true(pump_until(vt, at_eof, NULL));
	assert_row(vt, 0, VT_TERM ":added:unset:/tmp");
	vt_free(vt);
	unsetenv("CONVEYOR_VT_DROP");
}

/* Typed bytes reach the child: cat echoes them. */
static void test_input_echo(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "cat", NULL });
	assert_true(vt_input_bytes(vt, "ping", 4));
	assert_true(vt_input_key(vt, '\r', false));
	assert_true(pump_until(vt, screen_has, "ping\nping"));
	assert_row(vt, 1, "ping");
	vt_free(vt);
}

/* Keys go through libvterm: the arrow key follows application cursor mode, F1 is SS3 P. */
static void test_keys(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){
		"sh", "-c", "printf '\\033[?1h'; stty raw -echo; echo ready; dd bs=1 count=6 2>/dev/null | od -An -c", NULL });
	assert_true(pump_until(vt, screen_has, "ready"));
	assert_true(vt_input_key(vt, KEY_UP, true));
	assert_true(vt_input_key(vt, KEY_F(1), true));
	assert_false(vt_input_key(vt, KEY_MOUSE, true));
	assert_true(pump_until(vt, at_eof, NULL));
	assert_true(screen_has(vt, "033   O   A 033   O   P"));
	vt_free(vt);
}

/* Input the child does not read yet stays queued without blocking and drains through POLLOUT. */
static void test_input_queue(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){
		"sh", "-c", "stty raw -echo; echo ready; sleep 0.3; head -c 200000 | wc -c", NULL });
	assert_true(pump_until(vt, screen_has, "ready"));
	static char big[200000];
	memset(big, 'x', sizeof big);
	long t0 = now_ms();
	assert_true(vt_input_bytes(vt, big, sizeof big));
	assert_true(now_ms() - t0 < 1000);
	assert_true(vt_wants_write(vt));
	assert_true(pump_until(vt, screen_has, "200000"));
	assert_false(vt_wants_write(vt));
	vt_free(vt);
}

/* vt_text extracts a region: from a column to a column, rows joined, trailing blanks trimmed. */
static void test_text_region(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "printf", "alpha beta   \\ngamma delta\\n", NULL });
	assert_true(pump_until(vt, at_eof, NULL));
	char *t = vt_text(vt, 0, 6, 1, 4, 0);
	assert_string_equal(t, "beta\ngamma");
	free(t);
	t = vt_text(vt, 1, 4, 0, 6, 0);
	assert_string_equal(t, "beta\ngamma");
	free(t);
	t = vt_text(vt, 0, 0, 2, 79, 0);
	assert_string_equal(t, "alpha beta\ngamma delta\n");
	free(t);
	vt_free(vt);
}

/* vt_free hangs up a running child and reaps it. */
static void test_free_reaps(void **state)
{
	(void)state;
	struct vt *vt = spawn(24, 80, (const char *const[]){ "cat", NULL });
	pid_t pid = vt_pid(vt);
	vt_free(vt);
	assert_int_equal(kill(pid, 0), -1);
	assert_int_equal(errno, ESRCH);
}

/* Closing a pane running `tmux attach` detaches the client: the tmux session survives. */
static void test_tmux_survives(void **state)
{
	(void)state;
	char sock[64], cmd[256];
	snprintf(sock, sizeof sock, "conveyor-vt-test-%d", (int)getpid());
	snprintf(cmd, sizeof cmd, "tmux -L %s -f /dev/null new-session -d -s w 'sleep 60'", sock);
	if (system(cmd) != 0)
		skip();
	const char *const env[] = { "TMUX", "TMUX_PANE", NULL };
	struct vt *vt = vt_spawn((const char *const[]){ "tmux", "-L", sock, "attach", "-t", "w", NULL }, 24, 80, NULL,
				 env, 100);
	assert_non_null(vt);
	assert_true(pump_until(vt, screen_has, "[w]"));
	vt_free(vt);
	snprintf(cmd, sizeof cmd, "tmux -L %s has-session -t w", sock);
	int alive = system(cmd);
	snprintf(cmd, sizeof cmd, "tmux -L %s kill-server", sock);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(alive, 0);
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_seq_scrollback),
		cmocka_unit_test(test_flood_order),
		cmocka_unit_test(test_flood_colour),
		cmocka_unit_test(test_flood_margins),
		cmocka_unit_test(test_flood_single_lines),
		cmocka_unit_test(test_flood_altscreen),
		cmocka_unit_test(test_flood_cursor),
		cmocka_unit_test(test_flood_modes),
		cmocka_unit_test(test_flood_resize),
		cmocka_unit_test(test_wide_char),
		cmocka_unit_test(test_escapes_hidden),
		cmocka_unit_test(test_split_title),
		cmocka_unit_test(test_resize),
		cmocka_unit_test(test_resize_scrollback),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_spawn_failure),
		cmocka_unit_test(test_environment),
		cmocka_unit_test(test_input_echo),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_input_queue),
		cmocka_unit_test(test_text_region),
		cmocka_unit_test(test_free_reaps),
		cmocka_unit_test(test_tmux_survives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
