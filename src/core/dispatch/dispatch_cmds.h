#ifndef CONVEYOR_DISPATCH_CMDS_H
#define CONVEYOR_DISPATCH_CMDS_H
/* Handlers and text forms of the dispatch commands (SPEC 6) the command table names: enqueue and the inboxes. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

/* A command to queue: routed through task's binding, or addressed to session (each a row with id, name). */
struct enqueue_spec {
	const char *type; /* notify_manager | nudge_worker */
	const cJSON *task, *session;
	const char *message;
	const char *correlation_id, *idempotency_key, *permission; /* NULL: generated, the command id, none */
	const cJSON *payload;                                      /* more payload keys beside message, or NULL */
};

/* What a dispatch health report covers. */
enum health_scope { HEALTH_ALL, HEALTH_TASK, HEALTH_CAMPAIGN };

cJSON *dispatch_health(struct ctx *c, enum health_scope scope, const char *id, struct err *e);
void dispatch_status_text(const cJSON *r, struct sb *out);
cJSON *enqueue_insert(struct ctx *c, const struct enqueue_spec *q, struct err *e);
void enqueue_text(const cJSON *r, struct sb *out);

void inbox_text(const cJSON *r, struct sb *out);

/* Shared by inbox.c (records, consumption) and inbox_wait.c (the poll loop and the handlers). */
struct store;
cJSON *inbox_items(struct store *s, const char *session_id, long long limit, struct err *e);
int inbox_has_next(struct store *s, const char *session_id, struct err *e);
cJSON *inbox_consume_next(struct ctx *c, const char *session_id, const char *when, struct err *e);

/* dispatch (SPEC 6.2-6.4, docs/dispatch.md): dispatch.c (flags, passes, --watch, output), dispatch_claim.c
 * (stale-claim recovery, atomic claims, attempt outcomes), dispatch_signal.c (routing and delivery of commands),
 * dispatch_complete.c (worker task_complete signals). */
void dispatch_text(const cJSON *r, struct sb *out);

/* A lease or not-before column as a fixed-width millisecond instant, so SQL compares instants (defect 36). */
#define DISPATCH_MS(col) "strftime('%Y-%m-%dT%H:%M:%fZ', " col ")"

/* What one dispatch run was asked to do. */
struct dispatch_opts {
	const char *dispatcher_id;
	const char *type;    /* --type, or NULL for every type */
	long long limit;     /* commands claimed per pass */
	long long lease_ms;  /* claim lease */
	int dry_run;
};

/* One claimed command between its claim and its outcome. */
struct dispatch_item {
	cJSON *cmd;               /* id, type, task_id, correlation_id, required_permission, payload, attempts, limit */
	long long attempt_id;
	long long notification_id; /* 0 until routed */
	int started, completed;    /* side-effect flags */
};

int dispatch_refresh_now(struct ctx *c, struct err *e);
int dispatch_recover(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e);
int dispatch_claim(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it, struct err *e);
int dispatch_settle(struct ctx *c, struct dispatch_item *it, const char *state, const char *error, int retry,
		    cJSON *result, struct err *e);
cJSON *dispatch_planned(struct ctx *c, const struct dispatch_opts *o, struct err *e);
int dispatch_completions(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e);
cJSON *dispatch_execute(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it, struct err *e);

#endif
