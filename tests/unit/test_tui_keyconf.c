/* keys.conf (conveyor-tui(1) KEY BINDINGS): where it is, a sample file read through $XDG_CONFIG_HOME with bind,
 * unbind, override and every error message (each naming the file and the line, the other lines still applied),
 * an unreadable file, and the example under docs/ parsing without one bad line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tui/tui_keyconf.h"
#include "tui/tui_keyname.h"

#define EXAMPLE MAN_DIR "/../docs/keys.conf.example"
#define CTRL_KEY(k) ((k)&0x1f)

/* A temporary $XDG_CONFIG_HOME with a conveyor/ folder. */
struct conf_dir {
	char root[64], conveyor[96], file[128];
};

/* Makes the folders and points XDG_CONFIG_HOME at them. */
static int setup_dir(void **state)
{
	struct conf_dir *d = calloc(1, sizeof *d);
	snprintf(d->root, sizeof d->root, "/tmp/conveyor-keyconf.XXXXXX");
	if (!mkdtemp(d->root))
		return -1;
	snprintf(d->conveyor, sizeof d->conveyor, "%s/conveyor", d->root);
	snprintf(d->file, sizeof d->file, "%s/keys.conf", d->conveyor);
	mkdir(d->conveyor, 0700);
	setenv("XDG_CONFIG_HOME", d->root, 1);
	*state = d;
	return 0;
}

/* Removes what setup_dir and the test made. */
static int teardown_dir(void **state)
{
	struct conf_dir *d = *state;
	unlink(d->file);
	rmdir(d->file); /* a test makes it a folder */
	rmdir(d->conveyor);
	rmdir(d->root);
	unsetenv("XDG_CONFIG_HOME");
	free(d);
	return 0;
}

/* Writes text (len bytes: it may hold a NUL) to path. */
static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* The keymap of the built-in table and the keys.conf of $XDG_CONFIG_HOME. */
static void load(struct keymap *km)
{
	keymap_init(km);
	keyconf_load(km);
}

/* The path: $XDG_CONFIG_HOME when absolute, else ~/.config (unset, empty or relative XDG_CONFIG_HOME). */
static void test_path(void **state)
{
	(void)state;
	char path[256], *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	setenv("HOME", "/home/op", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	assert_int_equal(keyconf_path(path, sizeof path), 0);
	assert_string_equal(path, "/xdg/conveyor/keys.conf");
	setenv("XDG_CONFIG_HOME", "", 1);
	assert_int_equal(keyconf_path(path, sizeof path), 0);
	assert_string_equal(path, "/home/op/.config/conveyor/keys.conf");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	assert_int_equal(keyconf_path(path, sizeof path), 0);
	assert_string_equal(path, "/home/op/.config/conveyor/keys.conf");
	unsetenv("XDG_CONFIG_HOME");
	assert_int_equal(keyconf_path(path, sizeof path), 0);
	assert_string_equal(path, "/home/op/.config/conveyor/keys.conf");
	unsetenv("HOME");
	assert_int_equal(keyconf_path(path, sizeof path), -1);
	if (home)
		setenv("HOME", home, 1);
	free(home);
}

/* No keys.conf: the built-in bindings, no message. */
static void test_missing_file(void **state)
{
	(void)state;
	struct keymap km;
	load(&km);
	assert_int_equal(km.nerrors, 0);
	assert_null(km.path);
	assert_int_equal(km.n, tui_bindings_len);
	assert_int_equal(keymap_user_count(&km), 0);
	assert_int_equal(keymap_find(&km, VIEW_CAMPAIGN, 'a')->action, ACT_COMMAND);
	keymap_free(&km);
}

static const char sample[] = "# the operator's keys\n"
			     "\n"
			     "   # an indented comment\n"
			     "bind campaign F5 campaign set-status --name %campaign --status paused\n"      /* 4 */
			     "bind campaign a campaign set-status --name %campaign --status active  \r\n"   /* 5 */
			     "bind campaign e keys\n"                                                       /* 6 */
			     "unbind campaigns n\n"                                                         /* 7 */
			     "\tbind\tall\tC-T\tnext-view\n"                                                /* 8 */
			     "bind terminals X close-terminal\n"                                            /* 9 */
			     "bind campaigns c-n campaign create --name %{Name} --objective 'from keys'\n"  /* 10 */
			     "unbind all q\n"                                                               /* 11 */
			     "bind all F9 refresh\n"                                                        /* 12 */
			     "bind all F9 quit\n"                                                           /* 13 */
			     "bind typing F12 leave\n"                                                      /* 14 */
			     "bind help Esc keys\n"                                                         /* 15 */
			     "frob all x quit\n"                                                            /* 16 */
			     "bind foo x quit\n"                                                            /* 17 */
			     "bind all Foo quit\n"                                                          /* 18 */
			     "bind all x\n"                                                                 /* 19 */
			     "unbind all\n"                                                                 /* 20 */
			     "unbind all x extra\n"                                                         /* 21 */
			     "bind all x frobnicate --now\n"                                                /* 22 */
			     "bind campaign x campaign frob --name %campaign\n"                             /* 23 */
			     "bind all F3 quit now\n"                                                       /* 24 */
			     "bind campaign x heartbeat %sesion\n"                                          /* 25 */
			     "bind campaign x heartbeat 50%\n"                                              /* 26 */
			     "bind campaign x session-nudge %session %{Text\n"                              /* 27 */
			     "bind all x tasks %{A} %{B} %{C} %{D} %{E}\n"                                  /* 28 */
			     "bind all x campaign create --name 'oops\n"                                    /* 29 */
			     "unbind campaign F11\n"                                                        /* 30 */
			     "bind all x \033[2Jquit\n"                                                     /* 31 */
			     "bind all x \xc2\x9bquit\n"                                                    /* 32 */
			     "bind all \xff quit\n"                                                         /* 33 */
			     "bind aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x quit\n"                        /* 34 */
			     "bind all x quit\0 extra\n"                                                    /* 35 */
			     "bind all F4 prompt\n";                                                        /* 36 */

/* Every message of the sample, in order. */
static const char *const sample_errors[] = {
	"keys.conf:16: unknown directive \"frob\" (bind or unbind)",
	"keys.conf:17: unknown view \"foo\"",
	"keys.conf:18: unknown key \"Foo\"",
	"keys.conf:19: usage: bind VIEW KEY COMMAND",
	"keys.conf:20: usage: unbind VIEW KEY",
	"keys.conf:21: usage: unbind VIEW KEY",
	"keys.conf:22: unknown command \"frobnicate\"",
	"keys.conf:23: unknown command \"campaign frob\"",
	"keys.conf:24: action \"quit\" takes no arguments",
	"keys.conf:25: unknown placeholder \"%sesion\"",
	"keys.conf:26: unknown placeholder \"%\"",
	"keys.conf:27: unterminated %{ field",
	"keys.conf:28: more than 4 %{...} fields",
	"keys.conf:29: unterminated single quote",
	"keys.conf:30: nothing is bound to \"F11\" in campaign",
	"keys.conf:31: control character in line",
	"keys.conf:32: control character in line",
	"keys.conf:33: invalid UTF-8",
	"keys.conf:34: unknown view \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\"",
	"keys.conf:35: control character in line",
};

/* The sample: bind, override, unbind, actions, every error message; the good lines around the bad ones apply. */
static void test_sample(void **state)
{
	struct conf_dir *d = *state;
	write_file(d->file, sample, sizeof sample - 1);
	struct keymap km;
	load(&km);
	assert_string_equal(km.path, d->file);

	/* bind: a new key, in its view only, marked as keys.conf's */
	const struct tui_binding *b = keymap_find(&km, VIEW_CAMPAIGN, KEYS_CODE(KEY_F(5)));
	assert_non_null(b);
	assert_int_equal(b->action, ACT_COMMAND);
	assert_string_equal(b->command, "campaign set-status --name %campaign --status paused");
	assert_string_equal(b->keyname, "F5");
	assert_true(b->flags & KB_USER);
	assert_null(keymap_find(&km, VIEW_TASK, KEYS_CODE(KEY_F(5))));

	/* override: a replaces the built-in approve (trailing blanks and CR dropped); e only in the campaign view */
	b = keymap_find(&km, VIEW_CAMPAIGN, 'a');
	assert_string_equal(b->command, "campaign set-status --name %campaign --status active");
	assert_int_equal(b->flags, KB_USER);
	assert_int_equal(keymap_find(&km, VIEW_CAMPAIGN, 'e')->action, ACT_HELP);
	b = keymap_find(&km, VIEW_TASK, 'e');
	assert_string_equal(b->command, "session-nudge %session %{Nudge text}");
	assert_false(b->flags & KB_USER);
	assert_int_equal(keymap_find(&km, VIEW_ALL, KEYS_CODE(KEY_F(9)))->action, ACT_QUIT); /* the later line */

	/* unbind: n is gone from the campaigns view; q from every view, but still quits in the help */
	assert_null(keymap_find(&km, VIEW_CAMPAIGNS, 'n'));
	assert_null(keymap_find(&km, VIEW_ALL, 'q'));
	assert_int_equal(keymap_find(&km, VIEW_HELP, 'q')->action, ACT_QUIT);

	/* actions by name: tabs separate words, C-T is C-t; close-terminal keeps its y/N */
	b = keymap_find(&km, VIEW_TERMINALS, CTRL_KEY('t'));
	assert_int_equal(b->action, ACT_NEXT_VIEW);
	assert_string_equal(b->keyname, "C-t");
	assert_null(b->command);
	assert_int_equal(keymap_find(&km, VIEW_TERMINALS, 'X')->flags, KB_CONFIRM | KB_USER);
	assert_int_equal(keymap_find(&km, VIEW_TYPING, KEYS_CODE(KEY_F(12)))->action, ACT_LEAVE);
	assert_int_equal(keymap_find(&km, VIEW_TYPING, CTRL_KEY('g'))->action, ACT_LEAVE);
	assert_int_equal(keymap_find(&km, VIEW_HELP, 27)->action, ACT_HELP);
	b = keymap_find(&km, VIEW_CAMPAIGNS, CTRL_KEY('n'));
	assert_string_equal(b->command, "campaign create --name %{Name} --objective 'from keys'");

	/* bad lines: nothing of them applied, a message each, the line after them applied */
	assert_null(keymap_find(&km, VIEW_CAMPAIGNS | VIEW_TASK | VIEW_TERMINALS | VIEW_OUTPUT, 'x'));
	assert_false(keymap_find(&km, VIEW_CAMPAIGN, 'x')->flags & KB_USER); /* still the built-in reject */
	assert_null(keymap_find(&km, VIEW_ALL, KEYS_CODE(KEY_F(3))));
	assert_int_equal(keymap_find(&km, VIEW_ALL, KEYS_CODE(KEY_F(4)))->action, ACT_PROMPT);
	int want = (int)(sizeof sample_errors / sizeof *sample_errors);
	for (int i = 0; i < km.nerrors && i < want; i++)
		assert_string_equal(km.errors[i], sample_errors[i]);
	assert_int_equal(km.nerrors, want);
	for (int i = 0; i < km.nerrors; i++)
		for (const unsigned char *p = (const unsigned char *)km.errors[i]; *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7f && *p < 0x80);
	assert_int_equal(keymap_user_count(&km), 10);
	keymap_free(&km);
}

/* A keys.conf that cannot be read: one message naming it, the built-in bindings. */
static void test_unreadable(void **state)
{
	struct conf_dir *d = *state;
	assert_int_equal(mkdir(d->file, 0700), 0);
	struct keymap km;
	load(&km);
	assert_int_equal(km.nerrors, 1);
	assert_string_equal(km.errors[0], "keys.conf: Is a directory");
	assert_int_equal(km.n, tui_bindings_len);
	keymap_free(&km);
}

/* docs/keys.conf.example parses without one bad line, and binds something. */
static void test_example_parses(void **state)
{
	(void)state;
	struct keymap km;
	keymap_init(&km);
	keyconf_read(&km, EXAMPLE);
	for (int i = 0; i < km.nerrors; i++)
		print_error("%s\n", km.errors[i]);
	assert_int_equal(km.nerrors, 0);
	assert_non_null(km.path);
	assert_true(keymap_user_count(&km) >= 5);
	assert_int_equal(keymap_find(&km, VIEW_CAMPAIGN, KEYS_CODE(KEY_F(5)))->action, ACT_COMMAND);
	keymap_free(&km);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path),
		cmocka_unit_test_setup_teardown(test_missing_file, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_sample, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_unreadable, setup_dir, teardown_dir),
		cmocka_unit_test(test_example_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
