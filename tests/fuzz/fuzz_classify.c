/* Fuzz target: captured terminal text (NUL-terminated, so an embedded NUL ends it as it would a C string) through
 * the three pane classifiers, with fresh, stale and unknown status ages and quiet and busy event counts. */
#include "core/observe/classify.h"
#include "fuzz.h"

/* Checks that a classifier row's verdict is complete. */
static void fuzz_hit(const struct classify_hit *hit)
{
	if (!hit)
		return;
	FUZZ_CHECK(hit->pattern && *hit->pattern && hit->reason && *hit->reason && hit->recommended_action);
	FUZZ_CHECK(hit->needs_you == 0 || hit->needs_you == 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);

	const char *reason = NULL;
	const char *state = classify_startup(text, &reason);
	FUZZ_CHECK(state && *state && reason && *reason);

	fuzz_hit(classify_screen(text));

	static const long long ages[] = {-1, 0, 30, 3600};
	static const int events[] = {0, 10};
	for (size_t i = 0; i < sizeof ages / sizeof *ages; i++)
		for (size_t j = 0; j < sizeof events / sizeof *events; j++) {
			const struct classify_hit *hit = classify_busy_wait(text, ages[i], 30, events[j]);
			fuzz_hit(hit);
			/* A status younger than the busy-wait threshold is never a busy wait. */
			FUZZ_CHECK(!(ages[i] >= 0 && ages[i] < 30) || hit == NULL);
		}

	free(text);
	return 0;
}
