/* Recording one cycle: the manager_cycles row, its spans, success or failure, and what it reads on the way. */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/observe/cycle.h"
#include "util/proc.h"
#include "core/observe/rollout.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* Inserts the started cycle row and its manager_cycle_started event; records the start_cycle span. */
int cycle_start(struct cycle_run *run, struct err *e)
{
	struct ctx *c = run->c;
	run->t0 = proc_monotonic_ms();
	run->spans = cJSON_CreateArray();
	snprintf(run->started_at, sizeof run->started_at, "%s", c->now);
	const char *task_id = json_str(run->p->task, "id");
	if (store_exec(c->store, "insert into manager_cycles(task_id, started_at, state) values (?, ?, 'started')", "ss",
		       task_id, c->now) != 0 ||
	    store_int(c->store, &run->id, "select last_insert_rowid()", "") != 1) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "binding_id", json_str(run->p->binding, "id"));
	cJSON_AddNumberToObject(payload, "cycle_id", (double)run->id);
	cJSON_AddStringToObject(payload, "worker_session", json_str(run->p->worker, "name"));
	if (audit_event(c, "manager_cycle_started", task_id, NULL, payload, e) != 0)
		return -1;
	cycle_span(run, "start_cycle", (double)(proc_monotonic_ms() - run->t0), "succeeded", NULL);
	return 0;
}

/* Notes one phase's span (written to manager_cycle_spans when the cycle ends). */
void cycle_span(struct cycle_run *run, const char *phase, double ms, const char *state, const char *error_type)
{
	cJSON *sp = cJSON_CreateObject();
	cJSON_AddStringToObject(sp, "phase", phase);
	cJSON_AddNumberToObject(sp, "ms", ms < 0 ? 0 : ms);
	cJSON_AddStringToObject(sp, "state", state);
	json_add_str(sp, "error_type", error_type);
	cJSON_AddItemToArray(run->spans, sp);
}

/* Writes the noted spans; 0, or -1 with e set. */
static int cycle_write_spans(struct cycle_run *run, struct err *e)
{
	struct store *s = run->c->store;
	const cJSON *sp;
	int rc = 0;
	cJSON_ArrayForEach(sp, run->spans)
	{
		char ms[32];
		snprintf(ms, sizeof ms, "%.3f", cJSON_GetObjectItem(sp, "ms")->valuedouble);
		if (rc == 0 &&
		    store_exec(s,
			       "insert into manager_cycle_spans(manager_cycle_id, task_id, phase, started_at, "
			       "completed_at, duration_ms, state, attributes_json, error_type) values "
			       "(?, ?, ?, ?, ?, cast(? as real), ?, ?, ?)",
			       "isssssss" "s", run->id, json_str(run->p->task, "id"), json_str(sp, "phase"),
			       run->started_at, run->c->now, ms, json_str(sp, "state"), "{}", json_str(sp, "error_type")) != 0) {
			err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
			rc = -1;
		}
	}
	cJSON_Delete(run->spans);
	run->spans = NULL;
	return rc;
}

/* Marks the cycle failed in the phase that failed (keeping e's message), with manager_cycle_failed telemetry;
 * the failure is committed (it is a record) and the command exits 2. Returns NULL. */
void *cycle_fail(struct cycle_run *run, const char *phase, struct err *e)
{
	struct ctx *c = run->c;
	char msg[sizeof e->msg];
	snprintf(msg, sizeof msg, "%s", e->msg);
	cycle_span(run, phase, (double)(proc_monotonic_ms() - run->t0), "failed", "CycleError");
	cJSON *status = cJSON_CreateObject();
	cJSON_AddNumberToObject(status, "cycle_id", (double)run->id);
	cJSON_AddStringToObject(status, "error", msg);
	cJSON_AddStringToObject(status, "kind", "session_cycle");
	cJSON_AddStringToObject(status, "phase", phase);
	int rc = store_exec(c->store,
			    "update manager_cycles set state = 'failed', completed_at = ?, status_json = ?, error = ? "
			    "where id = ?",
			    "sjsi", c->now, status, msg, run->id);
	cJSON_Delete(status);
	struct err we = {0};
	if (rc != 0) {
		err_set(&we, EXIT_USAGE, "%s", store_errmsg(c->store));
	} else if (cycle_write_spans(run, &we) == 0) {
		cJSON *attrs = cJSON_CreateObject(), *corr = cJSON_CreateObject();
		cJSON_AddNumberToObject(attrs, "cycle_id", (double)run->id);
		cJSON_AddStringToObject(attrs, "error", msg);
		cJSON_AddStringToObject(attrs, "phase", phase);
		cJSON_AddStringToObject(corr, "binding_id", json_str(run->p->binding, "id"));
		struct telemetry t = {"manager", "manager_cycle_failed", "error", msg, json_str(run->p->task, "id"),
				      NULL, NULL, corr, attrs};
		audit_telemetry(c, &t, NULL, &we);
	}
	cJSON_Delete(run->spans);
	run->spans = NULL;
	if (we.msg[0]) {
		*e = we;
		return NULL;
	}
	err_set(e, EXIT_USAGE, "%s", msg);
	e->commit = 1;
	return NULL;
}

/* Completes the cycle: stores the result as status_json, adds cycle_id/started/completed and writes spans. */
cJSON *cycle_finish(struct cycle_run *run, cJSON *result, struct err *e)
{
	struct ctx *c = run->c;
	cycle_span(run, "persist_cycle_row", 0, "succeeded", NULL);
	if (store_exec(c->store,
		       "update manager_cycles set state = 'succeeded', completed_at = ?, status_json = ? where id = ?",
		       "sji", c->now, result, run->id) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		cJSON_Delete(run->spans);
		cJSON_Delete(result);
		return NULL;
	}
	if (cycle_write_spans(run, e) != 0) {
		cJSON_Delete(result);
		return NULL;
	}
	cJSON_AddStringToObject(result, "cycle_completed_at", c->now);
	cJSON_AddNumberToObject(result, "cycle_id", (double)run->id);
	cJSON_AddStringToObject(result, "cycle_started_at", run->started_at);
	return result;
}

/* Infers the worker's state from its newest turn record (SPEC 5.2 with the Codex 0.169 rule of
 * rollout_state_of) and how stale it is. */
int cycle_infer(struct ctx *c, const char *session_id, struct cycle_state *st, struct err *e)
{
	memset(st, 0, sizeof *st);
	st->state = "unknown";
	st->staleness = -1;
	struct store *s = c->store;
	struct store_stmt *q = store_prepare(s, "select subtype, timestamp, payload_json from codex_events where "
					       "session_id = ? and type = 'event_msg' and subtype in ('task_started', "
					       "'user_message', 'task_complete', 'turn_aborted', 'item_completed') "
					       "order by id desc");
	if (!q || store_bind(q, "s", session_id) != 0)
		goto fail;
	int rc;
	while ((rc = store_step(q)) == 1) {
		const char *payload_text = store_col_text(q, 2);
		cJSON *payload = strcmp(store_col_text(q, 0), "item_completed") == 0 ? cJSON_Parse(payload_text) : NULL;
		enum rollout_state rs = rollout_state_of("event_msg", store_col_text(q, 0), payload);
		cJSON_Delete(payload);
		if (rs == ROLLOUT_NONE)
			continue;
		st->state = rollout_state_name(rs);
		st->state_at = strdup(store_col_text(q, 1));
		break;
	}
	store_finalize(q);
	q = NULL;
	if (rc < 0)
		goto fail;
	cJSON *last = optional_row(s, e, "select subtype from codex_events where session_id = ? order by id desc limit 1",
				   "s", session_id);
	if (!last)
		return -1;
	if (json_str(last, "subtype"))
		st->last_subtype = strdup(json_str(last, "subtype"));
	cJSON_Delete(last);
	long long at;
	if (st->state_at && clock_parse(st->state_at, &at) == 0)
		st->staleness = c->now_ms > at ? (c->now_ms - at) / 1000 : 0;
	return 0;
fail:
	store_finalize(q);
	cycle_state_free(st);
	err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	return -1;
}

/* Frees the strings of st. */
void cycle_state_free(struct cycle_state *st)
{
	free(st->state_at);
	free(st->last_subtype);
	st->state_at = st->last_subtype = NULL;
}

/* manager_context: the latest worker handoff and worker receipt (task_complete) of the task; the fields of
 * features conveyor does not have yet (criteria, acks, manager config) are null. */
cJSON *cycle_manager_context(struct ctx *c, const struct cycle_parts *p, struct err *e)
{
	cJSON *handoff = optional_row(c->store, e,
				      "select created_at, id, next_steps_json, summary, worker_session_id from "
				      "worker_handoffs where task_id = ? order by id desc limit 1",
				      "s", json_str(p->task, "id"));
	cJSON *receipt = handoff ? optional_row(c->store, e,
						"select timestamp as completed_at, json_extract(payload_json, "
						"'$.last_agent_message') as last_agent_message, id as source_event_id, "
						"json_extract(payload_json, '$.turn_id') as turn_id from codex_events "
						"where session_id = ? and type = 'event_msg' and subtype = 'task_complete' "
						"order by id desc limit 1",
						"s", json_str(p->worker, "id"))
				 : NULL;
	if (!receipt) {
		cJSON_Delete(handoff);
		return NULL;
	}
	cJSON *o = cJSON_CreateObject();
	static const char *const absent[] = {"acceptance_criteria", "criteria_negotiation", "manager_ack",
					     "manager_config", "worker_ack"};
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++)
		cJSON_AddNullToObject(o, absent[i]);
	cJSON_AddItemToObject(o, "worker_handoff", handoff);
	cJSON_AddItemToObject(o, "worker_receipt", receipt);
	return o;
}

/* Marks the binding's delivered, unconsumed notifications for the manager as consumed by this cycle; returns
 * how many, or -1 with e set. */
int cycle_consume(struct ctx *c, const struct cycle_run *run, struct err *e)
{
	if (store_exec(c->store,
		       "update routed_notifications set consumed_manager_cycle_id = ?, consumed_at = ? where binding_id = ? "
		       "and target_session_id = ? and state = 'delivered' and consumed_at is null",
		       "isss", run->id, c->now, json_str(run->p->binding, "id"), json_str(run->p->manager, "id")) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	return store_changes(c->store);
}
