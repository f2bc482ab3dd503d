/* Confirmed delivery to a Codex worker in tmux: paste the text, wait until the client has taken it, press Enter,
 * then watch the rollout and the screen until the turn is seen to start (or end, for an interrupt). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/observe/classify.h"
#include "util/proc.h"
#include "core/steer/steer.h"
#include "core/host/tmux.h"
#include "util/sb.h"

#define STEER_HISTORY 0          /* capture the visible screen only */
#define STEER_TAKE_MS 2000       /* longest wait for the client to show the pasted text */
#define STEER_TAKE_POLL_MS 50    /* also the least time between paste and Enter */
#define STEER_CONFIRM_POLL_MS 100

/* Fails unless the worker's tmux session runs (SPEC 7.1's message); the name must match exactly. */
int steer_alive(const struct steer_worker *w, struct err *e)
{
	char exact[512];
	snprintf(exact, sizeof exact, "=%s", w->tmux_session);
	int rc = tmux_has_session(exact, e);
	if (rc == 0)
		err_set(e, EXIT_WORKER, "tmux session is not running for session \"%s\": %s", w->name, w->tmux_session);
	return rc == 1 ? 0 : -1;
}

/* Replaces screen with a fresh capture of the worker's pane. */
static int steer_capture(const struct steer_worker *w, struct sb *screen, struct err *e)
{
	screen->len = 0;
	if (screen->buf)
		screen->buf[0] = '\0';
	return tmux_capture(w->target, STEER_HISTORY, screen, e);
}

/* Waits (bounded) until the client has taken the pasted text: more copies of its tail (or of Codex's long-paste
 * placeholder) on screen than before, or a changed screen that has settled. *held says whether the input line
 * then shows the text, which makes "it left the input line" a valid proof of submission. */
static int steer_wait_taken(const struct steer_worker *w, const char *text, const char *before, int *held,
			    struct err *e)
{
	char *tail = steer_probe(text, 1), *head = steer_probe(text, 0);
	int tails = steer_count(before, tail), pastes = steer_count(before, "[Pasted Content");
	struct sb now, prev;
	sb_init(&now);
	sb_init(&prev);
	long long deadline = proc_monotonic_ms() + STEER_TAKE_MS;
	int rc = 0;
	for (;;) {
		proc_sleep_ms(STEER_TAKE_POLL_MS);
		if ((rc = steer_capture(w, &now, e)) != 0)
			break;
		int taken = (*tail && steer_count(now.buf, tail) > tails) || steer_count(now.buf, "[Pasted Content") > pastes ||
			    (strcmp(now.buf, before) != 0 && prev.buf && strcmp(now.buf, prev.buf) == 0);
		if (taken || proc_monotonic_ms() >= deadline)
			break;
		prev.len = 0;
		sb_adds(&prev, now.buf);
	}
	*held = rc == 0 && steer_input_holds(now.buf, head);
	sb_free(&now);
	sb_free(&prev);
	free(tail);
	free(head);
	return rc;
}

/* Watches for the submitted turn until confirm_ms pass: a busy record in the rollout after mark, the screen
 * turning busy when it was not, or the typed text leaving the input line. The rollout is read again after a
 * screen proof, so the stronger evidence is named when both exist. */
static void steer_confirm(const struct steer_worker *w, const char *text, long long mark, int busy_before, int held,
			  int confirm_ms, struct steer_sent *s)
{
	char *head = steer_probe(text, 0);
	struct sb screen;
	sb_init(&screen);
	long long deadline = proc_monotonic_ms() + confirm_ms;
	s->submitted = 0;
	for (;;) {
		struct err ignored = {0};
		if (steer_rollout_saw(w->rollout, mark, ROLLOUT_BUSY)) {
			s->confirmed_by = "rollout";
		} else if (steer_capture(w, &screen, &ignored) == 0 &&
			   ((!busy_before && steer_screen_busy(screen.buf)) || (held && !steer_input_holds(screen.buf, head)))) {
			s->confirmed_by = steer_rollout_saw(w->rollout, mark, ROLLOUT_BUSY) ? "rollout" : "screen";
		}
		if (s->confirmed_by || proc_monotonic_ms() >= deadline)
			break;
		proc_sleep_ms(STEER_CONFIRM_POLL_MS);
	}
	s->submitted = s->confirmed_by != NULL;
	sb_free(&screen);
	free(head);
}

/* Types text into the worker and submits it (SPEC 7.1 with confirmation): set-buffer, bracketed paste, wait for
 * the client to take it, Enter, delete-buffer (always); then, when confirm_ms > 0, confirm the turn started.
 * Nothing is typed while the screen waits for a person (approval, trust, sign-in, confirmation): Enter would
 * answer it. 0, or -1 with e set when tmux failed or the worker waits (s says how far it got). */
int steer_send(const struct steer_worker *w, const char *text, int confirm_ms, struct steer_sent *s, struct err *e)
{
	memset(s, 0, sizeof *s);
	s->submitted = -1;
	struct sb before;
	sb_init(&before);
	if (steer_alive(w, e) != 0 || steer_capture(w, &before, e) != 0) {
		sb_free(&before);
		return -1;
	}
	const struct classify_hit *waiting = classify_screen(before.buf ? before.buf : "");
	if (waiting && waiting->needs_you) {
		err_set(e, EXIT_WORKER, "session \"%s\" is waiting for a person (%s); nothing was typed: answer it first "
			"(tmux attach -t %s)", w->name, waiting->reason, w->tmux_session);
		sb_free(&before);
		return -1;
	}
	long long mark = steer_rollout_size(w->rollout);
	char buffer[512];
	snprintf(buffer, sizeof buffer, "workerctl-session-%s", w->name);
	const char *set[] = {"set-buffer", "-b", buffer, "--", text, NULL};
	const char *paste[] = {"paste-buffer", "-p", "-b", buffer, "-t", w->target, NULL};
	const char *del[] = {"delete-buffer", "-b", buffer, NULL};
	int held = 0, rc = tmux_run(set, NULL, e);
	if (rc == 0) {
		s->started = 1;
		rc = tmux_run(paste, NULL, e);
		if (rc == 0)
			rc = steer_wait_taken(w, text, before.buf, &held, e);
		if (rc == 0)
			rc = tmux_send_keys(w->target, "C-m", e);
		struct err ignored = {0};
		tmux_run(del, NULL, &ignored);
	}
	s->completed = rc == 0;
	if (rc == 0 && confirm_ms > 0)
		steer_confirm(w, text, mark, steer_screen_busy(before.buf), held, confirm_ms, s);
	sb_free(&before);
	return rc;
}

/* Whether the screen now says the turn ended: Codex's "Conversation interrupted" on a screen that changed, or,
 * for a worker without a rollout to read, a screen no longer busy. */
static int steer_screen_ended(const struct steer_worker *w, const char *before, const char *now)
{
	const struct classify_hit *hit = classify_screen(now);
	if (hit && strcmp(hit->pattern, "interrupted") == 0 && strcmp(before, now) != 0)
		return 1;
	return steer_rollout_size(w->rollout) < 0 && !steer_screen_busy(now);
}

/* Sends key to a worker whose turn is running and, when confirm_ms > 0, watches until the turn is seen to end
 * (turn_aborted or task_complete after the mark, or the screen). An idle worker gets no key at all: Codex 0.169
 * quits on C-c when idle. 0, or -1 with e set when tmux failed. */
int steer_interrupt(const struct steer_worker *w, const char *key, int confirm_ms, struct steer_stop *r, struct err *e)
{
	memset(r, 0, sizeof *r);
	r->interrupted = -1;
	struct sb before, now;
	sb_init(&before);
	sb_init(&now);
	int rc = -1;
	if (steer_alive(w, e) != 0 || steer_capture(w, &before, e) != 0)
		goto out;
	rc = 0;
	r->was_busy = steer_screen_busy(before.buf) || steer_rollout_last(w->rollout) == ROLLOUT_BUSY;
	r->interrupted = 0;
	if (!r->was_busy)
		goto out;
	long long mark = steer_rollout_size(w->rollout);
	if ((rc = tmux_send_keys(w->target, key, e)) != 0)
		goto out;
	r->interrupted = confirm_ms > 0 ? 0 : -1;
	long long deadline = proc_monotonic_ms() + confirm_ms;
	while (confirm_ms > 0) {
		struct err ignored = {0};
		if (steer_rollout_saw(w->rollout, mark, ROLLOUT_IDLE))
			r->confirmed_by = "rollout";
		else if (steer_capture(w, &now, &ignored) == 0 && steer_screen_ended(w, before.buf, now.buf))
			r->confirmed_by = steer_rollout_saw(w->rollout, mark, ROLLOUT_IDLE) ? "rollout" : "screen";
		if (r->confirmed_by || proc_monotonic_ms() >= deadline)
			break;
		proc_sleep_ms(STEER_CONFIRM_POLL_MS);
	}
	if (confirm_ms > 0)
		r->interrupted = r->confirmed_by != NULL;
out:
	sb_free(&before);
	sb_free(&now);
	return rc;
}
