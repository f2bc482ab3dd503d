/* finish-task and stop-task (SPEC 9.1 without the gates of features conveyor lacks; docs/lifecycle.md). The task
 * and its sessions are read and the command row created in a first transaction, which is committed before tmux
 * runs (message, kill-session); the outcome is written in a second one, after re-checking the task. */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/queue.h"
#include "core/session/session.h"
#include "core/steer/steer.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

/* How long finish-task and stop-task may take between their two transactions (tmux calls, a confirmed message):
 * past this, or once their process is gone, `reconcile --apply` fails the command they left attempted. */
#define LIFE_LEASE_MS (15LL * 60 * 1000)

#define LIFE_CONFIRM_MS 10000

static const struct flag_spec lifecycle_finish_flags[] = {
	{.name = "--reason", .type = FLAG_STRING, .arg = "R",
	 .help = "reason recorded (default: Task finished by operator.)", .guard = 1},
	{.name = "--message", .type = FLAG_STRING, .arg = "TEXT", .help = "text typed into the worker before any stop", .guard = 1},
	{.name = "--stop-worker", .type = FLAG_BOOL, .help = "kill the worker's tmux session and mark it gone"},
	{.name = "--stop-manager", .type = FLAG_BOOL, .help = "kill the manager's tmux session and mark it gone"},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "show what would be done, do nothing"},
	{0},
};

static const struct flag_spec lifecycle_stop_flags[] = {
	{.name = "--reason", .type = FLAG_STRING, .arg = "R",
	 .help = "reason recorded (default: Task stopped by operator.)", .guard = 1},
	{.name = "--message", .type = FLAG_STRING, .arg = "TEXT", .help = "text typed into the worker before any stop", .guard = 1},
	{.name = "--stop-worker", .type = FLAG_BOOL, .help = "kill the worker's tmux session and mark it gone"},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "show what would be done, do nothing"},
	{0},
};

/* One finish-task or stop-task run. */
struct life {
	int finish;                     /* finish-task (1) or stop-task (0) */
	const char *prefix;             /* finish_task | stop_task: command type and event prefix */
	const char *reason, *message;
	int stop_worker, stop_manager;
	cJSON *task, *worker, *manager; /* the task row; the bound sessions' rows or JSON null */
	int killed_worker, killed_manager;
	int gone_worker, gone_manager;  /* the role was stopped (or its tmux session had ended): mark it gone */
	int submitted;                  /* the message: 1 confirmed, 0 not confirmed, -1 not sent */
	struct queued q;
};

/* The session row with this id (NULL id: none), or JSON null; NULL with e set. */
static cJSON *life_session(struct store *s, const char *id, struct err *e)
{
	return optional_row(s, e, "select " SESSION_COLS " from sessions where id = ?", "s", id);
}

/* Reads the task (refusing a finished one) and the sessions of its active or ending binding into l. */
static int life_load(struct ctx *c, const char *ref, struct life *l, struct err *e)
{
	struct store *s = ctx_db(c, e);
	if (!s || !(l->task = task_lookup(s, ref, e)))
		return -1;
	const char *state = json_str(l->task, "state");
	if (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0) {
		err_set(e, EXIT_USAGE, "Task %s is already %s", json_str(l->task, "name"), state);
		return -1;
	}
	cJSON *binding = binding_active(s, json_str(l->task, "id"), e);
	if (!binding)
		return -1;
	l->worker = life_session(s, json_str(binding, "worker_session_id"), e);
	l->manager = l->worker ? life_session(s, json_str(binding, "manager_session_id"), e) : NULL;
	cJSON_Delete(binding);
	return l->manager ? 0 : -1;
}

/* The command and intent payload: what was asked. */
static cJSON *life_payload(const struct life *l)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddBoolToObject(p, "finish", l->finish);
	json_add_str(p, "message", l->message);
	cJSON_AddStringToObject(p, "reason", l->reason);
	cJSON_AddBoolToObject(p, "stop_manager", l->stop_manager);
	cJSON_AddBoolToObject(p, "stop_worker", l->stop_worker);
	cJSON_AddStringToObject(p, "task", json_str(l->task, "name"));
	return p;
}

/* The output (SPEC 9.1's keys that apply, plus message_submitted). */
static cJSON *life_result(const struct life *l, const char *command_id)
{
	cJSON *r = cJSON_CreateObject();
	json_add_str(r, "command_id", command_id);
	cJSON_AddBoolToObject(r, "finish", l->finish);
	cJSON_AddBoolToObject(r, "killed_manager", l->killed_manager);
	cJSON_AddBoolToObject(r, "killed_worker", l->killed_worker);
	json_add_str(r, "manager", json_str(l->manager, "name"));
	json_add_str(r, "manager_session", json_str(l->manager, "tmux_session"));
	if (l->submitted < 0)
		cJSON_AddNullToObject(r, "message_submitted");
	else
		cJSON_AddBoolToObject(r, "message_submitted", l->submitted);
	cJSON_AddStringToObject(r, "reason", l->reason);
	cJSON_AddBoolToObject(r, "stop_manager", l->stop_manager);
	cJSON_AddBoolToObject(r, "stop_worker", l->stop_worker);
	cJSON_AddStringToObject(r, "task", json_str(l->task, "name"));
	json_add_str(r, "worker", json_str(l->worker, "name"));
	json_add_str(r, "worker_session", json_str(l->worker, "tmux_session"));
	return r;
}

/* Types the message into the worker with confirmed delivery (session-nudge's path). */
static int life_message(struct life *l, struct err *e)
{
	const char *tmux = json_str(l->worker, "tmux_session");
	char *target = tmux_target(tmux, json_str(l->worker, "tmux_pane_id")), *exact = tmux_exact(target);
	struct steer_worker w = {json_str(l->worker, "name"), tmux, exact, json_str(l->worker, "codex_session_path")};
	struct steer_sent sent;
	int rc = steer_send(&w, l->message, LIFE_CONFIRM_MS, &sent, e);
	l->submitted = rc == 0 ? sent.submitted == 1 : -1;
	free(target);
	free(exact);
	return rc;
}

/* Kills the session's tmux session (matched exactly) when it runs; *killed says whether it was killed. */
static int life_kill(const cJSON *session, int *killed, struct err *e)
{
	char exact[512];
	snprintf(exact, sizeof exact, "=%s", json_str(session, "tmux_session"));
	int rc = tmux_has_session(exact, e);
	if (rc < 0)
		return -1;
	const char *kill[] = {"kill-session", "-t", exact, NULL};
	if (rc == 1 && tmux_run(kill, NULL, e) != 0)
		return -1;
	*killed = rc == 1;
	return 0;
}

/* The tmux side effects, with no transaction open: the message, then the worker's and the manager's sessions. */
static int life_effects(struct life *l, struct err *e)
{
	int worker_tmux = json_str(l->worker, "tmux_session") != NULL;
	if (l->message && worker_tmux && life_message(l, e) != 0)
		return -1;
	if (l->stop_worker && worker_tmux) {
		if (life_kill(l->worker, &l->killed_worker, e) != 0)
			return -1;
		l->gone_worker = 1;
	}
	if (l->stop_manager && json_str(l->manager, "tmux_session")) {
		if (life_kill(l->manager, &l->killed_manager, e) != 0)
			return -1;
		l->gone_manager = 1;
	}
	return 0;
}

/* Marks the stopped sessions gone (also after a failure: what was killed is gone). */
static int life_mark_gone(struct ctx *c, const struct life *l, struct err *e)
{
	const char *sql = "update sessions set state = 'gone', last_heartbeat_at = ? where id = ?";
	if ((l->gone_worker && store_exec(c->store, sql, "ss", c->now, json_str(l->worker, "id")) != 0) ||
	    (l->gone_manager && store_exec(c->store, sql, "ss", c->now, json_str(l->manager, "id")) != 0)) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	return 0;
}

/* Fails (into failure) when another command finished the task while tmux ran. */
static int life_recheck(struct ctx *c, const struct life *l, struct err *failure, struct err *e)
{
	cJSON *row;
	int rc = store_row(c->store, &row, "select state from tasks where id = ?", "s", json_str(l->task, "id"));
	if (rc != 1) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	const char *state = json_str(row, "state");
	if (strcmp(state, "done") == 0 || strcmp(state, "failed") == 0)
		err_set(failure, EXIT_WORKER, "Task %s is already %s", json_str(l->task, "name"), state);
	cJSON_Delete(row);
	return 0;
}

/* Ends the task: bindings ended, task done, the active run finished or abandoned; *run_id gets that run's id. */
static int life_end_task(struct ctx *c, const struct life *l, char **run_id, struct err *e)
{
	const char *id = json_str(l->task, "id");
	cJSON *run = optional_row(c->store, e, "select id from runs where task_id = ? and status = 'active' "
					       "order by started_at desc limit 1", "s", id);
	if (!run)
		return -1;
	*run_id = json_str(run, "id") ? strdup(json_str(run, "id")) : NULL;
	cJSON_Delete(run);
	if (store_exec(c->store, "update bindings set state = 'ended', ended_at = ?1 where task_id = ?2 and "
				 "state in ('active', 'ending')", "ss", c->now, id) != 0 ||
	    store_exec(c->store, "update tasks set state = 'done', updated_at = ? where id = ?", "ss", c->now, id) != 0 ||
	    store_exec(c->store, "update runs set status = ?, ended_at = ? where task_id = ? and status = 'active'",
		       "sss", l->finish ? "finished" : "abandoned", c->now, id) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	return 0;
}

/* Records success: the task ended, the command succeeded, <prefix>_succeeded and task_finished|task_stopped. */
static cJSON *life_succeed(struct ctx *c, const struct life *l, struct err *e)
{
	char *run_id = NULL, type[64];
	if (life_end_task(c, l, &run_id, e) != 0 || queue_finish(c, &l->q, NULL, life_result(l, l->q.id), e) != 0)
		goto fail;
	snprintf(type, sizeof type, "%s_succeeded", l->prefix);
	if (audit_event(c, type, l->q.task_id, l->q.id, life_result(l, l->q.id), e) != 0)
		goto fail;
	cJSON *corr = cJSON_CreateObject(), *attrs = life_result(l, NULL);
	cJSON_AddStringToObject(corr, "command_id", l->q.id);
	cJSON_DeleteItemFromObject(attrs, "command_id");
	struct telemetry t = {"workerctl", l->finish ? "task_finished" : "task_stopped", "info",
			      l->finish ? "Task finished." : "Task stopped.", l->q.task_id, run_id, NULL, corr, attrs};
	if (audit_telemetry(c, &t, NULL, e) != 0)
		goto fail;
	free(run_id);
	return life_result(l, l->q.id);
fail:
	free(run_id);
	return NULL;
}

/* Records the failure (command failed, <prefix>_failed, committed) and fails with it. */
static cJSON *life_fail(struct ctx *c, const struct life *l, const struct err *failure, struct err *e)
{
	cJSON *payload = life_result(l, l->q.id);
	cJSON_AddStringToObject(payload, "error", failure->msg);
	char type[64];
	snprintf(type, sizeof type, "%s_failed", l->prefix);
	if (queue_finish(c, &l->q, failure->msg, life_result(l, l->q.id), e) != 0) {
		cJSON_Delete(payload);
		return NULL;
	}
	if (audit_event(c, type, l->q.task_id, l->q.id, payload, e) != 0)
		return NULL;
	*e = *failure;
	e->code = EXIT_WORKER;
	e->commit = 1;
	return NULL;
}

/* The command: load and refuse, create the command row, release, run tmux, record the outcome. */
static cJSON *life_run(struct ctx *c, const struct args *a, struct life *l, struct err *e)
{
	const char *word = l->finish ? "finish-task" : "stop-task";
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "%s requires a task.", word);
	l->prefix = l->finish ? "finish_task" : "stop_task";
	l->reason = args_get(a, "--reason");
	if (!l->reason)
		l->reason = l->finish ? "Task finished by operator." : "Task stopped by operator.";
	l->message = args_get(a, "--message");
	l->stop_worker = args_has(a, "--stop-worker");
	l->stop_manager = !l->finish || args_has(a, "--stop-manager");
	l->submitted = -1;
	if (life_load(c, a->positional, l, e) != 0)
		return NULL;
	if (c->dry_run)
		return life_result(l, NULL);
	char type[64];
	snprintf(type, sizeof type, "%s_intent", l->prefix);
	if (queue_create(c, &l->q, l->prefix, json_str(l->task, "id"), life_payload(l), e) != 0 ||
	    queue_attempted(c, &l->q, e) != 0 || queue_lease(c, &l->q, l->finish ? "finish-task" : "stop-task",
							       LIFE_LEASE_MS, e) != 0 ||
	    audit_event(c, type, l->q.task_id, l->q.id, life_payload(l), e) != 0 ||
	    ctx_release(c, e) != 0)
		return NULL;
	struct err failure = {0};
	life_effects(l, &failure);
	if (!ctx_db(c, e) || life_mark_gone(c, l, e) != 0 || (!failure.code && life_recheck(c, l, &failure, e) != 0))
		return NULL;
	return failure.code ? life_fail(c, l, &failure, e) : life_succeed(c, l, e);
}

/* Runs finish-task or stop-task and frees what it read. */
static cJSON *life_main(struct ctx *c, const struct args *a, int finish, struct err *e)
{
	struct life l;
	memset(&l, 0, sizeof l);
	l.finish = finish;
	cJSON *r = life_run(c, a, &l, e);
	cJSON_Delete(l.task);
	cJSON_Delete(l.worker);
	cJSON_Delete(l.manager);
	return r;
}

/* finish-task <task>: ends a task as finished, stopping the worker and manager when asked. */
static cJSON *lifecycle_finish(struct ctx *c, const struct args *a, struct err *e)
{
	return life_main(c, a, 1, e);
}

/* `finish-task`. */
const struct cmd_entry cmd_finish_task = {
	.word = "finish-task",
	.man = "conveyor-lifecycle",
	.usage = "finish-task TASK [--reason R] [--message TEXT] [--stop-worker] [--stop-manager] [--dry-run]",
	.summary = "End a task as done (its active run finished), stopping its worker and manager when asked.",
	.help = "--message is typed into the worker (confirmed delivery) before it is stopped; --stop-worker and\n"
		"--stop-manager kill their tmux sessions and mark them gone. Bindings end. tmux failures exit 1 and are\n"
		"recorded.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor finish-task docs --stop-worker --stop-manager --message 'Thanks, wrapping up'\n",
	.flags = lifecycle_finish_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = lifecycle_finish,
};

/* stop-task <task>: ends a task as stopped (its run abandoned), always stopping the manager. */
static cJSON *lifecycle_stop(struct ctx *c, const struct args *a, struct err *e)
{
	return life_main(c, a, 0, e);
}

/* `stop-task`. */
const struct cmd_entry cmd_stop_task = {
	.word = "stop-task",
	.man = "conveyor-lifecycle",
	.usage = "stop-task TASK [--reason R] [--message TEXT] [--stop-worker] [--dry-run]",
	.summary = "End a task as done with its active run abandoned, always stopping its manager.",
	.help = "Like finish-task, but the manager's tmux session is always killed.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor stop-task docs --stop-worker --reason 'Wrong approach'\n",
	.flags = lifecycle_stop_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = lifecycle_stop,
};
