#ifndef CONVEYOR_AUDIT_H
#define CONVEYOR_AUDIT_H
/* The two write helpers every family shares (SPEC 1.6): the append-only events log and telemetry. */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"

/* One telemetry_events row (and its telemetry_events_fts twin). */
struct telemetry {
	const char *actor;      /* dispatch | manager | worker | operator | workerctl | system */
	const char *event_type;
	const char *severity;   /* debug | info | warning | error */
	const char *summary;
	const char *task_id;    /* or NULL */
	const char *run_id;     /* or NULL */
	const char *timestamp;  /* NULL means now in millisecond form */
	cJSON *correlation;     /* taken; NULL means {} */
	cJSON *attributes;      /* taken; NULL means {} */
};

int audit_event(struct ctx *c, const char *type, const char *task_id, const char *command_id, cJSON *payload,
		struct err *e);
int audit_telemetry(struct ctx *c, struct telemetry *t, char *id_out, struct err *e);
char *audit_fts_query(const char *query);

#endif
