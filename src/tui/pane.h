#ifndef CONVEYOR_PANE_H
#define CONVEYOR_PANE_H
/* Drawing a pane terminal (tui/vt.h) into a curses window: a header row (title, state, scroll position), then
 * the terminal's rows. The caller owns the window and calls start_color() and use_default_colors() first. */
#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#include "tui/vt.h"

struct pane {
	struct vt *vt;
	WINDOW *win;		/* header row + terminal rows; its size sets the terminal's */
	int offset;		/* lines scrolled back; 0 follows the live screen */
	size_t pushed;		/* vt_pushed() at the last draw, to hold a scrolled view on the same text */
	bool full;		/* redraw every row next time */
	bool no_color;		/* attributes only (set it when $NO_COLOR is non-empty) */
	bool pair_ok;		/* the one-entry colour pair cache below is valid */
	int pair_fg, pair_bg, pair;
};

void pane_init(struct pane *p, struct vt *vt, WINDOW *win, bool no_color);
void pane_set_window(struct pane *p, WINDOW *win);
bool pane_draw(struct pane *p, const char *title, bool focused);
void pane_scroll(struct pane *p, int lines);
void pane_scroll_page(struct pane *p, int pages);
void pane_scroll_top(struct pane *p);
void pane_scroll_bottom(struct pane *p);

#endif
