/* Slot lifecycle updates shared by attach-slot, rotate-slot and archive-slot (SPEC 2.4-2.6, with conveyor's fixes). */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/cmd/cmd.h"
#include "store/store.h"

/* What one lifecycle action changes; fields not marked as set keep their stored value. */
struct slot_change {
	const char *action;
	int set_session, set_thread, set_title, guard;
	const char *session, *thread, *title, *expected;
	const char *state; /* NULL keeps the stored state */
	cJSON *metadata;   /* NULL keeps the stored metadata */
	int approved;      /* the metadata carries a new human approval */
};

/* Checks the expected-thread guard: expected must equal the slot's thread; a NULL expectation (--no-thread) requires no thread. */
static int slot_guard_ok(const cJSON *slot, const char *expected)
{
	const char *thread = json_str(slot, "codex_app_thread_id");
	if (!expected)
		return !thread || !*thread;
	return thread && strcmp(thread, expected) == 0;
}

/* The audit payload of a lifecycle change: ids touched and the before/after of thread, session and state. */
static cJSON *slot_payload(const cJSON *campaign, const cJSON *before, const cJSON *after, int approved)
{
	cJSON *p = cJSON_CreateObject();
	cJSON_AddStringToObject(p, "campaign_id", json_str(campaign, "id"));
	cJSON_AddBoolToObject(p, "human_approved", approved);
	cJSON_AddStringToObject(p, "slot_id", json_str(after, "id"));
	cJSON_AddStringToObject(p, "slot_key", json_str(after, "slot_key"));
	static const char *const fields[] = {"codex_app_thread_id", "session_id", "state"};
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		cJSON *pair = cJSON_CreateObject();
		cJSON_AddItemToObject(pair, "from", cJSON_Duplicate(cJSON_GetObjectItem(before, fields[i]), 1));
		cJSON_AddItemToObject(pair, "to", cJSON_Duplicate(cJSON_GetObjectItem(after, fields[i]), 1));
		cJSON_AddItemToObject(p, fields[i], pair);
	}
	return p;
}

/* Applies a slot_change to the slot named by --slot and returns the updated slot record, or NULL with e set. */
static cJSON *slot_apply(struct ctx *c, const struct args *a, const struct slot_change *u, struct err *e)
{
	struct store *s = ctx_db(c, e);
	cJSON *campaign = s ? campaign_lookup(s, args_get(a, "--name"), e) : NULL, *slot = NULL, *updated = NULL;
	if (!campaign || !(slot = campaign_slot_lookup(s, campaign, args_get(a, "--slot"), e)))
		goto out;
	if (u->guard && !slot_guard_ok(slot, u->expected)) {
		err_set(e, EXIT_USAGE, "campaign worker slot thread guard does not match");
		goto out;
	}
	if (u->set_session && u->session && campaign_worker_session(s, u->session, e) != 0)
		goto out;
	if (!u->state && strcmp(json_str(slot, "state"), "archived") == 0) {
		err_set(e, EXIT_USAGE, "campaign worker slot %s is archived; %s needs an explicit --state to reactivate it",
			json_str(slot, "slot_key"), u->action);
		goto out;
	}
	const char *id = json_str(slot, "id");
	if (store_exec(s,
		       "update campaign_worker_slots set "
		       "session_id = case when ?1 then ?2 else session_id end, "
		       "codex_app_thread_id = case when ?3 then ?4 else codex_app_thread_id end, "
		       "codex_app_thread_title = case when ?5 then ?6 else codex_app_thread_title end, "
		       "state = coalesce(?7, state), metadata_json = coalesce(?8, metadata_json), updated_at = ?9 "
		       "where id = ?10",
		       "isisissjss", (long long)u->set_session, u->session, (long long)u->set_thread, u->thread,
		       (long long)u->set_title, u->title, u->state, u->metadata, c->now, id) != 0 ||
	    store_row(s, &updated, "select " SLOT_COLS " from campaign_worker_slots where id = ?", "s", id) != 1) {
		campaign_store_error(s, e);
		goto out;
	}
	if (campaign_event(c, u->action, slot_payload(campaign, slot, updated, u->approved), e) != 0) {
		cJSON_Delete(updated);
		updated = NULL;
	}
out:
	cJSON_Delete(campaign);
	cJSON_Delete(slot);
	return updated;
}

/* Wraps an updated slot into the action's result object. */
static cJSON *slot_result(const char *action, const struct args *a, cJSON *slot, int with_expected)
{
	cJSON *r = campaign_result(action, a);
	if (with_expected) {
		const char *expected = args_get(a, "--expected-thread-id");
		if (expected)
			cJSON_AddStringToObject(r, "expected_thread_id", expected);
		else
			cJSON_AddNullToObject(r, "expected_thread_id");
	}
	cJSON_AddItemToObject(r, "slot", slot);
	cJSON_AddTrueToObject(r, "updated");
	return r;
}

/* The receipts guard on --thread-title when no metadata is written (the audit event's human_approved then records
 * an approval); 0, or -1 with e set. */
static int slot_title_guard(struct ctx *c, const struct args *a, int *approved, struct err *e)
{
	const struct campaign_scan scan[] = {{"--thread-title", SECRET_TEXT, args_get(a, "--thread-title"), NULL}};
	cJSON *approval = NULL;
	if (campaign_guard(c, a, scan, 1, &approval, e) != 0)
		return -1;
	*approved = approval != NULL;
	cJSON_Delete(approval);
	return 0;
}

/* campaign attach-slot: sets only the fields whose flags are given; the state changes only with --state. */
static cJSON *campaign_attach_slot(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_slot_states, "--state", e) != 0)
		return NULL;
	int approved = 0;
	cJSON *meta = NULL, *slot = NULL;
	const struct campaign_scan title[] = {{"--thread-title", SECRET_TEXT, args_get(a, "--thread-title"), NULL}};
	if (args_get(a, "--metadata-json") ? !(meta = campaign_metadata(c, a, title, 1, &approved, e))
					   : slot_title_guard(c, a, &approved, e) != 0)
		return NULL;
	struct slot_change u = {
		.action = "attach-slot",
		.set_session = args_has(a, "--session-id"),
		.session = args_get(a, "--session-id"),
		.set_thread = args_has(a, "--thread-id"),
		.thread = args_get(a, "--thread-id"),
		.set_title = args_has(a, "--thread-title"),
		.title = args_get(a, "--thread-title"),
		.state = args_get(a, "--status"),
		.metadata = meta,
		.approved = approved,
	};
	slot = slot_apply(c, a, &u, e);
	cJSON_Delete(meta);
	return slot ? slot_result("attach-slot", a, slot, 0) : NULL;
}

/* `campaign attach-slot`. */
const struct cmd_entry cmd_campaign_attach_slot = {
	.word = "campaign",
	.action = "attach-slot",
	.man = "conveyor-campaign",
	.usage = "campaign attach-slot --name C --slot SLOT [--session-id ID] [--thread-id ID] [--thread-title T] [--state S] "
		"[--metadata-json JSON] [--human-approved] [--dry-run]",
	.summary = "Attach a worker session and/or Codex app thread to a slot.",
	.help = "SLOT is a slot id or the slot's key. Only the fields whose flags are given change; the state changes\n"
		"only with --state, and an archived slot needs an explicit --state. --metadata-json replaces the metadata.\n"
		CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign attach-slot --name launch --slot tiktok --session-id SESSION --thread-id thr_1 --state active\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_attach_slot,
	.text = campaign_slot_text,
};

/* campaign rotate-slot: guarded move to a new thread; the session is kept unless --session-id, the title is --thread-title or null. */
cJSON *campaign_rotate_slot(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot", e) != 0 ||
	    campaign_require(a, "--expected-thread-id", e) != 0 || campaign_require(a, "--thread-id", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_slot_states, "--state", e) != 0)
		return NULL;
	int approved = 0;
	if (slot_title_guard(c, a, &approved, e) != 0)
		return NULL;
	struct slot_change u = {
		.action = "rotate-slot",
		.approved = approved,
		.set_session = args_has(a, "--session-id"),
		.session = args_get(a, "--session-id"),
		.set_thread = 1,
		.thread = args_get(a, "--thread-id"),
		.set_title = 1,
		.title = args_get(a, "--thread-title"),
		.state = args_get(a, "--status"),
		.guard = 1,
		.expected = args_get(a, "--expected-thread-id"),
	};
	cJSON *slot = slot_apply(c, a, &u, e);
	return slot ? slot_result("rotate-slot", a, slot, 1) : NULL;
}

/* `campaign rotate-slot`. */
const struct cmd_entry cmd_campaign_rotate_slot = {
	.word = "campaign",
	.action = "rotate-slot",
	.man = "conveyor-campaign",
	.usage = "campaign rotate-slot --name C --slot SLOT --expected-thread-id OLD --thread-id NEW [--thread-title T] "
		"[--session-id ID] [--state S] [--human-approved] [--dry-run]",
	.summary = "Move a slot to a new Codex app thread, guarded by its current thread id.",
	.help = "Refused unless the slot's thread is exactly OLD. The session is kept unless --session-id; the title\n"
		"becomes --thread-title or null; the state changes only with --state (required for an archived slot).\n"
		CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign rotate-slot --name launch --slot tiktok --expected-thread-id thr_1 --thread-id thr_2\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_rotate_slot,
	.text = campaign_rotate_slot_text,
};

/* campaign archive-slot: guarded archival; --no-thread archives a slot that has no thread (and refuses one that has). */
static cJSON *campaign_archive_slot(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot", e) != 0)
		return NULL;
	int no_thread = args_has(a, "--no-thread");
	if (no_thread && args_get(a, "--expected-thread-id"))
		return err_null(e, EXIT_USAGE, "--expected-thread-id and --no-thread cannot be used together");
	if (!no_thread && campaign_require(a, "--expected-thread-id", e) != 0)
		return NULL;
	struct slot_change u = {
		.action = "archive-slot",
		.state = "archived",
		.guard = 1,
		.expected = args_get(a, "--expected-thread-id"),
	};
	cJSON *slot = slot_apply(c, a, &u, e);
	return slot ? slot_result("archive-slot", a, slot, 1) : NULL;
}

/* `campaign archive-slot`. */
const struct cmd_entry cmd_campaign_archive_slot = {
	.word = "campaign",
	.action = "archive-slot",
	.man = "conveyor-campaign",
	.usage = "campaign archive-slot --name C --slot SLOT (--expected-thread-id ID | --no-thread) [--dry-run]",
	.summary = "Archive a slot, guarded by its current thread id.",
	.help = "Refused unless the slot's thread is exactly ID; --no-thread archives a slot that has no thread and is\n"
		"refused when the slot has one. The thread id is kept.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign archive-slot --name launch --slot tiktok --expected-thread-id thr_2\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_archive_slot,
	.text = campaign_slot_text,
};
