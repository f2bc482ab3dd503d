#ifndef CONVEYOR_VT_FLOOD_H
#define CONVEYOR_VT_FLOOD_H
/* Plain lines a pane terminal has taken but not yet given to libvterm (docs/terminal-panes.md, "The plain-line
 * fast path"): the newest screenful is held here, older lines go straight to the scrollback. Internal to
 * src/tui/vt*.c; knows nothing of libvterm. */
#include <stdbool.h>
#include <stddef.h>

#include "tui/vt_scrollback.h"

struct vt_flood {
	char *text;		/* ring of cap slots of cols bytes: the newest lines, which belong on screen */
	int *len;		/* each slot's length */
	int cap;		/* rows - 1 (the rows above the cursor's); 0: no fast path */
	int cols;
	int head;		/* slot of the oldest line held */
	int n;			/* lines held */
	char *part;		/* the unfinished last line (at most cols bytes), on the cursor's row */
	int part_len;
	bool screen_gone;	/* the rows that were on screen before have gone to the scrollback */
	bool wants_screen;	/* vt_flood_take stopped: those rows must go to the scrollback first */
};

void vt_flood_init(struct vt_flood *fl, int rows, int cols);
void vt_flood_free(struct vt_flood *fl);
bool vt_flood_pending(const struct vt_flood *fl);
size_t vt_flood_head(const char *b, size_t n);
size_t vt_flood_take(struct vt_flood *fl, struct vt_scrollback *back, const char *b, size_t n);
const char *vt_flood_line(const struct vt_flood *fl, int i, int *len);
void vt_flood_clear(struct vt_flood *fl);

#endif
