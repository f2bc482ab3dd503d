#ifndef CONVEYOR_TUI_KEYS_H
#define CONVEYOR_TUI_KEYS_H
/* The cockpit's key bindings: each is a command line of the command table (with placeholders for the
 * selection and for values the operator types) or one of a few cockpit actions. */
#include "util/sb.h"

/* Views a binding works in (bits). */
enum tui_view { VIEW_CAMPAIGNS = 1, VIEW_CAMPAIGN = 2, VIEW_TASK = 4, VIEW_TERMINALS = 8, VIEW_OUTPUT = 16, VIEW_ALL = 31 };

/* Cockpit actions that are not commands. */
enum tui_action {
	ACT_COMMAND, /* run the binding's command line */
	ACT_QUIT, ACT_HELP, ACT_PROMPT, ACT_REFRESH, ACT_NEXT_VIEW, ACT_OPEN, ACT_BACK, ACT_UP, ACT_DOWN,
	ACT_NEXT_LIST, ACT_PANE_SESSION, ACT_PANE_MANAGER, ACT_PANE_SHELL, ACT_PANE_CLOSE, ACT_PANE_FOCUS, ACT_NEEDS_YOU,
	ACT_SCROLL_UP, ACT_SCROLL_DOWN, ACT_SELECT, ACT_COPY,
};

enum { KB_CONFIRM = 1 }; /* ask y/N before running */

/* One binding. */
struct tui_binding {
	unsigned views;
	int key;             /* the key code (a character or a curses KEY_*) */
	const char *keyname; /* how help and the man page write it */
	const char *label;
	enum tui_action action;
	const char *command; /* ACT_COMMAND: command line with %placeholders and %{Prompt} fields */
	unsigned flags;
};

extern const struct tui_binding tui_bindings[];
extern const int tui_bindings_len;

const struct tui_binding *keys_find(unsigned view, int key);

/* The values a command line template can name (NULL when nothing of that kind is selected). */
struct keys_selection {
	const char *campaign, *slot, *asset, *assignment, *session, *task, *thread, *manager;
};

int keys_expand(const char *tmpl, const struct keys_selection *sel, const char *const *answers, struct sb *out,
		char *missing, size_t missing_len);
int keys_prompts(const char *tmpl, const char **labels, int max);

#endif
