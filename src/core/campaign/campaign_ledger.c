/* Campaign-level writes: create, add-slot, brief and set-status. */
#include <stdio.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/base/ids.h"
#include "core/cmd/cmd.h"
#include "store/store.h"

/* campaign create: a new campaign in status active (SPEC 2.2). */
static cJSON *campaign_create(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = campaign_name(a, e);
	if (!name || campaign_require(a, "--objective", e) != 0)
		return NULL;
	int approved;
	const struct campaign_scan scan[] = {{"--objective", SECRET_TEXT, args_get(a, "--objective"), NULL}};
	cJSON *meta = campaign_metadata(c, a, scan, 1, &approved, e), *result = NULL;
	if (!meta)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s)
		goto out;
	char id[IDS_LEN];
	ids_new("campaign", id);
	if (store_exec(s,
		       "insert into campaigns(id, name, objective, status, metadata_json, created_at, updated_at) "
		       "values (?, ?, ?, 'active', ?, ?, ?)",
		       "sssjss", id, name, args_get(a, "--objective"), meta, c->now, c->now) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "campaign_id", id);
	cJSON_AddStringToObject(payload, "name", name);
	cJSON_AddBoolToObject(payload, "human_approved", approved);
	if (campaign_event(c, "create", payload, e) != 0)
		goto out;
	result = campaign_result("create", a);
	cJSON_AddStringToObject(result, "campaign_id", id);
	cJSON_AddTrueToObject(result, "created");
out:
	cJSON_Delete(meta);
	return result;
}

/* `campaign create`. */
const struct cmd_entry cmd_campaign_create = {
	.word = "campaign",
	.action = "create",
	.man = "conveyor-campaign",
	.usage = "campaign create --name C --objective TEXT [--metadata-json JSON] [--human-approved] [--dry-run]",
	.summary = "Create a campaign (status active).",
	.help = "Fails if the name is taken: UNIQUE constraint failed: campaigns.name.\n" CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign create --name launch --objective 'Launch week content'\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_create,
	.text = campaign_create_text,
};

/* campaign add-slot: a named worker slot, optionally already attached to a worker session and thread (SPEC 2.3). */
static cJSON *campaign_add_slot(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--slot-key", e) != 0 ||
	    campaign_require(a, "--role-label", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_slot_states, "--state", e) != 0)
		return NULL;
	int approved;
	const struct campaign_scan scan[] = {
		{"--role-label", SECRET_TEXT, args_get(a, "--role-label"), NULL},
		{"--channel", SECRET_TEXT, args_get(a, "--channel"), NULL},
		{"--thread-title", SECRET_TEXT, args_get(a, "--thread-title"), NULL},
	};
	cJSON *meta = campaign_metadata(c, a, scan, 3, &approved, e), *campaign = NULL, *result = NULL;
	if (!meta)
		return NULL;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)))
		goto out;
	const char *session = args_get(a, "--session-id");
	if (session && campaign_worker_session(s, session, e) != 0)
		goto out;
	const char *state = args_get(a, "--status") ? args_get(a, "--status") : "planned";
	char id[IDS_LEN];
	ids_new("campaign-slot", id);
	if (store_exec(s,
		       "insert into campaign_worker_slots(id, campaign_id, slot_key, role_label, channel, session_id, "
		       "codex_app_thread_id, codex_app_thread_title, state, metadata_json, created_at, updated_at) "
		       "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "sssssssssjss", id, json_str(campaign, "id"), args_get(a, "--slot-key"),
		       args_get(a, "--role-label"), args_get(a, "--channel"), session, args_get(a, "--thread-id"),
		       args_get(a, "--thread-title"), state, meta, c->now, c->now) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "campaign_id", json_str(campaign, "id"));
	cJSON_AddStringToObject(payload, "slot_id", id);
	cJSON_AddStringToObject(payload, "slot_key", args_get(a, "--slot-key"));
	cJSON_AddBoolToObject(payload, "human_approved", approved);
	if (campaign_event(c, "add-slot", payload, e) != 0)
		goto out;
	result = campaign_result("add-slot", a);
	cJSON_AddTrueToObject(result, "created");
	cJSON_AddStringToObject(result, "slot_id", id);
	cJSON_AddStringToObject(result, "slot_key", args_get(a, "--slot-key"));
out:
	cJSON_Delete(meta);
	cJSON_Delete(campaign);
	return result;
}

/* `campaign add-slot`. */
const struct cmd_entry cmd_campaign_add_slot = {
	.word = "campaign",
	.action = "add-slot",
	.man = "conveyor-campaign",
	.usage = "campaign add-slot --name C --slot-key KEY --role-label LABEL [--channel CH] [--session-id ID] [--thread-id ID] "
		"[--thread-title T] [--state S] [--metadata-json JSON] [--human-approved] [--dry-run]",
	.summary = "Add a named worker slot (state planned unless --state).",
	.help = "--session-id must name a registered worker session. --state is one of active, archived, blocked, idle,\n"
		"planned. The slot key is unique within the campaign.\n" CMD_GUARD_HELP CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_add_slot,
	.text = campaign_add_slot_text,
};

/* campaign brief: upserts the channel brief, keeping id and created_at of an existing one (SPEC 2.7). */
static cJSON *campaign_brief(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--channel", e) != 0)
		return NULL;
	if (!args_get(a, "--brief-json"))
		return err_null(e, EXIT_USAGE, "campaign brief requires --brief-json");
	cJSON *brief = campaign_json_flag(a, "--brief-json", e), *approval = NULL, *campaign = NULL, *result = NULL;
	if (!brief)
		return NULL;
	const struct campaign_scan scan[] = {
		{"--channel", SECRET_TEXT, args_get(a, "--channel"), NULL},
		{"--brief-json", SECRET_TEXT, NULL, brief},
	};
	if (campaign_guard(c, a, scan, 2, &approval, e) != 0)
		goto out;
	struct store *s = ctx_db(c, e);
	if (!s || !(campaign = campaign_lookup(s, args_get(a, "--name"), e)))
		goto out;
	const char *channel = args_get(a, "--channel");
	char id[IDS_LEN];
	ids_new("campaign-brief", id);
	cJSON *existing;
	int rc = store_row(s, &existing, "select id from campaign_channel_briefs where campaign_id = ? and channel = ?",
			   "ss", json_str(campaign, "id"), channel);
	if (rc < 0) {
		campaign_store_error(s, e);
		goto out;
	}
	if (rc == 1) {
		snprintf(id, sizeof id, "%s", json_str(existing, "id"));
		cJSON_Delete(existing);
	}
	if (store_exec(s,
		       "insert into campaign_channel_briefs(id, campaign_id, channel, brief_json, created_at, updated_at) "
		       "values (?, ?, ?, ?, ?, ?) on conflict(campaign_id, channel) do update set "
		       "brief_json = excluded.brief_json, updated_at = excluded.updated_at",
		       "sssjss", id, json_str(campaign, "id"), channel, brief, c->now, c->now) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "brief_id", id);
	cJSON_AddStringToObject(payload, "campaign_id", json_str(campaign, "id"));
	cJSON_AddStringToObject(payload, "channel", channel);
	cJSON_AddBoolToObject(payload, "created", rc == 0);
	cJSON_AddBoolToObject(payload, "human_approved", approval != NULL);
	if (approval) {
		cJSON_AddItemToObject(payload, "human_approval", approval);
		approval = NULL;
	}
	if (campaign_event(c, "brief", payload, e) != 0)
		goto out;
	result = campaign_result("brief", a);
	cJSON_AddStringToObject(result, "brief_id", id);
	cJSON_AddStringToObject(result, "channel", channel);
	cJSON_AddTrueToObject(result, "upserted");
out:
	cJSON_Delete(approval);
	cJSON_Delete(brief);
	cJSON_Delete(campaign);
	return result;
}

/* `campaign brief`. */
const struct cmd_entry cmd_campaign_brief = {
	.word = "campaign",
	.action = "brief",
	.man = "conveyor-campaign",
	.usage = "campaign brief --name C --channel CH --brief-json JSON [--human-approved] [--dry-run]",
	.summary = "Create or replace the brief of a channel.",
	.help = "--brief-json must be a JSON object. An existing brief keeps its id and created_at. A secret in the brief\n"
		"is refused unless --human-approved, which records the approval in the campaign_brief audit event.\n"
		CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign brief --name launch --channel tiktok --brief-json '{\"tone\":\"playful\"}'\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_brief,
	.text = campaign_brief_text,
};

/* campaign set-status: moves the campaign itself to active, paused, done, blocked or archived. */
static cJSON *campaign_set_status(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e) || campaign_require(a, "--status", e) != 0 ||
	    campaign_enum(args_get(a, "--status"), campaign_statuses, "--status", e) != 0)
		return NULL;
	struct store *s = ctx_db(c, e);
	cJSON *campaign = s ? campaign_lookup(s, args_get(a, "--name"), e) : NULL, *result = NULL;
	if (!campaign)
		return NULL;
	const char *status = args_get(a, "--status");
	if (store_exec(s, "update campaigns set status = ?, updated_at = ? where id = ?", "sss", status, c->now,
		       json_str(campaign, "id")) != 0) {
		campaign_store_error(s, e);
		goto out;
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "campaign_id", json_str(campaign, "id"));
	cJSON_AddStringToObject(payload, "previous_status", json_str(campaign, "status"));
	cJSON_AddStringToObject(payload, "status", status);
	if (campaign_event(c, "set-status", payload, e) != 0)
		goto out;
	result = campaign_result("set-status", a);
	cJSON_AddStringToObject(result, "campaign_id", json_str(campaign, "id"));
	cJSON_AddStringToObject(result, "previous_status", json_str(campaign, "status"));
	cJSON_AddStringToObject(result, "status", status);
	cJSON_AddTrueToObject(result, "updated");
out:
	cJSON_Delete(campaign);
	return result;
}

/* `campaign set-status`. */
const struct cmd_entry cmd_campaign_set_status = {
	.word = "campaign",
	.action = "set-status",
	.man = "conveyor-campaign",
	.usage = "campaign set-status --name C --status S [--dry-run]",
	.summary = "Set the campaign's status: active, paused, done, blocked or archived.",
	.help = "A done or archived campaign's next manager action is none.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor campaign set-status --name launch --status done\n",
	.flags = campaign_flags,
	.pre = CMD_WRITES,
	.run = campaign_set_status,
	.text = campaign_set_status_text,
};
