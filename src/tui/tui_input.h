#ifndef CONVEYOR_TUI_INPUT_H
#define CONVEYOR_TUI_INPUT_H
/* Keys: bindings of the current view, the prompts they ask, the ':' command line and typing into a pane. */

struct tui;

void tui_input(struct tui *t);
void tui_run_line(struct tui *t, const char *line, int from_prompt);
void tui_pending_free(struct tui *t);

#endif
