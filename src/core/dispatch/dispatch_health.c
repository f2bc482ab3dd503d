/* Dispatch health (SPEC 10.2's rail, docs/dispatch.md): is a dispatcher alive, and what is queued, failed, stuck
 * or at risk, with inbox counts per session, for everything, one task, or one campaign's slot sessions. It backs
 * `dispatch-status`, task-status's dispatch object and the cockpit's campaign and task views. */
#include <stdio.h>
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* A heartbeat older than this makes the dispatcher stale (SPEC 10.2). */
#define HEALTH_STALE_MS 30000

/* The scope as two CTEs binding ?1 (a task or campaign id): ss(id), its sessions, and sc(id), its commands. */
static const char *const health_scopes[] = {
	[HEALTH_ALL] = "with ss(id) as (select id from sessions), sc(id) as (select id from commands) ",
	[HEALTH_TASK] = "with b as (select worker_session_id, manager_session_id from bindings where task_id = ?1 "
			"order by created_at desc, rowid desc limit 1), "
			"ss(id) as (select worker_session_id from b where worker_session_id is not null union "
			"select manager_session_id from b where manager_session_id is not null), "
			"sc(id) as (select id from commands where task_id = ?1) ",
	[HEALTH_CAMPAIGN] = "with ss(id) as (select distinct session_id from campaign_worker_slots where campaign_id = ?1 "
			    "and session_id is not null), "
			    "sc(id) as (select id from commands where target_session_id in (select id from ss) or task_id in "
			    "(select task_id from bindings where state in ('active', 'ending') and worker_session_id in "
			    "(select id from ss))) ",
};

/* The scope's command and notification counts: queued (pending + attempted), failed, stale_claims (lease expired),
 * side_effect_risk (a push started and not completed, by a command attempt or a completion) and suppressed. */
static cJSON *health_counts(struct ctx *c, enum health_scope scope, const char *id, struct err *e)
{
	char sql[2048];
	snprintf(sql, sizeof sql,
		 "%sselect coalesce(sum(k.state in ('pending', 'attempted')), 0) as queued, "
		 "coalesce(sum(k.state = 'failed'), 0) as failed, "
		 "coalesce(sum(k.state = 'attempted' and julianday(k.claim_expires_at) <= julianday(?2)), 0) as stale_claims, "
		 "(select count(*) from command_attempts a where a.command_id in (select id from sc) and "
		 "a.side_effect_started = 1 and a.side_effect_completed = 0 and a.state in ('running', 'failed')) + "
		 "(select count(*) from routed_notifications r where r.command_id is null and r.side_effect_started = 1 and "
		 "r.side_effect_completed = 0 and r.state in ('pending', 'failed') and r.target_session_id in "
		 "(select id from ss)) as side_effect_risk, "
		 "(select count(*) from routed_notifications r where r.state = 'suppressed' and r.target_session_id in "
		 "(select id from ss)) as suppressed from commands k where k.id in (select id from sc)",
		 health_scopes[scope]);
	return optional_row(c->store, e, sql, "ss", id, c->now);
}

/* The scope's sessions with their inboxes: [{name, role, inbox: {pending, pull_pending, consumed}}] by name
 * (every session with an inbox item when the scope is everything); adds the totals to inbox. */
static cJSON *health_sessions(struct ctx *c, enum health_scope scope, const char *id, cJSON *inbox, struct err *e)
{
	char sql[1024];
	snprintf(sql, sizeof sql,
		 "%sselect s.name, s.role, coalesce(sum(r.state = 'delivered' and r.consumed_at is null), 0) as pending, "
		 "coalesce(sum(r.state = 'delivered' and r.consumed_at is null and r.delivery_mode = 'pull_required'), 0) "
		 "as pull_pending, coalesce(sum(r.consumed_at is not null), 0) as consumed from ss join sessions s on "
		 "s.id = ss.id left join routed_notifications r on r.target_session_id = s.id group by s.id "
		 "having ?2 or count(r.id) > 0 order by s.name",
		 health_scopes[scope]);
	cJSON *rows = store_rows(c->store, sql, "si", id, (long long)(scope != HEALTH_ALL));
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	static const char *const keys[] = {"pending", "pull_pending", "consumed"};
	double total[3] = {0, 0, 0};
	cJSON *row;
	cJSON_ArrayForEach(row, rows)
	{
		cJSON *box = cJSON_CreateObject();
		for (int i = 0; i < 3; i++) {
			cJSON *v = cJSON_DetachItemFromObject(row, keys[i]);
			total[i] += v->valuedouble;
			cJSON_AddItemToObject(box, keys[i], v);
		}
		cJSON_AddItemToObject(row, "inbox", box);
	}
	for (int i = 0; i < 3; i++)
		cJSON_AddNumberToObject(inbox, keys[i], total[i]);
	return rows;
}

/* The newest dispatcher heartbeat as core_status (active within 30 s, else stale; not_observed without one),
 * dispatcher_id and last_heartbeat_at on d. 0, or -1 with e set. */
static int health_heartbeat(struct ctx *c, cJSON *d, struct err *e)
{
	cJSON *beat = optional_row(c->store, e,
				   "select json_extract(correlation_json, '$.dispatcher_id') as dispatcher_id, timestamp "
				   "from telemetry_events where event_type = 'dispatch_watch_heartbeat' "
				   "order by timestamp desc limit 1",
				   "");
	if (!beat)
		return -1;
	long long at;
	const char *status = "not_observed";
	if (cJSON_IsObject(beat) && clock_parse(json_str(beat, "timestamp"), &at) == 0)
		status = c->now_ms - at <= HEALTH_STALE_MS ? "active" : "stale";
	cJSON_AddStringToObject(d, "core_status", status);
	json_add_str(d, "dispatcher_id", json_str(beat, "dispatcher_id"));
	json_add_str(d, "last_heartbeat_at", json_str(beat, "timestamp"));
	cJSON_Delete(beat);
	return 0;
}

/* Dispatch health of a scope (id: the task or campaign id, NULL for everything): {core_status, dispatcher_id,
 * last_heartbeat_at, queued, failed, stale_claims, side_effect_risk, suppressed, inbox{pending, pull_pending,
 * consumed}, sessions[]}; NULL with e set. */
cJSON *dispatch_health(struct ctx *c, enum health_scope scope, const char *id, struct err *e)
{
	cJSON *d = health_counts(c, scope, id, e);
	if (!d)
		return NULL;
	cJSON *inbox = cJSON_AddObjectToObject(d, "inbox");
	cJSON *sessions = health_sessions(c, scope, id, inbox, e);
	if (!sessions || health_heartbeat(c, d, e) != 0) {
		cJSON_Delete(sessions);
		cJSON_Delete(d);
		return NULL;
	}
	cJSON_AddItemToObject(d, "sessions", sessions);
	return d;
}

/* dispatch-status [--campaign C | --task T]: dispatch health of everything, one campaign or one task. */
static cJSON *dispatch_status(struct ctx *c, const struct args *a, struct err *e)
{
	const char *campaign_ref = args_get(a, "--campaign"), *task_ref = args_get(a, "--task");
	if (campaign_ref && task_ref)
		return err_null(e, EXIT_USAGE, "dispatch-status takes --campaign or --task, not both");
	struct store *s = ctx_db(c, e);
	if (!s)
		return NULL;
	cJSON *owner = campaign_ref ? campaign_lookup(s, campaign_ref, e) : task_ref ? task_lookup(s, task_ref, e) : NULL;
	if ((campaign_ref || task_ref) && !owner)
		return NULL;
	cJSON *d = dispatch_health(c, campaign_ref ? HEALTH_CAMPAIGN : task_ref ? HEALTH_TASK : HEALTH_ALL,
				   json_str(owner, "id"), e);
	if (d) {
		cJSON *scope = cJSON_AddObjectToObject(d, "scope");
		cJSON_AddStringToObject(scope, "kind", campaign_ref ? "campaign" : task_ref ? "task" : "all");
		json_add_str(scope, "name", json_str(owner, "name"));
	}
	cJSON_Delete(owner);
	return d;
}

/* The flags of dispatch-status. */
static const struct flag_spec dispatch_status_flags[] = {
	{.name = "--campaign", .type = FLAG_STRING, .arg = "C",
	 .help = "only the campaign's slot sessions and their commands"},
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "only the task's commands and bound sessions"},
	{0},
};

/* `dispatch-status`. */
const struct cmd_entry cmd_dispatch_status = {
	.word = "dispatch-status",
	.man = "conveyor-dispatch",
	.usage = "dispatch-status [--campaign C | --task T]",
	.summary = "Dispatch health: the dispatcher's heartbeat, queued, failed, stale and at-risk work, and inboxes.",
	.help = "core_status is active (a heartbeat within 30 s), stale or not_observed. queued counts pending and attempted\n"
		"commands, stale_claims those whose lease expired, side_effect_risk pushes that started and did not\n"
		"complete; each session's inbox counts pending (pull_pending of them left for the agent to pull) and\n"
		"consumed items. --campaign covers the slot sessions and the commands addressed or routed to them;\n"
		"--task the task's commands and its bound sessions; neither, everything.\n"
		"\nexample:\n  conveyor dispatch-status --campaign launch --json\n",
	.flags = dispatch_status_flags,
	.pre = CMD_READS,
	.run = dispatch_status,
	.text = dispatch_status_text,
};

/* Text form: the dispatcher line, the counts, and one inbox line per session. */
void dispatch_status_text(const cJSON *r, struct sb *out)
{
	const cJSON *scope = cJSON_GetObjectItem(r, "scope"), *inbox = cJSON_GetObjectItem(r, "inbox"), *s;
	sb_addf_clean(out, "dispatch %s", json_str(r, "core_status"));
	if (json_str(r, "dispatcher_id"))
		sb_addf_clean(out, " (%s, last heartbeat %s)", json_str(r, "dispatcher_id"), json_str(r, "last_heartbeat_at"));
	if (json_str(scope, "name"))
		sb_addf_clean(out, " for %s %s", json_str(scope, "kind"), json_str(scope, "name"));
	sb_addf(out, "\nqueued=%d failed=%d stale_claims=%d side_effect_risk=%d suppressed=%d\n",
		json_int(r, "queued"), json_int(r, "failed"), json_int(r, "stale_claims"), json_int(r, "side_effect_risk"),
		json_int(r, "suppressed"));
	sb_addf(out, "inbox pending=%d pull_pending=%d consumed=%d\n", json_int(inbox, "pending"),
		json_int(inbox, "pull_pending"), json_int(inbox, "consumed"));
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(r, "sessions"))
	{
		const cJSON *box = cJSON_GetObjectItem(s, "inbox");
		sb_addf_clean(out, "  %s (%s) pending=%d pull_pending=%d consumed=%d\n", json_str(s, "name"),
			      json_str(s, "role"), json_int(box, "pending"), json_int(box, "pull_pending"),
			      json_int(box, "consumed"));
	}
}
