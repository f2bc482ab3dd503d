/* Unit tests of command-line parsing against the command table (SPEC 0.2, 2.1). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/cmd/cmd.h"

/* Parses a NULL-terminated token list; returns what cmd_parse said. */
static enum cmd_parsed parse(const char **tokens, struct args *a, const struct cmd_entry **entry, struct err *e)
{
	int argc = 0;
	while (tokens[argc])
		argc++;
	const struct cmd_group *group;
	e->msg[0] = '\0';
	return cmd_parse(argc, (char **)tokens, a, entry, &group, e);
}

/* Asserts that tokens fail with exactly msg. */
static void assert_parse_error(const char **tokens, const char *msg)
{
	struct args a;
	const struct cmd_entry *entry;
	struct err e;
	assert_int_equal(parse(tokens, &a, &entry, &e), CMD_PARSE_ERROR);
	assert_string_equal(e.msg, msg);
	assert_int_equal(e.code, EXIT_USAGE);
}

/* Flags and the action are found anywhere; values stay in order; --state and --status are one value, last wins. */
static void test_parse_campaign(void **state)
{
	(void)state;
	const char *t[] = {"campaign", "--name", "c", "add-slot", "--state", "idle", "--slot-key", "-k", "--status",
			   "active", "--json", "--dry-run", NULL};
	struct args a;
	const struct cmd_entry *entry;
	struct err e;
	assert_int_equal(parse(t, &a, &entry, &e), CMD_PARSE_RUN);
	assert_string_equal(entry->action, "add-slot");
	assert_string_equal(args_get(&a, "--name"), "c");
	assert_string_equal(args_get(&a, "--slot-key"), "-k");
	assert_string_equal(args_get(&a, "--status"), "active");
	assert_int_equal(args_count(&a, "--status"), 2);
	assert_true(args_has(&a, "--json"));
	assert_true(args_has(&a, "--dry-run"));
	assert_false(args_has(&a, "--state"));
	const char *names[] = {"campaign", "status", "--name", "a", "--name", "b", NULL};
	assert_int_equal(parse(names, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_count(&a, "--name"), 2);
}

/* The errors of SPEC 0.1/0.2/2.1 that parsing owns, with their exact messages. */
static void test_parse_errors(void **state)
{
	(void)state;
	const char *unknown[] = {"bogus", NULL};
	assert_parse_error(unknown, "unknown command: bogus");
	const char *action[] = {"campaign", "launch", NULL};
	assert_parse_error(action, "Unsupported campaign action: launch");
	const char *extra[] = {"campaign", "status", "x", NULL};
	assert_parse_error(extra, "Unexpected argument: x");
	const char *none[] = {"campaign", "--name", "c", NULL};
	assert_parse_error(none, "campaign requires an action: create, add-slot, attach-slot, rotate-slot, archive-slot, "
				 "brief, assign, asset, status, dashboard, list, set-status, update-assignment, review");
	const char *flag[] = {"campaign", "status", "--bogus", NULL};
	assert_parse_error(flag, "Unsupported TypeScript runtime option: --bogus");
	const char *missing[] = {"campaign", "status", "--name", NULL};
	assert_parse_error(missing, "--name requires a value.");
	const char *empty[] = {"campaign", "status", "--name", "", NULL};
	assert_parse_error(empty, "--name requires a value.");
	const char *dashes[] = {"campaign", "status", "--name", "--json", NULL};
	assert_parse_error(dashes, "--name requires a value.");
	const char *uint[] = {"campaign", "dashboard", "--stale-after", "5s", NULL};
	assert_parse_error(uint, "--stale-after must be a non-negative integer.");
	const char *negative[] = {"campaign", "list", "--limit", "-1", NULL};
	assert_parse_error(negative, "--limit must be a non-negative integer.");
	const char *first[] = {"campaign", "nope", "--bogus", NULL};
	assert_parse_error(first, "Unsupported campaign action: nope");
}

/* -h/--help anywhere after a known command asks for help before any other validation, skipping flag values. */
static void test_parse_help(void **state)
{
	(void)state;
	struct args a;
	const struct cmd_entry *entry;
	struct err e;
	const char *action_help[] = {"campaign", "--bogus", "assign", "--help", NULL};
	assert_int_equal(parse(action_help, &a, &entry, &e), CMD_PARSE_HELP);
	assert_non_null(entry);
	assert_string_equal(entry->action, "assign");
	const char *group_help[] = {"campaign", "-h", NULL};
	assert_int_equal(parse(group_help, &a, &entry, &e), CMD_PARSE_HELP);
	assert_null(entry);
	const char *bad_action[] = {"campaign", "nope", "--help", NULL};
	assert_int_equal(parse(bad_action, &a, &entry, &e), CMD_PARSE_HELP);
	assert_null(entry);
	const char *value[] = {"campaign", "assign", "--title", "-h", NULL};
	assert_int_equal(parse(value, &a, &entry, &e), CMD_PARSE_RUN);
	assert_string_equal(args_get(&a, "--title"), "-h");
	const char *dashed_value[] = {"campaign", "status", "--name", "--help", NULL};
	assert_int_equal(parse(dashed_value, &a, &entry, &e), CMD_PARSE_HELP);
	assert_string_equal(entry->action, "status");
	const char *value_first[] = {"campaign", "--title", "create", "assign", "-h", NULL};
	assert_int_equal(parse(value_first, &a, &entry, &e), CMD_PARSE_HELP);
	assert_string_equal(entry->action, "assign");
}

/* The help text of an action has the usage line with the program name; group help lists every action. */
static void test_help_text(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb);
	cmd_help("workerctl", cmd_find("campaign", "review"), cmd_group_find("campaign"), &sb);
	assert_true(strncmp(sb.buf, "usage: workerctl campaign review --name C --asset ID --status S", 62) == 0);
	sb_free(&sb);
	cmd_help("conveyor", NULL, cmd_group_find("campaign"), &sb);
	for (int i = 0; i < cmd_table_len; i++) {
		if (!cmd_table[i].action)
			continue;
		char line[64];
		snprintf(line, sizeof line, "\n  %-18s ", cmd_table[i].action);
		assert_non_null(strstr(sb.buf, line));
	}
	sb_free(&sb);
	cmd_usage("workerctl", &sb);
	assert_true(strncmp(sb.buf, "usage: workerctl [-h] <command> ...\n\n", 37) == 0);
	for (int i = 0; i < cmd_table_len; i++) {
		char line[64];
		snprintf(line, sizeof line, "\n  %s ", cmd_table[i].word);
		assert_non_null(strstr(sb.buf, line));
	}
	sb_free(&sb);
}

/* Runs the parsing tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_campaign),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_parse_help),
		cmocka_unit_test(test_help_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
