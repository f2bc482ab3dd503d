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
	for (int i = 0; i < cmd_table_len; i++) {
		const struct cmd_entry *c = &cmd_table[i];
		assert_non_null(c->run);
		assert_true(c->summary && *c->summary);
		assert_true(c->help && *c->help);
		assert_true(strncmp(c->usage, c->word, strlen(c->word)) == 0);
		assert_true(c->pre & (CMD_READS | CMD_WRITES));
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
	for (int i = 0; i < cmd_table_len && !why[0]; i++)
		man_problem(&cmd_table[i], top, why, sizeof why);
	free(top);
	if (why[0])
		fail_msg("%s", why);
}

/* Commands are listed in one table without duplicates, and every group has actions. */
static void test_table_consistent(void **state)
{
	(void)state;
	for (int i = 0; i < cmd_table_len; i++)
		for (int j = i + 1; j < cmd_table_len; j++)
			assert_false(strcmp(cmd_table[i].word, cmd_table[j].word) == 0 &&
				     ((!cmd_table[i].action && !cmd_table[j].action) ||
				      (cmd_table[i].action && cmd_table[j].action &&
				       strcmp(cmd_table[i].action, cmd_table[j].action) == 0)));
	for (int g = 0; g < cmd_groups_len; g++) {
		int n = 0;
		for (int i = 0; i < cmd_table_len; i++)
			n += strcmp(cmd_table[i].word, cmd_groups[g].word) == 0 && cmd_table[i].action != NULL;
		assert_true(n > 0);
	}
}

/* Runs the command table tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_command_has_help),
		cmocka_unit_test(test_every_command_has_man_entry),
		cmocka_unit_test(test_table_consistent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
