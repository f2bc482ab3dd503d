/* Terminal panes of the cockpit: spawning (a tmux client on a worker's session, or a shell), side-by-side
 * layout, pumping output, keys, scrolling, the needs-you classification and copying. */
#include "tui/tui_panes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/observe/classify.h"
#include "util/proc.h"
#include "tui/osc52.h"

/* Adds a pane running argv (with env additions) titled title; 0, or -1 with err set. */
static int panes_spawn(struct tui_panes *ps, const char *title, const char *const argv[], const char *const env[],
		       char *err, size_t errlen)
{
	if (ps->n == TUI_MAX_PANES) {
		snprintf(err, errlen, "at most %d terminals are open at once", TUI_MAX_PANES);
		return -1;
	}
	int w = ps->cols / (ps->n + 1);
	struct vt *vt = vt_spawn(argv, ps->rows > 2 ? ps->rows - 1 : 1, w > 2 ? w : 2, NULL, env, TUI_SCROLLBACK);
	if (!vt) {
		snprintf(err, errlen, "cannot start %s", argv[0]);
		return -1;
	}
	struct tui_pane *p = &ps->p[ps->n];
	memset(p, 0, sizeof *p);
	snprintf(p->title, sizeof p->title, "%s", title);
	pane_init(&p->pane, vt, NULL, ps->no_color);
	ps->sel = ps->n++;
	panes_layout(ps, ps->top, ps->rows, ps->cols);
	return 0;
}

/* Opens a pane with a tmux client attached to tmux_session: quitting the cockpit detaches it, the session
 * (and its worker) keeps running. Inside tmux, the client talks to the same server through -S. */
int panes_open_tmux(struct tui_panes *ps, const char *title, const char *tmux_session, char *err, size_t errlen)
{
	const char *argv[8];
	int n = 0;
	char socket[512] = "";
	const char *tmux_env = getenv("TMUX");
	argv[n++] = "tmux";
	if (tmux_env && *tmux_env) {
		snprintf(socket, sizeof socket, "%.*s", (int)strcspn(tmux_env, ","), tmux_env);
		argv[n++] = "-S";
		argv[n++] = socket;
	}
	argv[n++] = "attach-session";
	argv[n++] = "-t";
	argv[n++] = tmux_session;
	argv[n] = NULL;
	static const char *const env[] = {"TMUX", NULL}; /* unset: the client talks to the server -S names */
	return panes_spawn(ps, title, argv, env, err, errlen);
}

/* Opens a pane running the operator's shell. */
int panes_open_shell(struct tui_panes *ps, char *err, size_t errlen)
{
	const char *shell = getenv("SHELL");
	const char *argv[] = {shell && *shell ? shell : "/bin/sh", NULL};
	return panes_spawn(ps, "shell", argv, NULL, err, errlen);
}

/* Closes pane i (its child gets SIGHUP: a tmux client detaches, the tmux session survives). */
void panes_close(struct tui_panes *ps, int i)
{
	if (i < 0 || i >= ps->n)
		return;
	vt_free(ps->p[i].pane.vt);
	if (ps->p[i].pane.win)
		delwin(ps->p[i].pane.win);
	memmove(&ps->p[i], &ps->p[i + 1], sizeof ps->p[0] * (size_t)(ps->n - i - 1));
	ps->n--;
	if (ps->sel >= ps->n)
		ps->sel = ps->n > 0 ? ps->n - 1 : 0;
	ps->focused = ps->focused && ps->n > 0;
	panes_layout(ps, ps->top, ps->rows, ps->cols);
}

/* Gives every pane an equal column share of the area (rows at top..top+rows) and resizes its terminal and
 * child (TIOCSWINSZ) to match. */
void panes_layout(struct tui_panes *ps, int top, int rows, int cols)
{
	ps->top = top, ps->rows = rows, ps->cols = cols;
	for (int i = 0; i < ps->n; i++) {
		int x = cols * i / ps->n, w = cols * (i + 1) / ps->n - x - (i + 1 < ps->n);
		struct tui_pane *p = &ps->p[i];
		if (p->pane.win)
			delwin(p->pane.win);
		WINDOW *win = rows >= 2 && w >= 2 ? newwin(rows, w, top, x) : NULL;
		pane_set_window(&p->pane, win);
	}
}

/* Fills fds with the panes' PTY descriptors (write interest when input is queued); returns how many. */
int panes_pollfds(const struct tui_panes *ps, struct pollfd *fds, int max)
{
	int n = 0;
	for (int i = 0; i < ps->n && n < max; i++)
		fds[n++] = (struct pollfd){vt_fd(ps->p[i].pane.vt),
					   (short)(POLLIN | (vt_wants_write(ps->p[i].pane.vt) ? POLLOUT : 0)), 0};
	return n;
}

/* Pumps the panes poll() woke for; returns whether any screen changed. */
int panes_handle(struct tui_panes *ps, const struct pollfd *fds, int nfds)
{
	int changed = 0;
	for (int i = 0; i < ps->n && i < nfds; i++) {
		struct vt *vt = ps->p[i].pane.vt;
		if (fds[i].revents & POLLOUT)
			vt_flush(vt);
		if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
			int r = vt_pump(vt);
			if (r & VT_EOF)
				vt_reap(vt);
			if (r) {
				changed = 1;
				ps->p[i].classify_due = 1;
			}
		}
		if (!vt_exited(vt) && vt_reap(vt))
			changed = 1;
	}
	return changed;
}

/* Classifies the screens that changed since last time (called at most once a second); returns whether any
 * needs-you flag changed. */
int panes_classify(struct tui_panes *ps)
{
	int changed = 0;
	for (int i = 0; i < ps->n; i++) {
		struct tui_pane *p = &ps->p[i];
		if (!p->classify_due)
			continue;
		p->classify_due = 0;
		int rows, cols;
		vt_size(p->pane.vt, &rows, &cols);
		char *text = vt_text(p->pane.vt, 0, 0, rows - 1, cols - 1, 0);
		const struct classify_hit *hit = classify_screen(text ? text : "");
		free(text);
		int needs = hit && hit->needs_you;
		changed |= needs != p->needs_you;
		p->needs_you = needs;
		p->screen = hit ? (hit->notable ? hit->notable : hit->pattern) : NULL;
	}
	return changed;
}

/* How many panes wait for a person. */
int panes_needs_you_count(const struct tui_panes *ps)
{
	int n = 0;
	for (int i = 0; i < ps->n; i++)
		n += ps->p[i].needs_you;
	return n;
}

/* The next pane after the selected one that needs a person, or -1. */
int panes_next_needs_you(const struct tui_panes *ps)
{
	for (int k = 1; k <= ps->n; k++) {
		int i = (ps->sel + k) % ps->n;
		if (ps->p[i].needs_you)
			return i;
	}
	return -1;
}

/* Shows the line selection in reverse video (rows below the pane's title line). */
static void panes_draw_selection(const struct tui_panes *ps, struct tui_pane *p)
{
	int lo = ps->sel_from < ps->sel_to ? ps->sel_from : ps->sel_to;
	int hi = ps->sel_from < ps->sel_to ? ps->sel_to : ps->sel_from;
	for (int r = lo; r <= hi; r++)
		mvwchgat(p->pane.win, 1 + r, 0, -1, A_REVERSE, 0, NULL);
	p->pane.full = true;
}

/* Starts (on) or ends a line selection in the selected pane, beginning at its cursor row (else its last row). */
void panes_select(struct tui_panes *ps, int on)
{
	ps->selecting = on && ps->n > 0;
	if (!ps->selecting)
		return;
	int rows, cols, row, col;
	struct vt *vt = ps->p[ps->sel].pane.vt;
	vt_size(vt, &rows, &cols);
	ps->sel_from = ps->sel_to = !ps->p[ps->sel].pane.offset && vt_cursor(vt, &row, &col) ? row : rows - 1;
}

/* Extends the selection up (delta < 0) or down, within the screen. */
void panes_select_move(struct tui_panes *ps, int delta)
{
	int rows, cols;
	vt_size(ps->p[ps->sel].pane.vt, &rows, &cols);
	int to = ps->sel_to + delta;
	ps->sel_to = to < 0 ? 0 : to >= rows ? rows - 1 : to;
}

/* Draws the panes (all rows when full) with their titles, state and needs-you mark. */
void panes_draw(struct tui_panes *ps, int full)
{
	if (ps->n == 0) {
		mvaddstr(ps->top + 1, 1, "No terminals. O opens a shell; o on a campaign slot opens its worker's tmux session.");
		return;
	}
	for (int i = 0; i < ps->n; i++) {
		struct tui_pane *p = &ps->p[i];
		if (!p->pane.win)
			continue;
		if (full)
			p->pane.full = true;
		char title[200];
		snprintf(title, sizeof title, "%s%s%s", p->title, p->needs_you ? " [needs you: " : "",
			 p->needs_you ? p->screen : "");
		if (p->needs_you)
			strncat(title, "]", sizeof title - strlen(title) - 1);
		pane_draw(&p->pane, title, i == ps->sel);
		if (ps->selecting && i == ps->sel)
			panes_draw_selection(ps, p);
		wnoutrefresh(p->pane.win);
	}
}

/* Shows the terminal cursor in the selected pane when it has the keyboard, else hides it. */
void panes_place_cursor(const struct tui_panes *ps, int show)
{
	int row, col;
	const struct tui_pane *p = ps->n ? &ps->p[ps->sel] : NULL;
	if (!show || !ps->focused || !p || !p->pane.win || p->pane.offset || !vt_cursor(p->pane.vt, &row, &col)) {
		curs_set(0);
		return;
	}
	int y, x;
	getbegyx(p->pane.win, y, x);
	move(y + 1 + row, x + col);
	wnoutrefresh(stdscr);
	curs_set(1);
}

/* Sends a key to the selected pane (a typed character or a curses key code) and follows its live screen. */
void panes_key(struct tui_panes *ps, int key, int is_code)
{
	if (!ps->n)
		return;
	struct tui_pane *p = &ps->p[ps->sel];
	if (p->pane.offset)
		pane_scroll_bottom(&p->pane);
	vt_input_key(p->pane.vt, key, is_code);
}

/* Scrolls the selected pane back (lines > 0) or forward. */
void panes_scroll(struct tui_panes *ps, int lines)
{
	if (ps->n)
		pane_scroll(&ps->p[ps->sel].pane, lines);
}

/* Copies the selected lines (or the whole visible screen) of the selected pane: OSC 52 to the outer terminal,
 * and into the tmux buffer when the cockpit runs inside tmux; ends the selection. 0, or -1 with err set. */
int panes_copy(struct tui_panes *ps, char *err, size_t errlen)
{
	if (!ps->n) {
		snprintf(err, errlen, "no terminal to copy from");
		return -1;
	}
	struct tui_pane *p = &ps->p[ps->sel];
	int rows, cols;
	vt_size(p->pane.vt, &rows, &cols);
	int lo = 0, hi = rows - 1;
	if (ps->selecting) {
		lo = ps->sel_from < ps->sel_to ? ps->sel_from : ps->sel_to;
		hi = ps->sel_from < ps->sel_to ? ps->sel_to : ps->sel_from;
		ps->selecting = 0;
	}
	char *text = vt_text(p->pane.vt, lo, 0, hi, cols - 1, p->pane.offset);
	char *seq = text ? osc52_sequence(text, strlen(text)) : NULL;
	if (seq) {
		fputs(seq, stdout);
		fflush(stdout);
	}
	int rc = 0;
	if (text && osc52_in_tmux()) {
		const char *argv[6];
		osc52_tmux_argv(text, argv);
		struct proc_result r;
		rc = proc_run(argv, 2000, &r) == 0 && r.status == 0 ? 0 : -1;
		if (rc)
			snprintf(err, errlen, "tmux set-buffer failed: %s", r.err.buf ? r.err.buf : "");
		proc_result_free(&r);
	}
	free(seq);
	free(text);
	return rc;
}

/* Closes every pane (their tmux sessions keep running). */
void panes_free(struct tui_panes *ps)
{
	while (ps->n)
		panes_close(ps, ps->n - 1);
}
