/* The binding table (the one place keys are defined: help, the man page test and the loop read it) and the
 * expansion of command line templates. */
#include "tui/tui_keys.h"

#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "util/shell.h"

#define CTRL(k) ((k)&0x1f)

const struct tui_binding tui_bindings[] = {
	{VIEW_ALL, '?', "?", "every key binding", ACT_HELP, NULL, 0},
	{VIEW_ALL, ':', ":", "run any conveyor command line", ACT_PROMPT, NULL, 0},
	{VIEW_ALL, 'q', "q", "quit (workers keep running)", ACT_QUIT, NULL, 0},
	{VIEW_ALL, '\t', "Tab", "next view: campaigns, campaign, task, terminals", ACT_NEXT_VIEW, NULL, 0},
	{VIEW_ALL, CTRL('r'), "C-r", "refresh now", ACT_REFRESH, NULL, 0},
	{VIEW_ALL, '!', "!", "jump to the next terminal that needs you (approval, trust, login)", ACT_NEEDS_YOU, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT, 'j', "j", "move down", ACT_DOWN, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT, 'k', "k", "move up", ACT_UP, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT, KEY_DOWN, "Down", "move down", ACT_DOWN, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT, KEY_UP, "Up", "move up", ACT_UP, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_TASK, '\r', "Enter", "open the selected campaign or task", ACT_OPEN, NULL, 0},
	{VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT, 27, "Esc", "back", ACT_BACK, NULL, 0},
	{VIEW_TASK, 'C', "C", "run one observation cycle of the task", ACT_COMMAND, "cycle %task", 0},
	{VIEW_TASK, 'M', "M", "open a terminal on the task's manager tmux session", ACT_PANE_MANAGER, NULL, 0},
	{VIEW_CAMPAIGN, ' ', "Space", "next list: slots, approvals, assignments, assets", ACT_NEXT_LIST, NULL, 0},
	{VIEW_CAMPAIGNS, 'n', "n", "create a campaign", ACT_COMMAND,
	 "campaign create --name %{Campaign name} --objective %{Objective}", 0},
	{VIEW_CAMPAIGNS, 'w', "w", "start a Codex worker in tmux", ACT_COMMAND,
	 "start-worker --name %{Worker name} --task %{First prompt}", 0},
	{VIEW_CAMPAIGN, 's', "s", "add a worker slot", ACT_COMMAND,
	 "campaign add-slot --name %campaign --slot-key %{Slot key} --role-label %{Role label}", 0},
	{VIEW_CAMPAIGN, 'a', "a", "approve the selected asset", ACT_COMMAND,
	 "campaign review --name %campaign --asset %asset --status approved", 0},
	{VIEW_CAMPAIGN, 'x', "x", "reject the selected asset (asks for review notes)", ACT_COMMAND,
	 "campaign review --name %campaign --asset %asset --status rejected --review-notes %{Review notes}", KB_CONFIRM},
	{VIEW_CAMPAIGN, 'r', "r", "reject the selected asset and queue the notes to its worker (dispatch)", ACT_COMMAND,
	 "campaign review --name %campaign --asset %asset --status rejected --review-notes %{Review notes} --notify",
	 KB_CONFIRM},
	{VIEW_CAMPAIGN, 'P', "P", "publish the selected asset", ACT_COMMAND,
	 "campaign review --name %campaign --asset %asset --status published", KB_CONFIRM},
	{VIEW_CAMPAIGN, 'u', "u", "set the selected assignment's status", ACT_COMMAND,
	 "campaign update-assignment --name %campaign --assignment %assignment "
	 "--status %{Status (queued, active, blocked, done, cancelled)}", 0},
	{VIEW_CAMPAIGN, 'A', "A", "assign work to the selected slot", ACT_COMMAND,
	 "campaign assign --name %campaign --slot %slot --title %{Title} --instructions %{Instructions}", 0},
	{VIEW_CAMPAIGN, 'N', "N", "assign work to the selected slot and queue it to its worker (dispatch)", ACT_COMMAND,
	 "campaign assign --name %campaign --slot %slot --title %{Title} --instructions %{Instructions} --notify", 0},
	{VIEW_CAMPAIGN, 't', "t", "attach a worker session to the selected slot", ACT_COMMAND,
	 "campaign attach-slot --name %campaign --slot %slot --session-id %{Worker session id} --state active", 0},
	{VIEW_CAMPAIGN, 'R', "R", "rotate the selected slot to a new thread (guarded by its thread)", ACT_COMMAND,
	 "campaign rotate-slot --name %campaign --slot %slot --expected-thread-id %thread --thread-id %{New thread id}",
	 KB_CONFIRM},
	{VIEW_CAMPAIGN, 'X', "X", "archive the selected slot (guarded by its thread)", ACT_COMMAND,
	 "campaign archive-slot --name %campaign --slot %slot --expected-thread-id %thread", KB_CONFIRM},
	{VIEW_CAMPAIGN | VIEW_TASK, 'e', "e", "nudge the selected worker (asks for the text)", ACT_COMMAND,
	 "session-nudge %session %{Nudge text}", 0},
	{VIEW_CAMPAIGN | VIEW_TASK, 'I', "I", "interrupt the selected worker", ACT_COMMAND, "session-interrupt %session",
	 KB_CONFIRM},
	{VIEW_CAMPAIGN | VIEW_TASK, 'h', "h", "record a heartbeat for the selected worker", ACT_COMMAND, "heartbeat %session",
	 0},
	{VIEW_CAMPAIGN | VIEW_TASK | VIEW_TERMINALS, 'o', "o", "open a terminal on the selected worker's tmux session",
	 ACT_PANE_SESSION, NULL, 0},
	{VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_TERMINALS, 'O', "O", "open a terminal running a shell", ACT_PANE_SHELL,
	 NULL, 0},
	{VIEW_TERMINALS, 'c', "c", "close the selected terminal (its tmux session keeps running)", ACT_PANE_CLOSE,
	 NULL, KB_CONFIRM},
	{VIEW_TERMINALS, '\r', "Enter", "type into the selected terminal (C-g returns to the cockpit)", ACT_PANE_FOCUS,
	 NULL, 0},
	{VIEW_TERMINALS, KEY_LEFT, "Left", "select the terminal on the left", ACT_UP, NULL, 0},
	{VIEW_TERMINALS, KEY_RIGHT, "Right", "select the terminal on the right", ACT_DOWN, NULL, 0},
	{VIEW_TERMINALS, KEY_PPAGE, "PgUp", "scroll the selected terminal back", ACT_SCROLL_UP, NULL, 0},
	{VIEW_TERMINALS, KEY_NPAGE, "PgDn", "scroll the selected terminal forward", ACT_SCROLL_DOWN, NULL, 0},
	{VIEW_TERMINALS, 'v', "v", "select lines of the selected terminal (Up/Down extend, y copies, Esc cancels)",
	 ACT_SELECT, NULL, 0},
	{VIEW_TERMINALS, 'y', "y", "copy the selected lines, or the whole visible screen (OSC 52 and the tmux buffer)",
	 ACT_COPY, NULL, 0},
};

const int tui_bindings_len = (int)(sizeof tui_bindings / sizeof tui_bindings[0]);

/* The binding of key in view, or NULL. Enter arrives as '\r' or '\n' or KEY_ENTER. */
const struct tui_binding *keys_find(unsigned view, int key)
{
	if (key == '\n' || key == KEY_ENTER)
		key = '\r';
	for (int i = 0; i < tui_bindings_len; i++)
		if ((tui_bindings[i].views & view) && tui_bindings[i].key == key)
			return &tui_bindings[i];
	return NULL;
}

/* The selection value a %name placeholder stands for; *known is 0 for an unknown name. */
static const char *keys_value(const struct keys_selection *sel, const char *name, size_t len, int *known)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
		{"campaign", offsetof(struct keys_selection, campaign)},
		{"slot", offsetof(struct keys_selection, slot)},
		{"asset", offsetof(struct keys_selection, asset)},
		{"assignment", offsetof(struct keys_selection, assignment)},
		{"session", offsetof(struct keys_selection, session)},
		{"task", offsetof(struct keys_selection, task)},
		{"thread", offsetof(struct keys_selection, thread)},
		{"manager", offsetof(struct keys_selection, manager)},
	};
	*known = 0;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strlen(names[i].name) == len && strncmp(names[i].name, name, len) == 0) {
			*known = 1;
			return *(const char *const *)((const char *)sel + names[i].off);
		}
	return NULL;
}

/* Expands tmpl into a command line: %name becomes the selected value, %{Label} the next answer, each
 * shell-quoted so the line splits back into the same words. Returns 0, or -1 with missing naming what is not
 * selected (or not answered). */
int keys_expand(const char *tmpl, const struct keys_selection *sel, const char *const *answers, struct sb *out,
		char *missing, size_t missing_len)
{
	int answer = 0;
	for (const char *p = tmpl; *p;) {
		if (*p != '%') {
			sb_addc(out, *p++);
			continue;
		}
		const char *value;
		if (p[1] == '{') {
			const char *end = strchr(p, '}');
			value = answers ? answers[answer++] : NULL;
			if (!value) {
				snprintf(missing, missing_len, "%.*s", (int)(end - p - 2), p + 2);
				return -1;
			}
			p = end + 1;
		} else {
			size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
			int known;
			value = keys_value(sel, p + 1, len, &known);
			if (!value) {
				snprintf(missing, missing_len, "%s %.*s", known ? "no selected" : "unknown placeholder",
					 (int)len, p + 1);
				return -1;
			}
			p += 1 + len;
		}
		shell_quote(out, value);
	}
	return 0;
}

/* Fills labels with the %{Label} prompts of tmpl in order (pointing into tmpl, not terminated: each ends at '}');
 * returns how many. */
int keys_prompts(const char *tmpl, const char **labels, int max)
{
	int n = 0;
	for (const char *p = strstr(tmpl, "%{"); p && n < max; p = strstr(p + 2, "%{"))
		labels[n++] = p + 2;
	return n;
}
