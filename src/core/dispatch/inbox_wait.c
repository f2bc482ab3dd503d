/* The inbox commands (SPEC 6.5): resolving the session, the wait options, and the poll loop, which sleeps between
 * cheap checks without holding the database and returns as soon as an item arrives. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/clock.h"
#include "core/dispatch/dispatch_cmds.h"
#include "util/proc.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* The longest --timeout or --interval: its milliseconds must fit one sleep (an int). */
#define INBOX_MAX_SECONDS 2000000

/* What the inbox flags ask for. */
struct inbox_opts {
	int consume, wait;
	double timeout_s, interval_s;
	long long timeout_ms, interval_ms, limit;
};

/* Reads a seconds flag (decimals allowed) into *seconds, def when absent; -1 with e set when it is not a number. */
static int inbox_seconds(const struct args *a, const char *flag, double def, double *seconds, struct err *e)
{
	const char *v = args_get(a, flag);
	*seconds = def;
	if (!v)
		return 0;
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d > INBOX_MAX_SECONDS) {
		err_set(e, EXIT_USAGE, "%s must be a number of seconds (at most %d).", flag, INBOX_MAX_SECONDS);
		return -1;
	}
	*seconds = d;
	return 0;
}

/* Validates --timeout (>= 0, default 30), --interval (> 0, default 2) and --limit (default 10, at least 1). */
static int inbox_opts_parse(const struct args *a, struct inbox_opts *o, struct err *e)
{
	o->consume = args_has(a, "--consume-next");
	o->wait = args_has(a, "--wait");
	if (inbox_seconds(a, "--timeout", 30, &o->timeout_s, e) != 0 ||
	    inbox_seconds(a, "--interval", 2, &o->interval_s, e) != 0)
		return -1;
	if (o->timeout_s < 0) {
		err_set(e, EXIT_USAGE, "--timeout must be zero or greater.");
		return -1;
	}
	if (o->interval_s <= 0) {
		err_set(e, EXIT_USAGE, "--interval must be greater than zero.");
		return -1;
	}
	const char *limit = args_get(a, "--limit");
	o->limit = limit ? strtoll(limit, NULL, 10) : 10;
	o->limit = o->limit < 1 ? 1 : o->limit;
	o->timeout_ms = llround(o->timeout_s * 1000);
	o->interval_ms = llround(o->interval_s * 1000);
	o->interval_ms = o->interval_ms < 1 ? 1 : o->interval_ms;
	return 0;
}

/* The wall-clock instant of this poll in millisecond form (CONVEYOR_NOW when set). */
static void inbox_now(const struct ctx *c, char out[CLOCK_ISO_LEN])
{
	long long ms;
	if (clock_now(&ms) != 0)
		ms = c->now_ms;
	clock_format_ms(ms, out);
}

/* Polls until the inbox has an item (consuming the oldest with --consume-next), after one poll without --wait, or
 * at the timeout; releases the database while it sleeps. Adds consumed and wait to r; -1 with e set. */
static int inbox_poll(struct ctx *c, const char *session_id, const struct inbox_opts *o, cJSON *r, struct err *e)
{
	long long start = proc_monotonic_ms(), elapsed;
	int polls = 0, timed_out = 0, found = 0;
	cJSON *consumed = NULL;
	for (;;) {
		polls++;
		if (!ctx_db(c, e))
			return -1;
		if (o->consume) {
			char when[CLOCK_ISO_LEN];
			inbox_now(c, when);
			consumed = inbox_consume_next(c, session_id, when, e);
			found = consumed && !cJSON_IsNull(consumed);
		} else {
			found = inbox_has_next(c->store, session_id, e);
		}
		if ((o->consume && !consumed) || found < 0)
			return -1;
		elapsed = proc_monotonic_ms() - start;
		if (found || !o->wait || (timed_out = elapsed >= o->timeout_ms))
			break;
		cJSON_Delete(consumed);
		consumed = NULL;
		if (ctx_release(c, e) != 0)
			return -1;
		long long left = o->timeout_ms - elapsed;
		proc_sleep_ms((int)(o->interval_ms < left ? o->interval_ms : left));
	}
	cJSON_AddItemToObject(r, "consumed", consumed ? consumed : cJSON_CreateNull());
	cJSON *w = cJSON_AddObjectToObject(r, "wait");
	cJSON_AddNumberToObject(w, "elapsed_seconds", (double)(proc_monotonic_ms() - start) / 1000.0);
	cJSON_AddBoolToObject(w, "enabled", o->wait);
	cJSON_AddNumberToObject(w, "interval_seconds", o->interval_s);
	cJSON_AddNumberToObject(w, "poll_count", polls);
	cJSON_AddBoolToObject(w, "timed_out", timed_out);
	cJSON_AddNumberToObject(w, "timeout_seconds", o->timeout_s);
	return 0;
}

/* The session a task's active binding names for role ("manager" or "worker"): {id, name, role}; NULL with e set. */
static cJSON *inbox_bound_session(struct store *s, const cJSON *task, const char *ref, const char *role,
				  struct err *e)
{
	cJSON *binding = binding_active(s, json_str(task, "id"), e);
	if (!binding)
		return NULL;
	cJSON *session = NULL;
	if (cJSON_IsNull(binding)) {
		err_set(e, EXIT_USAGE, "task \"%s\" has no active binding; bind a worker and a manager first", ref);
	} else {
		char key[32];
		snprintf(key, sizeof key, "%s_session_id", role);
		session = optional_row(s, e, "select id, name, role from sessions where id = ?", "s",
				       json_str(binding, key));
		if (cJSON_IsNull(session)) {
			err_set(e, EXIT_USAGE, "the %s session of task \"%s\" is no longer registered", role, ref);
			cJSON_Delete(session);
			session = NULL;
		}
	}
	cJSON_Delete(binding);
	return session;
}

/* The session an inbox command reads: by name (role NULL) or through the task's binding; adds session and task
 * to r. Returns the session id (owned by r) or NULL with e set. */
static const char *inbox_resolve(struct store *s, const struct args *a, const char *role, cJSON *r, struct err *e)
{
	cJSON *session = NULL;
	if (!role) {
		cJSON *row = session_by_name(s, a->positional, NULL, e);
		if (!row)
			return NULL;
		session = cJSON_CreateObject();
		cJSON_AddStringToObject(session, "id", json_str(row, "id"));
		cJSON_AddStringToObject(session, "name", json_str(row, "name"));
		cJSON_AddStringToObject(session, "role", json_str(row, "role"));
		cJSON_Delete(row);
	} else {
		cJSON *task = task_lookup(s, a->positional, e);
		session = task ? inbox_bound_session(s, task, a->positional, role, e) : NULL;
		if (session) {
			cJSON *t = cJSON_AddObjectToObject(r, "task");
			cJSON_AddStringToObject(t, "id", json_str(task, "id"));
			cJSON_AddStringToObject(t, "name", json_str(task, "name"));
		}
		cJSON_Delete(task);
		if (!session)
			return NULL;
	}
	cJSON_AddItemToObject(r, "session", session);
	return json_str(session, "id");
}

/* Runs one inbox command: validate, resolve the session, poll, then list what is still pending. */
static cJSON *inbox_run(struct ctx *c, const struct args *a, const char *role, struct err *e)
{
	struct inbox_opts o;
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "%s requires %s.", a->word, role ? "a task" : "a session name");
	if (inbox_opts_parse(a, &o, e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s)
		return NULL;
	cJSON *r = cJSON_CreateObject();
	const char *session_id = inbox_resolve(s, a, role, r, e);
	cJSON *items = NULL;
	if (session_id && inbox_poll(c, session_id, &o, r, e) == 0)
		items = inbox_items(c->store, session_id, o.limit, e);
	if (!items) {
		cJSON_Delete(r);
		return NULL;
	}
	cJSON_AddItemToObject(r, "items", items);
	return r;
}

/* session-inbox SESSION: the inbox of a session by name. */
cJSON *inbox_session(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, NULL, e);
}

/* manager-inbox TASK: the inbox of the manager bound to the task. */
cJSON *inbox_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, "manager", e);
}

/* worker-inbox TASK: the inbox of the worker bound to the task. */
cJSON *inbox_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, "worker", e);
}
