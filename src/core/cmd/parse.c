/* Command-line parsing against the command table (SPEC 0.2): flags by their declarations, `--flag=value`, and a
 * bare `--` that ends the options. */
#include <string.h>

#include "core/cmd/cmd.h"

/* Whether token asks for help. */
static int parse_is_help(const char *token)
{
	return strcmp(token, "-h") == 0 || strcmp(token, "--help") == 0;
}

/* Whether token is a flag (not a value, not the end-of-options marker). */
static int parse_is_flag(const char *token)
{
	return strncmp(token, "--", 2) == 0 && token[2];
}

/* The declaration of the flag token names (without any "=value"), or NULL. */
static const struct flag_spec *parse_lookup(const struct flag_spec *flags, const char *token)
{
	char name[128];
	size_t n = strcspn(token, "=");
	if (n >= sizeof name)
		return NULL;
	memcpy(name, token, n);
	name[n] = '\0';
	return cmd_flag_find(flags, name);
}

/* Looks for -h/--help before any `--` (skipping flag values) and the first positional, which names the action of
 * a group; returns 1 if help was asked for. */
static int parse_scan(int argc, char **argv, const struct flag_spec *flags, const char **action)
{
	int help = 0;
	*action = NULL;
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *t = argv[i];
		if (parse_is_help(t)) {
			help = 1;
		} else if (parse_is_flag(t)) {
			const struct flag_spec *f = parse_lookup(flags, t);
			if (f && f->type != FLAG_BOOL && !strchr(t, '=') && i + 1 < argc && !parse_is_flag(argv[i + 1]))
				i++;
		} else if (!*action) {
			*action = t;
		}
	}
	return help;
}

/* Records one flag occurrence with its converted value; -1 with e set when its value is not of its type. */
static int parse_add(struct args *a, const struct flag_spec *f, const char *value, struct err *e)
{
	if (a->n >= ARGS_MAX) {
		err_set(e, EXIT_USAGE, "too many flags");
		return -1;
	}
	struct arg_value *v = &a->v[a->n];
	memset(v, 0, sizeof *v);
	v->key = f->key ? f->key : f->name;
	v->value = value;
	v->spec = f;
	if (value && args_convert(v) != 0) {
		err_set(e, EXIT_USAGE, f->type == FLAG_COUNT ? "%s must be a non-negative integer." : "%s must be an integer.",
			f->name);
		return -1;
	}
	a->n++;
	return 0;
}

/* "unknown option --x for campaign status (see conveyor campaign status --help)". */
static void parse_unknown(const char *prog, const char *token, const struct args *a, const char *action,
			  struct err *e)
{
	int n = (int)strcspn(token, "=");
	const char *act = action ? action : "";
	const char *sep = action ? " " : "";
	err_set(e, EXIT_USAGE, "unknown option %.*s for %s%s%s (see %s %s%s%s --help)", n, token, a->word, sep, act, prog,
		a->word, sep, act);
}

/* Handles the flag token at argv[*i], consuming its value (the next token, or the text after '='). */
static int parse_flag(const char *prog, int argc, char **argv, int *i, const struct flag_spec *flags,
		      const char *action, struct args *a, struct err *e)
{
	const char *t = argv[*i];
	const struct flag_spec *f = parse_lookup(flags, t);
	if (!f) {
		parse_unknown(prog, t, a, action, e);
		return -1;
	}
	const char *eq = strchr(t, '=');
	if (f->type == FLAG_BOOL) {
		if (eq) {
			err_set(e, EXIT_USAGE, "%s does not take a value.", f->name);
			return -1;
		}
		return parse_add(a, f, NULL, e);
	}
	const char *v = eq ? eq + 1 : *i + 1 < argc ? argv[*i + 1] : NULL;
	if (!v || !*v || (!eq && strncmp(v, "--", 2) == 0)) {
		err_set(e, EXIT_USAGE, "%s requires a value.", f->name);
		return -1;
	}
	if (!eq)
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
	for (int i = 0; i < cmd_count(); i++) {
		if (!cmd_at(i)->action || strcmp(cmd_at(i)->word, g->word) != 0)
			continue;
		sb_adds(&sb, sb.len ? ", " : "");
		sb_adds(&sb, cmd_at(i)->action);
	}
	err_set(e, EXIT_USAGE, "%s requires an action: %s", g->word, sb.buf);
	sb_free(&sb);
}

/* The flags of a command word: its own, or the group-wide set its actions share. */
static const struct flag_spec *parse_word_flags(const char *word)
{
	for (int i = 0; i < cmd_count(); i++)
		if (strcmp(cmd_at(i)->word, word) == 0)
			return cmd_at(i)->flags;
	return NULL;
}

/* Parses argv (argv[0] is the command word) into a; says whether to run, show help, or fail. On failure a holds
 * nothing that needs freeing; otherwise the caller frees it with args_free. */
enum cmd_parsed cmd_parse(const char *prog, int argc, char **argv, struct args *a, const struct cmd_entry **entry,
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
	const char *action;
	if (parse_scan(argc, argv, flags, &action)) {
		*entry = *group ? (action ? cmd_find(argv[0], action) : NULL) : plain;
		return CMD_PARSE_HELP;
	}
	const char *known = *group && action && cmd_find(argv[0], action) ? action : NULL;
	int options = 1;
	for (int i = 1; i < argc; i++) {
		int rc;
		if (options && strcmp(argv[i], "--") == 0) {
			options = 0;
			continue;
		}
		if (options && parse_is_flag(argv[i]))
			rc = parse_flag(prog, argc, argv, &i, flags, known, a, e);
		else
			rc = parse_positional(argv[i], *group, plain, a, e);
		if (rc != 0) {
			args_free(a);
			return CMD_PARSE_ERROR;
		}
	}
	if (*group && !a->action) {
		args_free(a);
		parse_missing_action(*group, e);
		return CMD_PARSE_ERROR;
	}
	*entry = *group ? cmd_find(argv[0], a->action) : plain;
	return CMD_PARSE_RUN;
}
