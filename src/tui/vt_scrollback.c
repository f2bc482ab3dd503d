/* Scrollback ring of a pane terminal, stored compactly (docs/terminal-panes.md, "Scrollback").
 *
 * A line is one malloc'd block: a 4-byte length, then tokens. A UTF-8 codepoint starts a new cell (a blank cell
 * is a space); bytes that never occur in UTF-8 mark the rest:
 *   HIST_PEN  + 9 bytes  the pen of the following cells: attrs, fg (kind, 3 bytes), bg (kind, 3 bytes);
 *   HIST_WIDE            the cell before is wide, and the next column is its right half (not stored);
 *   HIST_MARK + UTF-8    a combining mark added to the cell before.
 * Lines start with the default pen, so plain output is just its text. Trailing blank cells are trimmed by the
 * caller; an empty line stores no block at all. */
#include "tui/vt_scrollback.h"
#include "tui/vt_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define HIST_PEN 0xFF
#define HIST_WIDE 0xFE
#define HIST_MARK 0xFD
#define HIST_PEN_LEN 9
/* Encoded bytes one cell can need: a pen change, its character, its marks, the wide flag. */
#define HIST_CELL_MAX (1 + HIST_PEN_LEN + 4 + (VT_MAX_CHARS - 1) * 5 + 1)

/* Starts an empty ring that keeps at most cap lines; false when out of memory. */
bool vt_scrollback_init(struct vt_scrollback *hist, size_t cap)
{
	memset(hist, 0, sizeof *hist);
	hist->cap = cap;
	hist->lines = calloc(cap ? cap : 1, sizeof *hist->lines);
	return hist->lines != NULL;
}

/* Releases every line and the scratch buffers. */
void vt_scrollback_free(struct vt_scrollback *hist)
{
	for (size_t i = 0; i < hist->count; i++)
		free(hist->lines[(hist->head + i) % hist->cap]);
	free(hist->lines);
	free(hist->enc);
	free(hist->line);
	memset(hist, 0, sizeof *hist);
}

/* Whether two cells are drawn with the same pen. */
static bool scrollback_same_pen(const struct vt_cell *a, const struct vt_cell *b)
{
	return a->attrs == b->attrs && memcmp(&a->fg, &b->fg, sizeof a->fg) == 0 &&
	       memcmp(&a->bg, &b->bg, sizeof a->bg) == 0;
}

/* Writes a colour as its 4 pen bytes. */
static unsigned char *scrollback_put_color(unsigned char *p, const struct vt_color *c)
{
	p[0] = c->kind;
	p[1] = c->kind == VT_COLOR_RGB ? c->r : c->index;
	p[2] = c->kind == VT_COLOR_RGB ? c->g : 0;
	p[3] = c->kind == VT_COLOR_RGB ? c->b : 0;
	return p + 4;
}

/* Reads a colour from its 4 pen bytes. */
static const unsigned char *scrollback_get_color(const unsigned char *p, struct vt_color *c)
{
	memset(c, 0, sizeof *c);
	c->kind = p[0];
	if (c->kind == VT_COLOR_RGB) {
		c->r = p[1];
		c->g = p[2];
		c->b = p[3];
	} else if (c->kind == VT_COLOR_INDEX) {
		c->index = p[1];
	}
	return p + 4;
}

/* Encodes n cells into the scratch buffer; returns the encoded length. */
static size_t scrollback_encode(struct vt_scrollback *hist, const struct vt_cell *cells, int n)
{
	size_t need = (size_t)n * HIST_CELL_MAX;
	if (need > hist->enc_cap) {
		unsigned char *p = realloc(hist->enc, need);
		if (!p)
			return 0;
		hist->enc = p;
		hist->enc_cap = need;
	}
	struct vt_cell pen = { 0 };
	unsigned char *p = hist->enc;
	for (int i = 0; i < n; i++) {
		const struct vt_cell *c = &cells[i];
		if (c->width == 0)
			continue;
		if (!scrollback_same_pen(c, &pen)) {
			*p++ = HIST_PEN;
			*p++ = c->attrs;
			p = scrollback_put_color(p, &c->fg);
			p = scrollback_put_color(p, &c->bg);
			pen = *c;
		}
		p += vt_utf8_put(c->chars[0] ? c->chars[0] : ' ', p);
		for (int k = 1; k < VT_MAX_CHARS && c->chars[k]; k++) {
			*p++ = HIST_MARK;
			p += vt_utf8_put(c->chars[k], p);
		}
		if (c->width == 2)
			*p++ = HIST_WIDE;
	}
	return (size_t)(p - hist->enc);
}

/* Decodes an encoded line into cols cells: truncated to cols, padded with default blanks. */
static void scrollback_decode(const unsigned char *line, struct vt_cell *cells, int cols)
{
	memset(cells, 0, (size_t)cols * sizeof *cells);
	for (int i = 0; i < cols; i++)
		cells[i].width = 1;
	if (!line)
		return;
	uint32_t len;
	memcpy(&len, line, sizeof len);
	const unsigned char *p = line + sizeof len, *end = p + len;
	struct vt_cell pen = { .width = 1 };
	int col = 0;
	while (p < end) {
		if (*p == HIST_PEN) {
			pen.attrs = p[1];
			p = scrollback_get_color(scrollback_get_color(p + 2, &pen.fg), &pen.bg);
		} else if (*p == HIST_WIDE) {
			p++;
			if (col < cols) {
				cells[col - 1].width = 2;
				cells[col] = cells[col - 1];
				memset(cells[col].chars, 0, sizeof cells[col].chars);
				cells[col].width = 0;
				col++;
			} else if (col == cols) {
				memset(cells[col - 1].chars, 0, sizeof cells[col - 1].chars);
			}
		} else if (*p == HIST_MARK) {
			p++;
			uint32_t cp = vt_utf8_get(&p);
			if (col > 0 && col <= cols) {
				uint32_t *chars = cells[col - 1].chars;
				int k = 1;
				while (k < VT_MAX_CHARS && chars[k])
					k++;
				if (k < VT_MAX_CHARS)
					chars[k] = cp;
			}
		} else {
			uint32_t cp = vt_utf8_get(&p);
			if (col < cols) {
				cells[col] = pen;
				cells[col].chars[0] = cp == ' ' ? 0 : cp;
			}
			col++;
		}
	}
}

/* Appends an encoded line of len bytes (0: an empty line, stored as NULL), dropping the oldest when the ring is
 * full (its block is reused: during a flood every push would otherwise be a malloc and a free). */
static void scrollback_store(struct vt_scrollback *hist, const unsigned char *enc, uint32_t len)
{
	unsigned char *line = NULL;
	if (hist->count == hist->cap) {
		line = hist->lines[hist->head];
		if (line) {
			uint32_t old;
			memcpy(&old, line, sizeof old);
			hist->bytes -= sizeof old + old;
		}
		hist->lines[hist->head] = NULL;
		hist->head = (hist->head + 1) % hist->cap;
		hist->count--;
	}
	if (len == 0) {
		free(line);
		line = NULL;
	} else {
		unsigned char *p = realloc(line, sizeof len + len);
		if (!p) {
			free(line);
			return;
		}
		line = p;
		memcpy(line, &len, sizeof len);
		memcpy(line + sizeof len, enc, len);
		hist->bytes += sizeof len + len;
	}
	hist->lines[(hist->head + hist->count) % hist->cap] = line;
	hist->count++;
	hist->pushed++;
	hist->line_cols = 0;
}

/* Appends a line of n cells (already trimmed of trailing blanks), dropping the oldest when the ring is full. */
void vt_scrollback_push(struct vt_scrollback *hist, const struct vt_cell *cells, int n)
{
	if (hist->cap == 0)
		return;
	scrollback_store(hist, hist->enc, (uint32_t)(n > 0 ? scrollback_encode(hist, cells, n) : 0));
}

/* Appends a line of n bytes of printable ASCII in the default pen (a plain line), trimmed of trailing spaces:
 * such text is its own encoding. */
void vt_scrollback_push_text(struct vt_scrollback *hist, const char *text, int n)
{
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (hist->cap > 0)
		scrollback_store(hist, (const unsigned char *)text, (uint32_t)n);
}

/* Takes the newest line back out into cols cells; false when the ring is empty. */
bool vt_scrollback_pop(struct vt_scrollback *hist, struct vt_cell *cells, int cols)
{
	if (hist->count == 0)
		return false;
	size_t slot = (hist->head + hist->count - 1) % hist->cap;
	unsigned char *line = hist->lines[slot];
	scrollback_decode(line, cells, cols);
	if (line) {
		uint32_t len;
		memcpy(&len, line, sizeof len);
		hist->bytes -= sizeof len + len;
	}
	free(line);
	hist->lines[slot] = NULL;
	hist->count--;
	hist->pushed--;
	hist->line_cols = 0;
	return true;
}

/* The line back lines from the newest (1 = newest) decoded into cols cells, or NULL when there is no such
 * line. The result stays valid until the next push, pop or vt_scrollback_line call. */
const struct vt_cell *vt_scrollback_line(struct vt_scrollback *hist, size_t back, int cols)
{
	if (back < 1 || back > hist->count || cols <= 0)
		return NULL;
	if (hist->line_cols == cols && hist->line_back == back)
		return hist->line;
	struct vt_cell *p = realloc(hist->line, (size_t)cols * sizeof *p);
	if (!p)
		return NULL;
	hist->line = p;
	scrollback_decode(hist->lines[(hist->head + hist->count - back) % hist->cap], p, cols);
	hist->line_cols = cols;
	hist->line_back = back;
	return p;
}
