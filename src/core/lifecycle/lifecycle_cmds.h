#ifndef CONVEYOR_LIFECYCLE_CMDS_H
#define CONVEYOR_LIFECYCLE_CMDS_H
/* Handlers and flags of the lifecycle and health commands (SPEC 9.1, 9.2; docs/lifecycle.md). */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"

extern const struct flag_spec lifecycle_finish_flags[];
extern const struct flag_spec lifecycle_stop_flags[];
extern const struct flag_spec reconcile_flags[];

cJSON *lifecycle_finish(struct ctx *c, const struct args *a, struct err *e);
cJSON *lifecycle_stop(struct ctx *c, const struct args *a, struct err *e);
cJSON *reconcile_run(struct ctx *c, const struct args *a, struct err *e);

#endif
