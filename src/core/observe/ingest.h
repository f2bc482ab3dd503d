#ifndef CONVEYOR_INGEST_H
#define CONVEYOR_INGEST_H
/* Rollout ingest (SPEC 5.1): new complete lines of a session's rollout become codex_events rows. */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"

/* What one ingest did. */
struct ingest_result {
	long long start_offset; /* where it started reading */
	long long new_offset;   /* just past the last complete line it consumed */
	int new_events;
	int skipped_lines;      /* complete lines that were not a JSON object with a string type */
};

int ingest_session(struct ctx *c, const char *name, struct ingest_result *r, struct err *e);
cJSON *ingest_result_json(const char *name, const struct ingest_result *r);

#endif
