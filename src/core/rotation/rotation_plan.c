/* app-worker-rotation-plan (SPEC 4.1): the two app actions that replace a worker thread, or why it cannot be done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/base/ids.h"
#include "core/cmd/cmd.h"
#include "core/session/prompts.h"
#include "core/rotation/rotation.h"
#include "util/shell.h"
#include "util/json.h"

/* The replacement thread's title: the old title trimmed, or "<task> worker", then " fresh". */
static char *plan_title(const struct rotation *r)
{
	const char *old = json_str(r->worker, "codex_app_thread_title");
	struct sb sb;
	sb_init(&sb);
	while (old && (*old == ' ' || *old == '\t' || *old == '\n'))
		old++;
	size_t n = old ? strlen(old) : 0;
	while (n && (old[n - 1] == ' ' || old[n - 1] == '\t' || old[n - 1] == '\n'))
		n--;
	if (n)
		sb_addn(&sb, old, n);
	else
		sb_addf(&sb, "%s worker", json_str(r->task, "name"));
	sb_adds(&sb, " fresh");
	return sb_take(&sb);
}

/* The prompt that starts the replacement worker thread (SPEC 4.1 step 9). */
static char *plan_prompt(const struct prompt_ctx *p, const struct rotation *r, const char *reason)
{
	struct sb sb;
	sb_init(&sb);
	sb_addf(&sb, "Use the manage-codex-workers skill.\nYou are the replacement Codex app worker thread for task %s.\n",
		p->task);
	if (reason && *reason)
		sb_addf(&sb, "Rotation reason: %s\n", reason);
	else
		sb_adds(&sb, "Rotation reason: fresh worker context for Codex app usage.\n");
	if (cJSON_IsObject(r->handoff)) {
		char *steps = json_compact(cJSON_GetObjectItem(r->handoff, "next_steps"));
		sb_addf(&sb, "Saved handoff id: %.0f\nSaved handoff summary: %s\nSaved handoff next steps: %s\n",
			cJSON_GetNumberValue(cJSON_GetObjectItem(r->handoff, "id")), json_str(r->handoff, "summary"), steps);
		free(steps);
	} else {
		sb_adds(&sb, "No saved handoff was required for this rotation plan.\n");
	}
	sb_adds(&sb, "\nResume from the saved handoff and continue through Conveyor only. Do not rely on the archived "
		     "worker thread for context beyond the handoff above.\n");
	prompts_visible_protocol(&sb, "worker");
	sb_adds(&sb, "Run: ");
	prompts_command(&sb, p, "app-heartbeat", " --role worker", " --json");
	sb_adds(&sb, "\nIf the heartbeat output asks for direct inbox polling, run: ");
	prompts_command(&sb, p, "worker-inbox", " --consume-next --wait --timeout 60", " --json");
	sb_adds(&sb, "\nIf no item is consumed, stop after a one-line idle receipt.");
	return sb_take(&sb);
}

/* One plan action: {type, status, role, send_ready, guard, thread{id, title}}. */
static cJSON *plan_action(const char *type, const char *status, const cJSON *guard, const char *id, const char *title)
{
	cJSON *a = cJSON_CreateObject(), *t;
	cJSON_AddItemToObject(a, "guard", cJSON_Duplicate(guard, 1));
	cJSON_AddStringToObject(a, "role", "worker");
	cJSON_AddTrueToObject(a, "send_ready");
	cJSON_AddStringToObject(a, "status", status);
	t = cJSON_AddObjectToObject(a, "thread");
	json_add_str(t, "id", id);
	json_add_str(t, "title", title);
	cJSON_AddStringToObject(a, "type", type);
	return a;
}

/* The plan document (without receipt): actions and record command only when eligible. */
static cJSON *plan_document(struct ctx *c, const struct rotation *r, const char *old, const char *reason)
{
	int eligible = cJSON_GetArraySize(r->blockers) == 0;
	struct prompt_ctx p = {c->prog, json_str(r->task, "name"), c->db_path};
	cJSON *doc = cJSON_CreateObject(), *actions = cJSON_AddArrayToObject(doc, "actions");
	if (eligible) {
		char *title = plan_title(r), *prompt = plan_prompt(&p, r, reason);
		cJSON *create = plan_action("create_replacement_worker_thread", "ready_to_create", r->guard, NULL, title);
		cJSON_AddStringToObject(create, "prompt", prompt);
		cJSON_AddItemToArray(actions, create);
		cJSON_AddItemToArray(actions, plan_action("archive_old_worker_thread", "ready_to_archive", r->guard,
							  json_str(r->worker, "codex_app_thread_id"),
							  json_str(r->worker, "codex_app_thread_title")));
		free(title);
		free(prompt);
		struct sb sb;
		sb_init(&sb);
		struct sb mid;
		sb_init(&mid);
		sb_adds(&mid, " --old-worker-thread-id ");
		shell_quote(&mid, old);
		sb_adds(&mid, " --new-worker-thread-id <new.thread.id> --new-worker-thread-title <new.thread.title> "
			      "--archive-status archived");
		prompts_command(&sb, &p, "app-worker-rotation-record", mid.buf, " --json");
		cJSON_AddStringToObject(doc, "record_command", sb.buf);
		sb_free(&sb);
		sb_free(&mid);
	} else {
		cJSON_AddNullToObject(doc, "record_command");
	}
	cJSON_AddItemToObject(doc, "blockers", cJSON_Duplicate(r->blockers, 1));
	cJSON_AddBoolToObject(doc, "eligible", eligible);
	cJSON_AddItemToObject(doc, "guard", cJSON_Duplicate(r->guard, 1));
	cJSON_AddItemToObject(doc, "handoff", cJSON_Duplicate(r->handoff, 1));
	cJSON_AddItemToObject(doc, "old_worker", rotation_old_worker(r));
	cJSON_AddItemToObject(doc, "task", rotation_task(r));
	return doc;
}

/* The plan's telemetry attributes: action summaries, blockers, eligibility, handoff id, old thread, reason. */
static cJSON *plan_attributes(const cJSON *doc, const struct rotation *r, const char *old, const char *reason)
{
	cJSON *attrs = cJSON_CreateObject(), *list = cJSON_AddArrayToObject(attrs, "actions"), *it;
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(doc, "actions"))
	{
		cJSON *a = cJSON_CreateObject();
		cJSON_AddStringToObject(a, "status", json_str(it, "status"));
		json_add_str(a, "thread_id", json_str(cJSON_GetObjectItem(it, "thread"), "id"));
		cJSON_AddStringToObject(a, "type", json_str(it, "type"));
		cJSON_AddItemToArray(list, a);
	}
	cJSON_AddItemToObject(attrs, "blockers", cJSON_Duplicate(r->blockers, 1));
	cJSON_AddItemToObject(attrs, "eligible", cJSON_Duplicate(cJSON_GetObjectItem(doc, "eligible"), 1));
	if (cJSON_IsObject(r->handoff))
		cJSON_AddItemToObject(attrs, "handoff_id", cJSON_Duplicate(cJSON_GetObjectItem(r->handoff, "id"), 1));
	else
		cJSON_AddNullToObject(attrs, "handoff_id");
	cJSON_AddStringToObject(attrs, "old_worker_thread_id", old);
	json_add_str(attrs, "reason", reason);
	return attrs;
}

/* app-worker-rotation-plan <task> --old-worker-thread-id ID [--require-handoff] [--reason TEXT]. */
static cJSON *rotation_plan(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "app-worker-rotation-plan command requires a task.");
	const char *old = args_get(a, "--old-worker-thread-id"), *reason = args_get(a, "--reason");
	if (!old)
		return err_null(e, EXIT_USAGE, "app-worker-rotation-plan requires --old-worker-thread-id.");
	struct rotation r = {0};
	if (!ctx_db(c, e) || rotation_compute(c, a->positional, old, args_has(a, "--require-handoff"), &r, e) != 0) {
		rotation_free(&r);
		return NULL;
	}
	char at[CLOCK_ISO_LEN], id[IDS_LEN], summary[512];
	clock_format_s(c->now_ms, at);
	cJSON *doc = plan_document(c, &r, old, reason);
	int eligible = cJSON_IsTrue(cJSON_GetObjectItem(doc, "eligible"));
	snprintf(summary, sizeof summary, "Codex app worker rotation %s for %s.", eligible ? "planned" : "blocked",
		 json_str(r.task, "name"));
	cJSON *correlation = cJSON_CreateObject();
	cJSON_AddStringToObject(correlation, "command", "app-worker-rotation-plan");
	cJSON_AddStringToObject(correlation, "old_worker_thread_id", old);
	struct telemetry t = {"manager", "app_worker_rotation_planned", eligible ? "info" : "warning", summary,
			      json_str(r.task, "id"), NULL, at, correlation, plan_attributes(doc, &r, old, reason)};
	if (audit_telemetry(c, &t, id, e) != 0) {
		cJSON_Delete(doc);
		doc = NULL;
	} else {
		cJSON *receipt = cJSON_AddObjectToObject(doc, "receipt");
		cJSON_AddStringToObject(receipt, "event_id", id);
		cJSON_AddStringToObject(receipt, "event_type", "app_worker_rotation_planned");
		cJSON_AddStringToObject(receipt, "recorded_at", at);
	}
	rotation_free(&r);
	return doc;
}

/* The flags of app-worker-rotation-plan. */
static const struct flag_spec plan_flags[] = {
	{.name = "--old-worker-thread-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "the worker's current app thread id (required)"},
	{.name = "--require-handoff", .type = FLAG_BOOL, .help = "block unless the bound worker saved a handoff"},
	{.name = "--reason", .type = FLAG_STRING, .arg = "TEXT", .help = "reason recorded with the plan", .guard = 1},
	{0},
};

/* `app-worker-rotation-plan`. */
const struct cmd_entry cmd_app_worker_rotation_plan = {
	.word = "app-worker-rotation-plan",
	.man = "conveyor-rotation",
	.usage = "app-worker-rotation-plan TASK --old-worker-thread-id ID [--require-handoff] [--reason TEXT]",
	.summary = "Plan replacing the bound worker's Codex app thread (exit 0 even when blocked).",
	.help = "\nexample:\n  conveyor app-worker-rotation-plan docs --old-worker-thread-id thr_1 --require-handoff\n",
	.flags = plan_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = rotation_plan,
	.text = rotation_plan_text,
};

/* Plan text: ready/blocked, the old thread, blockers, each action, the record command and the receipt. */
void rotation_plan_text(const cJSON *r, struct sb *out)
{
	const char *old = json_str(cJSON_GetObjectItem(r, "old_worker"), "codex_app_thread_id");
	const cJSON *blockers = cJSON_GetObjectItem(r, "blockers"), *it;
	sb_addf_clean(out, "App worker rotation for %s: %s\nOld worker thread: %s\n",
		      json_str(cJSON_GetObjectItem(r, "task"), "name"),
		      cJSON_IsTrue(cJSON_GetObjectItem(r, "eligible")) ? "ready" : "blocked", old ? old : "(missing)");
	if (cJSON_GetArraySize(blockers)) {
		sb_adds(out, "Blockers: ");
		cJSON_ArrayForEach(it, blockers) sb_addf(out, "%s%s", it == blockers->child ? "" : ", ", it->valuestring);
		sb_addc(out, '\n');
	}
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "actions"))
	{
		const cJSON *thread = cJSON_GetObjectItem(it, "thread");
		const char *id = json_str(thread, "id"), *title = json_str(thread, "title");
		sb_addf_clean(out, "%s: %s\n", json_str(it, "type"), json_str(it, "status"));
		if ((id && *id) || (title && *title))
			sb_addf_clean(out, "  thread: %s %s\n", title ? title : "(untitled)", id ? id : "(new)");
	}
	if (json_str(r, "record_command"))
		sb_addf_clean(out, "Record after app tools: %s\n", json_str(r, "record_command"));
	sb_addf_clean(out, "Receipt: %s\n", json_str(cJSON_GetObjectItem(r, "receipt"), "event_id"));
}
