/* Scrollback ring of a pane terminal, stored compactly (docs/terminal-panes.md, "Scrollback").
 *
 * A line is one malloc'd block: a 4-byte length, then tokens. A UTF-8 codepoint starts a new cell (a blank cell
 * is a space); bytes that never occur in UTF-8 mark the rest:
 *   SB_PEN  + 9 bytes  the pen of the following cells: attrs, fg (kind, 3 bytes), bg (kind, 3 bytes);
 *   SB_WIDE            the cell before is wide, and the next column is its right half (not stored);
 *   SB_MARK + UTF-8    a combining mark added to the cell before.
 * Lines start with the default pen, so plain output is just its text. Trailing blank cells are trimmed by the
 * caller; an empty line stores no block at all. */
#include "tui/vt_sb.h"
#include "tui/vt_utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SB_PEN 0xFF
#define SB_WIDE 0xFE
#define SB_MARK 0xFD
#define SB_PEN_LEN 9
/* Encoded bytes one cell can need: a pen change, its character, its marks, the wide flag. */
#define SB_CELL_MAX (1 + SB_PEN_LEN + 4 + (VT_MAX_CHARS - 1) * 5 + 1)

/* Starts an empty ring that keeps at most cap lines; false when out of memory. */
bool vt_sb_init(struct vt_sb *sb, size_t cap)
{
	memset(sb, 0, sizeof *sb);
	sb->cap = cap;
	sb->lines = calloc(cap ? cap : 1, sizeof *sb->lines);
	return sb->lines != NULL;
}

/* Releases every line and the scratch buffers. */
void vt_sb_free(struct vt_sb *sb)
{
	for (size_t i = 0; i < sb->count; i++)
		free(sb->lines[(sb->head + i) % sb->cap]);
	free(sb->lines);
	free(sb->enc);
	free(sb->line);
	memset(sb, 0, sizeof *sb);
}

/* Whether two cells are drawn with the same pen. */
static bool sb_same_pen(const struct vt_cell *a, const struct vt_cell *b)
{
	return a->attrs == b->attrs && memcmp(&a->fg, &b->fg, sizeof a->fg) == 0 &&
	       memcmp(&a->bg, &b->bg, sizeof a->bg) == 0;
}

/* Writes a colour as its 4 pen bytes. */
static unsigned char *sb_put_color(unsigned char *p, const struct vt_color *c)
{
	p[0] = c->kind;
	p[1] = c->kind == VT_COLOR_RGB ? c->r : c->index;
	p[2] = c->kind == VT_COLOR_RGB ? c->g : 0;
	p[3] = c->kind == VT_COLOR_RGB ? c->b : 0;
	return p + 4;
}

/* Reads a colour from its 4 pen bytes. */
static const unsigned char *sb_get_color(const unsigned char *p, struct vt_color *c)
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
static size_t sb_encode(struct vt_sb *sb, const struct vt_cell *cells, int n)
{
	size_t need = (size_t)n * SB_CELL_MAX;
	if (need > sb->enc_cap) {
		unsigned char *p = realloc(sb->enc, need);
		if (!p)
			return 0;
		sb->enc = p;
		sb->enc_cap = need;
	}
	struct vt_cell pen = { 0 };
	unsigned char *p = sb->enc;
	for (int i = 0; i < n; i++) {
		const struct vt_cell *c = &cells[i];
		if (c->width == 0)
			continue;
		if (!sb_same_pen(c, &pen)) {
			*p++ = SB_PEN;
			*p++ = c->attrs;
			p = sb_put_color(p, &c->fg);
			p = sb_put_color(p, &c->bg);
			pen = *c;
		}
		p += vt_utf8_put(c->chars[0] ? c->chars[0] : ' ', p);
		for (int k = 1; k < VT_MAX_CHARS && c->chars[k]; k++) {
			*p++ = SB_MARK;
			p += vt_utf8_put(c->chars[k], p);
		}
		if (c->width == 2)
			*p++ = SB_WIDE;
	}
	return (size_t)(p - sb->enc);
}

/* Decodes an encoded line into cols cells: truncated to cols, padded with default blanks. */
static void sb_decode(const unsigned char *line, struct vt_cell *cells, int cols)
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
		if (*p == SB_PEN) {
			pen.attrs = p[1];
			p = sb_get_color(sb_get_color(p + 2, &pen.fg), &pen.bg);
		} else if (*p == SB_WIDE) {
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
		} else if (*p == SB_MARK) {
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
static void sb_store(struct vt_sb *sb, const unsigned char *enc, uint32_t len)
{
	unsigned char *line = NULL;
	if (sb->count == sb->cap) {
		line = sb->lines[sb->head];
		if (line) {
			uint32_t old;
			memcpy(&old, line, sizeof old);
			sb->bytes -= sizeof old + old;
		}
		sb->lines[sb->head] = NULL;
		sb->head = (sb->head + 1) % sb->cap;
		sb->count--;
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
		sb->bytes += sizeof len + len;
	}
	sb->lines[(sb->head + sb->count) % sb->cap] = line;
	sb->count++;
	sb->pushed++;
	sb->line_cols = 0;
}

/* Appends a line of n cells (already trimmed of trailing blanks), dropping the oldest when the ring is full. */
void vt_sb_push(struct vt_sb *sb, const struct vt_cell *cells, int n)
{
	if (sb->cap == 0)
		return;
	sb_store(sb, sb->enc, (uint32_t)(n > 0 ? sb_encode(sb, cells, n) : 0));
}

/* Appends a line of n bytes of printable ASCII in the default pen (a plain line), trimmed of trailing spaces:
 * such text is its own encoding. */
void vt_sb_push_text(struct vt_sb *sb, const char *text, int n)
{
	while (n > 0 && text[n - 1] == ' ')
		n--;
	if (sb->cap > 0)
		sb_store(sb, (const unsigned char *)text, (uint32_t)n);
}

/* Takes the newest line back out into cols cells; false when the ring is empty. */
bool vt_sb_pop(struct vt_sb *sb, struct vt_cell *cells, int cols)
{
	if (sb->count == 0)
		return false;
	size_t slot = (sb->head + sb->count - 1) % sb->cap;
	unsigned char *line = sb->lines[slot];
	sb_decode(line, cells, cols);
	if (line) {
		uint32_t len;
		memcpy(&len, line, sizeof len);
		sb->bytes -= sizeof len + len;
	}
	free(line);
	sb->lines[slot] = NULL;
	sb->count--;
	sb->pushed--;
	sb->line_cols = 0;
	return true;
}

/* The line back lines from the newest (1 = newest) decoded into cols cells, or NULL when there is no such
 * line. The result stays valid until the next push, pop or vt_sb_line call. */
const struct vt_cell *vt_sb_line(struct vt_sb *sb, size_t back, int cols)
{
	if (back < 1 || back > sb->count || cols <= 0)
		return NULL;
	if (sb->line_cols == cols && sb->line_back == back)
		return sb->line;
	struct vt_cell *p = realloc(sb->line, (size_t)cols * sizeof *p);
	if (!p)
		return NULL;
	sb->line = p;
	sb_decode(sb->lines[(sb->head + sb->count - back) % sb->cap], p, cols);
	sb->line_cols = cols;
	sb->line_back = back;
	return p;
}
