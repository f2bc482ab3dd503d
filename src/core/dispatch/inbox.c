/* session-inbox, manager-inbox and worker-inbox (SPEC 6.5): the delivered, unconsumed notifications of a session,
 * read or consumed one at a time. The wait loop is in inbox_wait.c. */
#include <stdio.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/session/session.h"
#include "store/store.h"
#include "util/json.h"

/* An inbox record: the routed notification's columns plus the names and roles of both sessions and the task name
 * (the source and the task are null for a command addressed to a session by the operator). */
#define INBOX_SELECT                                                                                              \
	"select rn.binding_id, rn.claim_expires_at, rn.claimed_at, rn.claimed_by, rn.command_id, rn.consumed_at, "   \
	"rn.consumed_by_session_id, rn.consumed_manager_cycle_id, rn.correlation_id, rn.created_at, rn.dedupe_key, " \
	"rn.delivered_at, rn.delivery_mode, rn.error, rn.id, rn.payload_json, rn.side_effect_completed, "            \
	"rn.side_effect_started, rn.signal_type, rn.source_event_id, rn.source_event_timestamp, "                    \
	"rn.source_session_id, rn.state, rn.target_session_id, rn.task_id, ss.name as source_session_name, "         \
	"ss.role as source_session_role, ts.name as target_session_name, ts.role as target_session_role, "           \
	"t.name as task_name from routed_notifications rn left join sessions ss on ss.id = rn.source_session_id "     \
	"join sessions ts on ts.id = rn.target_session_id left join tasks t on t.id = rn.task_id "

/* The oldest unconsumed delivered notification of a session (the target_inbox index answers it). */
#define INBOX_NEXT                                                                                  \
	"select id from routed_notifications where target_session_id = ?1 and consumed_at is null " \
	"and state = 'delivered' order by created_at, id limit 1"

/* Turns the 0/1 side-effect columns of a record into booleans. */
static void inbox_booleans(cJSON *record)
{
	static const char *const keys[] = {"side_effect_completed", "side_effect_started"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
		const cJSON *v = cJSON_GetObjectItem(record, keys[i]);
		cJSON_ReplaceItemInObject(record, keys[i], cJSON_CreateBool(cJSON_IsNumber(v) && v->valuedouble != 0));
	}
}

/* Up to limit pending items of the session, oldest first; NULL with e set on error. */
cJSON *inbox_items(struct store *s, const char *session_id, long long limit, struct err *e)
{
	cJSON *rows = store_rows(s,
				 INBOX_SELECT "where rn.target_session_id = ?1 and rn.state = 'delivered' "
					      "and rn.consumed_at is null order by rn.created_at, rn.id limit ?2",
				 "si", session_id, limit);
	if (!rows)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	cJSON *row;
	cJSON_ArrayForEach(row, rows)
	inbox_booleans(row);
	return rows;
}

/* Whether the session has a pending item: 1, 0, or -1 with e set. */
int inbox_has_next(struct store *s, const char *session_id, struct err *e)
{
	long long id;
	int rc = store_int(s, &id, INBOX_NEXT, "s", session_id);
	if (rc < 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	return rc;
}

/* Records the consumption as telemetry dispatch_inbox_consumed (actor dispatch). */
static int inbox_telemetry(struct ctx *c, const cJSON *rec, const char *when, struct err *e)
{
	char summary[512];
	snprintf(summary, sizeof summary, "Session %s consumed inbox item %s.", json_str(rec, "target_session_name"),
		 json_str(rec, "signal_type"));
	cJSON *corr = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
	json_add_str(corr, "command_id", json_str(rec, "command_id"));
	cJSON_AddStringToObject(corr, "correlation_id", json_str(rec, "correlation_id"));
	cJSON_AddNumberToObject(corr, "notification_id", cJSON_GetObjectItem(rec, "id")->valuedouble);
	cJSON_AddStringToObject(attrs, "consumed_at", when);
	cJSON_AddStringToObject(attrs, "consumed_by_session_id", json_str(rec, "target_session_id"));
	cJSON_AddStringToObject(attrs, "delivery_mode", json_str(rec, "delivery_mode"));
	cJSON_AddStringToObject(attrs, "signal_type", json_str(rec, "signal_type"));
	json_add_str(attrs, "source_session", json_str(rec, "source_session_name"));
	cJSON_AddStringToObject(attrs, "target_session", json_str(rec, "target_session_name"));
	struct telemetry t = {"dispatch", "dispatch_inbox_consumed", "info", summary, json_str(rec, "task_id"),
			      NULL, when, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* Consumes the session's oldest pending item at the instant when: a conditional UPDATE (consumed_at still null),
 * so two consumers never take the same item. Returns its record, JSON null when there was none, or NULL with e set. */
cJSON *inbox_consume_next(struct ctx *c, const char *session_id, const char *when, struct err *e)
{
	long long id;
	int rc = store_int(c->store, &id, INBOX_NEXT, "s", session_id);
	if (rc == 0)
		return cJSON_CreateNull();
	if (rc > 0)
		rc = store_exec(c->store,
				"update routed_notifications set consumed_at = ?1, consumed_by_session_id = ?2 "
				"where id = ?3 and target_session_id = ?2 and state = 'delivered' and consumed_at is null",
				"ssi", when, session_id, id);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	if (store_changes(c->store) == 0)
		return cJSON_CreateNull();
	cJSON *rec;
	if (store_row(c->store, &rec, INBOX_SELECT "where rn.id = ?", "i", id) != 1)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	inbox_booleans(rec);
	if (inbox_telemetry(c, rec, when, e) != 0) {
		cJSON_Delete(rec);
		return NULL;
	}
	return rec;
}

/* One text line of an item: #<id> <signal> <mode> from <src> to <dst>, then what follows (at / delivered). */
static void inbox_line(struct sb *out, const char *prefix, const cJSON *item, const char *when_word, const char *when)
{
	sb_addf_clean(out, "%s#%lld %s %s from %s to %s %s %s (%s)\n", prefix,
		      (long long)cJSON_GetObjectItem(item, "id")->valuedouble, json_str(item, "signal_type"),
		      json_str(item, "delivery_mode"),
		      json_str(item, "source_session_name") ? json_str(item, "source_session_name") : "operator",
		      json_str(item, "target_session_name"), when_word, when ? when : "not-yet",
		      json_str(item, "correlation_id"));
}

/* Text form: the inbox heading, the consumed item if any, and the pending items. */
void inbox_text(const cJSON *r, struct sb *out)
{
	const cJSON *task = cJSON_GetObjectItem(r, "task"), *consumed = cJSON_GetObjectItem(r, "consumed");
	const cJSON *items = cJSON_GetObjectItem(r, "items"), *item;
	sb_addf_clean(out, "inbox for %s", json_str(cJSON_GetObjectItem(r, "session"), "name"));
	if (cJSON_IsObject(task))
		sb_addf_clean(out, " on %s", json_str(task, "name"));
	sb_adds(out, "\n");
	if (cJSON_IsObject(consumed))
		inbox_line(out, "consumed ", consumed, "at", json_str(consumed, "consumed_at"));
	if (cJSON_GetArraySize(items) == 0)
		sb_adds(out, "pending: none\n");
	else
		sb_addf(out, "pending: %d\n", cJSON_GetArraySize(items));
	cJSON_ArrayForEach(item, items)
	inbox_line(out, "", item, "delivered", json_str(item, "delivered_at"));
}
