/* pair (SPEC 7.4, docs/steer.md): find or create the task, seed its manager config and acceptance criteria,
 * start the worker then the manager, bind them and open an active run. Dispatch does not exist yet, so it is
 * never spawned. Each step commits before the next wait; a failure is recorded as pair_failed (exit 1). */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/session/binding.h"
#include "core/dispatch/dispatch_spawn.h"
#include "core/base/ids.h"
#include "core/session/session.h"
#include "util/shell.h"
#include "core/steer/start.h"
#include "core/steer/steer_cmds.h"
#include "store/store.h"
#include "util/json.h"

#define PAIR_TIMEOUT_SECONDS 60

/* One pair run. */
struct pair {
	const char *task_ref, *goal, *summary, *mode, *dispatcher;
	struct start_opts worker, manager;
	cJSON *task;          /* the tasks row once found or created */
	int created, config_seeded, config_by_pair, criteria_seeded;
	char time[CLOCK_ISO_LEN];
	char run_id[IDS_LEN];
};

/* Reads and checks pair's flags into p; -1 with e set (exit 2). */
static int pair_parse(const struct args *a, struct pair *p, struct err *e)
{
	const char *worker = args_get(a, "--worker-name"), *manager = args_get(a, "--manager-name");
	p->task_ref = args_get(a, "--task");
	p->goal = args_get(a, "--task-goal");
	p->summary = args_get(a, "--task-summary");
	p->dispatcher = args_get(a, "--dispatcher-id") ? args_get(a, "--dispatcher-id") : "dispatch-pair";
	if (!p->task_ref || !worker || !manager)
		return err_set(e, EXIT_USAGE, "pair requires --task, --worker-name, and --manager-name."), -1;
	if (strcmp(worker, manager) == 0)
		return err_set(e, EXIT_USAGE, "pair needs two different session names (--worker-name, --manager-name)."), -1;
	if (args_enum(a, "--manager-supervision-mode", &p->mode, e) != 0)
		return -1;
	p->mode = p->mode ? p->mode : "guided";
	if (start_opts_parse(a, "worker", worker, PAIR_TIMEOUT_SECONDS, &p->worker, e) != 0)
		return -1;
	if (start_opts_parse(a, "manager", manager, PAIR_TIMEOUT_SECONDS, &p->manager, e) != 0)
		return -1;
	p->worker.via = p->manager.via = "pair";
	return 0;
}

/* The dispatch block of pair's output: d (started, or why not) or, when d is NULL, a block saying it was not
 * started for reason; plus dispatch_command and ensure_dispatch. */
static void pair_add_dispatch(const struct ctx *c, const struct args *a, const struct pair *p, cJSON *r, cJSON *d,
			      const char *reason)
{
	char *cmd = dispatch_command_line(c->prog, p->dispatcher, c->db_path);
	if (!d) {
		d = cJSON_CreateObject();
		cJSON_AddStringToObject(d, "command", cmd);
		cJSON_AddBoolToObject(d, "ensure", !args_has(a, "--no-dispatch"));
		cJSON_AddNullToObject(d, "pid");
		cJSON_AddStringToObject(d, "reason", reason);
		cJSON_AddFalseToObject(d, "started");
	}
	cJSON_AddItemToObject(r, "dispatch", d);
	cJSON_AddStringToObject(r, "dispatch_command", cmd);
	cJSON_AddBoolToObject(r, "ensure_dispatch", !args_has(a, "--no-dispatch"));
	free(cmd);
}

/* The dry-run plan of one session: its name, tmux session, working directory and launch command. */
static cJSON *pair_plan_session(const struct start_opts *o, const char *codex)
{
	struct sb cmd;
	sb_init(&cmd);
	start_shell_command(o, codex ? codex : "codex", &cmd);
	cJSON *s = cJSON_CreateObject();
	cJSON_AddStringToObject(s, "command", cmd.buf);
	cJSON_AddStringToObject(s, "cwd", o->cwd);
	cJSON_AddStringToObject(s, "name", o->name);
	cJSON_AddStringToObject(s, "tmux_session", o->tmux);
	sb_free(&cmd);
	return s;
}

/* --dry-run: {dispatch, dispatch_command, ensure_dispatch, manager, task, worker} with nothing started. */
static cJSON *pair_plan(struct ctx *c, const struct args *a, const struct pair *p, struct err *e)
{
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? optional_row(s, e, "select id, name, state from tasks where id = ?1 or name = ?1 "
					    "order by created_at desc limit 1", "s", p->task_ref) : NULL;
	if (!task)
		return NULL;
	struct err ignored = {0};
	char *codex = start_codex_path(&ignored);
	cJSON *r = cJSON_CreateObject();
	pair_add_dispatch(c, a, p, r, NULL, "dry run: nothing was started");
	cJSON_AddItemToObject(r, "manager", pair_plan_session(&p->manager, codex));
	cJSON *t = cJSON_AddObjectToObject(r, "task");
	cJSON_AddBoolToObject(t, "create", !cJSON_IsObject(task));
	json_add_str(t, "id", json_str(task, "id"));
	cJSON_AddStringToObject(t, "name", p->task_ref);
	cJSON_AddItemToObject(r, "worker", pair_plan_session(&p->worker, codex));
	free(codex);
	cJSON_Delete(task);
	return r;
}

/* Emits telemetry pair_<step> (actor workerctl, second-form time) about the task, in the open transaction. */
static int pair_telemetry(struct ctx *c, const struct pair *p, const char *step, const char *severity,
			  cJSON *attributes, struct err *e)
{
	char type[64], summary[128];
	snprintf(type, sizeof type, "pair_%s", step);
	snprintf(summary, sizeof summary, "pair %s", step);
	cJSON *corr = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "manager", p->manager.name);
	cJSON_AddStringToObject(corr, "task", p->task_ref);
	cJSON_AddStringToObject(corr, "worker", p->worker.name);
	struct telemetry t = {.actor = "workerctl", .event_type = type, .severity = severity, .summary = summary,
			      .task_id = json_str(p->task, "id"), .run_id = p->run_id[0] ? p->run_id : NULL,
			      .timestamp = p->time, .correlation = corr, .attributes = attributes};
	if (!ctx_db(c, e)) {
		cJSON_Delete(corr);
		cJSON_Delete(attributes);
		return -1;
	}
	return audit_telemetry(c, &t, NULL, e);
}

/* Records the failure of step (committed: the sessions already started stay registered) and fails with exit 1. */
static cJSON *pair_fail(struct ctx *c, const struct pair *p, const char *step, struct err *e)
{
	struct err failure = *e;
	cJSON *attributes = cJSON_CreateObject();
	cJSON_AddStringToObject(attributes, "error", failure.msg);
	cJSON_AddStringToObject(attributes, "step", step);
	if (p->task && pair_telemetry(c, p, "failed", "error", attributes, e) != 0)
		return NULL;
	if (!p->task)
		cJSON_Delete(attributes);
	*e = failure;
	e->code = EXIT_WORKER;
	e->commit = 1;
	return NULL;
}

/* Finds the task, or creates it (candidate, with its task_created event) when --task-goal is given. */
static int pair_task(struct ctx *c, struct pair *p, struct err *e)
{
	struct store *s = c->store;
	p->task = optional_row(s, e, "select " TASK_COLS " from tasks where id = ?1 or name = ?1 "
				     "order by created_at desc limit 1", "s", p->task_ref);
	if (!p->task || cJSON_IsObject(p->task))
		return p->task ? 0 : -1;
	cJSON_Delete(p->task);
	p->task = NULL;
	if (!p->goal)
		return err_set(e, EXIT_USAGE, "pair needs --task-goal to create task \"%s\".", p->task_ref), -1;
	char id[IDS_LEN];
	ids_new("task", id);
	if (store_exec(s, "insert into tasks(id, name, goal, summary, state, created_at, updated_at) "
			  "values (?, ?, ?, ?, 'candidate', ?, ?)", "ssssss", id, p->task_ref, p->goal, p->summary, c->now,
		       c->now) != 0)
		return err_set(e, EXIT_USAGE, "%s", store_errmsg(s)), -1;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "goal", p->goal);
	cJSON_AddStringToObject(payload, "name", p->task_ref);
	json_add_str(payload, "summary", p->summary);
	if (audit_event(c, "task_created", id, NULL, payload, e) != 0)
		return -1;
	p->created = 1;
	p->task = task_lookup(s, id, e);
	return p->task ? 0 : -1;
}

/* The values of a repeatable flag as a JSON array of strings. */
static cJSON *pair_values(const struct args *a, const char *flag)
{
	cJSON *v = cJSON_CreateArray();
	for (int i = 0; i < a->n; i++)
		if (strcmp(a->v[i].key, flag) == 0)
			cJSON_AddItemToArray(v, cJSON_CreateString(a->v[i].value));
	return v;
}

/* Seeds the task's manager config (unless it has one) and its accepted, user-requested acceptance criteria. */
static int pair_seed(struct ctx *c, const struct args *a, struct pair *p, struct err *e)
{
	struct store *s = c->store;
	const char *task_id = json_str(p->task, "id");
	cJSON *criteria = pair_values(a, "--manager-acceptance"), *guidelines = pair_values(a, "--manager-guideline");
	int rc = store_exec(s, "insert or ignore into manager_configs(task_id, supervision_mode, objective, guidelines_json, "
			       "acceptance_criteria_json, reference_paths_json, permissions_json, created_at, updated_at) "
			       "values (?, ?, ?, ?, ?, '[]', '{}', ?, ?)",
			    "sssjjss", task_id, p->mode, json_str(p->task, "goal"), guidelines, criteria, c->now, c->now);
	p->config_by_pair = rc == 0 && store_changes(s) == 1;
	p->config_seeded = 1;
	const cJSON *item;
	cJSON_ArrayForEach(item, criteria)
	{
		if (rc == 0 && (rc = store_exec(s, "insert or ignore into acceptance_criteria(task_id, criterion, status, "
						   "source, evidence_json, created_at, updated_at) "
						   "values (?, ?, 'accepted', 'user_requested', '{}', ?, ?)",
						"ssss", task_id, item->valuestring, c->now, c->now)) == 0)
			p->criteria_seeded += store_changes(s);
	}
	cJSON_Delete(criteria);
	cJSON_Delete(guidelines);
	if (rc != 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	return rc;
}

/* The first transaction: preflight refusals, the task (refused when already bound), seeding, pair_started. */
static int pair_prepare(struct ctx *c, const struct args *a, struct pair *p, struct err *e)
{
	char *codex = start_codex_path(e), *tmux = codex ? start_which("tmux") : NULL;
	int rc = -1;
	if (codex && !tmux)
		err_set(e, EXIT_WORKER, "tmux is not installed or is not available on PATH");
	if (!tmux || start_check_free(c, &p->worker, e) != 0 || start_check_free(c, &p->manager, e) != 0 ||
	    pair_task(c, p, e) != 0)
		goto out;
	cJSON *bound = binding_active(c->store, json_str(p->task, "id"), e);
	if (cJSON_IsObject(bound))
		err_set(e, EXIT_WORKER, "task \"%s\" already has an active binding \"%s\"", p->task_ref, json_str(bound, "id"));
	else if (bound && pair_seed(c, a, p, e) == 0 && pair_telemetry(c, p, "started", "info", NULL, e) == 0)
		rc = ctx_release(c, e);
	cJSON_Delete(bound);
out:
	free(codex);
	free(tmux);
	return rc;
}

/* The last transaction: bind the two sessions, open the active run, record pair_completed. */
static int pair_bind(struct ctx *c, struct pair *p, char binding_id[IDS_LEN], struct err *e)
{
	if (!ctx_db(c, e) || binding_create(c, p->task, p->task_ref, p->worker.name, p->manager.name, binding_id, e) != 0)
		return -1;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "binding_id", binding_id);
	cJSON_AddStringToObject(payload, "manager", p->manager.name);
	cJSON_AddStringToObject(payload, "task", p->task_ref);
	cJSON_AddStringToObject(payload, "worker", p->worker.name);
	if (audit_event(c, "binding_created", json_str(p->task, "id"), NULL, payload, e) != 0)
		return -1;
	cJSON *meta = cJSON_CreateObject();
	cJSON_AddStringToObject(meta, "binding_id", binding_id);
	cJSON_AddStringToObject(meta, "dispatcher_id", p->dispatcher);
	cJSON_AddStringToObject(meta, "manager", p->manager.name);
	cJSON_AddStringToObject(meta, "source", "pair");
	cJSON_AddStringToObject(meta, "worker", p->worker.name);
	ids_new("run", p->run_id);
	int rc = store_exec(c->store, "insert into runs(id, task_id, name, purpose, status, started_at, metadata_json) "
				      "values (?, ?, ?, 'pair', 'active', ?, ?)",
			    "ssssj", p->run_id, json_str(p->task, "id"), p->task_ref, p->time, meta);
	cJSON_Delete(meta);
	if (rc != 0)
		return err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store)), -1;
	cJSON *attributes = cJSON_CreateObject();
	cJSON_AddStringToObject(attributes, "binding_id", binding_id);
	return pair_telemetry(c, p, "completed", "info", attributes, e);
}

/* The pair output (SPEC 7.4). */
static cJSON *pair_result(struct ctx *c, const struct args *a, const struct pair *p, const char *binding_id,
			  cJSON *worker, cJSON *manager)
{
	struct err ignored = {0};
	cJSON *d = args_has(a, "--no-dispatch") ? NULL : dispatch_ensure(c, p->dispatcher, 1, &ignored);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "binding_id", binding_id);
	pair_add_dispatch(c, a, p, r, d, d ? NULL : args_has(a, "--no-dispatch") ? "--no-dispatch" : ignored.msg);
	cJSON_AddItemToObject(r, "manager", manager);
	cJSON_AddNumberToObject(r, "manager_acceptance_criteria_seeded", p->criteria_seeded);
	cJSON_AddBoolToObject(r, "manager_config_seeded", p->config_seeded);
	cJSON_AddBoolToObject(r, "manager_config_seeded_by_pair", p->config_by_pair);
	cJSON_AddStringToObject(r, "run_id", p->run_id);
	cJSON *t = cJSON_AddObjectToObject(r, "task");
	cJSON_AddBoolToObject(t, "created", p->created);
	cJSON_AddStringToObject(t, "id", json_str(p->task, "id"));
	cJSON_AddStringToObject(t, "name", p->task_ref);
	cJSON_AddItemToObject(r, "worker", worker);
	return r;
}

/* pair --task T --worker-name W --manager-name M ...: a bound worker and manager for the task. */
static cJSON *pair_run(struct ctx *c, const struct args *a, struct err *e)
{
	struct pair p;
	memset(&p, 0, sizeof p);
	clock_format_s(c->now_ms, p.time);
	cJSON *worker = NULL, *manager = NULL, *r = NULL;
	char binding_id[IDS_LEN];
	if (pair_parse(a, &p, e) != 0)
		goto out;
	if (c->dry_run) {
		r = pair_plan(c, a, &p, e);
		goto out;
	}
	if (pair_prepare(c, a, &p, e) != 0) {
		r = e->code == EXIT_USAGE ? NULL : pair_fail(c, &p, "preflight", e);
		goto out;
	}
	p.worker.prompt = strdup(args_get(a, "--task-prompt") ? args_get(a, "--task-prompt") : json_str(p.task, "goal"));
	if (!(worker = start_session(c, &p.worker, e)) || pair_telemetry(c, &p, "worker_started", "info", NULL, e) != 0) {
		r = pair_fail(c, &p, "start_worker", e);
		goto out;
	}
	p.manager.prompt = start_manager_prompt(c, p.task_ref, json_str(p.task, "goal"), p.worker.name);
	if (!(manager = start_session(c, &p.manager, e)) || pair_bind(c, &p, binding_id, e) != 0) {
		r = pair_fail(c, &p, manager ? "bind" : "start_manager", e);
		goto out;
	}
	r = pair_result(c, a, &p, binding_id, worker, manager);
	worker = manager = NULL;
out:
	cJSON_Delete(worker);
	cJSON_Delete(manager);
	cJSON_Delete(p.task);
	start_opts_free(&p.worker);
	start_opts_free(&p.manager);
	return r;
}

/* The flags of pair. */
static const struct flag_spec pair_flags[] = {
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "task name or id, created when missing (required)"},
	{.name = "--worker-name", .type = FLAG_STRING, .arg = "W", .help = "worker session name (required)"},
	{.name = "--manager-name", .type = FLAG_STRING, .arg = "M", .help = "manager session name (required, not W)"},
	{.name = "--task-goal", .type = FLAG_STRING, .arg = "G", .help = "goal; needed to create a missing task", .guard = 1},
	{.name = "--task-prompt", .type = FLAG_STRING, .arg = "P",
	 .help = "the worker's first prompt (default: the task's goal)", .guard = 1},
	{.name = "--task-summary", .type = FLAG_STRING, .arg = "S", .help = "summary of a task that pair creates", .guard = 1},
	{.name = "--dispatcher-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "dispatcher to ensure (default dispatch-pair)"},
	{.name = "--no-dispatch", .type = FLAG_BOOL, .help = "do not start a dispatcher"},
	{.name = "--manager-acceptance", .type = FLAG_STRING, .arg = "TEXT",
	 .help = "acceptance criterion to seed for the task", .repeat = 1, .guard = 1},
	{.name = "--manager-guideline", .type = FLAG_STRING, .arg = "TEXT",
	 .help = "guideline for a new manager config", .repeat = 1, .guard = 1},
	{.name = "--manager-supervision-mode", .type = FLAG_ENUM, .arg = "MODE",
	 .help = "mode of a new manager config (default guided)",
	 .values = (const char *const[]){"light", "guided", "strict", NULL}},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "print the plan; start and write nothing"},
	START_FLAGS,
	{0},
};

/* `pair`. */
const struct cmd_entry cmd_pair = {
	.word = "pair",
	.man = "conveyor-steer",
	.usage = "pair --task T --worker-name W --manager-name M [--task-goal G] [--task-prompt P] [--task-summary S] "
		"[--manager-acceptance TEXT]... [--manager-guideline TEXT]... [--manager-supervision-mode MODE] "
		"[--dispatcher-id ID] [--no-dispatch] [--cwd D] [--sandbox S] [--ask-for-approval A] [--codex-profile yolo] "
		 "[--accept-trust] [--timeout-seconds N] [--dry-run]",
	.summary = "Start a worker and a manager for a task, bind them, and open an active run.",
	.help = "Creates the task when missing (needs --task-goal) and seeds its manager config and acceptance criteria.\n"
		"Unless --no-dispatch, a detached `dispatch --watch --dispatcher-id ID` (default dispatch-pair) is started\n"
		"when no dispatcher with that id sent a heartbeat in the last 10 s. Failures exit 1; started sessions stay\n"
		"registered.\n"
		CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor pair --task docs --task-goal 'Write the docs' --worker-name w1 --manager-name m1 --accept-trust\n",
	.flags = pair_flags,
	.pre = CMD_WRITES,
	.run = pair_run,
};
