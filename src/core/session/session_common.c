/* Session and task lookups, the communication block, and the active binding of a task. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/session/session.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/json.h"
#include "util/sb.h"

/* The session registered under name (SPEC 0.4), checked against role when role is not NULL. */
cJSON *session_by_name(struct store *s, const char *name, const char *role, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select " SESSION_COLS " from sessions where name = ?", "s", name);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "no session registered with name \"%s\"", name);
	if (role && strcmp(json_str(row, "role"), role) != 0) {
		err_set(e, EXIT_USAGE, "session \"%s\" has role \"%s\", expected \"%s\"", name, json_str(row, "role"), role);
		cJSON_Delete(row);
		return NULL;
	}
	return row;
}

/* Adds the communication block of SPEC 3.2 to a session record: how the session can be reached, and the inbox
 * poll command it should run (with --path only when db_path is given). */
void session_add_communication(const char *prog, cJSON *session, const char *db_path)
{
	const char *tmux = json_str(session, "tmux_session");
	int codex = json_str(session, "codex_session_path") || json_str(session, "codex_session_id");
	const char *role = json_str(session, "role");
	cJSON *c = cJSON_CreateObject();
	cJSON_AddBoolToObject(c, "can_receive_pull", 1);
	cJSON_AddBoolToObject(c, "can_receive_push", tmux != NULL);
	cJSON_AddStringToObject(c, "delivery_mode", tmux ? "push" : "pull_required");
	cJSON_AddStringToObject(c, "detection_source",
				tmux ? "tmux_session" : codex ? "codex_session_without_tmux" : "missing_tmux_session");
	struct sb poll;
	sb_init(&poll);
	sb_addf(&poll, "%s %s-inbox <task> --consume-next --wait --timeout 60", prog,
		role && strcmp(role, "manager") == 0 ? "manager" : "worker");
	if (db_path) {
		sb_adds(&poll, " --path ");
		shell_quote(&poll, db_path);
	}
	sb_adds(&poll, " --json");
	cJSON_AddStringToObject(c, "poll_command_template", poll.buf);
	sb_free(&poll);
	cJSON_AddStringToObject(c, "receive_style", tmux ? "push" : "pull");
	cJSON_AddBoolToObject(c, "requires_polling", tmux == NULL);
	cJSON_AddStringToObject(c, "session_kind", tmux ? "tmux" : codex ? "codex_app" : "no_tmux");
	if (tmux)
		cJSON_AddStringToObject(c, "tmux_session", tmux);
	else
		cJSON_AddNullToObject(c, "tmux_session");
	cJSON_AddItemToObject(session, "communication", c);
}

/* The task whose id or name is ref, newest first (SPEC 0.4): "Unknown task: <ref>". */
cJSON *task_lookup(struct store *s, const char *ref, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row,
			   "select " TASK_COLS " from tasks where id = ?1 or name = ?1 order by created_at desc limit 1",
			   "s", ref);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	if (rc == 0)
		return err_null(e, EXIT_USAGE, "Unknown task: %s", ref);
	return row;
}

/* The first row of a query, JSON null when there is none, or NULL with e set (SQLite's message) on error. */
cJSON *optional_row(struct store *s, struct err *e, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cJSON *row;
	int rc = store_vrow(s, &row, sql, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(s));
	return rc ? row : cJSON_CreateNull();
}

/* The task's newest active or ending binding, or JSON null when it has none; NULL with e set on error. */
cJSON *binding_active(struct store *s, const char *task_id, struct err *e)
{
	return optional_row(s, e,
			    "select created_at, ended_at, id, manager_session_id, state, task_id, worker_session_id "
			    "from bindings where task_id = ? and state in ('active', 'ending') order by created_at desc limit 1",
			    "s", task_id);
}
