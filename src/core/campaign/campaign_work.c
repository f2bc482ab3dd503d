/* Work receipts: assign, asset (SPEC 2.8), and conveyor's update-assignment and review. */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/base/ids.h"
#include "core/cmd/cmd.h"
#include "store/store.h"
#include "util/json.h"

/* Records the audit event of a new receipt (payload, taken, gets the ids, status and approval) and returns the
 * action's result {action, campaign, created, slot_id, <id_key>}; NULL with e set. */
static cJSON *work_created(struct ctx *c, const struct args *a, const char *action, const char *id_key,
			  const char *id, cJSON *payload, const cJSON *campaign, const cJSON *slot, const char *status,
			  int approved, struct err *e)
{
	cJSON_AddStringToObject(payload, id_key, id);
	cJSON_AddStringToObject(payload, "campaign_id", json_str(campaign, "id"));
	cJSON_AddBoolToObject(payload, "human_approved", approved);
	cJSON_AddStringToObject(payload, "slot_id", json_str(slot, "id"));
	cJSON_AddStringToObject(payload, "status", status);
	if (campaign_event(c, action, payload, e) != 0)
		return NULL;
	cJSON *result = campaign_result(action, a);
	cJSON_AddStringToObject(result, id_key, id);
	cJSON_AddTrueToObject(result, "created");
	cJSON_AddStringToObject(result, "slot_id", json_str(slot, "id"));
	return result;
}

/* campaign assign: a slot-scoped assignment; completed_at is set only when created done; --notify queues it to
 * the slot's worker. */
static cJSON *campaign_assign(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot", e) != 0 || campaign_require(a, "--title", e) != 0 ||
	    campaign_require(a, "--instructions", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_assignment_statuses, "--status", e) != 0)
		return NULL;
	const struct campaign_scan scan[] = {
		{"--title", SECRET_TEXT, args_get(a, "--title"), NULL},
		{"--instructions", SECRET_TEXT, args_get(a, "--instructions"), NULL},
	};
	int approved;
	cJSON *meta = campaign_metadata(c, a, scan, 2, &approved, e), *campaign = NULL, *slot = NULL, *result = NULL;
	if (!meta)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)) ||
	    !(slot = campaign_slot_lookup(s, campaign, args_get(a, "--slot"), e)))
		goto out;
	const char *status = args_get(a, "--status") ? args_get(a, "--status") : "queued";
	char id[IDS_LEN];
	ids_new("campaign-assignment", id);
	if (store_exec(s,
		       "insert into campaign_assignments(id, campaign_id, slot_id, title, instructions, status, "
		       "metadata_json, created_at, updated_at, completed_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "ssssssjsss", id, json_str(campaign, "id"), json_str(slot, "id"), args_get(a, "--title"),
		       args_get(a, "--instructions"), status, meta, c->now, c->now,
		       strcmp(status, "done") == 0 ? c->now : NULL) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	result = work_created(c, a, "assign", "assignment_id", id, cJSON_CreateObject(), campaign, slot, status, approved,
			      e);
	if (result && campaign_notify_assignment(c, a, campaign, slot, id, result, e) != 0) {
		cJSON_Delete(result);
		result = NULL;
	}
out:
	cJSON_Delete(meta);
	cJSON_Delete(campaign);
	cJSON_Delete(slot);
	return result;
}

/* `campaign assign`. */
const struct cmd_entry cmd_campaign_assign = {
	.word = "campaign",
	.action = "assign",
	.man = "conveyor-campaign",
	.usage = "campaign assign --name C --slot SLOT --title T --instructions TEXT [--status S] [--metadata-json JSON] "
		"[--notify] [--human-approved] [--dry-run]",
	.summary = "Record an assignment for a slot (status queued unless --status).",
	.help = "--status is one of active, blocked, cancelled, done, queued; completed_at is set when created done.\n"
		"--notify also queues the assignment as a nudge_worker command to the slot's worker session (Dispatch\n"
		"types it into its tmux pane or leaves it in its inbox); a slot without a session is refused.\n"
		CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts'\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_assign,
	.text = campaign_assign_text,
};

/* Checks that --assignment (when given) belongs to the campaign and to the slot the receipt is for. */
static int asset_check_assignment(struct store *s, const cJSON *campaign, const cJSON *slot, const char *id,
				  struct err *e)
{
	if (!id)
		return 0;
	cJSON *assignment = campaign_assignment_lookup(s, campaign, id, e);
	if (!assignment)
		return -1;
	int ok = strcmp(json_str(assignment, "slot_id"), json_str(slot, "id")) == 0;
	cJSON_Delete(assignment);
	if (!ok)
		err_set(e, EXIT_USAGE, "assignment does not belong to the provided campaign worker slot");
	return ok ? 0 : -1;
}

/* campaign asset: an asset receipt for a slot (and optionally one of its assignments); channel defaults to the slot's. */
static cJSON *campaign_asset(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot", e) != 0 || campaign_require(a, "--title", e) != 0 ||
	    campaign_require(a, "--asset-type", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_asset_statuses, "--status", e) != 0 ||
	    campaign_enum(args_get(a, "--asset-type"), campaign_asset_types, "--asset-type", e) != 0)
		return NULL;
	const struct campaign_scan scan[] = {
		{"--title", SECRET_TEXT, args_get(a, "--title"), NULL},
		{"--prompt-summary", SECRET_TEXT, args_get(a, "--prompt-summary"), NULL},
		{"--review-notes", SECRET_TEXT, args_get(a, "--review-notes"), NULL},
		{"--artifact-path", SECRET_PATH, args_get(a, "--artifact-path"), NULL},
	};
	int approved;
	cJSON *meta = campaign_metadata(c, a, scan, 4, &approved, e), *campaign = NULL, *slot = NULL, *result = NULL;
	if (!meta)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)) ||
	    !(slot = campaign_slot_lookup(s, campaign, args_get(a, "--slot"), e)) ||
	    asset_check_assignment(s, campaign, slot, args_get(a, "--assignment"), e) != 0)
		goto out;
	const char *status = args_get(a, "--status") ? args_get(a, "--status") : "draft";
	const char *channel = args_get(a, "--channel") ? args_get(a, "--channel") : json_str(slot, "channel");
	char id[IDS_LEN];
	ids_new("campaign-asset", id);
	if (store_exec(s,
		       "insert into campaign_asset_receipts(id, campaign_id, slot_id, assignment_id, asset_type, channel, "
		       "status, title, prompt_summary, artifact_path, review_notes, metadata_json, created_at) "
		       "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "sssssssssssjs", id, json_str(campaign, "id"), json_str(slot, "id"),
		       args_get(a, "--assignment"), args_get(a, "--asset-type"), channel, status, args_get(a, "--title"),
		       args_get(a, "--prompt-summary"), args_get(a, "--artifact-path"), args_get(a, "--review-notes"),
		       meta, c->now) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	cJSON *payload = cJSON_CreateObject();
	json_add_str(payload, "assignment_id", args_get(a, "--assignment"));
	result = work_created(c, a, "asset", "asset_receipt_id", id, payload, campaign, slot, status, approved, e);
out:
	cJSON_Delete(meta);
	cJSON_Delete(campaign);
	cJSON_Delete(slot);
	return result;
}

/* `campaign asset`. */
const struct cmd_entry cmd_campaign_asset = {
	.word = "campaign",
	.action = "asset",
	.man = "conveyor-campaign",
	.usage = "campaign asset --name C --slot SLOT --title T --asset-type TYPE [--assignment ID] [--channel CH] [--status S] "
		"[--prompt-summary TEXT] [--artifact-path PATH] [--review-notes TEXT] [--metadata-json JSON] [--human-approved] "
		"[--dry-run]",
	.summary = "Record an asset receipt for a slot (status draft unless --status).",
	.help = "TYPE is one of audio, copy, hyperframes, image, other, video; --status one of approved, draft,\n"
		"needs_review, published, rejected. --assignment must belong to the same slot. The channel defaults to\n"
		"the slot's channel.\n" CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_asset,
	.text = campaign_asset_text,
};

/* The event payload and result shared by update-assignment and review: what changed from which status. */
static cJSON *work_change(struct ctx *c, const struct args *a, const char *action, const char *record_key,
			  const char *id_key, cJSON *record, const char *previous, int approved, struct err *e)
{
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddBoolToObject(payload, "human_approved", approved);
	cJSON_AddStringToObject(payload, id_key, json_str(record, "id"));
	cJSON_AddStringToObject(payload, "campaign_id", json_str(record, "campaign_id"));
	cJSON_AddStringToObject(payload, "previous_status", previous);
	cJSON_AddStringToObject(payload, "status", json_str(record, "status"));
	if (campaign_event(c, action, payload, e) != 0) {
		cJSON_Delete(record);
		return NULL;
	}
	cJSON *r = campaign_result(action, a);
	cJSON_AddItemToObject(r, record_key, record);
	cJSON_AddStringToObject(r, "previous_status", previous);
	cJSON_AddTrueToObject(r, "updated");
	return r;
}

/* campaign update-assignment: new status (completed_at set when done, cleared otherwise) and optionally new metadata. */
static cJSON *campaign_update_assignment(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--assignment", e) != 0 ||
	    campaign_require(a, "--status", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_assignment_statuses, "--status", e) != 0)
		return NULL;
	int approved = 0;
	cJSON *meta = NULL, *campaign = NULL, *before = NULL, *after = NULL, *result = NULL;
	if (args_get(a, "--metadata-json") && !(meta = campaign_metadata(c, a, NULL, 0, &approved, e)))
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)) ||
	    !(before = campaign_assignment_lookup(s, campaign, args_get(a, "--assignment"), e)))
		goto out;
	const char *status = args_get(a, "--status");
	const char *id = json_str(before, "id");
	if (store_exec(s,
		       "update campaign_assignments set status = ?1, updated_at = ?2, "
		       "completed_at = case when ?1 <> 'done' then null when status = 'done' then completed_at else ?2 end, "
		       "metadata_json = coalesce(?3, metadata_json) where id = ?4",
		       "ssjs", status, c->now, meta, id) != 0 ||
	    store_row(s, &after, "select " ASSIGNMENT_COLS " from campaign_assignments where id = ?", "s", id) != 1) {
		campaign_store_error(s, e);
		goto out;
	}
	result = work_change(c, a, "update-assignment", "assignment", "assignment_id", after,
			     json_str(before, "status"), approved, e);
out:
	cJSON_Delete(meta);
	cJSON_Delete(campaign);
	cJSON_Delete(before);
	return result;
}

/* `campaign update-assignment`. */
const struct cmd_entry cmd_campaign_update_assignment = {
	.word = "campaign",
	.action = "update-assignment",
	.man = "conveyor-campaign",
	.usage = "campaign update-assignment --name C --assignment ID --status S [--metadata-json JSON] [--human-approved] [--dry-run]",
	.summary = "Change an assignment's status (and optionally replace its metadata).",
	.help = "completed_at is set when the status becomes done and cleared when it leaves done.\n" CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign update-assignment --name launch --assignment ID --status done\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_update_assignment,
	.text = campaign_change_text,
};

/* campaign review: a review decision on an asset receipt, with notes, reviewer and review time; --notify queues
 * the decision and notes to the worker of the asset's slot. */
static cJSON *campaign_review(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--asset", e) != 0 || campaign_require(a, "--status", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_review_statuses, "--status", e) != 0)
		return NULL;
	cJSON *approval, *campaign = NULL, *before = NULL, *after = NULL, *result = NULL, *meta = NULL;
	const struct campaign_scan scan[] = {
		{"--review-notes", SECRET_TEXT, args_get(a, "--review-notes"), NULL},
		{"--reviewer", SECRET_TEXT, args_get(a, "--reviewer"), NULL},
	};
	if (campaign_guard(c, a, scan, 2, &approval, e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)) ||
	    !(before = campaign_asset_lookup(s, campaign, args_get(a, "--asset"), e)))
		goto out;
	int approved = approval != NULL;
	if (approval) {
		meta = cJSON_Duplicate(cJSON_GetObjectItem(before, "metadata"), 1);
		campaign_approve(meta, approval);
		approval = NULL;
	}
	const char *id = json_str(before, "id");
	if (store_exec(s,
		       "update campaign_asset_receipts set status = ?, review_notes = coalesce(?, review_notes), "
		       "reviewer = coalesce(?, reviewer), reviewed_at = ?, metadata_json = coalesce(?, metadata_json) "
		       "where id = ?",
		       "ssssjs", args_get(a, "--status"), args_get(a, "--review-notes"), args_get(a, "--reviewer"),
		       c->now, meta, id) != 0 ||
	    store_row(s, &after, "select " ASSET_COLS " from campaign_asset_receipts where id = ?", "s", id) != 1) {
		campaign_store_error(s, e);
		goto out;
	}
	result = work_change(c, a, "review", "asset", "asset_receipt_id", after,
			     json_str(before, "status"), approved, e);
	if (result && campaign_notify_review(c, a, campaign, cJSON_GetObjectItem(result, "asset"), result, e) != 0) {
		cJSON_Delete(result);
		result = NULL;
	}
out:
	cJSON_Delete(approval);
	cJSON_Delete(meta);
	cJSON_Delete(campaign);
	cJSON_Delete(before);
	return result;
}

/* `campaign review`. */
const struct cmd_entry cmd_campaign_review = {
	.word = "campaign",
	.action = "review",
	.man = "conveyor-campaign",
	.usage = "campaign review --name C --asset ID --status S [--review-notes TEXT] [--reviewer NAME] [--notify] "
		"[--human-approved] [--dry-run]",
	.summary = "Record a review decision on an asset receipt.",
	.help = "S is one of approved, needs_review, published, rejected. The review time and reviewer are recorded;\n"
		"notes and reviewer keep their values when not given. --notify queues the decision and the notes as a\n"
		"nudge_worker command to the worker session of the asset's slot (a rejection says how to resubmit).\n"
		CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign review --name launch --asset ID --status approved --reviewer dana\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_review,
	.text = campaign_change_text,
};
