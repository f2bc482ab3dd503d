/* app-worker-rotation-record (SPEC 4.3): records the app's thread swap on the worker session and on the campaign
 * slots that follow it, after re-checking ownership; refusals write nothing. */
#include <stdio.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/base/ids.h"
#include "core/cmd/cmd.h"
#include "core/rotation/rotation.h"
#include "store/store.h"
#include "util/json.h"

/* Refuses a new thread that is the old one, the manager's, or another active session's; 0 or -1 with e set. */
static int record_check_new(struct store *s, const struct rotation *r, const char *old, const char *new_thread,
			    struct err *e)
{
	const char *mthread = json_str(r->manager, "codex_app_thread_id");
	if (strcmp(new_thread, old) == 0) {
		err_set(e, EXIT_USAGE, "Cannot record worker rotation; the new worker thread id is the old one: %s", old);
		return -1;
	}
	if (mthread && strcmp(new_thread, mthread) == 0) {
		err_set(e, EXIT_USAGE, "Cannot record worker rotation; the new worker thread id is the manager's thread: %s",
			new_thread);
		return -1;
	}
	cJSON *row;
	int rc = store_row(s, &row,
			   "select name from sessions where codex_app_thread_id = ? and state = 'active' and id != ? limit 1",
			   "ss", new_thread, json_str(r->worker, "id"));
	if (rc < 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	else if (rc == 1)
		err_set(e, EXIT_USAGE, "Cannot record worker rotation; thread %s already belongs to session \"%s\"", new_thread,
			json_str(row, "name"));
	cJSON_Delete(row);
	return rc == 0 ? 0 : -1;
}

/* Moves the campaign slots of the worker session that carry the old thread to the new one, one
 * campaign_rotate_slot event each; returns their {campaign_id, slot_id, slot_key} list, or NULL with e set. */
static cJSON *record_move_slots(struct ctx *c, const struct rotation *r, const char *old, const char *new_thread,
				const char *title, struct err *e)
{
	const char *session = json_str(r->worker, "id");
	cJSON *slots = store_rows(c->store,
				  "select campaign_id, id as slot_id, slot_key, state from campaign_worker_slots "
				  "where session_id = ? and codex_app_thread_id = ? order by created_at, slot_key",
				  "ss", session, old);
	if (!slots || store_exec(c->store,
				 "update campaign_worker_slots set codex_app_thread_id = ?, codex_app_thread_title = ?, "
				 "updated_at = ? where session_id = ? and codex_app_thread_id = ?",
				 "sssss", new_thread, title, c->now, session, old) != 0) {
		cJSON_Delete(slots);
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	}
	cJSON *slot;
	cJSON_ArrayForEach(slot, slots)
	{
		cJSON *p = cJSON_CreateObject(), *pair;
		cJSON_AddStringToObject(p, "campaign_id", json_str(slot, "campaign_id"));
		pair = cJSON_AddObjectToObject(p, "codex_app_thread_id");
		cJSON_AddStringToObject(pair, "from", old);
		cJSON_AddStringToObject(pair, "to", new_thread);
		cJSON_AddFalseToObject(p, "human_approved");
		pair = cJSON_AddObjectToObject(p, "session_id");
		cJSON_AddStringToObject(pair, "from", session);
		cJSON_AddStringToObject(pair, "to", session);
		cJSON_AddStringToObject(p, "slot_id", json_str(slot, "slot_id"));
		cJSON_AddStringToObject(p, "slot_key", json_str(slot, "slot_key"));
		pair = cJSON_AddObjectToObject(p, "state");
		cJSON_AddStringToObject(pair, "from", json_str(slot, "state"));
		cJSON_AddStringToObject(pair, "to", json_str(slot, "state"));
		cJSON_AddStringToObject(p, "via", "app-worker-rotation-record");
		if (audit_event(c, "campaign_rotate_slot", NULL, NULL, p, e) != 0) {
			cJSON_Delete(slots);
			return NULL;
		}
		cJSON_DeleteItemFromObject(slot, "state");
	}
	return slots;
}

/* The record's telemetry attributes. */
static cJSON *record_attributes(const struct rotation *r, const char *status, const char *old, const char *new_thread,
				const char *title, const char *reason, int updated)
{
	cJSON *a = cJSON_CreateObject();
	cJSON_AddStringToObject(a, "archive_status", status);
	cJSON_AddStringToObject(a, "binding_id", json_str(r->binding, "id"));
	if (cJSON_IsObject(r->handoff))
		cJSON_AddItemToObject(a, "handoff_id", cJSON_Duplicate(cJSON_GetObjectItem(r->handoff, "id"), 1));
	else
		cJSON_AddNullToObject(a, "handoff_id");
	cJSON_AddStringToObject(a, "new_worker_thread_id", new_thread);
	json_add_str(a, "new_worker_thread_title", title);
	cJSON_AddStringToObject(a, "old_worker_session_id", json_str(r->worker, "id"));
	cJSON_AddStringToObject(a, "old_worker_thread_id", old);
	json_add_str(a, "reason", reason);
	cJSON_AddBoolToObject(a, "session_updated", updated);
	return a;
}

/* The record's JSON result. */
static cJSON *record_result(const struct rotation *r, const char *status, const char *old, const char *new_thread,
			    const char *title, int updated, cJSON *slots, const char *id, const char *at)
{
	cJSON *out = cJSON_CreateObject(), *o = cJSON_AddObjectToObject(out, "archive");
	cJSON_AddStringToObject(o, "old_worker_thread_id", old);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddItemToObject(out, "campaign_slots", slots);
	cJSON_AddItemToObject(out, "guard", cJSON_Duplicate(r->guard, 1));
	o = cJSON_AddObjectToObject(out, "new_worker");
	cJSON_AddStringToObject(o, "codex_app_thread_id", new_thread);
	json_add_str(o, "codex_app_thread_title", title);
	cJSON_AddStringToObject(o, "session_id", json_str(r->worker, "id"));
	cJSON_AddBoolToObject(o, "session_updated", updated);
	cJSON_AddItemToObject(out, "old_worker", rotation_old_worker(r));
	o = cJSON_AddObjectToObject(out, "receipt");
	cJSON_AddStringToObject(o, "event_id", id);
	cJSON_AddStringToObject(o, "event_type", "app_worker_rotation_recorded");
	cJSON_AddStringToObject(o, "recorded_at", at);
	cJSON_AddItemToObject(out, "task", rotation_task(r));
	return out;
}

/* Applies an archived rotation: the worker session moves to the new thread with no heartbeat yet, and its campaign
 * slots follow. Returns the moved slots (empty for a blocked archive), or NULL with e set. */
static cJSON *record_apply(struct ctx *c, const struct rotation *r, const char *status, const char *old,
			   const char *new_thread, const char *title, struct err *e)
{
	if (strcmp(status, "archived") != 0)
		return cJSON_CreateArray();
	if (store_exec(c->store,
		       "update sessions set codex_app_thread_id = ?, codex_app_thread_title = ?, last_heartbeat_at = null "
		       "where id = ? and role = 'worker'",
		       "sss", new_thread, title, json_str(r->worker, "id")) != 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return record_move_slots(c, r, old, new_thread, title, e);
}

/* app-worker-rotation-record <task> --old-worker-thread-id OLD --new-worker-thread-id NEW
 * [--new-worker-thread-title T] --archive-status archived|blocked [--reason TEXT]. */
static cJSON *rotation_record(struct ctx *c, const struct args *a, struct err *e)
{
	const char *old = args_get(a, "--old-worker-thread-id"), *new_thread = args_get(a, "--new-worker-thread-id");
	const char *status = args_get(a, "--archive-status"), *title = args_get(a, "--new-worker-thread-title");
	const char *reason = args_get(a, "--reason");
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "app-worker-rotation-record command requires a task.");
	if (!old)
		return err_null(e, EXIT_USAGE, "app-worker-rotation-record requires --old-worker-thread-id.");
	if (!new_thread)
		return err_null(e, EXIT_USAGE, "app-worker-rotation-record requires --new-worker-thread-id.");
	if (!status || (strcmp(status, "archived") != 0 && strcmp(status, "blocked") != 0))
		return err_null(e, EXIT_USAGE, "app-worker-rotation-record requires --archive-status archived|blocked");
	struct rotation r = {0};
	cJSON *result = NULL, *slots = NULL;
	if (!ctx_db(c, e) || rotation_compute(c, a->positional, old, 0, &r, e) != 0)
		goto out;
	if (cJSON_GetArraySize(r.blockers)) {
		struct sb sb;
		sb_init(&sb);
		const cJSON *b;
		cJSON_ArrayForEach(b, r.blockers) sb_addf(&sb, "%s%s", sb.len ? ", " : "", b->valuestring);
		err_set(e, EXIT_USAGE, "Cannot record worker rotation; active worker ownership check failed: %s", sb.buf);
		sb_free(&sb);
		goto out;
	}
	if (record_check_new(c->store, &r, old, new_thread, e) != 0 ||
	    !(slots = record_apply(c, &r, status, old, new_thread, title, e)))
		goto out;
	int updated = strcmp(status, "archived") == 0;
	char at[CLOCK_ISO_LEN], id[IDS_LEN], summary[512];
	clock_format_s(c->now_ms, at);
	snprintf(summary, sizeof summary, "Codex app worker rotation %s for %s.", status, json_str(r.task, "name"));
	cJSON *correlation = cJSON_CreateObject();
	cJSON_AddStringToObject(correlation, "command", "app-worker-rotation-record");
	cJSON_AddStringToObject(correlation, "new_worker_thread_id", new_thread);
	cJSON_AddStringToObject(correlation, "old_worker_thread_id", old);
	struct telemetry t = {"manager", "app_worker_rotation_recorded", updated ? "info" : "warning", summary,
			      json_str(r.task, "id"), NULL, at, correlation,
			      record_attributes(&r, status, old, new_thread, title, reason, updated)};
	if (audit_telemetry(c, &t, id, e) == 0) {
		result = record_result(&r, status, old, new_thread, title, updated, slots, id, at);
		slots = NULL;
	}
out:
	cJSON_Delete(slots);
	rotation_free(&r);
	return result;
}

/* The flags of app-worker-rotation-record. */
static const struct flag_spec record_flags[] = {
	{.name = "--old-worker-thread-id", .type = FLAG_STRING, .arg = "OLD",
	 .help = "the replaced worker thread id (required)"},
	{.name = "--new-worker-thread-id", .type = FLAG_STRING, .arg = "NEW",
	 .help = "the replacement thread id (required)"},
	{.name = "--new-worker-thread-title", .type = FLAG_STRING, .arg = "T",
	 .help = "the replacement thread's title", .guard = 1},
	{.name = "--archive-status", .type = FLAG_ENUM, .arg = "archived|blocked",
	 .help = "archived moves the worker, blocked only records",
	 .values = (const char *const[]){"archived", "blocked", NULL}},
	{.name = "--reason", .type = FLAG_STRING, .arg = "TEXT", .help = "reason recorded with the receipt", .guard = 1},
	{0},
};

/* `app-worker-rotation-record`. */
const struct cmd_entry cmd_app_worker_rotation_record = {
	.word = "app-worker-rotation-record",
	.man = "conveyor-rotation",
	.usage = "app-worker-rotation-record TASK --old-worker-thread-id OLD --new-worker-thread-id NEW "
		"[--new-worker-thread-title T] --archive-status archived|blocked [--reason TEXT]",
	.summary = "Record the replacement thread after the app actions ran; campaign slots follow the worker.",
	.help = "\nexample:\n  conveyor app-worker-rotation-record docs --old-worker-thread-id thr_1 --new-worker-thread-id thr_2 "
		"--archive-status archived\n",
	.flags = record_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = rotation_record,
	.text = rotation_record_text,
};

/* Record text: four lines. */
void rotation_record_text(const cJSON *r, struct sb *out)
{
	const cJSON *archive = cJSON_GetObjectItem(r, "archive");
	sb_addf_clean(out, "App worker rotation %s for %s.\nOld worker thread: %s\nNew worker thread: %s\nReceipt: %s\n",
		      json_str(archive, "status"), json_str(cJSON_GetObjectItem(r, "task"), "name"),
		      json_str(archive, "old_worker_thread_id"),
		      json_str(cJSON_GetObjectItem(r, "new_worker"), "codex_app_thread_id"),
		      json_str(cJSON_GetObjectItem(r, "receipt"), "event_id"));
}
