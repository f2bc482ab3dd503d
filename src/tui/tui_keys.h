#ifndef CONVEYOR_TUI_KEYS_H
#define CONVEYOR_TUI_KEYS_H
/* The cockpit's built-in key bindings: each is a command line of the command table (with placeholders for the
 * selection and for values the operator types) or one of the cockpit's named actions. */
#include "util/sb.h"

/* Views a binding works in (bits). The last three are modes within a view: the help overlay, a line selection
 * in a terminal, and typing into a terminal. VIEW_ALL is the five views, not the modes. */
enum tui_view {
	VIEW_CAMPAIGNS = 1, VIEW_CAMPAIGN = 2, VIEW_TASK = 4, VIEW_TERMINALS = 8, VIEW_OUTPUT = 16, VIEW_ALL = 31,
	VIEW_HELP = 32, VIEW_SELECT = 64, VIEW_TYPING = 128,
};

/* A curses key code (KEY_*) as a binding's key, apart from every character code. */
#define KEYS_CODE(k) (0x200000 | (k))

/* What a binding does: run its command line, or one of the cockpit's actions (each has a stable name). */
enum tui_action {
	ACT_COMMAND, /* run the binding's command line */
	ACT_QUIT, ACT_HELP, ACT_PROMPT, ACT_REFRESH, ACT_NEXT_VIEW, ACT_OPEN, ACT_BACK, ACT_UP, ACT_DOWN,
	ACT_NEXT_LIST, ACT_PANE_SESSION, ACT_PANE_MANAGER, ACT_PANE_SHELL, ACT_PANE_CLOSE, ACT_PANE_FOCUS, ACT_NEEDS_YOU,
	ACT_SCROLL_UP, ACT_SCROLL_DOWN, ACT_SELECT, ACT_COPY, ACT_SELECT_UP, ACT_SELECT_DOWN, ACT_SELECT_CANCEL,
	ACT_LEAVE,
	ACT_COUNT
};

enum { KB_CONFIRM = 1, /* ask y/N before running */
       KB_USER = 2,    /* bound by keys.conf */
};

#define KEYS_MAX_PROMPTS 4 /* %{Label} fields one command line may ask */

/* One binding. */
struct tui_binding {
	unsigned views;
	int key;             /* the key code: a character, or KEYS_CODE(a curses KEY_*) */
	const char *keyname; /* how help and the man page write it */
	const char *label;
	enum tui_action action;
	const char *command; /* ACT_COMMAND: command line with %placeholders and %{Prompt} fields */
	unsigned flags;
};

/* A cockpit action: its name in keys.conf, what it does, and its flags when keys.conf binds it. */
struct keys_action {
	const char *name;
	const char *label;
	unsigned flags;
};

extern const struct tui_binding tui_bindings[];
extern const int tui_bindings_len;
extern const struct keys_action keys_actions[ACT_COUNT];

enum tui_action keys_action_find(const char *name);
unsigned keys_view_find(const char *name);

/* The values a command line template can name (NULL when nothing of that kind is selected). */
struct keys_selection {
	const char *campaign, *slot, *asset, *assignment, *session, *task, *thread, *manager;
};

int keys_expand(const char *tmpl, const struct keys_selection *sel, const char *const *answers, struct sb *out,
		char *missing, size_t missing_len);
int keys_prompts(const char *tmpl, const char **labels, int max);
int keys_check(const char *tmpl, char *msg, size_t msg_len);

struct cmd_entry;
const struct cmd_entry *keys_command(char *const *argv, int argc);

#endif
