/* The cockpit's actions, dispatched by a table indexed by the binding's action. Each is
 * `static unsigned act_X(struct tui *t, const struct tui_binding *b)`: it changes the cockpit's state and returns
 * the DIRTY_* bits of what must be redrawn (DIRTY_BODY redraws everything; tui_status marks the status line). */
#include "tui/tui_actions.h"

#include <stdlib.h>
#include <string.h>

#include "tui/tui_int.h"
#include "tui/tui_prompt.h"
#include "util/json.h"
#include "util/shell.h"

/* An action's reaction: changes the cockpit's state, returns the DIRTY_* bits to redraw. */
typedef unsigned (*act_fn)(struct tui *t, const struct tui_binding *b);

/* Starts a command binding: its prompts, its confirmation, then the command line. */
static unsigned act_command(struct tui *t, const struct tui_binding *b)
{
	return prompt_command(t, b);
}

/* Ends the cockpit (workers keep running). */
static unsigned act_quit(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	t->quit = 1;
	return 0;
}

/* Shows or hides the help overlay. */
static unsigned act_help(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	t->help = !t->help;
	t->help_scroll = 0;
	return DIRTY_BODY;
}

/* Opens the ':' command line. */
static unsigned act_prompt(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	return prompt_open(t);
}

/* Re-reads every view now. */
static unsigned act_refresh(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	tui_reload(t);
	return DIRTY_ALL;
}

/* Goes to the next view: campaigns, campaign (when one is open), task, terminals. */
static unsigned act_next_view(struct tui *t, const struct tui_binding *b)
{
	static const unsigned order[] = {VIEW_CAMPAIGNS, VIEW_CAMPAIGN, VIEW_TASK, VIEW_TERMINALS};
	(void)b;
	for (size_t i = 0; i < 4; i++)
		if (order[i] == t->view || (t->view == VIEW_OUTPUT && i == 3)) {
			t->view = order[(i + 1) % 4];
			break;
		}
	if (t->view == VIEW_CAMPAIGN && !t->campaign)
		t->view = VIEW_TASK;
	return DIRTY_ALL;
}

/* Opens the task selected in the task list. */
static void act_open_task(struct tui *t)
{
	const char *name = json_str(cJSON_GetArrayItem(t->tasks, t->sel_task), "name");
	if (!name || t->task)
		return;
	t->task = strdup(name);
	tui_reload(t);
}

/* Opens the campaign selected in the overview. */
static void act_open_campaign(struct tui *t)
{
	const char *name =
		json_str(cJSON_GetArrayItem(cJSON_GetObjectItem(t->campaigns, "campaigns"), t->sel_campaign), "name");
	if (!name)
		return;
	free(t->campaign);
	t->campaign = strdup(name);
	memset(t->sel, 0, sizeof t->sel);
	t->focus = LIST_SLOTS;
	t->view = VIEW_CAMPAIGN;
	tui_reload(t);
}

/* Opens the selected task (task view) or campaign (elsewhere). */
static unsigned act_open(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	if (t->view == VIEW_TASK)
		act_open_task(t);
	else
		act_open_campaign(t);
	return DIRTY_ALL;
}

/* Goes back: from a task to the task list, from the output to the view before, else to the campaigns. */
static unsigned act_back(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	if (t->view == VIEW_TASK) {
		free(t->task);
		t->task = NULL;
	} else {
		t->view = t->view == VIEW_OUTPUT ? t->back_view : VIEW_CAMPAIGNS;
	}
	return DIRTY_ALL;
}

/* Moves the selection of the current list (or the terminal, or the scroll of the output or help) by delta. */
static unsigned act_move(struct tui *t, int delta)
{
	if (t->view == VIEW_TERMINALS) {
		if (t->panes.n)
			t->panes.sel = (t->panes.sel + delta + t->panes.n) % t->panes.n;
		return DIRTY_ALL;
	}
	if (t->view == VIEW_OUTPUT || t->help) {
		int *scroll = t->help ? &t->help_scroll : &t->output_scroll;
		*scroll = *scroll + delta < 0 ? 0 : *scroll + delta;
	} else if (t->view == VIEW_CAMPAIGNS) {
		int n = cJSON_GetArraySize(cJSON_GetObjectItem(t->campaigns, "campaigns"));
		t->sel_campaign = n ? (t->sel_campaign + delta + n) % n : 0;
	} else if (t->view == VIEW_TASK) {
		int n = cJSON_GetArraySize(t->tasks);
		t->sel_task = n ? (t->sel_task + delta + n) % n : 0;
	} else {
		int n = tui_list_len(t, t->focus);
		t->sel[t->focus] = n ? (t->sel[t->focus] + delta + n) % n : 0;
		if (t->focus == LIST_SLOTS)
			t->sel[LIST_ASSIGNMENTS] = t->sel[LIST_ASSETS] = 0;
	}
	return DIRTY_BODY;
}

/* Moves up (the terminal on the left). */
static unsigned act_up(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	return act_move(t, -1);
}

/* Moves down (the terminal on the right). */
static unsigned act_down(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	return act_move(t, 1);
}

/* Moves the campaign view's focus to its next list. */
static unsigned act_next_list(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	t->focus = (enum tui_list)((t->focus + 1) % LIST_COUNT);
	return DIRTY_ALL;
}

/* Opens a pane attached to the tmux session of the named registered session (read through `sessions`). */
static void act_open_session_pane(struct tui *t, const char *session)
{
	if (!session) {
		tui_status(t, 1, "no session is selected here");
		return;
	}
	struct sb line;
	sb_init(&line);
	sb_adds(&line, "sessions --state all --name ");
	shell_quote(&line, session);
	char err[512];
	cJSON *rows = tui_fetch(t, line.buf, err, sizeof err);
	sb_free(&line);
	const char *tmux = json_str(cJSON_GetArrayItem(rows, 0), "tmux_session");
	if (!rows)
		tui_status(t, 1, "%s", err);
	else if (!tmux)
		tui_status(t, 1, "session %s has no tmux session to show", session);
	else if (panes_open_tmux(&t->panes, session, tmux, err, sizeof err) != 0)
		tui_status(t, 1, "%s", err);
	else
		t->view = VIEW_TERMINALS;
	cJSON_Delete(rows);
}

/* Opens a terminal on the selected worker's tmux session. */
static unsigned act_open_worker(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	struct keys_selection sel;
	tui_selection(t, &sel);
	act_open_session_pane(t, sel.session);
	return DIRTY_ALL;
}

/* Opens a terminal on the task's manager tmux session. */
static unsigned act_open_manager(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	struct keys_selection sel;
	tui_selection(t, &sel);
	act_open_session_pane(t, sel.manager);
	return DIRTY_ALL;
}

/* Opens a terminal running a shell. */
static unsigned act_open_shell(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	char err[256];
	if (panes_open_shell(&t->panes, err, sizeof err) != 0)
		tui_status(t, 1, "%s", err);
	else
		t->view = VIEW_TERMINALS;
	return DIRTY_ALL;
}

/* Closes the selected terminal (its tmux session keeps running). */
static unsigned act_close_terminal(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	panes_close(&t->panes, t->panes.sel);
	return DIRTY_ALL;
}

/* Gives the keyboard to the selected terminal (showing the terminals view). */
static unsigned act_type(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	const struct tui_binding *leave = NULL;
	for (int i = 0; i < t->keys.n && !leave; i++)
		if ((t->keys.b[i].views & VIEW_TYPING) && t->keys.b[i].action == ACT_LEAVE)
			leave = &t->keys.b[i];
	if (!leave) { /* keys.conf took every way back away: the operator would be stuck in the terminal */
		tui_status(t, 1, "no key is bound to leave in typing (keys.conf): not typing into the terminal");
		return DIRTY_STATUS;
	}
	t->panes.focused = t->panes.n > 0;
	if (!t->panes.focused)
		return DIRTY_ALL;
	t->view = VIEW_TERMINALS;
	tui_status(t, 0, "typing into %s; %s returns to the cockpit", t->panes.p[t->panes.sel].title, leave->keyname);
	return DIRTY_ALL;
}

/* Takes the keyboard back from the terminal. */
static unsigned act_leave(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	t->panes.focused = 0;
	tui_status(t, 0, "back in the cockpit");
	return DIRTY_STATUS;
}

/* Selects the next terminal whose screen needs the operator, in the terminals view. */
static unsigned act_needs_you(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	int i = panes_next_needs_you(&t->panes);
	if (i < 0) {
		tui_status(t, 0, "no terminal needs you");
	} else {
		t->panes.sel = i;
		t->view = VIEW_TERMINALS;
	}
	return DIRTY_ALL;
}

/* Scrolls the selected terminal back by half a screen. */
static unsigned act_scroll_up(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	panes_scroll(&t->panes, t->panes.rows / 2);
	return DIRTY_PANES;
}

/* Scrolls the selected terminal forward by half a screen. */
static unsigned act_scroll_down(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	panes_scroll(&t->panes, -t->panes.rows / 2);
	return DIRTY_PANES;
}

/* Starts (or ends) a line selection in the selected terminal (showing the terminals view). */
static unsigned act_select(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	panes_select(&t->panes, !t->panes.selecting);
	if (!t->panes.selecting)
		return DIRTY_PANES;
	tui_status(t, 0, "selecting lines: Up/Down extend, y copies, Esc cancels");
	if (t->view == VIEW_TERMINALS)
		return DIRTY_PANES;
	t->view = VIEW_TERMINALS;
	return DIRTY_ALL;
}

/* Copies the selected lines (or the visible screen) of the selected terminal. */
static unsigned act_copy(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	char err[256];
	if (panes_copy(&t->panes, err, sizeof err) != 0)
		tui_status(t, 1, "%s", err);
	else
		tui_status(t, 0, "copied from %s (OSC 52 and the tmux buffer)", t->panes.p[t->panes.sel].title);
	return DIRTY_PANES;
}

/* Extends the line selection up. */
static unsigned act_select_up(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	if (!t->panes.selecting)
		return 0;
	panes_select_move(&t->panes, -1);
	return DIRTY_PANES;
}

/* Extends the line selection down. */
static unsigned act_select_down(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	if (!t->panes.selecting)
		return 0;
	panes_select_move(&t->panes, 1);
	return DIRTY_PANES;
}

/* Cancels the line selection. */
static unsigned act_select_cancel(struct tui *t, const struct tui_binding *b)
{
	(void)b;
	panes_select(&t->panes, 0);
	tui_status(t, 0, "selection cancelled");
	return DIRTY_PANES;
}

/* The reaction of every action (keys_actions holds their names). */
static const act_fn act_table[ACT_COUNT] = {
	[ACT_COMMAND] = act_command,
	[ACT_QUIT] = act_quit,
	[ACT_HELP] = act_help,
	[ACT_PROMPT] = act_prompt,
	[ACT_REFRESH] = act_refresh,
	[ACT_NEXT_VIEW] = act_next_view,
	[ACT_OPEN] = act_open,
	[ACT_BACK] = act_back,
	[ACT_UP] = act_up,
	[ACT_DOWN] = act_down,
	[ACT_NEXT_LIST] = act_next_list,
	[ACT_PANE_SESSION] = act_open_worker,
	[ACT_PANE_MANAGER] = act_open_manager,
	[ACT_PANE_SHELL] = act_open_shell,
	[ACT_PANE_CLOSE] = act_close_terminal,
	[ACT_PANE_FOCUS] = act_type,
	[ACT_NEEDS_YOU] = act_needs_you,
	[ACT_SCROLL_UP] = act_scroll_up,
	[ACT_SCROLL_DOWN] = act_scroll_down,
	[ACT_SELECT] = act_select,
	[ACT_COPY] = act_copy,
	[ACT_SELECT_UP] = act_select_up,
	[ACT_SELECT_DOWN] = act_select_down,
	[ACT_SELECT_CANCEL] = act_select_cancel,
	[ACT_LEAVE] = act_leave,
};

/* Runs binding b's action; returns the DIRTY_* bits of what it changed. */
unsigned act_run(struct tui *t, const struct tui_binding *b)
{
	return act_table[b->action](t, b);
}
