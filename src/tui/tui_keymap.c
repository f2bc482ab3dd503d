/* The effective key bindings: a copy of the built-in table that keys.conf edits (a bind takes its key away from
 * the bindings it had in those views, then adds the new one; an unbind only takes it away). */
#include "tui/tui_keymap.h"

#include <stdlib.h>
#include <string.h>

/* Makes room for one more element of size sz in *arr (of *cap). */
static void keymap_grow(void **arr, int n, int *cap, size_t sz)
{
	if (n < *cap)
		return;
	*cap = *cap ? *cap * 2 : 64;
	void *grown = realloc(*arr, sz * (size_t)*cap);
	if (!grown)
		abort();
	*arr = grown;
}

/* Starts with the built-in bindings. */
void keymap_init(struct keymap *km)
{
	memset(km, 0, sizeof *km);
	for (int i = 0; i < tui_bindings_len; i++)
		keymap_bind(km, &tui_bindings[i]);
}

/* The binding of key in view (any of its bits), or NULL. */
const struct tui_binding *keymap_find(const struct keymap *km, unsigned view, int key)
{
	for (int i = 0; i < km->n; i++)
		if ((km->b[i].views & view) && km->b[i].key == key)
			return &km->b[i];
	return NULL;
}

/* Takes key away from every binding it has in views (a binding left with no view goes); returns how many
 * bindings lost it. */
int keymap_unbind(struct keymap *km, unsigned views, int key)
{
	int hit = 0, kept = 0;
	for (int i = 0; i < km->n; i++) {
		struct tui_binding *b = &km->b[i];
		if (b->key == key && (b->views & views)) {
			b->views &= ~views;
			hit++;
		}
		if (b->views)
			km->b[kept++] = *b;
	}
	km->n = kept;
	return hit;
}

/* Binds b->key to b in b->views, replacing what the key did there (b's strings must outlive the keymap). */
void keymap_bind(struct keymap *km, const struct tui_binding *b)
{
	keymap_unbind(km, b->views, b->key);
	keymap_grow((void **)&km->b, km->n, &km->cap, sizeof *km->b);
	km->b[km->n++] = *b;
}

/* Keeps s (malloc'd) until keymap_free; returns it. */
const char *keymap_keep(struct keymap *km, char *s)
{
	keymap_grow((void **)&km->owned, km->nowned, &km->owned_cap, sizeof *km->owned);
	km->owned[km->nowned++] = s;
	return s;
}

/* Records the message of a bad line of keys.conf. */
void keymap_error(struct keymap *km, const char *msg)
{
	char **grown = realloc(km->errors, sizeof *grown * (size_t)(km->nerrors + 1));
	if (!grown)
		abort();
	km->errors = grown;
	km->errors[km->nerrors++] = strdup(msg);
}

/* How many bindings keys.conf made. */
int keymap_user_count(const struct keymap *km)
{
	int n = 0;
	for (int i = 0; i < km->n; i++)
		n += (km->b[i].flags & KB_USER) != 0;
	return n;
}

/* Frees the bindings, their strings and the messages. */
void keymap_free(struct keymap *km)
{
	for (int i = 0; i < km->nowned; i++)
		free(km->owned[i]);
	for (int i = 0; i < km->nerrors; i++)
		free(km->errors[i]);
	free(km->owned);
	free(km->errors);
	free(km->b);
	free(km->path);
	memset(km, 0, sizeof *km);
}
