/* Random record ids. */
#include "core/base/ids.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>

/* Writes <prefix>-<lowercase hyphenated uuid v4> into out. */
void ids_new(const char *prefix, char out[IDS_LEN])
{
	unsigned char b[16];
	size_t got = 0;
	while (got < sizeof b) {
		ssize_t n = getrandom(b + got, sizeof b - got, 0);
		if (n <= 0)
			abort();
		got += (size_t)n;
	}
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
	snprintf(out, IDS_LEN,
		 "%s-%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", prefix, b[0], b[1],
		 b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}
