/* The rotation plan: who owns the worker thread, what blocks replacing it, and the ownership guard. */
#include "core/rotation/rotation.h"

#include <string.h>

#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* Whether s is NULL or empty. */
static int rotation_blank(const char *s)
{
	return !s || !*s;
}

/* Loads the session row with this id (SPEC 3 columns). */
static cJSON *rotation_session(struct store *s, const char *id, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select " SESSION_COLS " from sessions where id = ?", "s", id);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	return rc ? row : err_null(e, EXIT_USAGE, "binding session %s no longer exists", id ? id : "(null)");
}

/* The task's newest worker handoff {created_at, id, next_steps, summary, worker_session_id}, or JSON null. */
static cJSON *rotation_handoff(struct store *s, const char *task_id, struct err *e)
{
	return optional_row(s, e,
			    "select created_at, id, next_steps_json, summary, worker_session_id from worker_handoffs "
			    "where task_id = ? order by id desc limit 1",
			    "s", task_id);
}

/* Adds the blockers of SPEC 4.1 in order; two missing thread ids are not "the same thread". */
static void rotation_blockers(struct rotation *r, const char *old_thread, int require_handoff)
{
	const char *wthread = json_str(r->worker, "codex_app_thread_id");
	const char *mthread = json_str(r->manager, "codex_app_thread_id");
	const char *hsession = json_str(r->handoff, "worker_session_id");
	const char *wid = json_str(r->worker, "id");
	int checks[] = {
		strcmp(json_str(r->binding, "state"), "active") != 0,
		strcmp(json_str(r->worker, "state"), "active") != 0,
		json_str(r->worker, "tmux_session") != NULL,
		rotation_blank(wthread),
		!wthread || strcmp(wthread, old_thread) != 0,
		strcmp(json_str(r->manager, "id"), wid) == 0 || (wthread && mthread && strcmp(wthread, mthread) == 0),
		require_handoff && !cJSON_IsObject(r->handoff),
		require_handoff && cJSON_IsObject(r->handoff) && (!hsession || strcmp(hsession, wid) != 0),
	};
	static const char *const names[] = {
		"active_binding_not_active",	 "worker_session_not_active",	"worker_session_is_tmux_backed",
		"missing_worker_codex_app_thread_id", "old_worker_thread_id_mismatch", "manager_worker_thread_not_distinct",
		"missing_worker_handoff",	 "handoff_worker_session_mismatch",
	};
	r->blockers = cJSON_CreateArray();
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (checks[i])
			cJSON_AddItemToArray(r->blockers, cJSON_CreateString(names[i]));
}

/* The guard object of SPEC 4.1 step 6. */
static cJSON *rotation_guard(const struct rotation *r, const char *old_thread, int require_handoff)
{
	cJSON *g = cJSON_CreateObject();
	const char *wthread = json_str(r->worker, "codex_app_thread_id");
	cJSON_AddBoolToObject(g, "active_binding", strcmp(json_str(r->binding, "state"), "active") == 0);
	cJSON_AddStringToObject(g, "binding_id", json_str(r->binding, "id"));
	cJSON_AddBoolToObject(g, "exact_thread_match", wthread && strcmp(wthread, old_thread) == 0);
	cJSON_AddStringToObject(g, "expected_old_worker_thread_id", old_thread);
	cJSON_AddStringToObject(g, "manager_session_id", json_str(r->manager, "id"));
	json_add_str(g, "manager_thread_id", json_str(r->manager, "codex_app_thread_id"));
	cJSON_AddBoolToObject(g, "require_handoff", require_handoff);
	cJSON_AddStringToObject(g, "role", "worker");
	cJSON_AddStringToObject(g, "task_id", json_str(r->task, "id"));
	cJSON_AddStringToObject(g, "worker_session_id", json_str(r->worker, "id"));
	cJSON_AddStringToObject(g, "worker_state", json_str(r->worker, "state"));
	return g;
}

/* Computes the plan for task_ref: task, active binding, both sessions, latest handoff, blockers and guard. */
int rotation_compute(struct ctx *c, const char *task_ref, const char *old_thread, int require_handoff,
		     struct rotation *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	struct store *s = c->store;
	if (!(r->task = task_lookup(s, task_ref, e)) || !(r->binding = binding_active(s, json_str(r->task, "id"), e)))
		return -1;
	if (!cJSON_IsObject(r->binding) || !json_str(r->binding, "worker_session_id") ||
	    !json_str(r->binding, "manager_session_id")) {
		err_set(e, EXIT_USAGE, "no active session-based binding for task \"%s\"", json_str(r->task, "name"));
		return -1;
	}
	if (!(r->worker = rotation_session(s, json_str(r->binding, "worker_session_id"), e)) ||
	    !(r->manager = rotation_session(s, json_str(r->binding, "manager_session_id"), e)) ||
	    !(r->handoff = rotation_handoff(s, json_str(r->task, "id"), e)))
		return -1;
	rotation_blockers(r, old_thread, require_handoff);
	r->guard = rotation_guard(r, old_thread, require_handoff);
	return 0;
}

/* Frees what rotation_compute loaded. */
void rotation_free(struct rotation *r)
{
	cJSON_Delete(r->task);
	cJSON_Delete(r->binding);
	cJSON_Delete(r->worker);
	cJSON_Delete(r->manager);
	cJSON_Delete(r->handoff);
	cJSON_Delete(r->blockers);
	cJSON_Delete(r->guard);
	memset(r, 0, sizeof *r);
}

/* old_worker: {codex_app_thread_id, codex_app_thread_title, name, session_id} as loaded. */
cJSON *rotation_old_worker(const struct rotation *r)
{
	cJSON *o = cJSON_CreateObject();
	json_add_str(o, "codex_app_thread_id", json_str(r->worker, "codex_app_thread_id"));
	json_add_str(o, "codex_app_thread_title", json_str(r->worker, "codex_app_thread_title"));
	cJSON_AddStringToObject(o, "name", json_str(r->worker, "name"));
	cJSON_AddStringToObject(o, "session_id", json_str(r->worker, "id"));
	return o;
}

/* task: {id, name}. */
cJSON *rotation_task(const struct rotation *r)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "id", json_str(r->task, "id"));
	cJSON_AddStringToObject(o, "name", json_str(r->task, "name"));
	return o;
}
