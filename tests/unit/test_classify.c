/* Unit tests of the pane classifier (SPEC 5.3 plus the Codex 0.169 screens): every recorded 0.169 screen is a
 * row of one table (screen state, startup state, busy-wait pattern), then every reference rule row by row: the
 * busy-wait patterns and their order, the status-age gate, the active-approval rule with its filtered transcript
 * tokens and its 12-line region, long_running_interruptible and the recent-event threshold, and every startup
 * state. The fixtures are found next to this source file (or under $CONVEYOR_FIXTURES). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/observe/classify.h"
#include "util/sb.h"

/* The directory of the recorded Codex 0.169 screens. */
static void panes_dir(char *out, size_t len)
{
	const char *env = getenv("CONVEYOR_FIXTURES");
	if (env && *env) {
		snprintf(out, len, "%s/codex-0.169/panes", env);
		return;
	}
	const char *file = __FILE__;
	const char *slash = strrchr(file, '/');
	int dir = slash ? (int)(slash - file) : 1;
	snprintf(out, len, "%.*s/../fixtures/codex-0.169/panes", dir, slash ? file : ".");
}

/* Reads a pane fixture into memory (caller frees); fails the test when it is missing. */
static char *read_pane(const char *name)
{
	char dir[1024], path[1200];
	panes_dir(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open fixture %s", path);
	struct sb sb;
	sb_init(&sb);
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	if (!sb.buf)
		sb_adds(&sb, "");
	return sb_take(&sb);
}

/* Replaces the first occurrence of from in text by to (returns a new string; text is freed). */
static char *replace(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from);
	if (!at)
		fail_msg("fixture text has no '%s'", from);
	struct sb sb;
	sb_init(&sb);
	sb_addn(&sb, text, (size_t)(at - text));
	sb_adds(&sb, to);
	sb_adds(&sb, at + strlen(from));
	free(text);
	return sb_take(&sb);
}

/* ---- every recorded screen ------------------------------------------------------------------------------ */

/* One recorded screen: what an operator should be told about it. busy is the busy-wait pattern at status age 120
 * with busy-wait 90 and no recent events. The startup state follows the reference order (ready before working,
 * and "ready" needs the "OpenAI Codex" banner), which is only meaningful for a freshly started client. */
struct pane_case {
	const char *file;
	const char *screen; /* screen state, or NULL when nothing is recognized */
	const char *startup;
	const char *busy;   /* busy-wait pattern, or NULL */
};

static const struct pane_case pane_cases[] = {
	/* the welcome screen with the composer: ready */
	{"01-first-start.txt", "ready", "ready", NULL},
	{"02-idle-prompt.txt", "ready", "ready", NULL},
	/* text typed but not submitted: the composer still takes input */
	{"03-typed-not-submitted.txt", "ready", "ready", NULL},
	/* "Working (1s • esc to interrupt)": the placeholder under it does not mean idle */
	{"04-busy.txt", "working", "ready", "long_running_interruptible"},
	{"04b-busy.txt", "working", "ready", "long_running_interruptible"},
	{"05-idle-after-turn.txt", "ready", "ready", NULL},
	/* a second turn sampled over time: Working while it shows (t01-t07) ... */
	{"06-turn2-t01.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t02.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t03.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t04.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t05.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t06.txt", "working", "ready", "long_running_interruptible"},
	{"06-turn2-t07.txt", "working", "ready", "long_running_interruptible"},
	/* ... then the reply streams with no Working line (t08-t09, the turn is still open: only the rollout can
	 * tell, the screen looks exactly like 05) and the turn ends with "Worked for 10s" (t10-t12) */
	{"06-turn2-t08.txt", "ready", "ready", NULL},
	{"06-turn2-t09.txt", "ready", "ready", NULL},
	{"06-turn2-t10.txt", "ready", "ready", NULL},
	{"06-turn2-t11.txt", "ready", "ready", NULL},
	{"06-turn2-t12.txt", "ready", "ready", NULL},
	/* despite its name, a finished turn whose user message said "approve: ..."; no prompt is on screen */
	{"07-approval.txt", "ready", "ready", NULL},
	/* the client exited: a shell, nothing of Codex's to classify */
	{"08-after-quit.txt", NULL, "starting", NULL},
	/* "Trust this folder?" with "1. Trust and continue" */
	{"09-git-first-start.txt", "trust", "needs_trust", "trust_prompt"},
	{"10-after-trust.txt", "ready", "ready", NULL},
	/* "Would you like to run the following command?" ... "Press enter to confirm or esc to cancel": a command
	 * approval; Enter approves it, so the operator must be told it is an approval, not a mere confirmation */
	{"11-approval.txt", "approval", "ready", "approval_prompt"},
	/* "✔ You approved codex to run ..." and the turn finished */
	{"12-after-approve.txt", "ready", "ready", NULL},
	{"13-busy-before-esc.txt", "working", "ready", "long_running_interruptible"},
	{"14-after-esc.txt", "interrupted", "ready", NULL},
	/* after the interrupt, text typed into the composer: the interrupt is still the news */
	{"15-A.txt", "interrupted", "ready", NULL},
	/* scrolled screens (no banner): the startup classifier cannot say ready */
	{"16-queued-while-busy.txt", "ready", "starting", NULL},
	{"17-after-queued.txt", "ready", "starting", NULL},
	{"18-login-screen.txt", "login", "needs_login", "login_prompt"},
	/* "Reconnecting... waiting for network (5s • esc to interrupt)" / "Connection failed: error ..." */
	{"19-server-down.txt", "network_retry", "error", "network_retry"},
	{"20-server-back.txt", "ready", "starting", NULL},
};

/* What a screen state amounts to as a notable pattern, and whether it needs a person. */
static void expect_screen_meta(const struct classify_hit *h, const char *file)
{
	static const struct {
		const char *state, *notable;
		int needs_you;
	} meta[] = {
		{"trust", "trust_prompt", 1},   {"login", "login_prompt", 1},        {"approval", "approval_prompt", 1},
		{"confirm", "enter_to_confirm", 1}, {"network_retry", NULL, 0},      {"working", NULL, 0},
		{"mcp_startup", NULL, 0},       {"interrupted", NULL, 0},            {"ready", NULL, 0},
	};
	for (size_t i = 0; i < sizeof meta / sizeof *meta; i++) {
		if (strcmp(meta[i].state, h->pattern) != 0)
			continue;
		if (meta[i].needs_you != h->needs_you)
			fail_msg("%s: screen %s needs_you %d, expected %d", file, h->pattern, h->needs_you,
				 meta[i].needs_you);
		if ((meta[i].notable == NULL) != (h->notable == NULL) ||
		    (meta[i].notable && strcmp(meta[i].notable, h->notable) != 0))
			fail_msg("%s: screen %s amounts to %s, expected %s", file, h->pattern,
				 h->notable ? h->notable : "(none)", meta[i].notable ? meta[i].notable : "(none)");
		assert_true(h->reason && *h->reason);
		assert_true(h->recommended_action && *h->recommended_action);
		return;
	}
	fail_msg("%s: unknown screen state %s", file, h->pattern);
}

/* Every row: screen state, startup state and busy-wait pattern; all mismatches are listed before failing. */
static void test_every_recorded_screen(void **state)
{
	(void)state;
	int bad = 0;
	for (size_t i = 0; i < sizeof pane_cases / sizeof *pane_cases; i++) {
		const struct pane_case *c = &pane_cases[i];
		char *text = read_pane(c->file);
		const struct classify_hit *screen = classify_screen(text);
		const char *reason = NULL;
		const char *startup = classify_startup(text, &reason);
		const struct classify_hit *busy = classify_busy_wait(text, 120, 90, 0);
		const char *got_screen = screen ? screen->pattern : NULL, *got_busy = busy ? busy->pattern : NULL;
		int ok = ((!c->screen && !got_screen) || (c->screen && got_screen && !strcmp(c->screen, got_screen))) &&
			 !strcmp(c->startup, startup) &&
			 ((!c->busy && !got_busy) || (c->busy && got_busy && !strcmp(c->busy, got_busy)));
		if (!ok) {
			print_message("  MISCLASSIFIED %s: screen %s (expected %s), startup %s (expected %s), busy %s "
				      "(expected %s)\n",
				      c->file, got_screen ? got_screen : "NULL", c->screen ? c->screen : "NULL", startup,
				      c->startup, got_busy ? got_busy : "NULL", c->busy ? c->busy : "NULL");
			bad++;
		}
		assert_true(reason && *reason);
		if (screen)
			expect_screen_meta(screen, c->file);
		/* a fresh status never yields a busy-wait pattern, whatever the screen */
		assert_null(classify_busy_wait(text, 0, 90, 0));
		assert_null(classify_busy_wait(text, 89, 90, 0));
		free(text);
	}
	if (bad)
		fail_msg("%d recorded screen(s) misclassified", bad);
}

/* The table names every file of the fixture directory, and nothing else. */
static void test_table_covers_every_fixture(void **state)
{
	(void)state;
	char dir[1024];
	panes_dir(dir, sizeof dir);
	DIR *d = opendir(dir);
	if (!d)
		fail_msg("cannot open %s", dir);
	struct dirent *de;
	size_t files = 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		size_t i = 0;
		while (i < sizeof pane_cases / sizeof *pane_cases && strcmp(pane_cases[i].file, de->d_name) != 0)
			i++;
		if (i == sizeof pane_cases / sizeof *pane_cases) {
			closedir(d);
			fail_msg("fixture %s has no row in pane_cases", de->d_name);
		}
	}
	closedir(d);
	assert_int_equal(files, sizeof pane_cases / sizeof *pane_cases);
}

/* Screens judged on the last 12 non-empty lines: what scrolled away no longer counts. */
static void test_screen_region(void **state)
{
	(void)state;
	/* an interrupt followed by a whole new turn: ready again */
	char *text = read_pane("14-after-esc.txt");
	struct sb sb;
	sb_init(&sb);
	sb_adds(&sb, text);
	free(text);
	for (int i = 0; i < 6; i++)
		sb_adds(&sb, "\u203a another turn\n\u2022 Done: status updated.\n\n");
	sb_adds(&sb, "\u203a Ask Codex to do anything\n");
	const struct classify_hit *h = classify_screen(sb.buf);
	assert_non_null(h);
	assert_string_equal(h->pattern, "ready");
	sb_free(&sb);
	/* blank lines do not push a prompt out of the region */
	sb_init(&sb);
	sb_adds(&sb, "Would you like to run the following command?\n");
	for (int i = 0; i < 40; i++)
		sb_adds(&sb, "\n   \n");
	sb_adds(&sb, "\u203a 1. Yes, proceed (y)\n");
	h = classify_screen(sb.buf);
	assert_non_null(h);
	assert_string_equal(h->pattern, "approval");
	assert_int_equal(h->needs_you, 1);
	/* ... but 12 non-empty lines do */
	sb_free(&sb);
	sb_init(&sb);
	sb_adds(&sb, "Would you like to run the following command?\n");
	for (int i = 0; i < 12; i++)
		sb_adds(&sb, "\u2022 output line\n");
	h = classify_screen(sb.buf);
	assert_null(h);
	sb_free(&sb);
	/* nothing at all */
	assert_null(classify_screen(""));
	assert_null(classify_screen("\n\n   \n"));
}

/* Each screen state from a minimal text, in the table's order of precedence. */
static void test_screen_states(void **state)
{
	(void)state;
	static const struct {
		const char *text, *state;
	} rows[] = {
		{"Trust this folder? Codex can read\n\u203a 1. Trust and continue", "trust"},
		{"Do you trust the contents of this directory?", "trust"},
		{"> 1. Sign in with ChatGPT\n  2. Sign in with Device Code", "login"},
		{"  2. Sign in with Device Code", "login"},
		{"Would you like to run the following command?\n$ rm -rf build\nPress enter to confirm or esc to cancel",
		 "approval"},
		{"Would you like to make the following edits?\nPress enter to confirm", "approval"},
		{"Press enter to confirm", "confirm"},
		{"Create a plan?", "confirm"},
		{"Approaching rate limits\nswitch to a smaller model?", "confirm"},
		{"\u25e6 Reconnecting... waiting for network (5s \u2022 esc to interrupt)", "network_retry"},
		{"\u2022 Working (4s \u2022 esc to interrupt)\n\u203a Ask Codex to do anything", "working"},
		{"Starting MCP servers (1/2)", "mcp_startup"},
		{"\u25a0 Conversation interrupted - use /feedback\n\u203a Ask Codex to do anything", "interrupted"},
		{"\u203a Ask Codex to do anything", "ready"},
		/* order: trust before login before approval before confirm before working before ready */
		{"Trust this folder?\nSign in with ChatGPT", "trust"},
		{"Sign in with ChatGPT\nPress enter to confirm", "login"},
		{"Would you like to run the following command?\nPress enter to confirm", "approval"},
		{"Press enter to confirm\n\u2022 Working (4s \u2022 esc to interrupt)", "confirm"},
		{"Reconnecting...\n\u2022 Working (4s \u2022 esc to interrupt)", "network_retry"},
		{"Conversation interrupted\n\u203a next\n\u2022 Working (1s \u2022 esc to interrupt)\n\u203a Ask", "working"},
		{"Conversation interrupted\n\u203a Ask", "interrupted"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const struct classify_hit *h = classify_screen(rows[i].text);
		print_message("  %s\n", rows[i].state);
		assert_non_null(h);
		assert_string_equal(h->pattern, rows[i].state);
		expect_screen_meta(h, rows[i].text);
	}
	/* "Working" needs "esc to interrupt" too; an ASCII '>' is not the composer */
	assert_null(classify_screen("Working (4s)"));
	assert_null(classify_screen("> Ask Codex to do anything"));
}

/* Words of the transcript are not a prompt: a user message or a reply that says "approve" next to the welcome
 * banner's "/permissions - choose what Codex is allowed to do" (or a reply about a permission) is no approval
 * prompt on a screen that shows Codex working or ready. */
static void test_transcript_words_are_not_an_approval_screen(void **state)
{
	(void)state;
	char *busy = replace(read_pane("04-busy.txt"), "update status slow", "approve the release notes");
	const struct classify_hit *h = classify_screen(busy);
	assert_non_null(h);
	if (strcmp(h->pattern, "working") != 0)
		fail_msg("04-busy.txt with the user message 'approve the release notes': screen %s, expected working",
			 h->pattern);
	free(busy);
	char *typed = replace(read_pane("03-typed-not-submitted.txt"), "update status slow", "approve the plan");
	h = classify_screen(typed);
	assert_non_null(h);
	if (strcmp(h->pattern, "ready") != 0)
		fail_msg("03-typed-not-submitted.txt with 'approve the plan' typed: screen %s, expected ready",
			 h->pattern);
	free(typed);
	char *done = replace(read_pane("12-after-approve.txt"), "Done: status updated.",
			     "Done: the first write hit permission denied, the retry worked.");
	h = classify_screen(done);
	assert_non_null(h);
	if (strcmp(h->pattern, "ready") != 0)
		fail_msg("12-after-approve.txt with a reply mentioning 'permission denied': screen %s, expected ready",
			 h->pattern);
	free(done);
}

/* ---- SPEC 5.3 busy-wait rows ---------------------------------------------------------------------------- */

/* One busy-wait row: text, status age (-1 unknown), threshold, recent events, expected pattern (NULL: none). */
struct busy_case {
	const char *name;
	const char *text;
	long long age, busy_wait;
	int recent;
	const char *pattern, *action, *reason;
};

#define R_MCP "terminal shows Codex waiting on MCP server startup"
#define R_RATE "terminal shows a rate-limit model switch prompt"
#define R_ENTER "terminal is waiting for Enter confirmation"
#define R_TRUST "terminal is waiting for workspace trust confirmation"
#define R_PLAN "terminal is waiting at Codex plan-mode suggestion"
#define R_APPROVE "terminal appears to mention an approval prompt"
#define R_LONG "terminal shows an interruptible Codex operation while status.json is stale"

static const struct busy_case busy_cases[] = {
	/* each reference pattern, with its reason and action, matched case-insensitively */
	{"mcp_startup", "Starting MCP servers (0/1)", 120, 90, 0, "mcp_startup", "inspect_or_interrupt", R_MCP},
	{"mcp_startup lower", "starting mcp servers", 120, 90, 0, "mcp_startup", "inspect_or_interrupt", R_MCP},
	{"rate_limit_prompt", "Approaching rate limits\nSwitch to gpt-mini?", 120, 90, 0, "rate_limit_prompt",
	 "inspect_or_interrupt", R_RATE},
	{"enter_to_confirm", "PRESS ENTER TO CONFIRM", 120, 90, 0, "enter_to_confirm", "inspect_or_confirm", R_ENTER},
	{"trust_prompt", "Do you trust the contents of this directory?", 120, 90, 0, "trust_prompt",
	 "inspect_or_accept_trust", R_TRUST},
	{"trust_prompt 0.169", "Trust this folder? Codex can read, edit, and run files here", 120, 90, 0,
	 "trust_prompt", "inspect_or_accept_trust", R_TRUST},
	{"plan_prompt", "Create a plan? shift + tab use Plan mode esc dismiss", 120, 90, 0, "plan_prompt",
	 "inspect_or_confirm", R_PLAN},
	{"approval_prompt", "Approve command?\n  allow once\n  deny", 120, 90, 0, "approval_prompt",
	 "inspect_or_approve", R_APPROVE},
	/* the order of the reference table: first match wins */
	{"mcp before enter", "Press enter to confirm\nStarting MCP servers", 120, 90, 0, "mcp_startup",
	 "inspect_or_interrupt", R_MCP},
	{"rate before enter", "Press enter to confirm\nApproaching rate limits", 120, 90, 0, "rate_limit_prompt",
	 "inspect_or_interrupt", R_RATE},
	{"enter before trust", "Do you trust the contents of this directory\nPress enter to confirm", 120, 90, 0,
	 "enter_to_confirm", "inspect_or_confirm", R_ENTER},
	{"trust before plan", "Create a plan?\nDo you trust the contents of this directory", 120, 90, 0,
	 "trust_prompt", "inspect_or_accept_trust", R_TRUST},
	{"plan before approval", "Approve command? allow\nCreate a plan?", 120, 90, 0, "plan_prompt",
	 "inspect_or_confirm", R_PLAN},
	{"approval before long-running", "requires approval: allow?\nWorking (9s \u2022 esc to interrupt)", 120, 90,
	 0, "approval_prompt", "inspect_or_approve", R_APPROVE},
	/* the status-age gate: a known age below the threshold hides every pattern; at the threshold it shows;
	 * an unknown age does not hide the text patterns */
	{"gate: age below threshold", "Starting MCP servers", 89, 90, 0, NULL, NULL, NULL},
	{"gate: age 0", "Press enter to confirm", 0, 90, 0, NULL, NULL, NULL},
	{"gate: age equal to threshold", "Press enter to confirm", 90, 90, 0, "enter_to_confirm",
	 "inspect_or_confirm", R_ENTER},
	{"gate: threshold 0", "Press enter to confirm", 0, 0, 0, "enter_to_confirm", "inspect_or_confirm", R_ENTER},
	{"gate: unknown age", "Press enter to confirm", -1, 90, 0, "enter_to_confirm", "inspect_or_confirm", R_ENTER},
	{"gate: unknown age approval", "approve? allow", -1, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	/* the active-approval rule: an approval word and a marker, both in the prompt region */
	{"approval: marker allow", "Approval needed\nallow", 120, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	{"approval: marker deny", "approve it?\n[deny]", 120, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	{"approval: marker permission", "APPROVE\nPermission to write /etc", 120, 90, 0, "approval_prompt",
	 "inspect_or_approve", R_APPROVE},
	{"approval: marker requires approval", "This command requires approval", 120, 90, 0, "approval_prompt",
	 "inspect_or_approve", R_APPROVE},
	{"approval: marker needs approval", "the patch needs approval", 120, 90, 0, "approval_prompt",
	 "inspect_or_approve", R_APPROVE},
	{"approval: marker approve command", "Approve command", 120, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	{"approval: word without marker", "approval pending\nyes / no", 120, 90, 0, NULL, NULL, NULL},
	{"approval: marker without word", "allow network access? deny", 120, 90, 0, NULL, NULL, NULL},
	{"approval: quoted token approval_prompt dropped", "notable approval_prompt: allow", 120, 90, 0, NULL, NULL,
	 NULL},
	{"approval: quoted token inspect_or_approve dropped", "inspect_or_approve (deny)", 120, 90, 0, NULL, NULL,
	 NULL},
	{"approval: quoted token notable_pane_pattern dropped",
	 "\"notable_pane_pattern\": \"approval_prompt\"\n\"recommended_action\": \"allow\"", 120, 90, 0, NULL, NULL,
	 NULL},
	{"approval: only the quoting line is dropped", "notable_pane_pattern was null\napprove? allow", 120, 90, 0,
	 "approval_prompt", "inspect_or_approve", R_APPROVE},
	{"approval: word and marker split across kept lines", "cycle said approval_prompt\nplease approve\nallow",
	 120, 90, 0, "approval_prompt", "inspect_or_approve", R_APPROVE},
	{"approval: word scrolled out of the last 12 lines",
	 "approve?\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nallow", 120, 90, 0, NULL, NULL, NULL},
	{"approval: word is the 12th line from the end",
	 "approve?\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\nallow", 120, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	{"approval: blank lines do not count",
	 "approve?\n\n\n   \n\n\n\n\n\n\n\n\n\n\n\n\n\n\nallow", 120, 90, 0, "approval_prompt", "inspect_or_approve",
	 R_APPROVE},
	/* long_running_interruptible: only with a known stale age, and only while fewer than 10 events arrived */
	{"long-running", "\u2022 Working (300s \u2022 esc to interrupt)", 120, 90, 0, "long_running_interruptible",
	 "inspect_or_interrupt", R_LONG},
	{"long-running: 9 recent events", "esc to interrupt", 90, 90, 9, "long_running_interruptible",
	 "inspect_or_interrupt", R_LONG},
	{"long-running: 10 recent events", "esc to interrupt", 120, 90, 10, NULL, NULL, NULL},
	{"long-running: 500 recent events", "Esc To Interrupt", 120, 90, 500, NULL, NULL, NULL},
	{"long-running: unknown age", "esc to interrupt", -1, 90, 0, NULL, NULL, NULL},
	{"long-running: fresh", "esc to interrupt", 30, 90, 0, NULL, NULL, NULL},
	{"long-running: patterns ignore recent events", "Starting MCP servers\nesc to interrupt", 120, 90, 50,
	 "mcp_startup", "inspect_or_interrupt", R_MCP},
	/* nothing notable */
	{"plain text", "all done", 120, 90, 0, NULL, NULL, NULL},
	{"empty text", "", 120, 90, 0, NULL, NULL, NULL},
	{"empty text, unknown age", "", -1, 90, 0, NULL, NULL, NULL},
};

/* Every busy-wait row. */
static void test_busy_wait_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof busy_cases / sizeof *busy_cases; i++) {
		const struct busy_case *c = &busy_cases[i];
		print_message("  %s\n", c->name);
		const struct classify_hit *h = classify_busy_wait(c->text, c->age, c->busy_wait, c->recent);
		if (!c->pattern) {
			if (h)
				fail_msg("%s: got %s, expected none", c->name, h->pattern);
			continue;
		}
		if (!h)
			fail_msg("%s: got none, expected %s", c->name, c->pattern);
		assert_string_equal(h->pattern, c->pattern);
		assert_string_equal(h->recommended_action, c->action);
		assert_string_equal(h->reason, c->reason);
	}
}

/* The 0.169 busy-wait rows: sign-in and network retry, matched in the prompt region. */
static void test_busy_wait_0169_rows(void **state)
{
	(void)state;
	const struct classify_hit *h = classify_busy_wait("Welcome\n> 1. Sign in with ChatGPT", 120, 90, 0);
	assert_non_null(h);
	assert_string_equal(h->pattern, "login_prompt");
	assert_string_equal(h->recommended_action, "inspect_or_login");
	h = classify_busy_wait("\u25e6 Reconnecting... waiting for network (5s \u2022 esc to interrupt)", 120, 90, 50);
	assert_non_null(h);
	assert_string_equal(h->pattern, "network_retry");
	assert_string_equal(h->recommended_action, "inspect_or_interrupt");
	assert_null(classify_busy_wait("Sign in with ChatGPT", 10, 90, 0));
}

/* ---- startup states ------------------------------------------------------------------------------------- */

static void test_startup_states(void **state)
{
	(void)state;
	static const struct {
		const char *text, *state, *reason;
	} rows[] = {
		{"Do you trust the contents of this directory?", "needs_trust",
		 "Codex is waiting for workspace trust confirmation"},
		{"DO YOU TRUST THE CONTENTS OF THIS DIRECTORY", "needs_trust",
		 "Codex is waiting for workspace trust confirmation"},
		{"Trust this folder? Codex can read", "needs_trust", "Codex is waiting for workspace trust confirmation"},
		{"> 1. Sign in with ChatGPT", "needs_login", "Codex is waiting for sign-in"},
		{">_ OpenAI Codex (v0.169.0)\n\u203a Ask Codex to do anything", "ready", "Codex input prompt is visible"},
		{"openai codex \u203a", "ready", "Codex input prompt is visible"},
		/* trust wins over ready; ready wins over working (the placeholder shows while busy) */
		{">_ OpenAI Codex\nDo you trust the contents of this directory\n\u203a 1. Yes", "needs_trust",
		 "Codex is waiting for workspace trust confirmation"},
		{">_ OpenAI Codex\n\u2022 Working (1s \u2022 esc to interrupt)\n\u203a Ask", "ready",
		 "Codex input prompt is visible"},
		/* ready needs both the banner and the raw U+203A */
		{">_ OpenAI Codex\n> Ask Codex", "starting", "Codex has not reached a recognized startup state"},
		{"\u203a Ask Codex to do anything", "starting", "Codex has not reached a recognized startup state"},
		{"\u2022 Working (1s \u2022 esc to interrupt)", "working", "Codex is already working"},
		{"WORKING ... ESC TO INTERRUPT", "working", "Codex is already working"},
		{"working", "starting", "Codex has not reached a recognized startup state"},
		{"working\nerror: boom\nesc to interrupt", "working", "Codex is already working"},
		{"Error: no API key", "error", "terminal output contains an error-like message"},
		{"request FAILED", "error", "terminal output contains an error-like message"},
		{"", "starting", "terminal output is empty"},
		{"  \n\t \n", "starting", "terminal output is empty"},
		{"loading...", "starting", "Codex has not reached a recognized startup state"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		const char *reason = NULL;
		print_message("  %s\n", rows[i].state);
		assert_string_equal(classify_startup(rows[i].text, &reason), rows[i].state);
		assert_string_equal(reason, rows[i].reason);
	}
}

/* A huge screen (far more than 12 lines, very long lines) is classified without trouble. */
static void test_large_text(void **state)
{
	(void)state;
	struct sb sb;
	sb_init(&sb);
	for (int i = 0; i < 20000; i++)
		sb_adds(&sb, "\u2022 a line of output that goes on and on\n");
	for (int i = 0; i < 100000; i++)
		sb_addc(&sb, 'x');
	sb_adds(&sb, "\n\u2022 Working (4s \u2022 esc to interrupt)\n\u203a Ask Codex to do anything\n");
	const struct classify_hit *h = classify_screen(sb.buf);
	assert_non_null(h);
	assert_string_equal(h->pattern, "working");
	h = classify_busy_wait(sb.buf, 200, 90, 0);
	assert_non_null(h);
	assert_string_equal(h->pattern, "long_running_interruptible");
	sb_free(&sb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_every_fixture),
		cmocka_unit_test(test_every_recorded_screen),
		cmocka_unit_test(test_screen_region),
		cmocka_unit_test(test_screen_states),
		cmocka_unit_test(test_transcript_words_are_not_an_approval_screen),
		cmocka_unit_test(test_busy_wait_rows),
		cmocka_unit_test(test_busy_wait_0169_rows),
		cmocka_unit_test(test_startup_states),
		cmocka_unit_test(test_large_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
