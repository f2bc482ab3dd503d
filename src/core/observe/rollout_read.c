/* Reading a Codex rollout from a byte offset: complete lines of any length, each parsed as one event. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/observe/rollout.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/sb.h"

#define ROLLOUT_CHUNK (1 << 20)

/* Feeds the complete lines at the front of buf to fn; returns how many bytes they used, or -1 when fn stopped. */
static long long rollout_feed(struct sb *buf, long long base, rollout_line_fn fn, void *arg, long long *end)
{
	size_t pos = 0;
	char *nl;
	while ((nl = memchr(buf->buf + pos, '\n', buf->len - pos)) != NULL) {
		size_t len = (size_t)(nl - (buf->buf + pos));
		*nl = '\0';
		*end = base + (long long)(pos + len + 1);
		int stop = fn(arg, buf->buf + pos, len, base + (long long)pos);
		pos += len + 1;
		if (stop)
			return -1;
	}
	return (long long)pos;
}

/* Calls fn for every complete line (NUL-terminated, without its '\n') from offset on; a trailing partial line
 * is left for a later call. Returns the offset just past the last line handed to fn (offset when none), or -1
 * with e set when the file cannot be read. */
long long rollout_each_line(const char *path, long long offset, rollout_line_fn fn, void *arg, struct err *e)
{
	int err_no = 0;
	int fd = fs_open_regular(path, &err_no);
	if (fd < 0 || lseek(fd, (off_t)offset, SEEK_SET) < 0) {
		err_set(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, fd < 0 ? fs_open_error(err_no) : strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct sb buf;
	sb_init(&buf);
	long long base = offset, end = offset;
	for (;;) {
		sb_reserve(&buf, ROLLOUT_CHUNK);
		ssize_t n = read(fd, buf.buf + buf.len, ROLLOUT_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err_set(e, EXIT_USAGE, "cannot read rollout file %s: %s", path, strerror(errno));
			end = -1;
			break;
		}
		if (n == 0)
			break;
		buf.len += (size_t)n;
		buf.buf[buf.len] = '\0';
		long long used = rollout_feed(&buf, base, fn, arg, &end);
		if (used < 0)
			break;
		memmove(buf.buf, buf.buf + used, buf.len - (size_t)used);
		buf.len -= (size_t)used;
		base += used;
	}
	sb_free(&buf);
	close(fd);
	return end;
}

/* Parses one NUL-terminated line of len bytes into ev; 0 when it is a JSON object with a string type, -1 when
 * it is to be skipped (trailing garbage after the value counts as malformed). */
int rollout_event_parse(const char *line, size_t len, struct rollout_event *ev)
{
	memset(ev, 0, sizeof *ev);
	ev->record = cJSON_ParseWithLengthOpts(line, len + 1, NULL, 1);
	ev->type = json_str(ev->record, "type");
	if (!cJSON_IsObject(ev->record) || !ev->type) {
		cJSON_Delete(ev->record);
		ev->record = NULL;
		return -1;
	}
	const cJSON *payload = cJSON_GetObjectItemCaseSensitive(ev->record, "payload");
	ev->payload = cJSON_IsObject(payload) ? payload : NULL;
	if (ev->payload && strcmp(ev->type, "event_msg") == 0)
		ev->subtype = json_str(ev->payload, "type");
	const char *ts = json_str(ev->record, "timestamp");
	ev->timestamp = ts && *ts ? ts : NULL;
	return 0;
}

/* The turn state a record implies: busy on task_started or a user message (the older user_message event or a
 * 0.169 item_completed whose item is a UserMessage), idle on task_complete or turn_aborted. */
enum rollout_state rollout_state_of(const char *type, const char *subtype, const cJSON *payload)
{
	if (!type || !subtype || strcmp(type, "event_msg") != 0)
		return ROLLOUT_NONE;
	if (strcmp(subtype, "task_started") == 0 || strcmp(subtype, "user_message") == 0)
		return ROLLOUT_BUSY;
	if (strcmp(subtype, "task_complete") == 0 || strcmp(subtype, "turn_aborted") == 0)
		return ROLLOUT_IDLE;
	if (strcmp(subtype, "item_completed") == 0) {
		const cJSON *item = cJSON_GetObjectItemCaseSensitive(payload, "item");
		const char *item_type = json_str(item, "type");
		if (item_type && strcmp(item_type, "UserMessage") == 0)
			return ROLLOUT_BUSY;
	}
	return ROLLOUT_NONE;
}

/* The name cycle and the cockpit print for a state. */
const char *rollout_state_name(enum rollout_state s)
{
	return s == ROLLOUT_BUSY ? "busy" : s == ROLLOUT_IDLE ? "idle" : "unknown";
}
