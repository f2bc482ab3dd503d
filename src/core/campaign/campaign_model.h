#ifndef CONVEYOR_CAMPAIGN_MODEL_H
#define CONVEYOR_CAMPAIGN_MODEL_H
/* Reading a campaign for status, dashboard and list: counts, briefs, slots, sessions and lifecycles. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/campaign/campaign_rules.h"
#include "core/base/ctx.h"
#include "core/base/err.h"

struct store;
struct store_stmt;

/* Per-slot statements prepared once per read and re-bound for each slot. */
struct campaign_model {
	struct store *s;
	struct store_stmt *session, *assignments, *assets, *open_count, *asset_count;
};

int model_open(struct campaign_model *v, struct store *s, struct err *e);
void model_close(struct campaign_model *v);
cJSON *model_with_slots(struct campaign_model *v, cJSON *campaign, cJSON **slots, struct err *e);
cJSON *model_start(struct ctx *c, const struct args *a, struct campaign_model *v, cJSON **slots, struct err *e);
/* What model_slot_records counts while it serialises a slot's assignments or assets. */
struct record_scan {
	const char *flag_status; /* records with this status have their titles collected */
	cJSON *flagged;          /* array of those titles */
	int count;               /* records seen */
	int open;                /* records with status queued, active or blocked */
};

cJSON *model_slot_records(struct campaign_model *v, struct store_stmt *st, const char *slot_id, int depth,
			 struct record_scan *scan, struct err *e);
int model_slot_count(struct campaign_model *v, struct store_stmt *st, const char *slot_id, long long *n, struct err *e);
cJSON *model_session(struct campaign_model *v, const char *session_id, struct err *e);
void model_lifecycle(const cJSON *slot, const cJSON *session, long long now_ms, long long stale_after,
		    struct lifecycle *l);
cJSON *model_lifecycle_json(const struct lifecycle *l);
void model_tally_counts(struct campaign_tally *t, const cJSON *base);
cJSON *model_next_action(const struct campaign_tally *t);
long long model_stale_after(const struct args *a);

#endif
