/* Drawing the cockpit's views from the handlers' JSON: campaigns overview, campaign view (SPEC 10.4 and more),
 * the output of ':' commands, the help overlay, the title and status lines. */
#include <stdio.h>
#include <string.h>

#include "tui/tui_draw.h"
#include "tui/tui_int.h"
#include "util/json.h"

/* Draws a section heading; returns the next row. */
static int view_heading(int y, int width, const char *text)
{
	draw_text(y, 0, width, text, draw_attr(TC_INFO) | A_BOLD);
	return y + 1;
}

/* The first-run screen: what the keys do when the database has no campaign yet. */
static void view_first_run(int y, int rows, int width)
{
	static const char *const lines[] = {
		"Welcome to conveyor. This database has no campaign yet.",
		"",
		"  n   create a campaign (asks for a name and an objective)",
		"  w   start a Codex worker in tmux (asks for a name and its first prompt)",
		"  O   open a terminal running a shell",
		"  :   run any conveyor command, e.g. :register-worker --name w1 --pid 4242",
		"  ?   every key binding            q   quit",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines && (int)i < rows; i++)
		draw_text(y + (int)i, 1, width - 1, lines[i], i == 0 ? A_BOLD : 0);
}

/* The campaigns overview: one row per campaign with status, counts and next manager action. */
static void view_campaigns(struct tui *t, int y, int rows, int width)
{
	const cJSON *list = cJSON_GetObjectItem(t->campaigns, "campaigns"), *cp;
	if (cJSON_GetArraySize(list) == 0) {
		view_first_run(y, rows, width);
		return;
	}
	draw_text(y++, 0, width, " CAMPAIGN             STATUS    SLOTS STALE WORK ASSETS  NEXT ACTION", A_BOLD);
	int i = 0;
	cJSON_ArrayForEach(cp, list)
	{
		if (i - t->sel_campaign >= rows - 2 && i > t->sel_campaign)
			break;
		int sel = i == t->sel_campaign, attr = sel ? draw_attr(TC_SEL) : 0;
		if (sel)
			draw_fill(y, 0, width, attr);
		const cJSON *next = cJSON_GetObjectItem(cp, "next_manager_action");
		draw_textf(y, 0, 22, attr, "%s%s", sel ? ">" : " ", json_str(cp, "name"));
		draw_text(y, 22, 9, json_str(cp, "status"), sel ? attr : draw_state_attr(json_str(cp, "status")));
		draw_textf(y, 32, 23, attr, "%5d %5d %4d %6d", json_int(cp, "slot_count"), json_int(cp, "stale_slots"),
			   json_int(cp, "assignment_count"), json_int(cp, "asset_count"));
		draw_textf(y, 57, width - 57, attr, "%s: %s", json_str(next, "action"), json_str(next, "reason"));
		y++, i++;
	}
}

/* One slot row: key, stored state, lifecycle (coloured), role/channel, session, thread, counts. */
static void view_slot_row(const cJSON *slot, int y, int width, int sel, int focused)
{
	const cJSON *life = cJSON_GetObjectItem(slot, "lifecycle"), *sess = cJSON_GetObjectItem(slot, "session");
	int attr = sel && focused ? draw_attr(TC_SEL) : 0;
	if (attr)
		draw_fill(y, 0, width, attr);
	draw_textf(y, 0, 14, attr, "%s%s", sel ? ">" : " ", json_str(slot, "slot_key"));
	draw_text(y, 14, 9, json_str(slot, "state"), attr);
	draw_text(y, 23, 13, json_str(life, "state"), attr ? attr : draw_state_attr(json_str(life, "state")));
	if (width < 60)
		return;
	const char *ch = json_str(slot, "channel"), *thread = json_str(slot, "codex_app_thread_id");
	draw_textf(y, 36, 20, attr, "%s/%s", json_str(slot, "role_label"), ch ? ch : "-");
	draw_textf(y, 57, 14, attr, "%s", cJSON_IsObject(sess) ? json_str(sess, "name") : "no session");
	if (width >= 96)
		draw_text(y, 72, 14, thread ? thread : "no thread", attr);
	if (width >= 100)
		draw_textf(y, 87, width - 87, attr, "%d/%d", json_int(slot, "active_assignments"),
			   json_int(slot, "asset_receipts"));
}

/* Draws up to rows items of one list (assets or assignments) with title and status; returns rows used. */
static int view_items(const struct tui *t, enum tui_list list, int y, int rows, int width)
{
	const cJSON *it, *items;
	int i = 0, used = 0;
	if (list == LIST_APPROVALS)
		items = t->approvals;
	else
		items = cJSON_GetObjectItem(tui_selected(t, LIST_SLOTS), list == LIST_ASSETS ? "assets" : "assignments");
	int first = t->sel[list] >= rows ? t->sel[list] - rows + 1 : 0;
	cJSON_ArrayForEach(it, items)
	{
		if (i < first || used >= rows) {
			i++;
			continue;
		}
		int sel = i == t->sel[list], attr = sel && t->focus == list ? draw_attr(TC_SEL) : 0;
		if (attr)
			draw_fill(y + used, 0, width, attr);
		const char *status = json_str(it, "status");
		draw_textf(y + used, 0, width / 2, attr, "%s%s", sel ? ">" : " ", json_str(it, "title"));
		draw_text(y + used, width / 2, 13, status, attr ? attr : draw_state_attr(status));
		const char *extra = list == LIST_ASSIGNMENTS ? json_str(it, "instructions") : json_str(it, "asset_type");
		draw_text(y + used, width / 2 + 13, width - width / 2 - 13, extra, attr);
		i++, used++;
	}
	if (i == 0) {
		draw_text(y, 1, width - 1, list == LIST_APPROVALS ? "nothing waits for review" : "none", draw_attr(TC_DIM));
		used = 1;
	}
	return used;
}

/* Joins the strings of an array with " / " into out. */
static void view_join(const cJSON *arr, char *out, size_t len)
{
	const cJSON *s;
	size_t n = 0;
	out[0] = '\0';
	cJSON_ArrayForEach(s, arr)
	if (cJSON_IsString(s) && n < len)
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " / " : "", s->valuestring);
}

/* The dispatch health line (task and campaign views): dispatcher status, queued, failed, stale claims, side-effect
 * risk and inbox counts; returns the next row. */
static int view_dispatch(const cJSON *d, int y, int width)
{
	if (!cJSON_IsObject(d)) {
		draw_text(y, 0, width, "dispatch unknown", draw_attr(TC_DIM));
		return y + 1;
	}
	const char *core = json_str(d, "core_status") ? json_str(d, "core_status") : "unknown";
	const cJSON *inbox = cJSON_GetObjectItem(d, "inbox");
	int bad = json_int(d, "failed") + json_int(d, "stale_claims") + json_int(d, "side_effect_risk");
	int x = draw_text(y, 0, width, "dispatch ", 0);
	x += draw_text(y, x, width - x, core, draw_attr(strcmp(core, "active") == 0 ? TC_OK : TC_WARN));
	x += draw_textf(y, x, width - x, bad ? draw_attr(TC_ERR) : 0, "  queued %d  failed %d  stale claims %d  risk %d",
			json_int(d, "queued"), json_int(d, "failed"), json_int(d, "stale_claims"),
			json_int(d, "side_effect_risk"));
	draw_textf(y, x, width - x, 0, "  inbox %d pending (%d pull) / %d consumed", json_int(inbox, "pending"),
		   json_int(inbox, "pull_pending"), json_int(inbox, "consumed"));
	return y + 1;
}

/* The inbox counts dispatch-status gives for the session named name, or NULL. */
static const cJSON *view_session_inbox(const cJSON *dispatch, const char *name)
{
	const cJSON *s;
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(dispatch, "sessions"))
	{
		if (name && json_str(s, "name") && strcmp(json_str(s, "name"), name) == 0)
			return cJSON_GetObjectItem(s, "inbox");
	}
	return NULL;
}

/* The campaign view: heading, metrics, slot table, approvals, the selected slot's work, blockers. */
static void view_campaign(struct tui *t, int y, int rows, int width)
{
	int end = y + rows;
	if (!t->dash) {
		draw_textf(y, 0, width, draw_attr(TC_ERR), "campaign %s: %s", t->campaign, t->dash_error);
		return;
	}
	const cJSON *cp = cJSON_GetObjectItem(t->dash, "campaign"), *sum = cJSON_GetObjectItem(t->dash, "summary");
	const cJSON *next = cJSON_GetObjectItem(t->dash, "next_manager_action");
	const cJSON *appr = cJSON_GetObjectItem(t->dash, "approvals");
	int x = draw_text(y, 0, width, json_str(cp, "name"), A_BOLD);
	x += draw_text(y, x + 1, 10, json_str(cp, "status"), draw_state_attr(json_str(cp, "status"))) + 1;
	draw_textf(y++, x + 1, width - x - 1, 0, "next %s: %s", json_str(next, "action"), json_str(next, "reason"));
	int stale = json_int(sum, "stale_slots"), blocked = json_int(sum, "blocked_slots") + json_int(sum, "blocked_assignments");
	int review = json_int(appr, "needs_review");
	x = draw_textf(y, 0, width, 0, "Workers %d  ", json_int(sum, "active_slots"));
	x += draw_textf(y, x, width - x, stale ? draw_attr(TC_WARN) : 0, "Stale %d  ", stale);
	x += draw_textf(y, x, width - x, blocked ? draw_attr(TC_ERR) : 0, "Blocked %d  ", blocked);
	x += draw_textf(y, x, width - x, review ? draw_attr(TC_WARN) : 0, "Review %d  ", review);
	draw_textf(y++, x, width - x, 0, "Assets %d  Briefs %d", json_int(sum, "asset_total"), json_int(sum, "channel_briefs"));
	if (y < end && rows > 8)
		y = view_dispatch(t->dispatch, y, width);
	const cJSON *slots = cJSON_GetObjectItem(t->dash, "slots"), *slot;
	y = view_heading(y, width, width >= 100 ? " SLOT         STORED   LIFECYCLE    ROLE/CHANNEL         SESSION        THREAD         A/S"
					     : " SLOT         STORED   LIFECYCLE    ROLE/CHANNEL         SESSION");
	if (cJSON_GetArraySize(slots) == 0)
		draw_text(y++, 1, width - 1, "No campaign worker slots (s adds one)", draw_attr(TC_DIM));
	int i = 0, slot_rows = rows > 16 ? 6 : 3;
	int first = t->sel[LIST_SLOTS] >= slot_rows ? t->sel[LIST_SLOTS] - slot_rows + 1 : 0;
	cJSON_ArrayForEach(slot, slots)
	{
		if (i >= first && i < first + slot_rows && y < end)
			view_slot_row(slot, y++, width, i == t->sel[LIST_SLOTS], t->focus == LIST_SLOTS);
		i++;
	}
	const cJSON *sel = tui_selected(t, LIST_SLOTS);
	if (sel && y < end) {
		char blockers[1024];
		view_join(cJSON_GetObjectItem(sel, "blockers"), blockers, sizeof blockers);
		const cJSON *box = view_session_inbox(t->dispatch, json_str(cJSON_GetObjectItem(sel, "session"), "name"));
		x = box ? draw_textf(y, 1, width - 1, json_int(box, "pending") ? draw_attr(TC_WARN) : draw_attr(TC_DIM),
				     "inbox %d pending / %d consumed  ", json_int(box, "pending"), json_int(box, "consumed"))
			: 0;
		draw_textf(y++, 1 + x, width - 1 - x, draw_attr(TC_DIM), "%s%s%s",
			   json_str(cJSON_GetObjectItem(sel, "lifecycle"), "operator_message"), blockers[0] ? "  blockers: " : "",
			   blockers);
	}
	int left = end - y;
	if (left < 4)
		return;
	int part = (left - 3) / 3 > 0 ? (left - 3) / 3 : 1;
	y = view_heading(y, width, "Approvals (needs review, oldest first)");
	y += view_items(t, LIST_APPROVALS, y, part, width);
	y = view_heading(y, width, "Assignments of the selected slot");
	y += view_items(t, LIST_ASSIGNMENTS, y, part, width);
	if (end - y < 2)
		return;
	y = view_heading(y, width, "Assets of the selected slot");
	y += view_items(t, LIST_ASSETS, y, end - y - 1, width);
	if (y < end) {
		char all[2048];
		view_join(cJSON_GetObjectItem(t->dash, "blockers"), all, sizeof all);
		draw_textf(end - 1, 0, width, all[0] ? draw_attr(TC_ERR) : draw_attr(TC_DIM), "Blockers: %s",
			   all[0] ? all : "none");
	}
}

/* One bound session line of the task view: role, name, state, process liveness, tmux session, inbox counts. */
static void view_task_session(const cJSON *ss, const char *role, int y, int width)
{
	if (!cJSON_IsObject(ss)) {
		draw_textf(y, 0, width, draw_attr(TC_DIM), "%-8s none", role);
		return;
	}
	const cJSON *inbox = cJSON_GetObjectItem(ss, "inbox");
	int alive = cJSON_IsTrue(cJSON_GetObjectItem(ss, "alive"));
	int x = draw_textf(y, 0, width, 0, "%-8s %-16s %-7s ", role, json_str(ss, "name"), json_str(ss, "state"));
	x += draw_text(y, x, width - x, alive ? "alive" : "not running", draw_attr(alive ? TC_OK : TC_ERR));
	draw_textf(y, x, width - x, 0, "  tmux %s  inbox pending %d consumed %d",
		   json_str(ss, "tmux_session") ? json_str(ss, "tmux_session") : "none",
		   json_int(inbox, "pending"), json_int(inbox, "consumed"));
}

/* The task view: the list of tasks, or one task's binding, sessions, latest cycle and timeline. */
static void view_task(struct tui *t, int y, int rows, int width)
{
	int end = y + rows;
	if (!t->task) {
		const cJSON *task;
		int i = 0;
		if (cJSON_GetArraySize(t->tasks) == 0)
			draw_text(y, 1, width - 1, "No tasks yet (:tasks --create NAME --goal G creates one)", draw_attr(TC_DIM));
		else
			draw_text(y++, 0, width, " TASK                 STATE      GOAL", A_BOLD);
		cJSON_ArrayForEach(task, t->tasks)
		{
			if (y >= end)
				break;
			int sel = i++ == t->sel_task, attr = sel ? draw_attr(TC_SEL) : 0;
			if (sel)
				draw_fill(y, 0, width, attr);
			draw_textf(y, 0, 22, attr, "%s%s", sel ? ">" : " ", json_str(task, "name"));
			draw_text(y, 22, 11, json_str(task, "state"), attr);
			draw_text(y++, 33, width - 33, json_str(task, "goal"), attr);
		}
		return;
	}
	const cJSON *st = t->task_status;
	if (!st) {
		draw_textf(y, 0, width, draw_attr(TC_ERR), "task %s: %s", t->task, t->task_error);
		return;
	}
	const cJSON *task = cJSON_GetObjectItem(st, "task"), *b = cJSON_GetObjectItem(st, "binding");
	const cJSON *cy = cJSON_GetObjectItem(st, "latest_cycle"), *ev;
	int x = draw_text(y, 0, width, json_str(task, "name"), A_BOLD);
	x += draw_textf(y, x + 1, width - x - 1, draw_state_attr(json_str(task, "state")), "%s", json_str(task, "state"));
	draw_text(y++, x + 2, width - x - 2, json_str(task, "goal"), 0);
	if (cJSON_IsObject(b))
		draw_textf(y++, 0, width, 0, "binding  %s  %s", json_str(b, "state"), json_str(b, "id"));
	else
		draw_text(y++, 0, width, "binding  none", draw_attr(TC_DIM));
	view_task_session(cJSON_GetObjectItem(st, "worker"), "worker", y++, width);
	view_task_session(cJSON_GetObjectItem(st, "manager"), "manager", y++, width);
	if (cJSON_IsObject(cy)) {
		const char *ws = json_str(cy, "worker_state"), *np = json_str(cy, "notable_pane_pattern");
		x = draw_textf(y, 0, width, 0, "cycle    #%d %s at %s  worker ", json_int(cy, "id"), json_str(cy, "state"),
			       json_str(cy, "started_at"));
		x += draw_text(y, x, width - x, ws ? ws : "-", draw_state_attr(ws));
		draw_textf(y++, x, width - x, np ? draw_attr(TC_WARN) : 0, "  pane %s", np ? np : "ok");
	} else {
		draw_text(y++, 0, width, "cycle    none yet (C runs one)", draw_attr(TC_DIM));
	}
	if (y < end)
		y = view_dispatch(cJSON_GetObjectItem(st, "dispatch"), y, width);
	if (y < end)
		y = view_heading(y, width, "Timeline (newest first)");
	cJSON_ArrayForEach(ev, cJSON_GetObjectItem(st, "timeline"))
	{
		if (y >= end)
			break;
		draw_textf(y++, 1, width - 1, 0, "%s  %-9s %s", json_str(ev, "created_at"), json_str(ev, "actor"),
			   json_str(ev, "type"));
	}
}

/* The output of the last ':' command, scrollable. */
static void view_output(struct tui *t, int y, int rows, int width)
{
	const char *p = t->output.buf ? t->output.buf : "";
	int line = 0;
	while (*p && line < t->output_scroll + rows) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (line >= t->output_scroll) {
			char buf[1024];
			snprintf(buf, sizeof buf, "%.*s", (int)(len < sizeof buf ? len : sizeof buf - 1), p);
			draw_text(y + line - t->output_scroll, 0, width, buf, 0);
		}
		line++;
		p = nl ? nl + 1 : p + len;
	}
}

/* The rows of a scrolled list being drawn: where it starts, how many fit, and the next line's number. */
struct view_lines {
	int y, rows, width, scroll, line;
};

/* Draws one line of a scrolled list at column x when it is in view, and counts it. */
static void view_line(struct view_lines *v, int x, int attr, const char *text)
{
	if (v->line >= v->scroll && v->line - v->scroll < v->rows)
		draw_text(v->y + v->line - v->scroll, x, v->width - x, text, attr);
	v->line++;
}

/* Whether binding b is listed under group view: under "Everywhere" when it works in every view, else under each
 * view or mode it works in. */
static int view_help_in(const struct tui_binding *b, unsigned view)
{
	int everywhere = (b->views & VIEW_ALL) == VIEW_ALL;
	return view == VIEW_ALL ? everywhere : (b->views & view) && !everywhere;
}

/* The help overlay: the effective bindings (built in, then keys.conf) grouped by view and mode, the ones
 * keys.conf made marked with *, and the bad lines of keys.conf. */
static void view_help(struct tui *t, int y, int rows, int width)
{
	static const struct {
		unsigned view;
		const char *name;
	} groups[] = {{VIEW_ALL, "Everywhere"},
		      {VIEW_CAMPAIGNS, "Campaigns"},
		      {VIEW_CAMPAIGN, "Campaign"},
		      {VIEW_TASK, "Task"},
		      {VIEW_TERMINALS, "Terminals"},
		      {VIEW_OUTPUT, "Output"},
		      {VIEW_HELP, "Help"},
		      {VIEW_SELECT, "Selecting lines in a terminal"},
		      {VIEW_TYPING, "Typing into a terminal"}};
	const struct keymap *km = &t->keys;
	struct view_lines v = {y, rows, width, t->help_scroll, 0};
	char text[2048];
	if (km->nerrors) {
		snprintf(text, sizeof text, "keys.conf: %d bad line%s, skipped:", km->nerrors, km->nerrors > 1 ? "s" : "");
		view_line(&v, 0, draw_attr(TC_ERR), text);
	}
	for (int i = 0; i < km->nerrors; i++)
		view_line(&v, 2, draw_attr(TC_ERR), km->errors[i]);
	if (keymap_user_count(km)) {
		snprintf(text, sizeof text, "* bound in %s", km->path);
		view_line(&v, 0, draw_attr(TC_DIM), text);
	}
	for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
		int any = 0;
		for (int i = 0; i < km->n && !any; i++)
			any = view_help_in(&km->b[i], groups[g].view);
		if (!any)
			continue;
		view_line(&v, 0, A_BOLD, groups[g].name);
		for (int i = 0; i < km->n; i++) {
			const struct tui_binding *b = &km->b[i];
			if (!view_help_in(b, groups[g].view))
				continue;
			int user = (b->flags & KB_USER) != 0;
			snprintf(text, sizeof text, "%s%-6s %s%s%s", user ? "* " : "", b->keyname, b->label,
				 b->command ? "  = " : "", b->command ? b->command : "");
			view_line(&v, user ? 0 : 2, 0, text);
		}
	}
}

/* The title line: program, view tabs, database. */
static void view_title(struct tui *t, int width)
{
	int attr = draw_attr(TC_TITLE);
	draw_fill(0, 0, width, attr);
	int x = draw_text(0, 1, width - 1, "conveyor", attr) + 2;
	static const struct {
		unsigned view;
		const char *name;
	} tabs[] = {{VIEW_CAMPAIGNS, "Campaigns"},
		    {VIEW_CAMPAIGN, "Campaign"},
		    {VIEW_TASK, "Tasks"},
		    {VIEW_TERMINALS, "Terminals"}};
	for (size_t i = 0; i < sizeof tabs / sizeof *tabs && x < width; i++) {
		char label[160];
		if (tabs[i].view == VIEW_CAMPAIGN && t->campaign)
			snprintf(label, sizeof label, "%s", t->campaign);
		else if (tabs[i].view == VIEW_TASK && t->task)
			snprintf(label, sizeof label, "task %s", t->task);
		else if (tabs[i].view == VIEW_TERMINALS)
			snprintf(label, sizeof label, "Terminals(%d)", t->panes.n);
		else
			snprintf(label, sizeof label, "%s", tabs[i].name);
		int on = t->view == tabs[i].view && !t->help;
		x += draw_textf(0, x, width - x, on ? attr | (int)A_REVERSE : attr, " %s ", label) + 1;
	}
	int needs = panes_needs_you_count(&t->panes);
	if (needs && x + 16 < width) {
		char list[512];
		size_t n = 0;
		for (int i = 0; i < t->panes.n && n < sizeof list; i++)
			if (t->panes.p[i].needs_you)
				n += (size_t)snprintf(list + n, sizeof list - n, " %s (%s)", t->panes.p[i].title,
						      t->panes.p[i].screen);
		x += draw_textf(0, x, width - x, draw_attr(TC_ERR) | (int)A_REVERSE, " needs you: %d%s, ! jumps ", needs,
				list) + 1;
	}
	if (x + 10 < width)
		draw_text(0, x + 1, width - x - 2, t->db_path, attr);
}

/* The status line (last result or error, or the prompt being answered) and the key hint line. */
static void view_status(struct tui *t, int rows, int width)
{
	move(rows - 2, 0);
	clrtoeol();
	move(rows - 1, 0);
	clrtoeol();
	if (t->pending) {
		struct tui_pending *p = t->pending;
		if (p->line) {
			int warn = draw_attr(TC_WARN), ask = width > 12 ? width - 9 : 0;
			draw_textf(rows - 2, 0, ask, warn, "%s%s", p->binding && p->binding->action != ACT_COMMAND ? "" : "run: ",
				   p->line);
			draw_text(rows - 2, ask, width - ask, " ? [y/N]", warn | A_BOLD);
		} else {
			const char *label = p->binding ? p->labels[p->nanswers] : ":";
			int len = p->binding ? (int)(strchr(label, '}') - label) : 1;
			int x = draw_textf(rows - 2, 0, width, A_BOLD, "%.*s%s", len, label, p->binding ? ": " : "");
			draw_text(rows - 2, x, width - x - 1, p->edit.buf ? p->edit.buf : "", 0);
		}
	} else if (t->status[0]) {
		draw_text(rows - 2, 0, width, t->status, t->status_error ? draw_attr(TC_ERR) : 0);
	}
	const char *hint = t->view == VIEW_TERMINALS
				   ? "Enter type  C-g back  o open  O shell  c close  PgUp/PgDn scroll  y copy  ? help  q quit"
			   : t->view == VIEW_CAMPAIGN
				   ? "a approve  x reject  P publish  u assignment  A assign  e nudge  I interrupt  Space list  ? help"
			   : t->view == VIEW_TASK
				   ? "Enter open  Esc tasks  C cycle  e nudge  I interrupt  o worker terminal  M manager terminal  ? help"
				   : "Enter open  n new campaign  w start worker  : command  Tab view  ? help  q quit";
	draw_text(rows - 1, 0, width, hint, draw_attr(TC_DIM));
}

/* Redraws what is dirty. */
void tui_draw(struct tui *t)
{
	int rows = LINES, cols = COLS;
	if (t->dirty & DIRTY_BODY) {
		erase();
		view_title(t, cols);
		int body = rows - 3;
		if (body > 0) {
			if (t->help)
				view_help(t, 1, body, cols);
			else if (t->view == VIEW_CAMPAIGNS)
				view_campaigns(t, 1, body, cols);
			else if (t->view == VIEW_CAMPAIGN)
				view_campaign(t, 1, body, cols);
			else if (t->view == VIEW_TASK)
				view_task(t, 1, body, cols);
			else if (t->view == VIEW_OUTPUT)
				view_output(t, 1, body, cols);
		}
		t->dirty |= DIRTY_STATUS | DIRTY_PANES;
	}
	if (t->dirty & DIRTY_STATUS)
		view_status(t, rows, cols);
	wnoutrefresh(stdscr); /* before the pane windows, which lie on top of it */
	if (t->view == VIEW_TERMINALS && !t->help && (t->dirty & DIRTY_PANES))
		panes_draw(&t->panes, (t->dirty & DIRTY_BODY) != 0);
	t->dirty = 0;
	panes_place_cursor(&t->panes, t->view == VIEW_TERMINALS && !t->help && !t->pending);
	doupdate();
}
