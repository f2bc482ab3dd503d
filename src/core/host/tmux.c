/* Running tmux by argv (never a shell), with the messages operators see when it fails (SPEC 7.1). */
#include "core/host/tmux.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/proc.h"

/* Whether tmux's complaint says the operating system or a sandbox refused access (NULL: tmux said nothing). */
static int tmux_permission_denied(const char *detail)
{
	static const char *const markers[] = {"operation not permitted", "permission denied", "not authorized",
					      "not authorised"};
	for (size_t i = 0; detail && i < sizeof markers / sizeof *markers; i++)
		if (strcasestr(detail, markers[i]))
			return 1;
	return 0;
}

/* Copies s without leading and trailing whitespace into out. */
static void tmux_trimmed(const char *s, struct sb *out)
{
	while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\n' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	sb_addn(out, s, n);
}

/* Sets e to "<argv joined> failed: <detail>" (with the permission explanation when it applies). */
static void tmux_fail(const char *const argv[], const struct proc_result *r, struct err *e)
{
	struct sb msg, detail;
	sb_init(&msg);
	sb_init(&detail);
	tmux_trimmed(r->err.len ? r->err.buf : r->out.len ? r->out.buf : "", &detail);
	if (detail.len == 0)
		sb_addf(&detail, "exit code %d", r->status);
	for (int i = 0; argv[i]; i++)
		sb_addf(&msg, "%s%s", i ? " " : "", argv[i]);
	if (tmux_permission_denied(detail.buf))
		sb_addf(&msg, " failed: tmux access was denied by the operating system or sandbox: %s. Retry from a "
			      "terminal/session with tmux PTY permissions.", detail.buf);
	else
		sb_addf(&msg, " failed: %s", detail.buf);
	err_set(e, EXIT_WORKER, "%s", msg.buf);
	sb_free(&msg);
	sb_free(&detail);
}

/* Runs `tmux ARGS...`; 0 on success with stdout in out (when given), else -1 with e set. A missing tmux binary is
 * reported as such. */
int tmux_run(const char *const args[], struct sb *out, struct err *e)
{
	const char *argv[32] = {"tmux"};
	int n = 1;
	while (args[n - 1] && n < 31) {
		argv[n] = args[n - 1];
		n++;
	}
	argv[n] = NULL;
	struct proc_result r;
	int rc = proc_run(argv, TMUX_TIMEOUT_MS, &r);
	if (rc != 0 || r.status == 127) {
		err_set(e, EXIT_WORKER, "tmux is not installed or is not available on PATH");
		proc_result_free(&r);
		return -1;
	}
	if (r.status != 0) {
		tmux_fail(argv, &r, e);
		proc_result_free(&r);
		return -1;
	}
	if (out)
		sb_addn(out, r.out.buf ? r.out.buf : "", r.out.len); /* an empty output still leaves out a string */
	proc_result_free(&r);
	return 0;
}

/* The argv form of a target that tmux cannot match by prefix: a pane id ("%3", from "session:%3") alone,
 * otherwise "=session:" (an exact session name; plain "-t work" would also find "work-2"). malloc'd. */
char *tmux_exact(const char *target)
{
	const char *colon = strrchr(target, ':');
	struct sb sb;
	sb_init(&sb);
	if (colon && colon[1] == '%')
		sb_adds(&sb, colon + 1);
	else
		sb_addf(&sb, "=%s%s", target, colon ? "" : ":");
	return sb_take(&sb);
}

/* 1 when the tmux session exists, 0 when it does not, -1 when tmux itself failed (missing or refused); session is
 * a tmux target ("=name" matches the name exactly). */
int tmux_has_session(const char *session, struct err *e)
{
	const char *argv[] = {"tmux", "has-session", "-t", session, NULL};
	struct proc_result r;
	int rc = proc_run(argv, TMUX_TIMEOUT_MS, &r);
	int result = r.status == 0 ? 1 : 0;
	if (rc != 0 || r.status == 127) {
		err_set(e, EXIT_WORKER, "tmux is not installed or is not available on PATH");
		result = -1;
	} else if (r.status != 0 && tmux_permission_denied(r.err.buf)) {
		tmux_fail(argv, &r, e);
		result = -1;
	}
	proc_result_free(&r);
	return result;
}

/* Captures the visible screen plus history_lines of scrollback of target as plain text (trailing newlines
 * dropped). */
int tmux_capture(const char *target, int history_lines, struct sb *out, struct err *e)
{
	char start[24];
	snprintf(start, sizeof start, "-%d", history_lines);
	const char *args[] = {"capture-pane", "-p", "-S", start, "-t", target, NULL};
	size_t base = out->len;
	if (tmux_run(args, out, e) != 0)
		return -1;
	while (out->len > base && out->buf[out->len - 1] == '\n')
		out->buf[--out->len] = '\0';
	return 0;
}

/* The tmux target of a session: "<session>:<pane id>" when a pane id is known, else the session (malloc'd). */
char *tmux_target(const char *session, const char *pane_id)
{
	struct sb sb;
	sb_init(&sb);
	if (pane_id && *pane_id)
		sb_addf(&sb, "%s:%s", session, pane_id);
	else
		sb_adds(&sb, session);
	return sb_take(&sb);
}

/* Sends one key name (C-m, Escape, C-c ...) to target. */
int tmux_send_keys(const char *target, const char *key, struct err *e)
{
	const char *args[] = {"send-keys", "-t", target, key, NULL};
	return tmux_run(args, NULL, e);
}
