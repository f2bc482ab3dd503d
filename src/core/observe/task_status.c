/* task-status TASK: one task at a glance — its binding, the bound sessions and whether their processes live,
 * the latest cycle, inbox counts per session and a timeline of recent events (what the cockpit's task view
 * draws, and what a script can read). */
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/observe/observe_cmds.h"
#include "core/host/procfs.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

#define TASK_TIMELINE 40

/* A bound session: {name, role, state, pid, alive, tmux_session, last_heartbeat_at, inbox{pending, consumed}}, or
 * JSON null when id is NULL. */
static cJSON *task_status_session(struct store *s, const char *id, struct err *e)
{
	if (!id)
		return cJSON_CreateNull();
	cJSON *row = optional_row(s, e,
				  "select last_heartbeat_at, name, pid, role, state, tmux_session from sessions where id = ?",
				  "s", id);
	if (!cJSON_IsObject(row))
		return row;
	const cJSON *pid = cJSON_GetObjectItem(row, "pid");
	cJSON_AddBoolToObject(row, "alive", cJSON_IsNumber(pid) && procfs_alive((long)pid->valuedouble));
	cJSON *inbox = optional_row(s, e,
				    "select coalesce(sum(state = 'delivered' and consumed_at is null), 0) as pending, "
				    "coalesce(sum(consumed_at is not null), 0) as consumed from routed_notifications "
				    "where target_session_id = ?",
				    "s", id);
	if (!inbox) {
		cJSON_Delete(row);
		return NULL;
	}
	cJSON_AddItemToObject(row, "inbox", inbox);
	return row;
}

/* The task's latest cycle: {id, state, started_at, completed_at, worker_state, notable_pane_pattern,
 * staleness_seconds, error}, or JSON null. */
static cJSON *task_status_cycle(struct store *s, const char *task_id, struct err *e)
{
	return optional_row(s, e,
			    "select completed_at, error, id, json_extract(status_json, '$.notable_pane_pattern') as "
			    "notable_pane_pattern, json_extract(status_json, '$.staleness_seconds') as staleness_seconds, "
			    "started_at, state, json_extract(status_json, '$.state') as worker_state from manager_cycles "
			    "where task_id = ? order by id desc limit 1",
			    "s", task_id);
}

/* task-status TASK: the task, binding, sessions, latest cycle, inbox counts, dispatch health and timeline. */
static cJSON *observe_task_status(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "task-status requires a task.");
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, a->positional, e) : NULL;
	if (!task)
		return NULL;
	const char *task_id = json_str(task, "id");
	cJSON *r = cJSON_CreateObject();
	cJSON_AddItemToObject(r, "task", task);
	cJSON *binding = optional_row(s, e,
				      "select created_at, ended_at, id, manager_session_id, state, worker_session_id from "
				      "bindings where task_id = ? order by created_at desc, rowid desc limit 1",
				      "s", task_id);
	cJSON *worker = binding ? task_status_session(s, json_str(binding, "worker_session_id"), e) : NULL;
	cJSON *manager = worker ? task_status_session(s, json_str(binding, "manager_session_id"), e) : NULL;
	cJSON *cycle = manager ? task_status_cycle(s, task_id, e) : NULL;
	cJSON *timeline = cycle ? store_rows(s,
					     "select actor, created_at, id, type from events where task_id = ? "
					     "order by id desc limit ?",
					     "si", task_id, (long long)TASK_TIMELINE)
				: NULL;
	if (cycle && !timeline)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *dispatch = timeline ? dispatch_health(c, HEALTH_TASK, task_id, e) : NULL;
	if (timeline && !dispatch) {
		cJSON_Delete(timeline);
		timeline = NULL;
	}
	cJSON_AddItemToObject(r, "binding", binding ? binding : cJSON_CreateNull());
	if (dispatch)
		cJSON_AddItemToObject(r, "dispatch", dispatch);
	cJSON_AddItemToObject(r, "worker", worker ? worker : cJSON_CreateNull());
	cJSON_AddItemToObject(r, "manager", manager ? manager : cJSON_CreateNull());
	cJSON_AddItemToObject(r, "latest_cycle", cycle ? cycle : cJSON_CreateNull());
	cJSON_AddItemToObject(r, "timeline", timeline ? timeline : cJSON_CreateArray());
	if (!timeline) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* `task-status`. */
const struct cmd_entry cmd_task_status = {
	.word = "task-status",
	.man = "conveyor-observe",
	.usage = "task-status TASK",
	.summary = "Show a task at a glance: binding, bound sessions (alive, inbox), latest cycle, recent events.",
	.help = "The cockpit's task view draws this. A process counts as alive when kill(pid, 0) succeeds or is refused\n"
		"for permission; inbox pending counts delivered, unconsumed notifications. The timeline holds the\n"
		"task's newest 40 events, newest first.\n"
		"\nexample:\n  conveyor task-status docs --json\n",
	.positional = "task",
	.pre = CMD_READS,
	.run = observe_task_status,
	.text = observe_task_status_text,
};

/* Text form: the task, binding, sessions with liveness and inbox, latest cycle, then the timeline. */
void observe_task_status_text(const cJSON *r, struct sb *out)
{
	const cJSON *task = cJSON_GetObjectItem(r, "task"), *b = cJSON_GetObjectItem(r, "binding");
	const cJSON *cy = cJSON_GetObjectItem(r, "latest_cycle"), *ev;
	sb_addf_clean(out, "task %s %s: %s\n", json_str(task, "name"), json_str(task, "state"), json_str(task, "goal"));
	if (cJSON_IsObject(b))
		sb_addf_clean(out, "binding %s %s\n", json_str(b, "id"), json_str(b, "state"));
	else
		sb_adds(out, "binding none\n");
	static const char *const roles[] = {"worker", "manager"};
	for (int i = 0; i < 2; i++) {
		const cJSON *ss = cJSON_GetObjectItem(r, roles[i]);
		if (!cJSON_IsObject(ss))
			continue;
		const cJSON *inbox = cJSON_GetObjectItem(ss, "inbox");
		sb_addf_clean(out, "%s %s %s (%s) tmux %s inbox pending=%d consumed=%d\n", roles[i], json_str(ss, "name"),
			      json_str(ss, "state"),
			      cJSON_IsTrue(cJSON_GetObjectItem(ss, "alive")) ? "alive" : "not running",
			      json_str(ss, "tmux_session") ? json_str(ss, "tmux_session") : "none",
			      cJSON_GetObjectItem(inbox, "pending")->valueint,
			      cJSON_GetObjectItem(inbox, "consumed")->valueint);
	}
	if (cJSON_IsObject(cy))
		sb_addf_clean(out, "cycle #%d %s worker %s pane %s at %s\n", cJSON_GetObjectItem(cy, "id")->valueint,
			      json_str(cy, "state"), json_str(cy, "worker_state") ? json_str(cy, "worker_state") : "-",
			      json_str(cy, "notable_pane_pattern") ? json_str(cy, "notable_pane_pattern") : "ok",
			      json_str(cy, "started_at"));
	else
		sb_adds(out, "cycle none\n");
	const cJSON *d = cJSON_GetObjectItem(r, "dispatch");
	sb_addf_clean(out, "dispatch %s queued=%d failed=%d stale_claims=%d side_effect_risk=%d\n",
		      json_str(d, "core_status"), cJSON_GetObjectItem(d, "queued")->valueint,
		      cJSON_GetObjectItem(d, "failed")->valueint, cJSON_GetObjectItem(d, "stale_claims")->valueint,
		      cJSON_GetObjectItem(d, "side_effect_risk")->valueint);
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(r, "timeline"))
	sb_addf_clean(out, "%s %s %s\n", json_str(ev, "created_at"), json_str(ev, "actor"), json_str(ev, "type"));
}
