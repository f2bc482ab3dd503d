#ifndef CONVEYOR_CAMPAIGN_VIEW_H
#define CONVEYOR_CAMPAIGN_VIEW_H
/* Reading a campaign for status, dashboard and list: counts, briefs, slots, sessions and lifecycles. */
#include <cjson/cJSON.h>

#include "core/args.h"
#include "core/campaign_rules.h"
#include "core/ctx.h"
#include "core/err.h"

struct store;
struct store_stmt;

/* Per-slot statements prepared once per read and re-bound for each slot. */
struct view {
	struct store *s;
	struct store_stmt *session, *assignments, *assets, *open_count, *asset_count;
};

int view_open(struct view *v, struct store *s, struct err *e);
void view_close(struct view *v);
cJSON *view_with_slots(struct view *v, cJSON *campaign, cJSON **slots, struct err *e);
cJSON *view_start(struct ctx *c, const struct args *a, struct view *v, cJSON **slots, struct err *e);
/* What view_slot_records counts while it serialises a slot's assignments or assets. */
struct record_scan {
	const char *flag_status; /* records with this status have their titles collected */
	cJSON *flagged;          /* array of those titles */
	int count;               /* records seen */
	int open;                /* records with status queued, active or blocked */
};

cJSON *view_slot_records(struct view *v, struct store_stmt *st, const char *slot_id, int depth,
			 struct record_scan *scan, struct err *e);
int view_slot_count(struct view *v, struct store_stmt *st, const char *slot_id, long long *n, struct err *e);
cJSON *view_session(struct view *v, const char *session_id, struct err *e);
void view_lifecycle(const cJSON *slot, const cJSON *session, long long now_ms, long long stale_after,
		    struct lifecycle *l);
cJSON *view_lifecycle_json(const struct lifecycle *l);
void view_tally_counts(struct campaign_tally *t, const cJSON *base);
cJSON *view_next_action(const struct campaign_tally *t);
long long view_stale_after(const char *flag_value);

#endif
