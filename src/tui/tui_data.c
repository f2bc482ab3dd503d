/* What the cockpit shows, read through the same command handlers as the CLI (no SQL here), and the selection. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/exec.h"
#include "util/shell.h"
#include "tui/tui_int.h"
#include "util/json.h"

/* Sets the status line (one line, cleaned when drawn). */
void tui_status(struct tui *t, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->status, sizeof t->status, fmt, ap);
	va_end(ap);
	t->status_error = error;
	t->dirty |= DIRTY_STATUS;
}

/* The result as plain cJSON: handlers may return pre-serialized raw records (fast for the CLI), which the
 * views need as objects; one round trip through the writer turns them back. */
static cJSON *tui_plain(const cJSON *result)
{
	struct sb text;
	sb_init(&text);
	json_write(&text, result, JSON_COMPACT);
	cJSON *plain = cJSON_Parse(text.buf);
	sb_free(&text);
	return plain;
}

/* Runs a read command line against the cockpit's database with --json; its result, or NULL with err set. */
cJSON *tui_fetch(struct tui *t, const char *line, char *err, size_t errlen)
{
	struct sb full;
	sb_init(&full);
	sb_adds(&full, line);
	sb_adds(&full, " --json --path ");
	shell_quote(&full, t->db_path);
	struct err e = {0};
	int argc;
	char **argv = exec_split(full.buf, &argc, &e);
	sb_free(&full);
	cJSON *result = NULL;
	if (argv) {
		struct exec_result r;
		struct sb help;
		sb_init(&help);
		if (exec_argv(t->prog, argc, argv, &r, &help, &e) == 0)
			result = tui_plain(r.result);
		exec_result_free(&r);
		sb_free(&help);
		exec_split_free(argv);
	}
	if (!result)
		snprintf(err, errlen, "%s", e.msg);
	return result;
}

/* Orders assets by created_at, then id (the approvals queue shows the oldest first). */
static int tui_asset_cmp(const void *a, const void *b)
{
	const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
	int c = strcmp(json_str(x, "created_at") ? json_str(x, "created_at") : "",
		       json_str(y, "created_at") ? json_str(y, "created_at") : "");
	return c ? c : strcmp(json_str(x, "id"), json_str(y, "id"));
}

/* Collects the dashboard's needs_review assets (references into dash) into t->approvals, oldest first. */
static void tui_collect_approvals(struct tui *t)
{
	cJSON_Delete(t->approvals);
	t->approvals = cJSON_CreateArray();
	const cJSON *slot, *asset;
	const cJSON *found[512];
	int n = 0;
	cJSON_ArrayForEach(slot, cJSON_GetObjectItem(t->dash, "slots"))
	cJSON_ArrayForEach(asset, cJSON_GetObjectItem(slot, "assets"))
	{
		const char *st = json_str(asset, "status");
		if (st && strcmp(st, "needs_review") == 0 && n < 512)
			found[n++] = asset;
	}
	qsort(found, (size_t)n, sizeof *found, tui_asset_cmp);
	for (int i = 0; i < n; i++)
		cJSON_AddItemToArray(t->approvals, cJSON_CreateObjectReference(found[i]->child));
}

/* Keeps every selection index inside its list. */
static void tui_clamp(struct tui *t)
{
	int n = cJSON_GetArraySize(cJSON_GetObjectItem(t->campaigns, "campaigns"));
	if (t->sel_campaign >= n)
		t->sel_campaign = n > 0 ? n - 1 : 0;
	n = cJSON_GetArraySize(t->tasks);
	if (t->sel_task >= n)
		t->sel_task = n > 0 ? n - 1 : 0;
	for (int l = 0; l < LIST_COUNT; l++) {
		int len = tui_list_len(t, (enum tui_list)l);
		if (t->sel[l] >= len)
			t->sel[l] = len > 0 ? len - 1 : 0;
	}
}

/* Replaces *slot with fresh (which may be NULL) unless both hold the same JSON; returns whether it changed. */
static int tui_swap(cJSON **slot, cJSON *fresh)
{
	if (fresh && *slot && cJSON_Compare(*slot, fresh, 1)) {
		cJSON_Delete(fresh);
		return 0;
	}
	int changed = fresh || *slot;
	cJSON_Delete(*slot);
	*slot = fresh;
	return changed;
}

/* Runs one command line naming a campaign or task (prefix, then the quoted name); its result, or NULL with err. */
static cJSON *tui_fetch_named(struct tui *t, const char *prefix, const char *name, char *err, size_t errlen)
{
	struct sb line;
	sb_init(&line);
	sb_adds(&line, prefix);
	shell_quote(&line, name);
	cJSON *r = tui_fetch(t, line.buf, err, errlen);
	sb_free(&line);
	return r;
}

/* Re-reads the task list and the shown task's status; returns whether either changed. */
static int tui_reload_tasks(struct tui *t)
{
	char err[512];
	cJSON *tasks = tui_fetch(t, "tasks", err, sizeof err);
	int changed = tasks ? tui_swap(&t->tasks, tasks) : 0;
	if (t->task)
		changed |= tui_swap(&t->task_status,
				    tui_fetch_named(t, "task-status ", t->task, t->task_error, sizeof t->task_error));
	return changed;
}

/* Re-reads the campaign list, the shown campaign's dashboard and dispatch health, and the task view's data;
 * marks the body for redrawing only when something differs from what is on screen. */
void tui_reload(struct tui *t)
{
	char err[512];
	int changed = 0;
	cJSON *list = tui_fetch(t, "campaign list", err, sizeof err);
	if (list)
		changed |= tui_swap(&t->campaigns, list);
	else
		tui_status(t, 1, "%s", err);
	if (t->campaign) {
		cJSON *dash = tui_fetch_named(t, "campaign dashboard --name ", t->campaign, t->dash_error,
					      sizeof t->dash_error);
		if (tui_swap(&t->dash, dash)) {
			changed = 1;
			cJSON_Delete(t->approvals);
			t->approvals = NULL;
			if (t->dash)
				tui_collect_approvals(t);
		}
		changed |= tui_swap(&t->dispatch, tui_fetch_named(t, "dispatch-status --campaign ", t->campaign, err,
								  sizeof err));
	}
	changed |= tui_reload_tasks(t);
	tui_clamp(t);
	if (changed)
		t->dirty |= DIRTY_BODY;
}

/* The items of one campaign-view list (borrowed), or NULL. */
static const cJSON *tui_list_items(const struct tui *t, enum tui_list list)
{
	const cJSON *slots = cJSON_GetObjectItem(t->dash, "slots");
	switch (list) {
	case LIST_SLOTS:
		return slots;
	case LIST_APPROVALS:
		return t->approvals;
	case LIST_ASSIGNMENTS:
		return cJSON_GetObjectItem(cJSON_GetArrayItem(slots, t->sel[LIST_SLOTS]), "assignments");
	default:
		return cJSON_GetObjectItem(cJSON_GetArrayItem(slots, t->sel[LIST_SLOTS]), "assets");
	}
}

/* How many items a list has. */
int tui_list_len(const struct tui *t, enum tui_list list)
{
	return cJSON_GetArraySize(tui_list_items(t, list));
}

/* The selected item of a list, or NULL. */
const cJSON *tui_selected(const struct tui *t, enum tui_list list)
{
	return cJSON_GetArrayItem(tui_list_items(t, list), t->sel[list]);
}

/* What the placeholders of a binding refer to right now: the shown campaign, the selected slot (its session and
 * thread), the selected asset (from the list in focus, else the approvals queue) and assignment; in the task
 * view the task and its bound worker and manager. */
void tui_selection(const struct tui *t, struct keys_selection *sel)
{
	memset(sel, 0, sizeof *sel);
	if (t->view == VIEW_CAMPAIGNS) {
		sel->campaign = json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(t->campaigns, "campaigns"), t->sel_campaign),
					 "name");
		return;
	}
	if (t->view == VIEW_TASK) {
		sel->task = t->task ? t->task : json_str(cJSON_GetArrayItem(t->tasks, t->sel_task), "name");
		sel->session = json_str(cJSON_GetObjectItem(t->task_status, "worker"), "name");
		sel->manager = json_str(cJSON_GetObjectItem(t->task_status, "manager"), "name");
		return;
	}
	sel->campaign = t->campaign;
	const cJSON *slot = tui_selected(t, LIST_SLOTS);
	sel->slot = json_str(slot, "slot_key");
	sel->thread = json_str(slot, "codex_app_thread_id");
	sel->session = json_str(cJSON_GetObjectItem(slot, "session"), "name");
	const cJSON *asset = t->focus == LIST_ASSETS ? tui_selected(t, LIST_ASSETS) : tui_selected(t, LIST_APPROVALS);
	sel->asset = json_str(asset, "id");
	sel->assignment = json_str(tui_selected(t, LIST_ASSIGNMENTS), "id");
}
