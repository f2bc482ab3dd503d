/* --help texts generated from the declarations: a command's usage, summary, one line per flag, then its details;
 * a group's actions; the top-level command list. */
#include <string.h>

#include "core/cmd/cmd.h"

/* Whether usage names flag as a whole word ("--name" in "--name C", not in "--name-x"). */
int cmd_usage_names(const char *usage, const char *flag)
{
	size_t n = strlen(flag);
	for (const char *p = strstr(usage, flag); p; p = strstr(p + 1, flag)) {
		char after = p[n];
		if ((p == usage || p[-1] != '-') && !(after == '-' || (after >= 'a' && after <= 'z')))
			return 1;
	}
	return 0;
}

/* One "  --flag ARG    help" line. */
static void help_flag(const struct flag_spec *f, struct sb *out)
{
	char left[64];
	const char *arg = f->arg;
	char values[48] = "";
	if (!arg && f->type == FLAG_ENUM) {
		for (const char *const *v = f->values; *v; v++)
			snprintf(values + strlen(values), sizeof values - strlen(values), "%s%s", v == f->values ? "" : "|", *v);
		arg = values;
	}
	if (f->type == FLAG_BOOL)
		snprintf(left, sizeof left, "%s", f->name);
	else
		snprintf(left, sizeof left, "%s %s", f->name, arg ? arg : "VALUE");
	sb_addf(out, "  %-30s %s%s%s\n", left, f->help ? f->help : "", f->repeat ? " (repeatable)" : "",
		f->guard ? " (secrets refused)" : "");
}

/* The flags section of an entry's help: the flags its usage names, then the global ones. */
static void help_flags(const struct cmd_entry *entry, struct sb *out)
{
	sb_adds(out, "\nflags:\n");
	for (const struct flag_spec *f = entry->flags; f && f->name; f++)
		if (!f->key && cmd_usage_names(entry->usage, f->name))
			help_flag(f, out);
	for (const struct flag_spec *f = cmd_global_flags; f->name; f++)
		help_flag(f, out);
}

/* The --help text of an entry, or of a whole group (its actions listed) when entry is NULL. */
void cmd_help(const char *prog, const struct cmd_entry *entry, const struct cmd_group *group, struct sb *out)
{
	if (entry) {
		sb_addf(out, "usage: %s %s\n\n%s\n", prog, entry->usage, entry->summary);
		help_flags(entry, out);
		if (entry->help && *entry->help)
			sb_addf(out, "\n%s", entry->help);
		return;
	}
	sb_addf(out, "usage: %s %s <action> [flags] [--path DB] [--json]\n\n%s\n\nactions:\n", prog, group->word,
		group->summary);
	for (int i = 0; i < cmd_count(); i++)
		if (cmd_at(i)->action && strcmp(cmd_at(i)->word, group->word) == 0)
			sb_addf(out, "  %-18s %s\n", cmd_at(i)->action, cmd_at(i)->summary);
	if (group->help && *group->help)
		sb_addf(out, "\n%s", group->help);
}

/* The top-level usage: the usage line, a one-line description and the command words. */
void cmd_usage(const char *prog, struct sb *out)
{
	sb_addf(out, "usage: %s [-h] <command> ...\n\n", prog);
	sb_adds(out, "Supervise many coding-agent worker sessions from one ledger, headless or from the cockpit.\n\n");
	sb_adds(out, "commands:\n");
	const char *last = "";
	for (int i = 0; i < cmd_count(); i++) {
		if (strcmp(cmd_at(i)->word, last) == 0)
			continue;
		last = cmd_at(i)->word;
		const struct cmd_group *g = cmd_group_find(last);
		sb_addf(out, "  %-26s %s\n", last, g ? g->summary : cmd_at(i)->summary);
	}
	sb_addf(out, "\nRun '%s help <command>' or '%s <command> --help' for a command's flags; man conveyor(1) for "
		     "the rest.\n", prog, prog);
}
