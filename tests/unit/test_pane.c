/* Unit tests of pane drawing (src/tui/pane.c): curses draws a pane into a file as for an xterm-256color
 * terminal; a second pane terminal running `cat` in raw mode replays those bytes, and its cells are checked.
 * Every wait is a poll() bounded by 5 s. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <time.h>
#include <unistd.h>

#include "tui/pane.h"
#include "tui/vt.h"

#define WAIT_MS 5000

/* Milliseconds on the monotonic clock. */
static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Pumps vt (poll, read, write queued input) until done(vt, arg) holds or WAIT_MS pass; returns whether it
 * held. */
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

/* done(): the screen contains the string arg. */
static bool screen_has(struct vt *vt, const void *arg)
{
	int rows, cols;
	vt_size(vt, &rows, &cols);
	char *all = vt_text(vt, 0, 0, rows - 1, cols - 1, 0);
	bool found = strstr(all, arg) != NULL;
	free(all);
	return found;
}

/* A curses screen writing to a file, and the terminal that replays what it wrote. */
struct rig {
	FILE *out, *in;
	SCREEN *scr;
	long sent;		/* bytes of out already replayed */
	struct vt *term;	/* `cat` in raw mode: shows exactly the bytes curses wrote */
};

/* Starts the replaying terminal (16 x 60) and a curses screen of the same size on a file. */
static int rig_setup(void **state)
{
	static struct rig rig;
	memset(&rig, 0, sizeof rig);
	setlocale(LC_ALL, "C.UTF-8");
	rig.term = vt_spawn((const char *const[]){ "sh", "-c", "stty raw -echo; echo ready; exec cat", NULL }, 16, 60,
			    NULL, NULL, 0);
	assert_non_null(rig.term);
	assert_true(pump_until(rig.term, screen_has, "ready"));
	setenv("LINES", "16", 1);
	setenv("COLUMNS", "60", 1);
	rig.out = tmpfile();
	rig.in = fopen("/dev/null", "r");
	rig.scr = newterm("xterm-256color", rig.out, rig.in);
	assert_non_null(rig.scr);
	start_color();
	use_default_colors();
	*state = &rig;
	return 0;
}

/* Ends the curses screen and the replaying terminal. */
static int rig_teardown(void **state)
{
	struct rig *rig = *state;
	endwin();
	delscreen(rig->scr);
	fclose(rig->out);
	fclose(rig->in);
	vt_free(rig->term);
	return 0;
}

/* done(): the terminal's title is the string arg. */
static bool title_is(struct vt *vt, const void *arg)
{
	return strcmp(vt_title(vt), arg) == 0;
}

/* Sends what curses wrote since the last call to the replaying terminal, then a title as a marker, and waits
 * until the marker arrives (so everything before it has been shown); then checks that it shows want. */
static void rig_replay(struct rig *rig, const char *want)
{
	static int serial;
	char buf[65536], marker[32], seq[48];
	ssize_t n;
	fflush(rig->out);
	while ((n = pread(fileno(rig->out), buf, sizeof buf, rig->sent)) > 0) {
		assert_true(vt_input_bytes(rig->term, buf, (size_t)n));
		rig->sent += n;
	}
	snprintf(marker, sizeof marker, "mark-%d", ++serial);
	snprintf(seq, sizeof seq, "\033]2;%s\007", marker);
	assert_true(vt_input_bytes(rig->term, seq, strlen(seq)));
	assert_true(pump_until(rig->term, title_is, marker));
	assert_true(screen_has(rig->term, want));
}

/* Runs argv on a rows x cols terminal until it exits and is reaped. */
static struct vt *finished(int rows, int cols, const char *const argv[])
{
	struct vt *vt = vt_spawn(argv, rows, cols, NULL, NULL, 1000);
	assert_non_null(vt);
	assert_true(pump_until(vt, at_eof, NULL));
	int fd = pidfd_open(vt_pid(vt), 0);
	if (fd >= 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		poll(&p, 1, WAIT_MS);
		close(fd);
	}
	assert_true(vt_reap(vt));
	return vt;
}

/* The cell of the replaying terminal at (row, col). */
static struct vt_cell shown(struct rig *rig, int row, int col)
{
	struct vt_cell c;
	vt_cell(rig->term, row, col, 0, &c);
	return c;
}

/* The text of row `row` of the replaying terminal between two columns (both included). */
static char *shown_text(struct rig *rig, int row, int col0, int col1)
{
	return vt_text(rig->term, row, col0, row, col1, 0);
}

/* Asserts the text of rows row0.. of the replaying terminal in columns [col0, col1], one string per row. */
static void assert_rows(struct rig *rig, int row0, int col0, int col1, const char *const want[])
{
	for (int i = 0; want[i]; i++) {
		char *t = shown_text(rig, row0 + i, col0, col1);
		assert_string_equal(t, want[i]);
		free(t);
	}
}

/* A focused pane: reverse bold header with title and state, text with colour, bold and a wide character at
 * the window's place; no cursor once the child has exited. */
static void test_draw(void **state)
{
	struct rig *rig = *state;
	struct vt *vt = finished(5, 40, (const char *const[]){
		"printf", "hello \\033[1;31mred\\033[0m \\346\\227\\245\\346\\234\\254 \\302\\233!\\n", NULL });
	WINDOW *win = newwin(6, 40, 2, 5);
	struct pane p;
	pane_init(&p, vt, win, false);
	assert_false(pane_draw(&p, "w1", true));
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "exited (status 0)");
	struct vt_cell c = shown(rig, 2, 6);
	assert_int_equal(c.chars[0], 'w');
	assert_true((c.attrs & (VT_REVERSE | VT_BOLD)) == (VT_REVERSE | VT_BOLD));
	char *want = vt_text(vt, 0, 0, 0, 39, 0);
	assert_non_null(strstr(want, "hello red \xe6\x97\xa5\xe6\x9c\xac"));
	assert_rows(rig, 3, 5, 44, (const char *const[]){ want, "", NULL });
	free(want);
	c = shown(rig, 3, 5 + 6);
	assert_int_equal(c.chars[0], 'r');
	assert_true(c.attrs & VT_BOLD);
	assert_int_equal(c.fg.kind, VT_COLOR_INDEX);
	assert_int_equal(c.fg.index, 1);
	c = shown(rig, 3, 5 + 10);
	assert_int_equal(c.chars[0], 0x65E5);
	assert_int_equal(c.width, 2);
	c = shown(rig, 3, 5);
	assert_int_equal(c.fg.kind, VT_COLOR_DEFAULT);
	delwin(win);
	vt_free(vt);
}

/* A focused pane with a running child places the cursor on the child's cursor. */
static void test_cursor(void **state)
{
	struct rig *rig = *state;
	struct vt *vt = vt_spawn((const char *const[]){ "sh", "-c", "printf abc; exec cat", NULL }, 5, 20, NULL, NULL, 10);
	assert_non_null(vt);
	assert_true(pump_until(vt, screen_has, "abc"));
	WINDOW *win = newwin(3, 20, 12, 40);
	struct pane p;
	pane_init(&p, vt, win, false);
	assert_true(pane_draw(&p, "cur", true));
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "running");
	int row, col;
	vt_cursor(rig->term, &row, &col);
	assert_int_equal(row, 12 + 1);
	assert_int_equal(col, 40 + 3);
	delwin(win);
	vt_free(vt);
}

/* With no_color the pane draws attributes only. */
static void test_no_color(void **state)
{
	struct rig *rig = *state;
	struct vt *vt = finished(5, 40, (const char *const[]){ "printf", "\\033[1;32mgreen\\033[0m\\n", NULL });
	WINDOW *win = newwin(6, 40, 8, 0);
	struct pane p;
	pane_init(&p, vt, win, true);
	assert_false(pane_draw(&p, "plain", false));
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "green");
	struct vt_cell c = shown(rig, 9, 0);
	assert_int_equal(c.chars[0], 'g');
	assert_true(c.attrs & VT_BOLD);
	assert_int_equal(c.fg.kind, VT_COLOR_DEFAULT);
	c = shown(rig, 8, 1);
	assert_int_equal(c.chars[0], 'p');
	assert_false(c.attrs & VT_BOLD);
	delwin(win);
	vt_free(vt);
}

/* Scrolling back shows older lines and [+N] in the header; top and bottom go to the ends. */
static void test_scroll(void **state)
{
	struct rig *rig = *state;
	struct vt *vt = finished(5, 30, (const char *const[]){ "seq", "1", "30", NULL });
	WINDOW *win = newwin(6, 30, 0, 30);
	struct pane p;
	pane_init(&p, vt, win, false);
	pane_scroll(&p, 3);
	pane_draw(&p, "s", false);
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "[+3]");
	assert_rows(rig, 1, 30, 59, (const char *const[]){ "24", "25", "26", "27", "28", NULL });
	pane_scroll_top(&p);
	pane_draw(&p, "s", false);
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "[+26]");
	assert_rows(rig, 1, 30, 59, (const char *const[]){ "1", "2", NULL });
	pane_scroll_page(&p, -1);
	assert_int_equal(p.offset, 22);
	pane_scroll_bottom(&p);
	pane_draw(&p, "s", false);
	wnoutrefresh(win);
	doupdate();
	rig_replay(rig, "s  ");
	assert_rows(rig, 0, 30, 59, (const char *const[]){ " s          exited (status 0)", "27", "28", NULL });
	delwin(win);
	vt_free(vt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draw),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_no_color),
		cmocka_unit_test(test_scroll),
	};
	return cmocka_run_group_tests(tests, rig_setup, rig_teardown);
}
