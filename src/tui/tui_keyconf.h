#ifndef CONVEYOR_TUI_KEYCONF_H
#define CONVEYOR_TUI_KEYCONF_H
/* keys.conf: the operator's key bindings, read when the cockpit starts ($XDG_CONFIG_HOME/conveyor/keys.conf, else
 * ~/.config/conveyor/keys.conf). Lines are `bind VIEW KEY COMMAND-LINE`, `unbind VIEW KEY`, `#` comments and
 * blank lines; a bad line is recorded in the keymap's errors as "keys.conf:LINE: what is wrong" and skipped. */
#include <stddef.h>

#include "tui/tui_keymap.h"

int keyconf_path(char *buf, size_t len);
void keyconf_load(struct keymap *km);
void keyconf_read(struct keymap *km, const char *path);
int keyconf_line(struct keymap *km, char *line, char *msg, size_t msg_len);

#endif
