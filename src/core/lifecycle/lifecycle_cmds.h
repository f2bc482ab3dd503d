#ifndef CONVEYOR_LIFECYCLE_CMDS_H
#define CONVEYOR_LIFECYCLE_CMDS_H
/* Handlers and flags of the lifecycle and health commands (SPEC 9.1, 9.2; docs/lifecycle.md). */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"



#endif
