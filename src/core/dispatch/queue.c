/* Creating and finishing command rows, each step with its telemetry (actor workerctl), as the reference does. */
#include "core/dispatch/queue.h"

#include <stdio.h>
#include <unistd.h>

#include "core/base/audit.h"
#include "store/store.h"
#include "util/json.h"

/* Correlation {command_id, command_type} of a command's telemetry. */
static cJSON *queue_correlation(const struct queued *q)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "command_id", q->id);
	cJSON_AddStringToObject(o, "command_type", q->type);
	return o;
}

/* Inserts a pending command (payload taken) and emits command_created. */
int queue_create(struct ctx *c, struct queued *q, const char *type, const char *task_id, cJSON *payload,
		 struct err *e)
{
	ids_new("command", q->id);
	ids_new("dispatch", q->correlation_id);
	q->type = type;
	q->task_id = task_id;
	int rc = store_exec(c->store,
			    "insert into commands(id, idempotency_key, created_at, updated_at, task_id, correlation_id, type, "
			    "state, max_attempts, payload_json) values (?1, ?1, ?2, ?2, ?3, ?4, ?5, 'pending', 1, ?6)",
			    "sssssj", q->id, c->now, task_id, q->correlation_id, type, payload);
	cJSON_Delete(payload);
	if (rc != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	char summary[160];
	snprintf(summary, sizeof summary, "Created command %s.", type);
	cJSON *correlation = queue_correlation(q), *attributes = cJSON_CreateObject();
	cJSON_AddStringToObject(correlation, "correlation_id", q->correlation_id);
	cJSON_AddStringToObject(attributes, "idempotency_key", q->id);
	cJSON_AddNullToObject(attributes, "manager_id");
	cJSON_AddNullToObject(attributes, "required_permission");
	cJSON_AddStringToObject(attributes, "state", "pending");
	cJSON_AddNullToObject(attributes, "worker_id");
	struct telemetry t = {"workerctl", "command_created", "info", summary, task_id, NULL, NULL, correlation, attributes};
	return audit_telemetry(c, &t, NULL, e);
}

/* Marks the command attempted and emits command_attempted. */
int queue_attempted(struct ctx *c, const struct queued *q, struct err *e)
{
	if (store_exec(c->store, "update commands set state = 'attempted', updated_at = ? where id = ? and state = 'pending'",
		       "ss", c->now, q->id) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	char summary[160];
	snprintf(summary, sizeof summary, "Attempted command %s.", q->type);
	cJSON *attributes = cJSON_CreateObject();
	cJSON_AddNullToObject(attributes, "manager_id");
	cJSON_AddStringToObject(attributes, "state", "attempted");
	cJSON_AddNullToObject(attributes, "worker_id");
	struct telemetry t = {"workerctl", "command_attempted", "info", summary, q->task_id, NULL, NULL,
			      queue_correlation(q), attributes};
	return audit_telemetry(c, &t, NULL, e);
}

/* Leases an attempted command to the process that runs it itself (finish-task, stop-task): claimed_by names it as
 * "<what>:<pid>" and claim_expires_at says until when it may take, so `reconcile --apply` can tell a command whose
 * process was killed from one still running. */
int queue_lease(struct ctx *c, const struct queued *q, const char *owner, long long lease_ms, struct err *e)
{
	char by[96], until[CLOCK_ISO_LEN];
	snprintf(by, sizeof by, "%s:%ld", owner, (long)getpid());
	clock_format_ms(c->now_ms + lease_ms, until);
	if (store_exec(c->store, "update commands set claimed_by = ?, claimed_at = ?, claim_expires_at = ? where id = ?",
		       "ssss", by, c->now, until, q->id) != 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	return 0;
}

/* Finishes the command: succeeded when error is NULL, else failed with that error; result is stored (taken) and
 * emitted as command_succeeded (info) or command_failed (error). */
int queue_finish(struct ctx *c, const struct queued *q, const char *error, cJSON *result, struct err *e)
{
	const char *state = error ? "failed" : "succeeded";
	if (store_exec(c->store, "update commands set state = ?, updated_at = ?, result_json = ?, error = ? where id = ?",
		       "ssjss", state, c->now, result, error, q->id) != 0) {
		cJSON_Delete(result);
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
		return -1;
	}
	char summary[160];
	snprintf(summary, sizeof summary, "Command %s %s.", q->type, state);
	cJSON *attributes = cJSON_CreateObject();
	json_add_str(attributes, "error", error);
	cJSON_AddNullToObject(attributes, "manager_id");
	cJSON_AddItemToObject(attributes, "result", result);
	cJSON_AddStringToObject(attributes, "state", state);
	cJSON_AddNullToObject(attributes, "worker_id");
	struct telemetry t = {"workerctl", error ? "command_failed" : "command_succeeded", error ? "error" : "info",
			      summary, q->task_id, NULL, NULL, queue_correlation(q), attributes};
	return audit_telemetry(c, &t, NULL, e);
}
