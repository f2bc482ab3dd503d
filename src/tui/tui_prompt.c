/* The status line's questions: a command binding checks its selection, asks its %{Label} fields one by one and,
 * when guarded, y/N with the full command line; a guarded action asks y/N with its label; ':' reads a command
 * line. Editing keys: Enter accepts, Esc cancels, Backspace and C-u erase. */
#include "tui/tui_prompt.h"

#include <curses.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tui/tui_actions.h"
#include "tui/tui_int.h"

/* Drops the pending prompt. */
void prompt_free(struct tui *t)
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

/* A new pending prompt for binding b (NULL: the ':' command line). */
static struct tui_pending *prompt_new(struct tui *t, const struct tui_binding *b)
{
	struct tui_pending *p = calloc(1, sizeof *p);
	if (!p)
		abort();
	p->binding = b;
	sb_init(&p->edit);
	t->pending = p;
	return p;
}

/* Expands the binding with the selection and the answers: asks for confirmation when guarded, else runs it. */
static void prompt_ready(struct tui *t)
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
		prompt_free(t);
		return;
	}
	if (p->binding->flags & KB_CONFIRM) {
		p->line = sb_take(&line);
		t->dirty |= DIRTY_STATUS;
		return;
	}
	tui_run_line(t, line.buf, 0);
	sb_free(&line);
	prompt_free(t);
}

/* Starts a command binding: checks the selection first, then asks its prompts one by one. */
unsigned prompt_command(struct tui *t, const struct tui_binding *b)
{
	struct tui_pending *p = prompt_new(t, b);
	p->nlabels = keys_prompts(b->command, p->labels, TUI_MAX_ANSWERS);
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
		prompt_free(t);
	} else if (p->nlabels == 0) {
		prompt_ready(t);
	}
	return DIRTY_STATUS;
}

/* Asks y/N before a guarded action (its label is the question). */
unsigned prompt_confirm(struct tui *t, const struct tui_binding *b)
{
	prompt_new(t, b)->line = strdup(b->label);
	return DIRTY_STATUS;
}

/* Opens the ':' command line. */
unsigned prompt_open(struct tui *t)
{
	prompt_new(t, NULL);
	return DIRTY_STATUS;
}

/* Handles the answer to y/N: y runs the command line or the action, anything else cancels. */
static void prompt_answer(struct tui *t, wint_t ch, int is_code)
{
	struct tui_pending *p = t->pending;
	const struct tui_binding *b = p->binding;
	int yes = !is_code && (ch == 'y' || ch == 'Y');
	if (yes && b && b->action != ACT_COMMAND) {
		prompt_free(t);
		t->dirty |= act_run(t, b);
		return;
	}
	if (yes)
		tui_run_line(t, p->line, 0);
	else
		tui_status(t, 0, "cancelled");
	prompt_free(t);
}

/* Takes the typed text as the next answer (or as the ':' command line, run when not empty). */
static void prompt_accept(struct tui *t)
{
	struct tui_pending *p = t->pending;
	char *text = sb_take(&p->edit);
	if (!p->binding) {
		if (*text)
			tui_run_line(t, text, 1);
		free(text);
		prompt_free(t);
		return;
	}
	p->answers[p->nanswers++] = text;
	if (p->nanswers == p->nlabels)
		prompt_ready(t);
}

/* Handles a key while a prompt or a confirmation is pending. */
void prompt_key(struct tui *t, wint_t ch, int is_code)
{
	struct tui_pending *p = t->pending;
	t->dirty |= DIRTY_STATUS;
	if (is_code && ch == KEY_RESIZE)
		return;
	if (p->line) {
		prompt_answer(t, ch, is_code);
	} else if (!is_code && ch == 27) {
		tui_status(t, 0, "cancelled");
		prompt_free(t);
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
		prompt_accept(t);
	} else if (!is_code && ch >= 0x20 && ch != 0x7f && !(ch >= 0x80 && ch < 0xa0)) {
		char mb[MB_LEN_MAX];
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = wcrtomb(mb, (wchar_t)ch, &st);
		if (n != (size_t)-1)
			sb_addn(&p->edit, mb, n);
	}
}
