#ifndef CONVEYOR_SB_H
#define CONVEYOR_SB_H
#include <stddef.h>

/* A growable byte buffer that always stays NUL-terminated. */
struct sb {
	char *buf;
	size_t len;
	size_t cap;
};

void sb_init(struct sb *sb);
void sb_free(struct sb *sb);
void sb_reserve(struct sb *sb, size_t extra);
void sb_addn(struct sb *sb, const char *s, size_t n);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, char c);
void sb_addf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_add_clean(struct sb *sb, const char *s);
void sb_addf_clean(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *sb_take(struct sb *sb);

#endif
