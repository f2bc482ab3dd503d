/* The words a cockpit command runs with in its child (conveyor's own argv: the line's words, the cockpit's --path
 * unless the line names one, --dry-run for a command that would open a cockpit) and what the cockpit shows from
 * the child's exit status, stdout and stderr. (tests/tui/t_keys.sh watches a real child execute conveyor.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tui/tui_job.h"

/* Checks that argv is exactly the NULL-terminated list want. */
static void expect_argv(char **argv, const char *const *want)
{
	assert_non_null(argv);
	int i = 0;
	for (; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
	job_argv_free(argv);
}

/* The line's words after the program name, quoted words kept whole, the database added once. */
static void test_argv(void **state)
{
	(void)state;
	struct err e = {0};
	expect_argv(job_argv("conveyor", "campaign create --name 'a b' --objective \"x\"", "/d/w.db", &e),
		    (const char *const[]){"conveyor", "campaign", "create", "--name", "a b", "--objective", "x", "--path",
					  "/d/w.db", NULL});
	expect_argv(job_argv("workerctl", "tasks --path /other.db", "/d/w.db", &e),
		    (const char *const[]){"workerctl", "tasks", "--path", "/other.db", NULL});
	expect_argv(job_argv("conveyor", "tui --ensure-dispatch", "/d/w.db", &e),
		    (const char *const[]){"conveyor", "tui", "--ensure-dispatch", "--path", "/d/w.db", "--dry-run", NULL});
	expect_argv(job_argv("conveyor", "dashboard --dry-run", "/d/w.db", &e),
		    (const char *const[]){"conveyor", "dashboard", "--dry-run", "--path", "/d/w.db", NULL});
	expect_argv(job_argv("conveyor", "", "/d/w.db", &e), (const char *const[]){"conveyor", "--path", "/d/w.db", NULL});
	assert_null(job_argv("conveyor", "campaign 'open", "/d/w.db", &e));
	assert_string_equal(e.msg, "unterminated single quote");
}

/* A job as the loop leaves it after the child exited with status, having written out and err. */
static struct tui_job finished(int status, const char *out, const char *err)
{
	struct tui_job j;
	memset(&j, 0, sizeof j);
	j.out_fd = j.err_fd = -1;
	j.reaped = 1;
	j.status = status;
	sb_init(&j.out);
	sb_init(&j.err);
	sb_adds(&j.out, out);
	sb_adds(&j.err, err);
	return j;
}

/* Success shows stdout; failure the error line without its newline (or nothing: "failed" is the caller's); a
 * result printed with a non-zero status (doctor's "not ok") is shown as a result, as before. */
static void test_result(void **state)
{
	(void)state;
	const char *text;
	struct tui_job j = finished(0, "campaign launch created\n", "notice\n");
	assert_int_equal(job_result(&j, &text), 0);
	assert_string_equal(text, "campaign launch created\n");
	job_end(&j);
	j = finished(2, "", "Unsupported campaign action: frob\n");
	assert_int_equal(job_result(&j, &text), 2);
	assert_string_equal(text, "Unsupported campaign action: frob");
	job_end(&j);
	j = finished(1, "doctor: not ok\n", "doctor: not ok: codex\n");
	assert_int_equal(job_result(&j, &text), 0);
	assert_string_equal(text, "doctor: not ok\n");
	job_end(&j);
	j = finished(137, "", "");
	assert_int_equal(job_result(&j, &text), 137);
	assert_string_equal(text, "");
	job_end(&j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_argv),
		cmocka_unit_test(test_result),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
