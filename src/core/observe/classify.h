#ifndef CONVEYOR_CLASSIFY_H
#define CONVEYOR_CLASSIFY_H
/* The pane classifier (SPEC 5.3 plus the real Codex 0.169 screens): what a captured worker screen shows. */

/* One classifier row's verdict. */
struct classify_hit {
	const char *pattern;            /* busy-wait pattern or screen state name */
	const char *reason;             /* one human line */
	const char *recommended_action; /* inspect_or_* */
	int needs_you;                  /* the worker waits for a person (approval, trust, login, confirmation) */
	const char *notable;            /* screen rows: the busy-wait pattern this screen amounts to, or NULL */
};

const char *classify_startup(const char *text, const char **reason);
const struct classify_hit *classify_busy_wait(const char *text, long long status_age, long long busy_wait_seconds,
					      int recent_event_count);
const struct classify_hit *classify_screen(const char *text);

#endif
