/* The CLI: argv -> command table -> handler -> JSON or text on stdout, or one error line on stderr. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd.h"
#include "util/json.h"

#define CONVEYOR_VERSION "0.1.0"

/* The program name for usage text and generated commands: workerctl when invoked as such (SPEC 0.1). */
static const char *cli_prog(const char *argv0)
{
	const char *forced = getenv("CONVEYOR_CLI_PROG");
	if (forced && (strcmp(forced, "conveyor") == 0 || strcmp(forced, "workerctl") == 0))
		return forced;
	const char *base = strrchr(argv0, '/');
	base = base ? base + 1 : argv0;
	return strcmp(base, "workerctl") == 0 ? "workerctl" : "conveyor";
}

/* Writes what is left in the stdout buffer and frees it; returns exit status 0. */
static int cli_out(struct sb *sb)
{
	sb_flush(sb);
	sb_free(sb);
	return EXIT_OK;
}

/* Prints an error message as one line on stderr and returns its exit status. */
static int cli_fail(const struct err *e)
{
	fprintf(stderr, "%s\n", e->msg);
	return e->code ? e->code : EXIT_USAGE;
}

/* Prints a handler's result: pretty sorted JSON with --json (or when the command has no text form), else its text. */
static void cli_print(const struct cmd_entry *entry, const struct args *a, const struct ctx *c, cJSON *result,
		      struct sb *out)
{
	if ((args_has(a, "--json") && !(entry->pre & CMD_FIXED_OUT)) || !entry->text) {
		if (c->dry_run && cJSON_IsObject(result))
			cJSON_AddTrueToObject(result, "dry_run");
		json_write(out, result, JSON_PRETTY);
		sb_addc(out, '\n');
		return;
	}
	if (c->dry_run)
		sb_adds(out, "dry-run: nothing written\n");
	entry->text(result, out);
}

/* Runs one command line; returns the process exit status. */
int cli_main(int argc, char **argv)
{
	const char *prog = cli_prog(argc > 0 ? argv[0] : "conveyor");
	struct sb out;
	sb_init(&out);
	out.sink = stdout;
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		cmd_usage(prog, &out);
		return cli_out(&out);
	}
	if (strcmp(argv[1], "--version") == 0) {
		sb_addf(&out, "%s %s\n", prog, CONVEYOR_VERSION);
		return cli_out(&out);
	}
	struct args a;
	const struct cmd_entry *entry;
	const struct cmd_group *group;
	struct err e = {0};
	enum cmd_parsed parsed = cmd_parse(argc - 1, argv + 1, &a, &entry, &group, &e);
	if (parsed == CMD_PARSE_ERROR)
		return cli_fail(&e);
	if (parsed == CMD_PARSE_HELP) {
		cmd_help(prog, entry, group, &out);
		return cli_out(&out);
	}
	struct ctx c;
	if (ctx_init(&c, prog, args_get(&a, "--path"), &e) != 0) {
		ctx_close(&c);
		return cli_fail(&e);
	}
	c.pre = entry->pre;
	c.dry_run = (entry->pre & CMD_WRITES) && args_has(&a, "--dry-run");
	cJSON *result = entry->run(&c, &a, &e);
	if (ctx_finish(&c, result != NULL || e.commit, &e) != 0) {
		cJSON_Delete(result);
		result = NULL;
	}
	ctx_close(&c);
	if (!result)
		return cli_fail(&e);
	cli_print(entry, &a, &c, result, &out);
	cJSON_Delete(result);
	return cli_out(&out);
}
