#ifndef CONVEYOR_TUI_PANES_H
#define CONVEYOR_TUI_PANES_H
/* The cockpit's live terminals: up to TUI_MAX_PANES panes side by side in the terminals view, each a vt drawn
 * by tui/pane.h into its own window. */
#include <poll.h>
#include <stddef.h>

#include "tui/pane.h"

#define TUI_MAX_PANES 8
#define TUI_SCROLLBACK 10000

/* One terminal pane. */
struct tui_pane {
	struct pane pane;
	char title[160];
	const char *screen; /* what the pane classifier saw (approval_prompt, working ...), or NULL */
	int needs_you;      /* the screen shows an approval, trust, login or confirmation prompt */
	int classify_due;   /* output arrived since the last classification */
};

struct tui_panes {
	struct tui_pane p[TUI_MAX_PANES];
	int n;
	int sel;
	int focused; /* keys go to the selected pane */
	int selecting;      /* a line selection is being made in the selected pane */
	int sel_from, sel_to; /* its first and last screen rows (in either order) */
	int top, rows, cols;
	int no_color;
};

int panes_open_tmux(struct tui_panes *ps, const char *title, const char *tmux_session, char *err, size_t errlen);
int panes_open_shell(struct tui_panes *ps, char *err, size_t errlen);
void panes_close(struct tui_panes *ps, int i);
void panes_layout(struct tui_panes *ps, int top, int rows, int cols);
int panes_pollfds(const struct tui_panes *ps, struct pollfd *fds, int max);
int panes_handle(struct tui_panes *ps, const struct pollfd *fds, int nfds);
int panes_classify(struct tui_panes *ps);
int panes_needs_you_count(const struct tui_panes *ps);
int panes_next_needs_you(const struct tui_panes *ps);
void panes_draw(struct tui_panes *ps, int full);
void panes_place_cursor(const struct tui_panes *ps, int show);
void panes_key(struct tui_panes *ps, int key, int is_code);
void panes_scroll(struct tui_panes *ps, int lines);
int panes_copy(struct tui_panes *ps, char *err, size_t errlen);
void panes_select(struct tui_panes *ps, int on);
void panes_select_move(struct tui_panes *ps, int delta);
void panes_free(struct tui_panes *ps);

#endif
