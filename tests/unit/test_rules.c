/* Unit tests of the campaign rules: lifecycle table row by row, stale boundary, blockers order, next action rule by rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "core/campaign/campaign_rules.h"
#include "util/clock.h"

#define NOW "2026-01-01T00:10:00.000Z"

/* One lifecycle row: the facts and the expected outcome. */
struct lifecycle_case {
	const char *name;
	struct slot_facts facts;
	const char *state;
	const char *message;
	int stale;
	int has_age;
	long long age;
};

static const struct lifecycle_case lifecycle_cases[] = {
	{"1 archived wins over everything", {"archived", NULL, "s1", 0, NULL, NULL}, "archived", "Worker slot is archived.", 0, 0, 0},
	{"2 blocked", {"blocked", "t", "s1", 1, "active", "2026-01-01T00:09:00.000Z"}, "blocked",
	 "Worker slot is marked blocked.", 0, 0, 0},
	{"needs_session: session row missing", {"active", "t", "s1", 0, NULL, NULL}, "needs_session",
	 "Worker session is gone; register a live worker or attach another session.", 0, 0, 0},
	{"needs_session: session gone", {"active", "t", "s1", 1, "gone", "2026-01-01T00:09:59.000Z"}, "needs_session",
	 "Worker session is gone; register a live worker or attach another session.", 0, 0, 0},
	{"needs_session before needs_thread", {"planned", NULL, "s1", 1, "gone", NULL}, "needs_session",
	 "Worker session is gone; register a live worker or attach another session.", 0, 0, 0},
	{"3 needs_thread (null)", {"active", NULL, NULL, 0, NULL, NULL}, "needs_thread",
	 "Record the Codex app worker thread id for this slot.", 0, 0, 0},
	{"3 needs_thread (empty)", {"idle", "", "s1", 1, "active", NOW}, "needs_thread",
	 "Record the Codex app worker thread id for this slot.", 0, 0, 0},
	{"4a no session, idle", {"idle", "t", NULL, 0, NULL, NULL}, "idle",
	 "Codex app worker slot is idle and ready for assignment.", 0, 0, 0},
	{"4b no session, planned", {"planned", "t", NULL, 0, NULL, NULL}, "planned",
	 "Codex app worker slot is planned and needs activation.", 0, 0, 0},
	{"4c no session, active", {"active", "t", NULL, 0, NULL, NULL}, "active", "Codex app worker slot is active.", 0, 0, 0},
	{"5 stale: no heartbeat", {"active", "t", "s1", 1, "active", NULL}, "stale",
	 "Wake or rotate this worker before assigning more work.", 1, 0, 0},
	{"5 stale: unparseable heartbeat", {"idle", "t", "s1", 1, "active", "yesterday"}, "stale",
	 "Wake or rotate this worker before assigning more work.", 1, 0, 0},
	{"5 stale: 301 s", {"active", "t", "s1", 1, "active", "2026-01-01T00:04:59.000Z"}, "stale",
	 "Wake or rotate this worker before assigning more work.", 1, 1, 301},
	{"6c fresh at exactly 300 s", {"active", "t", "s1", 1, "active", "2026-01-01T00:05:00.000Z"}, "active",
	 "Worker slot is active.", 0, 1, 300},
	{"rounding: 300.4 s is 300 (fresh)", {"active", "t", "s1", 1, "active", "2026-01-01T00:04:59.600Z"}, "active",
	 "Worker slot is active.", 0, 1, 300},
	{"rounding: 300.5 s is 301 (stale)", {"active", "t", "s1", 1, "active", "2026-01-01T00:04:59.500Z"}, "stale",
	 "Wake or rotate this worker before assigning more work.", 1, 1, 301},
	{"6a fresh idle", {"idle", "t", "s1", 1, "active", "2026-01-01T00:09:30Z"}, "idle",
	 "Worker slot is idle and ready for assignment.", 0, 1, 30},
	{"6b fresh planned", {"planned", "t", "s1", 1, "active", "2026-01-01T00:09:30+00:00"}, "planned",
	 "Worker slot is planned and needs activation.", 0, 1, 30},
	{"future heartbeat counts as age 0", {"active", "t", "s1", 1, "active", "2026-01-01T00:20:00.000Z"}, "active",
	 "Worker slot is active.", 0, 1, 0},
};

/* Every lifecycle row gives its state, message, stale flag and stale_seconds. */
static void test_lifecycle_table(void **state)
{
	(void)state;
	long long now;
	assert_int_equal(clock_parse(NOW, &now), 0);
	for (size_t i = 0; i < sizeof lifecycle_cases / sizeof lifecycle_cases[0]; i++) {
		const struct lifecycle_case *c = &lifecycle_cases[i];
		struct lifecycle l;
		rules_lifecycle(&c->facts, now, 300, &l);
		print_message("  %s\n", c->name);
		assert_string_equal(l.state, c->state);
		assert_string_equal(l.message, c->message);
		assert_int_equal(l.stale, c->stale);
		assert_int_equal(l.has_age, c->has_age);
		if (c->has_age)
			assert_int_equal(l.age, c->age);
	}
}

/* The stale threshold is a parameter: with 60 s, 61 s is stale and 60 s fresh. */
static void test_stale_after_parameter(void **state)
{
	(void)state;
	long long now;
	assert_int_equal(clock_parse(NOW, &now), 0);
	struct slot_facts f = {"active", "t", "s1", 1, "active", "2026-01-01T00:09:00.000Z"};
	struct lifecycle l;
	rules_lifecycle(&f, now, 60, &l);
	assert_string_equal(l.state, "active");
	assert_int_equal(l.age, 60);
	f.heartbeat = "2026-01-01T00:08:59.000Z";
	rules_lifecycle(&f, now, 60, &l);
	assert_string_equal(l.state, "stale");
	assert_int_equal(l.age, 61);
}

/* Builds an array of title strings. */
static cJSON *titles(const char *const *list)
{
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; list[i]; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(list[i]));
	return arr;
}

/* Asserts the blocker array equals the expected strings in order. */
static void assert_blockers(const cJSON *got, const char *const *want)
{
	int n = 0;
	while (want[n])
		n++;
	assert_int_equal(cJSON_GetArraySize(got), n);
	for (int i = 0; i < n; i++)
		assert_string_equal(cJSON_GetArrayItem(got, i)->valuestring, want[i]);
}

/* Blockers come in the SPEC order: stored blocked, needs_session, needs_thread, stale, then the blocked
 * assignments and rejected assets (titles in record order). */
static void test_blocker_order(void **state)
{
	(void)state;
	const char *const as[] = {"Cut A", "Cut C", NULL};
	const char *const ss[] = {"Img 1", "Img 3", NULL};
	cJSON *assignments = titles(as), *assets = titles(ss);
	cJSON *out = cJSON_CreateArray();
	rules_blockers("tiktok", "blocked", "blocked", assignments, assets, out);
	const char *const want1[] = {"worker slot tiktok is blocked", "assignment Cut A is blocked",
				     "assignment Cut C is blocked", "asset Img 1 is rejected", "asset Img 3 is rejected",
				     NULL};
	assert_blockers(out, want1);
	cJSON_Delete(out);
	const char *const lifecycles[] = {"needs_session", "needs_thread", "stale"};
	const char *const texts[] = {"worker slot k has no registered worker session",
				     "worker slot k has no Codex app thread id", "worker slot k heartbeat is stale"};
	for (int i = 0; i < 3; i++) {
		out = cJSON_CreateArray();
		rules_blockers("k", "active", lifecycles[i], assignments, NULL, out);
		const char *const want[] = {texts[i], "assignment Cut A is blocked", "assignment Cut C is blocked", NULL};
		assert_blockers(out, want);
		cJSON_Delete(out);
	}
	out = cJSON_CreateArray();
	rules_blockers("k", "archived", "archived", assignments, assets, out);
	const char *const want_archived[] = {"assignment Cut A is blocked", "assignment Cut C is blocked",
					     "asset Img 1 is rejected", "asset Img 3 is rejected", NULL};
	assert_blockers(out, want_archived);
	cJSON_Delete(out);
	out = cJSON_CreateArray();
	rules_blockers("k", "active", "active", NULL, NULL, out);
	assert_int_equal(cJSON_GetArraySize(out), 0);
	cJSON_Delete(out);
	cJSON_Delete(assignments);
	cJSON_Delete(assets);
}

/* Asserts the next action for a tally. */
static void assert_next(const struct campaign_tally *t, const char *action, const char *reason)
{
	const char *a, *r;
	rules_next_action(t, &a, &r);
	assert_string_equal(a, action);
	assert_string_equal(r, reason);
}

/* Each next-action rule fires when it is the first that matches, and not before a higher one. */
static void test_next_action_rules(void **state)
{
	(void)state;
	struct campaign_tally t = {.campaign_status = "active"};
	assert_next(&t, "add_worker_slots", "Campaign has no worker slots.");
	t.slots = 2;
	assert_next(&t, "assign_work", "Worker slots exist but no assignments or reviewable assets are present.");
	t.assets_approved = 1;
	assert_next(&t, "close_campaign", "No active work remains and approved/published assets exist.");
	t.assets_approved = 0;
	t.assets_published = 1;
	assert_next(&t, "close_campaign", "No active work remains and approved/published assets exist.");
	t.assignments_queued = 1;
	assert_next(&t, "monitor_workers", "Assignments are queued or active.");
	t.assignments_queued = 0;
	t.assignments_active = 1;
	assert_next(&t, "monitor_workers", "Assignments are queued or active.");
	t.assets_needs_review = 1;
	assert_next(&t, "review_assets", "Assets need review or rejection follow-up.");
	t.assets_needs_review = 0;
	t.assets_rejected = 1;
	assert_next(&t, "review_assets", "Assets need review or rejection follow-up.");
	t.assignments_blocked = 1;
	assert_next(&t, "resolve_assignment_blockers", "One or more assignments are blocked.");
	t.missing_meta = 1;
	assert_next(&t, "wake_or_rotate_workers",
		    "One or more worker slots are stale or missing session/thread metadata.");
	t.missing_meta = 0;
	t.stale_slots = 1;
	assert_next(&t, "wake_or_rotate_workers",
		    "One or more worker slots are stale or missing session/thread metadata.");
	t.blocked_slots = 1;
	assert_next(&t, "resolve_worker_blockers", "One or more worker slots are blocked.");
	t.campaign_status = "paused";
	assert_next(&t, "resolve_worker_blockers", "One or more worker slots are blocked.");
	t.campaign_status = "done";
	assert_next(&t, "none", "Campaign is done.");
	t.campaign_status = "archived";
	assert_next(&t, "none", "Campaign is archived.");
	struct campaign_tally empty_draft = {.campaign_status = "active", .slots = 1};
	assert_next(&empty_draft, "assign_work", "Worker slots exist but no assignments or reviewable assets are present.");
}

/* The tally counts stored blocked slots, stale lifecycles and missing session/thread metadata. */
static void test_tally(void **state)
{
	(void)state;
	struct campaign_tally t = {0};
	struct lifecycle stale = {"stale", "", 1, 1, 400}, thread = {"needs_thread", "", 0, 0, 0},
			 session = {"needs_session", "", 0, 0, 0}, active = {"active", "", 0, 1, 3};
	rules_tally_slot(&t, "active", &stale);
	rules_tally_slot(&t, "planned", &thread);
	rules_tally_slot(&t, "active", &session);
	rules_tally_slot(&t, "blocked", &active);
	assert_int_equal(t.slots, 4);
	assert_int_equal(t.stale_slots, 1);
	assert_int_equal(t.missing_meta, 2);
	assert_int_equal(t.blocked_slots, 1);
}

/* Runs the rules tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lifecycle_table),
		cmocka_unit_test(test_stale_after_parameter),
		cmocka_unit_test(test_blocker_order),
		cmocka_unit_test(test_next_action_rules),
		cmocka_unit_test(test_tally),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
