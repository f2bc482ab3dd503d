/* The inbox commands (SPEC 6.5): resolving the session, the wait options, and the poll loop, which sleeps between
 * cheap checks without holding the database and returns as soon as an item arrives. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/cmd/cmd.h"
#include "util/clock.h"
#include "core/dispatch/dispatch_cmds.h"
#include "util/proc.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* What the inbox flags ask for. */
struct inbox_opts {
	int consume, wait;
	double timeout_s, interval_s;
	long long timeout_ms, interval_ms, limit;
};

/* Validates --timeout (>= 0, default 30), --interval (> 0, default 2) and --limit (default 10, at least 1). */
static int inbox_opts_parse(const struct args *a, struct inbox_opts *o, struct err *e)
{
	o->consume = args_has(a, "--consume-next");
	o->wait = args_has(a, "--wait");
	if (args_seconds(a, "--timeout", 30, &o->timeout_s, e) != 0 ||
	    args_seconds(a, "--interval", 2, &o->interval_s, e) != 0)
		return -1;
	o->limit = args_int_or(a, "--limit", 10);
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
static cJSON *inbox_session(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, NULL, e);
}

/* The flags of manager-inbox, session-inbox, worker-inbox. */
static const struct flag_spec inbox_flags[] = {
	{.name = "--consume-next", .type = FLAG_BOOL, .help = "mark the oldest item consumed and return it"},
	{.name = "--wait", .type = FLAG_BOOL, .help = "poll until an item arrives or --timeout passes"},
	{.name = "--timeout", .type = FLAG_SECONDS, .arg = "S",
	 .help = "seconds --wait waits (default 30, decimals allowed)", .max = 2000000},
	{.name = "--interval", .type = FLAG_SECONDS, .arg = "S", .help = "seconds between --wait polls (default 2)",
	 .max = 2000000, .positive = 1},
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "list at most N pending items (default 10)"},
	{0},
};

/* `session-inbox`. */
const struct cmd_entry cmd_session_inbox = {
	.word = "session-inbox",
	.man = "conveyor-dispatch",
	.usage = "session-inbox SESSION [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	.summary = "List (or consume the oldest of) the delivered, unconsumed notifications of a session.",
	.help = "--wait polls every S seconds (--interval, default 2, decimals allowed) until an item is there or\n"
		"--timeout S (default 30) passes; the database is not held while it sleeps. --consume-next marks the\n"
		"oldest item consumed (no two readers get the same item). --limit N (default 10) caps the pending list.\n"
		"\nexample:\n  conveyor session-inbox m1 --consume-next --wait --timeout 60 --json\n",
	.flags = inbox_flags,
	.positional = "session",
	.pre = CMD_WRITES,
	.run = inbox_session,
	.text = inbox_text,
};

/* manager-inbox TASK: the inbox of the manager bound to the task. */
static cJSON *inbox_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, "manager", e);
}

/* `manager-inbox`. */
const struct cmd_entry cmd_manager_inbox = {
	.word = "manager-inbox",
	.man = "conveyor-dispatch",
	.usage = "manager-inbox TASK [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	.summary = "The inbox of the manager bound to a task (see session-inbox).",
	.help = "Needs the task's active binding.\n"
		"\nexample:\n  conveyor manager-inbox docs --consume-next --wait --timeout 60 --json\n",
	.flags = inbox_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = inbox_manager,
	.text = inbox_text,
};

/* worker-inbox TASK: the inbox of the worker bound to the task. */
static cJSON *inbox_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return inbox_run(c, a, "worker", e);
}

/* `worker-inbox`. */
const struct cmd_entry cmd_worker_inbox = {
	.word = "worker-inbox",
	.man = "conveyor-dispatch",
	.usage = "worker-inbox TASK [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	.summary = "The inbox of the worker bound to a task (see session-inbox).",
	.help = "Needs the task's active binding.\n"
		"\nexample:\n  conveyor worker-inbox docs --consume-next --wait --timeout 60 --json\n",
	.flags = inbox_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = inbox_worker,
	.text = inbox_text,
};
