#ifndef CONVEYOR_TUI_INT_H
#define CONVEYOR_TUI_INT_H
/* The cockpit's state, shared by its loop, views and terminal panes. */
#include <cjson/cJSON.h>

#include "core/cockpit/dbwatch.h"
#include "tui/tui_job.h"
#include "tui/tui_keymap.h"
#include "tui/tui_panes.h"
#include "util/sb.h"


/* Lists of the campaign view the selection keys move through. */
enum tui_list { LIST_SLOTS, LIST_APPROVALS, LIST_ASSIGNMENTS, LIST_ASSETS, LIST_COUNT };

/* What must be redrawn (bits). */
enum { DIRTY_BODY = 1, DIRTY_STATUS = 2, DIRTY_PANES = 4, DIRTY_ALL = 7 };

#define TUI_MAX_ANSWERS KEYS_MAX_PROMPTS

/* A binding waiting for the operator: prompts still to answer, then maybe a y/N confirmation. */
struct tui_pending {
	const struct tui_binding *binding; /* NULL: the ':' command prompt */
	const char *labels[TUI_MAX_ANSWERS];
	int nlabels;
	char *answers[TUI_MAX_ANSWERS];
	int nanswers;
	char *line;     /* the expanded command line awaiting confirmation, or NULL */
	struct sb edit; /* the text being typed */
};

struct tui {
	const char *prog;
	char *db_path;
	long long data_version;
	struct dbwatch dbwatch;  /* wakes the loop when another process writes the database */
	long long last_check_ms;
	long long recheck_ms;    /* a second after the last write the watch reported: one more check */
	long long next_reload_ms; /* when views that age with the clock (heartbeats, staleness) are re-read */
	unsigned view, back_view;
	char *campaign;         /* the campaign shown in the campaign view, or NULL */
	cJSON *campaigns;       /* `campaign list` result */
	cJSON *dash;            /* `campaign dashboard` result of the campaign */
	cJSON *approvals;       /* its assets waiting for review, oldest first (borrowed from dash) */
	cJSON *dispatch;        /* `dispatch-status --campaign` result of the campaign, or NULL */
	char dash_error[512];
	char *task;             /* the task shown in the task view, or NULL for the list of tasks */
	cJSON *tasks;           /* `tasks` result */
	cJSON *task_status;     /* `task-status` result of the task */
	char task_error[512];
	int sel_task;
	int sel_campaign;
	enum tui_list focus;
	int sel[LIST_COUNT];
	char status[1024];
	int status_error;
	struct sb output;       /* output of the last ':' command */
	int output_scroll;
	int help;               /* the help overlay is shown */
	int help_scroll;
	unsigned dirty;
	int quit;
	int no_color;
	struct tui_pending *pending;
	struct keymap keys;     /* the effective bindings: built in, then keys.conf */
	struct tui_panes panes;
	struct tui_job job;     /* the command running for a key or the ':' prompt */
};

void tui_status(struct tui *t, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_run_line(struct tui *t, const char *line, int from_prompt);
void tui_reload(struct tui *t);
cJSON *tui_fetch(struct tui *t, const char *line, char *err, size_t errlen);
void tui_draw(struct tui *t);
const cJSON *tui_selected(const struct tui *t, enum tui_list list);
void tui_selection(const struct tui *t, struct keys_selection *sel);
int tui_list_len(const struct tui *t, enum tui_list list);

#endif
