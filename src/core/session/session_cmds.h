#ifndef CONVEYOR_SESSION_CMDS_H
#define CONVEYOR_SESSION_CMDS_H
/* Handlers and text forms of the supervision commands (SPEC 3 and 4) the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"


void session_state_text(const cJSON *r, struct sb *out);
void task_tasks_text(const cJSON *r, struct sb *out);
void binding_disposable_text(const cJSON *r, struct sb *out);
void session_heartbeat_text(const cJSON *r, struct sb *out);
void app_heartbeat_text(const cJSON *r, struct sb *out);

#endif
