/* Unit tests of the rollout reader (SPEC 5.1/5.2 with the Codex 0.169 facts): complete lines only and exact
 * offsets, lines longer than the reader's 1 MiB chunk, a trailing partial line left for later, stopping early,
 * what counts as a malformed line, and the turn-state rule of both rollout formats (older user_message events,
 * 0.169 item_completed UserMessage, turn_aborted). The real rollouts are found next to this source file (or under
 * $CONVEYOR_FIXTURES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/base/err.h"
#include "core/observe/rollout.h"
#include "util/sb.h"

#define MIB (1 << 20)

/* A fixture rollout's path. */
static void fixture_path(const char *name, char *out, size_t len)
{
	const char *env = getenv("CONVEYOR_FIXTURES");
	if (env && *env) {
		snprintf(out, len, "%s/codex-0.169/%s", env, name);
		return;
	}
	const char *file = __FILE__;
	const char *slash = strrchr(file, '/');
	snprintf(out, len, "%.*s/../fixtures/codex-0.169/%s", slash ? (int)(slash - file) : 1, slash ? file : ".",
		 name);
}

/* A temporary file holding n bytes of data; its path is written to path. */
static void temp_file(char *path, size_t len, const char *data, size_t n)
{
	snprintf(path, len, "%s/conveyor-rollout-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(fd, data + off, n - off);
		assert_true(w > 0);
		off += (size_t)w;
	}
	close(fd);
}

/* Appends data to a file. */
static void append_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs(data, f);
	fclose(f);
}

/* What the line callback saw. */
#define MAX_LINES 64
struct seen {
	int n;
	size_t len[MAX_LINES];
	long long start[MAX_LINES];
	char *text[MAX_LINES]; /* first 64 bytes of each line */
	int nul_terminated[MAX_LINES];
	int stop_after;        /* stop after this many lines (0: never) */
	char fill[MAX_LINES];  /* when set, every byte of the line must be this */
};

static int collect(void *arg, const char *line, size_t len, long long start)
{
	struct seen *s = arg;
	assert_true(s->n < MAX_LINES);
	s->len[s->n] = len;
	s->start[s->n] = start;
	s->text[s->n] = strndup(line, len < 64 ? len : 64);
	s->nul_terminated[s->n] = line[len] == '\0';
	if (s->fill[s->n])
		for (size_t i = 0; i < len; i++)
			if (line[i] != s->fill[s->n])
				fail_msg("line %d byte %zu is 0x%02x, expected '%c'", s->n, i, (unsigned char)line[i],
					 s->fill[s->n]);
	s->n++;
	return s->stop_after && s->n >= s->stop_after;
}

static void seen_free(struct seen *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->text[i]);
	memset(s, 0, sizeof *s);
}

/* ---- rollout_each_line ----------------------------------------------------------------------------------- */

/* Lines and offsets are exact; an empty line is a line; the partial tail is left; a later call resumes. */
static void test_lines_and_offsets(void **state)
{
	(void)state;
	char path[512];
	const char *data = "a\nbb\n\nccc";
	temp_file(path, sizeof path, data, strlen(data));
	struct seen s = {0};
	struct err e = {0};
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), 6);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.text[0], "a");
	assert_int_equal(s.start[0], 0);
	assert_int_equal(s.len[0], 1);
	assert_string_equal(s.text[1], "bb");
	assert_int_equal(s.start[1], 2);
	assert_string_equal(s.text[2], "");
	assert_int_equal(s.start[2], 5);
	assert_int_equal(s.len[2], 0);
	for (int i = 0; i < s.n; i++)
		assert_true(s.nul_terminated[i]);
	seen_free(&s);
	/* from the returned offset: nothing new until the partial line is completed */
	assert_int_equal(rollout_each_line(path, 6, collect, &s, &e), 6);
	assert_int_equal(s.n, 0);
	append_file(path, "c\r\nd");
	assert_int_equal(rollout_each_line(path, 6, collect, &s, &e), 12);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.text[0], "cccc\r"); /* only '\n' ends a line; a '\r' stays in it */
	assert_int_equal(s.start[0], 6);
	seen_free(&s);
	/* from the middle of the file (an offset inside a line reads from there) */
	assert_int_equal(rollout_each_line(path, 3, collect, &s, &e), 12);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.text[0], "b");
	assert_int_equal(s.start[0], 3);
	seen_free(&s);
	/* at or past the end: nothing, the offset comes back */
	assert_int_equal(rollout_each_line(path, 12, collect, &s, &e), 12);
	assert_int_equal(rollout_each_line(path, 1000, collect, &s, &e), 1000);
	assert_int_equal(s.n, 0);
	unlink(path);
	/* an empty file, and a file that is one partial line */
	temp_file(path, sizeof path, "", 0);
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), 0);
	unlink(path);
	temp_file(path, sizeof path, "{\"type\":", 8);
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), 0);
	assert_int_equal(s.n, 0);
	unlink(path);
}

/* A missing file is an error naming it; nothing is called. */
static void test_missing_file(void **state)
{
	(void)state;
	struct seen s = {0};
	struct err e = {0};
	assert_int_equal(rollout_each_line("/nonexistent/rollout.jsonl", 0, collect, &s, &e), -1);
	assert_int_equal(e.code, EXIT_USAGE);
	assert_string_equal(e.msg, "cannot read rollout file /nonexistent/rollout.jsonl: No such file or directory");
	assert_int_equal(s.n, 0);
}

/* Lines longer than the 1 MiB read chunk, lines ending exactly at a chunk boundary, and a long partial tail. */
static void test_long_lines(void **state)
{
	(void)state;
	/* line lengths (without '\n'): just under, at and over the chunk, several chunks, then short ones */
	static const size_t lens[] = {MIB - 1, MIB, 1, MIB + 1, 3 * MIB + 17, 0, 20 * 1024, 5};
	const size_t n = sizeof lens / sizeof *lens;
	struct sb sb;
	sb_init(&sb);
	struct seen want = {0};
	for (size_t i = 0; i < n; i++) {
		char c = (char)('a' + i);
		want.start[i] = (long long)sb.len;
		want.fill[i] = c;
		for (size_t k = 0; k < lens[i]; k++)
			sb_addc(&sb, c);
		sb_addc(&sb, '\n');
	}
	long long complete = (long long)sb.len;
	for (size_t k = 0; k < 2 * MIB; k++) /* a 2 MiB partial line */
		sb_addc(&sb, 'z');
	char path[512];
	temp_file(path, sizeof path, sb.buf, sb.len);
	sb_free(&sb);
	struct seen s = {0};
	memcpy(s.fill, want.fill, sizeof s.fill);
	struct err e = {0};
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), complete);
	assert_int_equal(s.n, (int)n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(s.len[i], lens[i]);
		assert_int_equal(s.start[i], want.start[i]);
		assert_true(s.nul_terminated[i]);
	}
	seen_free(&s);
	/* resuming at the partial line: still nothing; completed, it is one 2 MiB line */
	assert_int_equal(rollout_each_line(path, complete, collect, &s, &e), complete);
	assert_int_equal(s.n, 0);
	append_file(path, "\n");
	s.fill[0] = 'z';
	assert_int_equal(rollout_each_line(path, complete, collect, &s, &e), complete + 2 * MIB + 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.len[0], 2 * MIB);
	assert_int_equal(s.start[0], complete);
	seen_free(&s);
	unlink(path);
}

/* A callback that returns non-zero stops the scan after that line; the offset is just past it. */
static void test_stop_early(void **state)
{
	(void)state;
	char path[512];
	const char *data = "one\ntwo\nthree\nfour\n";
	temp_file(path, sizeof path, data, strlen(data));
	struct seen s = {0};
	s.stop_after = 2;
	struct err e = {0};
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), 8);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[1], "two");
	seen_free(&s);
	s.stop_after = 1;
	assert_int_equal(rollout_each_line(path, 8, collect, &s, &e), 14);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.text[0], "three");
	seen_free(&s);
	unlink(path);
	/* stopping inside a second chunk */
	struct sb sb;
	sb_init(&sb);
	for (size_t k = 0; k < MIB + 100; k++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\nA\nB\n");
	temp_file(path, sizeof path, sb.buf, sb.len);
	s.stop_after = 2;
	assert_int_equal(rollout_each_line(path, 0, collect, &s, &e), MIB + 100 + 3);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.text[1], "A");
	seen_free(&s);
	sb_free(&sb);
	unlink(path);
}

/* ---- rollout_event_parse --------------------------------------------------------------------------------- */

/* Parses a string literal line. */
static int parse(const char *line, struct rollout_event *ev)
{
	return rollout_event_parse(line, strlen(line), ev);
}

/* Records with a string type are events; their subtype, payload and timestamp follow SPEC 5.1. */
static void test_parse_events(void **state)
{
	(void)state;
	struct rollout_event ev;
	assert_int_equal(parse("{\"timestamp\":\"2026-11-25T08:47:16.978Z\",\"ordinal\":3,\"type\":\"event_msg\","
			       "\"payload\":{\"type\":\"task_started\",\"turn_id\":\"t1\"}}",
			       &ev),
			 0);
	assert_string_equal(ev.type, "event_msg");
	assert_string_equal(ev.subtype, "task_started");
	assert_non_null(ev.payload);
	assert_string_equal(cJSON_GetObjectItem(ev.payload, "turn_id")->valuestring, "t1");
	assert_string_equal(ev.timestamp, "2026-11-25T08:47:16.978Z");
	cJSON_Delete(ev.record);
	/* a subtype only for event_msg */
	assert_int_equal(parse("{\"type\":\"response_item\",\"payload\":{\"type\":\"message\"}}", &ev), 0);
	assert_string_equal(ev.type, "response_item");
	assert_null(ev.subtype);
	assert_non_null(ev.payload);
	assert_null(ev.timestamp);
	cJSON_Delete(ev.record);
	/* event_msg whose payload.type is not a string, or that has no payload */
	assert_int_equal(parse("{\"type\":\"event_msg\",\"payload\":{\"type\":7}}", &ev), 0);
	assert_null(ev.subtype);
	cJSON_Delete(ev.record);
	assert_int_equal(parse("{\"type\":\"event_msg\"}", &ev), 0);
	assert_null(ev.subtype);
	assert_null(ev.payload);
	cJSON_Delete(ev.record);
	/* a payload that is not an object is no payload (stored as {}) */
	assert_int_equal(parse("{\"type\":\"event_msg\",\"payload\":[{\"type\":\"task_started\"}]}", &ev), 0);
	assert_null(ev.payload);
	assert_null(ev.subtype);
	cJSON_Delete(ev.record);
	assert_int_equal(parse("{\"type\":\"x\",\"payload\":\"text\"}", &ev), 0);
	assert_null(ev.payload);
	cJSON_Delete(ev.record);
	/* an empty or non-string timestamp is none */
	assert_int_equal(parse("{\"type\":\"x\",\"timestamp\":\"\"}", &ev), 0);
	assert_null(ev.timestamp);
	cJSON_Delete(ev.record);
	assert_int_equal(parse("{\"type\":\"x\",\"timestamp\":1795596509}", &ev), 0);
	assert_null(ev.timestamp);
	cJSON_Delete(ev.record);
	/* an empty type is still a string type; whitespace around the value is fine; UTF-8 is kept */
	assert_int_equal(parse("{\"type\":\"\"}", &ev), 0);
	assert_string_equal(ev.type, "");
	cJSON_Delete(ev.record);
	assert_int_equal(parse("  {\"type\":\"x\"} \t\r", &ev), 0);
	assert_string_equal(ev.type, "x");
	cJSON_Delete(ev.record);
	assert_int_equal(parse("{\"type\":\"\xe2\x80\xba caf\xc3\xa9\"}", &ev), 0);
	assert_string_equal(ev.type, "\xe2\x80\xba caf\xc3\xa9");
	cJSON_Delete(ev.record);
}

/* Lines that are skipped: not JSON, trailing garbage after the value, not an object, no string type. */
static void test_parse_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"   ",
		"not json",
		"{",
		"{\"type\":\"x\"",
		"{\"type\":\"x\"} trailing",
		"{\"type\":\"x\"}{\"type\":\"y\"}",
		"{\"type\":\"x\"},",
		"{\"type\":\"x\"}]",
		"[]",
		"[{\"type\":\"x\"}]",
		"\"event_msg\"",
		"42",
		"null",
		"true",
		"{}",
		"{\"payload\":{\"type\":\"task_started\"}}",
		"{\"type\":1}",
		"{\"type\":null}",
		"{\"type\":{\"name\":\"x\"}}",
		"{\"type\":[\"x\"]}",
		"{'type':'x'}",
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct rollout_event ev;
		print_message("  %s\n", bad[i]);
		assert_int_equal(parse(bad[i], &ev), -1);
		assert_null(ev.record);
		assert_null(ev.type);
	}
}

/* A NUL byte inside the line ends nothing: what follows it still counts, so garbage after it is malformed. */
static void test_parse_embedded_nul(void **state)
{
	(void)state;
	static const char line[] = "{\"type\":\"x\"}\0garbage";
	struct rollout_event ev;
	int rc = rollout_event_parse(line, sizeof line - 1, &ev);
	if (rc == 0)
		cJSON_Delete(ev.record);
	assert_int_equal(rc, -1);
}

/* A ~20 KB line (a real session_meta with its base instructions) parses whole. */
static void test_parse_long_line(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb);
	sb_adds(&sb, "{\"timestamp\":\"2026-11-25T08:47:16.978Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"s1\","
		     "\"base_instructions\":{\"text\":\"");
	for (int i = 0; i < 2100; i++)
		sb_adds(&sb, "You are \\\"Codex\\\". \\u00e9");
	sb_adds(&sb, "\"},\"cwd\":\"/home/op\"}}");
	assert_true(sb.len > 20 * 1024);
	struct rollout_event ev;
	assert_int_equal(rollout_event_parse(sb.buf, sb.len, &ev), 0);
	assert_string_equal(ev.type, "session_meta");
	assert_null(ev.subtype);
	assert_string_equal(cJSON_GetObjectItem(ev.payload, "cwd")->valuestring, "/home/op");
	const char *text = cJSON_GetObjectItem(cJSON_GetObjectItem(ev.payload, "base_instructions"), "text")->valuestring;
	assert_int_equal(strlen(text), 2100 * strlen("You are \"Codex\". \xc3\xa9"));
	cJSON_Delete(ev.record);
	sb_free(&sb);
}

/* ---- rollout_state_of ------------------------------------------------------------------------------------ */

/* The state a record implies, from its type, subtype and payload JSON. */
static enum rollout_state state_of(const char *type, const char *subtype, const char *payload_json)
{
	cJSON *payload = payload_json ? cJSON_Parse(payload_json) : NULL;
	if (payload_json)
		assert_non_null(payload);
	enum rollout_state s = rollout_state_of(type, subtype, payload);
	cJSON_Delete(payload);
	return s;
}

/* Both formats: older user_message, 0.169 item_completed UserMessage; AgentMessage and the rest say nothing. */
static void test_state_rule(void **state)
{
	(void)state;
	static const struct {
		const char *type, *subtype, *payload;
		enum rollout_state want;
	} rows[] = {
		{"event_msg", "task_started", "{\"type\":\"task_started\"}", ROLLOUT_BUSY},
		{"event_msg", "task_started", NULL, ROLLOUT_BUSY},
		{"event_msg", "user_message", "{\"type\":\"user_message\",\"message\":\"go\"}", ROLLOUT_BUSY},
		{"event_msg", "task_complete", "{\"type\":\"task_complete\"}", ROLLOUT_IDLE},
		{"event_msg", "turn_aborted", "{\"type\":\"turn_aborted\",\"reason\":\"interrupted\"}", ROLLOUT_IDLE},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\",\"item\":{\"type\":\"UserMessage\"}}",
		 ROLLOUT_BUSY},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\",\"item\":{\"type\":\"AgentMessage\"}}",
		 ROLLOUT_NONE},
		{"event_msg", "item_completed",
		 "{\"type\":\"item_completed\",\"item\":{\"type\":\"CommandExecution\"}}", ROLLOUT_NONE},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\",\"item\":{\"type\":\"userMessage\"}}",
		 ROLLOUT_NONE},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\",\"item\":{\"type\":1}}", ROLLOUT_NONE},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\",\"item\":\"UserMessage\"}", ROLLOUT_NONE},
		{"event_msg", "item_completed", "{\"type\":\"item_completed\"}", ROLLOUT_NONE},
		{"event_msg", "item_completed", NULL, ROLLOUT_NONE},
		{"event_msg", "agent_message", "{\"type\":\"agent_message\",\"message\":\"done\"}", ROLLOUT_NONE},
		{"event_msg", "token_count", "{\"type\":\"token_count\"}", ROLLOUT_NONE},
		{"event_msg", "thread_settings_applied", "{}", ROLLOUT_NONE},
		{"event_msg", "Task_Started", "{}", ROLLOUT_NONE},
		{"event_msg", NULL, "{}", ROLLOUT_NONE},
		/* only event_msg records carry turn state */
		{"response_item", "task_started", "{\"type\":\"task_started\"}", ROLLOUT_NONE},
		{"session_meta", "task_complete", "{}", ROLLOUT_NONE},
		{"turn_context", "item_completed", "{\"item\":{\"type\":\"UserMessage\"}}", ROLLOUT_NONE},
		{NULL, "task_started", "{}", ROLLOUT_NONE},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		print_message("  %s/%s %s\n", rows[i].type ? rows[i].type : "NULL",
			      rows[i].subtype ? rows[i].subtype : "NULL", rows[i].payload ? rows[i].payload : "NULL");
		assert_int_equal(state_of(rows[i].type, rows[i].subtype, rows[i].payload), rows[i].want);
	}
	assert_string_equal(rollout_state_name(ROLLOUT_BUSY), "busy");
	assert_string_equal(rollout_state_name(ROLLOUT_IDLE), "idle");
	assert_string_equal(rollout_state_name(ROLLOUT_NONE), "unknown");
}

/* Replays a rollout line by line through parse and the state rule, as cycle would after each line. */
struct replay {
	int lines, events, skipped;
	enum rollout_state state;
	char trace[512]; /* one letter per state change: B busy, I idle */
	long long end;
};

static int replay_line(void *arg, const char *line, size_t len, long long start)
{
	(void)start;
	struct replay *r = arg;
	struct rollout_event ev;
	r->lines++;
	if (rollout_event_parse(line, len, &ev) != 0) {
		r->skipped++;
		return 0;
	}
	r->events++;
	enum rollout_state s = rollout_state_of(ev.type, ev.subtype, ev.payload);
	if (s != ROLLOUT_NONE) {
		size_t n = strlen(r->trace);
		if (n + 1 < sizeof r->trace)
			r->trace[n] = s == ROLLOUT_BUSY ? 'B' : 'I';
		r->state = s;
	}
	cJSON_Delete(ev.record);
	return 0;
}

static struct replay replay_file(const char *path)
{
	struct replay r;
	memset(&r, 0, sizeof r);
	struct err e = {0};
	r.end = rollout_each_line(path, 0, replay_line, &r, &e);
	return r;
}

/* The four real 0.169 rollouts: every line is an event, each turn goes busy then idle, ending idle. */
static void test_real_rollouts(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		int lines;
		long long size;
		const char *trace;
	} rows[] = {
		/* task_started, UserMessage ... task_complete */
		{"exec-toolcall.jsonl", 19, 16843, "BBI"},
		{"exec-missing-key-error.jsonl", 10, 11675, "BBI"},
		{"tui-3turns.jsonl", 43, 50621, "BBIBBIBBI"},
		/* turn 2 is interrupted (turn_aborted); a message typed while busy (turn 9) joins the running turn */
		{"tui-approval-interrupt-steer.jsonl", 100, 117523, "BBIBBIBBIBBIBBIBBIBBIBBBIBBI"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		char path[1024];
		fixture_path(rows[i].file, path, sizeof path);
		struct replay r = replay_file(path);
		print_message("  %s: %s\n", rows[i].file, r.trace);
		assert_int_equal(r.end, rows[i].size);
		assert_int_equal(r.lines, rows[i].lines);
		assert_int_equal(r.events, rows[i].lines);
		assert_int_equal(r.skipped, 0);
		assert_string_equal(r.trace, rows[i].trace);
		assert_int_equal(r.state, ROLLOUT_IDLE);
	}
}

/* The interrupted turn of the real rollout: busy right before turn_aborted, idle right after it. */
static void test_turn_aborted_in_real_rollout(void **state)
{
	(void)state;
	char path[1024];
	fixture_path("tui-approval-interrupt-steer.jsonl", path, sizeof path);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	enum rollout_state st = ROLLOUT_NONE, before_abort = ROLLOUT_NONE;
	int aborts = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		line[n - 1] = '\0';
		struct rollout_event ev;
		assert_int_equal(rollout_event_parse(line, (size_t)n - 1, &ev), 0);
		if (ev.subtype && strcmp(ev.subtype, "turn_aborted") == 0) {
			aborts++;
			before_abort = st;
			assert_string_equal(cJSON_GetObjectItem(ev.payload, "reason")->valuestring, "interrupted");
		}
		enum rollout_state s = rollout_state_of(ev.type, ev.subtype, ev.payload);
		if (s != ROLLOUT_NONE)
			st = s;
		if (aborts == 1 && ev.subtype && strcmp(ev.subtype, "turn_aborted") == 0)
			assert_int_equal(st, ROLLOUT_IDLE);
		cJSON_Delete(ev.record);
	}
	free(line);
	fclose(f);
	assert_int_equal(aborts, 1);
	assert_int_equal(before_abort, ROLLOUT_BUSY);
}

/* An older-format rollout (event_msg user_message / agent_message, no item_completed), with malformed lines. */
static void test_older_format(void **state)
{
	(void)state;
	const char *data =
		"{\"timestamp\":\"2025-06-01T10:00:00.000Z\",\"type\":\"session_meta\",\"payload\":{\"id\":\"old\"}}\n"
		"{\"timestamp\":\"2025-06-01T10:00:01.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\","
		"\"message\":\"fix the build\"}}\n"
		"garbage\n"
		"{\"timestamp\":\"2025-06-01T10:00:02.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"agent_message\","
		"\"message\":\"working on it\"}}\n"
		"{\"timestamp\":\"2025-06-01T10:00:03.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"task_complete\"}}"
		"\n"
		"{\"timestamp\":\"2025-06-01T10:00:04.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"user_message\","
		"\"message\":\"again\"}}\n"
		"{\"timestamp\":\"2025-06-01T10:00:05.000Z\",\"type\":\"event_msg\",\"payload\":{\"type\":\"agent_message\","
		"\"message\":\"on it\"}}\n"
		"{\"type\":\"event_msg\",\"payload\":{\"type\":\"task_comp";
	char path[512];
	temp_file(path, sizeof path, data, strlen(data));
	struct replay r = replay_file(path);
	assert_int_equal(r.lines, 7);
	assert_int_equal(r.events, 6);
	assert_int_equal(r.skipped, 1);
	assert_string_equal(r.trace, "BIB");
	assert_int_equal(r.state, ROLLOUT_BUSY); /* the agent_message after the last user_message changes nothing */
	assert_int_equal(r.end, (long long)(strrchr(data, '\n') - data + 1));
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_and_offsets),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_stop_early),
		cmocka_unit_test(test_parse_events),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_embedded_nul),
		cmocka_unit_test(test_parse_long_line),
		cmocka_unit_test(test_state_rule),
		cmocka_unit_test(test_real_rollouts),
		cmocka_unit_test(test_turn_aborted_in_real_rollout),
		cmocka_unit_test(test_older_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
