#ifndef CONVEYOR_CAMPAIGN_CMDS_H
#define CONVEYOR_CAMPAIGN_CMDS_H
/* The campaign handlers and text forms the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

cJSON *campaign_rotate_slot(struct ctx *c, const struct args *a, struct err *e);
cJSON *campaign_status(struct ctx *c, const struct args *a, struct err *e);

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
