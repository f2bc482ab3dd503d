#ifndef CONVEYOR_DISPATCH_CMDS_H
#define CONVEYOR_DISPATCH_CMDS_H
/* Handlers and text forms of the dispatch commands (SPEC 6) the command table names: enqueue and the inboxes. */
#include <cjson/cJSON.h>

#include "core/args.h"
#include "core/ctx.h"
#include "core/err.h"
#include "util/sb.h"

cJSON *enqueue_notify_manager(struct ctx *c, const struct args *a, struct err *e);
cJSON *enqueue_nudge_worker(struct ctx *c, const struct args *a, struct err *e);
void enqueue_text(const cJSON *r, struct sb *out);

cJSON *inbox_session(struct ctx *c, const struct args *a, struct err *e);
cJSON *inbox_manager(struct ctx *c, const struct args *a, struct err *e);
cJSON *inbox_worker(struct ctx *c, const struct args *a, struct err *e);
void inbox_text(const cJSON *r, struct sb *out);

/* Shared by inbox.c (records, consumption) and inbox_wait.c (the poll loop and the handlers). */
struct store;
cJSON *inbox_items(struct store *s, const char *session_id, long long limit, struct err *e);
int inbox_has_next(struct store *s, const char *session_id, struct err *e);
cJSON *inbox_consume_next(struct ctx *c, const char *session_id, const char *when, struct err *e);

#endif
