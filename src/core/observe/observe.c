/* classify (SPEC 5.3), tail (5.5) and divergences (5.6): reading what workers did and showed. */
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/base/audit.h"
#include "core/base/secret.h"
#include "core/cmd/cmd.h"
#include "core/observe/classify.h"
#include "core/observe/observe.h"
#include "core/observe/observe_cmds.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/fs.h"
#include "util/json.h"

#define OBSERVE_MAX_SCREEN (16 << 20)
#define OBSERVE_MAX_READ (256 << 20) /* the most classify reads from a stream before refusing it */

/* A classifier verdict as JSON: {pattern, reason, recommended_action} (+ needs_you when asked), or null. */
cJSON *observe_hit_json(const struct classify_hit *hit, int with_needs_you)
{
	if (!hit)
		return cJSON_CreateNull();
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, with_needs_you ? "state" : "pattern", hit->pattern);
	cJSON_AddStringToObject(o, "reason", hit->reason);
	cJSON_AddStringToObject(o, "recommended_action", hit->recommended_action);
	if (with_needs_you)
		cJSON_AddBoolToObject(o, "needs_you", hit->needs_you);
	return o;
}

/* Opens what classify --file names: standard input for "-", else a regular file, positioned at its last
 * OBSERVE_MAX_SCREEN bytes (the classifier reads the end of a screen); NULL with e set. */
static FILE *observe_open_screen(const char *path, struct err *e)
{
	if (strcmp(path, "-") == 0)
		return stdin;
	int err_no;
	int fd = fs_open_regular(path, &err_no);
	if (fd < 0)
		return err_null(e, EXIT_USAGE, "cannot read %s: %s%s", path, fs_open_error(err_no),
				err_no == ENODEV ? " (--file - reads standard input)" : "");
	off_t size = lseek(fd, 0, SEEK_END);
	lseek(fd, size > OBSERVE_MAX_SCREEN ? size - OBSERVE_MAX_SCREEN : 0, SEEK_SET);
	FILE *f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f ? f : err_null(e, EXIT_USAGE, "cannot read %s: %s", path, strerror(errno));
}

/* Reads a screen capture (a file, or stdin for "-") into a malloc'd string, keeping its last 16-32 MiB and
 * reading at most OBSERVE_MAX_READ bytes (so an endless stream fails instead of running forever); NULL with e set. */
static char *observe_read_file(const char *path, struct err *e)
{
	FILE *f = observe_open_screen(path, e);
	if (!f)
		return NULL;
	struct sb sb;
	sb_init(&sb);
	char buf[8192];
	size_t n;
	long long total = 0;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0 && (total += (long long)n) <= OBSERVE_MAX_READ) {
		sb_addn(&sb, buf, n);
		if (sb.len > 2 * OBSERVE_MAX_SCREEN) {
			memmove(sb.buf, sb.buf + sb.len - OBSERVE_MAX_SCREEN, OBSERVE_MAX_SCREEN + 1);
			sb.len = OBSERVE_MAX_SCREEN;
		}
	}
	if (f != stdin)
		fclose(f);
	if (total > OBSERVE_MAX_READ) {
		sb_free(&sb);
		return err_null(e, EXIT_USAGE, "%s is longer than %d MiB; classify reads a screen capture",
				strcmp(path, "-") == 0 ? "standard input" : path, OBSERVE_MAX_READ >> 20);
	}
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb_take(&sb);
}

/* The classify result for text: the reference fields plus the 0.169 screen state. */
cJSON *observe_classify_json(const char *text, long long status_age, long long busy_wait)
{
	const char *reason;
	const char *startup = classify_startup(text, &reason);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "busy_wait", observe_hit_json(classify_busy_wait(text, status_age, busy_wait, 0), 0));
	cJSON_AddNumberToObject(o, "busy_wait_seconds", (double)busy_wait);
	cJSON_AddItemToObject(o, "screen", observe_hit_json(classify_screen(text), 1));
	cJSON_AddStringToObject(o, "startup", startup);
	cJSON_AddStringToObject(o, "startup_reason", reason);
	cJSON_AddNumberToObject(o, "status_age_seconds", (double)status_age);
	return o;
}

/* classify --text T | --file F: classifies captured terminal text; reads nothing from the database. */
static cJSON *observe_classify(struct ctx *c, const struct args *a, struct err *e)
{
	(void)c;
	const char *text = args_get(a, "--text"), *file = args_get(a, "--file");
	if (!!text == !!file)
		return err_null(e, EXIT_USAGE, "classify requires exactly one of --text or --file.");
	long long age = args_int_or(a, "--status-age-seconds", 90);
	long long busy = args_int_or(a, "--busy-wait-seconds", 90);
	if (age < 0 || busy < 0)
		return err_null(e, EXIT_USAGE, "--status-age-seconds and --busy-wait-seconds must not be negative.");
	char *owned = file ? observe_read_file(file, e) : NULL;
	if (file && !owned)
		return NULL;
	cJSON *r = observe_classify_json(owned ? owned : text, age, busy);
	free(owned);
	return r;
}

/* The flags of classify. */
static const struct flag_spec classify_flags[] = {
	{.name = "--text", .type = FLAG_STRING, .arg = "T", .help = "terminal text to classify (or --file)"},
	{.name = "--file", .type = FLAG_STRING, .arg = "F", .help = "file to classify, - for standard input"},
	{.name = "--status-age-seconds", .type = FLAG_COUNT, .arg = "N",
	 .help = "age of the worker's status in seconds (default 90)"},
	{.name = "--busy-wait-seconds", .type = FLAG_COUNT, .arg = "N",
	 .help = "busy-wait threshold in seconds (default 90)"},
	{0},
};

/* `classify`. */
const struct cmd_entry cmd_classify = {
	.word = "classify",
	.man = "conveyor-observe",
	.usage = "classify (--text T | --file F) [--status-age-seconds N] [--busy-wait-seconds N]",
	.summary = "Classify captured terminal text: startup state, screen state and busy-wait pattern.",
	.help = "--file - reads standard input. The busy-wait pattern is reported only when the status age (default 90)\n"
		"is at least the busy-wait threshold (default 90). The screen state (trust, login, approval, confirm,\n"
		"network_retry, working, mcp_startup, interrupted, ready) says whether the worker needs a person.\n"
		"\nexample:\n  tmux capture-pane -p -t codex-w1 | conveyor classify --file - --json\n",
	.flags = classify_flags,
	.pre = CMD_READS,
	.run = observe_classify,
	.text = observe_classify_text,
};

/* Text form of classify: startup, screen and busy-wait verdicts, one per line. */
void observe_classify_text(const cJSON *r, struct sb *out)
{
	const cJSON *screen = cJSON_GetObjectItem(r, "screen"), *busy = cJSON_GetObjectItem(r, "busy_wait");
	sb_addf_clean(out, "startup: %s (%s)\n", json_str(r, "startup"), json_str(r, "startup_reason"));
	if (cJSON_IsObject(screen))
		sb_addf_clean(out, "screen: %s (%s)%s\n", json_str(screen, "state"), json_str(screen, "reason"),
			      cJSON_IsTrue(cJSON_GetObjectItem(screen, "needs_you")) ? " - needs you" : "");
	else
		sb_adds(out, "screen: unrecognized\n");
	if (cJSON_IsObject(busy))
		sb_addf_clean(out, "busy_wait: %s -> %s (%s)\n", json_str(busy, "pattern"),
			      json_str(busy, "recommended_action"), json_str(busy, "reason"));
	else
		sb_adds(out, "busy_wait: none\n");
}

/* Whether key names worker content that tail hides unless --include-content. */
static int observe_content_key(const char *key)
{
	static const char *const keys[] = {"content", "message", "output", "segment_text", "text"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (strcmp(key, keys[i]) == 0)
			return 1;
	return 0;
}

/* Replaces, at any depth, string values under content keys by <key>_redacted, _byte_count and _line_count
 * (lines = newline count + 1, 0 for an empty string), and any other string that holds something secret-shaped
 * (a final message, a function call's arguments, a command line, session instructions) by
 * "[redacted: <kind>]". */
static void observe_redact(cJSON *node)
{
	cJSON *child = node ? node->child : NULL;
	while (child) {
		cJSON *next = child->next;
		if (cJSON_IsObject(node) && cJSON_IsString(child) && observe_content_key(child->string)) {
			const char *v = child->valuestring;
			double lines = *v ? 1 : 0;
			for (const char *p = v; *p; p++)
				lines += *p == '\n';
			char key[128];
			snprintf(key, sizeof key, "%s_byte_count", child->string);
			cJSON_AddNumberToObject(node, key, (double)strlen(v));
			snprintf(key, sizeof key, "%s_line_count", child->string);
			cJSON_AddNumberToObject(node, key, lines);
			snprintf(key, sizeof key, "%s_redacted", child->string);
			cJSON_AddTrueToObject(node, key);
			cJSON_Delete(cJSON_DetachItemViaPointer(node, child));
		} else if (cJSON_IsString(child)) {
			const char *kind = secret_scan(child->valuestring, SECRET_TEXT);
			char masked[128];
			snprintf(masked, sizeof masked, "[redacted: %s]", kind ? kind : "");
			if (kind)
				cJSON_SetValuestring(child, masked);
		} else {
			observe_redact(child);
		}
		child = next;
	}
}

/* The session named by a positional, with the reference's "Unknown session" message. */
cJSON *observe_session(struct store *s, const char *name, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select " SESSION_COLS " from sessions where name = ?", "s", name);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	return rc == 0 ? err_null(e, EXIT_USAGE, "Unknown session: %s", name) : row;
}

/* The positional (missing: the message) and --limit (default 50, at least 1) of tail and divergences; 0, or -1
 * with e set. */
static int observe_target(const struct args *a, const char *missing, long long *limit, struct err *e)
{
	if (!a->positional) {
		err_set(e, EXIT_USAGE, "%s", missing);
		return -1;
	}
	return args_int(a, "--limit", 50, limit, e);
}

/* Records that recent events of a session were read. */
static int observe_tail_telemetry(struct ctx *c, const char *name, const char *session_id, long long limit,
				  const char *subtype, int returned, struct err *e)
{
	char summary[512];
	snprintf(summary, sizeof summary, "Read recent Codex events for session %s.", name);
	cJSON *corr = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "session", name);
	cJSON_AddStringToObject(corr, "session_id", session_id);
	cJSON_AddNumberToObject(attrs, "limit", (double)limit);
	cJSON_AddNumberToObject(attrs, "returned_count", returned);
	json_add_str(attrs, "subtype", subtype);
	struct telemetry t = {"workerctl", "codex_events_tail_read", "info", summary, NULL, NULL, NULL, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* tail <session>: the newest codex_events of a session, content redacted unless --include-content. */
static cJSON *observe_tail(struct ctx *c, const struct args *a, struct err *e)
{
	long long limit;
	if (observe_target(a, "tail requires a session name.", &limit, e) != 0)
		return NULL;
	const char *subtype = args_get(a, "--subtype");
	struct store *s = ctx_db(c, e);
	cJSON *session = s ? observe_session(s, a->positional, e) : NULL;
	if (!session)
		return NULL;
	cJSON *rows = store_rows(s,
				 "select byte_offset, id, payload_json, subtype, timestamp, type from codex_events "
				 "where session_id = ?1 and (?2 is null or subtype = ?2) order by id desc limit ?3",
				 "ssi", json_str(session, "id"), subtype, limit);
	if (!rows) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	} else {
		cJSON *row;
		cJSON_ArrayForEach(row, rows)
		if (!args_has(a, "--include-content"))
			observe_redact(cJSON_GetObjectItem(row, "payload"));
		if (observe_tail_telemetry(c, a->positional, json_str(session, "id"), limit, subtype,
					   cJSON_GetArraySize(rows), e) != 0) {
			cJSON_Delete(rows);
			rows = NULL;
		}
	}
	cJSON_Delete(session);
	return rows;
}

/* The flags of tail. */
static const struct flag_spec tail_flags[] = {
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "show at most N events (default 50)", .min = 1,
	 .range_error = "--limit must be at least 1."},
	{.name = "--subtype", .type = FLAG_STRING, .arg = "S", .help = "only events of this subtype"},
	{.name = "--include-content", .type = FLAG_BOOL, .help = "show content instead of byte and line counts"},
	{0},
};

/* `tail`. */
const struct cmd_entry cmd_tail = {
	.word = "tail",
	.man = "conveyor-observe",
	.usage = "tail SESSION [--limit N] [--subtype S] [--include-content]",
	.summary = "Show a session's newest ingested Codex events (content redacted unless --include-content).",
	.help = "Strings under content, message, output, segment_text and text keys are replaced by their byte and line\n"
		"counts unless --include-content. --limit defaults to 50.\n"
		"\nexample:\n  conveyor tail worker-1 --limit 5 --json\n",
	.flags = tail_flags,
	.positional = "session",
	.pre = CMD_WRITES,
	.run = observe_tail,
	.text = observe_tail_text,
};

/* Text form of tail: "#<id> <timestamp> <type>[/<subtype>] @<offset>" per event, newest first. */
void observe_tail_text(const cJSON *r, struct sb *out)
{
	const cJSON *ev;
	cJSON_ArrayForEach(ev, r)
	{
		const char *sub = json_str(ev, "subtype");
		sb_addf_clean(out, "#%lld %s %s%s%s @%lld\n", (long long)cJSON_GetObjectItem(ev, "id")->valuedouble,
			      json_str(ev, "timestamp"), json_str(ev, "type"), sub ? "/" : "", sub ? sub : "",
			      (long long)cJSON_GetObjectItem(ev, "byte_offset")->valuedouble);
	}
	if (!cJSON_GetArraySize(r))
		sb_adds(out, "no events\n");
}

/* divergences <task>: the task's cycles whose pane showed a notable pattern, newest first. */
static cJSON *observe_divergences(struct ctx *c, const struct args *a, struct err *e)
{
	long long limit;
	if (observe_target(a, "divergences requires a task.", &limit, e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, a->positional, e) : NULL;
	if (!task)
		return NULL;
	cJSON *rows = store_rows(s,
				 "select completed_at, id, json_extract(status_json, '$.notable_pane_pattern') as "
				 "notable_pane_pattern, started_at, state, json(status_json) as status_json, task_id "
				 "from manager_cycles where task_id = ? and json_extract(status_json, "
				 "'$.notable_pane_pattern') is not null order by id desc limit ?",
				 "si", json_str(task, "id"), limit);
	if (!rows)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON_Delete(task);
	return rows;
}

/* The flags of divergences. */
static const struct flag_spec limit_flags[] = {
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "show at most N cycles (default 50)", .min = 1,
	 .range_error = "--limit must be at least 1."},
	{0},
};

/* `divergences`. */
const struct cmd_entry cmd_divergences = {
	.word = "divergences",
	.man = "conveyor-observe",
	.usage = "divergences TASK [--limit N]",
	.summary = "List the task's cycles whose worker pane showed a notable pattern, newest first.",
	.help = "\nexample:\n  conveyor divergences docs --json\n",
	.flags = limit_flags,
	.positional = "task",
	.pre = CMD_READS,
	.run = observe_divergences,
	.text = observe_divergences_text,
};

/* Text form of divergences: "#<id> <started_at> <pattern> <state>" per cycle. */
void observe_divergences_text(const cJSON *r, struct sb *out)
{
	const cJSON *cy;
	cJSON_ArrayForEach(cy, r)
	sb_addf_clean(out, "#%lld %s %s %s\n", (long long)cJSON_GetObjectItem(cy, "id")->valuedouble,
		      json_str(cy, "started_at"), json_str(cy, "notable_pane_pattern"), json_str(cy, "state"));
	if (!cJSON_GetArraySize(r))
		sb_adds(out, "no divergences\n");
}
