#ifndef CONVEYOR_COCKPIT_H
#define CONVEYOR_COCKPIT_H
/* The cockpit's entry commands (tui, dashboard): a handler that returns what to open. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"


#endif
