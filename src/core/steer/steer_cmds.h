#ifndef CONVEYOR_STEER_CMDS_H
#define CONVEYOR_STEER_CMDS_H
/* Handlers and text forms of the actuation commands (SPEC 7 and 9.4) the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

cJSON *start_worker(struct ctx *c, const struct args *a, struct err *e);
cJSON *start_manager(struct ctx *c, const struct args *a, struct err *e);

void steer_nudge_text(const cJSON *r, struct sb *out);
void steer_interrupt_text(const cJSON *r, struct sb *out);
void doctor_text(const cJSON *r, struct sb *out);

#endif
