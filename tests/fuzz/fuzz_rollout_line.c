/* Fuzz target: one rollout line through rollout_event_parse and rollout_state_of (what ingest and the steer
 * watchers do with every line), then the same bytes as a whole rollout file through rollout_each_line's line
 * splitting (from the start or the middle, to the end or stopping early) and rollout_meta_read. The file is a memfd
 * reopened through /proc/self/fd, so no disk is touched. */
#include <sys/mman.h>
#include <unistd.h>

#include "core/observe/rollout.h"
#include "fuzz.h"

/* Parses one line as ingest does and checks what the parse promises. */
static void fuzz_parse(const char *line, size_t len)
{
	struct rollout_event ev;
	if (rollout_event_parse(line, len, &ev) != 0) {
		FUZZ_CHECK(ev.record == NULL);
		return;
	}
	FUZZ_CHECK(cJSON_IsObject(ev.record) && ev.type != NULL);
	FUZZ_CHECK(!ev.payload || cJSON_IsObject(ev.payload));
	FUZZ_CHECK(!ev.subtype || (strcmp(ev.type, "event_msg") == 0 && ev.payload));
	FUZZ_CHECK(!ev.timestamp || *ev.timestamp);
	enum rollout_state st = rollout_state_of(ev.type, ev.subtype, ev.payload);
	FUZZ_CHECK(st == ROLLOUT_NONE || st == ROLLOUT_BUSY || st == ROLLOUT_IDLE);
	FUZZ_CHECK(rollout_state_name(st) != NULL);
	cJSON_Delete(ev.record);
}

/* One scan of the file: the bytes it was written from, where lines must start, and when to stop. */
struct scan {
	const uint8_t *data;
	size_t size;
	long long next;   /* where the next line must start */
	int lines;        /* lines seen so far */
	int stop_after;   /* stop after this many lines (0: never) */
};

/* rollout_line_fn: checks that the line is the file's next complete line, then parses it. */
static int fuzz_line(void *arg, const char *line, size_t len, long long start)
{
	struct scan *s = arg;
	FUZZ_CHECK(start == s->next);
	FUZZ_CHECK(start >= 0 && (size_t)start + len < s->size);
	FUZZ_CHECK(line[len] == '\0' && s->data[start + (long long)len] == '\n');
	FUZZ_CHECK(memchr(line, '\n', len) == NULL);
	FUZZ_CHECK(len == 0 || memcmp(line, s->data + start, len) == 0);
	fuzz_parse(line, len);
	s->next = start + (long long)len + 1;
	s->lines++;
	return s->stop_after && s->lines == s->stop_after;
}

/* Scans path from offset and checks the offset rollout_each_line returns: just past the last line handed over. */
static void fuzz_scan(const char *path, const uint8_t *data, size_t size, long long offset, int stop_after)
{
	struct scan s = {data, size, offset, 0, stop_after};
	struct err e = {0};
	long long end = rollout_each_line(path, offset, fuzz_line, &s, &e);
	FUZZ_CHECK(end == s.next);
	if (!stop_after || s.lines < stop_after) {
		/* Every complete line was handed over: only a partial line (no newline) may follow. */
		FUZZ_CHECK(memchr(data + end, '\n', size - (size_t)end) == NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = fuzz_text(data, size);
	fuzz_parse(line, size);
	free(line);

	/* The file part costs a hundred parses (each scan allocates its 1 MiB read chunk, which AddressSanitizer maps
	 * afresh): it runs on inputs whose length is a multiple of 4, so the parser still gets most of the time. */
	if (size % 4 != 0)
		return 0;
	static int fd = -1;
	static char path[64];
	if (fd < 0) {
		fd = memfd_create("fuzz-rollout", MFD_CLOEXEC);
		FUZZ_CHECK(fd >= 0);
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(pwrite(fd, data, size, 0) == (ssize_t)size);
	/* One scan per input: its length picks whether it starts at 0 or in the middle and whether it stops after the
	 * first or second line or never. */
	int mode = (int)(size / 4 % 6);
	fuzz_scan(path, data, size, mode >= 3 ? (long long)(size / 2) : 0, mode % 3);

	struct rollout_meta m;
	struct err e = {0};
	if (rollout_meta_read(path, &m, &e) == 0) {
		FUZZ_CHECK(m.id != NULL);
		rollout_meta_free(&m);
	} else {
		FUZZ_CHECK(m.id == NULL && m.cwd == NULL && e.msg[0]);
	}
	return 0;
}
