#ifndef CONVEYOR_STEER_H
#define CONVEYOR_STEER_H
/* Steering a Codex worker through tmux with confirmation (docs/steer.md): typing text and proving it was
 * submitted, interrupting a turn and proving it ended. No database here: callers audit what happened. */
#include "core/base/err.h"
#include "core/observe/rollout.h"

/* Where a worker is reached and how its turns are observed. */
struct steer_worker {
	const char *name;         /* session name: names the paste buffer and the messages */
	const char *tmux_session; /* as registered; checked (exactly) with has-session before anything is typed */
	const char *target;       /* exact tmux target of its pane (tmux_exact) */
	const char *rollout;      /* its rollout JSONL, or NULL when it has none */
};

/* What one delivery did. */
struct steer_sent {
	int started;              /* the paste buffer was set */
	int completed;            /* the text was pasted and Enter sent */
	int submitted;            /* 1 confirmed, 0 not confirmed in time, -1 not checked */
	const char *confirmed_by; /* "rollout", "screen" or NULL */
};

/* What one interrupt did. */
struct steer_stop {
	int was_busy;             /* a turn was running (screen or rollout), so the key was sent */
	int interrupted;          /* the turn was seen to end */
	const char *confirmed_by; /* "rollout", "screen" or NULL */
};

int steer_alive(const struct steer_worker *w, struct err *e);
int steer_send(const struct steer_worker *w, const char *text, int confirm_ms, struct steer_sent *s,
	       struct err *e);
int steer_interrupt(const struct steer_worker *w, const char *key, int confirm_ms, struct steer_stop *r,
		    struct err *e);

/* Observations (steer_watch.c). */
long long steer_rollout_size(const char *path);
int steer_rollout_saw(const char *path, long long from, enum rollout_state want);
enum rollout_state steer_rollout_last(const char *path);
int steer_count(const char *hay, const char *needle);
char *steer_probe(const char *text, int tail);
int steer_input_holds(const char *screen, const char *head);
int steer_screen_busy(const char *screen);

#endif
