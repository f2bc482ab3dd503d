/* app-heartbeat: a Codex app session's liveness stamp through its task binding, and what it should poll next. */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/session/prompts.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/json.h"

/* A lease: a heartbeat's age against the stale threshold. */
static cJSON *heartbeat_lease(const char *beat, long long now_ms, long long stale_after, const char **state)
{
	cJSON *o = cJSON_CreateObject();
	long long ms;
	int parsed = beat && clock_parse(beat, &ms) == 0;
	long long age = parsed ? (now_ms - ms > 0 ? (now_ms - ms) / 1000 : 0) : 0;
	*state = !beat ? "missing" : parsed && age <= stale_after ? "healthy" : "stale";
	if (parsed)
		cJSON_AddNumberToObject(o, "age_seconds", (double)age);
	else
		cJSON_AddNullToObject(o, "age_seconds");
	json_add_str(o, "last_heartbeat_at", beat);
	cJSON_AddNumberToObject(o, "stale_after_seconds", (double)stale_after);
	cJSON_AddStringToObject(o, "state", *state);
	return o;
}

/* One role's status in the loop: identity, lease, and the commands it should run. */
static cJSON *heartbeat_role(const struct prompt_ctx *p, const char *role, const cJSON *session, long long now_ms,
			     long long stale_after, const char **state)
{
	cJSON *o = cJSON_CreateObject();
	char verb[32], mid[32];
	snprintf(verb, sizeof verb, "%s-inbox", role);
	snprintf(mid, sizeof mid, " --role %s", role);
	const char *tmux = json_str(session, "tmux_session"), *thread = json_str(session, "codex_app_thread_id");
	struct sb sb;
	sb_init(&sb);
	json_add_str(o, "codex_app_thread_id", thread);
	json_add_str(o, "codex_app_thread_title", json_str(session, "codex_app_thread_title"));
	prompts_command(&sb, p, verb, " --consume-next --wait --timeout 60", " --json");
	cJSON_AddStringToObject(o, "direct_inbox_command", sb.buf);
	sb_free(&sb);
	cJSON_AddItemToObject(o, "lease", heartbeat_lease(json_str(session, "last_heartbeat_at"), now_ms, stale_after, state));
	json_add_str(o, "name", json_str(session, "name"));
	prompts_command(&sb, p, "app-heartbeat", mid, " --json");
	cJSON_AddStringToObject(o, "poll_command", sb.buf);
	sb_free(&sb);
	cJSON_AddStringToObject(o, "receive_style", tmux ? "push" : "pull");
	json_add_str(o, "session_id", json_str(session, "id"));
	cJSON_AddStringToObject(o, "session_kind", tmux ? "tmux" : thread ? "codex_app" : "no_tmux");
	return o;
}

/* The dispatcher's liveness: its newest dispatch_watch_heartbeat telemetry. */
static cJSON *heartbeat_dispatch(struct store *s, const char *dispatcher, long long now_ms, long long stale_after,
				 const char **state, struct err *e)
{
	cJSON *row = optional_row(s, e,
				  "select timestamp from telemetry_events where actor = 'dispatch' and event_type = "
				  "'dispatch_watch_heartbeat' and json_extract(correlation_json, '$.dispatcher_id') = ? "
				  "order by timestamp desc, id desc limit 1",
				  "s", dispatcher);
	if (!row)
		return NULL;
	cJSON *o = cJSON_CreateObject(), *lease = heartbeat_lease(json_str(row, "timestamp"), now_ms, stale_after, state);
	cJSON_AddStringToObject(o, "dispatcher_id", dispatcher);
	cJSON_AddItemToObject(o, "last_heartbeat_at", cJSON_DetachItemFromObject(lease, "last_heartbeat_at"));
	cJSON_AddStringToObject(o, "state", *state);
	cJSON_Delete(lease);
	cJSON_Delete(row);
	return o;
}

/* Adds one next action {kind, prompt, reason, role?} to the list. */
static void heartbeat_action(cJSON *list, const char *kind, const char *prompt, const char *reason, const char *role)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "kind", kind);
	cJSON_AddStringToObject(a, "prompt", prompt);
	cJSON_AddStringToObject(a, "reason", reason);
	if (role)
		cJSON_AddStringToObject(a, "role", role);
	cJSON_AddItemToArray(list, a);
}

/* The loop status of the task's binding: dispatcher and both leases, what to wake, and whether all is healthy. */
static cJSON *heartbeat_status(struct ctx *c, const struct prompt_ctx *p, const cJSON *task, const char *dispatcher,
			       long long stale_after, struct err *e)
{
	cJSON *sessions = store_rows(c->store,
				     "select 'worker' as slot, s.* from bindings b join sessions s on s.id = b.worker_session_id "
				     "where b.id = (select id from bindings where task_id = ?1 and state in ('active', 'ending') "
				     "order by created_at desc limit 1) union all "
				     "select 'manager' as slot, s.* from bindings b join sessions s on s.id = b.manager_session_id "
				     "where b.id = (select id from bindings where task_id = ?1 and state in ('active', 'ending') "
				     "order by created_at desc limit 1)",
				     "s", json_str(task, "id"));
	if (!sessions)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	const char *dstate, *states[2] = {"missing", "missing"};
	cJSON *status = cJSON_CreateObject(), *dispatch = heartbeat_dispatch(c->store, dispatcher, c->now_ms, stale_after,
									       &dstate, e);
	if (!dispatch) {
		cJSON_Delete(sessions);
		cJSON_Delete(status);
		return NULL;
	}
	cJSON_AddItemToObject(status, "dispatch", dispatch);
	static const char *const roles[] = {"manager", "worker"};
	for (int i = 0; i < 2; i++) {
		const cJSON *session = NULL, *it;
		cJSON_ArrayForEach(it, sessions) if (strcmp(json_str(it, "slot"), roles[i]) == 0) session = it;
		cJSON_AddItemToObject(status, roles[i], heartbeat_role(p, roles[i], session, c->now_ms, stale_after, &states[i]));
	}
	cJSON *next = cJSON_AddArrayToObject(status, "next_actions");
	char reason[128];
	struct sb sb;
	sb_init(&sb);
	if (strcmp(dstate, "healthy") != 0) {
		sb_addf(&sb, "Run: %s dispatch --watch --dispatcher-id ", p->prog);
		shell_quote(&sb, dispatcher);
		sb_adds(&sb, " --path ");
		shell_quote(&sb, p->db);
		snprintf(reason, sizeof reason, "Dispatch %s is %s.", dispatcher, dstate);
		heartbeat_action(next, "start_dispatch", sb.buf, reason, NULL);
		sb_free(&sb);
	}
	for (int i = 0; i < 2; i++) {
		if (strcmp(states[i], "healthy") == 0)
			continue;
		char kind[32];
		snprintf(kind, sizeof kind, "wake_%s", roles[i]);
		snprintf(reason, sizeof reason, "%s heartbeat is %s.", i == 0 ? "Manager" : "Worker", states[i]);
		heartbeat_action(next, kind, json_str(cJSON_GetObjectItem(status, roles[i]), "poll_command"), reason, roles[i]);
	}
	cJSON_AddBoolToObject(status, "ok", cJSON_GetArraySize(next) == 0);
	cJSON *t = cJSON_AddObjectToObject(status, "task");
	cJSON_AddStringToObject(t, "id", json_str(task, "id"));
	cJSON_AddStringToObject(t, "name", json_str(task, "name"));
	cJSON_Delete(sessions);
	return status;
}

/* The task's bound active session of role through its newest active or ending binding, or NULL with e set. */
static cJSON *heartbeat_session(struct store *s, const cJSON *task, const char *role, struct err *e)
{
	char sql[512];
	snprintf(sql, sizeof sql,
		 "select s.id, s.name from bindings b join sessions s on s.id = b.%s_session_id where b.task_id = ? and "
		 "b.state in ('active', 'ending') and s.role = ? and s.state = 'active' order by b.created_at desc limit 1",
		 role);
	cJSON *row;
	int rc = store_row(s, &row, sql, "ss", json_str(task, "id"), role);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "No active bound %s session for task.", role);
	return row;
}

/* app-heartbeat <task> --role worker|manager: stamps the bound session's heartbeat (second precision), records
 * app_heartbeat telemetry, and returns the loop status with the session's next commands. */
static cJSON *app_heartbeat(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "app-heartbeat command requires a task.");
	const char *role = args_get(a, "--role");
	if (!role || (strcmp(role, "worker") != 0 && strcmp(role, "manager") != 0))
		return err_null(e, EXIT_USAGE, "app-heartbeat requires --role manager|worker");
	const char *dispatcher = args_get(a, "--dispatcher-id") ? args_get(a, "--dispatcher-id") : "dispatch-local";
	long long stale_after = args_int_or(a, "--stale-after", 180);
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, a->positional, e) : NULL, *session = NULL, *result = NULL;
	if (!task || !(session = heartbeat_session(s, task, role, e)))
		goto out;
	char at[CLOCK_ISO_LEN], summary[512];
	clock_format_s(c->now_ms, at);
	c->now_ms = c->now_ms / 1000 * 1000;
	if (store_exec(s, "update sessions set last_heartbeat_at = ? where id = ?", "ss", at, json_str(session, "id")) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		goto out;
	}
	struct prompt_ctx p = {c->prog, json_str(task, "name"), c->db_path};
	cJSON *status = heartbeat_status(c, &p, task, dispatcher, stale_after, e);
	if (!status)
		goto out;
	const cJSON *mine = cJSON_GetObjectItem(status, role);
	cJSON *attributes = cJSON_CreateObject(), *correlation = cJSON_CreateObject();
	cJSON_AddStringToObject(attributes, "direct_inbox_command", json_str(mine, "direct_inbox_command"));
	cJSON_AddStringToObject(attributes, "role", role);
	cJSON_AddStringToObject(attributes, "session_id", json_str(session, "id"));
	cJSON_AddStringToObject(attributes, "task", json_str(task, "name"));
	cJSON_AddStringToObject(correlation, "command", "app-heartbeat");
	snprintf(summary, sizeof summary, "%s app heartbeat for %s.", role, json_str(task, "name"));
	struct telemetry t = {role, "app_heartbeat", "info", summary, json_str(task, "id"), NULL, at, correlation, attributes};
	if (audit_telemetry(c, &t, NULL, e) != 0) {
		cJSON_Delete(status);
		goto out;
	}
	result = cJSON_CreateObject();
	cJSON *hb = cJSON_AddObjectToObject(result, "heartbeat"), *next = cJSON_AddObjectToObject(result, "next");
	cJSON_AddStringToObject(hb, "recorded_at", at);
	cJSON_AddStringToObject(hb, "state", "recorded");
	cJSON_AddStringToObject(next, "direct_inbox_command", json_str(mine, "direct_inbox_command"));
	cJSON_AddStringToObject(next, "poll_command", json_str(mine, "poll_command"));
	cJSON_AddStringToObject(result, "role", role);
	cJSON_AddItemToObject(result, "task", cJSON_Duplicate(cJSON_GetObjectItem(status, "task"), 1));
	cJSON_AddItemToObject(result, "status", status);
out:
	cJSON_Delete(task);
	cJSON_Delete(session);
	return result;
}

/* The flags of app-heartbeat. */
static const struct flag_spec app_heartbeat_flags[] = {
	{.name = "--role", .type = FLAG_ENUM, .arg = "worker|manager", .help = "which bound session beats (required)",
	 .values = (const char *const[]){"worker", "manager", NULL}},
	{.name = "--dispatcher-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "dispatcher to check (default dispatch-local)"},
	{.name = "--stale-after", .type = FLAG_COUNT, .arg = "SECONDS",
	 .help = "heartbeat age counted as stale (default 180)"},
	{0},
};

/* `app-heartbeat`. */
const struct cmd_entry cmd_app_heartbeat = {
	.word = "app-heartbeat",
	.man = "conveyor-session",
	.usage = "app-heartbeat TASK --role worker|manager [--dispatcher-id ID] [--stale-after SECONDS]",
	.summary = "Record a bound Codex app session's heartbeat and print what it should poll next.",
	.help = "\nexample:\n  conveyor app-heartbeat docs --role worker --json\n",
	.flags = app_heartbeat_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = app_heartbeat,
	.text = app_heartbeat_text,
};

/* app-heartbeat text: the receipt and the command to run next. */
void app_heartbeat_text(const cJSON *r, struct sb *out)
{
	const cJSON *next = cJSON_GetObjectItem(r, "next");
	sb_addf_clean(out, "%s heartbeat recorded for %s\nNext: %s\n", json_str(r, "role"),
		      json_str(cJSON_GetObjectItem(r, "task"), "name"), json_str(next, "direct_inbox_command"));
}
