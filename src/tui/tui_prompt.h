#ifndef CONVEYOR_TUI_PROMPT_H
#define CONVEYOR_TUI_PROMPT_H
/* What the status line asks: the %{Label} fields of a command binding, y/N before a guarded one, and the ':'
 * command line. */
#include <wchar.h>

struct tui;
struct tui_binding;

unsigned prompt_command(struct tui *t, const struct tui_binding *b);
unsigned prompt_confirm(struct tui *t, const struct tui_binding *b);
unsigned prompt_open(struct tui *t);
void prompt_key(struct tui *t, wint_t ch, int is_code);
void prompt_free(struct tui *t);

#endif
