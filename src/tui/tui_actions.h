#ifndef CONVEYOR_TUI_ACTIONS_H
#define CONVEYOR_TUI_ACTIONS_H
/* The cockpit's reactions to its bindings: one small function per action (keys_actions names them), each
 * returning which parts of the screen to redraw (DIRTY_* bits). */

struct tui;
struct tui_binding;

unsigned act_run(struct tui *t, const struct tui_binding *b);

#endif
