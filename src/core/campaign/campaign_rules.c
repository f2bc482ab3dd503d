/* Slot lifecycle derivation, blocker strings and the next-manager-action priority (SPEC 2.11.2-2.11.4). */
#include "core/campaign/campaign_rules.h"

#include <string.h>

#include "util/clock.h"
#include "util/sb.h"

/* Whether s is NULL or empty. */
static int rules_blank(const char *s)
{
	return !s || !*s;
}

/* Sets the lifecycle fields in one go. */
static void rules_set(struct lifecycle *out, const char *state, const char *message, int stale)
{
	out->state = state;
	out->message = message;
	out->stale = stale;
}

/* Derives a slot's lifecycle: first matching rule wins; a slot whose session is gone or missing is needs_session. */
void rules_lifecycle(const struct slot_facts *f, long long now_ms, long long stale_after, struct lifecycle *out)
{
	out->has_age = 0;
	out->age = 0;
	if (strcmp(f->state, "archived") == 0)
		return rules_set(out, "archived", "Worker slot is archived.", 0);
	if (strcmp(f->state, "blocked") == 0)
		return rules_set(out, "blocked", "Worker slot is marked blocked.", 0);
	if (!rules_blank(f->session_id) &&
	    (!f->has_session || (f->session_state && strcmp(f->session_state, "gone") == 0)))
		return rules_set(out, "needs_session",
				 "Worker session is gone; register a live worker or attach another session.", 0);
	if (rules_blank(f->thread_id))
		return rules_set(out, "needs_thread", "Record the Codex app worker thread id for this slot.", 0);
	if (!f->has_session) {
		if (strcmp(f->state, "idle") == 0)
			return rules_set(out, "idle", "Codex app worker slot is idle and ready for assignment.", 0);
		if (strcmp(f->state, "planned") == 0)
			return rules_set(out, "planned", "Codex app worker slot is planned and needs activation.", 0);
		return rules_set(out, "active", "Codex app worker slot is active.", 0);
	}
	long long beat;
	if (f->heartbeat && clock_parse(f->heartbeat, &beat) == 0) {
		long long ms = now_ms - beat;
		out->has_age = 1;
		out->age = ms > 0 ? (ms + 500) / 1000 : 0;
	}
	if (!out->has_age || out->age > stale_after)
		return rules_set(out, "stale", "Wake or rotate this worker before assigning more work.", 1);
	if (strcmp(f->state, "idle") == 0)
		return rules_set(out, "idle", "Worker slot is idle and ready for assignment.", 0);
	if (strcmp(f->state, "planned") == 0)
		return rules_set(out, "planned", "Worker slot is planned and needs activation.", 0);
	rules_set(out, "active", "Worker slot is active.", 0);
}

/* Appends a formatted blocker string to out. */
static void rules_add(cJSON *out, const char *fmt, const char *arg)
{
	struct sb sb;
	sb_init(&sb);
	sb_addf(&sb, fmt, arg ? arg : "");
	cJSON_AddItemToArray(out, cJSON_CreateString(sb.buf));
	sb_free(&sb);
}

/* Appends a slot's blocker strings to out, in the fixed order of SPEC 2.11.3; blocked_assignments and
 * rejected_assets are the titles of the slot's blocked assignments and rejected assets, in record order. */
void rules_blockers(const char *slot_key, const char *stored_state, const char *lifecycle_state,
		    const cJSON *blocked_assignments, const cJSON *rejected_assets, cJSON *out)
{
	if (strcmp(stored_state, "blocked") == 0)
		rules_add(out, "worker slot %s is blocked", slot_key);
	if (strcmp(lifecycle_state, "needs_session") == 0)
		rules_add(out, "worker slot %s has no registered worker session", slot_key);
	if (strcmp(lifecycle_state, "needs_thread") == 0)
		rules_add(out, "worker slot %s has no Codex app thread id", slot_key);
	if (strcmp(lifecycle_state, "stale") == 0)
		rules_add(out, "worker slot %s heartbeat is stale", slot_key);
	const cJSON *it;
	cJSON_ArrayForEach(it, blocked_assignments) rules_add(out, "assignment %s is blocked", it->valuestring);
	cJSON_ArrayForEach(it, rejected_assets) rules_add(out, "asset %s is rejected", it->valuestring);
}

/* Counts one slot into the campaign tally. */
void rules_tally_slot(struct campaign_tally *t, const char *stored_state, const struct lifecycle *l)
{
	t->slots++;
	t->blocked_slots += strcmp(stored_state, "blocked") == 0;
	t->stale_slots += l->stale;
	t->missing_meta += strcmp(l->state, "needs_session") == 0 || strcmp(l->state, "needs_thread") == 0;
}

/* The manager's next action: first matching rule wins; a done or archived campaign needs none. */
void rules_next_action(const struct campaign_tally *t, const char **action, const char **reason)
{
	static const struct {
		const char *action, *reason;
	} rules[] = {
		{"none", "Campaign is done."},
		{"none", "Campaign is archived."},
		{"add_worker_slots", "Campaign has no worker slots."},
		{"resolve_worker_blockers", "One or more worker slots are blocked."},
		{"wake_or_rotate_workers", "One or more worker slots are stale or missing session/thread metadata."},
		{"resolve_assignment_blockers", "One or more assignments are blocked."},
		{"review_assets", "Assets need review or rejection follow-up."},
		{"monitor_workers", "Assignments are queued or active."},
		{"close_campaign", "No active work remains and approved/published assets exist."},
		{"assign_work", "Worker slots exist but no assignments or reviewable assets are present."},
	};
	const char *status = t->campaign_status ? t->campaign_status : "";
	int hit[] = {
		strcmp(status, "done") == 0,
		strcmp(status, "archived") == 0,
		t->slots == 0,
		t->blocked_slots > 0,
		t->stale_slots > 0 || t->missing_meta > 0,
		t->assignments_blocked > 0,
		t->assets_needs_review > 0 || t->assets_rejected > 0,
		t->assignments_queued > 0 || t->assignments_active > 0,
		t->assets_approved > 0 || t->assets_published > 0,
		1,
	};
	size_t i = 0;
	while (!hit[i])
		i++;
	*action = rules[i].action;
	*reason = rules[i].reason;
}
