#ifndef CONVEYOR_COCKPIT_H
#define CONVEYOR_COCKPIT_H
/* The cockpit's entry commands (tui, dashboard): a handler that returns what to open. */
#include <cjson/cJSON.h>

#include "core/args.h"
#include "core/ctx.h"
#include "core/err.h"

cJSON *cockpit_plan(struct ctx *c, const struct args *a, struct err *e);

#endif
