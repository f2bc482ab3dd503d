/* campaign dashboard: status plus per-slot lifecycle, blockers, approvals, summary and next action (SPEC 2.11). */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/campaign/campaign_model.h"
#include "core/cmd/cmd.h"
#include "store/store.h"

/* Where a slot's assignments and assets arrays sit in the printed dashboard: root, "slots" array, slot object. */
#define DASHBOARD_RECORDS_DEPTH 3

/* Turns one slot record into its dashboard record, counting it into t and appending its blockers to all. */
static int dashboard_slot(struct campaign_model *v, cJSON *slot, long long now_ms, long long stale_after,
			  struct campaign_tally *t, cJSON *all_blockers, struct err *e)
{
	const char *id = json_str(slot, "id");
	struct record_scan assignments = {"blocked", cJSON_CreateArray(), 0, 0};
	struct record_scan assets = {"rejected", cJSON_CreateArray(), 0, 0};
	cJSON *assignment_list = model_slot_records(v, v->assignments, id, DASHBOARD_RECORDS_DEPTH, &assignments, e);
	cJSON *asset_list = assignment_list ? model_slot_records(v, v->assets, id, DASHBOARD_RECORDS_DEPTH, &assets, e) : NULL;
	cJSON *session = asset_list ? model_session(v, json_str(slot, "session_id"), e) : NULL;
	if (!session) {
		cJSON_Delete(assignment_list);
		cJSON_Delete(asset_list);
		cJSON_Delete(assignments.flagged);
		cJSON_Delete(assets.flagged);
		return -1;
	}
	struct lifecycle l;
	model_lifecycle(slot, session, now_ms, stale_after, &l);
	rules_tally_slot(t, json_str(slot, "state"), &l);
	cJSON *blockers = cJSON_CreateArray(), *it;
	rules_blockers(json_str(slot, "slot_key"), json_str(slot, "state"), l.state, assignments.flagged,
		       assets.flagged, blockers);
	cJSON_Delete(assignments.flagged);
	cJSON_Delete(assets.flagged);
	cJSON_ArrayForEach(it, blockers) cJSON_AddItemToArray(all_blockers, cJSON_CreateString(it->valuestring));
	cJSON_AddNumberToObject(slot, "active_assignments", assignments.open);
	cJSON_AddNumberToObject(slot, "asset_receipts", assets.count);
	cJSON_AddItemToObject(slot, "assets", asset_list);
	cJSON_AddItemToObject(slot, "assignments", assignment_list);
	cJSON_AddItemToObject(slot, "blockers", blockers);
	cJSON_AddItemToObject(slot, "lifecycle", model_lifecycle_json(&l));
	cJSON_AddItemToObject(slot, "session", session);
	return 0;
}

/* Counts slots whose stored state is state. */
static int dashboard_stored(const cJSON *slots, const char *state)
{
	int n = 0;
	const cJSON *slot;
	cJSON_ArrayForEach(slot, slots) n += strcmp(json_str(slot, "state"), state) == 0;
	return n;
}

/* Sums the values of a counts object. */
static int dashboard_total(const cJSON *counts)
{
	int n = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, counts) n += it->valueint;
	return n;
}

/* Adds approvals, summary and next_manager_action to a dashboard whose slots are done. */
static void dashboard_summary(cJSON *d, const cJSON *slots, const struct campaign_tally *t)
{
	const cJSON *assets = cJSON_GetObjectItem(d, "asset_counts");
	const cJSON *assignments = cJSON_GetObjectItem(d, "assignment_counts");
	cJSON *approvals = cJSON_CreateObject();
	static const char *const approval_keys[] = {"approved", "needs_review", "published", "rejected"};
	for (size_t i = 0; i < 4; i++)
		cJSON_AddNumberToObject(approvals, approval_keys[i],
					cJSON_GetNumberValue(cJSON_GetObjectItem(assets, approval_keys[i])));
	cJSON_AddItemToObject(d, "approvals", approvals);
	cJSON *summary = cJSON_CreateObject();
	cJSON_AddNumberToObject(summary, "active_slots", dashboard_stored(slots, "active"));
	cJSON_AddNumberToObject(summary, "archived_slots", dashboard_stored(slots, "archived"));
	cJSON_AddNumberToObject(summary, "asset_total", dashboard_total(assets));
	cJSON_AddNumberToObject(summary, "assignment_total", dashboard_total(assignments));
	cJSON_AddNumberToObject(summary, "blocked_assignments", t->assignments_blocked);
	cJSON_AddNumberToObject(summary, "blocked_slots", t->blocked_slots);
	cJSON_AddNumberToObject(summary, "channel_briefs", cJSON_GetArraySize(cJSON_GetObjectItem(d, "channel_briefs")));
	cJSON_AddNumberToObject(summary, "stale_slots", t->stale_slots);
	cJSON_AddItemToObject(d, "summary", summary);
	cJSON_AddItemToObject(d, "next_manager_action", model_next_action(t));
}

/* campaign dashboard: everything a manager needs to decide the next move, at now with --stale-after (default 300 s). */
static cJSON *campaign_dashboard(struct ctx *c, const struct args *a, struct err *e)
{
	if (!campaign_name(a, e))
		return NULL;
	long long stale_after = model_stale_after(a);
	struct campaign_model v;
	cJSON *slots, *d = model_start(c, a, &v, &slots, e);
	if (!d)
		return NULL;
	struct campaign_tally t = {0};
	model_tally_counts(&t, d);
	cJSON *blockers = cJSON_CreateArray(), *slot;
	cJSON_AddItemToObject(d, "blockers", blockers);
	cJSON_ArrayForEach(slot, slots)
	if (dashboard_slot(&v, slot, c->now_ms, stale_after, &t, blockers, e) != 0)
		goto fail;
	dashboard_summary(d, slots, &t);
	cJSON_AddItemToObject(d, "slots", slots);
	model_close(&v);
	return d;
fail:
	cJSON_Delete(slots);
	cJSON_Delete(d);
	model_close(&v);
	return NULL;
}

/* `campaign dashboard`. */
const struct cmd_entry cmd_campaign_dashboard = {
	.word = "campaign",
	.action = "dashboard",
	.man = "conveyor-campaign",
	.usage = "campaign dashboard --name C [--stale-after SECONDS]",
	.summary = "Show slot lifecycles, blockers, approvals and the manager's next action.",
	.help = "A slot whose session heartbeat is older than SECONDS (default 300) is stale.\n"
		"\nexample:\n  conveyor campaign dashboard --name launch --json\n",
	.flags = campaign_flags,
	.pre = CMD_READS,
	.run = campaign_dashboard,
	.text = campaign_dashboard_text,
};
