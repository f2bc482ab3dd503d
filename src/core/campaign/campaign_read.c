/* campaign status (SPEC 2.10) and campaign list. */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/campaign/campaign_model.h"
#include "core/cmd/cmd.h"
#include "store/store.h"

/* Adds each slot's open-assignment and asset-receipt counts to the slot records. */
static int status_slot_counts(struct campaign_model *v, cJSON *slots, struct err *e)
{
	cJSON *slot;
	cJSON_ArrayForEach(slot, slots)
	{
		long long open, assets;
		const char *id = json_str(slot, "id");
		if (model_slot_count(v, v->open_count, id, &open, e) != 0 ||
		    model_slot_count(v, v->asset_count, id, &assets, e) != 0)
			return -1;
		cJSON_AddNumberToObject(slot, "active_assignments", (double)open);
		cJSON_AddNumberToObject(slot, "asset_receipts", (double)assets);
	}
	return 0;
}

/* campaign status: the campaign, its slots with counts, briefs and campaign-wide counts. */
cJSON *campaign_status(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e))
		return NULL;
	struct campaign_model v;
	cJSON *slots, *status = model_start(c, a, &v, &slots, e);
	if (!status)
		return NULL;
	if (status_slot_counts(&v, slots, e) == 0) {
		cJSON_AddItemToObject(status, "slots", slots);
	} else {
		cJSON_Delete(slots);
		cJSON_Delete(status);
		status = NULL;
	}
	model_close(&v);
	return status;
}

/* `campaign status`. */
const struct cmd_entry cmd_campaign_status = {
	.word = "campaign",
	.action = "status",
	.man = "conveyor-campaign",
	.usage = "campaign status --name C",
	.summary = "Show the campaign, its slots, briefs and counts.",
	.help = "example:\n  conveyor campaign status --name launch --json\n",
	.flags = campaign_flags,
	.pre = CMD_READS,
	.run = campaign_status,
	.text = campaign_status_text,
};

/* One campaign_list item: the campaign record, its counts, stale slots and next manager action; takes campaign. */
static cJSON *list_item(struct campaign_model *v, cJSON *campaign, long long now_ms, long long stale_after, struct err *e)
{
	cJSON *slots, *base = model_with_slots(v, campaign, &slots, e);
	if (!base)
		return NULL;
	struct campaign_tally t = {0};
	model_tally_counts(&t, base);
	cJSON *slot, *item = NULL;
	cJSON_ArrayForEach(slot, slots)
	{
		cJSON *session = model_session(v, json_str(slot, "session_id"), e);
		if (!session)
			goto out;
		struct lifecycle l;
		model_lifecycle(slot, session, now_ms, stale_after, &l);
		rules_tally_slot(&t, json_str(slot, "state"), &l);
		cJSON_Delete(session);
	}
	item = cJSON_Duplicate(cJSON_GetObjectItem(base, "campaign"), 1);
	int assignments = 0, assets = 0;
	const cJSON *n;
	cJSON_ArrayForEach(n, cJSON_GetObjectItem(base, "assignment_counts")) assignments += n->valueint;
	cJSON_ArrayForEach(n, cJSON_GetObjectItem(base, "asset_counts")) assets += n->valueint;
	cJSON_AddNumberToObject(item, "asset_count", assets);
	cJSON_AddNumberToObject(item, "assignment_count", assignments);
	cJSON_AddItemToObject(item, "next_manager_action", model_next_action(&t));
	cJSON_AddNumberToObject(item, "slot_count", t.slots);
	cJSON_AddNumberToObject(item, "stale_slots", t.stale_slots);
out:
	cJSON_Delete(base);
	cJSON_Delete(slots);
	return item;
}

/* campaign list: every campaign (oldest first) with its counts and next manager action. */
static cJSON *campaign_list(struct ctx *c, const struct args *a, struct err *e)
{
	if (args_has(a, "--name"))
		return err_null(e, EXIT_USAGE, "campaign list takes no --name");
	long long stale_after = model_stale_after(a);
	struct store *s = ctx_db(c, e);
	if (!s)
		return NULL;
	cJSON *campaigns = store_rows(s, "select " CAMPAIGN_COLS " from campaigns order by created_at, name", NULL);
	if (!campaigns)
		return campaign_store_error(s, e);
	struct campaign_model v;
	if (model_open(&v, s, e) != 0) {
		cJSON_Delete(campaigns);
		return NULL;
	}
	cJSON *items = cJSON_CreateArray(), *campaign;
	while ((campaign = cJSON_DetachItemFromArray(campaigns, 0))) {
		cJSON *item = list_item(&v, campaign, c->now_ms, stale_after, e);
		if (!item) {
			cJSON_Delete(items);
			items = NULL;
			break;
		}
		cJSON_AddItemToArray(items, item);
	}
	model_close(&v);
	cJSON_Delete(campaigns);
	if (!items)
		return NULL;
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "action", "list");
	cJSON_AddItemToObject(r, "campaigns", items);
	return r;
}

/* `campaign list`. */
const struct cmd_entry cmd_campaign_list = {
	.word = "campaign",
	.action = "list",
	.man = "conveyor-campaign",
	.usage = "campaign list [--stale-after SECONDS]",
	.summary = "List every campaign with its counts and next manager action.",
	.help = "Takes no --name. A slot whose session heartbeat is older than SECONDS (default 300) counts as stale.\n"
		"\nexample:\n  conveyor campaign list\n",
	.flags = campaign_flags,
	.pre = CMD_READS,
	.run = campaign_list,
	.text = campaign_list_text,
};
