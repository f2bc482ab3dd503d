/* reconcile (SPEC 9.2; docs/lifecycle.md): dead session processes, bindings to gone sessions, tasks whose manager
 * cycles stopped, commands left attempted by a killed finish-task or stop-task, and the database's health;
 * --apply marks dead sessions gone, dangling bindings invalid and interrupted commands failed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/queue.h"
#include "core/host/procfs.h"
#include "store/store.h"
#include "util/clock.h"
#include "util/json.h"

static const struct flag_spec reconcile_flags[] = {
	{.name = "--apply", .type = FLAG_BOOL,
	 .help = "mark dead sessions gone, their bindings invalid, interrupted commands failed"},
	{.name = "--stale-cycles-seconds", .type = FLAG_COUNT, .arg = "N",
	 .help = "cycle age that makes a task stuck (default 3600)"},
	{0},
};

/* Active sessions with a pid whose process is gone ({name, pid, role, session_id}); NULL with e set. */
static cJSON *reconcile_dead(struct store *s, struct err *e)
{
	cJSON *rows = store_rows(s, "select name, pid, role, id as session_id from sessions where state = 'active' and "
				    "pid is not null order by registered_at, rowid", NULL);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *dead = cJSON_CreateArray(), *row;
	while ((row = cJSON_DetachItemFromArray(rows, 0))) {
		if (procfs_alive((long)cJSON_GetObjectItem(row, "pid")->valuedouble))
			cJSON_Delete(row);
		else
			cJSON_AddItemToArray(dead, row);
	}
	cJSON_Delete(rows);
	return dead;
}

/* Active or ending bindings with a gone worker or manager, one entry per gone role; NULL with e set. */
static cJSON *reconcile_dangling(struct store *s, struct err *e)
{
	cJSON *rows = store_rows(
		s,
		"select b.id as binding_id, r.role as gone_role, x.name as gone_session_name, b.task_id, t.name as task_name "
		"from bindings b join tasks t on t.id = b.task_id "
		"join (select 'worker' as role union all select 'manager') r "
		"join sessions x on x.id = case r.role when 'worker' then b.worker_session_id else b.manager_session_id end "
		"where b.state in ('active', 'ending') and x.state = 'gone' order by b.created_at, b.rowid, r.role desc",
		NULL);
	return rows ? rows : err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
}

/* Tasks of active bindings whose newest manager cycle completed more than stale seconds before now. */
static cJSON *reconcile_stuck(struct ctx *c, struct store *s, long long stale, struct err *e)
{
	cJSON *rows = store_rows(
		s,
		"select b.id as binding_id, m.completed_at as last_cycle_completed_at, m.id as last_cycle_id, "
		"cast(round((julianday(?1) - julianday(m.completed_at)) * 86400000) as integer) / 1000 as seconds_since, "
		"b.task_id, t.name as task_name from bindings b join tasks t on t.id = b.task_id "
		"join manager_cycles m on m.id = (select max(id) from manager_cycles where task_id = b.task_id) "
		"where b.state = 'active' and m.completed_at is not null and "
		"round((julianday(?1) - julianday(m.completed_at)) * 86400000) > ?2 * 1000 order by b.created_at, b.rowid",
		"si", c->now, stale);
	return rows ? rows : err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
}

/* Whether an attempted command's claimant is gone: no claim, a lease that expired, or a "<what>:<pid>" whose
 * process no longer exists. */
static int reconcile_abandoned(const struct ctx *c, const cJSON *row)
{
	const char *by = json_str(row, "claimed_by"), *until = json_str(row, "claim_expires_at");
	long long until_ms;
	if (!by || !until || clock_parse(until, &until_ms) != 0 || until_ms < c->now_ms)
		return 1;
	const char *colon = strrchr(by, ':');
	return colon && !procfs_alive(strtol(colon + 1, NULL, 10));
}

/* Commands that finish-task or stop-task left attempted when they were killed between their two transactions
 * ({command_id, type, task_id, claimed_by, claim_expires_at}); NULL with e set. */
static cJSON *reconcile_interrupted(struct ctx *c, struct store *s, struct err *e)
{
	cJSON *rows = store_rows(s, "select id as command_id, type, task_id, claimed_by, claim_expires_at, correlation_id "
				    "from commands where state = 'attempted' and type in ('finish_task', 'stop_task') "
				    "order by created_at, rowid", NULL);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *gone = cJSON_CreateArray(), *row;
	while ((row = cJSON_DetachItemFromArray(rows, 0))) {
		if (reconcile_abandoned(c, row))
			cJSON_AddItemToArray(gone, row);
		else
			cJSON_Delete(row);
	}
	cJSON_Delete(rows);
	return gone;
}

/* --apply: each interrupted command failed, with an error that says what happened and what to do. */
static int reconcile_fail_interrupted(struct ctx *c, const cJSON *interrupted, struct err *e)
{
	const cJSON *row;
	cJSON_ArrayForEach(row, interrupted) {
		struct queued q = {.type = json_str(row, "type"), .task_id = json_str(row, "task_id")};
		snprintf(q.id, sizeof q.id, "%s", json_str(row, "command_id"));
		snprintf(q.correlation_id, sizeof q.correlation_id, "%s", json_str(row, "correlation_id") ?
			 json_str(row, "correlation_id") : "");
		if (queue_finish(c, &q, "interrupted: the process running it ended before it recorded the outcome; "
					"run the command again", NULL, e) != 0)
			return -1;
	}
	return 0;
}

/* schema_health: the store's read-only health check of the file ({journal_mode, ok, quick_check, user_version}),
 * or {error, ok: false} when the file cannot be read (also when it does not exist). */
static cJSON *reconcile_health(const char *path)
{
	char msg[512];
	cJSON *h = store_health(path, msg, sizeof msg);
	if (!h) {
		h = cJSON_CreateObject();
		cJSON_AddStringToObject(h, "error", msg);
		cJSON_AddFalseToObject(h, "ok");
		return h;
	}
	const char *check = json_str(h, "quick_check");
	cJSON_AddBoolToObject(h, "ok", check && strcmp(check, "ok") == 0);
	return h;
}

/* Marks each dead session gone, with its event; 0 or -1 with e set. */
static int reconcile_mark_gone(struct ctx *c, const cJSON *dead, const char *at, struct err *e)
{
	const cJSON *row;
	cJSON_ArrayForEach(row, dead)
	{
		if (store_exec(c->store, "update sessions set state = 'gone', last_heartbeat_at = ? where id = ?", "ss", at,
			       json_str(row, "session_id")) != 0) {
			err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
			return -1;
		}
		if (audit_event(c, "session_marked_gone_by_reconcile", NULL, NULL, cJSON_Duplicate(row, 1), e) != 0)
			return -1;
	}
	return 0;
}

/* Marks each dangling binding invalid (once, whatever number of its sessions is gone), with its event. */
static int reconcile_invalidate(struct ctx *c, const cJSON *dangling, const char *at, int *count, struct err *e)
{
	const cJSON *row;
	cJSON_ArrayForEach(row, dangling)
	{
		if (store_exec(c->store, "update bindings set state = 'invalid', ended_at = ? where id = ? and "
					 "state in ('active', 'ending')", "ss", at, json_str(row, "binding_id")) != 0) {
			err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
			return -1;
		}
		if (store_changes(c->store) == 0)
			continue;
		(*count)++;
		if (audit_event(c, "binding_marked_invalid_by_reconcile", json_str(row, "task_id"), NULL,
				cJSON_Duplicate(row, 1), e) != 0)
			return -1;
	}
	return 0;
}

/* --apply: dead sessions gone, then the recomputed dangling bindings invalid; replaces dangling_bindings in r and
 * adds applied{bindings_marked_invalid, sessions_marked_gone}. */
static int reconcile_apply(struct ctx *c, cJSON *r, struct err *e)
{
	char at[CLOCK_ISO_LEN];
	clock_format_s(c->now_ms, at);
	const cJSON *dead = cJSON_GetObjectItem(r, "dead_pid_sessions");
	if (reconcile_mark_gone(c, dead, at, e) != 0)
		return -1;
	cJSON *dangling = reconcile_dangling(c->store, e);
	int invalid = 0;
	if (!dangling)
		return -1;
	cJSON_ReplaceItemInObjectCaseSensitive(r, "dangling_bindings", dangling);
	if (reconcile_invalidate(c, dangling, at, &invalid, e) != 0)
		return -1;
	const cJSON *interrupted = cJSON_GetObjectItem(r, "interrupted_commands");
	if (reconcile_fail_interrupted(c, interrupted, e) != 0)
		return -1;
	cJSON *applied = cJSON_CreateObject();
	cJSON_AddNumberToObject(applied, "bindings_marked_invalid", invalid);
	cJSON_AddNumberToObject(applied, "commands_marked_failed", cJSON_GetArraySize(interrupted));
	cJSON_AddNumberToObject(applied, "sessions_marked_gone", cJSON_GetArraySize(dead));
	cJSON_AddItemToObject(r, "applied", applied);
	return 0;
}

/* reconcile [--apply] [--stale-cycles-seconds N]: the drift report, repaired with --apply. */
static cJSON *reconcile_run(struct ctx *c, const struct args *a, struct err *e)
{
	long long stale = args_int_or(a, "--stale-cycles-seconds", 3600);
	int apply = args_has(a, "--apply");
	if (!apply)
		c->pre = CMD_READS;
	cJSON *health = reconcile_health(c->db_path);
	struct store *s = ctx_db(c, e);
	cJSON *r = cJSON_CreateObject(), *part;
	cJSON_AddItemToObject(r, "schema_health", health);
	if (!s || !(part = reconcile_dead(s, e)))
		goto fail;
	cJSON_AddItemToObject(r, "dead_pid_sessions", part);
	if (!(part = reconcile_dangling(s, e)))
		goto fail;
	cJSON_AddItemToObject(r, "dangling_bindings", part);
	if (!(part = reconcile_stuck(c, s, stale, e)))
		goto fail;
	cJSON_AddItemToObject(r, "stuck_tasks", part);
	if (!(part = reconcile_interrupted(c, s, e)))
		goto fail;
	cJSON_AddItemToObject(r, "interrupted_commands", part);
	if (apply && reconcile_apply(c, r, e) != 0)
		goto fail;
	return r;
fail:
	cJSON_Delete(r);
	return NULL;
}

/* `reconcile`. */
const struct cmd_entry cmd_reconcile = {
	.word = "reconcile",
	.man = "conveyor-lifecycle",
	.usage = "reconcile [--apply] [--stale-cycles-seconds N]",
	.summary = "Report dead session processes, bindings to gone sessions, stuck tasks and database health.",
	.help = "--apply marks dead sessions gone and their bindings invalid, and fails the finish-task and stop-task\n"
		"commands whose process was killed before it recorded the outcome (interrupted_commands). A task is stuck\n"
		"when its newest manager cycle completed more than N seconds ago (default 3600).\n"
		"\nexample:\n  conveyor reconcile --apply --json\n",
	.flags = reconcile_flags,
	.pre = CMD_WRITES,
	.run = reconcile_run,
};
