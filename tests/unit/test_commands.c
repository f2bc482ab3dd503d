/* Every command in the table has --help text and a man page entry, and every flag it accepts is documented. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"

/* Reads a man page of MAN_DIR into memory (caller frees), or NULL when it is missing. */
static char *read_man(const char *page)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", MAN_DIR, page);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	struct sb sb;
	sb_init(&sb);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	return sb_take(&sb);
}

/* The roff spelling of a flag: every '-' escaped as "\-". */
static void roff_flag(const char *flag, char *out, size_t len)
{
	size_t j = 0;
	for (const char *p = flag; *p && j + 3 < len; p++) {
		if (*p == '-')
			out[j++] = '\\';
		out[j++] = *p;
	}
	out[j] = '\0';
}

/* Each entry has a usage line, a summary, a handler, and help output that starts with its usage. */
static void test_every_command_has_help(void **state)
{
	(void)state;
	for (int i = 0; i < cmd_count(); i++) {
		const struct cmd_entry *c = cmd_at(i);
		assert_non_null(c->run);
		assert_true(c->summary && *c->summary);
		assert_true(c->help && *c->help);
		assert_true(strncmp(c->usage, c->word, strlen(c->word)) == 0);
		/* only the commands about commands (conveyor(1)'s help, completion) never open the database */
		assert_true((c->pre & (CMD_READS | CMD_WRITES)) || strcmp(c->man, "conveyor") == 0);
		struct sb sb;
		sb_init(&sb);
		cmd_help("conveyor", c, cmd_group_find(c->word), &sb);
		char want[256];
		snprintf(want, sizeof want, "usage: conveyor %s", c->usage);
		assert_true(strncmp(sb.buf, want, strlen(want)) == 0);
		sb_free(&sb);
	}
}

/* Why c lacks a man page entry ("" when it has one): `.SS <word>` in conveyor(1), and `.SS <action or word>`
 * plus every accepted flag (spelled \\-\\-flag) in its own page. */
static void man_problem(const struct cmd_entry *c, const char *top, char *why, size_t len)
{
	char page[128], heading[128];
	why[0] = '\0';
	snprintf(heading, sizeof heading, "\n.SS %s\n", c->word);
	if (!top || !strstr(top, heading)) {
		snprintf(why, len, "conveyor.1 has no '.SS %s'", c->word);
		return;
	}
	snprintf(page, sizeof page, "%s.1", c->man);
	char *man = read_man(page);
	snprintf(heading, sizeof heading, "\n.SS %s\n", c->action ? c->action : c->word);
	if (!man)
		snprintf(why, len, "missing man page %s", page);
	else if (!strstr(man, heading))
		snprintf(why, len, "%s has no '.SS %s'", page, c->action ? c->action : c->word);
	for (const struct flag_spec *f = c->flags; man && !why[0] && f && f->name; f++) {
		char roff[128];
		roff_flag(f->name, roff, sizeof roff);
		if (!strstr(man, roff))
			snprintf(why, len, "%s does not document %s", page, f->name);
	}
	free(man);
}

/* Each entry of the table has its man page entry. */
static void test_every_command_has_man_entry(void **state)
{
	(void)state;
	char *top = read_man("conveyor.1");
	char why[256] = "";
	for (int i = 0; i < cmd_count() && !why[0]; i++)
		man_problem(cmd_at(i), top, why, sizeof why);
	free(top);
	if (why[0])
		fail_msg("%s", why);
}

/* Commands are listed in one table without duplicates, and every group has actions. */
static void test_table_consistent(void **state)
{
	(void)state;
	for (int i = 0; i < cmd_count(); i++)
		for (int j = i + 1; j < cmd_count(); j++) {
			const struct cmd_entry *x = cmd_at(i), *y = cmd_at(j);
			assert_false(strcmp(x->word, y->word) == 0 &&
				     ((!x->action && !y->action) ||
				      (x->action && y->action && strcmp(x->action, y->action) == 0)));
		}
	for (int g = 0; g < cmd_groups_len; g++) {
		int n = 0;
		for (int i = 0; i < cmd_count(); i++)
			n += strcmp(cmd_at(i)->word, cmd_groups[g].word) == 0 && cmd_at(i)->action != NULL;
		assert_true(n > 0);
	}
}

/* Why flag f's declaration is incomplete ("" when it is not): help text, a placeholder for a value, enum values,
 * a seconds limit. */
static void flag_problem(const char *cmd, const struct flag_spec *f, char *why, size_t len)
{
	why[0] = '\0';
	if (!f->help || !*f->help || strchr(f->help, '\n'))
		snprintf(why, len, "%s %s has no one-line help", cmd, f->name);
	else if (f->type != FLAG_BOOL && (!f->arg || !*f->arg))
		snprintf(why, len, "%s %s takes a value but names no placeholder", cmd, f->name);
	else if (f->type == FLAG_ENUM && (!f->values || !f->values[0]))
		snprintf(why, len, "%s %s is an enum without values", cmd, f->name);
	else if (f->type == FLAG_SECONDS && f->max <= 0)
		snprintf(why, len, "%s %s is seconds without a limit", cmd, f->name);
}

/* Every flag (and every global one) is declared with its help, placeholder and type details. */
static void test_every_flag_declared(void **state)
{
	(void)state;
	char why[256] = "";
	for (const struct flag_spec *f = cmd_global_flags; f->name && !why[0]; f++)
		flag_problem("(global)", f, why, sizeof why);
	for (int i = 0; i < cmd_count() && !why[0]; i++)
		for (const struct flag_spec *f = cmd_at(i)->flags; f && f->name && !why[0]; f++)
			flag_problem(cmd_at(i)->usage, f, why, sizeof why);
	if (why[0])
		fail_msg("%s", why);
}

/* Why c's usage line and its declared flags disagree ("" when they agree): a flag the usage names must be declared;
 * a plain command's usage names every flag it declares (a group's actions share one set and name what they use). */
static void usage_problem(const struct cmd_entry *c, char *why, size_t len)
{
	why[0] = '\0';
	for (const char *p = strstr(c->usage, "--"); p && !why[0]; p = strstr(p + 2, "--")) {
		char name[64];
		size_t n = 2 + strspn(p + 2, "abcdefghijklmnopqrstuvwxyz-");
		snprintf(name, sizeof name, "%.*s", (int)n, p);
		if (!cmd_flag_find(c->flags, name))
			snprintf(why, len, "usage of %s names %s, which it does not declare", c->word, name);
	}
	for (const struct flag_spec *f = c->flags; !c->action && !why[0] && f && f->name; f++)
		if (!f->key && !cmd_usage_names(c->usage, f->name))
			snprintf(why, len, "usage of %s does not name its flag %s", c->word, f->name);
}

/* Usage lines name exactly the flags that are declared. */
static void test_usage_matches_flags(void **state)
{
	(void)state;
	char why[256] = "";
	for (int i = 0; i < cmd_count() && !why[0]; i++)
		usage_problem(cmd_at(i), why, sizeof why);
	if (why[0])
		fail_msg("%s", why);
}

/* The checks above catch what they are for: a made-up entry with an undocumented flag and a stale usage fails. */
static void test_checks_can_fail(void **state)
{
	(void)state;
	static const struct flag_spec flags[] = {{.name = "--limit", .type = FLAG_COUNT}, {0}};
	const struct cmd_entry bad = {.word = "x", .usage = "x [--limt N]", .flags = flags};
	char why[256];
	flag_problem("x", &flags[0], why, sizeof why);
	assert_string_equal(why, "x --limit has no one-line help");
	usage_problem(&bad, why, sizeof why);
	assert_string_equal(why, "usage of x names --limt, which it does not declare");
}

/* Runs the command table tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_has_help),
		cmocka_unit_test(test_every_command_has_man_entry),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_every_flag_declared),
		cmocka_unit_test(test_usage_matches_flags),
		cmocka_unit_test(test_checks_can_fail),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
