/* Unit tests of the JSON writer and the user-JSON parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/sb.h"

/* Parses text and writes it back in layout; returns the malloc'd output. */
static char *roundtrip(const char *text, enum json_layout layout)
{
	cJSON *v = json_parse_any(text);
	assert_non_null(v);
	struct sb sb;
	sb_init(&sb);
	json_write(&sb, v, layout);
	cJSON_Delete(v);
	return sb_take(&sb);
}

/* Pretty layout is JSON.stringify(v, null, 2) with keys sorted recursively. */
static void test_pretty_layout(void **state)
{
	(void)state;
	char *s = roundtrip("{\"b\":[1,{\"z\":true,\"a\":null}],\"a\":{},\"c\":[],\"d\":\"x\"}", JSON_PRETTY);
	assert_string_equal(s, "{\n"
			       "  \"a\": {},\n"
			       "  \"b\": [\n"
			       "    1,\n"
			       "    {\n"
			       "      \"a\": null,\n"
			       "      \"z\": true\n"
			       "    }\n"
			       "  ],\n"
			       "  \"c\": [],\n"
			       "  \"d\": \"x\"\n"
			       "}");
	free(s);
}

/* Compact layout has no whitespace and sorted keys (the stored-column form). */
static void test_compact_sorted(void **state)
{
	(void)state;
	char *s = roundtrip("{ \"b\": 1, \"a\": { \"d\": [1, 2], \"c\": false } }", JSON_COMPACT);
	assert_string_equal(s, "{\"a\":{\"c\":false,\"d\":[1,2]},\"b\":1}");
	free(s);
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "Z", "upper sorts first");
	cJSON_AddStringToObject(o, "a", "lower");
	cJSON_AddStringToObject(o, "_", "underscore between");
	s = json_compact(o);
	assert_string_equal(s, "{\"Z\":\"upper sorts first\",\"_\":\"underscore between\",\"a\":\"lower\"}");
	free(s);
	cJSON_Delete(o);
}

/* Strings: JSON escapes, control characters, DEL and C1 as \u, UTF-8 kept raw, invalid UTF-8 as U+FFFD. */
static void test_string_escapes(void **state)
{
	(void)state;
	cJSON *v = cJSON_CreateString("q\" b\\ \b\f\n\r\t \x01 \x1b[31m \x7f \xc2\x9b é 日本 \xff end");
	struct sb sb;
	sb_init(&sb);
	json_write(&sb, v, JSON_COMPACT);
	assert_string_equal(sb.buf, "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001 \\u001b[31m \\u007f \\u009b é 日本 \xef\xbf\xbd end\"");
	sb_free(&sb);
	cJSON_Delete(v);
}

/* Numbers print like JavaScript for integers, and shortest round-trip otherwise. */
static void test_numbers(void **state)
{
	(void)state;
	char *s = roundtrip("[0, -0, 42, -7, 1.5, 0.1, 1e3, 12345678901234, 2.5e-3]", JSON_COMPACT);
	assert_string_equal(s, "[0,0,42,-7,1.5,0.1,1000,12345678901234,0.0025]");
	free(s);
}

/* Duplicate keys keep the last value, as JSON.parse does. */
static void test_duplicate_keys(void **state)
{
	(void)state;
	char *s = roundtrip("{\"a\":1,\"b\":{\"x\":1,\"x\":2},\"a\":3}", JSON_COMPACT);
	assert_string_equal(s, "{\"a\":3,\"b\":{\"x\":2}}");
	free(s);
}

/* json_parse_object accepts objects only and explains what is wrong otherwise. */
static void test_parse_object(void **state)
{
	(void)state;
	char detail[128];
	cJSON *v = json_parse_object("{\"a\": 1}", detail, sizeof detail);
	assert_non_null(v);
	cJSON_Delete(v);
	const char *not_objects[] = {"[]", "1", "null", "\"s\"", "true"};
	for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++) {
		assert_null(json_parse_object(not_objects[i], detail, sizeof detail));
		assert_string_equal(detail, "");
	}
	const char *invalid[] = {"{", "{\"a\":}", "{} trailing", "", "{'a':1}"};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		assert_null(json_parse_object(invalid[i], detail, sizeof detail));
		assert_true(strncmp(detail, "unexpected input at position ", 29) == 0);
	}
}

/* Runs the JSON tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pretty_layout),  cmocka_unit_test(test_compact_sorted),
		cmocka_unit_test(test_string_escapes), cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_duplicate_keys), cmocka_unit_test(test_parse_object),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
