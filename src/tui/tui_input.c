/* Keyboard handling: a key answers a pending prompt; else it is looked up in the effective bindings for the mode
 * and view it is pressed in (typing into a terminal, selecting lines, the help overlay, then the view), and its
 * binding runs (guarded actions ask y/N first). Nothing here knows which key does what. */
#include <curses.h>
#include <wchar.h>

#include "tui/tui_actions.h"
#include "tui/tui_input.h"
#include "tui/tui_int.h"
#include "tui/tui_keyname.h"
#include "tui/tui_prompt.h"

/* Runs binding b: y/N first for a guarded action, else its reaction (a command binding asks its prompts). */
static void input_run(struct tui *t, const struct tui_binding *b)
{
	if (b->action != ACT_COMMAND && (b->flags & KB_CONFIRM))
		t->dirty |= prompt_confirm(t, b);
	else
		t->dirty |= act_run(t, b);
}

/* Handles a key while typing into a terminal: its binding there (C-g leaves), else the terminal gets it. */
static void input_typing(struct tui *t, wint_t ch, int is_code)
{
	const struct tui_binding *b = keymap_find(&t->keys, VIEW_TYPING, keyname_code(ch, is_code));
	if (b)
		input_run(t, b);
	else
		panes_key(&t->panes, (int)ch, is_code);
}

/* Handles one key in the cockpit (no prompt pending, no terminal typed into): the line selection's bindings
 * first, then the help overlay's (any other key closes it), then the view's. */
static void input_key(struct tui *t, wint_t ch, int is_code)
{
	if (is_code && ch == KEY_RESIZE)
		return;
	int key = keyname_code(ch, is_code);
	const struct tui_binding *b = NULL;
	if (t->panes.selecting && t->view == VIEW_TERMINALS)
		b = keymap_find(&t->keys, VIEW_SELECT, key);
	if (!b && t->help) {
		b = keymap_find(&t->keys, VIEW_HELP, key);
		if (!b) {
			t->help = 0;
			t->dirty |= DIRTY_BODY;
			return;
		}
	}
	if (!b)
		b = keymap_find(&t->keys, t->view, key);
	if (!b) {
		tui_status(t, 0, "no binding for that key here (? lists them)");
		return;
	}
	input_run(t, b);
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
			prompt_key(t, ch, is_code);
		else if (t->panes.focused && t->view == VIEW_TERMINALS)
			input_typing(t, ch, is_code);
		else
			input_key(t, ch, is_code);
	}
}
