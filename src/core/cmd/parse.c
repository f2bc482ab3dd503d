/* Command-line parsing against the command table (SPEC 0.2) and --help text. */
#include <string.h>

#include "core/cmd/cmd.h"

/* Flags every command accepts. */
static const struct flag_spec global_flags[] = {
	{"--path", FLAG_VALUE, NULL},
	{"--json", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

/* Finds the declaration of flag name among a command's flags and the global ones. */
static const struct flag_spec *parse_flag_lookup(const struct flag_spec *flags, const char *name)
{
	for (const struct flag_spec *f = global_flags; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	for (const struct flag_spec *f = flags; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* Whether text is a non-empty string of decimal digits. */
static int parse_is_uint(const char *text)
{
	if (!*text)
		return 0;
	for (const char *p = text; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return strlen(text) <= 15;
}

/* Whether token asks for help. */
static int parse_is_help(const char *token)
{
	return strcmp(token, "-h") == 0 || strcmp(token, "--help") == 0;
}

/* Looks for -h/--help anywhere (skipping flag values) and the action it would apply to; returns 1 if help was asked for. */
static int parse_find_help(int argc, char **argv, const struct flag_spec *flags, const char **action)
{
	int help = 0;
	*action = NULL;
	for (int i = 1; i < argc; i++) {
		const char *t = argv[i];
		if (parse_is_help(t)) {
			help = 1;
		} else if (strncmp(t, "--", 2) == 0) {
			const struct flag_spec *f = parse_flag_lookup(flags, t);
			if (f && f->kind != FLAG_BOOL && i + 1 < argc && strncmp(argv[i + 1], "--", 2) != 0)
				i++;
		} else if (!*action) {
			*action = t;
		}
	}
	return help;
}

/* Records one flag occurrence; fails only when a command line has absurdly many flags. */
static int parse_add(struct args *a, const struct flag_spec *f, const char *value, struct err *e)
{
	if (a->n >= ARGS_MAX) {
		err_set(e, EXIT_USAGE, "too many flags");
		return -1;
	}
	a->v[a->n].key = f->key ? f->key : f->name;
	a->v[a->n].value = value;
	a->n++;
	return 0;
}

/* Handles the flag token at argv[*i], consuming its value; -1 with e set on error. */
static int parse_flag(int argc, char **argv, int *i, const struct flag_spec *flags, struct args *a, struct err *e)
{
	const char *t = argv[*i];
	const struct flag_spec *f = parse_flag_lookup(flags, t);
	if (!f) {
		err_set(e, EXIT_USAGE, "Unsupported TypeScript runtime option: %s", t);
		return -1;
	}
	if (f->kind == FLAG_BOOL)
		return parse_add(a, f, NULL, e);
	const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	if (!v || !*v || strncmp(v, "--", 2) == 0) {
		err_set(e, EXIT_USAGE, "%s requires a value.", t);
		return -1;
	}
	if (f->kind == FLAG_UINT && !parse_is_uint(v)) {
		err_set(e, EXIT_USAGE, "%s must be a non-negative integer.", t);
		return -1;
	}
	if (f->kind == FLAG_INT && !parse_is_uint(v + (v[0] == '-'))) {
		err_set(e, EXIT_USAGE, "%s must be an integer.", t);
		return -1;
	}
	(*i)++;
	return parse_add(a, f, v, e);
}

/* Handles a positional token: the group's action first, then the command's positional argument (and its text,
 * for CMD_TEXT_ARG commands). */
static int parse_positional(const char *t, const struct cmd_group *g, const struct cmd_entry *plain,
			    struct args *a, struct err *e)
{
	if (g && !a->action) {
		if (!cmd_find(g->word, t)) {
			err_set(e, EXIT_USAGE, "Unsupported %s action: %s", g->word, t);
			return -1;
		}
		a->action = t;
		return 0;
	}
	const struct cmd_entry *entry = g ? cmd_find(g->word, a->action) : plain;
	if (entry->positional && !a->positional) {
		a->positional = t;
		return 0;
	}
	if ((entry->pre & CMD_TEXT_ARG) && !a->text) {
		a->text = t;
		return 0;
	}
	err_set(e, EXIT_USAGE, "Unexpected argument: %s", t);
	return -1;
}

/* Writes "<word> requires an action: a, b, ..." listing every action of the group. */
static void parse_missing_action(const struct cmd_group *g, struct err *e)
{
	struct sb sb;
	sb_init(&sb);
	for (int i = 0; i < cmd_table_len; i++) {
		if (!cmd_table[i].action || strcmp(cmd_table[i].word, g->word) != 0)
			continue;
		sb_adds(&sb, sb.len ? ", " : "");
		sb_adds(&sb, cmd_table[i].action);
	}
	err_set(e, EXIT_USAGE, "%s requires an action: %s", g->word, sb.buf);
	sb_free(&sb);
}

/* The flags of a command word: its own, or the group-wide set its actions share. */
static const struct flag_spec *parse_word_flags(const char *word)
{
	for (int i = 0; i < cmd_table_len; i++)
		if (strcmp(cmd_table[i].word, word) == 0)
			return cmd_table[i].flags;
	return NULL;
}

/* Parses argv (argv[0] is the command word) into a; says whether to run, show help, or fail. */
enum cmd_parsed cmd_parse(int argc, char **argv, struct args *a, const struct cmd_entry **entry,
			  const struct cmd_group **group, struct err *e)
{
	memset(a, 0, sizeof *a);
	*entry = NULL;
	*group = cmd_group_find(argv[0]);
	const struct cmd_entry *plain = *group ? NULL : cmd_find(argv[0], NULL);
	if (!*group && !plain) {
		err_set(e, EXIT_USAGE, "unknown command: %s", argv[0]);
		return CMD_PARSE_ERROR;
	}
	a->word = argv[0];
	const struct flag_spec *flags = parse_word_flags(argv[0]);
	const char *help_action;
	if (parse_find_help(argc, argv, flags, &help_action)) {
		*entry = *group ? (help_action ? cmd_find(argv[0], help_action) : NULL) : plain;
		return CMD_PARSE_HELP;
	}
	for (int i = 1; i < argc; i++) {
		int rc = strncmp(argv[i], "--", 2) == 0 ? parse_flag(argc, argv, &i, flags, a, e)
							: parse_positional(argv[i], *group, plain, a, e);
		if (rc != 0)
			return CMD_PARSE_ERROR;
	}
	if (*group && !a->action) {
		parse_missing_action(*group, e);
		return CMD_PARSE_ERROR;
	}
	*entry = *group ? cmd_find(argv[0], a->action) : plain;
	return CMD_PARSE_RUN;
}

/* The --help text of an entry, or of a whole group (its actions listed) when entry is NULL. */
void cmd_help(const char *prog, const struct cmd_entry *entry, const struct cmd_group *group, struct sb *out)
{
	if (entry) {
		sb_addf(out, "usage: %s %s\n\n%s\n", prog, entry->usage, entry->summary);
		if (entry->help && *entry->help)
			sb_addf(out, "\n%s", entry->help);
		return;
	}
	sb_addf(out, "usage: %s %s <action> [flags] [--path DB] [--json]\n\n%s\n\nactions:\n", prog, group->word,
		group->summary);
	for (int i = 0; i < cmd_table_len; i++)
		if (cmd_table[i].action && strcmp(cmd_table[i].word, group->word) == 0)
			sb_addf(out, "  %-18s %s\n", cmd_table[i].action, cmd_table[i].summary);
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
	for (int i = 0; i < cmd_table_len; i++) {
		if (strcmp(cmd_table[i].word, last) == 0)
			continue;
		last = cmd_table[i].word;
		const struct cmd_group *g = cmd_group_find(last);
		sb_addf(out, "  %-26s %s\n", last, g ? g->summary : cmd_table[i].summary);
	}
	sb_addf(out, "\nRun '%s <command> --help' for a command's flags; man conveyor(1) for the rest.\n", prog);
}
