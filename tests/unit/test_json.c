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

/* Numbers print as JavaScript prints them (shortest round-trip digits, exponent outside 1e-7..1e21). */
static void test_numbers(void **state)
{
	(void)state;
	char *s = roundtrip("[0, -0, 42, -7, 1.5, 0.1, 1e3, 12345678901234, 2.5e-3, 1e-7, 0.000001, 1e21, 1.5e300, "
			    "12345678901234567890, -2.5e-10, 123.456]",
			    JSON_COMPACT);
	assert_string_equal(s, "[0,0,42,-7,1.5,0.1,1000,12345678901234,0.0025,1e-7,0.000001,1e+21,1.5e+300,"
			       "12345678901234567000,-2.5e-10,123.456]");
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
	const char *valid[] = {"{\"a\": 1}", "{\"a\":0}", "{\"a\":-0.5e-3}", "{\"a\":10203}", "{\"a\":[1e+2,0.0]}",
			       "{\"a\":\"01 \\\"x\\\" 1.\"}"};
	for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
		cJSON *v = json_parse_object(valid[i], detail, sizeof detail);
		assert_non_null(v);
		cJSON_Delete(v);
	}
	const char *not_objects[] = {"[]", "1", "null", "\"s\"", "true"};
	for (size_t i = 0; i < sizeof not_objects / sizeof not_objects[0]; i++) {
		assert_null(json_parse_object(not_objects[i], detail, sizeof detail));
		assert_string_equal(detail, "");
	}
	const char *invalid[] = {"{", "{\"a\":}", "{} trailing", "", "{'a':1}", "{\"a\":01}", "{\"a\":-01}",
				 "{\"a\":1.}", "{\"a\":1.e5}", "{\"a\":1e}", "{\"a\":-}", "{\"a\":\"x\ty\"}"};
	for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
		assert_null(json_parse_object(invalid[i], detail, sizeof detail));
		assert_true(strncmp(detail, "unexpected input at position ", 29) == 0);
	}
}

/* A raw node is laid out exactly as the parsed tree would be printed (keys given in sorted order, numbers in
 * JavaScript form, as conveyor and the reference store them; they are copied as they are), in both
 * layouts and at any depth, with strings re-escaped by the same rules. */
static void test_raw_relayout(void **state)
{
	(void)state;
	const char *raws[] = {
		"[{\"a\":1,\"b\":{},\"c\":[],\"d\":\"x\\\"y\\u0001\x7f\\n\\\\\"},{\"a\":2}]",
		"[]",
		"{}",
		" { \"k\" : [ 1 , -0.0025 , true , null , \"s, : {}[]\" ] } ",
		"\"plain \xc2\x9b \xff\"",
	};
	for (size_t i = 0; i < sizeof raws / sizeof raws[0]; i++) {
		for (int layout = JSON_PRETTY; layout <= JSON_COMPACT; layout++) {
			cJSON *raw_tree = cJSON_CreateObject(), *tree = cJSON_CreateObject();
			cJSON *inner = cJSON_AddObjectToObject(raw_tree, "x");
			cJSON_AddItemToObject(inner, "raw", cJSON_CreateRaw(raws[i]));
			cJSON *parsed = cJSON_Parse(raws[i]);
			assert_non_null(parsed);
			cJSON_AddItemToObject(cJSON_AddObjectToObject(tree, "x"), "raw", parsed);
			struct sb a, b;
			sb_init(&a);
			sb_init(&b);
			json_write(&a, raw_tree, (enum json_layout)layout);
			json_write(&b, tree, (enum json_layout)layout);
			assert_string_equal(a.buf, b.buf);
			sb_free(&a);
			sb_free(&b);
			cJSON_Delete(raw_tree);
			cJSON_Delete(tree);
		}
	}
}

/* A raw node laid out for its depth is copied verbatim there; moved elsewhere it is re-laid out. */
static void test_raw_pretty_depth(void **state)
{
	(void)state;
	struct sb text, out;
	sb_init(&text);
	sb_adds(&text, "[\n    1,\n    2\n  ]");
	cJSON *root = cJSON_CreateObject();
	cJSON_AddItemToObject(root, "a", json_raw_take(&text, 1));
	sb_init(&out);
	json_write(&out, root, JSON_PRETTY);
	assert_string_equal(out.buf, "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
	sb_free(&out);
	cJSON *moved = cJSON_DetachItemFromObject(root, "a");
	json_write(&out, moved, JSON_PRETTY);
	assert_string_equal(out.buf, "[\n  1,\n  2\n]");
	sb_free(&out);
	json_write(&out, moved, JSON_COMPACT);
	assert_string_equal(out.buf, "[1,2]");
	sb_free(&out);
	cJSON_Delete(moved);
	cJSON_Delete(root);
}

/* A buffer with a sink streams in chunks and still produces exactly the same bytes. */
static void test_sink_streaming(void **state)
{
	(void)state;
	cJSON *arr = cJSON_CreateArray();
	for (int i = 0; i < 20000; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString("some text to make the output larger than one chunk"));
	struct sb direct, streamed;
	sb_init(&direct);
	json_write(&direct, arr, JSON_PRETTY);
	char *mem = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&mem, &len);
	sb_init(&streamed);
	streamed.sink = f;
	json_write(&streamed, arr, JSON_PRETTY);
	assert_true(streamed.cap <= 2 * SB_CHUNK);
	sb_flush(&streamed);
	sb_free(&streamed);
	fclose(f);
	assert_int_equal(len, direct.len);
	assert_memory_equal(mem, direct.buf, len);
	free(mem);
	sb_free(&direct);
	cJSON_Delete(arr);
}

/* Runs the JSON tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pretty_layout),  cmocka_unit_test(test_compact_sorted),
		cmocka_unit_test(test_string_escapes), cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_duplicate_keys), cmocka_unit_test(test_parse_object),
		cmocka_unit_test(test_raw_relayout),   cmocka_unit_test(test_raw_pretty_depth),
		cmocka_unit_test(test_sink_streaming),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
