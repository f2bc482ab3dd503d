/* Allocator hints: a command that builds megabytes of output should take a handful of page faults, not thousands. */
#include "cli/heap.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#define HEAP_STEP (16u << 20)
#define HUGE_PAGE (2u << 20)

/* Grows glibc's heap in 16 MiB steps, keeps it until exit, and asks for transparent huge pages in it (a no-op
 * where THP is off, or under a sanitizer's allocator, whose blocks are not in the brk heap). */
void heap_tune(void)
{
	mallopt(M_MMAP_THRESHOLD, 4 * HEAP_STEP);
	mallopt(M_TOP_PAD, HEAP_STEP);
	mallopt(M_TRIM_THRESHOLD, 8 * HEAP_STEP);
	char *p = malloc(HUGE_PAGE);
	char *hi = sbrk(0);
	if (p && hi != (void *)-1 && p < hi && (size_t)(hi - p) <= 8 * HEAP_STEP) {
		uintptr_t start = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
		if ((uintptr_t)hi > start)
			madvise((void *)start, (uintptr_t)hi - start, MADV_HUGEPAGE);
	}
	free(p);
}
