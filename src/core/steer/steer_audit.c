/* What session-nudge and session-interrupt share: the session they steer, read in a short first transaction,
 * and the audit of the outcome (event and telemetry, tied to the task of the session's active binding). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/session/session.h"
#include "core/steer/steer_int.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

/* Reads the session called name and its active binding (as worker or manager) into sc; -1 with e set. */
int steer_load(struct ctx *c, const char *name, struct steer_ctx *sc, struct err *e)
{
	memset(sc, 0, sizeof *sc);
	struct store *s = ctx_db(c, e);
	if (!s || !(sc->session = session_by_name(s, name, NULL, e)))
		return -1;
	sc->binding = optional_row(s, e,
				   "select id, task_id from bindings where state in ('active', 'ending') and "
				   "(worker_session_id = ?1 or manager_session_id = ?1) order by created_at desc limit 1",
				   "s", json_str(sc->session, "id"));
	if (!sc->binding)
		return -1;
	const char *tmux = json_str(sc->session, "tmux_session");
	if (tmux) {
		sc->target = tmux_target(tmux, json_str(sc->session, "tmux_pane_id"));
		sc->exact = tmux_exact(sc->target);
	}
	sc->w.name = name;
	sc->w.tmux_session = tmux;
	sc->w.target = sc->exact;
	sc->w.rollout = json_str(sc->session, "codex_session_path");
	clock_format_s(c->now_ms, sc->time);
	return 0;
}

/* Releases what steer_load read. */
void steer_ctx_free(struct steer_ctx *sc)
{
	cJSON_Delete(sc->session);
	cJSON_Delete(sc->binding);
	free(sc->target);
	free(sc->exact);
}

/* The SPEC 7.1 refusal of a session that has no tmux session (a validation error, exit 2). */
void steer_no_tmux(struct err *failure)
{
	err_set(failure, EXIT_USAGE,
		"session has no tmux_session; cannot build tmux target (session likely registered outside tmux)");
}

/* Writes the outcome in a fresh transaction: event `event` (payload taken; success, and error and error_type
 * when failure is set, are added) under the binding's task, and telemetry <prefix>_succeeded|failed with
 * attributes (taken). A delivered but unconfirmed action is a warning. 0 or -1 with e set. */
int steer_audit(struct ctx *c, const struct steer_ctx *sc, const struct steer_note *n, struct err *e)
{
	cJSON *payload = n->payload, *attributes = n->attributes;
	if (!ctx_db(c, e)) {
		cJSON_Delete(payload);
		cJSON_Delete(attributes);
		return -1;
	}
	const char *task_id = json_str(sc->binding, "task_id");
	cJSON_AddBoolToObject(payload, "success", !n->failure);
	if (n->failure) {
		cJSON_AddStringToObject(payload, "error", n->failure->msg);
		cJSON_AddStringToObject(payload, "error_type", "Error");
		cJSON_AddStringToObject(attributes, "error", n->failure->msg);
	}
	if (audit_event(c, n->event, task_id, NULL, payload, e) != 0) {
		cJSON_Delete(attributes);
		return -1;
	}
	cJSON *corr = cJSON_CreateObject();
	json_add_str(corr, "binding_id", json_str(sc->binding, "id"));
	cJSON_AddBoolToObject(corr, "dry_run", c->dry_run);
	cJSON_AddStringToObject(corr, "role", json_str(sc->session, "role"));
	cJSON_AddStringToObject(corr, "session", sc->w.name);
	cJSON_AddStringToObject(corr, "session_id", json_str(sc->session, "id"));
	char type[64];
	snprintf(type, sizeof type, "%s_%s", n->prefix, n->failure ? "failed" : "succeeded");
	struct telemetry t = {
		.actor = "workerctl",
		.event_type = type,
		.severity = n->failure ? "error" : n->unconfirmed ? "warning" : "info",
		.summary = n->summary,
		.task_id = task_id,
		.timestamp = sc->time,
		.correlation = corr,
		.attributes = attributes,
	};
	return audit_telemetry(c, &t, NULL, e);
}

/* Ends a failed steering command: records the failure (committed even though the command fails) and returns
 * NULL with e = failure, or with the audit's own error if recording failed. */
cJSON *steer_fail(struct ctx *c, const struct steer_ctx *sc, struct steer_note *n, struct err *failure,
		  struct err *e)
{
	n->failure = failure;
	if (steer_audit(c, sc, n, e) != 0)
		return NULL;
	*e = *failure;
	e->commit = 1;
	return NULL;
}

/* Adds key: true, false or null (-1) to o. */
void steer_add_tristate(cJSON *o, const char *key, int v)
{
	if (v < 0)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddBoolToObject(o, key, v);
}
