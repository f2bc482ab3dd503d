/* Keyboard handling: a key runs its binding (after asking its prompts and, for guarded actions, y/N), ':' reads a
 * command line, and a focused pane gets every key except C-g. */
#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "util/shell.h"
#include "tui/tui_input.h"
#include "tui/tui_int.h"
#include "util/json.h"

#define KEY_RETURN_TO_COCKPIT 7 /* C-g: works inside tmux and over SSH, and no shell or Codex needs it */

/* Drops the pending prompt. */
void tui_pending_free(struct tui *t)
{
	struct tui_pending *p = t->pending;
	if (!p)
		return;
	for (int i = 0; i < p->nanswers; i++)
		free(p->answers[i]);
	free(p->line);
	sb_free(&p->edit);
	free(p);
	t->pending = NULL;
	t->dirty |= DIRTY_STATUS;
}

/* Expands the binding with the selection and the answers: asks for confirmation when guarded, else runs it. */
static void tui_binding_ready(struct tui *t)
{
	struct tui_pending *p = t->pending;
	struct keys_selection sel;
	tui_selection(t, &sel);
	struct sb line;
	sb_init(&line);
	char missing[160];
	if (keys_expand(p->binding->command, &sel, (const char *const *)p->answers, &line, missing, sizeof missing) != 0) {
		tui_status(t, 1, "%s: %s", p->binding->label, missing);
		sb_free(&line);
		tui_pending_free(t);
		return;
	}
	if (p->binding->flags & KB_CONFIRM) {
		p->line = sb_take(&line);
		t->dirty |= DIRTY_STATUS;
		return;
	}
	tui_run_line(t, line.buf, 0);
	sb_free(&line);
	tui_pending_free(t);
}

/* Starts a command binding: checks the selection first, then asks its prompts one by one. */
static void tui_binding_start(struct tui *t, const struct tui_binding *b)
{
	struct tui_pending *p = calloc(1, sizeof *p);
	p->binding = b;
	p->nlabels = keys_prompts(b->command, p->labels, TUI_MAX_ANSWERS);
	sb_init(&p->edit);
	t->pending = p;
	struct keys_selection sel;
	tui_selection(t, &sel);
	struct sb probe;
	sb_init(&probe);
	char missing[160];
	const char *fill[TUI_MAX_ANSWERS] = {"", "", "", ""};
	int ok = keys_expand(b->command, &sel, fill, &probe, missing, sizeof missing) == 0;
	sb_free(&probe);
	if (!ok) {
		tui_status(t, 1, "%s: %s", b->label, missing);
		tui_pending_free(t);
	} else if (p->nlabels == 0) {
		tui_binding_ready(t);
	}
	t->dirty |= DIRTY_STATUS;
}

static void tui_action(struct tui *t, const struct tui_binding *b);

/* Handles a key while a prompt or a confirmation is pending. */
static void tui_pending_key(struct tui *t, wint_t ch, int is_code)
{
	struct tui_pending *p = t->pending;
	t->dirty |= DIRTY_STATUS;
	if (is_code && ch == KEY_RESIZE)
		return;
	if (p->line) {
		const struct tui_binding *b = p->binding;
		if (!is_code && (ch == 'y' || ch == 'Y') && b && b->action != ACT_COMMAND) {
			tui_pending_free(t);
			tui_action(t, b);
			return;
		}
		if (!is_code && (ch == 'y' || ch == 'Y'))
			tui_run_line(t, p->line, 0);
		else
			tui_status(t, 0, "cancelled");
		tui_pending_free(t);
		return;
	}
	if (!is_code && ch == 27) {
		tui_status(t, 0, "cancelled");
		tui_pending_free(t);
	} else if ((is_code && ch == KEY_BACKSPACE) || (!is_code && (ch == 127 || ch == 8))) {
		while (p->edit.len > 0 && ((unsigned char)p->edit.buf[--p->edit.len] & 0xc0) == 0x80)
			;
		if (p->edit.buf)
			p->edit.buf[p->edit.len] = '\0';
	} else if (!is_code && ch == 21) {
		p->edit.len = 0;
		if (p->edit.buf)
			p->edit.buf[0] = '\0';
	} else if ((!is_code && (ch == '\r' || ch == '\n')) || (is_code && ch == KEY_ENTER)) {
		char *text = sb_take(&p->edit);
		if (!p->binding) {
			if (*text)
				tui_run_line(t, text, 1);
			free(text);
			tui_pending_free(t);
			return;
		}
		p->answers[p->nanswers++] = text;
		if (p->nanswers == p->nlabels)
			tui_binding_ready(t);
	} else if (!is_code && ch >= 0x20 && ch != 0x7f && !(ch >= 0x80 && ch < 0xa0)) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n != (size_t)-1)
			sb_addn(&p->edit, mb, n);
	}
}

/* Moves the selection of the current list by delta. */
static void tui_move(struct tui *t, int delta)
{
	if (t->view == VIEW_TERMINALS) {
		if (t->panes.n)
			t->panes.sel = (t->panes.sel + delta + t->panes.n) % t->panes.n;
		t->dirty |= DIRTY_ALL;
		return;
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
	t->dirty |= DIRTY_BODY;
}

/* Opens the task selected in the task list. */
static void tui_open_task(struct tui *t)
{
	const char *name = json_str(cJSON_GetArrayItem(t->tasks, t->sel_task), "name");
	if (!name || t->task)
		return;
	t->task = strdup(name);
	tui_reload(t);
	t->dirty |= DIRTY_BODY;
}

/* Opens the campaign selected in the overview. */
static void tui_open_campaign(struct tui *t)
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
	t->dirty |= DIRTY_BODY;
}

/* Opens a pane attached to the tmux session of the named registered session (read through `sessions`). */
static void tui_open_session_pane(struct tui *t, const char *session)
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
	t->dirty = DIRTY_ALL;
}

/* Runs a cockpit action (a binding that is not a command line). */
static void tui_action(struct tui *t, const struct tui_binding *b)
{
	static const unsigned order[] = {VIEW_CAMPAIGNS, VIEW_CAMPAIGN, VIEW_TASK, VIEW_TERMINALS};
	struct keys_selection sel;
	tui_selection(t, &sel);
	char err[256];
	t->dirty |= DIRTY_BODY;
	switch (b->action) {
	case ACT_QUIT:
		t->quit = 1;
		break;
	case ACT_HELP:
		t->help = !t->help;
		t->help_scroll = 0;
		break;
	case ACT_PROMPT:
		t->pending = calloc(1, sizeof *t->pending);
		sb_init(&t->pending->edit);
		break;
	case ACT_REFRESH:
		tui_reload(t);
		break;
	case ACT_NEXT_VIEW:
		for (size_t i = 0; i < 4; i++)
			if (order[i] == t->view || (t->view == VIEW_OUTPUT && i == 3)) {
				t->view = order[(i + 1) % 4];
				break;
			}
		if (t->view == VIEW_CAMPAIGN && !t->campaign)
			t->view = VIEW_TASK;
		break;
	case ACT_OPEN:
		if (t->view == VIEW_TASK)
			tui_open_task(t);
		else
			tui_open_campaign(t);
		break;
	case ACT_BACK:
		if (t->view == VIEW_TASK) {
			free(t->task);
			t->task = NULL;
		} else {
			t->view = t->view == VIEW_OUTPUT ? t->back_view : VIEW_CAMPAIGNS;
		}
		break;
	case ACT_UP:
	case ACT_DOWN:
		tui_move(t, b->action == ACT_UP ? -1 : 1);
		break;
	case ACT_NEXT_LIST:
		t->focus = (enum tui_list)((t->focus + 1) % LIST_COUNT);
		break;
	case ACT_PANE_SESSION:
	case ACT_PANE_MANAGER:
		tui_open_session_pane(t, b->action == ACT_PANE_SESSION ? sel.session : sel.manager);
		break;
	case ACT_PANE_SHELL:
		if (panes_open_shell(&t->panes, err, sizeof err) != 0)
			tui_status(t, 1, "%s", err);
		else
			t->view = VIEW_TERMINALS;
		break;
	case ACT_PANE_CLOSE:
		panes_close(&t->panes, t->panes.sel);
		break;
	case ACT_PANE_FOCUS:
		t->panes.focused = t->panes.n > 0;
		if (t->panes.focused)
			tui_status(t, 0, "typing into %s; C-g returns to the cockpit", t->panes.p[t->panes.sel].title);
		break;
	case ACT_NEEDS_YOU: {
		int i = panes_next_needs_you(&t->panes);
		if (i < 0) {
			tui_status(t, 0, "no terminal needs you");
		} else {
			t->panes.sel = i;
			t->view = VIEW_TERMINALS;
		}
		break;
	}
	case ACT_SCROLL_UP:
	case ACT_SCROLL_DOWN:
		panes_scroll(&t->panes, b->action == ACT_SCROLL_UP ? t->panes.rows / 2 : -t->panes.rows / 2);
		break;
	case ACT_SELECT:
		panes_select(&t->panes, !t->panes.selecting);
		if (t->panes.selecting)
			tui_status(t, 0, "selecting lines: Up/Down extend, y copies, Esc cancels");
		break;
	case ACT_COPY:
		if (panes_copy(&t->panes, err, sizeof err) != 0)
			tui_status(t, 1, "%s", err);
		else
			tui_status(t, 0, "copied from %s (OSC 52 and the tmux buffer)", t->panes.p[t->panes.sel].title);
		break;
	case ACT_COMMAND:
		break;
	}
	t->dirty = DIRTY_ALL;
}

/* Handles a key while a line selection is being made; returns 0 when the key is not the selection's. */
static int tui_selection_key(struct tui *t, int key)
{
	if (key == KEY_UP || key == 'k' || key == KEY_DOWN || key == 'j') {
		panes_select_move(&t->panes, key == KEY_UP || key == 'k' ? -1 : 1);
	} else if (key == 27) {
		panes_select(&t->panes, 0);
		tui_status(t, 0, "selection cancelled");
	} else {
		return 0;
	}
	t->dirty |= DIRTY_PANES;
	return 1;
}

/* Handles one key in the cockpit (no prompt pending, no pane focused). */
static void tui_key(struct tui *t, wint_t ch, int is_code)
{
	if (is_code && ch == KEY_RESIZE)
		return;
	int key = (int)ch;
	if (t->panes.selecting && t->view == VIEW_TERMINALS && tui_selection_key(t, key))
		return;
	if (t->help && key != '?' && key != 'q' && key != 'j' && key != 'k' && key != KEY_UP && key != KEY_DOWN) {
		t->help = 0;
		t->dirty |= DIRTY_BODY;
		return;
	}
	unsigned view = t->help ? VIEW_OUTPUT : t->view;
	const struct tui_binding *b = keys_find(view, key);
	if (!b) {
		tui_status(t, 0, "no binding for that key here (? lists them)");
		return;
	}
	if (b->action == ACT_COMMAND) {
		tui_binding_start(t, b);
	} else if (b->flags & KB_CONFIRM) {
		t->pending = calloc(1, sizeof *t->pending);
		t->pending->binding = b;
		t->pending->line = strdup(b->label);
		sb_init(&t->pending->edit);
		t->dirty |= DIRTY_STATUS;
	} else {
		tui_action(t, b);
	}
}

/* Reads every pending key and dispatches it. */
void tui_input(struct tui *t)
{
	wint_t ch;
	int rc;
	nodelay(stdscr, TRUE);
	while ((rc = get_wch(&ch)) != ERR) {
		int is_code = rc == KEY_CODE_YES;
		if (t->pending)
			tui_pending_key(t, ch, is_code);
		else if (t->panes.focused && t->view == VIEW_TERMINALS) {
			if (!is_code && ch == KEY_RETURN_TO_COCKPIT) {
				t->panes.focused = 0;
				tui_status(t, 0, "back in the cockpit");
			} else {
				panes_key(&t->panes, (int)ch, is_code);
			}
		} else
			tui_key(t, ch, is_code);
	}
}
