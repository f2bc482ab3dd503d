/* The cockpit's loop: one poll() over the keyboard, the signal pipe, the running command, the terminal panes and
 * an inotify watch on the database; PRAGMA data_version is checked when the watch reports a write (at most every
 * TUI_MIN_CHECK_MS), or once a second when there is no watch. */
#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util/proc.h"
#include "tui/tui.h"
#include "tui/tui_input.h"
#include "tui/tui_int.h"
#include "tui/tui_keyconf.h"
#include "tui/tui_prompt.h"
#include "tui/tui_term.h"
#include "util/json.h"

#define TUI_CHECK_MS 1000    /* without a watch: how often the database is checked; panes' screens are classified */
#define TUI_MIN_CHECK_MS 100 /* with a watch: the shortest time between two checks while another process writes */
#define TUI_SETTLE_MS 10     /* a write to the log is seen a moment before its commit is: check this much later */
#define TUI_AGE_MS 10000 /* views that age with the clock (heartbeats, staleness) are re-read this often */
#define TUI_FRAME_MS 25 /* terminal output is drawn at most this often; it is read as fast as it comes */

/* Reloads the views when another connection committed since the last check (cheap: one pragma), and every
 * TUI_AGE_MS so that a dispatcher or a worker going stale shows without any write (redrawn only if it differs).
 * Returns when the next check is due: with an inotify watch, at the next re-read or the pending recheck after a
 * write; without one, in a second. */
static long long tui_check(struct tui *t)
{
	int watched = dbwatch_arm(&t->dbwatch); /* before reading: a commit from now on wakes the loop */
	long long v = dbwatch_version(&t->dbwatch), now = proc_monotonic_ms();
	if (v != t->data_version || now >= t->next_reload_ms) {
		t->data_version = v;
		t->next_reload_ms = now + TUI_AGE_MS;
		tui_reload(t);
	}
	if (panes_classify(&t->panes))
		t->dirty |= DIRTY_BODY;
	t->last_check_ms = now;
	if (!watched)
		return now + TUI_CHECK_MS;
	return t->recheck_ms > now && t->recheck_ms < t->next_reload_ms ? t->recheck_ms : t->next_reload_ms;
}

/* Applies queued signals: resize, child exits, or a request to quit. */
static void tui_signals(struct tui *t)
{
	int sig;
	while ((sig = term_signal_next()) != 0) {
		if (sig == SIGWINCH) {
			term_resize();
			panes_layout(&t->panes, 1, LINES - 3, COLS);
			t->dirty = DIRTY_ALL;
		} else if (sig == SIGCHLD) {
			t->dirty |= DIRTY_PANES | DIRTY_BODY;
		} else {
			t->quit = 1;
		}
	}
}

/* Shows a successful result on the status line, its lines joined by "; " (a --notify adds its queued command). */
static void tui_status_lines(struct tui *t, const char *text)
{
	struct sb one;
	sb_init(&one);
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (one.len && n)
			sb_adds(&one, "; ");
		sb_addn(&one, p, n);
		p += n + (nl != NULL);
	}
	tui_status(t, 0, "ok: %s", one.len ? one.buf : "");
	sb_free(&one);
}

/* Collects the finished command's output into the status line (and the output view for ':' commands). */
static void tui_job_done(struct tui *t)
{
	const char *text;
	int code = job_result(&t->job, &text);
	int lines = 0;
	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if (code != 0)
		tui_status(t, 1, "%s: %s", t->job.line, *text ? text : "failed");
	else
		tui_status_lines(t, text);
	if (t->job.from_prompt && code == 0 && lines > 1) {
		sb_free(&t->output);
		sb_adds(&t->output, text);
		t->output_scroll = 0;
		if (t->view != VIEW_OUTPUT)
			t->back_view = t->view;
		t->view = VIEW_OUTPUT;
	}
	job_end(&t->job);
	tui_reload(t);
}

/* Starts a command line for a key or the prompt (one at a time). */
void tui_run_line(struct tui *t, const char *line, int from_prompt)
{
	char err[1024];
	if (t->job.pid) {
		tui_status(t, 1, "still running: %s", t->job.line);
		return;
	}
	if (job_start(&t->job, t->prog, line, t->db_path, err, sizeof err) != 0) {
		tui_status(t, 1, "%s", err);
		return;
	}
	t->job.from_prompt = from_prompt;
	tui_status(t, 0, "running: %s", line);
}

/* Brings the next check forward to `at` (but never sooner than TUI_MIN_CHECK_MS after the last one). */
static void tui_check_by(const struct tui *t, long long *next_check, long long at)
{
	if (at < t->last_check_ms + TUI_MIN_CHECK_MS)
		at = t->last_check_ms + TUI_MIN_CHECK_MS;
	if (at < *next_check)
		*next_check = at;
}

/* One pass of poll(): waits for input, signals, the running command, pane output or a write to the database, at
 * most until the next check, or until the next frame when terminal output is waiting to be drawn. */
static void tui_wait(struct tui *t, long long *next_check, long long frame_due)
{
	struct pollfd fds[5 + TUI_MAX_PANES];
	int n = 0;
	fds[n++] = (struct pollfd){0, POLLIN, 0};
	fds[n++] = (struct pollfd){term_signal_fd(), POLLIN, 0};
	fds[n++] = (struct pollfd){t->dbwatch.fd, POLLIN, 0};
	n += job_pollfds(&t->job, fds + n);
	int first_pane = n;
	n += panes_pollfds(&t->panes, fds + n, TUI_MAX_PANES);
	long long until = frame_due && frame_due < *next_check ? frame_due : *next_check;
	long long left = until - proc_monotonic_ms();
	int rc = poll(fds, (nfds_t)n, left > 0 ? (int)left : 0);
	if (rc < 0 && errno != EINTR)
		t->quit = 1;
	if (rc > 0) {
		if (fds[1].revents)
			tui_signals(t);
		if (fds[0].revents)
			tui_input(t);
		if (fds[2].revents && dbwatch_drain(&t->dbwatch)) {
			/* The commit becomes visible just after its last write to the log: check in a moment, and
			 * once more a second later in case that moment was not enough. */
			long long now = proc_monotonic_ms();
			tui_check_by(t, next_check, now + TUI_SETTLE_MS);
			t->recheck_ms = now + TUI_CHECK_MS;
		}
		if (panes_handle(&t->panes, fds + first_pane, n - first_pane)) {
			t->dirty |= DIRTY_PANES;
			tui_check_by(t, next_check, t->last_check_ms + TUI_CHECK_MS); /* their screens get classified */
		}
	}
	if (t->job.pid && job_poll(&t->job)) /* output read, or the child exited (SIGCHLD woke the loop) */
		tui_job_done(t);
	if (proc_monotonic_ms() >= *next_check)
		*next_check = tui_check(t);
}

/* Frees the cockpit's state. */
static void tui_free(struct tui *t)
{
	if (t->job.pid) {
		kill(t->job.pid, SIGTERM);
		job_end(&t->job);
	}
	panes_free(&t->panes);
	dbwatch_free(&t->dbwatch);
	cJSON_Delete(t->campaigns);
	cJSON_Delete(t->approvals);
	cJSON_Delete(t->dash);
	cJSON_Delete(t->dispatch);
	cJSON_Delete(t->tasks);
	cJSON_Delete(t->task_status);
	free(t->task);
	free(t->campaign);
	free(t->db_path);
	sb_free(&t->output);
	prompt_free(t);
	keymap_free(&t->keys);
}

/* Stops the dispatcher the plan started for this cockpit (--ensure-dispatch), if it did. */
static void tui_stop_dispatcher(const cJSON *plan)
{
	const cJSON *pid = cJSON_GetObjectItem(cJSON_GetObjectItem(plan, "dispatch"), "pid");
	if (!cJSON_IsNumber(pid) || pid->valueint <= 0)
		return;
	kill((pid_t)pid->valueint, SIGTERM);
	while (waitpid((pid_t)pid->valueint, NULL, 0) < 0 && errno == EINTR)
		;
}

/* Loads the effective bindings: the built-in table, then keys.conf; a bad line's message goes to the status line
 * (the first one, with how many more the help lists). */
static void tui_keys_load(struct tui *t)
{
	keymap_init(&t->keys);
	keyconf_load(&t->keys);
	if (t->keys.nerrors == 1)
		tui_status(t, 1, "%s", t->keys.errors[0]);
	else if (t->keys.nerrors > 1)
		tui_status(t, 1, "%s (and %d more: ? lists them)", t->keys.errors[0], t->keys.nerrors - 1);
}

/* Runs the cockpit with a plan from `tui`/`dashboard` until the operator quits; returns the exit status. */
int tui_main(const char *prog, const cJSON *plan)
{
	struct tui t;
	memset(&t, 0, sizeof t);
	t.prog = prog;
	t.job.out_fd = t.job.err_fd = -1;
	t.db_path = strdup(json_str(plan, "path"));
	const char *campaign = json_str(plan, "campaign");
	t.campaign = campaign ? strdup(campaign) : NULL;
	const char *task = json_str(plan, "task");
	t.task = task ? strdup(task) : NULL;
	t.view = t.campaign ? VIEW_CAMPAIGN : t.task ? VIEW_TASK : VIEW_CAMPAIGNS;
	t.back_view = VIEW_CAMPAIGNS;
	t.data_version = -2;
	tui_keys_load(&t);
	dbwatch_init(&t.dbwatch, t.db_path);
	if (term_start(cJSON_IsTrue(cJSON_GetObjectItem(plan, "mouse")), &t.no_color) != 0) {
		fprintf(stderr, "conveyor tui needs a terminal (stdin and stdout must be a tty)\n");
		tui_free(&t);
		return 2;
	}
	t.panes.no_color = t.no_color;
	panes_layout(&t.panes, 1, LINES - 3, COLS);
	long long next_check = 0, last_frame = 0;
	t.dirty = DIRTY_ALL;
	while (!t.quit) {
		long long now = proc_monotonic_ms(), frame_due = 0;
		if (t.dirty == DIRTY_PANES && now - last_frame < TUI_FRAME_MS)
			frame_due = last_frame + TUI_FRAME_MS;
		else if (t.dirty) {
			tui_draw(&t);
			last_frame = now;
		}
		tui_wait(&t, &next_check, frame_due);
	}
	term_stop();
	tui_free(&t);
	tui_stop_dispatcher(plan);
	return 0;
}
