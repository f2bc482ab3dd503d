#ifndef CONVEYOR_ARGS_H
#define CONVEYOR_ARGS_H
/* Flag declarations and the parsed arguments of one command invocation (SPEC 0.2). */

/* How a flag is written on the command line. */
enum flag_kind {
	FLAG_BOOL,  /* --json */
	FLAG_VALUE, /* --slot VALUE */
	FLAG_UINT,  /* --stale-after N, a non-negative integer */
	FLAG_INT,   /* --pid N, an integer */
};

/* One accepted flag; key names the value it sets when it is a synonym of another flag. */
struct flag_spec {
	const char *name;
	enum flag_kind kind;
	const char *key;
};

#define ARGS_MAX 96

/* One flag occurrence, in command-line order; value is NULL for boolean flags. */
struct arg_value {
	const char *key;
	const char *value;
};

/* A parsed command line: the command word, its action (for command groups), one optional positional (two for
 * CMD_TEXT_ARG commands) and the flags. */
struct args {
	const char *word;
	const char *action;
	const char *positional;
	const char *text; /* the second positional of a CMD_TEXT_ARG command */
	int n;
	struct arg_value v[ARGS_MAX];
};

const char *args_get(const struct args *a, const char *key);
int args_count(const struct args *a, const char *key);
int args_has(const struct args *a, const char *key);

#endif
