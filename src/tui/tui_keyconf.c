/* Reading keys.conf into the keymap. Every line is checked before anything of it is kept or shown: no control
 * characters, valid UTF-8, a known view and key, and a command line whose placeholders are known and whose
 * command is in the table (or the name of a cockpit action). */
#include "tui/tui_keyconf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/exec.h"
#include "tui/tui_keyname.h"
#include "util/utf8.h"

#define KEYCONF_QUOTE_MAX 32 /* bytes of a word from the file that a message quotes */

/* Where keys.conf is: $XDG_CONFIG_HOME/conveyor/keys.conf (an absolute XDG_CONFIG_HOME), else
 * $HOME/.config/conveyor/keys.conf. 0, or -1 when neither is set. */
int keyconf_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/')
		n = snprintf(buf, len, "%s/conveyor/keys.conf", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/conveyor/keys.conf", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* Checks that line has no control character (C0 but tab, DEL, C1) and is valid UTF-8, and turns tabs into
 * spaces. 0, or -1 with msg set. */
static int keyconf_clean(char *line, char *msg, size_t msg_len)
{
	for (unsigned char *p = (unsigned char *)line; *p;) {
		if (*p == '\t')
			*p = ' ';
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] < 0xa0)) {
			snprintf(msg, msg_len, "control character in line");
			return -1;
		}
		size_t n = utf8_seq_len(p);
		if (n == 0) {
			snprintf(msg, msg_len, "invalid UTF-8");
			return -1;
		}
		p += n;
	}
	return 0;
}

/* The next blank-separated word at *p (terminated in place), or NULL; *p moves past it. */
static char *keyconf_word(char **p)
{
	char *s = *p + strspn(*p, " ");
	if (!*s) {
		*p = s;
		return NULL;
	}
	char *end = s + strcspn(s, " ");
	*p = *end ? end + 1 : end;
	*end = '\0';
	return s;
}

/* Writes s quoted for a message into buf, cut to KEYCONF_QUOTE_MAX bytes at a character boundary. */
static const char *keyconf_quote(char *buf, size_t len, const char *s)
{
	size_t n = 0;
	while (s[n]) {
		size_t k = utf8_seq_len((const unsigned char *)s + n);
		if (k == 0 || n + k > KEYCONF_QUOTE_MAX)
			break;
		n += k;
	}
	snprintf(buf, len, "\"%.*s%s\"", (int)n, s, s[n] ? "..." : "");
	return buf;
}

/* Fills b with the command line cmd, after checking its placeholders and that the table has its command (the
 * line expanded with every placeholder filled, then split into words). 0, or -1 with msg set. */
static int keyconf_command(struct keymap *km, const char *cmd, struct tui_binding *b, char *msg, size_t msg_len)
{
	if (keys_check(cmd, msg, msg_len) != 0)
		return -1;
	static const struct keys_selection any = {"x", "x", "x", "x", "x", "x", "x", "x"};
	static const char *const answers[KEYS_MAX_PROMPTS] = {"x", "x", "x", "x"};
	struct sb line;
	sb_init(&line);
	char missing[160];
	keys_expand(cmd, &any, answers, &line, missing, sizeof missing);
	struct err e = {0};
	int argc, rc = -1;
	char **argv = exec_split(line.buf ? line.buf : "", &argc, &e);
	sb_free(&line);
	const struct cmd_entry *entry = argv ? keys_command(argv, argc) : NULL;
	char q[KEYCONF_QUOTE_MAX * 2 + 16];
	if (!argv) {
		snprintf(msg, msg_len, "%s", e.msg);
	} else if (!entry) {
		char words[256]; /* the first word, and the second unless it is a flag (campaign frob, frob --x) */
		int two = argc > 1 && argv[1][0] != '-';
		snprintf(words, sizeof words, "%s%s%s", argc ? argv[0] : "", two ? " " : "", two ? argv[1] : "");
		snprintf(msg, msg_len, "unknown command %s", keyconf_quote(q, sizeof q, words));
	} else {
		b->action = ACT_COMMAND;
		b->label = entry->summary ? entry->summary : "a command";
		b->command = keymap_keep(km, strdup(cmd));
		b->flags = KB_USER;
		rc = 0;
	}
	exec_split_free(argv);
	return rc;
}

/* Fills b with what a bind line binds: the cockpit action it names (a single word), else its command line.
 * 0, or -1 with msg set. */
static int keyconf_target(struct keymap *km, char *rest, struct tui_binding *b, char *msg, size_t msg_len)
{
	size_t end = strlen(rest);
	while (end > 0 && rest[end - 1] == ' ')
		rest[--end] = '\0';
	size_t first = strcspn(rest, " ");
	char name[64];
	snprintf(name, sizeof name, "%.*s", (int)(first < sizeof name ? first : sizeof name - 1), rest);
	enum tui_action act = keys_action_find(name);
	if (act == ACT_COMMAND)
		return keyconf_command(km, rest, b, msg, msg_len);
	if (rest[first]) {
		char q[KEYCONF_QUOTE_MAX + 16];
		snprintf(msg, msg_len, "action %s takes no arguments", keyconf_quote(q, sizeof q, name));
		return -1;
	}
	b->action = act;
	b->label = keys_actions[act].label;
	b->command = NULL;
	b->flags = keys_actions[act].flags | KB_USER;
	return 0;
}

/* Applies one line of keys.conf (modified in place) to km. 0 (also for blank lines and comments), or -1 with msg
 * saying what is wrong (nothing of the line is applied then). */
int keyconf_line(struct keymap *km, char *line, char *msg, size_t msg_len)
{
	if (keyconf_clean(line, msg, msg_len) != 0)
		return -1;
	char *p = line + strspn(line, " ");
	if (!*p || *p == '#')
		return 0;
	char q[KEYCONF_QUOTE_MAX + 16];
	char *directive = keyconf_word(&p);
	int bind = strcmp(directive, "bind") == 0;
	if (!bind && strcmp(directive, "unbind") != 0) {
		snprintf(msg, msg_len, "unknown directive %s (bind or unbind)", keyconf_quote(q, sizeof q, directive));
		return -1;
	}
	char *view_name = keyconf_word(&p), *key_name = keyconf_word(&p);
	p += strspn(p, " ");
	if (!key_name || (bind ? !*p : *p != '\0')) {
		snprintf(msg, msg_len, bind ? "usage: bind VIEW KEY COMMAND" : "usage: unbind VIEW KEY");
		return -1;
	}
	unsigned views = keys_view_find(view_name);
	if (!views) {
		snprintf(msg, msg_len, "unknown view %s", keyconf_quote(q, sizeof q, view_name));
		return -1;
	}
	int key = keyname_parse(key_name);
	if (key < 0) {
		snprintf(msg, msg_len, "unknown key %s", keyconf_quote(q, sizeof q, key_name));
		return -1;
	}
	if (!bind) {
		if (keymap_unbind(km, views, key) > 0)
			return 0;
		snprintf(msg, msg_len, "nothing is bound to %s in %s", keyconf_quote(q, sizeof q, key_name), view_name);
		return -1;
	}
	struct tui_binding b = {.views = views, .key = key};
	if (keyconf_target(km, p, &b, msg, msg_len) != 0)
		return -1;
	char name[32];
	keyname_format(key, name, sizeof name);
	b.keyname = keymap_keep(km, strdup(name));
	keymap_bind(km, &b);
	return 0;
}

/* Reads the keys.conf at path into km (a missing file is no error); each bad line adds "keys.conf:LINE: ..." to
 * km's errors, naming the file by its last component. */
void keyconf_read(struct keymap *km, const char *path)
{
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	char msg[512], full[640];
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno != ENOENT) {
			snprintf(full, sizeof full, "%s: %s", name, strerror(errno));
			keymap_error(km, full);
		}
		return;
	}
	free(km->path);
	km->path = strdup(path);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	for (int lineno = 1; (n = getline(&line, &cap, f)) >= 0; lineno++) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if ((size_t)n != strlen(line)) {
			snprintf(msg, sizeof msg, "control character in line");
		} else if (keyconf_line(km, line, msg, sizeof msg) == 0) {
			continue;
		}
		snprintf(full, sizeof full, "%s:%d: %s", name, lineno, msg);
		keymap_error(km, full);
	}
	if (ferror(f)) {
		snprintf(full, sizeof full, "%s: %s", name, strerror(errno));
		keymap_error(km, full);
	}
	free(line);
	fclose(f);
}

/* Reads the operator's keys.conf (keyconf_path), if there is one. */
void keyconf_load(struct keymap *km)
{
	char path[4096];
	if (keyconf_path(path, sizeof path) == 0)
		keyconf_read(km, path);
}
