/* The built-in binding table (the one place keys are defined: help, the man page test and keys.conf start from
 * it), the names of the cockpit's actions and views, and the expansion and checking of command line templates. */
#include "tui/tui_keys.h"

#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "util/shell.h"

#define CTRL(k) ((k)&0x1f)
#define MOVES (VIEW_CAMPAIGNS | VIEW_CAMPAIGN | VIEW_TASK | VIEW_OUTPUT | VIEW_HELP) /* where j, k, Up, Down move */

const struct tui_binding tui_bindings[] = {
	{VIEW_ALL | VIEW_HELP, '?', "?", "every key binding", ACT_HELP, NULL, 0},
	{VIEW_ALL, ':', ":", "run any conveyor command line", ACT_PROMPT, NULL, 0},
	{VIEW_ALL | VIEW_HELP, 'q', "q", "quit (workers keep running)", ACT_QUIT, NULL, 0},
	{VIEW_ALL, '\t', "Tab", "next view: campaigns, campaign, task, terminals", ACT_NEXT_VIEW, NULL, 0},
	{VIEW_ALL, CTRL('r'), "C-r", "refresh now", ACT_REFRESH, NULL, 0},
	{VIEW_ALL, '!', "!", "jump to the next terminal that needs you (approval, trust, login)", ACT_NEEDS_YOU, NULL, 0},
	{MOVES, 'j', "j", "move down", ACT_DOWN, NULL, 0},
	{MOVES, 'k', "k", "move up", ACT_UP, NULL, 0},
	{MOVES, KEYS_CODE(KEY_DOWN), "Down", "move down", ACT_DOWN, NULL, 0},
	{MOVES, KEYS_CODE(KEY_UP), "Up", "move up", ACT_UP, NULL, 0},
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
	{VIEW_TERMINALS, KEYS_CODE(KEY_LEFT), "Left", "select the terminal on the left", ACT_UP, NULL, 0},
	{VIEW_TERMINALS, KEYS_CODE(KEY_RIGHT), "Right", "select the terminal on the right", ACT_DOWN, NULL, 0},
	{VIEW_TERMINALS, KEYS_CODE(KEY_PPAGE), "PgUp", "scroll the selected terminal back", ACT_SCROLL_UP, NULL, 0},
	{VIEW_TERMINALS, KEYS_CODE(KEY_NPAGE), "PgDn", "scroll the selected terminal forward", ACT_SCROLL_DOWN, NULL, 0},
	{VIEW_TERMINALS, 'v', "v", "select lines of the selected terminal (Up/Down extend, y copies, Esc cancels)",
	 ACT_SELECT, NULL, 0},
	{VIEW_TERMINALS, 'y', "y", "copy the selected lines, or the whole visible screen (OSC 52 and the tmux buffer)",
	 ACT_COPY, NULL, 0},
	{VIEW_SELECT, 'k', "k", "extend the selection up", ACT_SELECT_UP, NULL, 0},
	{VIEW_SELECT, 'j', "j", "extend the selection down", ACT_SELECT_DOWN, NULL, 0},
	{VIEW_SELECT, KEYS_CODE(KEY_UP), "Up", "extend the selection up", ACT_SELECT_UP, NULL, 0},
	{VIEW_SELECT, KEYS_CODE(KEY_DOWN), "Down", "extend the selection down", ACT_SELECT_DOWN, NULL, 0},
	{VIEW_SELECT, 27, "Esc", "cancel the selection", ACT_SELECT_CANCEL, NULL, 0},
	{VIEW_TYPING, CTRL('g'), "C-g", "return from the terminal to the cockpit", ACT_LEAVE, NULL, 0},
};

const int tui_bindings_len = (int)(sizeof tui_bindings / sizeof tui_bindings[0]);

/* Every cockpit action by its stable name (keys.conf binds these), with what it does. */
const struct keys_action keys_actions[ACT_COUNT] = {
	[ACT_COMMAND] = {"", "run a command line", 0},
	[ACT_QUIT] = {"quit", "quit (workers keep running)", 0},
	[ACT_HELP] = {"keys", "show or hide every key binding", 0},
	[ACT_PROMPT] = {"prompt", "run any conveyor command line", 0},
	[ACT_REFRESH] = {"refresh", "refresh now", 0},
	[ACT_NEXT_VIEW] = {"next-view", "next view: campaigns, campaign, task, terminals", 0},
	[ACT_OPEN] = {"open", "open the selected campaign or task", 0},
	[ACT_BACK] = {"back", "back", 0},
	[ACT_UP] = {"up", "move up (the terminal on the left)", 0},
	[ACT_DOWN] = {"down", "move down (the terminal on the right)", 0},
	[ACT_NEXT_LIST] = {"next-list", "next list: slots, approvals, assignments, assets", 0},
	[ACT_PANE_SESSION] = {"open-worker", "open a terminal on the selected worker's tmux session", 0},
	[ACT_PANE_MANAGER] = {"open-manager", "open a terminal on the task's manager tmux session", 0},
	[ACT_PANE_SHELL] = {"open-shell", "open a terminal running a shell", 0},
	[ACT_PANE_CLOSE] = {"close-terminal", "close the selected terminal (its tmux session keeps running)", KB_CONFIRM},
	[ACT_PANE_FOCUS] = {"type", "type into the selected terminal", 0},
	[ACT_NEEDS_YOU] = {"needs-you", "jump to the next terminal that needs you", 0},
	[ACT_SCROLL_UP] = {"scroll-up", "scroll the selected terminal back", 0},
	[ACT_SCROLL_DOWN] = {"scroll-down", "scroll the selected terminal forward", 0},
	[ACT_SELECT] = {"select", "select lines of the selected terminal", 0},
	[ACT_COPY] = {"copy", "copy the selected lines, or the whole visible screen", 0},
	[ACT_SELECT_UP] = {"select-up", "extend the selection up", 0},
	[ACT_SELECT_DOWN] = {"select-down", "extend the selection down", 0},
	[ACT_SELECT_CANCEL] = {"select-cancel", "cancel the selection", 0},
	[ACT_LEAVE] = {"leave", "return from the terminal to the cockpit", 0},
};

/* The action named name, or ACT_COMMAND when no action has that name. */
enum tui_action keys_action_find(const char *name)
{
	for (int a = ACT_COMMAND + 1; a < ACT_COUNT; a++)
		if (strcmp(keys_actions[a].name, name) == 0)
			return (enum tui_action)a;
	return ACT_COMMAND;
}

/* The view bits of a view name of keys.conf, or 0 for an unknown name. */
unsigned keys_view_find(const char *name)
{
	static const struct {
		const char *name;
		unsigned view;
	} views[] = {
		{"campaigns", VIEW_CAMPAIGNS}, {"campaign", VIEW_CAMPAIGN}, {"task", VIEW_TASK},
		{"terminals", VIEW_TERMINALS}, {"output", VIEW_OUTPUT},     {"all", VIEW_ALL},
		{"help", VIEW_HELP},           {"select", VIEW_SELECT},     {"typing", VIEW_TYPING},
	};
	for (size_t i = 0; i < sizeof views / sizeof *views; i++)
		if (strcmp(views[i].name, name) == 0)
			return views[i].view;
	return 0;
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

/* Checks the placeholders of a command line template (for keys.conf): every %name known, every %{Label} closed,
 * at most KEYS_MAX_PROMPTS of them. 0, or -1 with msg saying what is wrong. */
int keys_check(const char *tmpl, char *msg, size_t msg_len)
{
	static const struct keys_selection names = {0};
	int prompts = 0;
	for (const char *p = strchr(tmpl, '%'); p; p = strchr(p + 1, '%')) {
		if (p[1] == '{') {
			if (!strchr(p, '}')) {
				snprintf(msg, msg_len, "unterminated %%{ field");
				return -1;
			}
			if (++prompts > KEYS_MAX_PROMPTS) {
				snprintf(msg, msg_len, "more than %d %%{...} fields", KEYS_MAX_PROMPTS);
				return -1;
			}
			p = strchr(p, '}');
			continue;
		}
		size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz_");
		int known;
		keys_value(&names, p + 1, len, &known);
		if (!known) {
			snprintf(msg, msg_len, "unknown placeholder \"%%%.*s\"", (int)(len > 32 ? 32 : len), p + 1);
			return -1;
		}
	}
	return 0;
}

/* The command of the table that a command line's words name: its first word, or its first two for a command of
 * a group (campaign create); NULL when the table has none. */
const struct cmd_entry *keys_command(char *const *argv, int argc)
{
	if (argc < 1)
		return NULL;
	const struct cmd_entry *c = cmd_find(argv[0], NULL);
	return c || argc < 2 ? c : cmd_find(argv[0], argv[1]);
}
