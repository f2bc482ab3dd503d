/* Unit tests of timestamp parsing and formatting (SPEC 1.5) and the fixed test clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "util/clock.h"

/* Both SPEC precisions and zone forms parse to the same instant. */
static void test_parse_forms(void **state)
{
	(void)state;
	long long a, b, c, d;
	assert_int_equal(clock_parse("2026-01-01T00:00:00.000Z", &a), 0);
	assert_int_equal(clock_parse("2026-01-01T00:00:00Z", &b), 0);
	assert_int_equal(clock_parse("2026-01-01T00:00:00+00:00", &c), 0);
	assert_int_equal(clock_parse("2026-01-01T01:00:00+01:00", &d), 0);
	assert_int_equal(a, 1767225600000LL);
	assert_int_equal(b, a);
	assert_int_equal(c, a);
	assert_int_equal(d, a);
	assert_int_equal(clock_parse("2026-01-01T00:00:00.5Z", &a), 0);
	assert_int_equal(a, 1767225600500LL);
	assert_int_equal(clock_parse("2026-01-01T00:00:00.123456Z", &a), 0);
	assert_int_equal(a, 1767225600123LL);
}

/* Malformed timestamps are rejected. */
static void test_parse_rejects(void **state)
{
	(void)state;
	long long ms;
	const char *bad[] = {"", "yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01",
			     "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00Zjunk",
			     "2026-01-01T00:00:00+0100"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(clock_parse(bad[i], &ms), -1);
}

/* Formatting gives the millisecond and second forms. */
static void test_format(void **state)
{
	(void)state;
	char out[CLOCK_ISO_LEN];
	clock_format_ms(1767225600123LL, out);
	assert_string_equal(out, "2026-01-01T00:00:00.123Z");
	clock_format_s(1767225600999LL, out);
	assert_string_equal(out, "2026-01-01T00:00:00Z");
}

/* CONVEYOR_NOW fixes the clock; a malformed value is an error; unset means the real clock. */
static void test_fixed_clock(void **state)
{
	(void)state;
	long long ms;
	setenv("CONVEYOR_NOW", "2026-01-01T00:00:05.000Z", 1);
	assert_int_equal(clock_now(&ms), 0);
	assert_int_equal(ms, 1767225605000LL);
	setenv("CONVEYOR_NOW", "soon", 1);
	assert_int_equal(clock_now(&ms), -1);
	unsetenv("CONVEYOR_NOW");
	assert_int_equal(clock_now(&ms), 0);
	assert_true(ms > 1767225600000LL);
}

/* Runs the clock tests. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_fixed_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
