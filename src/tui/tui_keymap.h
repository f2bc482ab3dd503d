#ifndef CONVEYOR_TUI_KEYMAP_H
#define CONVEYOR_TUI_KEYMAP_H
/* The effective key bindings: the built-in table, then what keys.conf binds and unbinds. */
#include "tui/tui_keys.h"

struct keymap {
	struct tui_binding *b; /* in lookup order */
	int n, cap;
	char **owned;          /* strings of the bindings keys.conf made */
	int nowned, owned_cap;
	char **errors;         /* "keys.conf:3: unknown view \"foo\"", one per bad line */
	int nerrors;
	char *path;            /* the keys.conf that was read, or NULL */
};

void keymap_init(struct keymap *km);
const struct tui_binding *keymap_find(const struct keymap *km, unsigned view, int key);
int keymap_unbind(struct keymap *km, unsigned views, int key);
void keymap_bind(struct keymap *km, const struct tui_binding *b);
const char *keymap_keep(struct keymap *km, char *s);
void keymap_error(struct keymap *km, const char *msg);
int keymap_user_count(const struct keymap *km);
void keymap_free(struct keymap *km);

#endif
