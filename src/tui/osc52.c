/* Clipboard copy for the cockpit (docs/terminal-panes.md, "Selection and OSC 52").
 *
 * Outside tmux, the cockpit writes osc52_sequence() to its terminal: ESC ] 52 ; c ; <base64> BEL.
 * Inside tmux ($TMUX set) it does not wrap that in tmux's DCS passthrough: passthrough is off by default since
 * tmux 3.3 (allow-passthrough) and, when on, bypasses tmux's buffers. It runs osc52_tmux_argv() instead:
 * `tmux set-buffer -w -- TEXT` stores the text as a tmux buffer and (-w, tmux >= 3.2) has tmux itself send it
 * to the outer terminal's clipboard as its set-clipboard option allows (default "external" does). */
#include "tui/osc52.h"

#include <stdlib.h>
#include <string.h>

/* Whether the cockpit runs inside tmux. */
bool osc52_in_tmux(void)
{
	const char *t = getenv("TMUX");
	return t && *t;
}

/* Base64 (RFC 4648, padded) of in[0, len) into out, which has room for 4 * ((len + 2) / 3) bytes; returns the
 * end. */
static char *osc52_base64(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*out++ = digits[v >> 18];
		*out++ = digits[(v >> 12) & 63];
		*out++ = i + 1 < len ? digits[(v >> 6) & 63] : '=';
		*out++ = i + 2 < len ? digits[v & 63] : '=';
	}
	return out;
}

/* The OSC 52 escape that sets the clipboard to text[0, len), malloc'd and NUL-terminated; NULL when the text
 * is longer than OSC52_MAX or memory runs out. */
char *osc52_sequence(const char *text, size_t len)
{
	static const char head[] = "\033]52;c;";
	if (len > OSC52_MAX)
		return NULL;
	char *out = malloc(sizeof head - 1 + 4 * ((len + 2) / 3) + 2);
	if (!out)
		return NULL;
	memcpy(out, head, sizeof head - 1);
	char *end = osc52_base64((const unsigned char *)text, len, out + sizeof head - 1);
	end[0] = '\a';
	end[1] = '\0';
	return out;
}

/* Fills argv with the command that puts text in tmux's paste buffer (and the outer clipboard): argv only, run
 * without a shell, never here. argv[5] is NULL; the strings are text itself and literals. */
void osc52_tmux_argv(const char *text, const char *argv[6])
{
	argv[0] = "tmux";
	argv[1] = "set-buffer";
	argv[2] = "-w";
	argv[3] = "--";
	argv[4] = text;
	argv[5] = NULL;
}
