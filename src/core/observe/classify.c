/* Pane classifier tables: each pattern is a row (needles matched
 * case-insensitively, or a matcher function). */
#include "core/observe/classify.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/sb.h"

#define PROMPT_REGION_LINES 12
#define QUIET_EVENT_THRESHOLD 10

/* A row: the hit it yields and when it matches (any needle in the text or
 * region, or the matcher). */
struct classify_row {
	struct classify_hit hit;
	int region_only;        /* match the prompt region, not the whole text */
	const char *needles[4]; /* any of these (case-insensitive); NULL-terminated */
	const char *also;       /* and, when set, this one too */
	int (*match)(const char *region);
};

/* The last PROMPT_REGION_LINES non-empty lines of text, trimmed and lowercased,
 * joined by '\n' (malloc'd). */
static char *classify_region(const char *text)
{
	const int lines = PROMPT_REGION_LINES;
	const char *starts[PROMPT_REGION_LINES];
	size_t lens[PROMPT_REGION_LINES];
	int n = 0;
	for (const char *p = text; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *s = p;
		while (len && isspace((unsigned char)*s))
			s++, len--;
		while (len && isspace((unsigned char)s[len - 1]))
			len--;
		if (len) {
			if (n == lines) {
				memmove(starts, starts + 1, sizeof starts[0] * (size_t)(lines - 1));
				memmove(lens, lens + 1, sizeof lens[0] * (size_t)(lines - 1));
				n--;
			}
			starts[n] = s;
			lens[n++] = len;
		}
		p = e ? e + 1 : p + strlen(p);
	}
	struct sb sb;
	sb_init(&sb);
	for (int i = 0; i < n; i++) {
		if (i)
			sb_addc(&sb, '\n');
		for (size_t k = 0; k < lens[i]; k++)
			sb_addc(&sb, (char)tolower((unsigned char)starts[i][k]));
	}
	return sb_take(&sb);
}

/* Whether the prompt region holds an active approval prompt (the reference
 * rule): lines quoting classifier output are ignored; an approval word and an
 * allow/deny/permission marker must both remain. */
static int classify_active_approval(const char *region)
{
	static const char *const quoted[] = {"approval_prompt", "inspect_or_approve", "notable_pane_pattern"};
	static const char *const markers[] = {"allow",          "deny",           "permission", "requires approval",
	                                      "needs approval", "approve command"};
	struct sb kept;
	sb_init(&kept);
	for (const char *p = region; *p;) {
		const char *e = strchr(p, '\n');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		int skip = 0;
		for (size_t i = 0; i < sizeof quoted / sizeof *quoted && !skip; i++)
			skip = memmem(p, len, quoted[i], strlen(quoted[i])) != NULL;
		if (!skip) {
			sb_addn(&kept, p, len);
			sb_addc(&kept, '\n');
		}
		p = e ? e + 1 : p + len;
	}
	int hit = 0;
	if (kept.buf && (strstr(kept.buf, "approval") || strstr(kept.buf, "approve")))
		for (size_t i = 0; i < sizeof markers / sizeof *markers && !hit; i++)
			hit = strstr(kept.buf, markers[i]) != NULL;
	sb_free(&kept);
	return hit;
}

/* Whether a row matches the whole text or the prompt region. */
static int classify_row_matches(const struct classify_row *row, const char *text, const char *region)
{
	const char *hay = row->region_only ? region : text;
	if (row->match)
		return row->match(region);
	if (row->also && !strcasestr(hay, row->also))
		return 0;
	for (int i = 0; row->needles[i]; i++)
		if (strcasestr(hay, row->needles[i]))
			return 1;
	return 0;
}

/* Busy-wait patterns, first match wins: the reference's six rows (SPEC 5.3) and
 * the Codex 0.169 screens they miss. Only consulted once the worker's status is
 * at least busy_wait_seconds old. */
static const struct classify_row busy_rows[] = {
        {{"mcp_startup", "terminal shows Codex waiting on MCP server startup", "inspect_or_interrupt", 0,
          "mcp_startup"},
         0,
         {"Starting MCP servers"},
         NULL,
         NULL},
        {{"rate_limit_prompt", "terminal shows a rate-limit model switch prompt", "inspect_or_interrupt", 1,
          "rate_limit_prompt"},
         0,
         {"Approaching rate limits"},
         NULL,
         NULL},
        {{"approval_prompt", "terminal shows Codex asking approval to run a command or apply edits",
          "inspect_or_approve", 1, "approval_prompt"},
         1,
         {"Would you like to run the following command?", "Would you like to make the following edits?"},
         NULL,
         NULL},
        {{"enter_to_confirm", "terminal is waiting for Enter confirmation", "inspect_or_confirm", 1,
          "enter_to_confirm"},
         0,
         {"Press enter to confirm"},
         NULL,
         NULL},
        {{"trust_prompt", "terminal is waiting for workspace trust confirmation", "inspect_or_accept_trust", 1,
          "trust_prompt"},
         0,
         {"Do you trust the contents of this directory", "Trust this folder?"},
         NULL,
         NULL},
        {{"plan_prompt", "terminal is waiting at Codex plan-mode suggestion", "inspect_or_confirm", 1, "plan_prompt"},
         0,
         {"Create a plan?"},
         NULL,
         NULL},
        {{"approval_prompt", "terminal appears to mention an approval prompt", "inspect_or_approve", 1,
          "approval_prompt"},
         1,
         {NULL},
         NULL,
         classify_active_approval},
        {{"login_prompt", "terminal is waiting for Codex sign-in", "inspect_or_login", 1, "login_prompt"},
         1,
         {"Sign in with ChatGPT", "Sign in with Device Code"},
         NULL,
         NULL},
        {{"network_retry", "terminal shows Codex retrying an unreachable model server", "inspect_or_interrupt", 0,
          "network_retry"},
         1,
         {"Reconnecting..."},
         NULL,
         NULL},
};

/* Screen states of the real client, first match wins, judged on the prompt
 * region (the last 12 non-empty lines) so that what scrolled away (an old
 * interrupt, an answered prompt) does not count. */
static const struct classify_row screen_rows[] = {
        {{"trust", "Codex asks whether to trust this folder", "inspect_or_accept_trust", 1, "trust_prompt"},
         1,
         {"Trust this folder?", "do you trust the contents of this directory"},
         NULL,
         NULL},
        {{"login", "Codex asks to sign in", "inspect_or_login", 1, "login_prompt"},
         1,
         {"Sign in with ChatGPT", "Sign in with Device Code"},
         NULL,
         NULL},
        {{"approval", "Codex asks for approval to run a command", "inspect_or_approve", 1, "approval_prompt"},
         1,
         {"Would you like to run the following command?", "Would you like to make the following edits?"},
         NULL,
         NULL},
        {{"confirm", "Codex waits for Enter confirmation", "inspect_or_confirm", 1, "enter_to_confirm"},
         1,
         {"Press enter to confirm", "Create a plan?", "Approaching rate limits"},
         NULL,
         NULL},
        {{"network_retry", "Codex is retrying an unreachable model server", "inspect_or_interrupt", 0, NULL},
         1,
         {"Reconnecting..."},
         NULL,
         NULL},
        {{"working", "Codex is working on a turn", "wait_or_interrupt", 0, NULL},
         1,
         {"Working ("},
         "esc to interrupt",
         NULL},
        {{"mcp_startup", "Codex is starting MCP servers", "wait_or_interrupt", 0, NULL},
         1,
         {"Starting MCP servers"},
         NULL,
         NULL},
        {{"interrupted", "the last turn was interrupted", "nudge_or_inspect", 0, NULL},
         1,
         {"Conversation interrupted"},
         NULL,
         NULL},
        {{"ready", "Codex input prompt is visible", "nudge", 0, NULL}, 1, {"\xe2\x80\xba "}, NULL, NULL},
};

static const struct classify_hit quiet_long_running = {
        "long_running_interruptible",
        "terminal shows an interruptible Codex operation while status.json is "
        "stale",
        "inspect_or_interrupt", 0, "long_running_interruptible"};

/* First row of rows[0..n) matching text, or NULL. */
static const struct classify_hit *classify_first(const struct classify_row *rows, size_t n, const char *text)
{
	char *region = classify_region(text);
	const struct classify_hit *hit = NULL;
	for (size_t i = 0; i < n && !hit; i++)
		if (classify_row_matches(&rows[i], text, region))
			hit = &rows[i].hit;
	free(region);
	return hit;
}

/* The busy-wait pattern of a worker whose status is status_age seconds old (-1:
 * unknown), or NULL. */
const struct classify_hit *classify_busy_wait(const char *text, long long status_age, long long busy_wait_seconds,
                                              int recent_event_count)
{
	if (status_age >= 0 && status_age < busy_wait_seconds)
		return NULL;
	const struct classify_hit *hit = classify_first(busy_rows, sizeof busy_rows / sizeof *busy_rows, text);
	if (hit)
		return hit;
	if (status_age >= 0 && strcasestr(text, "esc to interrupt") && recent_event_count < QUIET_EVENT_THRESHOLD)
		return &quiet_long_running;
	return NULL;
}

/* What the screen shows now (trust, login, approval, confirm, network_retry,
 * working, mcp_startup, interrupted, ready), or NULL when no row matches. */
const struct classify_hit *classify_screen(const char *text)
{
	return classify_first(screen_rows, sizeof screen_rows / sizeof *screen_rows, text);
}

/* The startup state of a freshly started client (the reference's
 * classifyStartupOutput, plus the 0.169 trust and sign-in screens):
 * needs_trust, needs_login, ready, working, error or starting; *reason gets a
 * line. */
const char *classify_startup(const char *text, const char **reason)
{
	static const struct {
		const char *state, *needle, *also, *reason;
	} rows[] = {
	        {"needs_trust", "do you trust the contents of this directory", NULL,
	         "Codex is waiting for workspace trust confirmation"},
	        {"needs_trust", "trust this folder?", NULL, "Codex is waiting for workspace trust confirmation"},
	        {"needs_login", "sign in with chatgpt", NULL, "Codex is waiting for sign-in"},
	        {"ready", "openai codex", "\xe2\x80\xba", "Codex input prompt is visible"},
	        {"working", "working", "esc to interrupt", "Codex is already working"},
	        {"error", "error", NULL, "terminal output contains an error-like message"},
	        {"error", "failed", NULL, "terminal output contains an error-like message"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		if (!strcasestr(text, rows[i].needle) || (rows[i].also && !strcasestr(text, rows[i].also)))
			continue;
		*reason = rows[i].reason;
		return rows[i].state;
	}
	const char *p = text;
	while (*p && isspace((unsigned char)*p))
		p++;
	*reason = *p ? "Codex has not reached a recognized startup state" : "terminal output is empty";
	return "starting";
}
