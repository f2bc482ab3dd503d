/* bind and unbind (SPEC 3.6): one active binding per task and per session. */
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/session/binding.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "store/store.h"
#include "util/json.h"

/* The session name with the role, refused when it is gone; NULL with e set. */
static cJSON *binding_session(struct store *s, const char *name, const char *role, struct err *e)
{
	cJSON *session = session_by_name(s, name, role, e);
	if (session && strcmp(json_str(session, "state"), "gone") == 0) {
		err_set(e, EXIT_USAGE, "%s session \"%s\" is gone; register it again before binding it", role, name);
		cJSON_Delete(session);
		return NULL;
	}
	return session;
}

/* Fails when the session is already in an active or ending binding. */
static int binding_session_free(struct store *s, const char *role, const char *name, const char *session_id,
				struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row,
			   "select id, task_id from bindings where state in ('active', 'ending') and "
			   "(worker_session_id = ?1 or manager_session_id = ?1) limit 1",
			   "s", session_id);
	if (rc < 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	else if (rc == 1)
		err_set(e, EXIT_USAGE, "%s session \"%s\" is already bound to task \"%s\" (binding \"%s\")", role, name,
			json_str(row, "task_id"), json_str(row, "id"));
	cJSON_Delete(row);
	return rc == 0 ? 0 : -1;
}

/* Binds the named worker and manager sessions to task (task_ref is how the caller named it): all SPEC 3.6 checks,
 * gone sessions refused, then the binding row; a candidate task becomes managed. */
int binding_create(struct ctx *c, const cJSON *task, const char *task_ref, const char *worker, const char *manager,
		   char id[IDS_LEN], struct err *e)
{
	struct store *s = c->store;
	cJSON *ws = binding_session(s, worker, "worker", e), *ms = ws ? binding_session(s, manager, "manager", e) : NULL;
	cJSON *existing = ms ? binding_active(s, json_str(task, "id"), e) : NULL;
	int rc = -1;
	if (!existing)
		goto out;
	if (cJSON_IsObject(existing)) {
		err_set(e, EXIT_USAGE, "task \"%s\" already has an active binding \"%s\"", task_ref, json_str(existing, "id"));
		goto out;
	}
	if (binding_session_free(s, "worker", worker, json_str(ws, "id"), e) != 0 ||
	    binding_session_free(s, "manager", manager, json_str(ms, "id"), e) != 0)
		goto out;
	ids_new("binding", id);
	if (store_exec(s,
		       "insert into bindings(id, task_id, worker_session_id, manager_session_id, state, created_at) "
		       "values (?, ?, ?, ?, 'active', ?)",
		       "sssss", id, json_str(task, "id"), json_str(ws, "id"), json_str(ms, "id"), c->now) != 0 ||
	    store_exec(s, "update tasks set state = 'managed', updated_at = ? where id = ? and state = 'candidate'", "ss",
		       c->now, json_str(task, "id")) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		goto out;
	}
	rc = 0;
out:
	cJSON_Delete(ws);
	cJSON_Delete(ms);
	cJSON_Delete(existing);
	return rc;
}

/* bind --task T --worker W --manager M. */
static cJSON *binding_bind(struct ctx *c, const struct args *a, struct err *e)
{
	const char *task_ref = args_get(a, "--task"), *worker = args_get(a, "--worker"), *manager = args_get(a, "--manager");
	if (!task_ref || !worker || !manager)
		return err_null(e, EXIT_USAGE, "bind requires --task, --worker, and --manager.");
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, task_ref, e) : NULL, *r = NULL;
	char id[IDS_LEN];
	if (!task || binding_create(c, task, task_ref, worker, manager, id, e) != 0)
		goto out;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "binding_id", id);
	cJSON_AddStringToObject(payload, "manager", manager);
	cJSON_AddStringToObject(payload, "task", task_ref);
	cJSON_AddStringToObject(payload, "worker", worker);
	if (audit_event(c, "binding_created", json_str(task, "id"), NULL, payload, e) != 0)
		goto out;
	r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "binding_id", id);
	cJSON_AddStringToObject(r, "manager", manager);
	cJSON_AddStringToObject(r, "task", task_ref);
	cJSON_AddStringToObject(r, "worker", worker);
out:
	cJSON_Delete(task);
	return r;
}

/* The flags of bind. */
static const struct flag_spec bind_flags[] = {
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "task name or id (required)"},
	{.name = "--worker", .type = FLAG_STRING, .arg = "W", .help = "worker session name (required)"},
	{.name = "--manager", .type = FLAG_STRING, .arg = "M", .help = "manager session name (required)"},
	{0},
};

/* `bind`. */
const struct cmd_entry cmd_bind = {
	.word = "bind",
	.man = "conveyor-session",
	.usage = "bind --task T --worker W --manager M",
	.summary = "Bind a worker and a manager session to a task.",
	.help = "Gone sessions are refused; a candidate task becomes managed.\n"
		"\nexample:\n  conveyor bind --task docs --worker w1 --manager m1\n",
	.flags = bind_flags,
	.pre = CMD_WRITES,
	.run = binding_bind,
};

/* unbind --task T: ends the task's active and ending bindings. */
static cJSON *binding_unbind(struct ctx *c, const struct args *a, struct err *e)
{
	const char *task_ref = args_get(a, "--task");
	if (!task_ref)
		return err_null(e, EXIT_USAGE, "unbind requires --task.");
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, task_ref, e) : NULL, *r = NULL;
	if (!task)
		return NULL;
	if (store_exec(s, "update bindings set state = 'ended', ended_at = ? where task_id = ? and state in ('active', 'ending')",
		       "ss", c->now, json_str(task, "id")) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	} else if (store_changes(s) == 0) {
		err_set(e, EXIT_USAGE, "no active binding for task \"%s\"", task_ref);
	} else {
		cJSON *payload = cJSON_CreateObject();
		cJSON_AddStringToObject(payload, "task", task_ref);
		if (audit_event(c, "binding_ended", json_str(task, "id"), NULL, payload, e) == 0) {
			r = cJSON_CreateObject();
			cJSON_AddStringToObject(r, "task", task_ref);
			cJSON_AddStringToObject(r, "state", "ended");
		}
	}
	cJSON_Delete(task);
	return r;
}

/* The flags of unbind. */
static const struct flag_spec unbind_flags[] = {
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "task whose active binding ends (required)"},
	{0},
};

/* `unbind`. */
const struct cmd_entry cmd_unbind = {
	.word = "unbind",
	.man = "conveyor-session",
	.usage = "unbind --task T",
	.summary = "End a task's active binding.",
	.help = "\nexample:\n  conveyor unbind --task docs\n",
	.flags = unbind_flags,
	.pre = CMD_WRITES | CMD_FIXED_OUT,
	.run = binding_unbind,
	.text = session_state_text,
};
