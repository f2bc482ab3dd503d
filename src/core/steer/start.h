#ifndef CONVEYOR_START_H
#define CONVEYOR_START_H
/* Starting a Codex session in its own tmux session and registering it (SPEC 7.3, docs/steer.md); shared by
 * start-worker, start-manager and pair. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

#define START_TMUX_NAME 192

/* How to start one session. */
struct start_opts {
	const char *role;            /* worker | manager */
	const char *name;            /* session name; the tmux session is codex-<name> */
	char *cwd;                   /* absolute working directory (owned) */
	char *prompt;                /* first prompt, or NULL (owned) */
	const char *sandbox;         /* codex --sandbox */
	const char *approval;        /* codex --ask-for-approval */
	int yolo;                    /* --codex-profile yolo: bypass approvals and sandbox instead */
	int accept_trust;            /* answer Codex's "Trust this folder?" with Enter when it shows */
	int timeout_ms;              /* for the whole start: ready, first prompt, rollout */
	const char *via;             /* start-worker | start-manager | pair */
	char tmux[START_TMUX_NAME];  /* codex-<name> */
};

int start_opts_parse(const struct args *a, const char *role, const char *name, int default_seconds,
		     struct start_opts *o, struct err *e);
void start_opts_free(struct start_opts *o);
int start_check_free(struct ctx *c, const struct start_opts *o, struct err *e);
cJSON *start_session(struct ctx *c, struct start_opts *o, struct err *e);
char *start_manager_prompt(const struct ctx *c, const char *task, const char *goal, const char *worker);

/* Launching and watching (start_launch.c). */
char *start_which(const char *bin);
char *start_codex_path(struct err *e);
void start_shell_command(const struct start_opts *o, const char *codex, struct sb *out);
int start_launch(const struct start_opts *o, const char *codex, long *pane_pid, struct err *e);
int start_wait_ready(const struct start_opts *o, const char *prog, long long deadline, int *trust_accepted,
		     struct err *e);
char *start_find_rollout(const struct start_opts *o, const char *prog, long pane_pid, long long deadline,
			 long *holder, struct err *e);
void start_hint(const char *prog, const struct start_opts *o, long pid, struct sb *out);

/* The Codex launch flags of start-worker, start-manager and pair. */
#define START_FLAGS \
	{.name = "--cwd", .type = FLAG_STRING, .arg = "D", .help = "working directory of Codex (default current)"}, \
	{.name = "--sandbox", .type = FLAG_ENUM, .arg = "S", \
	 .help = "sandbox mode of Codex (default danger-full-access)", \
	 .values = (const char *const[]){"read-only", "workspace-write", "danger-full-access", NULL}}, \
	{.name = "--ask-for-approval", .type = FLAG_ENUM, .arg = "A", \
	 .help = "approval policy of Codex (default never)", \
	 .values = (const char *const[]){"untrusted", "on-failure", "on-request", "never", NULL}}, \
	{.name = "--codex-profile", .type = FLAG_STRING, .arg = "yolo", \
	 .help = "run Codex bypassing approvals and sandbox"}, \
	{.name = "--accept-trust", .type = FLAG_BOOL, .help = "accept Codex's trust prompt for the directory"}, \
	{.name = "--timeout-seconds", .type = FLAG_COUNT, .arg = "N", \
	 .help = "seconds to wait for Codex (default 15, pair 60)", .min = 1, .max = 3600, \
	 .range_error = "--timeout-seconds must be greater than zero (at most 3600)."}

#endif
