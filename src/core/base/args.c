/* Converting flag values to their declared types once, and reading them back in the handlers. */
#include "core/base/args.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/sb.h"

#define ARGS_DIGITS_MAX 15 /* longer integers are refused as not integers (SPEC 0.2) */

/* Whether text is an integer of at most ARGS_DIGITS_MAX digits (with a leading '-' when sign is allowed). */
static int args_is_integer(const char *text, int sign)
{
	if (sign && *text == '-')
		text++;
	size_t n = strspn(text, "0123456789");
	return n > 0 && n <= ARGS_DIGITS_MAX && !text[n];
}

/* Converts v->value to v->spec's type; -1 when an integer flag's value is not an integer (the parser reports it).
 * Other values that do not fit are marked and reported when read. */
int args_convert(struct arg_value *v)
{
	const struct flag_spec *f = v->spec;
	if (f->type == FLAG_COUNT || f->type == FLAG_INT) {
		if (!args_is_integer(v->value, f->type == FLAG_INT))
			return -1;
		v->i = strtoll(v->value, NULL, 10);
	} else if (f->type == FLAG_SECONDS) {
		char *end;
		v->d = strtod(v->value, &end);
		v->bad = end == v->value || *end || !isfinite(v->d);
	} else if (f->type == FLAG_JSON) {
		char detail[128];
		v->json = json_parse_object(v->value, detail, sizeof detail);
		v->bad = v->json == NULL;
		v->detail = v->bad && detail[0] ? strdup(detail) : NULL;
	}
	return 0;
}

/* Frees the converted values (JSON objects and details). */
void args_free(struct args *a)
{
	for (int i = 0; i < a->n; i++) {
		cJSON_Delete(a->v[i].json);
		free(a->v[i].detail);
		a->v[i].json = NULL;
		a->v[i].detail = NULL;
	}
}

/* The last occurrence of key (last one wins), or NULL. */
static const struct arg_value *args_last(const struct args *a, const char *key)
{
	for (int i = a->n - 1; i >= 0; i--)
		if (strcmp(a->v[i].key, key) == 0)
			return &a->v[i];
	return NULL;
}

/* The last value given for key, or NULL when the flag was not given or is boolean. */
const char *args_get(const struct args *a, const char *key)
{
	const struct arg_value *v = args_last(a, key);
	return v ? v->value : NULL;
}

/* How many times key was given. */
int args_count(const struct args *a, const char *key)
{
	int n = 0;
	for (int i = 0; i < a->n; i++)
		n += strcmp(a->v[i].key, key) == 0;
	return n;
}

/* Whether key was given at least once. */
int args_has(const struct args *a, const char *key)
{
	return args_count(a, key) > 0;
}

/* Whether an integer flag's declaration limits its range. */
static int args_ranged(const struct flag_spec *f)
{
	return f->min != 0 || f->max != 0;
}

/* The integer value of a flag declared without a range (the parser checked it), or def when absent. */
long long args_int_or(const struct args *a, const char *key, long long def)
{
	const struct arg_value *v = args_last(a, key);
	return v ? v->i : def;
}

/* The integer value of key (def when absent) into *out; -1 with e set when it is outside the declared range. */
int args_int(const struct args *a, const char *key, long long def, long long *out, struct err *e)
{
	const struct arg_value *v = args_last(a, key);
	*out = v ? v->i : def;
	if (!v || !args_ranged(v->spec) || (v->i >= v->spec->min && (!v->spec->max || v->i <= v->spec->max)))
		return 0;
	if (v->spec->range_error)
		return err_set(e, EXIT_USAGE, "%s", v->spec->range_error), -1;
	if (!v->spec->max)
		return err_set(e, EXIT_USAGE, "%s must be at least %lld.", v->spec->name, v->spec->min), -1;
	return err_set(e, EXIT_USAGE, "%s must be between %lld and %lld.", v->spec->name, v->spec->min, v->spec->max),
	       -1;
}

/* The number of seconds of key (def when absent) into *out; -1 with e set when it is not a number of seconds in
 * the declared range. */
int args_seconds(const struct args *a, const char *key, double def, double *out, struct err *e)
{
	const struct arg_value *v = args_last(a, key);
	*out = v ? v->d : def;
	if (!v)
		return 0;
	const struct flag_spec *f = v->spec;
	if (v->bad || v->d > (double)f->max)
		return err_set(e, EXIT_USAGE, "%s must be a number of seconds (at most %lld).", f->name, f->max), -1;
	if (f->positive && v->d <= 0)
		return err_set(e, EXIT_USAGE, "%s must be greater than zero.", f->name), -1;
	if (v->d < 0)
		return err_set(e, EXIT_USAGE, "%s must be zero or greater.", f->name), -1;
	return 0;
}

/* The value of an enum flag (NULL when absent) into *out; -1 with e set when it is not one of the declared values. */
int args_enum(const struct args *a, const char *key, const char **out, struct err *e)
{
	const struct arg_value *v = args_last(a, key);
	*out = v ? v->value : NULL;
	if (!v)
		return 0;
	for (const char *const *p = v->spec->values; *p; p++)
		if (strcmp(*p, v->value) == 0)
			return 0;
	if (v->spec->enum_error)
		return err_set(e, EXIT_USAGE, "%s%s", v->spec->enum_error, v->value), -1;
	struct sb list;
	sb_init(&list);
	for (const char *const *p = v->spec->values; *p; p++)
		sb_addf(&list, "%s%s", p == v->spec->values ? "" : ", ", *p);
	err_set(e, EXIT_USAGE, "%s must be one of %s.", v->spec->name, list.buf);
	sb_free(&list);
	return -1;
}

/* The JSON object of key (NULL when absent; owned by a) into *out; -1 with e set when the text was not a JSON
 * object (SPEC 2.1 rule 8). */
int args_json(const struct args *a, const char *key, const cJSON **out, struct err *e)
{
	const struct arg_value *v = args_last(a, key);
	*out = v ? v->json : NULL;
	if (!v || !v->bad)
		return 0;
	if (v->detail)
		return err_set(e, EXIT_USAGE, "%s must be valid JSON: %s", key, v->detail), -1;
	return err_set(e, EXIT_USAGE, "%s must be a JSON object", key), -1;
}
