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
	return cmd_parse("conveyor", argc, (char **)tokens, a, entry, &group, e);
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
	args_free(&a);
}

/* --flag=value works like --flag value (and may begin with --); a bare -- ends the options. */
static void test_parse_gnu_forms(void **state)
{
	(void)state;
	struct args a;
	const struct cmd_entry *entry;
	struct err e;
	const char *eq[] = {"campaign", "assign", "--title=--draft", "--name=a=b", NULL};
	assert_int_equal(parse(eq, &a, &entry, &e), CMD_PARSE_RUN);
	assert_string_equal(args_get(&a, "--title"), "--draft");
	assert_string_equal(args_get(&a, "--name"), "a=b");
	args_free(&a);
	const char *dashdash[] = {"session-nudge", "w1", "--dry-run", "--", "--help me", NULL};
	assert_int_equal(parse(dashdash, &a, &entry, &e), CMD_PARSE_RUN);
	assert_string_equal(a.positional, "w1");
	assert_string_equal(a.text, "--help me");
	assert_true(args_has(&a, "--dry-run"));
	args_free(&a);
	const char *after[] = {"session-nudge", "--", "w1", "--json", NULL};
	assert_int_equal(parse(after, &a, &entry, &e), CMD_PARSE_RUN);
	assert_string_equal(a.text, "--json");
	assert_false(args_has(&a, "--json"));
	args_free(&a);
}

/* Values are converted once by their declared type; a value that does not fit is reported when it is read. */
static void test_parse_typed(void **state)
{
	(void)state;
	struct args a;
	const struct cmd_entry *entry;
	struct err e = {0};
	long long n;
	double d;
	const cJSON *j;
	const char *t[] = {"session-inbox", "s", "--limit", "7", "--timeout=1.5", "--interval", "0", NULL};
	assert_int_equal(parse(t, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_int(&a, "--limit", 10, &n, &e), 0);
	assert_int_equal(n, 7);
	assert_int_equal(args_seconds(&a, "--timeout", 30, &d, &e), 0);
	assert_true(d == 1.5);
	assert_int_equal(args_seconds(&a, "--interval", 2, &d, &e), -1);
	assert_string_equal(e.msg, "--interval must be greater than zero.");
	args_free(&a);
	const char *big[] = {"session-inbox", "s", "--timeout", "1e9", NULL};
	assert_int_equal(parse(big, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_seconds(&a, "--timeout", 30, &d, &e), -1);
	assert_string_equal(e.msg, "--timeout must be a number of seconds (at most 2000000).");
	args_free(&a);
	const char *port[] = {"dashboard", "--port", "70000", NULL};
	assert_int_equal(parse(port, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_int(&a, "--port", 0, &n, &e), -1);
	assert_string_equal(e.msg, "--port must be between 1 and 65535.");
	args_free(&a);
	const char *json[] = {"campaign", "create", "--metadata-json", "[1]", "--brief-json", "{\"a\":1}", NULL};
	assert_int_equal(parse(json, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_json(&a, "--metadata-json", &j, &e), -1);
	assert_string_equal(e.msg, "--metadata-json must be a JSON object");
	assert_int_equal(args_json(&a, "--brief-json", &j, &e), 0);
	assert_int_equal(cJSON_GetObjectItem(j, "a")->valueint, 1);
	assert_int_equal(args_json(&a, "--assignment", &j, &e), 0);
	assert_null(j);
	args_free(&a);
	const char *role[] = {"sessions", "--role", "boss", NULL};
	const char *v;
	assert_int_equal(parse(role, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_enum(&a, "--role", &v, &e), -1);
	assert_string_equal(e.msg, "Unsupported sessions role: boss");
	args_free(&a);
	const char *type[] = {"dispatch", "--type", "x", NULL};
	assert_int_equal(parse(type, &a, &entry, &e), CMD_PARSE_RUN);
	assert_int_equal(args_enum(&a, "--type", &v, &e), -1);
	assert_string_equal(e.msg, "--type must be one of notify_manager, nudge_worker, continue_iteration, "
				   "worker_task_complete.");
	args_free(&a);
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
	assert_parse_error(flag, "unknown option --bogus for campaign status (see conveyor campaign status --help)");
	const char *flag_first[] = {"campaign", "--bogus=1", "status", NULL};
	assert_parse_error(flag_first, "unknown option --bogus for campaign status (see conveyor campaign status --help)");
	const char *plain_flag[] = {"sessions", "--bogus", NULL};
	assert_parse_error(plain_flag, "unknown option --bogus for sessions (see conveyor sessions --help)");
	const char *bool_value[] = {"sessions", "--include-legacy=yes", NULL};
	assert_parse_error(bool_value, "--include-legacy does not take a value.");
	const char *empty_eq[] = {"campaign", "status", "--name=", NULL};
	assert_parse_error(empty_eq, "--name requires a value.");
	const char *pid[] = {"register-worker", "--pid", "x1", NULL};
	assert_parse_error(pid, "--pid must be an integer.");
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
	for (int i = 0; i < cmd_count(); i++) {
		if (!cmd_at(i)->action)
			continue;
		char line[64];
		snprintf(line, sizeof line, "\n  %-18s ", cmd_at(i)->action);
		assert_non_null(strstr(sb.buf, line));
	}
	sb_free(&sb);
	cmd_usage("workerctl", &sb);
	assert_true(strncmp(sb.buf, "usage: workerctl [-h] <command> ...\n\n", 37) == 0);
	for (int i = 0; i < cmd_count(); i++) {
		char line[64];
		snprintf(line, sizeof line, "\n  %s ", cmd_at(i)->word);
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
		cmocka_unit_test(test_parse_gnu_forms),
		cmocka_unit_test(test_parse_typed),
		cmocka_unit_test(test_parse_help),
		cmocka_unit_test(test_help_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
