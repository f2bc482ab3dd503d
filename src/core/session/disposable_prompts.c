/* Heartbeat recommendations, worker handoff and replay commands of create-disposable-binding (texts as the
 * reference's, with this program's name in front of every generated command). */
#include <stdlib.h>
#include <string.h>

#include "core/session/disposable.h"
#include "core/session/session_cmds.h"
#include "util/shell.h"
#include "util/json.h"

/* Adds key: the task-scoped command "<prog> <verb> '<task>'<middle> --path '<db>'<tail>" to o; returns the string. */
static const char *disp_add(cJSON *o, const char *key, const struct prompt_ctx *p, const char *verb, const char *middle,
			    const char *tail)
{
	struct sb sb;
	sb_init(&sb);
	prompts_command(&sb, p, verb, middle, tail);
	cJSON *v = cJSON_AddStringToObject(o, key, sb.buf);
	sb_free(&sb);
	return v->valuestring;
}

/* The delivery receipt commands the manager runs after an app wake-up dispatch. */
static cJSON *disp_receipts(const struct prompt_ctx *p)
{
	cJSON *o = cJSON_CreateObject();
	const char *mid = " --role <role> --dispatch-receipt <receipt.event_id> --delivery-status ";
	char buf[256];
	snprintf(buf, sizeof buf, "%sblocked", mid);
	disp_add(o, "blocked", p, "app-wakeup-record-delivery", buf, " --json");
	cJSON_AddStringToObject(o, "note",
				"Run these only after app-wakeup-dispatch. Replace <role>, <receipt.event_id>, and "
				"<action.thread.id> from the dispatch JSON; sent is valid only for send_ready=true actions.");
	snprintf(buf, sizeof buf, "%ssent --thread-id <action.thread.id>", mid);
	disp_add(o, "sent", p, "app-wakeup-record-delivery", buf, " --json");
	snprintf(buf, sizeof buf, "%sskipped", mid);
	disp_add(o, "skipped", p, "app-wakeup-record-delivery", buf, " --json");
	return o;
}

/* Who may tear a loop's heartbeats down, and when. */
static cJSON *disp_teardown(const struct prompt_ctx *p)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "idle_poll",
				"Never delete, pause, or disable a manager or worker heartbeat because an inbox poll returned "
				"no item; that is only a quiet poll interval.");
	cJSON_AddStringToObject(o, "owner", "manager_or_operator");
	cJSON_AddStringToObject(o, "terminal_closeout",
				"Only the manager or operator should tear down heartbeats, and only after a terminal manager "
				"decision plus verified task closeout, or after explicit operator instruction.");
	disp_add(o, "terminal_closeout_command", p, "finish-task",
		 " --reason 'Verified terminal closeout' --require-criteria-audit", "");
	cJSON_AddStringToObject(o, "worker_rule",
				"The worker must not own loop teardown and must not remove heartbeat automation based on "
				"idle polling.");
	return o;
}

/* The manager's heartbeat prompt. */
static char *disp_manager_prompt(const struct prompt_ctx *p, const cJSON *role, const cJSON *rec)
{
	const cJSON *receipts = cJSON_GetObjectItem(rec, "delivery_receipt_commands");
	const cJSON *teardown = cJSON_GetObjectItem(rec, "teardown_policy");
	struct sb sb;
	sb_init(&sb);
	sb_addf(&sb, "Use the manage-codex-workers skill.\nRun the manager app heartbeat for task %s.\nRun: %s\n", p->task,
		json_str(role, "poll_command"));
	sb_addf(&sb, "If the heartbeat output asks for direct inbox polling, run: %s\n", json_str(role, "direct_inbox_command"));
	sb_addf(&sb, "For stale app-thread recovery with an auditable receipt, run: %s\n",
		json_str(rec, "wakeup_dispatch_command"));
	sb_adds(&sb, "Send app-thread wake prompts only for actions where `send_ready=true`; direct app-thread delivery "
		     "is not task completion.\n");
	sb_addf(&sb, "After a successful app-thread send, record it with: %s\n", json_str(receipts, "sent"));
	sb_addf(&sb, "For healthy skipped actions, record: %s\n", json_str(receipts, "skipped"));
	sb_addf(&sb, "For missing-thread blocked actions, record: %s\n", json_str(receipts, "blocked"));
	prompts_visible_protocol(&sb, "manager");
	sb_adds(&sb,
		"If an item is consumed, execute only that manager instruction, verify worker claims before recording "
		"conclusions, update Conveyor state as appropriate, and produce exactly one next worker task.\n"
		"If no item is consumed, stop after a one-line idle receipt.\n"
		"Do not delete, pause, or disable manager or worker heartbeat automation after an idle poll; an idle poll "
		"is only a quiet interval.\n"
		"Keep manager closeout/control-plane proof out of accepted worker criteria; record finish-task, final task "
		"state, and heartbeat teardown proof in the manager final report or audit receipts.\n");
	sb_addf(&sb,
		"If all accepted criteria are satisfied, deferred, or rejected and there is no next worker task, record "
		"the terminal manager decision, run or report the result of: %s\n",
		json_str(teardown, "terminal_closeout_command"));
	sb_adds(&sb, "After verified task closeout, explicitly report heartbeat teardown status; if the task remains "
		     "managed/active, report that as a control-plane blocker instead of calling the loop complete.");
	return sb_take(&sb);
}

/* The worker's heartbeat prompt. */
static char *disp_worker_prompt(const struct prompt_ctx *p, const cJSON *role)
{
	struct sb sb;
	sb_init(&sb);
	sb_addf(&sb, "Use the manage-codex-workers skill.\nRun the worker app heartbeat for task %s.\nRun: %s\n", p->task,
		json_str(role, "poll_command"));
	sb_addf(&sb, "If the heartbeat output asks for direct inbox polling, run: %s\n", json_str(role, "direct_inbox_command"));
	prompts_visible_protocol(&sb, "worker");
	sb_adds(&sb, "If an item is consumed, execute only that single worker instruction and return exact commands, "
		     "compact evidence for any completion claim, blockers/residual risk, and exactly one next recommended "
		     "worker task.\nBefore your final answer after any consumed item, notify the manager durably; a direct "
		     "app-thread final answer is not a manager receipt and is not task completion.\n");
	prompts_notify_lines(&sb, p);
	sb_adds(&sb, "If no item is consumed, stop after a one-line idle receipt.\nDo not delete, pause, or disable worker "
		     "heartbeat automation after an idle poll; the manager or operator owns terminal loop teardown.");
	return sb_take(&sb);
}

/* One role's heartbeat entry: its poll and inbox commands (the prompt is added once all commands exist). */
static cJSON *disp_role(const struct prompt_ctx *p, const char *role)
{
	cJSON *o = cJSON_CreateObject();
	char verb[32], mid[32];
	snprintf(verb, sizeof verb, "%s-inbox", role);
	snprintf(mid, sizeof mid, " --role %s", role);
	disp_add(o, "direct_inbox_command", p, verb, " --consume-next --wait --timeout 60", " --json");
	cJSON_AddStringToObject(o, "kind", "thread_heartbeat");
	disp_add(o, "poll_command", p, "app-heartbeat", mid, " --json");
	return o;
}

/* heartbeat_recommendations: how an app-driven loop keeps both idle threads polling. */
cJSON *disposable_recommendations(const struct prompt_ctx *p)
{
	cJSON *r = cJSON_CreateObject(), *when = cJSON_AddObjectToObject(r, "applies_when");
	cJSON_AddBoolToObject(when, "can_receive_push", 0);
	cJSON_AddStringToObject(when, "delivery_mode", "pull_required");
	cJSON_AddStringToObject(when, "receive_style", "pull");
	cJSON_AddStringToObject(when, "session_kind", "codex_app");
	cJSON_AddItemToObject(r, "delivery_receipt_commands", disp_receipts(p));
	cJSON_AddNumberToObject(r, "interval_minutes", 2);
	cJSON_AddStringToObject(r, "note",
				"Dispatch can deliver pull-required inbox items, but Codex app/no-tmux sessions still need a "
				"heartbeat or operator wake-up to poll while idle.");
	disp_add(r, "status_command", p, "app-loop-status", "", " --json");
	cJSON_AddItemToObject(r, "teardown_policy", disp_teardown(p));
	disp_add(r, "wakeup_dispatch_command", p, "app-wakeup-dispatch", "", " --json");
	disp_add(r, "wakeup_plan_command", p, "app-wakeup-plan", "", " --json");
	cJSON *manager = disp_role(p, "manager"), *worker = disp_role(p, "worker");
	cJSON_AddItemToObject(r, "manager", manager);
	cJSON_AddItemToObject(r, "worker", worker);
	char *text = disp_manager_prompt(p, manager, r);
	cJSON_AddStringToObject(manager, "prompt", text);
	free(text);
	text = disp_worker_prompt(p, worker);
	cJSON_AddStringToObject(worker, "prompt", text);
	free(text);
	return r;
}

/* The prompt that starts the worker thread of a disposable binding. */
char *disposable_worker_handoff(const struct prompt_ctx *p)
{
	struct sb sb;
	sb_init(&sb);
	sb_addf(&sb,
		"Use the manage-codex-workers skill.\n\nYou are the worker for task %s for this disposable no-tmux binding.\n"
		"Keep polling your Conveyor worker inbox until there are no items left or the loop reaches max_iterations. "
		"Consume the next item now, treat each consumed item as the manager's next instruction, complete the "
		"requested work, and report changed files, exact commands run, evidence, and any residual risk.\n",
		p->task);
	prompts_visible_protocol(&sb, "worker");
	sb_adds(&sb, "After completing or blocking on a consumed item, send the manager a durable Conveyor notification "
		     "before your final answer. A direct app-thread final answer is not a manager receipt and is not task "
		     "completion.\n");
	prompts_notify_lines(&sb, p);
	sb_adds(&sb, "\nBecause this is a pull-required Codex app/no-tmux session, autonomous operation requires a "
		     "heartbeat/wake layer that repeats this worker inbox poll while the thread is idle. If no heartbeat "
		     "automation is available, report the loop as manual-poll only.\nDo not delete, pause, or disable "
		     "heartbeat automation just because an inbox poll is idle; the manager or operator owns terminal loop "
		     "teardown.\n\nRun: ");
	prompts_command(&sb, p, "worker-inbox", " --consume-next --wait --timeout 60", " --json");
	return sb_take(&sb);
}

/* The commands that recreate this binding and read both inboxes. */
cJSON *disposable_replay(const struct prompt_ctx *p, const char *worker, const char *manager, const char *session_dir)
{
	cJSON *r = cJSON_CreateArray();
	struct sb sb;
	sb_init(&sb);
	sb_adds(&sb, " --worker ");
	shell_quote(&sb, worker);
	sb_adds(&sb, " --manager ");
	shell_quote(&sb, manager);
	sb_adds(&sb, " --session-dir ");
	shell_quote(&sb, session_dir);
	struct sb cmd;
	sb_init(&cmd);
	prompts_command(&cmd, p, "create-disposable-binding", sb.buf, "");
	sb_adds(&cmd, " --json");
	cJSON_AddItemToArray(r, cJSON_CreateString(cmd.buf));
	sb_free(&cmd);
	sb_free(&sb);
	static const char *const roles[] = {"worker", "manager"};
	for (int i = 0; i < 2; i++) {
		sb_addf(&sb, "%s %s-inbox ", p->prog, roles[i]);
		shell_quote(&sb, p->task);
		sb_adds(&sb, " --wait --path ");
		shell_quote(&sb, p->db);
		sb_adds(&sb, " --json");
		cJSON_AddItemToArray(r, cJSON_CreateString(sb.buf));
		sb_free(&sb);
	}
	return r;
}

/* create-disposable-binding text: what was created, the replay commands, the heartbeat plan and the handoff. */
void binding_disposable_text(const cJSON *r, struct sb *out)
{
	const cJSON *task = cJSON_GetObjectItem(r, "task"), *rec = cJSON_GetObjectItem(r, "heartbeat_recommendations");
	const cJSON *w = cJSON_GetObjectItem(r, "worker"), *m = cJSON_GetObjectItem(r, "manager"), *it;
	sb_adds(out, "Created disposable binding for task ");
	json_write_str(out, json_str(task, "name"));
	sb_addf_clean(out, ".\nWorker: %s (%s)\nManager: %s (%s)\nReplay commands:\n", json_str(w, "name"),
		      json_str(w, "rollout_path"), json_str(m, "name"), json_str(m, "rollout_path"));
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "replay_commands")) sb_addf_clean(out, "  %s\n", it->valuestring);
	const cJSON *rm = cJSON_GetObjectItem(rec, "manager"), *rw = cJSON_GetObjectItem(rec, "worker");
	const cJSON *td = cJSON_GetObjectItem(rec, "teardown_policy");
	sb_addf_clean(out,
		      "Heartbeat recommendations:\n  interval: every 2 minutes\n  manager: %s\n  worker: %s\n  status: %s\n"
		      "  wakeup plan: %s\n  wakeup dispatch: %s\n  delivery sent: %s\n  teardown: %s\n  closeout: %s\n",
		      json_str(rm, "poll_command"), json_str(rw, "poll_command"), json_str(rec, "status_command"),
		      json_str(rec, "wakeup_plan_command"), json_str(rec, "wakeup_dispatch_command"),
		      json_str(cJSON_GetObjectItem(rec, "delivery_receipt_commands"), "sent"), json_str(td, "idle_poll"),
		      json_str(td, "terminal_closeout_command"));
	sb_adds(out, "Worker handoff:\n");
	const char *handoff = json_str(r, "worker_handoff");
	for (const char *line = handoff; line && *line;) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		char *copy = strndup(line, n);
		sb_add_clean(out, copy);
		sb_addc(out, '\n');
		free(copy);
		line = nl ? nl + 1 : line + n;
	}
}
