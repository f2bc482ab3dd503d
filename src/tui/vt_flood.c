/* Plain lines held back from libvterm during a flood (docs/terminal-panes.md, "The plain-line fast path").
 *
 * A plain line is printable ASCII, at most a row wide, ending in CR LF. While the terminal is in the state such
 * output assumes (vt.c checks it: main screen, no scroll region, default pen, cursor at the start of an empty
 * last row), taking k plain lines means: the first k of (the rows above the cursor's, then the lines) scroll
 * into the scrollback, and the screen shows the rest. So the newest rows - 1 lines are held in a ring; when one
 * more arrives, the oldest goes to the scrollback as text — after the rows that were on screen, which vt.c
 * pushes when asked (wants_screen). vt.c hands what is held to libvterm only when something looks at the
 * screen or other output arrives. */
#include "tui/vt_flood.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for a rows x cols terminal, empty; with one row, or out of memory, there is no fast path (cap 0). */
void vt_flood_init(struct vt_flood *fl, int rows, int cols)
{
	vt_flood_free(fl);
	if (rows < 2)
		return;
	fl->text = malloc((size_t)(rows - 1) * (size_t)cols);
	fl->len = malloc((size_t)(rows - 1) * sizeof *fl->len);
	fl->part = malloc((size_t)cols);
	if (!fl->text || !fl->len || !fl->part) {
		vt_flood_free(fl);
		return;
	}
	fl->cap = rows - 1;
	fl->cols = cols;
}

/* Releases the ring (the struct stays usable, with no fast path). */
void vt_flood_free(struct vt_flood *fl)
{
	free(fl->text);
	free(fl->len);
	free(fl->part);
	memset(fl, 0, sizeof *fl);
}

/* Whether lines or an unfinished line are held that libvterm has not seen. */
bool vt_flood_pending(const struct vt_flood *fl)
{
	return fl->n > 0 || fl->part_len > 0;
}

/* The bytes through the first LF of b[0, n) when only printable ASCII and CR come before it (the end of a line
 * that an earlier read began), else 0. */
size_t vt_flood_head(const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b[i];
		if (c == '\n')
			return i + 1;
		if (c != '\r' && (c < 0x20 || c >= 0x7f))
			return 0;
	}
	return 0;
}

/* Ends the unfinished line: it joins the ring, and the oldest line held goes to the scrollback if it is full. */
static void flood_add(struct vt_flood *fl, struct vt_scrollback *back)
{
	if (fl->n == fl->cap) {
		vt_scrollback_push_text(back, fl->text + (size_t)fl->head * (size_t)fl->cols, fl->len[fl->head]);
		fl->head = fl->head + 1 == fl->cap ? 0 : fl->head + 1;
		fl->n--;
	}
	int slot = fl->head + fl->n;
	slot -= slot >= fl->cap ? fl->cap : 0;
	memcpy(fl->text + (size_t)slot * (size_t)fl->cols, fl->part, (size_t)fl->part_len);
	fl->len[slot] = fl->part_len;
	fl->n++;
	fl->part_len = 0;
}

/* Takes plain text from the start of b[0, n): printable ASCII extends the unfinished line (up to a row), CR LF
 * ends it. Stops at anything else, or (wants_screen) at a line that would push the rows once on screen, which
 * must reach the scrollback first. Returns the bytes taken. */
size_t vt_flood_take(struct vt_flood *fl, struct vt_scrollback *back, const char *b, size_t n)
{
	size_t i = 0;
	fl->wants_screen = false;
	while (i < n) {
		unsigned char c = (unsigned char)b[i];
		if (c >= 0x20 && c < 0x7f && fl->part_len < fl->cols) {
			fl->part[fl->part_len++] = (char)c;
			i++;
		} else if (c == '\r' && i + 1 < n && b[i + 1] == '\n') {
			if (fl->n == fl->cap && !fl->screen_gone) {
				fl->wants_screen = true;
				break;
			}
			flood_add(fl, back);
			i += 2;
		} else {
			break;
		}
	}
	return i;
}

/* The i-th line held, oldest first (i < n); *len gets its length. */
const char *vt_flood_line(const struct vt_flood *fl, int i, int *len)
{
	int slot = (fl->head + i) % fl->cap;
	*len = fl->len[slot];
	return fl->text + (size_t)slot * (size_t)fl->cols;
}

/* Forgets what is held (libvterm has been given it). */
void vt_flood_clear(struct vt_flood *fl)
{
	fl->head = fl->n = fl->part_len = 0;
	fl->screen_gone = fl->wants_screen = false;
}
