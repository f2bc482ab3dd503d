#ifndef CONVEYOR_VT_SCROLLBACK_H
#define CONVEYOR_VT_SCROLLBACK_H
/* The scrollback of a pane terminal: a ring of lines pushed off the top of the screen, each stored compactly
 * (UTF-8 text with inline pen changes, trailing blanks trimmed). Internal to src/tui/vt*.c. */
#include <stdbool.h>
#include <stddef.h>

#include "tui/vt.h"

struct vt_scrollback {
	unsigned char **lines;	/* ring of encoded lines; NULL is an empty line */
	size_t cap;		/* lines kept at most */
	size_t head;		/* slot of the oldest line */
	size_t count;		/* lines held */
	size_t pushed;		/* lines ever pushed, minus lines popped back */
	size_t bytes;		/* encoded bytes held (without allocator overhead) */
	unsigned char *enc;	/* encoding scratch */
	size_t enc_cap;
	struct vt_cell *line;	/* the last decoded line (vt_scrollback_line's cache) */
	int line_cols;		/* its width; 0 when the cache is empty */
	size_t line_back;	/* which line it is (1 = newest) */
};

bool vt_scrollback_init(struct vt_scrollback *hist, size_t cap);
void vt_scrollback_free(struct vt_scrollback *hist);
void vt_scrollback_push(struct vt_scrollback *hist, const struct vt_cell *cells, int n);
void vt_scrollback_push_text(struct vt_scrollback *hist, const char *text, int n);
bool vt_scrollback_pop(struct vt_scrollback *hist, struct vt_cell *cells, int cols);
const struct vt_cell *vt_scrollback_line(struct vt_scrollback *hist, size_t back, int cols);

#endif
