/* Reading flag values out of a parsed command line. */
#include "core/base/args.h"

#include <string.h>

/* The last value given for key (last one wins), or NULL when the flag was not given or is boolean. */
const char *args_get(const struct args *a, const char *key)
{
	for (int i = a->n - 1; i >= 0; i--)
		if (strcmp(a->v[i].key, key) == 0)
			return a->v[i].value;
	return NULL;
}

/* How many times key was given. */
int args_count(const struct args *a, const char *key)
{
	int n = 0;
	for (int i = 0; i < a->n; i++)
		n += strcmp(a->v[i].key, key) == 0;
	return n;
}

/* Whether key was given at least once. */
int args_has(const struct args *a, const char *key)
{
	return args_count(a, key) > 0;
}
