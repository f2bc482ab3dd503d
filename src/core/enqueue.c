/* enqueue-notify-manager and enqueue-nudge-worker (SPEC 6.1): queue a pending command for Dispatch to deliver. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/audit.h"
#include "core/dispatch_cmds.h"
#include "core/ids.h"
#include "core/session.h"
#include "store/store.h"
#include "util/json.h"

/* The manager permission taxonomy (reference src/runtime/manager-permissions.ts): every category.action. */
static const char *const enqueue_permissions[] = {
	"communication.comment_on_pr", "communication.notify_operator",
	"context.spawn_reviewer",      "context.fetch_prs",
	"context.fetch_issues",        "repo.merge_green_pr",
	"repo.monitor_ci",             "repo.open_pr",
	"repo.push_branch",            "repo.resolve_conflicts",
	"verification.run_playwright", "verification.run_xcodebuild",
	"verification.run_pytest",     "verification.run_cargo",
	"worker_session.compact",      "worker_session.clear",
	"worker_session.interrupt",    "worker_session.stop",
};

/* Aliases of permissions: each names one or two of the taxonomy's actions. */
static const struct {
	const char *alias, *first, *second;
} enqueue_aliases[] = {
	{"allow_pr", "repo.open_pr", NULL},
	{"create_pr", "repo.open_pr", NULL},
	{"allow_merge_green", "repo.merge_green_pr", NULL},
	{"merge_green_pr", "repo.merge_green_pr", NULL},
	{"allow_worker_compact_clear", "worker_session.compact", "worker_session.clear"},
	{"worker_compact_clear", "worker_session.compact", "worker_session.clear"},
};

/* Whether name (of len bytes) is a known manager permission or an alias of known ones. */
static int enqueue_permission_known(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof enqueue_aliases / sizeof *enqueue_aliases; i++)
		if (strlen(enqueue_aliases[i].alias) == len && strncmp(enqueue_aliases[i].alias, name, len) == 0)
			return 1;
	for (size_t i = 0; i < sizeof enqueue_permissions / sizeof *enqueue_permissions; i++)
		if (strlen(enqueue_permissions[i]) == len && strncmp(enqueue_permissions[i], name, len) == 0)
			return 1;
	return 0;
}

/* Whether text has a character other than white space. */
static int enqueue_nonblank(const char *text)
{
	for (const char *p = text; p && *p; p++)
		if (!isspace((unsigned char)*p))
			return 1;
	return 0;
}

/* Checks --required-permission and copies it, trimmed, into out (empty when the flag is absent); -1 with e set. */
static int enqueue_permission(const char *flag, char *out, size_t outlen, struct err *e)
{
	out[0] = '\0';
	if (!flag)
		return 0;
	const char *start = flag, *end = flag + strlen(flag);
	while (isspace((unsigned char)*start))
		start++;
	while (end > start && isspace((unsigned char)end[-1]))
		end--;
	if (start == end) {
		err_set(e, EXIT_USAGE, "required_permission must be non-empty when provided");
		return -1;
	}
	if (!enqueue_permission_known(start, (size_t)(end - start)) || (size_t)(end - start) >= outlen) {
		err_set(e, EXIT_USAGE, "unknown required_permission: %s", flag);
		return -1;
	}
	snprintf(out, outlen, "%.*s", (int)(end - start), start);
	return 0;
}

/* Emits command_created for a queued command. */
static int enqueue_telemetry(struct ctx *c, const char *id, const char *type, const char *task_id, const char *corr,
			     const char *key, const char *permission, struct err *e)
{
	char summary[160];
	snprintf(summary, sizeof summary, "Created command %s.", type);
	cJSON *correlation = cJSON_CreateObject(), *attributes = cJSON_CreateObject();
	cJSON_AddStringToObject(correlation, "command_id", id);
	cJSON_AddStringToObject(correlation, "command_type", type);
	cJSON_AddStringToObject(correlation, "correlation_id", corr);
	cJSON_AddStringToObject(attributes, "idempotency_key", key);
	cJSON_AddNullToObject(attributes, "manager_id");
	json_add_str(attributes, "required_permission", permission);
	cJSON_AddStringToObject(attributes, "state", "pending");
	cJSON_AddNullToObject(attributes, "worker_id");
	struct telemetry t = {"workerctl", "command_created", "info", summary, task_id, NULL, NULL, correlation, attributes};
	return audit_telemetry(c, &t, NULL, e);
}

/* Validates and inserts one pending command of type for the positional task; returns the SPEC 6.1 result. */
static cJSON *enqueue_command(struct ctx *c, const struct args *a, const char *type, struct err *e)
{
	const char *message = args_get(a, "--message");
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "%s requires a task.", a->word);
	if (!enqueue_nonblank(message))
		return err_null(e, EXIT_USAGE, "%s message must be non-empty", type);
	char permission[128];
	if (enqueue_permission(args_get(a, "--required-permission"), permission, sizeof permission, e) != 0)
		return NULL;
	const char *perm = permission[0] ? permission : NULL;
	struct store *s = ctx_db(c, e);
	cJSON *task = s ? task_lookup(s, a->positional, e) : NULL;
	if (!task)
		return NULL;
	char id[IDS_LEN], generated[IDS_LEN];
	ids_new("command", id);
	ids_new("dispatch", generated);
	const char *corr = args_get(a, "--correlation-id") ? args_get(a, "--correlation-id") : generated;
	const char *key = args_get(a, "--idempotency-key") ? args_get(a, "--idempotency-key") : id;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "message", message);
	int rc = store_exec(s,
			    "insert into commands(id, idempotency_key, created_at, updated_at, task_id, correlation_id, type, "
			    "state, max_attempts, required_permission, payload_json) "
			    "values (?1, ?2, ?3, ?3, ?4, ?5, ?6, 'pending', 1, ?7, ?8)",
			    "sssssssj", id, key, c->now, json_str(task, "id"), corr, type, perm, payload);
	cJSON_Delete(payload);
	cJSON *r = NULL;
	if (rc != 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	else if (enqueue_telemetry(c, id, type, json_str(task, "id"), corr, key, perm, e) == 0) {
		r = cJSON_CreateObject();
		cJSON_AddStringToObject(r, "command_id", id);
		cJSON_AddStringToObject(r, "command_type", type);
		cJSON_AddStringToObject(r, "correlation_id", corr);
		json_add_str(r, "required_permission", perm);
		cJSON_AddStringToObject(r, "task", json_str(task, "id"));
	}
	cJSON_Delete(task);
	return r;
}

/* enqueue-notify-manager TASK --message TEXT: a worker-to-manager message for Dispatch. */
cJSON *enqueue_notify_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return enqueue_command(c, a, "notify_manager", e);
}

/* enqueue-nudge-worker TASK --message TEXT: a manager-to-worker message for Dispatch. */
cJSON *enqueue_nudge_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return enqueue_command(c, a, "nudge_worker", e);
}

/* Text form: queued <type> command <id>. */
void enqueue_text(const cJSON *r, struct sb *out)
{
	sb_addf_clean(out, "queued %s command %s\n", json_str(r, "command_type"), json_str(r, "command_id"));
}
