#ifndef CONVEYOR_TUI_INPUT_H
#define CONVEYOR_TUI_INPUT_H
/* Keys: each goes to a pending prompt, else to the binding of the current view or mode, else (typing into a
 * terminal) to the terminal. */

struct tui;

void tui_input(struct tui *t);

#endif
