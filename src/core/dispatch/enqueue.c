/* enqueue-notify-manager and enqueue-nudge-worker (SPEC 6.1): queue a pending command for Dispatch to deliver. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/base/ids.h"
#include "core/session/session.h"
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

/* Emits command_created for a queued command (r: its result). */
static int enqueue_telemetry(struct ctx *c, const cJSON *r, const char *task_id, const char *session_id,
			     const char *key, struct err *e)
{
	char summary[160];
	snprintf(summary, sizeof summary, "Created command %s.", json_str(r, "command_type"));
	cJSON *correlation = cJSON_CreateObject(), *attributes = cJSON_CreateObject();
	cJSON_AddStringToObject(correlation, "command_id", json_str(r, "command_id"));
	cJSON_AddStringToObject(correlation, "command_type", json_str(r, "command_type"));
	cJSON_AddStringToObject(correlation, "correlation_id", json_str(r, "correlation_id"));
	cJSON_AddStringToObject(attributes, "idempotency_key", key);
	cJSON_AddNullToObject(attributes, "manager_id");
	json_add_str(attributes, "required_permission", json_str(r, "required_permission"));
	cJSON_AddStringToObject(attributes, "state", "pending");
	if (session_id)
		cJSON_AddStringToObject(attributes, "target_session_id", session_id);
	cJSON_AddNullToObject(attributes, "worker_id");
	struct telemetry t = {"workerctl", "command_created", "info", summary, task_id, NULL, NULL, correlation, attributes};
	return audit_telemetry(c, &t, NULL, e);
}

/* Inserts one pending command (SPEC 6.1) routed through q->task's binding or addressed to q->session, and emits
 * command_created. Returns {command_id, command_type, correlation_id, required_permission, task: the task id},
 * or for a session task null and target_session {id, name, role}; NULL with e set. */
cJSON *enqueue_insert(struct ctx *c, const struct enqueue_spec *q, struct err *e)
{
	char id[IDS_LEN], generated[IDS_LEN];
	ids_new("command", id);
	ids_new("dispatch", generated);
	const char *corr = q->correlation_id ? q->correlation_id : generated;
	const char *key = q->idempotency_key ? q->idempotency_key : id;
	const char *task_id = json_str(q->task, "id"), *session_id = json_str(q->session, "id");
	cJSON *payload = q->payload ? cJSON_Duplicate(q->payload, 1) : cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "message", q->message);
	int rc = store_exec(c->store,
			    "insert into commands(id, idempotency_key, created_at, updated_at, task_id, target_session_id, "
			    "correlation_id, type, state, max_attempts, required_permission, payload_json) "
			    "values (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, 'pending', 1, ?8, ?9)",
			    "ssssssssj", id, key, c->now, task_id, session_id, corr, q->type, q->permission, payload);
	cJSON_Delete(payload);
	if (rc != 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "command_id", id);
	cJSON_AddStringToObject(r, "command_type", q->type);
	cJSON_AddStringToObject(r, "correlation_id", corr);
	json_add_str(r, "required_permission", q->permission);
	if (q->session) {
		cJSON *t = cJSON_AddObjectToObject(r, "target_session");
		cJSON_AddStringToObject(t, "id", session_id);
		cJSON_AddStringToObject(t, "name", json_str(q->session, "name"));
		cJSON_AddStringToObject(t, "role", json_str(q->session, "role"));
		cJSON_AddNullToObject(r, "task");
	} else {
		cJSON_AddStringToObject(r, "task", task_id);
	}
	if (enqueue_telemetry(c, r, task_id, session_id, key, e) != 0) {
		cJSON_Delete(r);
		return NULL;
	}
	return r;
}

/* Checks where a command goes: the positional task or --session, exactly one. */
static int enqueue_target_args(const struct args *a, struct err *e)
{
	if (a->positional && args_get(a, "--session"))
		return err_set(e, EXIT_USAGE, "%s takes a task or --session, not both", a->word), -1;
	if (!a->positional && !args_get(a, "--session"))
		return err_set(e, EXIT_USAGE, "%s requires a task.", a->word), -1;
	return 0;
}

/* Validates and queues one pending command of type for the positional task or --session (of role). */
static cJSON *enqueue_command(struct ctx *c, const struct args *a, const char *type, const char *role, struct err *e)
{
	const char *message = args_get(a, "--message");
	char permission[128];
	if (enqueue_target_args(a, e) != 0)
		return NULL;
	if (!enqueue_nonblank(message))
		return err_null(e, EXIT_USAGE, "%s message must be non-empty", type);
	if (enqueue_permission(args_get(a, "--required-permission"), permission, sizeof permission, e) != 0)
		return NULL;
	struct enqueue_spec q = {type, NULL, NULL, message, args_get(a, "--correlation-id"),
				 args_get(a, "--idempotency-key"), permission[0] ? permission : NULL, NULL};
	if (q.permission && !a->positional)
		return err_null(e, EXIT_USAGE,
				"--required-permission needs a task: it is checked against the task's manager config");
	struct store *s = ctx_db(c, e);
	cJSON *target = !s ? NULL
			   : a->positional ? task_lookup(s, a->positional, e)
					   : session_by_name(s, args_get(a, "--session"), role, e);
	if (!target)
		return NULL;
	if (a->positional)
		q.task = target;
	else
		q.session = target;
	cJSON *r = enqueue_insert(c, &q, e);
	cJSON_Delete(target);
	return r;
}

/* enqueue-notify-manager (TASK | --session MANAGER) --message TEXT: a message to a manager for Dispatch. */
static cJSON *enqueue_notify_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return enqueue_command(c, a, "notify_manager", "manager", e);
}

/* The flags of enqueue-notify-manager, enqueue-nudge-worker. */
static const struct flag_spec enqueue_flags[] = {
	{.name = "--message", .type = FLAG_STRING, .arg = "TEXT", .help = "text to deliver (required, not blank)", .guard = 1},
	{.name = "--session", .type = FLAG_STRING, .arg = "SESSION",
	 .help = "address this session instead of TASK's binding"},
	{.name = "--correlation-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "correlation id (default: a generated dispatch id)"},
	{.name = "--idempotency-key", .type = FLAG_STRING, .arg = "K",
	 .help = "deduplication key, refused if reused (default: command id)"},
	{.name = "--required-permission", .type = FLAG_STRING, .arg = "P",
	 .help = "manager permission or alias it needs (TASK only)"},
	{0},
};

/* `enqueue-notify-manager`. */
const struct cmd_entry cmd_enqueue_notify_manager = {
	.word = "enqueue-notify-manager",
	.man = "conveyor-dispatch",
	.usage = "enqueue-notify-manager (TASK | --session MANAGER) --message TEXT [--correlation-id ID] [--idempotency-key K] "
		"[--required-permission P]",
	.summary = "Queue a message from the worker to the task's manager (or to one manager session) for Dispatch to deliver.",
	.help = "Writes a pending notify_manager command (one attempt); no binding is needed yet. P is a manager\n"
		"permission category.action (repo.open_pr) or an alias (allow_pr). A reused idempotency key is refused.\n"
		"With --session the command goes to that manager session whatever its bindings (no task, so no P).\n"
		"\nexample:\n  conveyor enqueue-notify-manager docs --message 'Chapter 4 is drafted' --json\n",
	.flags = enqueue_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = enqueue_notify_manager,
	.text = enqueue_text,
};

/* enqueue-nudge-worker (TASK | --session WORKER) --message TEXT: a message to a worker for Dispatch. */
static cJSON *enqueue_nudge_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return enqueue_command(c, a, "nudge_worker", "worker", e);
}

/* `enqueue-nudge-worker`. */
const struct cmd_entry cmd_enqueue_nudge_worker = {
	.word = "enqueue-nudge-worker",
	.man = "conveyor-dispatch",
	.usage = "enqueue-nudge-worker (TASK | --session WORKER) --message TEXT [--correlation-id ID] [--idempotency-key K] "
		"[--required-permission P]",
	.summary = "Queue a message from the manager to the task's worker (or to one worker session) for Dispatch to deliver.",
	.help = "Same as enqueue-notify-manager with command type nudge_worker; --session names a worker session.\n"
		"\nexample:\n  conveyor enqueue-nudge-worker docs --message 'Run the tests before you report' --json\n",
	.flags = enqueue_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = enqueue_nudge_worker,
	.text = enqueue_text,
};

/* Text form: queued <type> command <id> [for session <name>]. */
void enqueue_text(const cJSON *r, struct sb *out)
{
	const cJSON *target = cJSON_GetObjectItem(r, "target_session");
	sb_addf_clean(out, "queued %s command %s", json_str(r, "command_type"), json_str(r, "command_id"));
	if (cJSON_IsObject(target))
		sb_addf_clean(out, " for session %s", json_str(target, "name"));
	sb_adds(out, "\n");
}
