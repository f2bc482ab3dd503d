/* Reading the session_meta record that opens every Codex rollout file (lines of any length). */
#include "core/observe/rollout.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* Reads the first line of path (without its line ending) into a malloc'd string; NULL with e set on failure. */
static char *rollout_first_line(const char *path, struct err *e)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return err_null(e, EXIT_USAGE, "rollout file not found: %s", path);
		return err_null(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	errno = 0;
	ssize_t n = getline(&line, &cap, f);
	int read_errno = errno;
	fclose(f);
	if (n < 0 && read_errno && read_errno != ENOENT) {
		free(line);
		return err_null(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, strerror(read_errno));
	}
	if (n < 0) {
		free(line);
		line = strdup("");
	}
	size_t len = strlen(line);
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		line[--len] = '\0';
	return line;
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
