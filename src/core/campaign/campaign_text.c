/* Text forms of the campaign results (SPEC 2.2-2.11.5); every database string is cleaned of control characters. */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/campaign/campaign_cmds.h"
#include "core/dispatch/dispatch_cmds.h"

/* Shorthand for a string member (NULL when absent). */
#define S(obj, key) json_str((obj), (key))

/* campaign create. */
void campaign_create_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s created %s\n", S(r, "campaign"), S(r, "campaign_id"));
}

/* campaign add-slot. */
void campaign_add_slot_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s slot %s created %s\n", S(r, "campaign"), S(r, "slot_key"), S(r, "slot_id"));
}

/* campaign attach-slot and archive-slot: "<verb> <slot id>". */
void campaign_slot_text(const cJSON *r, struct sb *out)
{
	const cJSON *slot = cJSON_GetObjectItem(r, "slot");
	const char *verb = strcmp(S(r, "action"), "attach-slot") == 0 ? "attached" : "archived";
	sb_addf_clean(out, "campaign %s slot %s %s %s\n", S(r, "campaign"), S(slot, "slot_key"), verb, S(slot, "id"));
}

/* campaign rotate-slot. */
void campaign_rotate_slot_text(const cJSON *r, struct sb *out)
{
	const cJSON *slot = cJSON_GetObjectItem(r, "slot");
	const char *thread = S(slot, "codex_app_thread_id");
	sb_addf_clean(out, "campaign %s slot %s rotated %s -> %s\n", S(r, "campaign"), S(slot, "slot_key"),
		      S(r, "expected_thread_id"), thread ? thread : "none");
}

/* campaign brief. */
void campaign_brief_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s brief %s upserted %s\n", S(r, "campaign"), S(r, "channel"), S(r, "brief_id"));
}

/* The line of a --notify: the queued command and the worker session it goes to. */
static void text_notification(const cJSON *r, struct sb *out)
{
	const cJSON *n = cJSON_GetObjectItem(r, "notification");
	if (cJSON_IsObject(n))
		enqueue_text(n, out);
}

/* campaign assign. */
void campaign_assign_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s assignment created %s\n", S(r, "campaign"), S(r, "assignment_id"));
	text_notification(r, out);
}

/* campaign asset. */
void campaign_asset_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s asset receipt created %s\n", S(r, "campaign"), S(r, "asset_receipt_id"));
}

/* campaign set-status. */
void campaign_set_status_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "campaign %s status %s -> %s\n", S(r, "campaign"), S(r, "previous_status"), S(r, "status"));
}

/* campaign update-assignment and review: "<what> <id> <previous> -> <status>". */
void campaign_change_text(const cJSON *r, struct sb *out)
{
	const cJSON *rec = cJSON_GetObjectItem(r, "assignment");
	const char *what = "assignment";
	if (!rec) {
		rec = cJSON_GetObjectItem(r, "asset");
		what = "asset";
	}
	sb_addf_clean(out, "campaign %s %s %s %s -> %s\n", S(r, "campaign"), what, S(rec, "id"), S(r, "previous_status"),
		      S(rec, "status"));
	text_notification(r, out);
}

/* The assignments and assets count lines shared by status and dashboard. */
static void text_counts(const cJSON *r, struct sb *out)
{
	const cJSON *a = cJSON_GetObjectItem(r, "assignment_counts");
	const cJSON *s = cJSON_GetObjectItem(r, "asset_counts");
	sb_addf(out, "assignments active=%d blocked=%d cancelled=%d done=%d queued=%d\n", json_int(a, "active"),
		json_int(a, "blocked"), json_int(a, "cancelled"), json_int(a, "done"), json_int(a, "queued"));
	sb_addf(out, "assets approved=%d draft=%d needs_review=%d published=%d rejected=%d\n", json_int(s, "approved"),
		json_int(s, "draft"), json_int(s, "needs_review"), json_int(s, "published"), json_int(s, "rejected"));
}

/* campaign status: five lines. */
void campaign_status_text(const cJSON *r, struct sb *out)
{
	const cJSON *campaign = cJSON_GetObjectItem(r, "campaign");
	sb_addf_clean(out, "campaign %s %s\n", S(campaign, "name"), S(campaign, "status"));
	sb_addf(out, "slots %d\n", cJSON_GetArraySize(cJSON_GetObjectItem(r, "slots")));
	text_counts(r, out);
	sb_addf(out, "briefs %d\n", cJSON_GetArraySize(cJSON_GetObjectItem(r, "channel_briefs")));
}

/* campaign dashboard: the SPEC 2.11.5 lines, one line per blocker and one per slot (all slots). */
void campaign_dashboard_text(const cJSON *r, struct sb *out)
{
	const cJSON *campaign = cJSON_GetObjectItem(r, "campaign");
	const cJSON *next = cJSON_GetObjectItem(r, "next_manager_action");
	const cJSON *sum = cJSON_GetObjectItem(r, "summary");
	const cJSON *ap = cJSON_GetObjectItem(r, "approvals");
	const cJSON *blockers = cJSON_GetObjectItem(r, "blockers");
	sb_addf_clean(out, "campaign %s %s\n", S(campaign, "name"), S(campaign, "status"));
	sb_addf_clean(out, "next %s: %s\n", S(next, "action"), S(next, "reason"));
	sb_addf(out, "workers active=%d stale=%d blocked=%d archived=%d\n", json_int(sum, "active_slots"),
		json_int(sum, "stale_slots"), json_int(sum, "blocked_slots"), json_int(sum, "archived_slots"));
	text_counts(r, out);
	sb_addf(out, "approvals needs_review=%d approved=%d rejected=%d published=%d\n", json_int(ap, "needs_review"),
		json_int(ap, "approved"), json_int(ap, "rejected"), json_int(ap, "published"));
	sb_addf(out, "blockers %d\n", cJSON_GetArraySize(blockers));
	const cJSON *it;
	cJSON_ArrayForEach(it, blockers) sb_addf_clean(out, "blocker %s\n", it->valuestring);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "slots"))
	{
		const cJSON *life = cJSON_GetObjectItem(it, "lifecycle");
		sb_addf_clean(out, "slot %s %s %s assignments=%d assets=%d\n", S(it, "slot_key"), S(it, "state"),
			      S(life, "state"), json_int(it, "active_assignments"), json_int(it, "asset_receipts"));
	}
}

/* campaign list: one line per campaign. */
void campaign_list_text(const cJSON *r, struct sb *out)
{
	const cJSON *campaigns = cJSON_GetObjectItem(r, "campaigns"), *it;
	if (!cJSON_GetArraySize(campaigns))
		sb_adds(out, "no campaigns\n");
	cJSON_ArrayForEach(it, campaigns)
	{
		const cJSON *next = cJSON_GetObjectItem(it, "next_manager_action");
		sb_addf_clean(out, "%s %s slots=%d stale=%d assignments=%d assets=%d next=%s\n", S(it, "name"),
			      S(it, "status"), json_int(it, "slot_count"), json_int(it, "stale_slots"),
			      json_int(it, "assignment_count"), json_int(it, "asset_count"), S(next, "action"));
	}
}
