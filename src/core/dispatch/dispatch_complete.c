/* Routing worker task_complete events to the bound manager (SPEC 6.4, docs/dispatch.md): expired claims with a
 * started side effect fail, pending ones are re-claimed and delivered, and new completions become notifications.
 * A completion recorded before the binding existed is never routed to it (defect 35). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/base/ids.h"
#include "core/steer/steer.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

/* A pending notification joined with its target session (what delivery needs). */
#define COMPLETE_SELECT                                                                                        \
	"select rn.id, rn.task_id, rn.correlation_id, rn.source_event_id, rn.delivery_mode, rn.payload_json, "   \
	"ts.name as target_session, ts.tmux_session, ts.tmux_pane_id, ts.codex_session_path from "               \
	"routed_notifications rn join sessions ts on ts.id = rn.target_session_id "

/* Unrouted task_complete events of bound workers (no notification names the event or its dedupe key) that
 * happened after the binding was created, oldest first. */
#define COMPLETE_NEW                                                                                             \
	"select e.id as event_id, e.timestamp, json_extract(e.payload_json, '$.last_agent_message') as "             \
	"last_agent_message, json_extract(e.payload_json, '$.turn_id') as turn_id, json_extract(e.payload_json, "     \
	"'$.duration_ms') as duration_ms, json_extract(e.payload_json, '$.time_to_first_token_ms') as ttft, "         \
	"b.id as binding_id, b.task_id, t.name as task_name, ws.id as worker_id, ws.name as worker_name, ms.id as "   \
	"manager_id, ms.name as manager_name, ms.tmux_session from bindings b join codex_events e on e.session_id = " \
	"b.worker_session_id join tasks t on t.id = b.task_id join sessions ws on ws.id = b.worker_session_id join " \
	"sessions ms on ms.id = b.manager_session_id where b.state in ('active', 'ending') and e.subtype = "          \
	"'task_complete' and not exists (select 1 from routed_notifications rn where rn.source_event_id = e.id or "  \
	"rn.dedupe_key = b.id || ':worker_task_complete:' || b.worker_session_id || ':' || e.id) and "              \
	"coalesce(" DISPATCH_MS("e.timestamp") ", " DISPATCH_MS("e.ingested_at") ") >= " DISPATCH_MS("b.created_at") \
	" order by e.id limit ?"

/* Fails with the store's message; returns -1. */
static int complete_db_err(struct ctx *c, struct err *e)
{
	err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return -1;
}

/* The integer id of a row. */
static long long complete_id(const cJSON *row)
{
	return (long long)cJSON_GetObjectItem(row, "id")->valuedouble;
}

/* Emits one telemetry row about a completion signal (actor dispatch); attributes taken. */
static int complete_telemetry(struct ctx *c, const struct dispatch_opts *o, const cJSON *n, const char *type,
			      const char *severity, const char *summary, cJSON *attrs, struct err *e)
{
	cJSON *corr = cJSON_CreateObject();
	json_add_str(corr, "correlation_id", json_str(n, "correlation_id"));
	cJSON_AddStringToObject(corr, "dispatcher_id", o->dispatcher_id);
	const cJSON *id = cJSON_GetObjectItem(n, "id"), *ev = cJSON_GetObjectItem(n, "source_event_id");
	if (cJSON_IsNumber(id))
		cJSON_AddNumberToObject(corr, "notification_id", id->valuedouble);
	if (cJSON_IsNumber(ev))
		cJSON_AddNumberToObject(corr, "source_event_id", ev->valuedouble);
	cJSON_AddStringToObject(corr, "signal_type", "worker_task_complete");
	struct telemetry t = {"dispatch", type, severity, summary, json_str(n, "task_id"), NULL, NULL, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* A copy of v, or JSON null when it is absent. */
static cJSON *complete_copy(const cJSON *v)
{
	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateNull();
}

/* A completion's result: {delivery_mode, dispatcher_id, dry_run, error, notification_id, recovered,
 * side_effect_completed, side_effect_started, signal_type, source_event_id, state, target_session}. */
static cJSON *complete_result(const struct dispatch_opts *o, const cJSON *n, const char *state, const char *error,
			      int recovered, int started, int completed)
{
	cJSON *x = cJSON_CreateObject();
	json_add_str(x, "delivery_mode", json_str(n, "delivery_mode"));
	cJSON_AddStringToObject(x, "dispatcher_id", o->dispatcher_id);
	cJSON_AddBoolToObject(x, "dry_run", o->dry_run);
	json_add_str(x, "error", error);
	cJSON_AddItemToObject(x, "notification_id", complete_copy(cJSON_GetObjectItem(n, "id")));
	cJSON_AddBoolToObject(x, "recovered", recovered);
	cJSON_AddBoolToObject(x, "side_effect_completed", completed);
	cJSON_AddBoolToObject(x, "side_effect_started", started);
	cJSON_AddStringToObject(x, "signal_type", "worker_task_complete");
	cJSON_AddItemToObject(x, "source_event_id", complete_copy(cJSON_GetObjectItem(n, "source_event_id")));
	cJSON_AddStringToObject(x, "state", state);
	json_add_str(x, "target_session", json_str(n, "target_session"));
	return x;
}

/* Records a delivery's outcome on the notification and its telemetry; appends the result. */
static int complete_outcome(struct ctx *c, const struct dispatch_opts *o, const cJSON *n, int recovered,
			    const struct steer_sent *s, const char *error, cJSON *processed, struct err *e)
{
	int push = strcmp(json_str(n, "delivery_mode"), "push") == 0;
	const char *state = error ? "failed" : push ? "delivered" : "pull_required";
	int rc = error ? store_exec(c->store,
				    s->started ? "update routed_notifications set state = 'failed', side_effect_started = 1, "
						 "side_effect_completed = ?1, error = ?2 where id = ?3"
					       : "update routed_notifications set claimed_by = null, claimed_at = null, "
						 "claim_expires_at = null, side_effect_started = 0, side_effect_completed = ?1, "
						 "error = ?2 where id = ?3",
				    "isi", (long long)s->completed, error, (long long)complete_id(n))
		       : store_exec(c->store,
				    "update routed_notifications set state = 'delivered', delivered_at = ?, "
				    "side_effect_started = ?, side_effect_completed = ? where id = ?",
				    "siii", c->now, (long long)s->started, (long long)s->completed, (long long)complete_id(n));
	if (rc != 0)
		return complete_db_err(c, e);
	char summary[256];
	snprintf(summary, sizeof summary, "Worker completion %s for %s%s.", state, json_str(n, "target_session"),
		 error && !s->started ? "; will be retried" : "");
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "delivery_mode", json_str(n, "delivery_mode"));
	json_add_str(attrs, "error", error);
	cJSON_AddBoolToObject(attrs, "recovered", recovered);
	cJSON_AddBoolToObject(attrs, "side_effect_completed", s->completed);
	cJSON_AddBoolToObject(attrs, "side_effect_risk", s->started && !s->completed);
	cJSON_AddBoolToObject(attrs, "side_effect_started", s->started);
	const char *type = error ? "dispatch_signal_failed" : recovered ? "dispatch_signal_recovered"
				: push ? "dispatch_signal_routed" : "dispatch_signal_pull_required";
	if (complete_telemetry(c, o, n, type, error ? "error" : "info", summary, attrs, e) != 0)
		return -1;
	cJSON_AddItemToArray(processed, complete_result(o, n, state, error, recovered, s->started, s->completed));
	return 0;
}

/* Delivers one claimed notification: pull_required at once; push typed into the manager's pane with no
 * transaction open, the side-effect flag committed first (as for commands). */
static int complete_deliver(struct ctx *c, const struct dispatch_opts *o, const cJSON *n, int recovered,
			    cJSON *processed, struct err *e)
{
	struct steer_sent sent = {0, 0, -1, NULL};
	if (strcmp(json_str(n, "delivery_mode"), "push") != 0)
		return complete_outcome(c, o, n, recovered, &sent, NULL, processed, e);
	char *target = tmux_target(json_str(n, "tmux_session"), json_str(n, "tmux_pane_id"));
	char *exact = tmux_exact(target);
	struct steer_worker w = {json_str(n, "target_session"), json_str(n, "tmux_session"), exact,
				 json_str(n, "codex_session_path")};
	struct err failure = {0};
	int rc = -1;
	long long id = complete_id(n);
	if (ctx_release(c, e) != 0)
		goto out;
	if (steer_alive(&w, &failure) == 0) {
		if (!ctx_db(c, e))
			goto out;
		if (store_exec(c->store, "update routed_notifications set side_effect_started = 1 where id = ?", "i", id) != 0) {
			complete_db_err(c, e);
			goto out;
		}
		if (ctx_release(c, e) != 0)
			goto out;
		steer_send(&w, json_str(cJSON_GetObjectItem(n, "payload"), "message"), 0, &sent, &failure);
	}
	if (ctx_db(c, e) && dispatch_refresh_now(c, e) == 0)
		rc = complete_outcome(c, o, n, recovered, &sent, failure.code ? failure.msg : NULL, processed, e);
out:
	free(target);
	free(exact);
	return rc;
}

/* Steps a and b: expired claims whose side effect started fail; pending ones with none, unclaimed or expired,
 * are claimed again (conditionally, so one dispatcher takes each) and delivered. */
static int complete_recover(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	if (store_exec(c->store,
		       "update routed_notifications set state = 'failed', error = 'claim expired after its side effect "
		       "started' where signal_type = 'worker_task_complete' and state = 'pending' and side_effect_started "
		       "= 1 and side_effect_completed = 0 and " DISPATCH_MS("claim_expires_at") " <= ?",
		       "s", c->now) != 0)
		return complete_db_err(c, e);
	char expires[CLOCK_ISO_LEN];
	clock_format_ms(c->now_ms + o->lease_ms, expires);
	for (long long n = 0; n < o->limit; n++) {
		cJSON *row = NULL;
		int rc = store_row(c->store, &row,
				   COMPLETE_SELECT "where rn.signal_type = 'worker_task_complete' and rn.state = 'pending' "
						   "and rn.side_effect_started = 0 and (rn.claim_expires_at is null or "
						   DISPATCH_MS("rn.claim_expires_at") " <= ?) order by rn.created_at, rn.id limit 1",
				   "s", c->now);
		if (rc == 1)
			rc = store_exec(c->store,
					"update routed_notifications set claimed_by = ?, claimed_at = ?, claim_expires_at = ? "
					"where id = ? and state = 'pending' and side_effect_started = 0",
					"sssi", o->dispatcher_id, c->now, expires, (long long)complete_id(row));
		if (rc < 0) {
			cJSON_Delete(row);
			return complete_db_err(c, e);
		}
		rc = row ? complete_deliver(c, o, row, 1, processed, e) : 0;
		cJSON_Delete(row);
		if (rc != 0 || !row)
			return rc;
	}
	return 0;
}

/* The notification payload of a new completion (SPEC 6.4), with the message telling the manager to run cycle. */
static cJSON *complete_payload(const struct ctx *c, const struct dispatch_opts *o, const cJSON *ev, const char *mode)
{
	char message[1024];
	snprintf(message, sizeof message,
		 "Worker %s appears to have completed a turn on task %s. Run `%s cycle %s` to review it.",
		 json_str(ev, "worker_name"), json_str(ev, "task_name"), c->prog, json_str(ev, "task_name"));
	cJSON *p = cJSON_CreateObject(), *r = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "delivery_mode", mode);
	cJSON_AddStringToObject(p, "dispatcher_id", o->dispatcher_id);
	cJSON_AddStringToObject(p, "message", message);
	cJSON_AddStringToObject(p, "signal", "worker_task_complete");
	cJSON_AddItemToObject(p, "source_event_id", complete_copy(cJSON_GetObjectItem(ev, "event_id")));
	cJSON_AddStringToObject(p, "source_session", json_str(ev, "worker_name"));
	cJSON_AddStringToObject(p, "target_session", json_str(ev, "manager_name"));
	cJSON_AddStringToObject(p, "task", json_str(ev, "task_id"));
	cJSON_AddStringToObject(r, "completed_at", json_str(ev, "timestamp"));
	cJSON_AddItemToObject(r, "duration_ms", complete_copy(cJSON_GetObjectItem(ev, "duration_ms")));
	cJSON_AddItemToObject(r, "last_agent_message", complete_copy(cJSON_GetObjectItem(ev, "last_agent_message")));
	cJSON_AddItemToObject(r, "source_event_id", complete_copy(cJSON_GetObjectItem(ev, "event_id")));
	cJSON_AddStringToObject(r, "source_event_timestamp", json_str(ev, "timestamp"));
	cJSON_AddStringToObject(r, "source_session", json_str(ev, "worker_name"));
	cJSON_AddItemToObject(r, "time_to_first_token_ms", complete_copy(cJSON_GetObjectItem(ev, "ttft")));
	cJSON_AddItemToObject(r, "turn_id", complete_copy(cJSON_GetObjectItem(ev, "turn_id")));
	cJSON_AddItemToObject(p, "worker_receipt", r);
	return p;
}

/* Step c for one event: inserts its notification claimed by this dispatcher (the dedupe key is unique, so two
 * dispatchers never both insert it), emits dispatch_signal_detected and delivers it. */
static int complete_detect(struct ctx *c, const struct dispatch_opts *o, const cJSON *ev, cJSON *processed,
			   struct err *e)
{
	const char *mode = json_str(ev, "tmux_session") ? "push" : "pull_required";
	char dedupe[512], expires[CLOCK_ISO_LEN], corr[IDS_LEN];
	snprintf(dedupe, sizeof dedupe, "%s:worker_task_complete:%s:%lld", json_str(ev, "binding_id"),
		 json_str(ev, "worker_id"), (long long)cJSON_GetObjectItem(ev, "event_id")->valuedouble);
	clock_format_ms(c->now_ms + o->lease_ms, expires);
	ids_new("dispatch", corr);
	cJSON *payload = complete_payload(c, o, ev, mode);
	long long id = 0;
	int rc = store_int(c->store, &id,
			   "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, "
			   "target_session_id, signal_type, source_event_id, source_event_timestamp, dedupe_key, created_at, "
			   "delivery_mode, state, claimed_by, claimed_at, claim_expires_at, payload_json) values (?1, ?2, ?3, "
			   "?4, ?5, 'worker_task_complete', ?6, ?7, ?8, ?9, ?10, 'pending', ?11, ?9, ?12, ?13) returning id",
			   "sssssissssssj", json_str(ev, "task_id"), json_str(ev, "binding_id"), corr,
			   json_str(ev, "worker_id"), json_str(ev, "manager_id"),
			   (long long)cJSON_GetObjectItem(ev, "event_id")->valuedouble, json_str(ev, "timestamp"), dedupe, c->now,
			   mode, o->dispatcher_id, expires, payload);
	cJSON_Delete(payload);
	cJSON *n = NULL;
	if (rc != 1 || store_row(c->store, &n, COMPLETE_SELECT "where rn.id = ?", "i", id) != 1)
		return complete_db_err(c, e);
	char summary[256];
	snprintf(summary, sizeof summary, "Worker %s completed a turn; signal for %s.", json_str(ev, "worker_name"),
		 json_str(ev, "manager_name"));
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "dedupe_key", dedupe);
	cJSON_AddStringToObject(attrs, "delivery_mode", mode);
	cJSON_AddStringToObject(attrs, "source_session", json_str(ev, "worker_name"));
	cJSON_AddStringToObject(attrs, "target_session", json_str(ev, "manager_name"));
	rc = complete_telemetry(c, o, n, "dispatch_signal_detected", "info", summary, attrs, e);
	if (rc == 0)
		rc = complete_deliver(c, o, n, 0, processed, e);
	cJSON_Delete(n);
	return rc;
}

/* Dry run: the completions a pass would route, as planned results. */
static int complete_planned(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	cJSON *rows = store_rows(c->store, COMPLETE_NEW, "i", o->limit), *row;
	if (!rows)
		return complete_db_err(c, e);
	cJSON_ArrayForEach(row, rows)
	{
		cJSON *stub = cJSON_CreateObject();
		cJSON_AddStringToObject(stub, "target_session", json_str(row, "manager_name"));
		cJSON_AddStringToObject(stub, "delivery_mode", json_str(row, "tmux_session") ? "push" : "pull_required");
		cJSON_AddItemToObject(stub, "source_event_id", complete_copy(cJSON_GetObjectItem(row, "event_id")));
		cJSON_AddItemToArray(processed, complete_result(o, stub, "planned", NULL, 0, 0, 0));
		cJSON_Delete(stub);
	}
	cJSON_Delete(rows);
	return 0;
}

/* SPEC 6.4 for one pass: recovery, then up to limit new completions, one at a time (a dry run lists them). */
int dispatch_completions(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	if (o->dry_run)
		return complete_planned(c, o, processed, e);
	if (complete_recover(c, o, processed, e) != 0)
		return -1;
	for (long long n = 0; n < o->limit; n++) {
		cJSON *ev = NULL;
		int rc = store_row(c->store, &ev, COMPLETE_NEW, "i", 1LL);
		if (rc < 0)
			return complete_db_err(c, e);
		if (rc == 0)
			return 0;
		rc = complete_detect(c, o, ev, processed, e);
		cJSON_Delete(ev);
		if (rc != 0)
			return -1;
	}
	return 0;
}
