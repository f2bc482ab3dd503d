/* sessions (SPEC 3.4), deregister (3.3) and heartbeat: reading and retiring registered sessions. */
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/queue.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "store/store.h"
#include "util/json.h"

/* The WHERE clause of `sessions` for --state (active | gone | all | NULL) and --include-legacy. Legacy rows are
 * the reference's backfilled ones: no pid and no rollout (a disposable app session has a rollout but no pid). */
static const char *sessions_filter(const char *state, int legacy)
{
	if (state && strcmp(state, "gone") == 0)
		return "state = 'gone'";
	if (state && strcmp(state, "all") == 0)
		return "1";
	if (!state && legacy)
		return "state != 'gone'";
	return "state != 'gone' and (pid is not null or codex_session_path is not null)";
}

/* Whether name is one of the --name values (no --name keeps every row). */
static int sessions_named(const struct args *a, const char *name)
{
	if (!args_has(a, "--name"))
		return 1;
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, "--name") == 0 && strcmp(a->v[i].value, name) == 0)
			return 1;
	return 0;
}

/* sessions: registered sessions ordered by registration, each with its communication block. */
static cJSON *session_list(struct ctx *c, const struct args *a, struct err *e)
{
	const char *role, *state;
	if (args_enum(a, "--role", &role, e) != 0 || args_enum(a, "--state", &state, e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s)
		return NULL;
	char sql[512];
	snprintf(sql, sizeof sql,
		 "select " SESSION_COLS " from sessions where %s and (?1 is null or role = ?1) order by registered_at, rowid",
		 sessions_filter(state, args_has(a, "--include-legacy")));
	cJSON *rows = store_rows(s, sql, "s", role);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *out = cJSON_CreateArray(), *row;
	while ((row = cJSON_DetachItemFromArray(rows, 0))) {
		if (!sessions_named(a, json_str(row, "name"))) {
			cJSON_Delete(row);
			continue;
		}
		if (args_has(a, "--redact-identity-token"))
			cJSON_ReplaceItemInObjectCaseSensitive(row, "identity_token", cJSON_CreateString("[REDACTED]"));
		session_add_communication(c->prog, row, NULL);
		cJSON_AddItemToArray(out, row);
	}
	cJSON_Delete(rows);
	return out;
}

/* The flags of sessions. */
static const struct flag_spec sessions_flags[] = {
	{.name = "--role", .type = FLAG_ENUM, .arg = "worker|manager", .help = "list only sessions of this role",
	 .values = (const char *const[]){"worker", "manager", NULL}, .enum_error = "Unsupported sessions role: "},
	{.name = "--state", .type = FLAG_ENUM, .arg = "active|gone|all",
	 .help = "filter by state (default: all but gone)",
	 .values = (const char *const[]){"active", "gone", "all", NULL}, .enum_error = "Unsupported sessions state: "},
	{.name = "--include-legacy", .type = FLAG_BOOL, .help = "also list legacy rows (no pid, no rollout)"},
	{.name = "--name", .type = FLAG_STRING, .arg = "N", .help = "list only the session with this name",
	 .repeat = 1},
	{.name = "--redact-identity-token", .type = FLAG_BOOL, .help = "print identity tokens as [REDACTED]"},
	{0},
};

/* `sessions`. */
const struct cmd_entry cmd_sessions = {
	.word = "sessions",
	.man = "conveyor-session",
	.usage = "sessions [--role worker|manager] [--state active|gone|all] [--include-legacy] [--name N]... "
		"[--redact-identity-token]",
	.summary = "List registered sessions with their communication block.",
	.help = "Without --state, gone sessions are hidden.\n\nexample:\n  conveyor sessions --role worker --redact-identity-token\n",
	.flags = sessions_flags,
	.pre = CMD_READS,
	.run = session_list,
};

/* The active or ending binding that references session_id, or JSON null. */
static cJSON *deregister_binding(struct store *s, const char *session_id, struct err *e)
{
	return optional_row(s, e,
			    "select id, task_id from bindings where state in ('active', 'ending') and "
			    "(worker_session_id = ?1 or manager_session_id = ?1) order by created_at desc limit 1",
			    "s", session_id);
}

/* Records the refusal to deregister a bound session: the failed command, its event, and the error (committed). */
static cJSON *deregister_refuse(struct ctx *c, const struct queued *q, const char *name, const cJSON *binding,
				struct err *e)
{
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg,
		 "cannot deregister session \"%s\": it is still bound to task \"%s\" (binding \"%s\"). Unbind the task first.",
		 name, json_str(binding, "task_id"), json_str(binding, "id"));
	cJSON *result = cJSON_CreateObject();
	cJSON_AddItemToObject(result, "active_binding", cJSON_Duplicate(binding, 1));
	cJSON_AddStringToObject(result, "command_id", q->id);
	cJSON_AddTrueToObject(result, "expected_failure");
	cJSON_AddStringToObject(result, "name", name);
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddItemToObject(payload, "active_binding", cJSON_Duplicate(binding, 1));
	cJSON_AddStringToObject(payload, "error", msg);
	cJSON_AddStringToObject(payload, "error_type", "CodexSessionError");
	cJSON_AddTrueToObject(payload, "expected_failure");
	cJSON_AddStringToObject(payload, "name", name);
	if (queue_finish(c, q, msg, result, e) != 0 ||
	    audit_event(c, "session_deregister_failed", q->task_id, q->id, payload, e) != 0)
		return NULL;
	err_set(e, EXIT_USAGE, "%s", msg);
	e->commit = 1;
	return NULL;
}

/* Marks the session gone and records the successful command. */
static cJSON *deregister_done(struct ctx *c, const struct queued *q, const char *name, struct err *e)
{
	if (store_exec(c->store, "update sessions set state = 'gone', last_heartbeat_at = ? where name = ?", "ss", c->now,
		       name) != 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "name", name);
	cJSON *result = cJSON_CreateObject();
	cJSON_AddStringToObject(result, "command_id", q->id);
	cJSON_AddStringToObject(result, "name", name);
	cJSON_AddStringToObject(result, "state", "gone");
	if (audit_event(c, "session_deregistered", NULL, q->id, payload, e) != 0 || queue_finish(c, q, NULL, result, e) != 0)
		return NULL;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "name", name);
	cJSON_AddStringToObject(r, "state", "gone");
	return r;
}

/* deregister <name>: marks an unbound session gone, through a deregister_session command row. */
static cJSON *session_deregister(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = a->positional;
	if (!name)
		return err_null(e, EXIT_USAGE, "deregister requires a session name.");
	struct store *s = ctx_db(c, e);
	cJSON *session = s ? session_by_name(s, name, NULL, e) : NULL, *binding = NULL, *result = NULL;
	if (!session || !(binding = deregister_binding(s, json_str(session, "id"), e)))
		goto out;
	int bound = cJSON_IsObject(binding);
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddItemToObject(payload, "active_binding", cJSON_Duplicate(binding, 1));
	cJSON_AddBoolToObject(payload, "expected_failure", bound);
	cJSON_AddStringToObject(payload, "name", name);
	cJSON_AddStringToObject(payload, "role", json_str(session, "role"));
	struct queued q;
	if (queue_create(c, &q, "deregister_session", bound ? json_str(binding, "task_id") : NULL, payload, e) != 0 ||
	    queue_attempted(c, &q, e) != 0)
		goto out;
	result = bound ? deregister_refuse(c, &q, name, binding, e) : deregister_done(c, &q, name, e);
out:
	cJSON_Delete(session);
	cJSON_Delete(binding);
	return result;
}

/* `deregister`. */
const struct cmd_entry cmd_deregister = {
	.word = "deregister",
	.man = "conveyor-session",
	.usage = "deregister NAME",
	.summary = "Mark an unbound session gone.",
	.help = "Refused while the session is in an active binding (the refusal is recorded as a failed command).\n"
		"\nexample:\n  conveyor deregister w1\n",
	.positional = "name",
	.pre = CMD_WRITES | CMD_FIXED_OUT,
	.run = session_deregister,
	.text = session_state_text,
};

/* The exact line deregister prints: {"name": "<n>", "state": "gone"} (compact, a space after ':' and ','). */
void session_state_text(const cJSON *r, struct sb *out)
{
	const char *first = cJSON_GetObjectItem(r, "name") ? "name" : "task";
	sb_addf(out, "{\"%s\": ", first);
	json_write_str(out, json_str(r, first));
	sb_adds(out, ", \"state\": ");
	json_write_str(out, json_str(r, "state"));
	sb_adds(out, "}\n");
}

/* heartbeat <session>: marks a registered, live session as seen now (keeps campaign slots on it fresh). */
static cJSON *session_heartbeat(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = a->positional;
	if (!name)
		return err_null(e, EXIT_USAGE, "heartbeat requires a session name.");
	struct store *s = ctx_db(c, e);
	cJSON *session = s ? session_by_name(s, name, NULL, e) : NULL;
	if (!session)
		return NULL;
	cJSON *r = NULL;
	if (strcmp(json_str(session, "state"), "gone") == 0)
		err_set(e, EXIT_USAGE, "session \"%s\" is gone; register it again before it can heartbeat", name);
	else if (store_exec(s, "update sessions set last_heartbeat_at = ? where id = ?", "ss", c->now,
			    json_str(session, "id")) != 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	else {
		r = cJSON_CreateObject();
		session_add_communication(c->prog, session, NULL);
		cJSON_AddItemToObject(r, "communication", cJSON_DetachItemFromObject(session, "communication"));
		cJSON_AddStringToObject(r, "last_heartbeat_at", c->now);
		cJSON_AddStringToObject(r, "name", name);
		cJSON_AddStringToObject(r, "role", json_str(session, "role"));
		cJSON_AddStringToObject(r, "session_id", json_str(session, "id"));
		cJSON_AddStringToObject(r, "state", json_str(session, "state"));
	}
	cJSON_Delete(session);
	return r;
}

/* `heartbeat`. */
const struct cmd_entry cmd_heartbeat = {
	.word = "heartbeat",
	.man = "conveyor-session",
	.usage = "heartbeat SESSION",
	.summary = "Record that a registered session is alive.",
	.help = "Keeps campaign slots attached to the session fresh; a gone session is refused.\n"
		"\nexample:\n  conveyor heartbeat w1\n",
	.positional = "session",
	.pre = CMD_WRITES,
	.run = session_heartbeat,
	.text = session_heartbeat_text,
};

/* heartbeat text: one line. */
void session_heartbeat_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "%s heartbeat recorded at %s\n", json_str(r, "name"), json_str(r, "last_heartbeat_at"));
}
