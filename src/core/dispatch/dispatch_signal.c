/* Executing one claimed command (SPEC 6.3, docs/dispatch.md): route it through the task's active binding, check
 * its permission, leave a routed notification, and deliver it: pull_required at once, push by typing it into the
 * target's tmux pane with no transaction open (claim, release, deliver, record). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/session/session.h"
#include "core/steer/steer.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

/* Where a command goes: its binding and both sessions, and the text. A command addressed to a session has no
 * binding and no source session (binding and source are JSON null: the operator queued it). */
struct dispatch_route {
	cJSON *binding, *source, *target;
	const char *text;
	const char *mode;        /* push | pull_required */
	cJSON *permission_check; /* {allowed, required_permission} or JSON null */
};

/* Emits one dispatch telemetry row about a routed command (actor dispatch); attributes taken. */
static int dispatch_signal_telemetry(struct ctx *c, const struct dispatch_opts *o, const struct dispatch_item *it,
				     const char *type, const char *severity, const char *summary, cJSON *attrs,
				     struct err *e)
{
	cJSON *corr = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "command_id", json_str(it->cmd, "id"));
	cJSON_AddStringToObject(corr, "command_type", json_str(it->cmd, "type"));
	cJSON_AddStringToObject(corr, "correlation_id", json_str(it->cmd, "correlation_id"));
	cJSON_AddStringToObject(corr, "dispatcher_id", o->dispatcher_id);
	if (it->notification_id)
		cJSON_AddNumberToObject(corr, "notification_id", (double)it->notification_id);
	struct telemetry t = {"dispatch", type, severity, summary, json_str(it->cmd, "task_id"), NULL, NULL, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* Fails with the store's message; returns -1. */
static int dispatch_db_err(struct ctx *c, struct err *e)
{
	err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return -1;
}

/* The session row (id, name, role, tmux_session, tmux_pane_id, codex_session_path) with id, or NULL with e set
 * (whose: what the message calls it). */
static cJSON *dispatch_session(struct store *s, const char *id, const char *whose, struct err *e)
{
	cJSON *row = optional_row(s, e,
				  "select id, name, role, tmux_session, tmux_pane_id, codex_session_path from sessions "
				  "where id = ?",
				  "s", id);
	if (row && cJSON_IsNull(row)) {
		cJSON_Delete(row);
		return err_null(e, EXIT_USAGE, "%s is no longer registered", whose);
	}
	return row;
}

/* The name a message or summary gives the route's source: its session, or "operator" for none. */
static const char *dispatch_source_name(const struct dispatch_route *r)
{
	const char *name = json_str(r->source, "name");
	return name ? name : "operator";
}

/* Steps 2-3 for a command addressed to a session: that session, of the role the type goes to, with no binding
 * and no source session. -1 with e set. */
static int dispatch_route_session(struct ctx *c, const struct dispatch_item *it, const char *role,
				  struct dispatch_route *r, struct err *e)
{
	r->binding = cJSON_CreateNull();
	r->source = cJSON_CreateNull();
	if (!(r->target = dispatch_session(c->store, json_str(it->cmd, "target_session_id"), "the command's session", e)))
		return -1;
	if (strcmp(json_str(r->target, "role"), role) != 0)
		return err_set(e, EXIT_USAGE, "session \"%s\" has role \"%s\", expected \"%s\"", json_str(r->target, "name"),
			       json_str(r->target, "role"), role),
		       -1;
	return 0;
}

/* Checks required_permission against the task's manager config (permissions_json: an array naming it, or an
 * object mapping it to true); emits dispatch_command_permission_checked. 0 allowed, -1 with e set. */
static int dispatch_permission(struct ctx *c, const struct dispatch_opts *o, const struct dispatch_item *it,
			       struct dispatch_route *r, struct err *e)
{
	const char *perm = json_str(it->cmd, "required_permission");
	if (!perm) {
		r->permission_check = cJSON_CreateNull();
		return 0;
	}
	long long allowed = 0;
	if (store_int(c->store, &allowed,
		      "select count(*) from manager_configs m, json_each(m.permissions_json) j where m.task_id = ?1 and "
		      "((json_type(m.permissions_json) = 'array' and j.value = ?2) or "
		      "(json_type(m.permissions_json) = 'object' and j.key = ?2 and j.type = 'true'))",
		      "ss", json_str(it->cmd, "task_id"), perm) < 0)
		return dispatch_db_err(c, e);
	r->permission_check = cJSON_CreateObject();
	cJSON_AddBoolToObject(r->permission_check, "allowed", allowed > 0);
	cJSON_AddStringToObject(r->permission_check, "required_permission", perm);
	char summary[256];
	snprintf(summary, sizeof summary, "Permission %s %s for command %s.", perm, allowed ? "allowed" : "denied",
		 json_str(it->cmd, "type"));
	if (dispatch_signal_telemetry(c, o, it, "dispatch_command_permission_checked", allowed ? "info" : "warning",
				      summary, cJSON_Duplicate(r->permission_check, 1), e) != 0)
		return -1;
	if (!allowed)
		return err_set(e, EXIT_USAGE, "manager permission denied: %s", perm), -1;
	return 0;
}

/* Steps 1-4: the text, the route by command type, the permission and the delivery mode; -1 with e set. */
static int dispatch_route(struct ctx *c, const struct dispatch_opts *o, const struct dispatch_item *it,
			  struct dispatch_route *r, struct err *e)
{
	const cJSON *payload = cJSON_GetObjectItem(it->cmd, "payload");
	const char *type = json_str(it->cmd, "type"), *task_id = json_str(it->cmd, "task_id");
	r->text = json_str(payload, "message") ? json_str(payload, "message") : json_str(payload, "text");
	if (!r->text || !*r->text)
		return err_set(e, EXIT_USAGE, "%s command has no message text", type), -1;
	int to_manager = strcmp(type, "notify_manager") == 0;
	if (!to_manager && strcmp(type, "nudge_worker") != 0 && strcmp(type, "continue_iteration") != 0)
		return err_set(e, EXIT_USAGE, "unsupported command type for dispatch: %s", type), -1;
	if (json_str(it->cmd, "target_session_id")) {
		if (dispatch_route_session(c, it, to_manager ? "manager" : "worker", r, e) != 0)
			return -1;
		r->mode = json_str(r->target, "tmux_session") ? "push" : "pull_required";
		return dispatch_permission(c, o, it, r, e);
	}
	if (!task_id)
		return err_set(e, EXIT_USAGE, "%s command has no task", type), -1;
	if (!(r->binding = binding_active(c->store, task_id, e)))
		return -1;
	if (cJSON_IsNull(r->binding))
		return err_set(e, EXIT_USAGE, "task %s has no active binding", task_id), -1;
	const char *worker = json_str(r->binding, "worker_session_id"), *manager = json_str(r->binding, "manager_session_id");
	if (!worker || !manager)
		return err_set(e, EXIT_USAGE, "the binding of task %s has no worker and manager sessions", task_id), -1;
	if (!(r->source = dispatch_session(c->store, to_manager ? worker : manager,
					   to_manager ? "the worker session of the task's binding"
						      : "the manager session of the task's binding",
					   e)) ||
	    !(r->target = dispatch_session(c->store, to_manager ? manager : worker,
					   to_manager ? "the manager session of the task's binding"
						      : "the worker session of the task's binding",
					   e)))
		return -1;
	r->mode = json_str(r->target, "tmux_session") ? "push" : "pull_required";
	return dispatch_permission(c, o, it, r, e);
}

/* The routed notification's payload to start from: the command payload's own keys (a campaign's ids, say) other
 * than the text and the routing fields dispatch_notify writes, so the inbox reader gets both. */
static cJSON *dispatch_payload_extra(const struct dispatch_item *it)
{
	static const char *const routing[] = {"command_id",     "command_type",   "delivery_mode",  "dispatcher_id",
					      "message",        "permission_check", "source_session", "target_session",
					      "task_id",        "text"};
	cJSON *p = cJSON_CreateObject();
	const cJSON *item;
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(it->cmd, "payload"))
	{
		size_t i = 0;
		while (i < sizeof routing / sizeof *routing && strcmp(item->string, routing[i]) != 0)
			i++;
		if (i == sizeof routing / sizeof *routing)
			cJSON_AddItemToObject(p, item->string, cJSON_Duplicate(item, 1));
	}
	return p;
}

/* Step 6: the command's routed notification, pending and claimed by this dispatcher: a new row, or the pending
 * row a failed earlier attempt left (re-routed through today's binding). Emits dispatch_command_attempted. */
static int dispatch_notify(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it,
			   const struct dispatch_route *r, struct err *e)
{
	const char *cmd_id = json_str(it->cmd, "id"), *type = json_str(it->cmd, "type");
	char dedupe[512], expires[CLOCK_ISO_LEN];
	if (json_str(r->binding, "id"))
		snprintf(dedupe, sizeof dedupe, "%s:%s:%s", json_str(r->binding, "id"), type, cmd_id);
	else
		snprintf(dedupe, sizeof dedupe, "session:%s:%s:%s", json_str(r->target, "id"), type, cmd_id);
	clock_format_ms(c->now_ms + o->lease_ms, expires);
	cJSON *p = dispatch_payload_extra(it);
	cJSON_AddStringToObject(p, "command_id", cmd_id);
	cJSON_AddStringToObject(p, "command_type", type);
	cJSON_AddStringToObject(p, "delivery_mode", r->mode);
	cJSON_AddStringToObject(p, "dispatcher_id", o->dispatcher_id);
	cJSON_AddStringToObject(p, "message", r->text);
	cJSON_AddItemToObject(p, "permission_check", cJSON_Duplicate(r->permission_check, 1));
	json_add_str(p, "source_session", json_str(r->source, "name"));
	cJSON_AddStringToObject(p, "target_session", json_str(r->target, "name"));
	json_add_str(p, "task_id", json_str(it->cmd, "task_id"));
	long long old = 0;
	int rc = store_int(c->store, &old, "select id from routed_notifications where command_id = ? and state = 'pending'",
			   "s", cmd_id);
	if (rc >= 0)
		rc = store_int(c->store, &it->notification_id,
			       rc == 1 ? "update routed_notifications set task_id = ?1, binding_id = ?2, correlation_id = ?3, "
					 "source_session_id = ?4, target_session_id = ?5, signal_type = ?6, dedupe_key = ?7, "
					 "command_id = ?8, delivery_mode = ?10, claimed_by = ?11, "
					 "claimed_at = ?9, claim_expires_at = ?12, side_effect_started = 0, "
					 "side_effect_completed = 0, payload_json = ?13, error = null where id = ?14 returning id"
				       : "insert into routed_notifications(task_id, binding_id, correlation_id, source_session_id, "
					 "target_session_id, signal_type, dedupe_key, command_id, created_at, delivery_mode, "
					 "state, claimed_by, claimed_at, claim_expires_at, payload_json) values (?1, ?2, ?3, ?4, "
					 "?5, ?6, ?7, ?8, ?9, ?10, 'pending', ?11, ?9, ?12, ?13) returning id",
			       rc == 1 ? "ssssssssssssji" : "ssssssssssssj", json_str(it->cmd, "task_id"),
			       json_str(r->binding, "id"), json_str(it->cmd, "correlation_id"), json_str(r->source, "id"),
			       json_str(r->target, "id"), type, dedupe, cmd_id, c->now, r->mode, o->dispatcher_id,
			       expires, p, old);
	cJSON_Delete(p);
	if (rc != 1)
		return dispatch_db_err(c, e);
	char summary[256];
	snprintf(summary, sizeof summary, "Routed command %s from %s to %s (%s).", type, dispatch_source_name(r),
		 json_str(r->target, "name"), r->mode);
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "delivery_mode", r->mode);
	json_add_str(attrs, "source_session", json_str(r->source, "name"));
	cJSON_AddStringToObject(attrs, "target_session", json_str(r->target, "name"));
	return dispatch_signal_telemetry(c, o, it, "dispatch_command_attempted", "info", summary, attrs, e);
}

/* A command's result (SPEC 6.3): the normal fields, or with error set, the failure fields. */
static cJSON *dispatch_result(const struct dispatch_opts *o, const struct dispatch_item *it,
			      const struct dispatch_route *r, const char *state, const char *error)
{
	cJSON *x = cJSON_CreateObject();
	cJSON_AddNumberToObject(x, "attempt_id", (double)it->attempt_id);
	cJSON_AddStringToObject(x, "command_id", json_str(it->cmd, "id"));
	cJSON_AddStringToObject(x, "command_type", json_str(it->cmd, "type"));
	cJSON_AddStringToObject(x, "correlation_id", json_str(it->cmd, "correlation_id"));
	json_add_str(x, "delivery_mode", r->mode);
	cJSON_AddStringToObject(x, "dispatcher_id", o->dispatcher_id);
	cJSON_AddFalseToObject(x, "dry_run");
	json_add_str(x, "error", error);
	if (it->notification_id)
		cJSON_AddNumberToObject(x, "notification_id", (double)it->notification_id);
	else
		cJSON_AddNullToObject(x, "notification_id");
	cJSON_AddItemToObject(x, "permission_check",
			      r->permission_check ? cJSON_Duplicate(r->permission_check, 1) : cJSON_CreateNull());
	json_add_str(x, "required_permission", json_str(it->cmd, "required_permission"));
	cJSON_AddBoolToObject(x, "side_effect_completed", it->completed);
	cJSON_AddBoolToObject(x, "side_effect_started", it->started);
	cJSON_AddStringToObject(x, "state", state);
	json_add_str(x, "target_session", json_str(r->target, "name"));
	return x;
}

/* Records a failed delivery: notification failed once its side effect may have started (never retried, it could
 * type the text twice), else pending again with the command requeued while it has attempts left (defect 34).
 * Emits dispatch_signal_failed and returns the result. */
static cJSON *dispatch_failed(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it,
			      const struct dispatch_route *r, const char *error, struct err *e)
{
	int retry = !it->started && cJSON_GetObjectItem(it->cmd, "attempts")->valuedouble <
					   cJSON_GetObjectItem(it->cmd, "tries")->valuedouble;
	cJSON *x = dispatch_result(o, it, r, "failed", error);
	cJSON_AddBoolToObject(x, "requeued", retry);
	int rc = dispatch_settle(c, it, "failed", error, retry, cJSON_Duplicate(x, 1), e);
	if (rc == 0 &&
	    store_exec(c->store,
		       retry ? "update routed_notifications set claimed_by = null, claimed_at = null, claim_expires_at = null, "
			       "side_effect_started = 0, side_effect_completed = 0, error = ?1 where id = ?2"
			     : "update routed_notifications set state = 'failed', side_effect_started = ?3, "
			       "side_effect_completed = ?4, error = ?1 where id = ?2",
		       retry ? "si" : "siii", error, it->notification_id, (long long)it->started,
		       (long long)it->completed) != 0)
		rc = dispatch_db_err(c, e);
	if (rc == 0) {
		char summary[256];
		snprintf(summary, sizeof summary, "Delivery of command %s to %s failed%s.", json_str(it->cmd, "type"),
			 json_str(r->target, "name"), retry ? "; requeued" : "");
		cJSON *attrs = cJSON_CreateObject();
		cJSON_AddStringToObject(attrs, "error", error);
		cJSON_AddBoolToObject(attrs, "requeued", retry);
		cJSON_AddBoolToObject(attrs, "side_effect_completed", it->completed);
		cJSON_AddBoolToObject(attrs, "side_effect_risk", it->started && !it->completed);
		cJSON_AddBoolToObject(attrs, "side_effect_started", it->started);
		rc = dispatch_signal_telemetry(c, o, it, "dispatch_signal_failed", "error", summary, attrs, e);
	}
	if (rc < 0) {
		cJSON_Delete(x);
		return NULL;
	}
	if (rc == 1)
		cJSON_ReplaceItemInObject(x, "state", cJSON_CreateString("lease_lost"));
	return x;
}

/* Records a delivered notification (push typed it, or pull_required) and the command succeeded; emits
 * dispatch_signal_routed or dispatch_signal_pull_required and returns the result. */
static cJSON *dispatch_delivered(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it,
				 const struct dispatch_route *r, cJSON *send_result, struct err *e)
{
	int push = strcmp(r->mode, "push") == 0;
	cJSON *x = dispatch_result(o, it, r, push ? "delivered" : "pull_required", NULL);
	if (send_result)
		cJSON_AddItemToObject(x, "send_result", send_result);
	int rc = dispatch_settle(c, it, "succeeded", NULL, 0, cJSON_Duplicate(x, 1), e);
	if (rc == 1) {
		cJSON_ReplaceItemInObject(x, "state", cJSON_CreateString("lease_lost"));
		return x;
	}
	if (rc == 0 && store_exec(c->store,
				  "update routed_notifications set state = 'delivered', delivered_at = ?, side_effect_started = ?, "
				  "side_effect_completed = ? where id = ?",
				  "siii", c->now, (long long)it->started, (long long)it->completed, it->notification_id) != 0)
		rc = dispatch_db_err(c, e);
	char summary[256];
	snprintf(summary, sizeof summary, "%s command %s for %s.", push ? "Delivered" : "Pull required:",
		 json_str(it->cmd, "type"), json_str(r->target, "name"));
	cJSON *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(attrs, "delivery_mode", r->mode);
	cJSON_AddBoolToObject(attrs, "side_effect_completed", it->completed);
	cJSON_AddBoolToObject(attrs, "side_effect_started", it->started);
	cJSON_AddStringToObject(attrs, "target_session", json_str(r->target, "name"));
	if (rc == 0 && dispatch_signal_telemetry(c, o, it, push ? "dispatch_signal_routed" : "dispatch_signal_pull_required",
						 "info", summary, attrs, e) == 0)
		return x;
	if (rc != 0)
		cJSON_Delete(attrs);
	cJSON_Delete(x);
	return NULL;
}

/* Step 7: types the text into the target's pane with no transaction open. The side-effect flag is written (and
 * committed) before anything is typed, once the tmux session is known to run, so a dispatcher killed mid-typing
 * leaves a claim that recovery fails instead of retrying; the outcome then records what steer_send reports. */
static cJSON *dispatch_push(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it,
			    const struct dispatch_route *r, struct err *e)
{
	char *target = tmux_target(json_str(r->target, "tmux_session"), json_str(r->target, "tmux_pane_id"));
	char *exact = tmux_exact(target);
	struct steer_worker w = {json_str(r->target, "name"), json_str(r->target, "tmux_session"), exact,
				 json_str(r->target, "codex_session_path")};
	struct steer_sent sent = {0, 0, -1, NULL};
	struct err failure = {0};
	cJSON *x = NULL;
	if (ctx_release(c, e) != 0)
		goto out;
	if (steer_alive(&w, &failure) == 0) {
		if (!ctx_db(c, e) ||
		    store_exec(c->store, "update command_attempts set side_effect_started = 1 where id = ? and state = 'running'",
			       "i", it->attempt_id) != 0 ||
		    store_exec(c->store, "update routed_notifications set side_effect_started = 1 where id = ?", "i",
			       it->notification_id) != 0 ||
		    ctx_release(c, e) != 0) {
			if (!e->code)
				err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
			goto out;
		}
		steer_send(&w, r->text, 0, &sent, &failure);
	}
	it->started = sent.started;
	it->completed = sent.completed;
	if (!ctx_db(c, e) || dispatch_refresh_now(c, e) != 0)
		goto out;
	if (failure.code) {
		x = dispatch_failed(c, o, it, r, failure.msg, e);
	} else {
		cJSON *s = cJSON_CreateObject();
		json_add_str(s, "confirmed_by", sent.confirmed_by);
		cJSON_AddBoolToObject(s, "side_effect_completed", sent.completed);
		cJSON_AddBoolToObject(s, "side_effect_started", sent.started);
		cJSON_AddStringToObject(s, "target", target);
		x = dispatch_delivered(c, o, it, r, s, e);
	}
out:
	free(target);
	free(exact);
	return x;
}

/* Executes one claimed command inside the claim's transaction (a push releases it while typing): returns its
 * result for processed, or NULL with e set on a database error. */
cJSON *dispatch_execute(struct ctx *c, const struct dispatch_opts *o, struct dispatch_item *it, struct err *e)
{
	struct dispatch_route r = {0};
	struct err why = {0};
	cJSON *x = NULL;
	if (dispatch_route(c, o, it, &r, &why) != 0) {
		x = dispatch_result(o, it, &r, "failed", why.msg);
		cJSON_AddStringToObject(x, "error_type", "Error");
		if (dispatch_settle(c, it, "failed", why.msg, 0, cJSON_Duplicate(x, 1), e) < 0) {
			cJSON_Delete(x);
			x = NULL;
		}
	} else if (dispatch_notify(c, o, it, &r, e) == 0) {
		x = strcmp(r.mode, "push") == 0 ? dispatch_push(c, o, it, &r, e) : dispatch_delivered(c, o, it, &r, NULL, e);
	}
	cJSON_Delete(r.binding);
	cJSON_Delete(r.source);
	cJSON_Delete(r.target);
	cJSON_Delete(r.permission_check);
	return x;
}
