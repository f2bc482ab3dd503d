/* Fuzz target: the text of a JSON flag (--metadata-json, --brief-json, ...) through json_parse_object (as the flag
 * parser converts it) and json_parse_any, and every value that parses through the sorted writer. What is checked
 * besides the sanitizers: a refusal says where, the writer's output holds no raw control character and parses back
 * to a value that writes the same (pretty and compact), and json_write_text (which lays out stored compact JSON)
 * prints the compact form exactly as json_write prints the value. */
#include "core/base/args.h"
#include "fuzz.h"
#include "util/json.h"
#include "util/utf8.h"

/* Checks that text holds no C0 control byte but the pretty layout's newlines, and no DEL. */
static void fuzz_no_controls(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p; p++)
		FUZZ_CHECK((*p >= 0x20 || *p == '\n') && *p != 0x7F);
}

/* Writes v with layout into a new string (caller frees). */
static char *fuzz_written(const cJSON *v, enum json_layout layout)
{
	struct sb out;
	sb_init(&out);
	json_write(&out, v, layout);
	return sb_take(&out);
}

/* Parses what the writer wrote (it must parse) and writes it again with layout (caller frees). */
static char *fuzz_rewritten(const char *text, enum json_layout layout)
{
	cJSON *back = json_parse_any(text);
	FUZZ_CHECK(back != NULL);
	char *again = fuzz_written(back, layout);
	cJSON_Delete(back);
	return again;
}

/* Writes v both ways and checks the output: no raw control characters, the compact form re-laid out by
 * json_write_text is the pretty form, and both parse back. Written text is a fixed point (writing what it parses to
 * gives it back); when the input was valid UTF-8 the first output already is (invalid bytes become U+FFFD, which
 * can make two keys one). */
static void fuzz_write(const cJSON *v, int valid_utf8)
{
	char *pretty = fuzz_written(v, JSON_PRETTY), *compact = fuzz_written(v, JSON_COMPACT);
	fuzz_no_controls(pretty);
	fuzz_no_controls(compact);
	FUZZ_CHECK(strchr(compact, '\n') == NULL);

	struct sb relaid;
	sb_init(&relaid);
	json_write_text(&relaid, compact, JSON_PRETTY, 0);
	FUZZ_CHECK(relaid.buf && strcmp(relaid.buf, pretty) == 0);
	sb_free(&relaid);

	char *pretty2 = fuzz_rewritten(pretty, JSON_PRETTY), *compact2 = fuzz_rewritten(compact, JSON_COMPACT);
	char *pretty3 = fuzz_rewritten(pretty2, JSON_PRETTY), *compact3 = fuzz_rewritten(pretty2, JSON_COMPACT);
	FUZZ_CHECK(strcmp(pretty3, pretty2) == 0 && strcmp(compact3, compact2) == 0);
	if (valid_utf8)
		FUZZ_CHECK(strcmp(pretty2, pretty) == 0 && strcmp(compact2, compact) == 0);
	free(pretty);
	free(compact);
	free(pretty2);
	free(compact2);
	free(pretty3);
	free(compact3);
}

/* Whether text is valid UTF-8 throughout. */
static int fuzz_valid_utf8(const char *text)
{
	for (const unsigned char *p = (const unsigned char *)text; *p;) {
		size_t n = utf8_seq_len(p);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t len = strlen(text);
	int valid = fuzz_valid_utf8(text);

	char detail[128];
	memset(detail, 'x', sizeof detail);
	cJSON *obj = json_parse_object(text, detail, sizeof detail);
	if (obj) {
		FUZZ_CHECK(cJSON_IsObject(obj));
		fuzz_write(obj, valid);
	} else if (detail[0]) {
		size_t at;
		FUZZ_CHECK(sscanf(detail, "unexpected input at position %zu", &at) == 1 && at <= len);
	}

	cJSON *any = json_parse_any(text);
	if (any)
		fuzz_write(any, valid);
	/* What json_parse_object takes, json_parse_any takes too (it is only the stricter of the two). */
	FUZZ_CHECK(!obj || any);
	cJSON_Delete(obj);
	cJSON_Delete(any);

	/* The same text as a flag value, converted and freed the way cmd_parse and args_free do it. */
	static const struct flag_spec spec = {.name = "--metadata-json", .type = FLAG_JSON};
	struct arg_value v = {.key = spec.name, .value = text, .spec = &spec};
	FUZZ_CHECK(args_convert(&v) == 0);
	FUZZ_CHECK(v.bad == (v.json == NULL) && (!v.detail || v.bad));
	struct args a = {.n = 1};
	a.v[0] = v;
	const cJSON *out;
	struct err e = {0};
	FUZZ_CHECK((args_json(&a, "--metadata-json", &out, &e) == 0) == !v.bad);
	args_free(&a);

	free(text);
	return 0;
}
