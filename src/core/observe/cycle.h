#ifndef CONVEYOR_CYCLE_H
#define CONVEYOR_CYCLE_H
/* The parts of `cycle` (SPEC 5.4): what it loads, what the pane capture found, and the recorded run. */
#include <cjson/cJSON.h>

#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

/* The task, its active binding and the two bound sessions (owned). */
struct cycle_parts {
	cJSON *task, *binding, *worker, *manager;
};

/* How the worker's pane capture went. */
enum cycle_pane_outcome { CYCLE_PANE_CAPTURED, CYCLE_PANE_NO_TMUX, CYCLE_PANE_MISSING, CYCLE_PANE_ERROR };

/* The captured pane: its text, or why there is none, and how long it took. */
struct cycle_pane {
	enum cycle_pane_outcome outcome;
	struct sb text;
	char error[1024];
	double ms;
};

/* One cycle being recorded. */
struct cycle_run {
	struct ctx *c;
	struct cycle_parts *p;
	char started_at[CLOCK_ISO_LEN];
	long long id;
	long long t0;
	cJSON *spans; /* [{phase, ms, state, error_type}] written when the cycle ends */
};

/* The worker's inferred state (SPEC 5.2). */
struct cycle_state {
	const char *state;   /* busy | idle | unknown */
	char *state_at;      /* timestamp of the state event, or NULL */
	char *last_subtype;  /* subtype of the newest event of any kind, or NULL */
	long long staleness; /* whole seconds since state_at, -1 when unknown */
};

int cycle_start(struct cycle_run *run, struct err *e);
void cycle_span(struct cycle_run *run, const char *phase, double ms, const char *state, const char *error_type);
void *cycle_fail(struct cycle_run *run, const char *phase, struct err *e);
cJSON *cycle_finish(struct cycle_run *run, cJSON *result, struct err *e);
int cycle_infer(struct ctx *c, const char *session_id, struct cycle_state *st, struct err *e);
void cycle_state_free(struct cycle_state *st);
cJSON *cycle_manager_context(struct ctx *c, const struct cycle_parts *p, struct err *e);
int cycle_consume(struct ctx *c, const struct cycle_run *run, struct err *e);

#endif
