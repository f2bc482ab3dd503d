/* dispatch's command queue (SPEC 6.2 steps 1-2, docs/dispatch.md): stale-claim recovery, the atomic claim of one
 * pending command, and recording an attempt's outcome. Every lease and not-before time is a millisecond instant
 * and is compared as one (DISPATCH_MS), never as text of mixed precision. */
#include <stdio.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/base/ids.h"
#include "store/store.h"
#include "util/json.h"

/* The command types a pass considers: ?1 is --type (NULL for every command type). */
#define DISPATCH_TYPES \
	"((?1 is null and type in ('notify_manager', 'nudge_worker', 'continue_iteration')) or type = ?1)"

/* The oldest claimable command: pending, due, with attempts left (binds ?1 type, ?2 now). A command gets at least
 * 3 attempts, max(max_attempts, 3): a requeued one only ever failed before typing anything (docs/dispatch.md). */
#define DISPATCH_CLAIMABLE                                                                          \
	"from commands where state = 'pending' and " DISPATCH_TYPES " and (available_at is null or " \
	DISPATCH_MS("available_at") " <= ?2) and attempts < max(max_attempts, 3) "

/* Pauses a retried command before it is claimable again: this many milliseconds per attempt made. */
#define DISPATCH_RETRY_MS 5000

/* Re-reads the clock into c (CONVEYOR_NOW pins it), so each pass and each outcome has its own instant. */
int dispatch_refresh_now(struct ctx *c, struct err *e)
{
	if (clock_now(&c->now_ms) != 0) {
		err_set(e, EXIT_USAGE, "CONVEYOR_NOW must be a UTC timestamp such as 2026-01-01T00:00:00.000Z");
		return -1;
	}
	clock_format_ms(c->now_ms, c->now);
	return 0;
}

/* Fails with the store's message; returns -1. */
static int dispatch_store_err(struct ctx *c, struct err *e)
{
	err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return -1;
}

/* Emits one dispatch telemetry row for a command (actor dispatch); attributes taken. */
static int dispatch_command_telemetry(struct ctx *c, const cJSON *cmd, const char *dispatcher, const char *type,
				      const char *severity, const char *summary, cJSON *attrs, struct err *e)
{
	cJSON *corr = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "command_id", json_str(cmd, "id"));
	cJSON_AddStringToObject(corr, "command_type", json_str(cmd, "type"));
	json_add_str(corr, "correlation_id", json_str(cmd, "correlation_id"));
	cJSON_AddStringToObject(corr, "dispatcher_id", dispatcher);
	struct telemetry t = {"dispatch", type, severity, summary, json_str(cmd, "task_id"), NULL, NULL, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* Recovers one expired claim (row: the command and its running attempt) as its side-effect flag says. */
static int dispatch_recover_one(struct ctx *c, const struct dispatch_opts *o, const cJSON *row, cJSON *processed,
				struct err *e)
{
	const char *id = json_str(row, "id");
	int started = (int)cJSON_GetObjectItem(row, "started")->valuedouble;
	int requeue = !started && cJSON_GetObjectItem(row, "attempts")->valuedouble <
					 cJSON_GetObjectItem(row, "tries")->valuedouble;
	char error[512];
	snprintf(error, sizeof error, "claim by %s expired at %s%s", json_str(row, "claimed_by"),
		 json_str(row, "claim_expires_at"), started ? " after its side effect started" : "");
	const cJSON *aid = cJSON_GetObjectItem(row, "attempt_id");
	long long attempt_id = cJSON_IsNumber(aid) ? (long long)aid->valuedouble : 0;
	if (store_exec(c->store, "update command_attempts set state = ?, finished_at = ?, error = ? where id = ?", "sssi",
		       started ? "failed" : "abandoned", c->now, error, attempt_id) != 0 ||
	    store_exec(c->store,
		       requeue ? "update commands set state = 'pending', claimed_by = null, claimed_at = null, "
				 "claim_expires_at = null, updated_at = ?, error = ? where id = ?"
			       : "update commands set state = 'failed', updated_at = ?, error = ? where id = ?",
		       "sss", c->now, error, id) != 0 ||
	    store_exec(c->store,
		       requeue ? "update routed_notifications set claimed_by = null, claimed_at = null, claim_expires_at = "
				 "null, error = ?1 where command_id = ?2 and state = 'pending'"
			       : "update routed_notifications set state = 'failed', error = ?1 where command_id = ?2 and "
				 "state = 'pending'",
		       "ss", error, id) != 0)
		return dispatch_store_err(c, e);
	cJSON *r = cJSON_CreateObject();
	if (attempt_id)
		cJSON_AddNumberToObject(r, "attempt_id", (double)attempt_id);
	else
		cJSON_AddNullToObject(r, "attempt_id");
	cJSON_AddStringToObject(r, "command_id", id);
	cJSON_AddStringToObject(r, "command_type", json_str(row, "type"));
	cJSON_AddStringToObject(r, "error", error);
	cJSON_AddBoolToObject(r, "side_effect_started", started);
	cJSON_AddStringToObject(r, "state", requeue ? "requeued" : "failed");
	cJSON_AddItemToArray(processed, r);
	char summary[256];
	snprintf(summary, sizeof summary, "Recovered expired claim of command %s (%s).", json_str(row, "type"),
		 requeue ? "requeued" : "failed");
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "error", error);
	cJSON_AddBoolToObject(attrs, "side_effect_started", started);
	cJSON_AddStringToObject(attrs, "state", requeue ? "requeued" : "failed");
	return dispatch_command_telemetry(c, row, o->dispatcher_id, "dispatch_command_recovered", "warning", summary,
					  attrs, e);
}

/* Step 1: every attempted command of the pass's types whose lease has expired is failed (its running attempt
 * had started a side effect) or abandoned and requeued while it has attempts left. Appends one result each. */
int dispatch_recover(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	cJSON *rows = store_rows(c->store,
				 "select c.id, c.type, c.task_id, c.correlation_id, c.claimed_by, c.claim_expires_at, "
				 "c.attempts, max(c.max_attempts, 3) as tries, a.id as attempt_id, "
				 "coalesce(a.side_effect_started, 0) as started from commands c left join command_attempts a "
				 "on a.command_id = c.id and a.state = 'running' where c.state = 'attempted' and "
				 "((?1 is null and c.type in ('notify_manager', 'nudge_worker', 'continue_iteration')) or "
				 "c.type = ?1) and " DISPATCH_MS("c.claim_expires_at") " <= ?2 order by c.created_at, c.id",
				 "ss", o->type, c->now);
	if (!rows)
		return dispatch_store_err(c, e);
	const cJSON *row;
	int rc = 0;
	cJSON_ArrayForEach(row, rows)
	{
		if ((rc = dispatch_recover_one(c, o, row, processed, e)) != 0)
			break;
	}
	cJSON_Delete(rows);
	return rc;
}

/* Step 2 for one command: takes the oldest claimable command with a conditional UPDATE (still pending), so two
 * dispatchers never take the same one; inserts its running attempt and emits dispatch_command_claimed.
 * 1 claimed (it filled), 0 nothing to claim, -1 with e set. */
int dispatch_claim(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it, struct err *e)
{
	memset(it, 0, sizeof *it);
	cJSON *row;
	int rc = store_row(c->store, &row, "select id " DISPATCH_CLAIMABLE "order by created_at, id limit 1", "ss",
			   o->type, c->now);
	if (rc <= 0)
		return rc < 0 ? dispatch_store_err(c, e) : 0;
	char expires[CLOCK_ISO_LEN], corr[IDS_LEN], id[IDS_LEN];
	snprintf(id, sizeof id, "%s", json_str(row, "id"));
	cJSON_Delete(row);
	clock_format_ms(c->now_ms + o->lease_ms, expires);
	ids_new("dispatch", corr);
	if (store_exec(c->store,
		       "update commands set state = 'attempted', claimed_by = ?1, claimed_at = ?2, claim_expires_at = ?3, "
		       "attempts = attempts + 1, updated_at = ?2, correlation_id = coalesce(correlation_id, ?4) "
		       "where id = ?5 and state = 'pending'",
		       "sssss", o->dispatcher_id, c->now, expires, corr, id) != 0)
		return dispatch_store_err(c, e);
	if (store_changes(c->store) != 1)
		return 0;
	if (store_row(c->store, &it->cmd,
		      "select id, type, task_id, target_session_id, correlation_id, required_permission, payload_json, "
		      "attempts, max_attempts, max(max_attempts, 3) as tries from commands where id = ?",
		      "s", id) != 1 ||
	    store_int(c->store, &it->attempt_id,
		      "insert into command_attempts(command_id, correlation_id, dispatcher_id, started_at, state) "
		      "values (?, ?, ?, ?, 'running') returning id",
		      "ssss", id, json_str(it->cmd, "correlation_id"), o->dispatcher_id, c->now) != 1)
		return dispatch_store_err(c, e);
	char summary[256];
	snprintf(summary, sizeof summary, "Dispatcher %s claimed command %s.", o->dispatcher_id,
		 json_str(it->cmd, "type"));
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddNumberToObject(attrs, "attempt_id", (double)it->attempt_id);
	cJSON_AddNumberToObject(attrs, "attempts", cJSON_GetObjectItem(it->cmd, "attempts")->valuedouble);
	cJSON_AddStringToObject(attrs, "claim_expires_at", expires);
	cJSON_AddNumberToObject(attrs, "max_attempts", cJSON_GetObjectItem(it->cmd, "max_attempts")->valuedouble);
	if (dispatch_command_telemetry(c, it->cmd, o->dispatcher_id, "dispatch_command_claimed", "info", summary, attrs,
				       e) != 0)
		return -1;
	return 1;
}

/* Records an attempt's outcome: the attempt (only while it is still running: an expired claim another
 * dispatcher recovered is not overwritten) becomes state, and the command state too, or pending again after
 * a pause when retry is set. result is taken. 0 recorded, 1 the claim was lost, -1 with e set. */
int dispatch_settle(struct ctx *c, struct dispatch_item *it, const char *state, const char *error, int retry,
		    cJSON *result, struct err *e)
{
	const char *id = json_str(it->cmd, "id");
	int rc = store_exec(c->store,
			    "update command_attempts set state = ?, finished_at = ?, result_json = ?, error = ?, "
			    "side_effect_started = ?, side_effect_completed = ? where id = ? and state = 'running'",
			    "ssjsiii", retry ? "failed" : state, c->now, result, error, (long long)it->started,
			    (long long)it->completed, it->attempt_id);
	if (rc == 0 && store_changes(c->store) == 0) {
		cJSON_Delete(result);
		return 1;
	}
	if (rc == 0 && retry) {
		char due[CLOCK_ISO_LEN];
		clock_format_ms(c->now_ms + DISPATCH_RETRY_MS * (long long)cJSON_GetObjectItem(it->cmd, "attempts")->valuedouble,
				due);
		rc = store_exec(c->store,
				"update commands set state = 'pending', claimed_by = null, claimed_at = null, "
				"claim_expires_at = null, available_at = ?, updated_at = ?, error = ? where id = ?",
				"ssss", due, c->now, error, id);
	} else if (rc == 0) {
		rc = store_exec(c->store,
				"update commands set state = ?, updated_at = ?, result_json = ?, error = ?, "
				"claim_expires_at = null where id = ?",
				"ssjss", state, c->now, result, error, id);
	}
	cJSON_Delete(result);
	return rc == 0 ? 0 : dispatch_store_err(c, e);
}

/* Dry run: the commands a pass would claim, oldest first, as {command_id, command_type, correlation_id,
 * dry_run, state: planned, task}, and target_session (its name) for a command addressed to a session. */
cJSON *dispatch_planned(struct ctx *c, const struct dispatch_opts *o, struct err *e)
{
	cJSON *rows = store_rows(c->store,
				 "select id as command_id, type as command_type, correlation_id, (select name from sessions "
				 "where id = target_session_id) as target_session, task_id as task " DISPATCH_CLAIMABLE
				 "order by created_at, id limit ?3",
				 "ssi", o->type, c->now, o->limit);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	cJSON *row;
	cJSON_ArrayForEach(row, rows)
	{
		cJSON_AddTrueToObject(row, "dry_run");
		cJSON_AddStringToObject(row, "state", "planned");
		if (cJSON_IsNull(cJSON_GetObjectItem(row, "target_session")))
			cJSON_DeleteItemFromObject(row, "target_session");
	}
	return rows;
}
