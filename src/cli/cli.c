/* The CLI: argv -> command table -> handler -> JSON or text on stdout, or one error line on stderr. */
#include "cli/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/exec.h"
#include "tui/tui.h"

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

/* Prints an error message as one line on stderr, its control characters made visible (names and argv may hold
 * escape sequences or newlines), and returns its exit status. */
static int cli_fail(const struct err *e)
{
	struct sb line;
	sb_init(&line);
	sb_add_visible(&line, e->msg);
	fprintf(stderr, "%s\n", line.buf ? line.buf : "");
	sb_free(&line);
	return e->code ? e->code : EXIT_USAGE;
}

/* Says on stderr, once, what opening the database changed (its files made private), cleaned like an error. */
static void cli_notice(const char *prog, const struct exec_result *r)
{
	if (!r->notice[0])
		return;
	struct sb line;
	sb_init(&line);
	sb_add_visible(&line, r->notice);
	fprintf(stderr, "%s: %s\n", prog, line.buf);
	sb_free(&line);
}

/* Starts the cockpit with the plan of `tui`/`dashboard`, after printing its notices on stderr. */
static int cli_cockpit(const char *prog, struct exec_result *r, struct sb *out)
{
	const cJSON *notice;
	cJSON_ArrayForEach(notice, cJSON_GetObjectItem(r->result, "notices"))
	fprintf(stderr, "%s\n", notice->valuestring);
	sb_free(out);
	int rc = tui_main(prog, r->result);
	exec_result_free(r);
	return rc;
}

/* Whether --version appears before any `--` (a flag value never begins with "--", so it is the flag). */
static int cli_wants_version(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--version") == 0)
			return 1;
	return 0;
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
	if (cli_wants_version(argc, argv)) {
		/* CONVEYOR_VERSION is the content of the file VERSION, passed in by the Makefile. */
		sb_addf(&out, "%s %s\n", prog, CONVEYOR_VERSION);
		return cli_out(&out);
	}
	struct exec_result r;
	struct err e = {0};
	int failed = exec_argv(prog, argc - 1, argv + 1, &r, &out, &e) != 0;
	cli_notice(prog, &r);
	if (failed) {
		sb_free(&out);
		return cli_fail(&e);
	}
	if (!r.help && (r.entry->pre & CMD_INTERACTIVE) && !args_has(&r.args, "--dry-run"))
		return cli_cockpit(prog, &r, &out);
	if (!r.help)
		exec_format(&r, &out);
	exec_result_free(&r);
	cli_out(&out);
	return r.status ? cli_fail(&e) : EXIT_OK;
}
