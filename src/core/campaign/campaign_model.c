/* Shared reads behind campaign status, dashboard and list. */
#include "core/campaign/campaign_model.h"

#include <stdlib.h>
#include <string.h>

#include "core/campaign/campaign.h"
#include "store/store.h"
#include "util/json.h"

/* Prepares the per-slot statements; -1 with e set on failure. */
int model_open(struct campaign_model *v, struct store *s, struct err *e)
{
	memset(v, 0, sizeof *v);
	v->s = s;
	v->session = store_prepare(s, "select codex_app_thread_id, codex_app_thread_title, id, last_heartbeat_at, "
				      "name, role, state from sessions where id = ?");
	v->assignments = store_prepare(s, "select " ASSIGNMENT_COLS " from campaign_assignments "
					  "where slot_id = ? order by created_at, title, id");
	v->assets = store_prepare(s, "select " ASSET_COLS " from campaign_asset_receipts "
				     "where slot_id = ? order by created_at, title, id");
	v->open_count = store_prepare(s, "select count(*) from campaign_assignments "
					 "where slot_id = ? and status in ('queued', 'active', 'blocked')");
	v->asset_count = store_prepare(s, "select count(*) from campaign_asset_receipts where slot_id = ?");
	if (v->session && v->assignments && v->assets && v->open_count && v->asset_count)
		return 0;
	campaign_store_error(s, e);
	model_close(v);
	return -1;
}

/* Finalizes the per-slot statements. */
void model_close(struct campaign_model *v)
{
	store_finalize(v->session);
	store_finalize(v->assignments);
	store_finalize(v->assets);
	store_finalize(v->open_count);
	store_finalize(v->asset_count);
	memset(v, 0, sizeof *v);
}

/* Counts a campaign's rows of table by status into an object with every status key present (zero-filled). */
static cJSON *model_counts(struct store *s, const char *sql, const char *campaign_id, const char *const *statuses,
			  struct err *e)
{
	cJSON *rows = store_rows(s, sql, "s", campaign_id);
	if (!rows)
		return campaign_store_error(s, e);
	cJSON *counts = cJSON_CreateObject();
	for (int i = 0; statuses[i]; i++) {
		double n = 0;
		const cJSON *row;
		cJSON_ArrayForEach(row, rows)
		if (strcmp(json_str(row, "status"), statuses[i]) == 0)
			n = cJSON_GetObjectItem(row, "n")->valuedouble;
		cJSON_AddNumberToObject(counts, statuses[i], n);
	}
	cJSON_Delete(rows);
	return counts;
}

/* The fields status and dashboard share: campaign record, briefs and campaign-wide counts; takes campaign. */
static cJSON *model_base(struct campaign_model *v, cJSON *campaign, struct err *e)
{
	const char *id = json_str(campaign, "id");
	cJSON *base = cJSON_CreateObject();
	cJSON_AddItemToObject(base, "campaign", campaign);
	cJSON *briefs = store_rows(v->s,
				   "select " BRIEF_COLS " from campaign_channel_briefs where campaign_id = ? order by channel",
				   "s", id);
	cJSON *assignments = model_counts(v->s,
					 "select status, count(*) as n from campaign_assignments "
					 "where campaign_id = ? group by status",
					 id, campaign_assignment_statuses, e);
	cJSON *assets = model_counts(v->s,
				    "select status, count(*) as n from campaign_asset_receipts "
				    "where campaign_id = ? group by status",
				    id, campaign_asset_statuses, e);
	if (!briefs || !assignments || !assets) {
		if (!briefs)
			campaign_store_error(v->s, e);
		cJSON_Delete(briefs);
		cJSON_Delete(assignments);
		cJSON_Delete(assets);
		cJSON_Delete(base);
		return NULL;
	}
	cJSON_AddItemToObject(base, "asset_counts", assets);
	cJSON_AddItemToObject(base, "assignment_counts", assignments);
	cJSON_AddItemToObject(base, "channel_briefs", briefs);
	return base;
}

/* The model_base object of campaign (taken) and, in *slots, its slot records in SPEC order (created_at,
 * slot_key); NULL with e set on failure. */
cJSON *model_with_slots(struct campaign_model *v, cJSON *campaign, cJSON **slots, struct err *e)
{
	*slots = store_rows(v->s,
			    "select " SLOT_COLS " from campaign_worker_slots where campaign_id = ? "
			    "order by created_at, slot_key",
			    "s", json_str(campaign, "id"));
	if (!*slots) {
		cJSON_Delete(campaign);
		return campaign_store_error(v->s, e);
	}
	cJSON *base = model_base(v, campaign, e);
	if (!base) {
		cJSON_Delete(*slots);
		*slots = NULL;
	}
	return base;
}

/* Starts reading the --name campaign: looks it up, prepares v, and returns model_with_slots' result; on failure
 * NULL with e set and v closed. */
cJSON *model_start(struct ctx *c, const struct args *a, struct campaign_model *v, cJSON **slots, struct err *e)
{
	*slots = NULL;
	struct store *s = ctx_db(c, e);
	cJSON *campaign = s ? campaign_lookup(s, args_get(a, "--name"), e) : NULL;
	if (!campaign)
		return NULL;
	if (model_open(v, s, e) != 0) {
		cJSON_Delete(campaign);
		return NULL;
	}
	cJSON *base = model_with_slots(v, campaign, slots, e);
	if (!base)
		model_close(v);
	return base;
}

/* Runs one of the per-slot record statements for slot_id and returns the records as one raw JSON array laid
 * out for depth (no per-field cJSON nodes: dashboards carry thousands of records), counting into scan. */
cJSON *model_slot_records(struct campaign_model *v, struct store_stmt *st, const char *slot_id, int depth,
			 struct record_scan *scan, struct err *e)
{
	store_reset(st);
	if (store_bind(st, "s", slot_id) != 0)
		return campaign_store_error(v->s, e);
	int status_col = store_col_find(st, "status"), title_col = store_col_find(st, "title");
	struct sb sb;
	sb_init(&sb);
	sb_reserve(&sb, 1 << 16);
	sb_addc(&sb, '[');
	int rc;
	while ((rc = store_step(st)) == 1) {
		if (scan->count++)
			sb_addc(&sb, ',');
		json_newline(&sb, JSON_PRETTY, depth + 1);
		store_col_row_json(st, &sb, JSON_PRETTY, depth + 1);
		const char *status = store_col_text(st, status_col);
		scan->open += strcmp(status, "queued") == 0 || strcmp(status, "active") == 0 ||
			      strcmp(status, "blocked") == 0;
		if (strcmp(status, scan->flag_status) == 0)
			cJSON_AddItemToArray(scan->flagged, cJSON_CreateString(store_col_text(st, title_col)));
	}
	if (scan->count)
		json_newline(&sb, JSON_PRETTY, depth);
	sb_addc(&sb, ']');
	if (rc < 0) {
		sb_free(&sb);
		return campaign_store_error(v->s, e);
	}
	return json_raw_take(&sb, depth);
}

/* Runs one of the per-slot count statements for slot_id. */
int model_slot_count(struct campaign_model *v, struct store_stmt *st, const char *slot_id, long long *n, struct err *e)
{
	store_reset(st);
	if (store_bind(st, "s", slot_id) != 0 || store_step(st) != 1) {
		campaign_store_error(v->s, e);
		return -1;
	}
	*n = store_col_int(st, 0);
	return 0;
}

/* The dashboard's session object for a slot's session_id: the row's identity and heartbeat, or JSON null. */
cJSON *model_session(struct campaign_model *v, const char *session_id, struct err *e)
{
	if (!session_id)
		return cJSON_CreateNull();
	store_reset(v->session);
	if (store_bind(v->session, "s", session_id) != 0)
		return campaign_store_error(v->s, e);
	int rc = store_step(v->session);
	if (rc < 0)
		return campaign_store_error(v->s, e);
	return rc == 1 ? store_col_row(v->session) : cJSON_CreateNull();
}

/* Derives the lifecycle of a slot record with its session object (or JSON null). */
void model_lifecycle(const cJSON *slot, const cJSON *session, long long now_ms, long long stale_after,
		    struct lifecycle *l)
{
	int has = cJSON_IsObject(session);
	struct slot_facts f = {
		.state = json_str(slot, "state"),
		.thread_id = json_str(slot, "codex_app_thread_id"),
		.session_id = json_str(slot, "session_id"),
		.has_session = has,
		.session_state = has ? json_str(session, "state") : NULL,
		.heartbeat = has ? json_str(session, "last_heartbeat_at") : NULL,
	};
	rules_lifecycle(&f, now_ms, stale_after, l);
}

/* The lifecycle object of a dashboard slot record. */
cJSON *model_lifecycle_json(const struct lifecycle *l)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "operator_message", l->message);
	cJSON_AddBoolToObject(o, "stale", l->stale);
	if (l->has_age)
		cJSON_AddNumberToObject(o, "stale_seconds", (double)l->age);
	else
		cJSON_AddNullToObject(o, "stale_seconds");
	cJSON_AddStringToObject(o, "state", l->state);
	return o;
}

/* Reads one count out of a counts object. */
static int model_count(const cJSON *counts, const char *key)
{
	return (int)cJSON_GetNumberValue(cJSON_GetObjectItem(counts, key));
}

/* Fills the tally's campaign status and assignment/asset counts from a model_base object. */
void model_tally_counts(struct campaign_tally *t, const cJSON *base)
{
	const cJSON *assignments = cJSON_GetObjectItem(base, "assignment_counts");
	const cJSON *assets = cJSON_GetObjectItem(base, "asset_counts");
	t->campaign_status = json_str(cJSON_GetObjectItem(base, "campaign"), "status");
	t->assignments_queued = model_count(assignments, "queued");
	t->assignments_active = model_count(assignments, "active");
	t->assignments_blocked = model_count(assignments, "blocked");
	t->assets_needs_review = model_count(assets, "needs_review");
	t->assets_rejected = model_count(assets, "rejected");
	t->assets_approved = model_count(assets, "approved");
	t->assets_published = model_count(assets, "published");
}

/* The next_manager_action object for a tally. */
cJSON *model_next_action(const struct campaign_tally *t)
{
	const char *action, *reason;
	rules_next_action(t, &action, &reason);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "action", action);
	cJSON_AddStringToObject(o, "reason", reason);
	return o;
}

/* The stale threshold in seconds: --stale-after (already validated as a non-negative integer) or 300. */
long long model_stale_after(const struct args *a)
{
	return args_int_or(a, "--stale-after", 300);
}
