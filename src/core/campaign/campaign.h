#ifndef CONVEYOR_CAMPAIGN_H
#define CONVEYOR_CAMPAIGN_H
/* Shared by the campaign handlers (SPEC section 2): lookups, validation, receipts guard, audit events, records. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "core/base/secret.h"
#include "util/json.h"

struct store;

/* The enum value lists, in the order their error messages print them. */
extern const char *const campaign_slot_states[];
extern const char *const campaign_assignment_statuses[];
extern const char *const campaign_asset_statuses[];
extern const char *const campaign_review_statuses[];
extern const char *const campaign_statuses[];
extern const char *const campaign_asset_types[];

/* Column lists whose output keys are already in sorted order (X_json columns become key X). */
#define CAMPAIGN_COLS "created_at, id, metadata_json, name, objective, status, updated_at"
#define SLOT_COLS                                                                                          \
	"campaign_id, channel, codex_app_thread_id, codex_app_thread_title, created_at, id, metadata_json, " \
	"role_label, session_id, slot_key, state, updated_at"
#define ASSIGNMENT_COLS                                                                                  \
	"campaign_id, completed_at, created_at, id, instructions, metadata_json, slot_id, status, title, " \
	"updated_at"
#define ASSET_COLS                                                                                           \
	"artifact_path, asset_type, assignment_id, campaign_id, channel, created_at, id, metadata_json, "      \
	"prompt_summary, review_notes, reviewed_at, reviewer, slot_id, status, title"
#define BRIEF_COLS "brief_json, campaign_id, channel, created_at, id, updated_at"

/* One value a receipts guard looks at: the flag it came from and its text or parsed JSON. */
struct campaign_scan {
	const char *flag;
	enum secret_field field;
	const char *text;
	const cJSON *json;
};

const char *campaign_name(const struct args *a, struct err *e);
int campaign_require(const struct args *a, const char *flag, struct err *e);
int campaign_enum(const char *value, const char *const *allowed, const char *flag, struct err *e);
cJSON *campaign_json_flag(const struct args *a, const char *flag, struct err *e);
int campaign_guard(struct ctx *c, const struct args *a, const struct campaign_scan *scan, int n,
		   cJSON **approval, struct err *e);
void campaign_approve(cJSON *metadata, cJSON *approval);
cJSON *campaign_metadata(struct ctx *c, const struct args *a, const struct campaign_scan *scan, int n, int *approved,
			 struct err *e);

cJSON *campaign_lookup(struct store *s, const char *ref, struct err *e);
cJSON *campaign_slot_lookup(struct store *s, const cJSON *campaign, const char *ref, struct err *e);
cJSON *campaign_assignment_lookup(struct store *s, const cJSON *campaign, const char *id, struct err *e);
cJSON *campaign_asset_lookup(struct store *s, const cJSON *campaign, const char *id, struct err *e);
int campaign_worker_session(struct store *s, const char *session_id, struct err *e);
int campaign_event(struct ctx *c, const char *action, cJSON *payload, struct err *e);
void *campaign_store_error(struct store *s, struct err *e);
cJSON *campaign_result(const char *action, const struct args *a);
int campaign_notify_assignment(struct ctx *c, const struct args *a, const cJSON *campaign, const cJSON *slot,
			       const char *assignment_id, cJSON *result, struct err *e);
int campaign_notify_review(struct ctx *c, const struct args *a, const cJSON *campaign, const cJSON *asset,
			   cJSON *result, struct err *e);

/* The flags every campaign action accepts (SPEC 2.1), declared in campaign_commands.c. */
extern const struct flag_spec campaign_flags[];

#endif
