/* Every key binding of the cockpit resolves to a real command line of the command table (or is a cockpit
 * action), no key means two things in one view, placeholders expand safely, and conveyor-tui(1) lists them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/exec.h"
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

/* conveyor-tui(1) names every key of the table in its KEYS section as .B <key>. */
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
	sb_free(&man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bindings_resolve),    cmocka_unit_test(test_keys_unique_per_view),
		cmocka_unit_test(test_expand_quotes_values), cmocka_unit_test(test_expand_reports_missing),
		cmocka_unit_test(test_split),               cmocka_unit_test(test_man_lists_every_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
