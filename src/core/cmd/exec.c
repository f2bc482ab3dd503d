/* One command line, one handler call: parse against the table, open the context, run, commit or roll back. */
#include "core/cmd/exec.h"

#include <stdlib.h>
#include <string.h>

#include "util/json.h"

/* Runs argv[0..argc) (the words after the program name); 0 with r filled (r->help: help text in help), or -1 with
 * e set. A handler that returns a result and also sets e (a report that says "not ok") gives r->status. */
int exec_argv(const char *prog, int argc, char **argv, struct exec_result *r, struct sb *help, struct err *e)
{
	memset(r, 0, sizeof *r);
	const struct cmd_group *group;
	enum cmd_parsed parsed = cmd_parse(prog, argc, argv, &r->args, &r->entry, &group, e);
	if (parsed == CMD_PARSE_ERROR)
		return -1;
	if (parsed == CMD_PARSE_HELP) {
		r->help = 1;
		cmd_help(prog, r->entry, group, help);
		return 0;
	}
	if (cmd_guard(r->entry, &r->args, e) != 0) {
		args_free(&r->args);
		return -1;
	}
	struct ctx c;
	if (ctx_init(&c, prog, args_get(&r->args, "--path"), e) != 0) {
		ctx_close(&c);
		args_free(&r->args);
		return -1;
	}
	c.pre = r->entry->pre;
	c.dry_run = r->dry_run = (r->entry->pre & CMD_WRITES) && args_has(&r->args, "--dry-run");
	r->json = args_has(&r->args, "--json");
	r->result = r->entry->run(&c, &r->args, e);
	snprintf(r->notice, sizeof r->notice, "%s", c.notice);
	if (ctx_finish(&c, r->result != NULL || e->commit, e) != 0) {
		cJSON_Delete(r->result);
		r->result = NULL;
	}
	ctx_close(&c);
	if (!r->result) {
		args_free(&r->args);
		return -1;
	}
	r->status = e->code;
	return 0;
}

/* Formats a result as the CLI prints it: pretty sorted JSON with --json (or when the command has no text form),
 * else its text form. */
void exec_format(const struct exec_result *r, struct sb *out)
{
	if ((r->json && !(r->entry->pre & CMD_FIXED_OUT)) || !r->entry->text) {
		if (r->dry_run && cJSON_IsObject(r->result) && !cJSON_HasObjectItem(r->result, "dry_run"))
			cJSON_AddTrueToObject(r->result, "dry_run");
		json_write(out, r->result, JSON_PRETTY);
		sb_addc(out, '\n');
		return;
	}
	if (r->dry_run)
		sb_adds(out, "dry-run: nothing written\n");
	r->entry->text(r->result, out);
}

/* Frees the result. */
void exec_result_free(struct exec_result *r)
{
	cJSON_Delete(r->result);
	r->result = NULL;
	args_free(&r->args);
}

/* Appends one word to a NULL-terminated argv being built. */
static char **exec_push(char **argv, int *argc, struct sb *word)
{
	char **grown = realloc(argv, sizeof *argv * (size_t)(*argc + 2));
	if (!grown)
		abort();
	grown[(*argc)++] = sb_take(word);
	grown[*argc] = NULL;
	return grown;
}

/* Splits a command line into words the way a POSIX shell would for plain words: blanks separate words,
 * '...' is literal, "..." allows \" \\ \$ \` escapes, a backslash outside quotes escapes the next character.
 * No expansion of any kind happens. Returns a malloc'd NULL-terminated argv, or NULL with e set. */
char **exec_split(const char *line, int *argc, struct err *e)
{
	char **argv = calloc(1, sizeof *argv);
	struct sb word;
	sb_init(&word);
	int in_word = 0;
	*argc = 0;
	for (const char *p = line;; p++) {
		if (!*p || *p == ' ' || *p == '\t' || *p == '\n') {
			if (in_word)
				argv = exec_push(argv, argc, &word);
			in_word = 0;
			if (!*p)
				return argv;
			continue;
		}
		in_word = 1;
		if (*p == '\\' && p[1]) {
			sb_addc(&word, *++p);
		} else if (*p == '\'' || *p == '"') {
			char q = *p++;
			while (*p && *p != q) {
				if (q == '"' && *p == '\\' && p[1] && strchr("\"\\$`", p[1]))
					p++;
				sb_addc(&word, *p++);
			}
			if (!*p) {
				sb_free(&word);
				exec_split_free(argv);
				return err_null(e, EXIT_USAGE, "unterminated %s quote", q == '"' ? "double" : "single");
			}
		} else {
			sb_addc(&word, *p);
		}
	}
}

/* Frees an argv from exec_split. */
void exec_split_free(char **argv)
{
	for (char **p = argv; p && *p; p++)
		free(*p);
	free(argv);
}
