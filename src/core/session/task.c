/* tasks (SPEC 3.5) and handoff: the task list, task creation, and the worker's saved handoff. */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "util/clock.h"
#include "core/base/ids.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "store/store.h"
#include "util/json.h"

/* Fails when an unfinished task (candidate, managed or paused) already has this name. */
static int task_name_free(struct store *s, const char *name, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row,
			   "select id, state from tasks where name = ? and state in ('candidate', 'managed', 'paused') "
			   "order by created_at desc limit 1",
			   "s", name);
	if (rc < 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	else if (rc == 1)
		err_set(e, EXIT_USAGE, "task \"%s\" already exists and is not finished (%s, state %s)", name,
			json_str(row, "id"), json_str(row, "state"));
	cJSON_Delete(row);
	return rc == 0 ? 0 : -1;
}

/* tasks --create NAME --goal G [--summary S]: a new candidate task. */
static cJSON *task_create(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = args_get(a, "--create"), *goal = args_get(a, "--goal"), *summary = args_get(a, "--summary");
	if (!goal)
		return err_null(e, EXIT_USAGE, "--goal is required with tasks --create");
	struct store *s = ctx_db(c, e);
	if (!s || task_name_free(s, name, e) != 0)
		return NULL;
	char id[IDS_LEN];
	ids_new("task", id);
	if (store_exec(s,
		       "insert into tasks(id, name, goal, summary, state, created_at, updated_at) "
		       "values (?, ?, ?, ?, 'candidate', ?, ?)",
		       "ssssss", id, name, goal, summary, c->now, c->now) != 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "goal", goal);
	cJSON_AddStringToObject(payload, "name", name);
	json_add_str(payload, "summary", summary);
	if (audit_event(c, "task_created", id, NULL, payload, e) != 0)
		return NULL;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddTrueToObject(r, "created");
	cJSON_AddStringToObject(r, "id", id);
	cJSON_AddStringToObject(r, "name", name);
	return r;
}

/* Replaces a task row's flat budget columns with the SPEC 3.5 budget object (null without a budget). */
static void task_budget(cJSON *row)
{
	cJSON *max = cJSON_DetachItemFromObject(row, "budget_max");
	cJSON *used = cJSON_DetachItemFromObject(row, "budget_used");
	cJSON *expires = cJSON_DetachItemFromObject(row, "budget_expires");
	if (cJSON_IsNull(max)) {
		cJSON_AddNullToObject(row, "budget");
	} else {
		cJSON *b = cJSON_CreateObject();
		double n_used = cJSON_IsNumber(used) ? used->valuedouble : 0;
		cJSON_AddStringToObject(b, "expires_at", cJSON_IsString(expires) ? expires->valuestring : "");
		cJSON_AddNumberToObject(b, "max_nudges", max->valuedouble);
		cJSON_AddNumberToObject(b, "nudges_remaining", max->valuedouble - n_used);
		cJSON_AddNumberToObject(b, "nudges_used", n_used);
		cJSON_AddItemToObject(row, "budget", b);
	}
	cJSON_Delete(max);
	cJSON_Delete(used);
	cJSON_Delete(expires);
}

/* Every task (or only the unfinished ones) ordered by creation, each with its budget; NULL with e set. */
cJSON *task_rows(struct store *s, int unfinished, struct err *e)
{
	cJSON *rows = store_rows(s,
				 "select t.created_at, t.goal, t.id, t.name, t.state, t.summary, t.updated_at, "
				 "b.max_nudges as budget_max, b.nudges_used as budget_used, b.expires_at as budget_expires "
				 "from tasks t left join budgets b on b.task_id = t.id "
				 "where ?1 = 0 or t.state in ('candidate', 'managed', 'paused') order by t.created_at, t.id",
				 "i", (long long)unfinished);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *row;
	cJSON_ArrayForEach(row, rows) task_budget(row);
	return rows;
}

/* tasks [--active]: the task list (a read: it never creates the database). */
static cJSON *task_list(struct ctx *c, const struct args *a, struct err *e)
{
	c->pre = CMD_READS;
	struct store *s = ctx_db(c, e);
	return s ? task_rows(s, args_has(a, "--active"), e) : NULL;
}

/* tasks: creates a task with --create NAME, otherwise lists tasks. */
static cJSON *task_tasks(struct ctx *c, const struct args *a, struct err *e)
{
	return args_get(a, "--create") ? task_create(c, a, e) : task_list(c, a, e);
}

/* The flags of tasks. */
static const struct flag_spec tasks_flags[] = {
	{.name = "--create", .type = FLAG_STRING, .arg = "NAME",
	 .help = "create a task with this name instead of listing"},
	{.name = "--goal", .type = FLAG_STRING, .arg = "G", .help = "goal of the new task (required with --create)", .guard = 1},
	{.name = "--summary", .type = FLAG_STRING, .arg = "S", .help = "summary of the new task", .guard = 1},
	{.name = "--active", .type = FLAG_BOOL, .help = "list only unfinished tasks"},
	{0},
};

/* `tasks`. */
const struct cmd_entry cmd_tasks = {
	.word = "tasks",
	.man = "conveyor-session",
	.usage = "tasks [--active] | tasks --create NAME --goal G [--summary S]",
	.summary = "List tasks, or create one.",
	.help = "A name already used by an unfinished task is refused.\n"
		"\nexample:\n  conveyor tasks --create docs --goal 'Write the docs'\n",
	.flags = tasks_flags,
	.pre = CMD_WRITES,
	.run = task_tasks,
	.text = task_tasks_text,
};

/* tasks text: name<TAB>state<TAB>goal per task; a created task prints as JSON. */
void task_tasks_text(const cJSON *r, struct sb *out)
{
	if (cJSON_IsObject(r)) {
		json_write(out, r, JSON_PRETTY);
		sb_addc(out, '\n');
		return;
	}
	const cJSON *t;
	cJSON_ArrayForEach(t, r)
	sb_addf_clean(out, "%s\t%s\t%s\n", json_str(t, "name"), json_str(t, "state"), json_str(t, "goal"));
}

/* Length of s in UTF-16 code units, as JavaScript counts a string's length. */
static int task_js_length(const char *s)
{
	int n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p & 0xC0) != 0x80)
			n += *p >= 0xF0 ? 2 : 1;
	}
	return n;
}

/* qsort comparator for C strings. */
static int task_strcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The handoff's telemetry attributes: how many next steps, which payload keys (sorted), how long the summary is. */
static cJSON *handoff_attributes(int steps, const cJSON *payload, const char *summary)
{
	cJSON *attrs = cJSON_CreateObject(), *keys = cJSON_CreateArray();
	int n = cJSON_GetArraySize(payload), i = 0;
	const char **names = calloc((size_t)n + 1, sizeof *names);
	const cJSON *k;
	if (!names)
		abort();
	cJSON_ArrayForEach(k, payload) names[i++] = k->string;
	qsort(names, (size_t)n, sizeof *names, task_strcmp);
	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(keys, cJSON_CreateString(names[i]));
	free(names);
	cJSON_AddNumberToObject(attrs, "next_step_count", steps);
	cJSON_AddItemToObject(attrs, "payload_keys", keys);
	cJSON_AddNumberToObject(attrs, "summary_length", task_js_length(summary));
	return attrs;
}

/* The --payload-json object of handoff ({} when absent); NULL with e set when it is not a JSON object. */
static cJSON *handoff_payload(const struct args *a, struct err *e)
{
	const cJSON *v;
	if (args_json(a, "--payload-json", &v, e) != 0)
		return NULL;
	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateObject();
}

/* Records the handoff row, its telemetry and its event; returns the new row id or -1. */
static long long handoff_insert(struct ctx *c, const cJSON *task, const char *worker, const char *summary,
				const cJSON *steps, const cJSON *payload, struct err *e)
{
	char at[CLOCK_ISO_LEN];
	clock_format_s(c->now_ms, at);
	long long id;
	if (store_exec(c->store,
		       "insert into worker_handoffs(task_id, worker_session_id, summary, next_steps_json, payload_json, "
		       "created_at) values (?, ?, ?, ?, ?, ?)",
		       "sssjjs", json_str(task, "id"), worker, summary, steps, payload, at) != 0 ||
	    store_int(c->store, &id, "select last_insert_rowid()", NULL) != 1) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	int n = cJSON_GetArraySize(steps);
	cJSON *correlation = cJSON_CreateObject();
	cJSON_AddNumberToObject(correlation, "handoff_id", (double)id);
	json_add_str(correlation, "worker_session_id", worker);
	struct telemetry t = {"worker", "worker_handoff_recorded", "info", "Recorded worker handoff.",
			      json_str(task, "id"), NULL, at, correlation, handoff_attributes(n, payload, summary)};
	cJSON *event = cJSON_CreateObject();
	cJSON_AddNumberToObject(event, "handoff_id", (double)id);
	cJSON_AddNumberToObject(event, "next_step_count", n);
	json_add_str(event, "worker_session_id", worker);
	if (audit_telemetry(c, &t, NULL, e) != 0 || audit_event(c, "worker_handoff_recorded", json_str(task, "id"), NULL,
								 event, e) != 0)
		return -1;
	return id;
}

/* handoff <task> --summary S [--next-step N ...] [--payload-json J]: saves the worker's handoff for the task (the
 * worker of its active binding, if any); rotation reads the newest one. */
static cJSON *task_handoff(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "handoff command requires a task.");
	const char *summary = args_get(a, "--summary");
	if (!summary)
		return err_null(e, EXIT_USAGE, "handoff requires --summary.");
	cJSON *payload = handoff_payload(a, e), *steps = cJSON_CreateArray(), *task = NULL, *binding = NULL;
	cJSON *result = NULL;
	for (int i = 0; payload && i < a->n; i++)
		if (strcmp(a->v[i].key, "--next-step") == 0)
			cJSON_AddItemToArray(steps, cJSON_CreateString(a->v[i].value));
	struct store *s = payload ? ctx_db(c, e) : NULL;
	if (!s || !(task = task_lookup(s, a->positional, e)) || !(binding = binding_active(s, json_str(task, "id"), e)))
		goto out;
	long long id = handoff_insert(c, task, json_str(binding, "worker_session_id"), summary, steps, payload, e);
	if (id >= 0 && store_row(s, &result,
				 "select created_at, id, next_steps_json, payload_json, summary, task_id, worker_session_id "
				 "from worker_handoffs where id = ?",
				 "i", id) != 1)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
out:
	cJSON_Delete(payload);
	cJSON_Delete(steps);
	cJSON_Delete(task);
	cJSON_Delete(binding);
	return result;
}

/* The flags of handoff. */
static const struct flag_spec handoff_flags[] = {
	{.name = "--summary", .type = FLAG_STRING, .arg = "S", .help = "summary of the handoff (required)", .guard = 1},
	{.name = "--next-step", .type = FLAG_STRING, .arg = "N", .help = "a next step for the successor", .repeat = 1, .guard = 1},
	{.name = "--payload-json", .type = FLAG_JSON, .arg = "J", .help = "extra data as a JSON object (default {})", .guard = 1},
	{0},
};

/* `handoff`. */
const struct cmd_entry cmd_handoff = {
	.word = "handoff",
	.man = "conveyor-session",
	.usage = "handoff TASK --summary S [--next-step N]... [--payload-json J]",
	.summary = "Save the worker's handoff for a task (read by worker rotation).",
	.help = "\nexample:\n  conveyor handoff docs --summary 'Chapters 1-3 drafted' --next-step 'Draft chapter 4'\n",
	.flags = handoff_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = task_handoff,
};
