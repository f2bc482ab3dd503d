#ifndef CONVEYOR_DISPATCH_SPAWN_H
#define CONVEYOR_DISPATCH_SPAWN_H
/* Keeping one `dispatch --watch` running for pair and the cockpit (SPEC 7.4, 10.1). */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"

#define DISPATCH_FRESH_MS 10000

cJSON *dispatch_ensure(struct ctx *c, const char *dispatcher_id, int detach, struct err *e);
char *dispatch_command_line(const char *prog, const char *dispatcher_id, const char *db_path);

#endif
