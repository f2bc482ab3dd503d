#ifndef CONVEYOR_OBSERVE_CMDS_H
#define CONVEYOR_OBSERVE_CMDS_H
/* Handlers and text forms of the observation commands (SPEC 5) the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

cJSON *observe_ingest(struct ctx *c, const struct args *a, struct err *e);
cJSON *observe_classify(struct ctx *c, const struct args *a, struct err *e);
cJSON *observe_cycle(struct ctx *c, const struct args *a, struct err *e);
cJSON *observe_tail(struct ctx *c, const struct args *a, struct err *e);
cJSON *observe_divergences(struct ctx *c, const struct args *a, struct err *e);
cJSON *observe_task_status(struct ctx *c, const struct args *a, struct err *e);

void observe_ingest_text(const cJSON *r, struct sb *out);
void observe_classify_text(const cJSON *r, struct sb *out);
void observe_cycle_text(const cJSON *r, struct sb *out);
void observe_tail_text(const cJSON *r, struct sb *out);
void observe_divergences_text(const cJSON *r, struct sb *out);
void observe_task_status_text(const cJSON *r, struct sb *out);

#endif
