#ifndef CONVEYOR_BINDING_H
#define CONVEYOR_BINDING_H
/* Binding one worker and one manager session to a task (SPEC 3.6), shared by bind and create-disposable-binding. */
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "core/base/ids.h"

#include <cjson/cJSON.h>

int binding_create(struct ctx *c, const cJSON *task, const char *task_ref, const char *worker, const char *manager,
		   char id[IDS_LEN], struct err *e);

#endif
