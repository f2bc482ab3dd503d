/* Growable string buffer and the terminal-safe text appender. */
#include "util/sb.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Starts an empty buffer that owns nothing yet. */
void sb_init(struct sb *sb)
{
	sb->buf = NULL;
	sb->len = 0;
	sb->cap = 0;
	sb->sink = NULL;
}

/* Releases the buffer's memory and leaves it empty. */
void sb_free(struct sb *sb)
{
	free(sb->buf);
	sb_init(sb);
}

/* Makes room for extra more bytes plus the terminating NUL (writing out a sink's pending bytes first when the
 * chunk would overflow); aborts on out-of-memory. */
void sb_reserve(struct sb *sb, size_t extra)
{
	if (sb->sink && sb->len > 0 && sb->len + extra + 1 > SB_CHUNK)
		sb_flush(sb);
	size_t need = sb->len + extra + 1;
	if (need <= sb->cap)
		return;
	size_t cap = sb->cap ? sb->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(sb->buf, cap);
	if (!p) {
		fputs("conveyor: out of memory\n", stderr);
		abort();
	}
	sb->buf = p;
	sb->cap = cap;
}

/* Appends a C string. */
void sb_adds(struct sb *sb, const char *s)
{
	sb_addn(sb, s, strlen(s));
}

/* Appends printf-formatted text. */
void sb_addf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n <= 0)
		return;
	sb_reserve(sb, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

/* Appends s for a terminal: invalid UTF-8 becomes U+FFFD, and control characters (C0, DEL, C1) are dropped, or with
 * visible shown as \xNN (a newline too, so one line stays one line); a backslash stays as it is. */
static void sb_add_terminal(struct sb *sb, const char *s, int visible)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p) {
		size_t n = utf8_seq_len(p);
		if (n == 0) {
			sb_adds(sb, "\xEF\xBF\xBD");
			p++;
		} else if ((n == 1 && (*p < 0x20 || *p == 0x7F)) || (n == 2 && p[0] == 0xC2 && p[1] < 0xA0)) {
			if (visible)
				sb_addf(sb, "\\x%02x", p[n - 1]);
			p += n;
		} else {
			sb_addn(sb, (const char *)p, n);
			p += n;
		}
	}
}

/* Appends s for a terminal: control characters (C0, DEL, C1) are dropped and invalid UTF-8 becomes U+FFFD. */
void sb_add_clean(struct sb *sb, const char *s)
{
	sb_add_terminal(sb, s, 0);
}

/* Appends s as one line for a terminal with its control characters shown (\xNN), not acted on. */
void sb_add_visible(struct sb *sb, const char *s)
{
	sb_add_terminal(sb, s, 1);
}

/* Appends text formatted with %s (cleaned like sb_add_clean, NULL prints "null"), %d, %lld and %%; nothing else. */
void sb_addf_clean(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sb_addc(sb, *p);
		} else if (p[1] == 's') {
			const char *s = va_arg(ap, const char *);
			sb_add_clean(sb, s ? s : "null");
			p++;
		} else if (p[1] == 'd') {
			sb_addf(sb, "%d", va_arg(ap, int));
			p++;
		} else if (strncmp(p + 1, "lld", 3) == 0) {
			sb_addf(sb, "%lld", va_arg(ap, long long));
			p += 3;
		} else {
			sb_addc(sb, '%');
			p += p[1] == '%';
		}
	}
	va_end(ap);
}

/* Appends n bytes that may be large: with a sink they are written straight through instead of copied. */
void sb_add_large(struct sb *sb, const char *s, size_t n)
{
	if (!sb->sink || n < SB_CHUNK / 4) {
		sb_addn(sb, s, n);
		return;
	}
	sb_flush(sb);
	fwrite(s, 1, n, sb->sink);
}

/* Writes the pending bytes to the sink and empties the buffer (keeping its memory). */
void sb_flush(struct sb *sb)
{
	if (sb->sink && sb->len)
		fwrite(sb->buf, 1, sb->len, sb->sink);
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Hands the buffer's string to the caller (never NULL) and leaves the buffer empty. */
char *sb_take(struct sb *sb)
{
	if (!sb->buf)
		sb_reserve(sb, 0), sb->buf[0] = '\0';
	char *s = sb->buf;
	sb_init(sb);
	return s;
}
