#ifndef CONVEYOR_STEER_INT_H
#define CONVEYOR_STEER_INT_H
/* What the session-nudge and session-interrupt handlers share (steer_audit.c). */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "util/clock.h"
#include "core/base/ctx.h"
#include "core/steer/steer.h"

/* The session being steered, read in the command's first transaction. */
struct steer_ctx {
	cJSON *session;           /* its sessions row */
	cJSON *binding;           /* {id, task_id} of its active binding, or JSON null */
	char *target;             /* its tmux target as SPEC 7.1 names it, or NULL when it has no tmux session */
	char *exact;              /* the same pane, matched exactly (what tmux is given) */
	struct steer_worker w;    /* points into session and target */
	char time[CLOCK_ISO_LEN]; /* the command's instant, second form (SPEC 1.5) */
};

/* One outcome to audit. */
struct steer_note {
	const char *event;           /* session_nudged | session_interrupted */
	const char *prefix;          /* session_nudge | session_interrupt (telemetry type) */
	const char *summary;         /* telemetry summary */
	cJSON *payload;              /* event payload (taken) */
	cJSON *attributes;           /* telemetry attributes (taken) */
	int unconfirmed;             /* delivered but not confirmed: telemetry severity warning */
	const struct err *failure;   /* set when the command failed */
};

int steer_load(struct ctx *c, const char *name, struct steer_ctx *sc, struct err *e);
void steer_ctx_free(struct steer_ctx *sc);
void steer_no_tmux(struct err *failure);
int steer_audit(struct ctx *c, const struct steer_ctx *sc, const struct steer_note *n, struct err *e);
cJSON *steer_fail(struct ctx *c, const struct steer_ctx *sc, struct steer_note *n, struct err *failure,
		  struct err *e);
void steer_add_tristate(cJSON *o, const char *key, int v);
/* --confirm-seconds, as session-nudge and session-interrupt declare it (read by steer_confirm_ms). */
#define STEER_CONFIRM_FLAG                                                                                     \
	{.name = "--confirm-seconds", .type = FLAG_COUNT, .arg = "N",                                          \
	 .help = "seconds to confirm each step (default 10, 0 does not check)", .max = 600,                    \
	 .range_error = "--confirm-seconds must be at most 600."}
int steer_confirm_ms(const struct args *a, struct err *e);

#endif
