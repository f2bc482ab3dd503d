#ifndef CONVEYOR_OSC52_H
#define CONVEYOR_OSC52_H
/* Copying a selection to the clipboard: the OSC 52 escape for the outer terminal, or the argv that puts the
 * text in tmux's buffer when the cockpit itself runs inside tmux. */
#include <stdbool.h>
#include <stddef.h>

/* Longest text osc52_sequence encodes (terminals cap OSC 52 payloads; xterm at about 100 kB of base64). */
#define OSC52_MAX 74994

bool osc52_in_tmux(void);
char *osc52_sequence(const char *text, size_t len);
void osc52_tmux_argv(const char *text, const char *argv[6]);

#endif
