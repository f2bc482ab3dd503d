#ifndef CONVEYOR_SB_H
#define CONVEYOR_SB_H
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* A growable byte buffer that always stays NUL-terminated; with a sink, it is written out in chunks instead of
 * growing past SB_CHUNK, so large outputs stream with bounded memory. */
struct sb {
	char *buf;
	size_t len;
	size_t cap;
	FILE *sink;
};

#define SB_CHUNK 65536

void sb_init(struct sb *sb);
void sb_free(struct sb *sb);
void sb_reserve(struct sb *sb, size_t extra);
void sb_adds(struct sb *sb, const char *s);
void sb_addf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add_clean(struct sb *sb, const char *s);
void sb_addf_clean(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add_visible(struct sb *sb, const char *s);
char *sb_take(struct sb *sb);
void sb_flush(struct sb *sb);
void sb_add_large(struct sb *sb, const char *s, size_t n);

/* Appends n bytes of s (inline: the common case is a copy into spare capacity). */
static inline void sb_addn(struct sb *sb, const char *s, size_t n)
{
	if (sb->len + n + 1 > sb->cap)
		sb_reserve(sb, n);
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

/* Appends one byte (inline, like sb_addn). */
static inline void sb_addc(struct sb *sb, char c)
{
	if (sb->len + 2 > sb->cap)
		sb_reserve(sb, 1);
	sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

#endif
