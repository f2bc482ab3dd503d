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
	CMD_GUARD_TEXT = 1 << 5, /* that text is sent to an agent: a secret in it is refused, like a .guard flag's */
};

/* Handler: validates its arguments, then does its work through ctx_db(); returns the result or NULL with e set. */
typedef cJSON *(*cmd_run_fn)(struct ctx *c, const struct args *a, struct err *e);
/* Text form of a handler's result (lines ending in newlines, strings cleaned of control characters). */
typedef void (*cmd_text_fn)(const cJSON *result, struct sb *out);

/* One command, declared beside its handler with designated initializers (tmux's cmd_entry is the model). */
struct cmd_entry {
	const char *word;              /* first command-line word: "campaign" */
	const char *man;               /* the man page that documents it: "conveyor-campaign" */
	const char *action;            /* action within a group ("create"), or NULL for a plain command */
	const char *usage;             /* one usage line without the program name */
	const char *summary;           /* one-line description */
	const char *help;              /* details and examples, printed under the flags by --help */
	const struct flag_spec *flags; /* accepted flags (NULL-name terminated), besides the global --path and --json */
	const char *positional;        /* name of the one positional argument, or NULL when none is taken */
	unsigned pre;                  /* enum cmd_pre bits */
	cmd_run_fn run;
	cmd_text_fn text;              /* NULL: the result prints as JSON even without --json */
};

/* A command word whose first positional is an action naming one of its entries. */
struct cmd_group {
	const char *word;
	const char *summary;
	const char *help;
};

/* A command family: the entries its folder declares, in the order --help lists them (NULL-terminated). */
extern const struct cmd_entry *const cockpit_commands[], *const campaign_commands[], *const session_commands[],
	*const rotation_commands[], *const observe_commands[], *const dispatch_commands[], *const steer_commands[],
	*const lifecycle_commands[], *const cmd_commands[];

extern const struct flag_spec cmd_global_flags[];
extern const struct cmd_group cmd_groups[];
extern const int cmd_groups_len;

int cmd_count(void);
const struct cmd_entry *cmd_at(int i);
const struct cmd_entry *cmd_find(const char *word, const char *action);
const struct cmd_group *cmd_group_find(const char *word);
const struct flag_spec *cmd_flag_find(const struct flag_spec *flags, const char *name);

/* Help texts several entries share. */
#define CMD_GUARD_HELP \
	"Values that look like secrets (JWTs, private keys, API tokens, Bearer tokens) or archive/app-package\n" \
	"paths are refused unless --human-approved, which records the approval in the receipt's metadata.\n"
#define CMD_DRY_RUN_HELP "--dry-run validates everything, writes nothing and prints what would have been done.\n"

/* What cmd_parse found. */
enum cmd_parsed { CMD_PARSE_RUN, CMD_PARSE_HELP, CMD_PARSE_ERROR };

enum cmd_parsed cmd_parse(const char *prog, int argc, char **argv, struct args *a, const struct cmd_entry **entry,
			  const struct cmd_group **group, struct err *e);
int cmd_guard(const struct cmd_entry *entry, const struct args *a, struct err *e);
void cmd_help(const char *prog, const struct cmd_entry *entry, const struct cmd_group *group, struct sb *out);
void cmd_usage(const char *prog, struct sb *out);
int cmd_usage_names(const char *usage, const char *flag);

#endif
