/* campaign assign --notify and campaign review --notify: the campaign's link to Dispatch. The notification is a
 * nudge_worker command addressed to the slot's worker session, which Dispatch types into its tmux pane or leaves
 * in its inbox (docs/dispatch.md). */
#include <string.h>

#include "core/campaign/campaign.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/session/session.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/json.h"
#include "util/sb.h"

/* The worker session a slot names (id, name, role), or NULL with e set when it names none. */
static cJSON *notify_slot_session(struct store *s, const cJSON *slot, struct err *e)
{
	const char *id = json_str(slot, "session_id");
	cJSON *session = id ? optional_row(s, e, "select id, name, role from sessions where id = ?", "s", id) : NULL;
	if (session && cJSON_IsObject(session))
		return session;
	cJSON_Delete(session);
	if (!e->code)
		err_set(e, EXIT_USAGE,
			"--notify needs a worker session on slot %s (campaign attach-slot --session-id sets one)",
			json_str(slot, "slot_key"));
	return NULL;
}

/* Queues text for the slot's worker (payload, taken: the campaign's ids beside the message) and adds the queued
 * command to result as notification. 0, or -1 with e set. */
static int notify_queue(struct ctx *c, const cJSON *slot, const char *text, cJSON *payload, cJSON *result,
			struct err *e)
{
	cJSON *session = notify_slot_session(c->store, slot, e);
	if (!session) {
		cJSON_Delete(payload);
		return -1;
	}
	cJSON_AddStringToObject(payload, "campaign_id", json_str(slot, "campaign_id"));
	cJSON_AddStringToObject(payload, "slot_id", json_str(slot, "id"));
	cJSON_AddStringToObject(payload, "slot_key", json_str(slot, "slot_key"));
	struct enqueue_spec q = {"nudge_worker", NULL, session, text, NULL, NULL, NULL, payload};
	cJSON *queued = enqueue_insert(c, &q, e);
	cJSON_Delete(payload);
	cJSON_Delete(session);
	if (!queued)
		return -1;
	cJSON_AddItemToObject(result, "notification", queued);
	return 0;
}

/* assign --notify: tells the slot's worker about the new assignment and how to report it done (nothing without
 * --notify). */
int campaign_notify_assignment(struct ctx *c, const struct args *a, const cJSON *campaign, const cJSON *slot,
			       const char *assignment_id, cJSON *result, struct err *e)
{
	if (!args_has(a, "--notify"))
		return 0;
	struct sb text;
	sb_init(&text);
	sb_addf(&text, "Campaign %s, slot %s: new assignment \"%s\" (%s).\n%s\nWhen it is done, record it: %s "
		       "campaign update-assignment --name ",
		json_str(campaign, "name"), json_str(slot, "slot_key"), args_get(a, "--title"), assignment_id,
		args_get(a, "--instructions"), c->prog);
	shell_quote(&text, json_str(campaign, "name"));
	sb_addf(&text, " --assignment %s --status done", assignment_id);
	ctx_path_flag(c, &text);
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "assignment_id", assignment_id);
	int rc = notify_queue(c, slot, text.buf, payload, result, e);
	sb_free(&text);
	return rc;
}

/* review --notify: tells the worker of the asset's slot the decision and the notes; a rejection says how to
 * submit the revised asset for review (nothing without --notify). */
int campaign_notify_review(struct ctx *c, const struct args *a, const cJSON *campaign, const cJSON *asset,
			   cJSON *result, struct err *e)
{
	if (!args_has(a, "--notify"))
		return 0;
	cJSON *slot = campaign_slot_lookup(c->store, campaign, json_str(asset, "slot_id"), e);
	if (!slot)
		return -1;
	const char *notes = json_str(asset, "review_notes"), *status = json_str(asset, "status");
	struct sb text;
	sb_init(&text);
	sb_addf(&text, "Campaign %s: your asset \"%s\" (%s) was reviewed: %s.\nReview notes: %s", json_str(campaign, "name"),
		json_str(asset, "title"), json_str(asset, "id"), status, notes ? notes : "none");
	if (strcmp(status, "rejected") == 0) {
		sb_addf(&text, "\nRevise it, then record the new version for review: %s campaign asset --name ", c->prog);
		shell_quote(&text, json_str(campaign, "name"));
		sb_addf(&text, " --slot %s", json_str(slot, "id"));
		if (json_str(asset, "assignment_id"))
			sb_addf(&text, " --assignment %s", json_str(asset, "assignment_id"));
		sb_addf(&text, " --asset-type %s --status needs_review --title ", json_str(asset, "asset_type"));
		shell_quote(&text, json_str(asset, "title"));
		ctx_path_flag(c, &text);
	}
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "asset_receipt_id", json_str(asset, "id"));
	cJSON_AddStringToObject(payload, "review_status", status);
	int rc = notify_queue(c, slot, text.buf, payload, result, e);
	sb_free(&text);
	cJSON_Delete(slot);
	return rc;
}
