/* Every key binding of the cockpit resolves to a real command line of the command table (or is a cockpit
 * action), no key means two things in one view, every key name reads back as its key (keys.conf accepts what help
 * shows), every action has a stable name that no command has, placeholders expand safely, and conveyor-tui(1)
 * lists every key and every action name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "core/cmd/cmd.h"
#include "core/cmd/exec.h"
#include "tui/tui_keyname.h"
#include "tui/tui_keys.h"

static const struct keys_selection every = {"launch", "tiktok", "campaign-asset-1", "campaign-assignment-1", "w1",
					    "docs", "thr_1", "m1"};

/* Expands a binding with every placeholder selected and "x" answers; the line as a string (caller frees). */
static char *expand(const struct tui_binding *b)
{
	const char *answers[] = {"x", "x", "x", "x"};
	struct sb line;
	sb_init(&line);
	char missing[160];
	assert_int_equal(keys_expand(b->command, &every, answers, &line, missing, sizeof missing), 0);
	return sb_take(&line);
}

/* Each command binding parses as its command, with every flag known (cmd_parse succeeds). */
static void test_bindings_resolve(void **state)
{
	(void)state;
	int commands = 0;
	for (int i = 0; i < tui_bindings_len; i++) {
		const struct tui_binding *b = &tui_bindings[i];
		assert_true(b->label && *b->label && b->keyname && *b->keyname && b->views);
		if (b->action != ACT_COMMAND) {
			assert_null(b->command);
			continue;
		}
		char *line = expand(b);
		struct err e = {0};
		int argc;
		char **argv = exec_split(line, &argc, &e);
		assert_non_null(argv);
		struct args a;
		const struct cmd_entry *entry;
		const struct cmd_group *group;
		enum cmd_parsed parsed = cmd_parse("conveyor", argc, argv, &a, &entry, &group, &e);
		if (parsed != CMD_PARSE_RUN)
			fail_msg("binding %s (%s) does not parse: %s", b->keyname, line, e.msg);
		assert_non_null(entry->run);
		args_free(&a);
		exec_split_free(argv);
		free(line);
		commands++;
	}
	assert_true(commands >= 10);
}

/* No key is bound twice in a view it shares. */
static void test_keys_unique_per_view(void **state)
{
	(void)state;
	for (int i = 0; i < tui_bindings_len; i++)
		for (int j = i + 1; j < tui_bindings_len; j++)
			if (tui_bindings[i].key == tui_bindings[j].key && (tui_bindings[i].views & tui_bindings[j].views))
				fail_msg("key %s is bound twice", tui_bindings[i].keyname);
}

/* Each binding's key name parses back to its key, and its key formats as that name. */
static void test_keynames_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < tui_bindings_len; i++) {
		const struct tui_binding *b = &tui_bindings[i];
		char name[32];
		keyname_format(b->key, name, sizeof name);
		if (keyname_parse(b->keyname) != b->key || strcmp(name, b->keyname) != 0)
			fail_msg("key name %s does not read back (formats as %s)", b->keyname, name);
	}
}

/* Key names: characters as they are, C-x and names in any case, F1-F12, and what get_wch reads. */
static void test_keynames(void **state)
{
	(void)state;
	assert_int_equal(keyname_parse("x"), 'x');
	assert_int_equal(keyname_parse("#"), '#');
	assert_int_equal(keyname_parse("C-R"), 18);
	assert_int_equal(keyname_parse("c-r"), 18);
	assert_int_equal(keyname_parse("enter"), '\r');
	assert_int_equal(keyname_parse("Escape"), 27);
	assert_int_equal(keyname_parse("PageUp"), KEYS_CODE(KEY_PPAGE));
	assert_int_equal(keyname_parse("F12"), KEYS_CODE(KEY_F(12)));
	const char *bad[] = {"", " ", "F0", "F13", "F1x", "C-", "C-1", "Ctrl", "\xc3\xa9", "\x7f", "xy"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (keyname_parse(bad[i]) != -1)
			fail_msg("key name '%s' was accepted", bad[i]);
	char name[32];
	keyname_format(KEYS_CODE(KEY_F(5)), name, sizeof name);
	assert_string_equal(name, "F5");
	keyname_format('b' & 0x1f, name, sizeof name);
	assert_string_equal(name, "C-b");
	assert_int_equal(keyname_code('\n', 0), '\r');
	assert_int_equal(keyname_code(KEY_ENTER, 1), '\r');
	assert_int_equal(keyname_code(KEY_DOWN, 1), KEYS_CODE(KEY_DOWN));
	assert_int_equal(keyname_code(0x7f, 0), KEYS_CODE(KEY_BACKSPACE));
	assert_true(keyname_code(KEY_DOWN, 0) != keyname_code(KEY_DOWN, 1)); /* U+0102 is not the Down key */
}

/* Every action has a unique name that finds it and that no command of the table has, and a label; a built-in
 * binding of an action asks y/N exactly when the action does when keys.conf binds it. */
static void test_actions_named(void **state)
{
	(void)state;
	assert_int_equal(keys_action_find("quit"), ACT_QUIT);
	assert_int_equal(keys_action_find("campaign"), ACT_COMMAND);
	assert_int_equal(keys_action_find(""), ACT_COMMAND);
	for (int a = ACT_COMMAND + 1; a < ACT_COUNT; a++) {
		const char *name = keys_actions[a].name;
		assert_true(name && *name && keys_actions[a].label && *keys_actions[a].label);
		assert_int_equal(keys_action_find(name), a);
		if (cmd_find(name, NULL))
			fail_msg("action %s is also a command of the table", name);
	}
	for (int i = 0; i < tui_bindings_len; i++) {
		const struct tui_binding *b = &tui_bindings[i];
		if (b->action != ACT_COMMAND && (b->flags & KB_CONFIRM) != (keys_actions[b->action].flags & KB_CONFIRM))
			fail_msg("key %s: y/N differs from action %s", b->keyname, keys_actions[b->action].name);
	}
	assert_int_equal(keys_view_find("all"), VIEW_ALL);
	assert_int_equal(keys_view_find("typing"), VIEW_TYPING);
	assert_int_equal(keys_view_find("Campaign"), 0);
}

/* keys_check: known placeholders pass; the first problem is named. */
static void test_check_placeholders(void **state)
{
	(void)state;
	char msg[160];
	for (int i = 0; i < tui_bindings_len; i++)
		if (tui_bindings[i].command && keys_check(tui_bindings[i].command, msg, sizeof msg) != 0)
			fail_msg("binding %s: %s", tui_bindings[i].keyname, msg);
	assert_int_equal(keys_check("x %campaigns", msg, sizeof msg), -1);
	assert_string_equal(msg, "unknown placeholder \"%campaigns\"");
	assert_int_equal(keys_check("x %{a} %{b", msg, sizeof msg), -1);
	assert_string_equal(msg, "unterminated %{ field");
}

/* Selected values and answers are shell-quoted, so a value with spaces, quotes or ; stays one inert word. */
static void test_expand_quotes_values(void **state)
{
	(void)state;
	struct keys_selection sel = every;
	sel.asset = "a'b; rm -rf /";
	const char *answers[] = {"two words \"q\" $HOME"};
	struct sb line;
	sb_init(&line);
	char missing[160];
	assert_int_equal(keys_expand("review --asset %asset --notes %{Notes}", &sel, answers, &line, missing,
				     sizeof missing),
			 0);
	struct err e = {0};
	int argc;
	char **argv = exec_split(line.buf, &argc, &e);
	assert_int_equal(argc, 5);
	assert_string_equal(argv[2], "a'b; rm -rf /");
	assert_string_equal(argv[4], "two words \"q\" $HOME");
	exec_split_free(argv);
	sb_free(&line);
}

/* A placeholder with nothing selected or an unanswered prompt names what is missing. */
static void test_expand_reports_missing(void **state)
{
	(void)state;
	struct keys_selection none = {0};
	struct sb line;
	sb_init(&line);
	char missing[160];
	assert_int_equal(keys_expand("heartbeat %session", &none, NULL, &line, missing, sizeof missing), -1);
	assert_string_equal(missing, "no selected session");
	sb_free(&line);
	sb_init(&line);
	assert_int_equal(keys_expand("x --t %{Title}", &none, NULL, &line, missing, sizeof missing), -1);
	assert_string_equal(missing, "Title");
	sb_free(&line);
	const char *labels[4];
	assert_int_equal(keys_prompts("a %{One} b %{Two}", labels, 4), 2);
	assert_int_equal(strncmp(labels[1], "Two}", 4), 0);
}

/* exec_split: quotes, escapes, empty words, and an unterminated quote is an error. */
static void test_split(void **state)
{
	(void)state;
	struct err e = {0};
	int argc;
	char **argv = exec_split("  a 'b c' \"d \\\"e\\\"\" f\\ g '' ", &argc, &e);
	assert_int_equal(argc, 5);
	assert_string_equal(argv[1], "b c");
	assert_string_equal(argv[2], "d \"e\"");
	assert_string_equal(argv[3], "f g");
	assert_string_equal(argv[4], "");
	exec_split_free(argv);
	assert_null(exec_split("a 'b", &argc, &e));
	assert_string_equal(e.msg, "unterminated single quote");
}

/* conveyor-tui(1) names every key of the table in its KEYS section as .B <key>, and every action name. */
static void test_man_lists_every_key(void **state)
{
	(void)state;
	FILE *f = fopen(MAN_DIR "/conveyor-tui.1", "r");
	assert_non_null(f);
	struct sb man;
	sb_init(&man);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&man, buf, n);
	fclose(f);
	for (int i = 0; i < tui_bindings_len; i++) {
		char want[64];
		snprintf(want, sizeof want, "\n.TP\n.B %s\n", tui_bindings[i].keyname);
		if (!strstr(man.buf, want))
			fail_msg("conveyor-tui.1 does not document key %s", tui_bindings[i].keyname);
	}
	for (int a = ACT_COMMAND + 1; a < ACT_COUNT; a++) {
		char want[64]; /* .B name or .BR name, its hyphens escaped */
		size_t n = 0;
		for (const char *p = keys_actions[a].name; *p && n + 3 < sizeof want; p++) {
			if (*p == '-')
				want[n++] = '\\';
			want[n++] = *p;
		}
		want[n] = '\0';
		char b[80], br[80];
		snprintf(b, sizeof b, "\n.B %s\n", want);
		snprintf(br, sizeof br, "\n.BR %s ", want);
		if (!strstr(man.buf, b) && !strstr(man.buf, br))
			fail_msg("conveyor-tui.1 does not name action %s", keys_actions[a].name);
	}
	sb_free(&man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bindings_resolve),    cmocka_unit_test(test_keys_unique_per_view),
		cmocka_unit_test(test_expand_quotes_values), cmocka_unit_test(test_expand_reports_missing),
		cmocka_unit_test(test_split),               cmocka_unit_test(test_man_lists_every_key),
		cmocka_unit_test(test_keynames_round_trip), cmocka_unit_test(test_keynames),
		cmocka_unit_test(test_actions_named),       cmocka_unit_test(test_check_placeholders),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
