/* Creating private directories. */
#include "util/fs.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Creates dir and every missing parent with mode 0700; 0, or -1 with err filled. */
int fs_mkdirs(const char *dir, char *err, size_t errlen)
{
	char *copy = strdup(dir);
	if (!copy)
		abort();
	int rc = 0;
	for (char *p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create directory %s: %s", copy, strerror(errno));
			rc = -1;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return rc;
}
