#ifndef CONVEYOR_ROLLOUT_H
#define CONVEYOR_ROLLOUT_H
/* Codex rollout JSONL files: what registration needs from the first line. */
#include "core/err.h"

/* The session_meta facts of a rollout (strings owned by the struct). */
struct rollout_meta {
	char *id;  /* session_meta.payload.id */
	char *cwd; /* session_meta.payload.cwd, or NULL */
};

int rollout_meta_read(const char *path, struct rollout_meta *m, struct err *e);
void rollout_meta_free(struct rollout_meta *m);

#endif
