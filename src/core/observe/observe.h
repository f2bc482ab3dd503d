#ifndef CONVEYOR_OBSERVE_H
#define CONVEYOR_OBSERVE_H
/* Pieces the observation commands share: classifier verdicts as JSON and session lookup. */
#include <cjson/cJSON.h>

#include "core/observe/classify.h"
#include "core/base/err.h"

struct store;

cJSON *observe_hit_json(const struct classify_hit *hit, int with_needs_you);
cJSON *observe_classify_json(const char *text, long long status_age, long long busy_wait);
cJSON *observe_session(struct store *s, const char *name, struct err *e);

#endif
