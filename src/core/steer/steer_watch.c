/* What steering watches: the worker's rollout after a byte mark, and its captured screen. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/observe/classify.h"
#include "core/steer/steer.h"
#include "util/sb.h"

#define STEER_PROBE_BYTES 16
#define STEER_PROMPT "\xe2\x80\xba"            /* the "›" that starts Codex's input line */
#define STEER_PASTED "[Pasted Content"         /* what Codex shows instead of a long paste */

/* The rollout's size in bytes: the mark after which a new record must come from this delivery; -1 when the
 * worker has no readable rollout. */
long long steer_rollout_size(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

/* A rollout scan: the state looked for, whether it was seen, and the last state of any kind. */
struct steer_scan {
	enum rollout_state want;
	int seen;
	enum rollout_state last;
};

/* rollout_line_fn: notes the turn state a line implies; stops once the wanted state is seen. */
static int steer_scan_line(void *arg, const char *line, size_t len, long long start)
{
	(void)start;
	struct steer_scan *scan = arg;
	struct rollout_event ev;
	if (rollout_event_parse(line, len, &ev) != 0)
		return 0;
	enum rollout_state st = rollout_state_of(ev.type, ev.subtype, ev.payload);
	cJSON_Delete(ev.record);
	if (st != ROLLOUT_NONE)
		scan->last = st;
	scan->seen = scan->want != ROLLOUT_NONE && st == scan->want;
	return scan->seen;
}

/* Whether a complete record implying state want was written at or after byte from. */
int steer_rollout_saw(const char *path, long long from, enum rollout_state want)
{
	struct steer_scan scan = {want, 0, ROLLOUT_NONE};
	struct err e = {0};
	if (!path || from < 0 || rollout_each_line(path, from, steer_scan_line, &scan, &e) < 0)
		return 0;
	return scan.seen;
}

/* The turn state the whole rollout ends in (ROLLOUT_NONE when it has no turn record or cannot be read). */
enum rollout_state steer_rollout_last(const char *path)
{
	struct steer_scan scan = {ROLLOUT_NONE, 0, ROLLOUT_NONE};
	struct err e = {0};
	if (!path || rollout_each_line(path, 0, steer_scan_line, &scan, &e) < 0)
		return ROLLOUT_NONE;
	return scan.last;
}

/* How many times needle occurs in hay (0 for an empty needle). */
int steer_count(const char *hay, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);
	for (const char *p = hay; len && (p = strstr(p, needle)); p += len)
		n++;
	return n;
}

/* The first (tail = 0) or last non-blank line of text, trimmed: start and length in *line, *len. */
static void steer_edge_line(const char *text, int tail, const char **line, size_t *len)
{
	*line = text;
	*len = 0;
	for (const char *p = text; *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		while (n && (unsigned char)*s <= ' ')
			s++, n--;
		while (n && (unsigned char)s[n - 1] <= ' ')
			n--;
		if (n) {
			*line = s;
			*len = n;
			if (!tail)
				return;
		}
		p = end ? end + 1 : p + strlen(p);
	}
}

/* A short piece of text to look for on the screen: at most STEER_PROBE_BYTES from the start of its first
 * non-blank line (or the end of its last), without control characters and never splitting a UTF-8 character;
 * caller frees. */
char *steer_probe(const char *text, int tail)
{
	const char *line;
	size_t len;
	steer_edge_line(text, tail, &line, &len);
	size_t from = 0, to = len;
	if (len > STEER_PROBE_BYTES) {
		if (tail)
			from = len - STEER_PROBE_BYTES;
		else
			to = STEER_PROBE_BYTES;
	}
	while (from < len && ((unsigned char)line[from] & 0xC0) == 0x80)
		from++;
	while (to < len && to > from && ((unsigned char)line[to] & 0xC0) == 0x80)
		to--;
	struct sb sb;
	sb_init(&sb);
	for (size_t i = from; i < to; i++)
		if ((unsigned char)line[i] >= ' ' && line[i] != 0x7F)
			sb_addc(&sb, line[i]);
	return sb_take(&sb);
}

/* Whether the input line (the last screen line starting with "›") still shows the typed text: its head, or
 * the placeholder Codex shows for a long paste. */
int steer_input_holds(const char *screen, const char *head)
{
	const char *input = NULL;
	size_t input_len = 0;
	for (const char *p = screen; *p;) {
		const char *end = strchr(p, '\n');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		const char *s = p;
		while (s < p + n && *s == ' ')
			s++;
		if ((size_t)(p + n - s) >= 3 && memcmp(s, STEER_PROMPT, 3) == 0) {
			input = s;
			input_len = (size_t)(p + n - s);
		}
		p = end ? end + 1 : p + n;
	}
	if (!input || !*head)
		return 0;
	return memmem(input, input_len, head, strlen(head)) != NULL ||
	       memmem(input, input_len, STEER_PASTED, strlen(STEER_PASTED)) != NULL;
}

/* Whether the screen shows a running turn (working, starting MCP servers, or retrying the model server). */
int steer_screen_busy(const char *screen)
{
	const struct classify_hit *hit = classify_screen(screen);
	return hit && (strcmp(hit->pattern, "working") == 0 || strcmp(hit->pattern, "mcp_startup") == 0 ||
		       strcmp(hit->pattern, "network_retry") == 0);
}
