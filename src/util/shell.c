/* Shell quoting for the command strings conveyor hands to operators and agents. */
#include "util/shell.h"

/* Appends s wrapped in single quotes, each embedded ' written as '"'"' (always quoted, as the reference does). */
void shell_quote(struct sb *out, const char *s)
{
	sb_addc(out, '\'');
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == '\'')
			sb_adds(out, "'\"'\"'");
		else
			sb_addc(out, *p);
	}
	sb_addc(out, '\'');
}
