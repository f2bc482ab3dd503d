#ifndef CONVEYOR_OBSERVE_CMDS_H
#define CONVEYOR_OBSERVE_CMDS_H
/* Handlers and text forms of the observation commands (SPEC 5) the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"


void observe_classify_text(const cJSON *r, struct sb *out);
void observe_cycle_text(const cJSON *r, struct sb *out);
void observe_tail_text(const cJSON *r, struct sb *out);
void observe_divergences_text(const cJSON *r, struct sb *out);
void observe_task_status_text(const cJSON *r, struct sb *out);

#endif
