/* A pane terminal: the only code that calls libvterm (docs/terminal-panes.md). */
#include "tui/vt.h"
#include "tui/vt_flood.h"
#include "tui/vt_pty.h"
#include "tui/vt_scrollback.h"
#include "tui/vt_scan.h"
#include "tui/vt_utf8.h"
#include "util/sb.h"
#include "util/utf8.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

/* The read buffer (a burst is gathered in it before it is fed), and how long one vt_pump() may go on reading: a
 * flooding child is served in slices and cannot starve the other panes or the keyboard (its master stays
 * readable: the next poll() comes straight back). */
#define VT_READ_SIZE 16384
#define VT_PUMP_NS 8000000L
/* libvterm 0.1.4 drops an OSC/DCS string split across two vterm_input_write() calls, so an unfinished one at
 * the end of a read is held back (up to this many bytes) and fed with the next read. */
#define VT_STRING_HOLD 4096

struct vt {
	VTerm *term;
	VTermScreen *screen;
	struct vt_pty pty;
	struct vt_scrollback back;
	int rows, cols;
	unsigned char *dirty;	/* one flag per screen row */
	bool changed;		/* something to redraw happened during this vt_pump */
	bool eof;
	bool altscreen;
	bool cursor_visible;
	VTermPos cursor;
	char *title;		/* UTF-8 without control characters; NULL until the child sets one */
	VTermColor default_fg, default_bg;
	struct vt_cell *cells;	/* scratch line for scrollback push/pop */
	int cells_cap;
	size_t carry;		/* bytes of an unfinished string sequence at the start of in */
	struct vt_scan scan;	/* modes followed in what libvterm parses: the fast path needs plain ones */
	struct vt_flood flood;	/* plain lines taken but not yet given to libvterm (vt_sync) */
	VTermScreenCell *line;	/* scratch row for the fast path */
	char in[VT_READ_SIZE];
};

/* The codepoint to show for cp: controls (C0, DEL, C1), surrogates and non-characters become U+FFFD. */
static uint32_t vt_clean(uint32_t cp)
{
	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || (cp >= 0xD800 && cp < 0xE000) || cp > 0x10FFFF)
		return 0xFFFD;
	return cp;
}

/* Converts a libvterm colour; is_fg says which default flag means "default". */
static struct vt_color vt_color_from(const VTermColor *c, bool is_fg)
{
	struct vt_color out = { 0 };
	if (is_fg ? VTERM_COLOR_IS_DEFAULT_FG(c) : VTERM_COLOR_IS_DEFAULT_BG(c)) {
		out.kind = VT_COLOR_DEFAULT;
	} else if (VTERM_COLOR_IS_INDEXED(c)) {
		out.kind = VT_COLOR_INDEX;
		out.index = c->indexed.idx;
	} else {
		out.kind = VT_COLOR_RGB;
		out.r = c->rgb.red;
		out.g = c->rgb.green;
		out.b = c->rgb.blue;
	}
	return out;
}

/* Converts a colour back to libvterm's form (for lines popped from the scrollback). */
static VTermColor vt_color_to(const struct vt *vt, const struct vt_color *c, bool is_fg)
{
	VTermColor out;
	if (c->kind == VT_COLOR_INDEX)
		vterm_color_indexed(&out, c->index);
	else if (c->kind == VT_COLOR_RGB)
		vterm_color_rgb(&out, c->r, c->g, c->b);
	else
		out = is_fg ? vt->default_fg : vt->default_bg;
	return out;
}

/* Converts a libvterm cell (the right half of a wide character has chars[0] == (uint32_t)-1). */
static void vt_cell_from(struct vt_cell *out, const VTermScreenCell *c)
{
	memset(out, 0, sizeof *out);
	out->width = c->width == 2 ? 2 : 1;
	if (c->chars[0] == (uint32_t)-1) {
		out->width = 0;
	} else if (c->chars[0]) {
		out->chars[0] = vt_clean(c->chars[0]);
		for (int i = 1, k = 1; i < VTERM_MAX_CHARS_PER_CELL && c->chars[i]; i++)
			if (vt_clean(c->chars[i]) == c->chars[i])
				out->chars[k++] = c->chars[i];
	}
	out->attrs = (uint8_t)((c->attrs.bold ? VT_BOLD : 0) | (c->attrs.underline ? VT_UNDERLINE : 0) |
			       (c->attrs.italic ? VT_ITALIC : 0) | (c->attrs.blink ? VT_BLINK : 0) |
			       (c->attrs.reverse ? VT_REVERSE : 0) | (c->attrs.strike ? VT_STRIKE : 0));
	out->fg = vt_color_from(&c->fg, true);
	out->bg = vt_color_from(&c->bg, false);
}

/* Converts a cell back to libvterm's form; every cell gets a width of at least 1 (libvterm steps by it). */
static void vt_cell_to(const struct vt *vt, VTermScreenCell *out, const struct vt_cell *c)
{
	memset(out, 0, sizeof *out);
	if (c->width != 0)
		memcpy(out->chars, c->chars, sizeof out->chars);
	out->width = (char)(c->width == 2 ? 2 : 1);
	out->attrs.bold = !!(c->attrs & VT_BOLD);
	out->attrs.underline = !!(c->attrs & VT_UNDERLINE);
	out->attrs.italic = !!(c->attrs & VT_ITALIC);
	out->attrs.blink = !!(c->attrs & VT_BLINK);
	out->attrs.reverse = !!(c->attrs & VT_REVERSE);
	out->attrs.strike = !!(c->attrs & VT_STRIKE);
	out->fg = vt_color_to(vt, &c->fg, true);
	out->bg = vt_color_to(vt, &c->bg, false);
}

/* Whether a libvterm cell shows nothing: blank, no reverse or underline, default background. */
static bool vt_blank(const VTermScreenCell *c)
{
	return (c->chars[0] == 0 || c->chars[0] == ' ') && !c->attrs.reverse && !c->attrs.underline &&
	       VTERM_COLOR_IS_DEFAULT_BG(&c->bg);
}

/* Makes the scratch line at least n cells wide; false when out of memory. */
static bool vt_scratch(struct vt *vt, int n)
{
	if (n <= vt->cells_cap)
		return true;
	struct vt_cell *p = realloc(vt->cells, (size_t)n * sizeof *p);
	if (!p)
		return false;
	vt->cells = p;
	vt->cells_cap = n;
	return true;
}

/* libvterm damage: marks the rows dirty (nothing is drawn here). */
static int vt_on_damage(VTermRect r, void *user)
{
	struct vt *vt = user;
	for (int row = r.start_row < 0 ? 0 : r.start_row; row < r.end_row && row < vt->rows; row++)
		vt->dirty[row] = 1;
	vt->changed = true;
	return 1;
}

/* libvterm cursor movement: records the position and visibility. */
static int vt_on_movecursor(VTermPos pos, VTermPos oldpos, int visible, void *user)
{
	(void)oldpos;
	struct vt *vt = user;
	vt->cursor = pos;
	vt->cursor_visible = visible;
	vt->changed = true;
	return 1;
}

/* Copies a title, keeping valid UTF-8 without control characters; NULL when out of memory. */
static char *vt_clean_title(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq_len(p);
		const unsigned char *q = p;
		if (n == 0) {
			p++;
			continue;
		}
		if (vt_clean(vt_utf8_get(&q)) != 0xFFFD || (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] == 0xBD))
			memcpy(o, p, n), o += n;
		p = q;
	}
	*o = '\0';
	return out;
}

/* libvterm terminal properties: the title, cursor visibility and the alternate screen are recorded. */
static int vt_on_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct vt *vt = user;
	if (prop == VTERM_PROP_TITLE && val->string) {
		char *t = vt_clean_title(val->string);
		if (t) {
			free(vt->title);
			vt->title = t;
		}
	} else if (prop == VTERM_PROP_CURSORVISIBLE) {
		vt->cursor_visible = val->boolean;
	} else if (prop == VTERM_PROP_ALTSCREEN) {
		vt->altscreen = val->boolean;
	}
	vt->changed = true;
	return 1;
}

/* libvterm scrolled a line off the top: it goes to the scrollback, trimmed of trailing blanks. */
static int vt_on_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct vt *vt = user;
	int n = cols;
	while (n > 0 && vt_blank(&cells[n - 1]))
		n--;
	if (!vt_scratch(vt, n))
		return 0;
	for (int i = 0; i < n; i++)
		vt_cell_from(&vt->cells[i], &cells[i]);
	vt_scrollback_push(&vt->back, vt->cells, n);
	return 1;
}

/* libvterm wants the newest scrollback line back (the screen grew taller); 0 when there is none. */
static int vt_on_popline(int cols, VTermScreenCell *cells, void *user)
{
	struct vt *vt = user;
	if (!vt_scratch(vt, cols) || !vt_scrollback_pop(&vt->back, vt->cells, cols))
		return 0;
	for (int i = 0; i < cols; i++)
		vt_cell_to(vt, &cells[i], &vt->cells[i]);
	return 1;
}

/* libvterm output (key sequences, answers to queries): queued for the child. */
static void vt_on_output(const char *s, size_t len, void *user)
{
	struct vt *vt = user;
	vt_pty_queue(&vt->pty, s, len);
}

static const VTermScreenCallbacks vt_callbacks = {
	.damage = vt_on_damage,
	.movecursor = vt_on_movecursor,
	.settermprop = vt_on_settermprop,
	.sb_pushline = vt_on_pushline,
	.sb_popline = vt_on_popline,
};

/* Releases everything of a vt whose child is already dealt with. */
static void vt_destroy(struct vt *vt)
{
	if (vt->term)
		vterm_free(vt->term);
	vt_scrollback_free(&vt->back);
	vt_flood_free(&vt->flood);
	free(vt->dirty);
	free(vt->title);
	free(vt->cells);
	free(vt->line);
	free(vt);
}

/* Starts argv (searched in PATH) on a new rows x cols terminal in cwd (NULL: ours) with TERM=VT_TERM and env's
 * changes to our environment (NAME=VALUE sets, a bare NAME unsets), keeping up to scrollback lines. NULL with
 * errno set when the PTY or the exec failed (ENOENT: no such command). */
struct vt *vt_spawn(const char *const argv[], int rows, int cols, const char *cwd, const char *const env[],
		    int scrollback)
{
	if (rows < 1 || cols < 1 || rows > 0xFFFF || cols > 0xFFFF || scrollback < 0) {
		errno = EINVAL;
		return NULL;
	}
	struct vt *vt = calloc(1, sizeof *vt);
	if (!vt)
		return NULL;
	vt->pty.fd = -1;
	vt->rows = rows;
	vt->cols = cols;
	vt->cursor_visible = true;
	vt->dirty = calloc((size_t)rows, 1);
	vt->term = vterm_new(rows, cols);
	vt_flood_init(&vt->flood, rows, cols);
	if (!vt_scrollback_init(&vt->back, (size_t)scrollback) || !vt->dirty || !vt->term) {
		vt_destroy(vt);
		errno = ENOMEM;
		return NULL;
	}
	vterm_set_utf8(vt->term, 1);
	vterm_output_set_callback(vt->term, vt_on_output, vt);
	vt->screen = vterm_obtain_screen(vt->term);
	vterm_screen_set_callbacks(vt->screen, &vt_callbacks, vt);
	vterm_screen_set_damage_merge(vt->screen, VTERM_DAMAGE_SCROLL);
	vterm_screen_enable_altscreen(vt->screen, 1);
	vterm_screen_reset(vt->screen, 1);
	vterm_state_get_default_colors(vterm_obtain_state(vt->term), &vt->default_fg, &vt->default_bg);
	vt->default_fg.type |= VTERM_COLOR_DEFAULT_FG;
	vt->default_bg.type |= VTERM_COLOR_DEFAULT_BG;
	int err = vt_pty_spawn(&vt->pty, argv, rows, cols, cwd, env);
	if (err) {
		vt_destroy(vt);
		errno = -err;
		return NULL;
	}
	return vt;
}

/* Closes the pane: hangs up the PTY, sends SIGHUP to the child process (a `tmux attach` client detaches and
 * its session lives on), reaps it if it leaves within a moment, and frees everything. */
void vt_free(struct vt *vt)
{
	if (!vt)
		return;
	vt_pty_close(&vt->pty);
	vt_destroy(vt);
}

/* The master descriptor to poll (POLLIN, and POLLOUT while vt_wants_write), or -1 after EOF. */
int vt_fd(const struct vt *vt)
{
	return vt->pty.fd;
}

/* The child's process id. */
int vt_pid(const struct vt *vt)
{
	return vt->pty.pid;
}

/* Whether the screen is in the state the fast path assumes: main screen, plain modes (vt_scan: no scroll region,
 * ASCII character set), default pen, the cursor at the start of an empty last row. */
static bool vt_plain_ready(struct vt *vt)
{
	if (vt->altscreen || !vt_scan_plain(&vt->scan))
		return false;
	VTermState *st = vterm_obtain_state(vt->term);
	VTermPos pos;
	vterm_state_get_cursorpos(st, &pos);
	if (pos.row != vt->rows - 1 || pos.col != 0)
		return false;
	static const VTermAttr bools[] = {VTERM_ATTR_BOLD, VTERM_ATTR_ITALIC, VTERM_ATTR_BLINK, VTERM_ATTR_REVERSE,
					  VTERM_ATTR_STRIKE};
	static const VTermAttr numbers[] = {VTERM_ATTR_UNDERLINE, VTERM_ATTR_FONT};
	VTermValue v;
	for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
		if (!vterm_state_get_penattr(st, bools[i], &v) || v.boolean)
			return false;
	for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
		if (!vterm_state_get_penattr(st, numbers[i], &v) || v.number)
			return false;
	if (!vterm_state_get_penattr(st, VTERM_ATTR_FOREGROUND, &v) || !VTERM_COLOR_IS_DEFAULT_FG(&v.color) ||
	    !vterm_state_get_penattr(st, VTERM_ATTR_BACKGROUND, &v) || !VTERM_COLOR_IS_DEFAULT_BG(&v.color))
		return false;
	for (int col = 0; col < vt->cols; col++) {
		VTermScreenCell c;
		vterm_screen_get_cell(vt->screen, (VTermPos){.row = vt->rows - 1, .col = col}, &c);
		if (c.chars[0] && c.chars[0] != ' ')
			return false;
	}
	return true;
}

/* Pushes the rows above the cursor's to the scrollback, as libvterm does when they scroll off; false when out
 * of memory. */
static bool vt_push_screen(struct vt *vt)
{
	VTermScreenCell *row = realloc(vt->line, sizeof *row * (size_t)vt->cols);
	if (!row)
		return false;
	vt->line = row;
	for (int r = 0; r < vt->rows - 1; r++) {
		for (int col = 0; col < vt->cols; col++)
			vterm_screen_get_cell(vt->screen, (VTermPos){.row = r, .col = col}, &row[col]);
		vt_on_pushline(vt->cols, row, vt);
	}
	return true;
}

/* Gives libvterm the plain lines held back (vt_flood), leaving the screen and the scrollback as feeding them
 * would have: after the rows on screen went to the scrollback, a cleared screen and the lines held; otherwise
 * one scroll by their number (libvterm pushes the rows that leave) and the lines above the cursor's row. Then
 * the unfinished line. Call it before anything reads the screen or feeds libvterm. */
static void vt_sync(struct vt *vt)
{
	struct vt_flood *fl = &vt->flood;
	if (!vt_flood_pending(fl))
		return;
	if (fl->screen_gone) {
		vterm_input_write(vt->term, "\033[H\033[2J", 7);
		memset(vt->dirty, 1, (size_t)vt->rows);
	} else if (fl->n > 0) {
		char seq[64];
		int n = snprintf(seq, sizeof seq, "\033[%dS\033[%d;1H", fl->n, vt->rows - fl->n);
		vterm_input_write(vt->term, seq, (size_t)n);
	}
	for (int i = 0; i < fl->n; i++) {
		int len;
		const char *line = vt_flood_line(fl, i, &len);
		vterm_input_write(vt->term, line, (size_t)len);
		vterm_input_write(vt->term, "\r\n", 2);
	}
	vterm_input_write(vt->term, fl->part, (size_t)fl->part_len);
	vt_flood_clear(fl);
	vterm_screen_flush_damage(vt->screen);
	vt->changed = true;
}

/* The fast path for plain lines (`seq`, logs; docs/terminal-panes.md): libvterm 0.1.4 moves its whole screen for
 * every line that scrolls, so while the terminal is in the state plain output assumes, plain lines are taken
 * into vt_flood instead and reach libvterm only at the next vt_sync. The end of a line that an earlier read
 * began is fed the usual way first. Returns the bytes of b taken. */
static size_t vt_plain_take(struct vt *vt, const char *b, size_t n)
{
	struct vt_flood *fl = &vt->flood;
	size_t off = 0;
	if (fl->cap == 0)
		return 0;
	if (!vt_flood_pending(fl) && !vt_plain_ready(vt)) {
		off = vt_flood_head(b, n);
		if (off == 0)
			return 0;
		vt_scan_feed(&vt->scan, b, off);
		vterm_input_write(vt->term, b, off);
		if (off == n || !vt_plain_ready(vt))
			return off;
	}
	for (;;) {
		off += vt_flood_take(fl, &vt->back, b + off, n - off);
		if (!fl->wants_screen || !vt_push_screen(vt))
			break;
		fl->screen_gone = true;
	}
	vt->changed = vt->changed || off > 0;
	return off;
}

/* Feeds in[0, len) to libvterm, keeping back an unfinished string sequence unless final or too long. */
static void vt_feed(struct vt *vt, size_t len, bool final)
{
	size_t hold = final ? len : vt_scan_open_string(vt->in, len);
	if (len - hold > VT_STRING_HOLD)
		hold = len;
	size_t fast = vt_plain_take(vt, vt->in, hold);
	if (fast < hold) {
		vt_sync(vt);
		vt_scan_feed(&vt->scan, vt->in + fast, hold - fast);
		vterm_input_write(vt->term, vt->in + fast, hold - fast);
	}
	memmove(vt->in, vt->in + hold, len - hold);
	vt->carry = len - hold;
}

/* Reads what the child wrote (without blocking, for at most about VT_PUMP_NS) into the terminal. Returns
 * VT_CHANGED when there is something to redraw, VT_EOF once the child's side is closed (then vt_fd() is -1;
 * call vt_reap() until the exit status is known). */
int vt_pump(struct vt *vt)
{
	vt->changed = false;
	struct timespec start, now;
	clock_gettime(CLOCK_MONOTONIC, &start);
	size_t have = vt->carry;
	while (vt->pty.fd >= 0) {
		ssize_t n = read(vt->pty.fd, vt->in + have, sizeof vt->in - have);
		if (n > 0) {
			have += (size_t)n;
			if (have + VT_READ_SIZE / 4 < sizeof vt->in)
				continue; /* gather a burst: one feed for many small reads */
			vt_feed(vt, have, false);
			have = vt->carry;
			clock_gettime(CLOCK_MONOTONIC, &now);
			if ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) > VT_PUMP_NS)
				break;
		} else if (n < 0 && errno == EINTR) {
			continue;
		} else if (n < 0 && errno == EAGAIN) {
			break;
		} else {
			vt_feed(vt, have, true);
			have = vt->carry;
			vt_pty_hangup(&vt->pty);
			vt_pty_reap(&vt->pty);
			vt->eof = true;
			vt->changed = true;
		}
	}
	if (have > vt->carry)
		vt_feed(vt, have, false);
	vterm_screen_flush_damage(vt->screen);
	vt_pty_flush(&vt->pty);
	return (vt->changed ? VT_CHANGED : 0) | (vt->eof ? VT_EOF : 0);
}

/* Sends raw bytes (typed or pasted) to the child; false if they were dropped (child gone, queue full).
 * Never blocks: what the child does not take now stays queued (see vt_wants_write). */
bool vt_input_bytes(struct vt *vt, const char *buf, size_t len)
{
	bool ok = vt_pty_queue(&vt->pty, buf, len);
	vt_pty_flush(&vt->pty);
	return ok;
}

/* ncurses key codes (is_code: wget_wch returned KEY_CODE_YES) and their terminal keys. */
static const struct {
	int key;
	VTermKey vkey;
	VTermModifier mod;
} vt_keys[] = {
	{ KEY_UP, VTERM_KEY_UP, VTERM_MOD_NONE },
	{ KEY_DOWN, VTERM_KEY_DOWN, VTERM_MOD_NONE },
	{ KEY_LEFT, VTERM_KEY_LEFT, VTERM_MOD_NONE },
	{ KEY_RIGHT, VTERM_KEY_RIGHT, VTERM_MOD_NONE },
	{ KEY_HOME, VTERM_KEY_HOME, VTERM_MOD_NONE },
	{ KEY_END, VTERM_KEY_END, VTERM_MOD_NONE },
	{ KEY_PPAGE, VTERM_KEY_PAGEUP, VTERM_MOD_NONE },
	{ KEY_NPAGE, VTERM_KEY_PAGEDOWN, VTERM_MOD_NONE },
	{ KEY_DC, VTERM_KEY_DEL, VTERM_MOD_NONE },
	{ KEY_IC, VTERM_KEY_INS, VTERM_MOD_NONE },
	{ KEY_BACKSPACE, VTERM_KEY_BACKSPACE, VTERM_MOD_NONE },
	{ KEY_ENTER, VTERM_KEY_ENTER, VTERM_MOD_NONE },
	{ KEY_BTAB, VTERM_KEY_TAB, VTERM_MOD_SHIFT },
	{ KEY_SR, VTERM_KEY_UP, VTERM_MOD_SHIFT },
	{ KEY_SF, VTERM_KEY_DOWN, VTERM_MOD_SHIFT },
	{ KEY_SLEFT, VTERM_KEY_LEFT, VTERM_MOD_SHIFT },
	{ KEY_SRIGHT, VTERM_KEY_RIGHT, VTERM_MOD_SHIFT },
	{ KEY_SHOME, VTERM_KEY_HOME, VTERM_MOD_SHIFT },
	{ KEY_SEND, VTERM_KEY_END, VTERM_MOD_SHIFT },
	{ KEY_SPREVIOUS, VTERM_KEY_PAGEUP, VTERM_MOD_SHIFT },
	{ KEY_SNEXT, VTERM_KEY_PAGEDOWN, VTERM_MOD_SHIFT },
	{ KEY_SDC, VTERM_KEY_DEL, VTERM_MOD_SHIFT },
	{ KEY_SIC, VTERM_KEY_INS, VTERM_MOD_SHIFT },
};

/* Sends one key from wget_wch() (is_code: it returned KEY_CODE_YES) through libvterm's keyboard, so modes such
 * as application cursor keys are honoured. F1-F12 are plain, F13-F24 shifted, F25-F36 with Ctrl (ncurses'
 * xterm convention). False for a key it does not know or when the input was dropped. */
bool vt_input_key(struct vt *vt, int key, bool is_code)
{
	if (vt->pty.fd < 0)
		return false;
	if (!is_code) {
		if (key < 0 || key > 0x10FFFF || (key >= 0xD800 && key < 0xE000))
			return false;
		if (key == '\r' || key == '\n')
			vterm_keyboard_key(vt->term, VTERM_KEY_ENTER, VTERM_MOD_NONE);
		else if (key == '\t')
			vterm_keyboard_key(vt->term, VTERM_KEY_TAB, VTERM_MOD_NONE);
		else if (key == 0x7f)
			vterm_keyboard_key(vt->term, VTERM_KEY_BACKSPACE, VTERM_MOD_NONE);
		else if (key == 0x1b)
			vterm_keyboard_key(vt->term, VTERM_KEY_ESCAPE, VTERM_MOD_NONE);
		else if (key < 0x20)
			return vt_input_bytes(vt, &(char){ (char)key }, 1);
		else
			vterm_keyboard_unichar(vt->term, (uint32_t)key, VTERM_MOD_NONE);
	} else if (key >= KEY_F(1) && key <= KEY_F(36)) {
		int n = key - KEY_F(1);
		static const VTermModifier mods[] = { VTERM_MOD_NONE, VTERM_MOD_SHIFT, VTERM_MOD_CTRL };
		vterm_keyboard_key(vt->term, VTERM_KEY_FUNCTION(n % 12 + 1), mods[n / 12]);
	} else {
		size_t i = 0;
		while (i < sizeof vt_keys / sizeof vt_keys[0] && vt_keys[i].key != key)
			i++;
		if (i == sizeof vt_keys / sizeof vt_keys[0])
			return false;
		vterm_keyboard_key(vt->term, vt_keys[i].vkey, vt_keys[i].mod);
	}
	vt_pty_flush(&vt->pty);
	return true;
}

/* Whether input is queued that the child has not taken yet (poll the fd for POLLOUT, then vt_flush). */
bool vt_wants_write(const struct vt *vt)
{
	return vt->pty.fd >= 0 && vt->pty.off < vt->pty.len;
}

/* Writes queued input, as much as the child takes without blocking. */
void vt_flush(struct vt *vt)
{
	vt_pty_flush(&vt->pty);
}

/* Resizes the terminal and tells the child (SIGWINCH). Shrinking pushes the top lines to the scrollback,
 * growing pulls them back (libvterm 0.1.4 does not reflow). Every row becomes dirty. */
void vt_resize(struct vt *vt, int rows, int cols)
{
	if (rows < 1 || cols < 1 || rows > 0xFFFF || cols > 0xFFFF || (rows == vt->rows && cols == vt->cols))
		return;
	vt_sync(vt);
	unsigned char *dirty = realloc(vt->dirty, (size_t)rows);
	if (!dirty)
		return;
	vt->dirty = dirty;
	vt_flood_init(&vt->flood, rows, cols);
	vt->rows = rows;
	vt->cols = cols;
	vterm_set_size(vt->term, rows, cols);
	vterm_screen_flush_damage(vt->screen);
	memset(vt->dirty, 1, (size_t)rows);
	vt->changed = true;
	vt_pty_resize(&vt->pty, rows, cols);
}

/* The terminal's size. */
void vt_size(const struct vt *vt, int *rows, int *cols)
{
	*rows = vt->rows;
	*cols = vt->cols;
}

/* One flag per screen row (vt_size rows): non-zero when the row changed since vt_clear_dirty. */
const unsigned char *vt_dirty_rows(struct vt *vt)
{
	vt_sync(vt);
	return vt->dirty;
}

/* Marks every row clean (after drawing). */
void vt_clear_dirty(struct vt *vt)
{
	memset(vt->dirty, 0, (size_t)vt->rows);
}

/* The cursor position on the screen; false when the child hid the cursor. */
bool vt_cursor(struct vt *vt, int *row, int *col)
{
	vt_sync(vt);
	*row = vt->cursor.row;
	*col = vt->cursor.col;
	return vt->cursor_visible;
}

/* The title the child set (OSC 0/2), UTF-8 without control characters; "" if none. */
const char *vt_title(const struct vt *vt)
{
	return vt->title ? vt->title : "";
}

/* Reaps the child if it has exited (never waits); true once it has. Call it on SIGCHLD or periodically. */
bool vt_reap(struct vt *vt)
{
	return vt_pty_reap(&vt->pty);
}

/* Whether the child has exited (and was reaped). */
bool vt_exited(const struct vt *vt)
{
	return vt->pty.exited;
}

/* The child's wait status once exited (use WIFEXITED and friends); -1 if someone else reaped it. */
int vt_wait_status(const struct vt *vt)
{
	return vt->pty.status;
}

/* Describes the child's state: "running", "exited (status N)", "killed (signal N)" or "exited". */
void vt_state_text(const struct vt *vt, char *buf, size_t len)
{
	int st = vt->pty.status;
	if (!vt->pty.exited)
		snprintf(buf, len, "running");
	else if (st != -1 && WIFEXITED(st))
		snprintf(buf, len, "exited (status %d)", WEXITSTATUS(st));
	else if (st != -1 && WIFSIGNALED(st))
		snprintf(buf, len, "killed (signal %d)", WTERMSIG(st));
	else
		snprintf(buf, len, "exited");
}

/* Lines that can be scrolled back to: none while a full-screen program uses the alternate screen. */
int vt_scrollback(struct vt *vt)
{
	vt_sync(vt);
	return vt->altscreen ? 0 : (int)vt->back.count;
}

/* Lines pushed to the scrollback so far (minus those pulled back): a scrolled view adds the growth to its
 * offset to stay on the same text. */
size_t vt_pushed(struct vt *vt)
{
	vt_sync(vt);
	return vt->back.pushed;
}

/* Encoded bytes the scrollback holds (without the allocator's overhead). */
size_t vt_scrollback_bytes(struct vt *vt)
{
	vt_sync(vt);
	return vt->back.bytes;
}

/* The cell at (row, col) of the view scrolled back offset lines (0: the live screen; rows above offset come
 * from the scrollback). Outside the terminal, a blank cell. */
void vt_cell(struct vt *vt, int row, int col, int offset, struct vt_cell *cell)
{
	vt_sync(vt);
	memset(cell, 0, sizeof *cell);
	cell->width = 1;
	if (row < 0 || row >= vt->rows || col < 0 || col >= vt->cols)
		return;
	int max = vt_scrollback(vt);
	offset = offset < 0 ? 0 : offset > max ? max : offset;
	if (row < offset) {
		const struct vt_cell *line = vt_scrollback_line(&vt->back, (size_t)(offset - row), vt->cols);
		if (line)
			*cell = line[col];
		return;
	}
	VTermScreenCell c;
	if (vterm_screen_get_cell(vt->screen, (VTermPos){ .row = row - offset, .col = col }, &c))
		vt_cell_from(cell, &c);
}

/* The text from (row0, col0) to (row1, col1), both included, of the view scrolled back offset lines: rows
 * joined with '\n', trailing blanks trimmed, no control characters. Returns a malloc'd string. */
char *vt_text(struct vt *vt, int row0, int col0, int row1, int col1, int offset)
{
	if (row0 > row1 || (row0 == row1 && col0 > col1)) {
		int r = row0, c = col0;
		row0 = row1, col0 = col1, row1 = r, col1 = c;
	}
	struct sb out;
	sb_init(&out);
	for (int row = row0 < 0 ? 0 : row0; row <= row1 && row < vt->rows; row++) {
		int from = row == row0 ? col0 : 0, to = row == row1 ? col1 : vt->cols - 1;
		size_t start = out.len;
		for (int col = from < 0 ? 0 : from; col <= to && col < vt->cols; col++) {
			struct vt_cell c;
			vt_cell(vt, row, col, offset, &c);
			for (int k = 0; c.width && k < VT_MAX_CHARS && (k == 0 || c.chars[k]); k++) {
				unsigned char u[4];
				sb_addn(&out, (const char *)u, vt_utf8_put(c.chars[k] ? c.chars[k] : ' ', u));
			}
		}
		while (out.len > start && out.buf[out.len - 1] == ' ')
			out.buf[--out.len] = '\0';
		if (row < row1 && row + 1 < vt->rows)
			sb_addc(&out, '\n');
	}
	return sb_take(&out);
}
