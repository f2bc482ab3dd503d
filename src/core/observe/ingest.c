/* ingest <session>: reads the rollout from the stored offset, complete lines only, into codex_events. */
#include "core/observe/ingest.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/observe/observe.h"
#include "core/observe/observe_cmds.h"
#include "core/observe/rollout.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* State of one ingest pass, handed to the line callback. */
struct ingest_pass {
	struct ctx *c;
	struct store_stmt *insert;
	const char *session_id;
	struct ingest_result *r;
	int failed;
};

/* Stores one complete line as an event, or counts it as skipped; stops the scan on a database error. */
static int ingest_line(void *arg, const char *line, size_t len, long long start)
{
	struct ingest_pass *p = arg;
	struct rollout_event ev;
	if (rollout_event_parse(line, len, &ev) != 0) {
		p->r->skipped_lines++;
		return 0;
	}
	cJSON *empty = ev.payload ? NULL : cJSON_CreateObject();
	store_reset(p->insert);
	int rc = store_bind(p->insert, "ssssjis", p->session_id, ev.timestamp ? ev.timestamp : p->c->now, ev.type,
			    ev.subtype, ev.payload ? ev.payload : empty, start, p->c->now);
	if (rc == 0 && store_step(p->insert) < 0)
		rc = -1;
	cJSON_Delete(empty);
	cJSON_Delete(ev.record);
	if (rc != 0) {
		p->failed = 1;
		return 1;
	}
	p->r->new_events++;
	return 0;
}

/* Checks the session can be ingested (SPEC 5.1 preconditions); returns the file size or -1 with e set. */
static long long ingest_check(const cJSON *session, const char *name, struct err *e)
{
	const char *state = json_str(session, "state"), *path = json_str(session, "codex_session_path");
	struct stat st;
	if (strcmp(state, "active") != 0) {
		err_set(e, EXIT_USAGE, "session \"%s\" is in state \"%s\"; re-register it before ingesting", name, state);
		return -1;
	}
	if (!path) {
		err_set(e, EXIT_USAGE, "session \"%s\" has no codex_session_path", name);
		return -1;
	}
	if (stat(path, &st) != 0) {
		err_set(e, EXIT_USAGE, "rollout file does not exist: %s", path);
		return -1;
	}
	return (long long)st.st_size;
}

/* Records the ingest in telemetry, with the task of the session's active or ending binding. */
static int ingest_telemetry(struct ctx *c, const char *name, const char *session_id, const struct ingest_result *r,
			    struct err *e)
{
	cJSON *bound = optional_row(c->store, e,
				    "select task_id from bindings where state in ('active', 'ending') and "
				    "(worker_session_id = ?1 or manager_session_id = ?1) order by rowid desc limit 1",
				    "s", session_id);
	if (!bound)
		return -1;
	char summary[512];
	snprintf(summary, sizeof summary, "Ingested Codex events for session %s.", name);
	cJSON *corr = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "session", name);
	cJSON_AddStringToObject(corr, "session_id", session_id);
	cJSON_AddNumberToObject(attrs, "new_events", r->new_events);
	cJSON_AddNumberToObject(attrs, "new_offset", (double)r->new_offset);
	cJSON_AddNumberToObject(attrs, "skipped_lines", r->skipped_lines);
	cJSON_AddNumberToObject(attrs, "start_offset", (double)r->start_offset);
	struct telemetry t = {"workerctl", "codex_events_ingested", "info", summary, json_str(bound, "task_id"), NULL,
			      NULL, corr, attrs};
	int rc = audit_telemetry(c, &t, NULL, e);
	cJSON_Delete(bound);
	return rc;
}

/* Reads the new complete lines of the session's rollout into codex_events (within the caller's transaction).
 * Unlike the reference, the offset moves past every complete line, so a malformed line is skipped once. */
int ingest_session(struct ctx *c, const char *name, struct ingest_result *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	struct store *s = ctx_db(c, e);
	cJSON *session = s ? observe_session(s, name, e) : NULL;
	if (!session)
		return -1;
	int rc = -1;
	const char *id = json_str(session, "id"), *path = json_str(session, "codex_session_path");
	long long size = ingest_check(session, name, e);
	const cJSON *off = cJSON_GetObjectItemCaseSensitive(session, "last_ingest_offset");
	r->start_offset = r->new_offset = cJSON_IsNumber(off) ? (long long)off->valuedouble : 0;
	if (size < 0)
		goto out;
	if (r->start_offset > size) {
		err_set(e, EXIT_USAGE,
			"rollout file shrank: cached offset %lld > current size %lld. The rollout was likely rotated or "
			"truncated. Reset the session's last_ingest_offset (e.g. via re-register) before retrying.",
			r->start_offset, size);
		goto out;
	}
	struct ingest_pass p = {c, store_prepare(s, "insert into codex_events(session_id, timestamp, type, subtype, "
						    "payload_json, byte_offset, ingested_at) values (?, ?, ?, ?, ?, ?, ?)"),
				id, r, 0};
	if (!p.insert) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		goto out;
	}
	r->new_offset = rollout_each_line(path, r->start_offset, ingest_line, &p, e);
	store_finalize(p.insert);
	if (p.failed)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	if (p.failed || r->new_offset < 0)
		goto out;
	if ((r->new_offset != r->start_offset &&
	     store_exec(s, "update sessions set last_ingest_offset = ? where id = ?", "is", r->new_offset, id) != 0) ||
	    store_exec(s, "update sessions set last_heartbeat_at = ? where id = ?", "ss", c->now, id) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		goto out;
	}
	rc = ingest_telemetry(c, name, id, r, e);
out:
	cJSON_Delete(session);
	return rc;
}

/* The result object of ingest: {session, new_events, new_offset, skipped_lines}. */
cJSON *ingest_result_json(const char *name, const struct ingest_result *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "session", name);
	cJSON_AddNumberToObject(o, "new_events", r->new_events);
	cJSON_AddNumberToObject(o, "new_offset", (double)r->new_offset);
	cJSON_AddNumberToObject(o, "skipped_lines", r->skipped_lines);
	return o;
}

/* ingest <session>: the command. */
static cJSON *observe_ingest(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "ingest requires a session name.");
	struct ingest_result r;
	if (ingest_session(c, a->positional, &r, e) != 0)
		return NULL;
	return ingest_result_json(a->positional, &r);
}

/* `ingest`. */
const struct cmd_entry cmd_ingest = {
	.word = "ingest",
	.man = "conveyor-observe",
	.usage = "ingest SESSION",
	.summary = "Read the new complete lines of a session's Codex rollout into its event log.",
	.help = "Starts at the session's stored offset; a trailing partial line is left for the next ingest and a line\n"
		"that is not a JSON object with a string type is counted as skipped once. Refused when the session is\n"
		"not active, has no rollout, or the rollout shrank below the stored offset.\n"
		"\nexample:\n  conveyor ingest worker-1\n",
	.positional = "session",
	.pre = CMD_WRITES,
	.run = observe_ingest,
};
