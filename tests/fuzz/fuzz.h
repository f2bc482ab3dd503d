#ifndef CONVEYOR_FUZZ_H
#define CONVEYOR_FUZZ_H
/* What the libFuzzer targets share: the entry point's prototype, a NUL-terminated copy of the input, and the check
 * that turns a broken promise into a crash the fuzzer reports (with the file that causes it). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stops the run when cond is false, naming the broken promise on stderr (libFuzzer then saves the input). */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A malloc'd copy of the input with a NUL after it (the input may hold NULs of its own). */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	if (size)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
