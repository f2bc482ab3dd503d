#ifndef CONVEYOR_DISPOSABLE_H
#define CONVEYOR_DISPOSABLE_H
/* The guidance create-disposable-binding prints for an app-driven loop: heartbeats, handoff, replay commands. */
#include <cjson/cJSON.h>

#include "core/session/prompts.h"

cJSON *disposable_recommendations(const struct prompt_ctx *p);
char *disposable_worker_handoff(const struct prompt_ctx *p);
cJSON *disposable_replay(const struct prompt_ctx *p, const char *worker, const char *manager, const char *session_dir);

#endif
