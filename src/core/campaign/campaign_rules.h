#ifndef CONVEYOR_CAMPAIGN_RULES_H
#define CONVEYOR_CAMPAIGN_RULES_H
/* The campaign dashboard's rules, each in one place: slot lifecycle, blockers, next manager action (SPEC 2.11). */
#include <cjson/cJSON.h>

/* What the lifecycle rule reads about one slot and its joined session. */
struct slot_facts {
	const char *state;         /* stored slot state */
	const char *thread_id;     /* slot's Codex app thread id */
	const char *session_id;    /* slot's session_id */
	int has_session;           /* the session row exists */
	const char *session_state; /* active | gone */
	const char *heartbeat;     /* session's last_heartbeat_at */
};

/* A slot's derived lifecycle; age is stale_seconds when has_age. */
struct lifecycle {
	const char *state;
	const char *message;
	int stale;
	int has_age;
	long long age;
};

/* Campaign-wide counts the next-action rule reads. */
struct campaign_tally {
	const char *campaign_status;
	int slots;
	int blocked_slots;
	int stale_slots;
	int missing_meta; /* slots whose lifecycle is needs_session or needs_thread */
	int assignments_queued, assignments_active, assignments_blocked;
	int assets_needs_review, assets_rejected, assets_approved, assets_published;
};

void rules_lifecycle(const struct slot_facts *f, long long now_ms, long long stale_after, struct lifecycle *out);
void rules_blockers(const char *slot_key, const char *stored_state, const char *lifecycle_state,
		    const cJSON *blocked_assignments, const cJSON *rejected_assets, cJSON *out);
void rules_tally_slot(struct campaign_tally *t, const char *stored_state, const struct lifecycle *l);
void rules_next_action(const struct campaign_tally *t, const char **action, const char **reason);

#endif
