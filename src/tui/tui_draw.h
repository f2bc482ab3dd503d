#ifndef CONVEYOR_TUI_DRAW_H
#define CONVEYOR_TUI_DRAW_H
/* Drawing text that came from the database or a worker: control characters stripped, wide characters measured. */
#include <curses.h>

/* Colour roles of the cockpit (curses pair numbers; 0 when colours are off). */
enum tui_color { TC_NONE, TC_OK, TC_WARN, TC_ERR, TC_INFO, TC_DIM, TC_TITLE, TC_SEL };

void draw_colors_init(int no_color);
int draw_attr(enum tui_color c);
int draw_text(int y, int x, int width, const char *s, int attr);
int draw_textf(int y, int x, int width, int attr, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void draw_fill(int y, int x, int width, int attr);
int draw_state_attr(const char *state);

#endif
