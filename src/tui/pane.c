/* Drawing a pane terminal into a curses window (docs/terminal-panes.md, "Drawing"). */
#include "tui/pane.h"
#include "tui/vt_utf8.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

/* Starts drawing vt into win (header row + terminal rows); the first draw sizes the terminal to the window. */
void pane_init(struct pane *p, struct vt *vt, WINDOW *win, bool no_color)
{
	memset(p, 0, sizeof *p);
	p->vt = vt;
	p->win = win;
	p->no_color = no_color;
	p->pushed = vt_pushed(vt);
	p->full = true;
}

/* Moves the pane to another window (after a layout change); the next draw resizes the terminal and redraws. */
void pane_set_window(struct pane *p, WINDOW *win)
{
	p->win = win;
	p->full = true;
}

/* The RGB value of a 256-colour palette index (xterm's palette). */
static void pane_palette_rgb(int i, int *r, int *g, int *b)
{
	static const unsigned char base[16][3] = {
		{ 0, 0, 0 },	   { 205, 0, 0 },   { 0, 205, 0 },   { 205, 205, 0 },
		{ 0, 0, 238 },	   { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 },   { 0, 255, 0 },   { 255, 255, 0 },
		{ 92, 92, 255 },   { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	if (i < 16) {
		*r = base[i][0], *g = base[i][1], *b = base[i][2];
	} else if (i < 232) {
		*r = level[(i - 16) / 36], *g = level[(i - 16) / 6 % 6], *b = level[(i - 16) % 6];
	} else {
		*r = *g = *b = 8 + 10 * (i - 232);
	}
}

/* The nearest xterm 256-colour index (6x6x6 cube or grey ramp) to an RGB value. */
static int pane_nearest256(int r, int g, int b)
{
	int rgb[3] = { r, g, b }, idx[3], best = 16;
	for (int k = 0; k < 3; k++)
		idx[k] = rgb[k] < 48 ? 0 : rgb[k] < 115 ? 1 : (rgb[k] - 35) / 40;
	best = 16 + 36 * idx[0] + 6 * idx[1] + idx[2];
	int grey = (r + g + b) / 3;
	int gi = grey < 8 ? 0 : grey > 238 ? 23 : (grey - 3) / 10;
	int cr, cg, cb, gv = 8 + 10 * gi;
	pane_palette_rgb(best, &cr, &cg, &cb);
	long dc = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) + (long)(cb - b) * (cb - b);
	long dg = (long)(gv - r) * (gv - r) + (long)(gv - g) * (gv - g) + (long)(gv - b) * (gv - b);
	return dg < dc ? 232 + gi : best;
}

/* The curses colour for a cell colour: -1 for the default, the index when the terminal has it, otherwise the
 * nearest colour it has (direct-colour terminals get the RGB value itself). */
static int pane_color(const struct vt_color *c)
{
	if (c->kind == VT_COLOR_DEFAULT)
		return -1;
	if (c->kind == VT_COLOR_INDEX && (c->index < COLORS && (c->index < 8 || COLORS <= 256)))
		return c->index;
	int r = c->r, g = c->g, b = c->b;
	if (c->kind == VT_COLOR_INDEX)
		pane_palette_rgb(c->index, &r, &g, &b);
	if (COLORS >= 0x1000000)
		return (r << 16) | (g << 8) | b;
	if (COLORS >= 256)
		return pane_nearest256(r, g, b);
	return (r >= 128) | (g >= 128) << 1 | (b >= 128) << 2;
}

/* The colour pair for a cell's colours (0, the default pair, without colour); a one-entry cache saves
 * alloc_pair lookups along runs of equal colours. */
static int pane_pair(struct pane *p, const struct vt_cell *c)
{
	if (p->no_color || !has_colors())
		return 0;
	int fg = pane_color(&c->fg), bg = pane_color(&c->bg);
	if (fg == -1 && bg == -1)
		return 0;
	if (!p->pair_ok || fg != p->pair_fg || bg != p->pair_bg) {
		int pair = alloc_pair(fg, bg);
		p->pair = pair < 0 ? 0 : pair;
		p->pair_fg = fg;
		p->pair_bg = bg;
		p->pair_ok = true;
	}
	return p->pair;
}

/* Draws one terminal row (view row r) at window row 1 + r. */
static void pane_draw_row(struct pane *p, int r, int cols)
{
	for (int col = 0; col < cols; col++) {
		struct vt_cell c;
		vt_cell(p->vt, r, col, p->offset, &c);
		if (c.width == 0)
			continue;
		wchar_t wch[CCHARW_MAX + 1];
		int n = 0;
		wch[n++] = c.chars[0] ? (wchar_t)c.chars[0] : L' ';
		for (int k = 1; k < VT_MAX_CHARS && c.chars[k] && n < CCHARW_MAX; k++)
			wch[n++] = (wchar_t)c.chars[k];
		wch[n] = L'\0';
		/* Where the locale disagrees with libvterm on the width, draw '?' and pad. */
		bool fallback = wcwidth(wch[0]) != c.width;
		if (fallback)
			wch[0] = L'?', wch[1] = L'\0';
		attr_t a = ((c.attrs & VT_BOLD) ? A_BOLD : 0) | ((c.attrs & VT_UNDERLINE) ? A_UNDERLINE : 0) |
			   ((c.attrs & VT_ITALIC) ? A_ITALIC : 0) | ((c.attrs & VT_BLINK) ? A_BLINK : 0) |
			   ((c.attrs & VT_REVERSE) ? A_REVERSE : 0);
		int pair = pane_pair(p, &c);
		cchar_t cc;
		if (setcchar(&cc, wch, a, 0, &pair) == ERR) {
			wch[1] = L'\0';
			setcchar(&cc, wch, a, 0, &pair);
		}
		mvwadd_wch(p->win, 1 + r, col, &cc);
		if (fallback && c.width == 2 && col + 1 < cols) {
			wchar_t sp[2] = { L' ', L'\0' };
			setcchar(&cc, sp, a, 0, &pair);
			mvwadd_wch(p->win, 1 + r, col + 1, &cc);
		}
	}
}

/* Draws UTF-8 text at (y, x) in at most maxw columns with attributes a: invalid bytes and control characters
 * show as '?', zero-width characters are skipped. Returns the columns used. */
static int pane_text(WINDOW *win, int y, int x, int maxw, const char *s, attr_t a)
{
	int used = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_seq_len(p);
		wchar_t wc = L'?';
		if (n) {
			const unsigned char *q = p;
			uint32_t cp = vt_utf8_get(&q);
			if (cp >= 0x20 && !(cp >= 0x7F && cp < 0xA0))
				wc = (wchar_t)cp;
		}
		p += n ? n : 1;
		int cw = wcwidth(wc);
		if (cw == 0)
			continue;
		if (cw < 0)
			wc = L'?', cw = 1;
		if (used + cw > maxw)
			break;
		wchar_t str[2] = { wc, L'\0' };
		cchar_t cc;
		setcchar(&cc, str, a, 0, NULL);
		mvwadd_wch(win, y, x + used, &cc);
		used += cw;
	}
	return used;
}

/* Draws the header row: the caller's title and the child's, then the scroll position and the state. */
static void pane_draw_header(struct pane *p, const char *title, bool focused, int w)
{
	attr_t a = focused ? A_REVERSE | A_BOLD : A_REVERSE;
	char right[64], state[40];
	vt_state_text(p->vt, state, sizeof state);
	if (p->offset > 0)
		snprintf(right, sizeof right, "[+%d] %s ", p->offset, state);
	else
		snprintf(right, sizeof right, "%s ", state);
	mvwhline(p->win, 0, 0, ' ' | a, w);
	int rw = (int)strlen(right), left = w - rw - 1;
	int x = 1;
	x += pane_text(p->win, 0, x, left - x, title ? title : "", a);
	if (*vt_title(p->vt) && x + 3 < left) {
		x += pane_text(p->win, 0, x, left - x, " - ", a);
		pane_text(p->win, 0, x, left - x, vt_title(p->vt), a);
	}
	pane_text(p->win, 0, w - rw < 0 ? 0 : w - rw, w, right, a);
}

/* Draws the pane: the header, then the terminal rows that changed (all of them after a resize or scroll).
 * The terminal is resized to the window first, and a child whose PTY is closed is reaped so the header can say
 * how it ended. When focused and the cursor is to be shown, moves the window's cursor there and returns true
 * (the caller shows the cursor and refreshes this window last). */
bool pane_draw(struct pane *p, const char *title, bool focused)
{
	int h = getmaxy(p->win), w = getmaxx(p->win), rows, cols;
	if (h < 2 || w < 1)
		return false;
	if (vt_fd(p->vt) < 0)
		vt_reap(p->vt);
	vt_size(p->vt, &rows, &cols);
	if (rows != h - 1 || cols != w) {
		vt_resize(p->vt, h - 1, w);
		vt_size(p->vt, &rows, &cols);
		p->full = true;
	}
	size_t pushed = vt_pushed(p->vt);
	if (p->offset > 0 && pushed != p->pushed) {
		p->offset += (int)((long)pushed - (long)p->pushed);
		p->full = true;
	}
	p->pushed = pushed;
	int max = vt_scrollback(p->vt);
	p->offset = p->offset < 0 ? 0 : p->offset > max ? max : p->offset;
	pane_draw_header(p, title, focused, w);
	const unsigned char *dirty = vt_dirty_rows(p->vt);
	p->pair_ok = false;
	for (int r = 0; r < rows && r < h - 1; r++)
		if (p->full || (r >= p->offset && dirty[r - p->offset]))
			pane_draw_row(p, r, cols < w ? cols : w);
	vt_clear_dirty(p->vt);
	p->full = false;
	int cy, cx;
	if (!focused || p->offset > 0 || vt_fd(p->vt) < 0 || !vt_cursor(p->vt, &cy, &cx))
		return false;
	wmove(p->win, 1 + cy, cx);
	return true;
}

/* Scrolls the view lines back (negative: forward), within the scrollback. */
void pane_scroll(struct pane *p, int lines)
{
	int max = vt_scrollback(p->vt);
	long off = (long)p->offset + lines;
	p->offset = off < 0 ? 0 : off > max ? max : (int)off;
	p->full = true;
}

/* Scrolls by pages (negative: forward); a page keeps one line of context. */
void pane_scroll_page(struct pane *p, int pages)
{
	int rows, cols;
	vt_size(p->vt, &rows, &cols);
	pane_scroll(p, pages * (rows > 1 ? rows - 1 : 1));
}

/* Scrolls to the oldest line kept. */
void pane_scroll_top(struct pane *p)
{
	pane_scroll(p, vt_scrollback(p->vt));
}

/* Returns to the live screen. */
void pane_scroll_bottom(struct pane *p)
{
	pane_scroll(p, -p->offset);
}
