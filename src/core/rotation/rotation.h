#ifndef CONVEYOR_ROTATION_H
#define CONVEYOR_ROTATION_H
/* Codex app worker rotation (SPEC 4): the ownership plan shared by plan and record. */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

/* A computed plan and the rows it was computed from (all owned). */
struct rotation {
	cJSON *task, *binding, *worker, *manager, *handoff; /* handoff is JSON null when none */
	cJSON *blockers;                                     /* array of blocker names, SPEC order */
	cJSON *guard;
};

int rotation_compute(struct ctx *c, const char *task_ref, const char *old_thread, int require_handoff,
		     struct rotation *r, struct err *e);
void rotation_free(struct rotation *r);
cJSON *rotation_old_worker(const struct rotation *r);
cJSON *rotation_task(const struct rotation *r);

/* Text forms of the rotation family's results. */
void rotation_plan_text(const cJSON *r, struct sb *out);
void rotation_record_text(const cJSON *r, struct sb *out);
void telemetry_list_text(const cJSON *r, struct sb *out);

#endif
