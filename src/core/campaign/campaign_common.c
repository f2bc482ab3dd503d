/* Helpers every campaign action uses: flag validation, the receipts guard, lookups and audit events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/campaign/campaign.h"
#include "store/store.h"
#include "util/json.h"

const char *const campaign_slot_states[] = {"active", "archived", "blocked", "idle", "planned", NULL};
const char *const campaign_assignment_statuses[] = {"active", "blocked", "cancelled", "done", "queued", NULL};
const char *const campaign_asset_statuses[] = {"approved", "draft", "needs_review", "published", "rejected", NULL};
const char *const campaign_review_statuses[] = {"approved", "needs_review", "published", "rejected", NULL};
const char *const campaign_statuses[] = {"active", "archived", "blocked", "done", "paused", NULL};
const char *const campaign_asset_types[] = {"audio", "copy", "hyperframes", "image", "other", "video", NULL};

/* The campaign named by exactly one --name (SPEC 2.1 rule 4); NULL with e set otherwise. */
const char *campaign_name(const struct args *a, struct err *e)
{
	if (args_count(a, "--name") != 1)
		return err_null(e, EXIT_USAGE, "campaign requires exactly one --name <campaign>");
	return args_get(a, "--name");
}

/* Fails with "campaign requires <flag>" when a required flag is missing. */
int campaign_require(const struct args *a, const char *flag, struct err *e)
{
	if (args_get(a, flag))
		return 0;
	err_set(e, EXIT_USAGE, "campaign requires %s", flag);
	return -1;
}

/* Fails with "<flag> must be one of: ..." unless value (when given) is in allowed. */
int campaign_enum(const char *value, const char *const *allowed, const char *flag, struct err *e)
{
	if (!value)
		return 0;
	char list[256] = "";
	for (int i = 0; allowed[i]; i++) {
		if (strcmp(value, allowed[i]) == 0)
			return 0;
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "", allowed[i]);
	}
	err_set(e, EXIT_USAGE, "%s must be one of: %s", flag, list);
	return -1;
}

/* Parses a JSON-object flag; absent means {} (SPEC 2.1 rule 8). NULL with e set when invalid. */
cJSON *campaign_json_flag(const struct args *a, const char *flag, struct err *e)
{
	const cJSON *v;
	if (args_json(a, flag, &v, e) != 0)
		return NULL;
	return v ? cJSON_Duplicate(v, 1) : cJSON_CreateObject();
}

/* Records a finding for an approved receipt, or refuses it; -1 with e set (the secret is never echoed). */
static int campaign_finding(cJSON *findings, int approved, const char *flag, const char *kind, struct err *e)
{
	if (!approved) {
		err_set(e, EXIT_USAGE,
			"%s contains what looks like %s; receipts never hold secrets, keys or archives unless a human "
			"approved them (--human-approved)", flag, kind);
		return -1;
	}
	cJSON *f = cJSON_CreateObject();
	cJSON_AddStringToObject(f, "flag", flag);
	cJSON_AddStringToObject(f, "kind", kind);
	cJSON_AddItemToArray(findings, f);
	return 0;
}

/* The receipt's text values joined end to end (a token split across two fields becomes whole again) with the
 * names of their flags in names; NULL when fewer than two values are given. */
static char *campaign_joined(const struct campaign_scan *scan, int n, struct sb *names)
{
	struct sb text;
	sb_init(&text);
	int count = 0;
	for (int i = 0; i < n; i++) {
		if (scan[i].json || !scan[i].text || scan[i].field != SECRET_TEXT)
			continue;
		sb_adds(&text, scan[i].text);
		sb_addf(names, "%s%s", count++ ? " + " : "the values of ", scan[i].flag);
	}
	if (count < 2) {
		sb_free(&text);
		return NULL;
	}
	sb_adds(names, " joined");
	return sb_take(&text);
}

/* The receipts guard: refuses values that look like secrets or packaged artifacts unless --human-approved,
 * in which case *approval (NULL when nothing was found) describes what a human let through. Each value is scanned
 * alone, then the text values together for a token split across fields (the table's rules only: two ordinary
 * values joined are not a random key). 0 or -1 with e set (the secret is never echoed). */
int campaign_guard(struct ctx *c, const struct args *a, const struct campaign_scan *scan, int n,
		   cJSON **approval, struct err *e)
{
	int approved = args_has(a, "--human-approved"), rc = 0;
	cJSON *findings = cJSON_CreateArray();
	*approval = NULL;
	for (int i = 0; i < n && rc == 0; i++) {
		const char *kind = scan[i].json ? secret_scan_json(scan[i].json) : secret_scan(scan[i].text, scan[i].field);
		if (kind)
			rc = campaign_finding(findings, approved, scan[i].flag, kind, e);
	}
	struct sb names;
	sb_init(&names);
	char *joined = rc == 0 && !cJSON_GetArraySize(findings) ? campaign_joined(scan, n, &names) : NULL;
	const char *kind = joined ? secret_scan_table(joined, SECRET_TEXT) : NULL;
	if (kind)
		rc = campaign_finding(findings, approved, names.buf, kind, e);
	free(joined);
	sb_free(&names);
	if (rc != 0 || !cJSON_GetArraySize(findings)) {
		cJSON_Delete(findings);
		return rc;
	}
	*approval = cJSON_CreateObject();
	cJSON_AddStringToObject(*approval, "approved_at", c->now);
	cJSON_AddItemToObject(*approval, "findings", findings);
	return 0;
}

/* The metadata of a receipt-writing action: --metadata-json (or {}), after the receipts guard checked it and the
 * action's own values in scan; an approval is recorded in it and reported in *approved. NULL with e set. */
cJSON *campaign_metadata(struct ctx *c, const struct args *a, const struct campaign_scan *scan, int n, int *approved,
			 struct err *e)
{
	cJSON *meta = campaign_json_flag(a, "--metadata-json", e), *approval;
	struct campaign_scan all[8];
	if (!meta)
		return NULL;
	if (n > 7)
		abort();
	if (n)
		memcpy(all, scan, (size_t)n * sizeof *scan);
	all[n] = (struct campaign_scan){"--metadata-json", SECRET_TEXT, NULL, meta};
	if (campaign_guard(c, a, all, n + 1, &approval, e) != 0) {
		cJSON_Delete(meta);
		return NULL;
	}
	*approved = approval != NULL;
	campaign_approve(meta, approval);
	return meta;
}

/* Records a human approval in a receipt's metadata under "human_approval" (takes ownership of approval); an
 * earlier approval's findings are kept (new ones appended once), so every approved value stays accounted for. */
void campaign_approve(cJSON *metadata, cJSON *approval)
{
	if (!approval)
		return;
	cJSON *earlier = cJSON_DetachItemFromObjectCaseSensitive(metadata, "human_approval");
	cJSON *old = cJSON_GetObjectItemCaseSensitive(earlier, "findings");
	if (cJSON_IsArray(old)) {
		cJSON *fresh = cJSON_DetachItemFromObjectCaseSensitive(approval, "findings"), *f;
		cJSON *findings = cJSON_Duplicate(old, 1);
		while ((f = cJSON_DetachItemFromArray(fresh, 0))) {
			const cJSON *seen;
			int dup = 0;
			cJSON_ArrayForEach(seen, findings) dup |= cJSON_Compare(seen, f, 1);
			if (dup)
				cJSON_Delete(f);
			else
				cJSON_AddItemToArray(findings, f);
		}
		cJSON_Delete(fresh);
		cJSON_AddItemToObject(approval, "findings", findings);
	}
	cJSON_Delete(earlier);
	cJSON_AddItemToObject(metadata, "human_approval", approval);
}

/* Turns the store's last error into the command's error; returns NULL for `return campaign_store_error(...)`. */
void *campaign_store_error(struct store *s, struct err *e)
{
	return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
}

/* The campaign whose id or name is ref, newest first (SPEC 0.4). */
cJSON *campaign_lookup(struct store *s, const char *ref, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row,
			   "select " CAMPAIGN_COLS " from campaigns where id = ?1 or name = ?1 "
			   "order by created_at desc limit 1",
			   "s", ref);
	if (rc < 0)
		return campaign_store_error(s, e);
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "unknown campaign: %s", ref);
	return row;
}

/* The slot named by ref (a slot id, or a slot key within the campaign); it must belong to the campaign. */
cJSON *campaign_slot_lookup(struct store *s, const cJSON *campaign, const char *ref, struct err *e)
{
	const char *campaign_id = json_str(campaign, "id");
	cJSON *row;
	int rc = store_row(s, &row, "select " SLOT_COLS " from campaign_worker_slots where id = ?", "s", ref);
	if (rc == 0)
		rc = store_row(s, &row,
			       "select " SLOT_COLS " from campaign_worker_slots where campaign_id = ? and slot_key = ?",
			       "ss", campaign_id, ref);
	if (rc < 0)
		return campaign_store_error(s, e);
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "unknown campaign worker slot: %s", ref);
	if (strcmp(json_str(row, "campaign_id"), campaign_id) != 0) {
		cJSON_Delete(row);
		return err_null(e, EXIT_USAGE, "slot does not belong to campaign %s", campaign_id);
	}
	return row;
}

/* The assignment with this id; it must belong to the campaign. */
cJSON *campaign_assignment_lookup(struct store *s, const cJSON *campaign, const char *id, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select " ASSIGNMENT_COLS " from campaign_assignments where id = ?", "s", id);
	if (rc < 0)
		return campaign_store_error(s, e);
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "unknown campaign assignment: %s", id);
	if (strcmp(json_str(row, "campaign_id"), json_str(campaign, "id")) != 0) {
		cJSON_Delete(row);
		return err_null(e, EXIT_USAGE, "assignment does not belong to campaign %s", json_str(campaign, "id"));
	}
	return row;
}

/* The asset receipt with this id; it must belong to the campaign. */
cJSON *campaign_asset_lookup(struct store *s, const cJSON *campaign, const char *id, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select " ASSET_COLS " from campaign_asset_receipts where id = ?", "s", id);
	if (rc < 0)
		return campaign_store_error(s, e);
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "unknown campaign asset receipt: %s", id);
	if (strcmp(json_str(row, "campaign_id"), json_str(campaign, "id")) != 0) {
		cJSON_Delete(row);
		return err_null(e, EXIT_USAGE, "asset receipt does not belong to campaign %s",
				json_str(campaign, "id"));
	}
	return row;
}

/* Checks that session_id names an existing session with role worker (its state is not checked). */
int campaign_worker_session(struct store *s, const char *session_id, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select role from sessions where id = ?", "s", session_id);
	if (rc < 0) {
		campaign_store_error(s, e);
		return -1;
	}
	if (rc == 0) {
		err_set(e, EXIT_USAGE, "unknown session: %s", session_id);
		return -1;
	}
	const char *role = json_str(row, "role");
	int ok = role && strcmp(role, "worker") == 0;
	if (!ok)
		err_set(e, EXIT_USAGE, "campaign worker slot requires a worker session, got %s", role ? role : "null");
	cJSON_Delete(row);
	return ok ? 0 : -1;
}

/* Appends the audit event campaign_<action> (dashes become underscores) with payload, in the command's transaction; takes payload. */
int campaign_event(struct ctx *c, const char *action, cJSON *payload, struct err *e)
{
	char type[64];
	snprintf(type, sizeof type, "campaign_%s", action);
	for (char *p = type; *p; p++)
		if (*p == '-')
			*p = '_';
	return audit_event(c, type, NULL, NULL, payload, e);
}

/* Starts an action's JSON result: {"action": ..., "campaign": <--name as given>}. */
cJSON *campaign_result(const char *action, const struct args *a)
{
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "action", action);
	cJSON_AddStringToObject(r, "campaign", args_get(a, "--name"));
	return r;
}
