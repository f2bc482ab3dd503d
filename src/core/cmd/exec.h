#ifndef CONVEYOR_EXEC_H
#define CONVEYOR_EXEC_H
/* Running one command line through the table, the same way for the CLI, the cockpit's keys and its ':' prompt. */
#include <cjson/cJSON.h>

#include "core/cmd/cmd.h"

/* What running a command line produced. */
struct exec_result {
	const struct cmd_entry *entry; /* the command that ran (NULL for help on a group or usage) */
	cJSON *result;                 /* its result (owned), or NULL */
	int help;                      /* --help was asked for: out holds the help text */
	int json;                      /* --json was given */
	int dry_run;                   /* it ran as a dry run (nothing was written) */
	int status;                    /* exit status of a result that reports a failure (doctor not ok), else 0 */
	struct args args;              /* the parsed arguments (pointing into argv) */
	char notice[1024];             /* what opening the database changed ("" when nothing), for stderr */
};

int exec_argv(const char *prog, int argc, char **argv, struct exec_result *r, struct sb *help, struct err *e);
void exec_format(const struct exec_result *r, struct sb *out);
void exec_result_free(struct exec_result *r);
char **exec_split(const char *line, int *argc, struct err *e);
void exec_split_free(char **argv);

#endif
