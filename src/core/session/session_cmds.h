#ifndef CONVEYOR_SESSION_CMDS_H
#define CONVEYOR_SESSION_CMDS_H
/* Handlers and text forms of the supervision commands (SPEC 3 and 4) the command table names. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

cJSON *session_register_worker(struct ctx *c, const struct args *a, struct err *e);
cJSON *session_register_manager(struct ctx *c, const struct args *a, struct err *e);
cJSON *session_deregister(struct ctx *c, const struct args *a, struct err *e);
cJSON *session_list(struct ctx *c, const struct args *a, struct err *e);
cJSON *session_heartbeat(struct ctx *c, const struct args *a, struct err *e);
cJSON *task_tasks(struct ctx *c, const struct args *a, struct err *e);
cJSON *task_handoff(struct ctx *c, const struct args *a, struct err *e);
cJSON *binding_bind(struct ctx *c, const struct args *a, struct err *e);
cJSON *binding_unbind(struct ctx *c, const struct args *a, struct err *e);
cJSON *binding_disposable(struct ctx *c, const struct args *a, struct err *e);
cJSON *discover_run(struct ctx *c, const struct args *a, struct err *e);
cJSON *app_heartbeat(struct ctx *c, const struct args *a, struct err *e);
cJSON *rotation_plan(struct ctx *c, const struct args *a, struct err *e);
cJSON *rotation_record(struct ctx *c, const struct args *a, struct err *e);
cJSON *telemetry_list(struct ctx *c, const struct args *a, struct err *e);

void session_state_text(const cJSON *r, struct sb *out);
void task_tasks_text(const cJSON *r, struct sb *out);
void binding_disposable_text(const cJSON *r, struct sb *out);
void session_heartbeat_text(const cJSON *r, struct sb *out);
void app_heartbeat_text(const cJSON *r, struct sb *out);
void rotation_plan_text(const cJSON *r, struct sb *out);
void rotation_record_text(const cJSON *r, struct sb *out);
void telemetry_list_text(const cJSON *r, struct sb *out);

#endif
