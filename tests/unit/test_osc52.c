/* Unit tests of the clipboard escape builder (src/tui/osc52.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/osc52.h"

/* Asserts that the OSC 52 escape of text carries want as its base64. */
static void assert_osc52(const char *text, const char *want)
{
	char *s = osc52_sequence(text, strlen(text));
	char expect[128];
	snprintf(expect, sizeof expect, "\033]52;c;%s\a", want);
	assert_string_equal(s, expect);
	free(s);
}

/* The payload is RFC 4648 base64, padded (the RFC's test vectors, then UTF-8 and a newline). */
static void test_base64(void **state)
{
	(void)state;
	assert_osc52("", "");
	assert_osc52("f", "Zg==");
	assert_osc52("fo", "Zm8=");
	assert_osc52("foo", "Zm9v");
	assert_osc52("foob", "Zm9vYg==");
	assert_osc52("fooba", "Zm9vYmE=");
	assert_osc52("foobar", "Zm9vYmFy");
	assert_osc52("\xe6\x97\xa5\n\xff", "5pelCv8=");
}

/* Text over OSC52_MAX is refused rather than sent truncated. */
static void test_too_long(void **state)
{
	(void)state;
	char *big = calloc(OSC52_MAX + 1, 1);
	char *s = osc52_sequence(big, OSC52_MAX);
	assert_non_null(s);
	free(s);
	assert_null(osc52_sequence(big, OSC52_MAX + 1));
	free(big);
}

/* The tmux argv passes the text as one argument after "--", so a leading '-' is not an option. */
static void test_tmux_argv(void **state)
{
	(void)state;
	const char *argv[6];
	osc52_tmux_argv("-x; rm -rf /", argv);
	assert_string_equal(argv[0], "tmux");
	assert_string_equal(argv[1], "set-buffer");
	assert_string_equal(argv[2], "-w");
	assert_string_equal(argv[3], "--");
	assert_string_equal(argv[4], "-x; rm -rf /");
	assert_null(argv[5]);
	setenv("TMUX", "/tmp/tmux-0/default,1,0", 1);
	assert_true(osc52_in_tmux());
	setenv("TMUX", "", 1);
	assert_false(osc52_in_tmux());
	unsetenv("TMUX");
	assert_false(osc52_in_tmux());
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_tmux_argv),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
