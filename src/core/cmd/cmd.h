#ifndef CONVEYOR_CMD_H
#define CONVEYOR_CMD_H
/* The command table: every command conveyor has, for the CLI and the cockpit alike. */
#include <cjson/cJSON.h>

#include "core/base/args.h"
#include "core/base/ctx.h"
#include "core/base/err.h"
#include "util/sb.h"

/* Preconditions a caller establishes before running a handler. */
enum cmd_pre {
	CMD_READS = 1 << 0,  /* runs in one read transaction; never creates the database */
	CMD_WRITES = 1 << 1, /* runs in one BEGIN IMMEDIATE transaction; --dry-run rolls it back */
	CMD_FIXED_OUT = 1 << 2, /* the text form is the output even with --json (it is JSON already) */
	CMD_INTERACTIVE = 1 << 3, /* the result is a plan the CLI hands to the cockpit (unless --dry-run) */
	CMD_TEXT_ARG = 1 << 4,  /* a second positional follows the first: the text to send (session-nudge) */
};

/* Handler: validates its arguments, then does its work through ctx_db(); returns the result or NULL with e set. */
typedef cJSON *(*cmd_run_fn)(struct ctx *c, const struct args *a, struct err *e);
/* Text form of a handler's result (lines ending in newlines, strings cleaned of control characters). */
typedef void (*cmd_text_fn)(const cJSON *result, struct sb *out);

struct cmd_entry {
	const char *word;             /* first command-line word: "campaign" */
	const char *man;              /* the man page that documents it: "conveyor-campaign" */
	const char *action;           /* action within a group ("create"), or NULL for a plain command */
	const char *usage;            /* one usage line without the program name */
	const char *summary;          /* one-line description */
	const char *help;             /* details and examples, printed under the usage by --help */
	const struct flag_spec *flags; /* accepted flags (NULL-terminated), besides --path, --json, --help */
	const char *positional;       /* name of the one positional argument, or NULL when none is taken */
	unsigned pre;                 /* enum cmd_pre bits */
	cmd_run_fn run;
	cmd_text_fn text;             /* NULL: the result prints as JSON even without --json */
};

/* A command word whose first positional is an action naming one of its entries. */
struct cmd_group {
	const char *word;
	const char *summary;
	const char *help;
};

extern const struct cmd_entry cmd_table[];
extern const int cmd_table_len;
extern const struct cmd_group cmd_groups[];
extern const int cmd_groups_len;

const struct cmd_entry *cmd_find(const char *word, const char *action);
const struct cmd_group *cmd_group_find(const char *word);

/* What cmd_parse found. */
enum cmd_parsed { CMD_PARSE_RUN, CMD_PARSE_HELP, CMD_PARSE_ERROR };

enum cmd_parsed cmd_parse(int argc, char **argv, struct args *a, const struct cmd_entry **entry,
			  const struct cmd_group **group, struct err *e);
void cmd_help(const char *prog, const struct cmd_entry *entry, const struct cmd_group *group, struct sb *out);
void cmd_usage(const char *prog, struct sb *out);

#endif
