#ifndef CONVEYOR_ARGS_H
#define CONVEYOR_ARGS_H
/* Flag declarations and the parsed, typed arguments of one command invocation (SPEC 0.2). The parser converts
 * every value once; a value that does not fit its declaration is reported when the handler reads it, so each
 * command keeps its own validation order (SPEC 2.1). */
#include <cjson/cJSON.h>

#include "core/base/err.h"

/* What a flag's value is. */
enum flag_type {
	FLAG_BOOL,    /* --json: takes no value */
	FLAG_STRING,  /* --slot SLOT */
	FLAG_COUNT,   /* --limit N: a non-negative integer (checked by the parser), within [min, max] when set */
	FLAG_INT,     /* --pid N: an integer (checked by the parser), within [min, max] when set */
	FLAG_SECONDS, /* --interval S: a number of seconds, decimals allowed, at most max */
	FLAG_ENUM,    /* --role R: one of values */
	FLAG_JSON,    /* --metadata-json JSON: a JSON object */
};

/* One accepted flag. Ranges: for FLAG_COUNT and FLAG_INT the range applies when min or max is non-zero (max 0:
 * no upper bound); FLAG_SECONDS is at most max and zero or greater (greater than zero with positive). */
struct flag_spec {
	const char *name;
	enum flag_type type;
	const char *arg;           /* the value's placeholder in usage and help: "N", "SLOT" */
	const char *help;          /* one line: what the flag does, and its default */
	const char *key;           /* the flag whose value this one sets (campaign's --state sets --status) */
	const char *const *values; /* FLAG_ENUM: the accepted values, NULL-terminated */
	long long min, max;
	const char *range_error;   /* the whole message for a value out of range (default: "<flag> must be ...") */
	const char *enum_error;    /* FLAG_ENUM: the message's text before the value (default: "<flag> must be one of") */
	unsigned repeat : 1;       /* may be given more than once, and every value counts */
	unsigned positive : 1;     /* FLAG_SECONDS: must be greater than zero */
	unsigned guard : 1;        /* the value is stored or sent to an agent: a secret in it is refused */
};

#define ARGS_MAX 96

/* One flag occurrence, in command-line order, with its value converted to its type. */
struct arg_value {
	const char *key;
	const char *value; /* NULL for boolean flags */
	const struct flag_spec *spec;
	long long i;       /* FLAG_COUNT, FLAG_INT */
	double d;          /* FLAG_SECONDS */
	int bad;           /* FLAG_SECONDS: not a number; FLAG_JSON: not valid JSON (detail) or not an object */
	cJSON *json;       /* FLAG_JSON: the parsed object (owned) */
	char *detail;      /* FLAG_JSON: the parser's detail when the text is not JSON (owned) */
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

int args_convert(struct arg_value *v);
void args_free(struct args *a);
const char *args_get(const struct args *a, const char *key);
int args_count(const struct args *a, const char *key);
int args_has(const struct args *a, const char *key);
long long args_int_or(const struct args *a, const char *key, long long def);
int args_int(const struct args *a, const char *key, long long def, long long *out, struct err *e);
int args_seconds(const struct args *a, const char *key, double def, double *out, struct err *e);
int args_enum(const struct args *a, const char *key, const char **out, struct err *e);
int args_json(const struct args *a, const char *key, const cJSON **out, struct err *e);

#endif
