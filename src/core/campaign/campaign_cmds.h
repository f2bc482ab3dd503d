#ifndef CONVEYOR_CAMPAIGN_CMDS_H
#define CONVEYOR_CAMPAIGN_CMDS_H
/* The campaign handlers and text forms the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

cJSON *campaign_create(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_add_slot(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_attach_slot(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_rotate_slot(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_archive_slot(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_brief(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_assign(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_asset(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_status(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_dashboard(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_list(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_set_status(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_update_assignment(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_review(struct ctx *c, const struct args *a, struct err *e);

void campaign_create_text(const cJSON *r, struct sb *out);
void campaign_add_slot_text(const cJSON *r, struct sb *out);
void campaign_slot_text(const cJSON *r, struct sb *out);
void campaign_rotate_slot_text(const cJSON *r, struct sb *out);
void campaign_brief_text(const cJSON *r, struct sb *out);
void campaign_assign_text(const cJSON *r, struct sb *out);
void campaign_asset_text(const cJSON *r, struct sb *out);
void campaign_set_status_text(const cJSON *r, struct sb *out);
void campaign_change_text(const cJSON *r, struct sb *out);
void campaign_status_text(const cJSON *r, struct sb *out);
void campaign_dashboard_text(const cJSON *r, struct sb *out);
void campaign_list_text(const cJSON *r, struct sb *out);

#endif
