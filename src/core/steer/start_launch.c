/* Launching Codex in a detached tmux session and watching it start: ready screen (answering the trust prompt
 * when asked to), then the rollout its process tree opens (found through /proc). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/observe/classify.h"
#include "core/base/paths.h"
#include "util/proc.h"
#include "core/host/procfs.h"
#include "core/observe/rollout.h"
#include "util/shell.h"
#include "core/steer/start.h"
#include "core/host/tmux.h"

#define START_POLL_MS 200
#define START_TRUST_REPEAT_MS 1500
#define START_READY_STABLE_MS 500 /* 0.169 draws its main screen for ~100 ms before the trust prompt */

extern char **environ;

/* The absolute path of program bin (a path, or a name looked up on PATH), or NULL; caller frees. */
char *start_which(const char *bin)
{
	struct err ignored = {0};
	if (strchr(bin, '/'))
		return access(bin, X_OK) == 0 ? paths_absolute(bin, &ignored) : NULL;
	const char *path = getenv("PATH");
	for (const char *p = path ? path : ""; *p;) {
		const char *end = strchr(p, ':');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char candidate[4096];
		snprintf(candidate, sizeof candidate, "%.*s/%s", (int)n, p, bin);
		if (n && access(candidate, X_OK) == 0)
			return paths_absolute(candidate, &ignored);
		p = end ? end + 1 : p + n;
	}
	return NULL;
}

/* The codex binary to start: $CONVEYOR_CODEX, else `codex` on PATH; NULL with e set when there is none. */
char *start_codex_path(struct err *e)
{
	const char *bin = getenv("CONVEYOR_CODEX");
	char *found = start_which(bin && *bin ? bin : "codex");
	if (!found)
		err_set(e, EXIT_WORKER, "codex is not installed or is not available on PATH (or set CONVEYOR_CODEX to it)");
	return found;
}

/* Whether the environment entry kv names an npm/pnpm variable that must not reach Codex (SPEC 7.3); *len gets
 * the name's length. */
static int start_npm_var(const char *kv, size_t *len)
{
	const char *eq = strchr(kv, '=');
	*len = eq ? (size_t)(eq - kv) : strlen(kv);
	for (size_t i = 0; i < *len; i++)
		if (!isalnum((unsigned char)kv[i]) && kv[i] != '_')
			return 0;
	return strncmp(kv, "npm_", 4) == 0 || strncmp(kv, "NPM_", 4) == 0 ||
	       (*len == 19 && strncmp(kv, "PNPM_SCRIPT_SRC_DIR", 19) == 0);
}

/* The one shell command of the launch (tmux runs it with the user's shell): unset the npm variables, then exec
 * codex --no-daemon and its approval/sandbox flags, every word single-quoted. */
void start_shell_command(const struct start_opts *o, const char *codex, struct sb *out)
{
	size_t unset = 0, len;
	for (char **v = environ; *v; v++) {
		if (!start_npm_var(*v, &len))
			continue;
		sb_adds(out, unset++ ? " " : "unset ");
		sb_addn(out, *v, len);
	}
	sb_adds(out, unset ? "; exec " : "exec ");
	const char *words[] = {codex, "--no-daemon", "--sandbox", o->sandbox, "--ask-for-approval", o->approval, NULL};
	const char *yolo[] = {codex, "--no-daemon", "--dangerously-bypass-approvals-and-sandbox", NULL};
	for (const char *const *w = o->yolo ? yolo : words; *w; w++) {
		if (w != (o->yolo ? yolo : words))
			sb_addc(out, ' ');
		shell_quote(out, *w);
	}
}

/* Starts the detached tmux session codex-<name> in cwd running codex (CODEX_HOME passed on when set) and reads
 * the pid of its pane; -1 with e set. */
int start_launch(const struct start_opts *o, const char *codex, long *pane_pid, struct err *e)
{
	struct sb cmd, home, out;
	sb_init(&cmd);
	sb_init(&home);
	sb_init(&out);
	start_shell_command(o, codex, &cmd);
	const char *codex_home = getenv("CODEX_HOME");
	sb_addf(&home, "CODEX_HOME=%s", codex_home ? codex_home : "");
	const char *with_home[] = {"new-session", "-d", "-s", o->tmux, "-x", "200", "-y", "50", "-c", o->cwd,
				   "-e", home.buf, "--", cmd.buf, NULL};
	const char *plain[] = {"new-session", "-d", "-s", o->tmux, "-x", "200", "-y", "50", "-c", o->cwd, "--",
			       cmd.buf, NULL};
	char exact[START_TMUX_NAME + 2];
	snprintf(exact, sizeof exact, "=%s:", o->tmux);
	const char *panes[] = {"list-panes", "-t", exact, "-F", "#{pane_pid}", NULL};
	int rc = tmux_run(codex_home && *codex_home ? with_home : plain, NULL, e);
	if (rc == 0)
		rc = tmux_run(panes, &out, e);
	*pane_pid = rc == 0 ? strtol(out.buf ? out.buf : "", NULL, 10) : 0;
	if (rc == 0 && *pane_pid <= 0) {
		err_set(e, EXIT_WORKER, "tmux reported no pane process for %s", o->tmux);
		rc = -1;
	}
	sb_free(&cmd);
	sb_free(&home);
	sb_free(&out);
	return rc;
}

/* Appends the recovery lines of a failed start: look at the session, register it by hand, or remove it. */
void start_hint(const char *prog, const struct start_opts *o, long pid, struct sb *out)
{
	sb_addf(out, "; inspect it with: tmux attach -t %s; once codex shows a prompt and has its rollout open, register it "
		     "with: %s register-%s --name ", o->tmux, prog, o->role);
	shell_quote(out, o->name);
	if (pid > 0)
		sb_addf(out, " --pid %ld", pid);
	else
		sb_adds(out, " --pid PID");
	sb_addf(out, " --tmux-session %s; or remove it with: tmux kill-session -t %s", o->tmux, o->tmux);
}

/* Fails the start with "codex in tmux session S <what>" and the recovery hint. */
static int start_fail(const struct start_opts *o, const char *prog, long pid, const char *what, struct err *e)
{
	struct sb msg;
	sb_init(&msg);
	sb_addf(&msg, "codex in tmux session %s %s", o->tmux, what);
	start_hint(prog, o, pid, &msg);
	err_set(e, EXIT_WORKER, "%s", msg.buf);
	sb_free(&msg);
	return -1;
}

/* Polls the screen until codex has shown its input prompt for START_READY_STABLE_MS, pressing Enter on the trust prompt when accept_trust
 * (again if it is still there after a while), and failing at once on a trust prompt without it, a sign-in
 * screen, or a session that ended. */
int start_wait_ready(const struct start_opts *o, const char *prog, long long deadline, int *trust_accepted,
		     struct err *e)
{
	char exact[START_TMUX_NAME + 2], what[256];
	snprintf(exact, sizeof exact, "=%s:", o->tmux);
	struct sb screen;
	sb_init(&screen);
	long long last_enter = 0, ready_since = 0;
	const char *reason = "terminal output is empty";
	int rc = -1;
	*trust_accepted = 0;
	for (;;) {
		struct err ignored = {0};
		screen.len = 0;
		if (tmux_capture(exact, 0, &screen, &ignored) != 0) {
			err_set(e, EXIT_WORKER, "codex in tmux session %s exited before it was ready", o->tmux);
			break;
		}
		const char *state = classify_startup(screen.buf ? screen.buf : "", &reason);
		long long now = proc_monotonic_ms();
		ready_since = strcmp(state, "ready") != 0 ? 0 : ready_since ? ready_since : now;
		if (ready_since && now - ready_since >= START_READY_STABLE_MS) {
			rc = 0;
			break;
		}
		if (strcmp(state, "needs_login") == 0) {
			rc = start_fail(o, prog, 0, "asks to sign in to Codex", e);
			break;
		}
		if (strcmp(state, "needs_trust") == 0 && !o->accept_trust) {
			snprintf(what, sizeof what, "asks whether to trust %s (pass --accept-trust to answer it)", o->cwd);
			rc = start_fail(o, prog, 0, what, e);
			break;
		}
		if (strcmp(state, "needs_trust") == 0 && now - last_enter >= START_TRUST_REPEAT_MS) {
			if ((rc = tmux_send_keys(exact, "Enter", e)) != 0)
				break;
			rc = -1;
			*trust_accepted = 1;
			last_enter = now;
		}
		if (now >= deadline) {
			snprintf(what, sizeof what, "was not ready within %d s (%s)", o->timeout_ms / 1000, reason);
			rc = start_fail(o, prog, 0, what, e);
			break;
		}
		proc_sleep_ms(START_POLL_MS);
	}
	sb_free(&screen);
	return rc;
}

/* Whether the rollout at path already starts with a complete session_meta record (Codex opens the file a moment
 * before it writes the first line). */
static int start_rollout_written(const char *path)
{
	struct rollout_meta m = {0};
	struct err ignored = {0};
	int ok = rollout_meta_read(path, &m, &ignored) == 0;
	rollout_meta_free(&m);
	return ok;
}

/* Polls /proc until the pane's process tree has a rollout open and its session_meta written; returns its path
 * (caller frees) with the pid holding it in *holder, or NULL with e set at the deadline. */
char *start_find_rollout(const struct start_opts *o, const char *prog, long pane_pid, long long deadline,
			 long *holder, struct err *e)
{
	int opened = 0;
	for (;;) {
		struct err ignored = {0};
		char *path = procfs_find_rollout_holder(pane_pid, holder, &ignored);
		if (path && start_rollout_written(path))
			return path;
		opened |= path != NULL;
		free(path);
		if (!procfs_alive(pane_pid)) {
			err_set(e, EXIT_WORKER, "codex in tmux session %s exited before it opened its rollout", o->tmux);
			return NULL;
		}
		if (proc_monotonic_ms() >= deadline) {
			char what[128];
			snprintf(what, sizeof what, "%s within %d s",
				 opened ? "wrote no session_meta to its rollout file" : "opened no rollout file",
				 o->timeout_ms / 1000);
			start_fail(o, prog, pane_pid, what, e);
			return NULL;
		}
		proc_sleep_ms(START_POLL_MS);
	}
}
