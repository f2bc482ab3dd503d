#ifndef CONVEYOR_ROLLOUT_H
#define CONVEYOR_ROLLOUT_H
/* Codex rollout JSONL files: what registration needs from the first line. */
#include <cjson/cJSON.h>

#include "core/base/err.h"

/* The session_meta facts of a rollout (strings owned by the struct). */
struct rollout_meta {
	char *id;  /* session_meta.payload.id */
	char *cwd; /* session_meta.payload.cwd, or NULL */
};

int rollout_meta_read(const char *path, struct rollout_meta *m, struct err *e);
void rollout_meta_free(struct rollout_meta *m);

/* One parsed rollout line (SPEC 5.1): record owns the parsed JSON; the other fields point into it. */
struct rollout_event {
	cJSON *record;
	const char *type;      /* record.type */
	const char *subtype;   /* payload.type of an event_msg, else NULL */
	const cJSON *payload;  /* record.payload when an object, else NULL (stored as {}) */
	const char *timestamp; /* record.timestamp when a non-empty string, else NULL */
};

/* What a record says about the worker's turn: busy once a turn starts, idle once it ends. */
enum rollout_state { ROLLOUT_NONE, ROLLOUT_BUSY, ROLLOUT_IDLE };

/* Called for each complete line; a non-zero return stops the scan after this line. */
typedef int (*rollout_line_fn)(void *arg, const char *line, size_t len, long long start_offset);

long long rollout_each_line(const char *path, long long offset, rollout_line_fn fn, void *arg, struct err *e);
int rollout_event_parse(const char *line, size_t len, struct rollout_event *ev);
enum rollout_state rollout_state_of(const char *type, const char *subtype, const cJSON *payload);
const char *rollout_state_name(enum rollout_state s);

#endif
