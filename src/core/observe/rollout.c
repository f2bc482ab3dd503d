/* Reading the session_meta record that opens every Codex rollout file (a first line of at most 8 MiB). */
#include "core/observe/rollout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/json.h"
#include "util/sb.h"

#define ROLLOUT_META_MAX (8 << 20) /* a session_meta line is tens of KiB; a longer first line is not a rollout */

/* Reads the first line of path (without its line ending) into a malloc'd string, reading no more than
 * ROLLOUT_META_MAX bytes of it; NULL with e set on failure (not a regular file, unreadable, too long). */
static char *rollout_first_line(const char *path, struct err *e)
{
	int err_no;
	int fd = fs_open_regular(path, &err_no);
	if (fd < 0) {
		if (err_no == ENOENT)
			return err_null(e, EXIT_USAGE, "rollout file not found: %s", path);
		return err_null(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, fs_open_error(err_no));
	}
	struct sb line;
	sb_init(&line);
	char buf[65536];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, strerror(errno));
			break;
		}
		char *nl = n > 0 ? memchr(buf, '\n', (size_t)n) : NULL;
		sb_addn(&line, buf, nl ? (size_t)(nl - buf) : (size_t)n);
		if (line.len > ROLLOUT_META_MAX) {
			err_set(e, EXIT_USAGE, "rollout file first line is longer than %d MiB: %s", ROLLOUT_META_MAX >> 20,
				path);
			break;
		}
		if (n == 0 || nl) {
			close(fd);
			while (line.len && line.buf[line.len - 1] == '\r')
				line.buf[--line.len] = '\0';
			return line.buf ? sb_take(&line) : strdup("");
		}
	}
	close(fd);
	sb_free(&line);
	return NULL;
}

/* Reads and checks the rollout's first record: a JSON object of type session_meta whose payload is an object
 * with a string id (messages as the reference's). 0, or -1 with e set. */
int rollout_meta_read(const char *path, struct rollout_meta *m, struct err *e)
{
	m->id = m->cwd = NULL;
	char *line = rollout_first_line(path, e);
	if (!line)
		return -1;
	cJSON *rec = *line ? json_parse_any(line) : NULL;
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(rec, "payload");
	const char *type = json_str(rec, "type");
	int rc = -1;
	if (!*line)
		err_set(e, EXIT_USAGE, "rollout file is empty: %s", path);
	else if (!rec)
		err_set(e, EXIT_USAGE, "rollout file first line is not JSON: %s", path);
	else if (!cJSON_IsObject(rec) || !type || strcmp(type, "session_meta") != 0)
		err_set(e, EXIT_USAGE, "rollout file first record is not session_meta: %s", path);
	else if (!cJSON_IsObject(payload))
		err_set(e, EXIT_USAGE, "rollout session_meta payload is not an object: %s", path);
	else if (!json_str(payload, "id"))
		err_set(e, EXIT_USAGE, "rollout session_meta payload is missing id: %s", path);
	else
		rc = 0;
	if (rc == 0) {
		m->id = strdup(json_str(payload, "id"));
		m->cwd = json_str(payload, "cwd") ? strdup(json_str(payload, "cwd")) : NULL;
	}
	cJSON_Delete(rec);
	free(line);
	return rc;
}

/* Frees the strings of m. */
void rollout_meta_free(struct rollout_meta *m)
{
	free(m->id);
	free(m->cwd);
	m->id = m->cwd = NULL;
}
