#ifndef CONVEYOR_VT_UTF8_H
#define CONVEYOR_VT_UTF8_H
/* UTF-8 encoding and decoding of text the pane terminal has already validated (cells, titles). */
#include <stddef.h>
#include <stdint.h>

/* Encodes cp (a Unicode scalar value) as UTF-8 into out; returns its length (1-4). */
static inline size_t vt_utf8_put(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xC0 | (cp >> 6));
		out[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xE0 | (cp >> 12));
		out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | (cp >> 18));
	out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Decodes the valid UTF-8 sequence at *s and moves *s past it. */
static inline uint32_t vt_utf8_get(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t cp;
	size_t n;
	if (p[0] < 0x80) {
		cp = p[0];
		n = 1;
	} else if (p[0] < 0xE0) {
		cp = p[0] & 0x1F;
		n = 2;
	} else if (p[0] < 0xF0) {
		cp = p[0] & 0x0F;
		n = 3;
	} else {
		cp = p[0] & 0x07;
		n = 4;
	}
	for (size_t i = 1; i < n; i++)
		cp = (cp << 6) | (p[i] & 0x3F);
	*s = p + n;
	return cp;
}

#endif
