#ifndef CONVEYOR_QUEUE_H
#define CONVEYOR_QUEUE_H
/* The durable commands table (SPEC 1.3 "commands"): mutation receipts with their telemetry. */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"
#include "core/base/ids.h"

/* A command row being driven through pending -> attempted -> succeeded | failed. */
struct queued {
	char id[IDS_LEN];
	char correlation_id[IDS_LEN];
	const char *type;
	const char *task_id;
};

int queue_create(struct ctx *c, struct queued *q, const char *type, const char *task_id, cJSON *payload,
		 struct err *e);
int queue_attempted(struct ctx *c, const struct queued *q, struct err *e);
int queue_finish(struct ctx *c, const struct queued *q, const char *error, cJSON *result, struct err *e);
int queue_lease(struct ctx *c, const struct queued *q, const char *owner, long long lease_ms, struct err *e);

#endif
