#ifndef CONVEYOR_TUI_TERM_H
#define CONVEYOR_TUI_TERM_H
/* The terminal the cockpit runs in: curses set-up, restoration on every exit path, signals as a pipe. */

int term_start(int mouse, int *no_color);
void term_stop(void);
int term_signal_fd(void);
int term_signal_next(void);
void term_resize(void);

#endif
