/* Database path resolution: --path, $WORKERCTL_STATE_ROOT, or ./.codex-workers. */
#include "core/base/paths.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/sb.h"

/* Appends one path component to an absolute path being normalised, handling "." and "..". */
static void paths_push(struct sb *out, const char *part, size_t n)
{
	if (n == 0 || (n == 1 && part[0] == '.'))
		return;
	if (n == 2 && part[0] == '.' && part[1] == '.') {
		if (out->len == 0)
			return;
		while (out->len > 0 && out->buf[out->len - 1] != '/')
			out->len--;
		if (out->len > 0)
			out->len--;
		out->buf[out->len] = '\0';
		return;
	}
	sb_addc(out, '/');
	sb_addn(out, part, n);
}

/* Makes path absolute against the current directory and removes "." and ".." components (like path.resolve); caller frees. */
char *paths_absolute(const char *path, struct err *e)
{
	struct sb joined, out;
	sb_init(&joined);
	sb_init(&out);
	if (path[0] != '/') {
		char cwd[PATH_MAX];
		if (!getcwd(cwd, sizeof cwd)) {
			err_set(e, EXIT_USAGE, "cannot read the current directory: %s", strerror(errno));
			return NULL;
		}
		sb_adds(&joined, cwd);
		sb_addc(&joined, '/');
	}
	sb_adds(&joined, path);
	const char *p = joined.buf;
	while (*p) {
		while (*p == '/')
			p++;
		const char *start = p;
		while (*p && *p != '/')
			p++;
		paths_push(&out, start, (size_t)(p - start));
	}
	if (out.len == 0)
		sb_addc(&out, '/');
	sb_free(&joined);
	return sb_take(&out);
}

/* The absolute database path for this invocation; caller frees. */
char *paths_db(const char *path_flag, struct err *e)
{
	if (path_flag) {
		const char *home = getenv("HOME");
		if ((strcmp(path_flag, "~") == 0 || strncmp(path_flag, "~/", 2) == 0) && home && *home) {
			struct sb sb;
			sb_init(&sb);
			sb_adds(&sb, home);
			sb_adds(&sb, path_flag + 1);
			char *abs = paths_absolute(sb.buf, e);
			sb_free(&sb);
			return abs;
		}
		return paths_absolute(path_flag, e);
	}
	const char *root = getenv("WORKERCTL_STATE_ROOT");
	struct sb sb;
	sb_init(&sb);
	sb_adds(&sb, root && *root ? root : ".codex-workers");
	sb_adds(&sb, "/workerctl.db");
	char *abs = paths_absolute(sb.buf, e);
	sb_free(&sb);
	return abs;
}
