#ifndef CONVEYOR_SESSION_H
#define CONVEYOR_SESSION_H
/* Sessions, tasks and bindings: records and lookups the supervision commands share (SPEC 3). */
#include <cjson/cJSON.h>

#include "core/base/err.h"

struct store;

/* Every sessions column, in sorted output-key order. */
#define SESSION_COLS                                                                                   \
	"codex_app_thread_id, codex_app_thread_title, codex_session_id, codex_session_path, cwd, id, "   \
	"identity_token, last_heartbeat_at, last_ingest_offset, name, pid, registered_at, role, state, " \
	"tmux_pane_id, tmux_session"
#define TASK_COLS "created_at, goal, id, name, state, summary, updated_at"

/* What registering a session writes. */
struct session_reg {
	const char *name, *role, *tmux_session, *rollout, *codex_session_id, *thread_id, *thread_title, *cwd;
	long pid; /* 0: none (an app session with no process to watch) */
};

struct ctx;
int session_upsert(struct ctx *c, const struct session_reg *r, struct err *e);
cJSON *session_by_name(struct store *s, const char *name, const char *role, struct err *e);
void session_add_communication(const char *prog, cJSON *session, const char *db_path);
cJSON *task_lookup(struct store *s, const char *ref, struct err *e);
cJSON *task_rows(struct store *s, int unfinished, struct err *e);
cJSON *binding_active(struct store *s, const char *task_id, struct err *e);
cJSON *optional_row(struct store *s, struct err *e, const char *sql, const char *fmt, ...);

#endif
