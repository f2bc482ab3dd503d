/* register-worker / register-manager (SPEC 3.1), with the rollout found from --pid when not given. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/base/ids.h"
#include "core/base/paths.h"
#include "core/cmd/cmd.h"
#include "core/host/procfs.h"
#include "core/observe/rollout.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "store/store.h"
#include "util/json.h"

/* The rollout to register: --codex-session made absolute, or the one the --pid process tree keeps open. */
static char *register_rollout_path(const struct args *a, long pid, struct err *e)
{
	const char *given = args_get(a, "--codex-session");
	return given ? paths_absolute(given, e) : procfs_find_rollout(pid, e);
}

/* Fails when the name is taken by a session of the other role (SPEC 3.1). */
static int register_check_role(struct store *s, const char *name, const char *role, struct err *e)
{
	cJSON *row;
	int rc = store_row(s, &row, "select role from sessions where name = ?", "s", name);
	if (rc < 0) {
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		return -1;
	}
	if (rc == 0)
		return 0;
	const char *existing = json_str(row, "role");
	int ok = strcmp(existing, role) == 0;
	if (!ok)
		err_set(e, EXIT_USAGE, "session name \"%s\" already exists with role \"%s\"; refusing to re-register as \"%s\"",
			name, existing, role);
	cJSON_Delete(row);
	return ok ? 0 : -1;
}

/* Inserts or refreshes a session row after the role check: a new one gets fresh ids; an existing one keeps id,
 * token, registration time, pane and (unless a new thread is given) its app thread id and title. */
int session_upsert(struct ctx *c, const struct session_reg *r, struct err *e)
{
	if (register_check_role(c->store, r->name, r->role, e) != 0)
		return -1;
	char id[IDS_LEN], token[IDS_LEN], pid[32];
	ids_new("session", id);
	ids_new("session-token", token);
	snprintf(pid, sizeof pid, "%ld", r->pid);
	int rc = store_exec(c->store,
			    "insert into sessions(id, name, role, identity_token, tmux_session, tmux_pane_id, "
			    "codex_session_path, codex_session_id, pid, codex_app_thread_id, codex_app_thread_title, cwd, "
			    "registered_at, last_heartbeat_at, state) "
			    "values (?1, ?2, ?3, ?4, ?5, null, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12, 'active') "
			    "on conflict(name) do update set tmux_session = excluded.tmux_session, "
			    "codex_session_path = excluded.codex_session_path, codex_session_id = excluded.codex_session_id, "
			    "codex_app_thread_id = coalesce(excluded.codex_app_thread_id, sessions.codex_app_thread_id), "
			    "codex_app_thread_title = case when ?9 is null and ?10 is null then sessions.codex_app_thread_title "
			    "else excluded.codex_app_thread_title end, "
			    "pid = excluded.pid, cwd = excluded.cwd, last_heartbeat_at = excluded.last_heartbeat_at, "
			    "last_ingest_offset = null, state = 'active'",
			    "ssssssssssss", id, r->name, r->role, token, r->tmux_session, r->rollout, r->codex_session_id,
			    r->pid > 0 ? pid : NULL, r->thread_id, r->thread_title, r->cwd, c->now);
	if (rc != 0)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	return rc;
}

/* The registration output: the session's identity, rollout, thread and communication block. */
static cJSON *register_result(struct ctx *c, const cJSON *row)
{
	cJSON *r = cJSON_CreateObject();
	static const char *const keys[] = {"codex_app_thread_id", "codex_app_thread_title", "codex_session_id",
					   "codex_session_path", "cwd", "name", "role", "tmux_session"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		json_add_str(r, keys[i], json_str(row, keys[i]));
	cJSON_AddItemToObject(r, "pid", cJSON_Duplicate(cJSON_GetObjectItem(row, "pid"), 1));
	cJSON_AddStringToObject(r, "session_id", json_str(row, "id"));
	session_add_communication(c->prog, r, NULL);
	return r;
}

/* Registers (or re-registers) a session of role. */
static cJSON *register_session(struct ctx *c, const struct args *a, const char *role, struct err *e)
{
	if (args_count(a, "--name") != 1 || !args_get(a, "--pid"))
		return err_null(e, EXIT_USAGE,
				"register-%s requires --name and --pid (--codex-session is found from the process when "
				"omitted).",
				role);
	long long pid;
	if (args_int(a, "--pid", 0, &pid, e) != 0)
		return NULL;
	if (pid > procfs_pid_max())
		return err_null(e, EXIT_USAGE, "--pid %lld is above this system's pid_max (%lld).", pid, procfs_pid_max());
	char *path = register_rollout_path(a, pid, e);
	if (!path)
		return NULL;
	struct rollout_meta m;
	cJSON *row = NULL, *result = NULL;
	if (rollout_meta_read(args_get(a, "--codex-session") ? args_get(a, "--codex-session") : path, &m, e) != 0) {
		free(path);
		return NULL;
	}
	const char *name = args_get(a, "--name");
	struct session_reg reg = {
		.name = name,
		.role = role,
		.tmux_session = args_get(a, "--tmux-session"),
		.rollout = path,
		.codex_session_id = m.id,
		.pid = pid,
		.thread_id = args_get(a, "--codex-app-thread-id"),
		.thread_title = args_get(a, "--codex-app-thread-title"),
		.cwd = args_get(a, "--cwd") ? args_get(a, "--cwd") : m.cwd ? m.cwd : "",
	};
	struct store *s = ctx_db(c, e);
	if (!s || session_upsert(c, &reg, e) != 0 || !(row = session_by_name(s, name, NULL, e)))
		goto out;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "codex_session_id", m.id);
	cJSON_AddStringToObject(payload, "name", name);
	cJSON_AddNumberToObject(payload, "pid", (double)pid);
	cJSON_AddStringToObject(payload, "role", role);
	cJSON_AddStringToObject(payload, "session_id", json_str(row, "id"));
	if (audit_event(c, "session_registered", NULL, NULL, payload, e) == 0)
		result = register_result(c, row);
out:
	cJSON_Delete(row);
	rollout_meta_free(&m);
	free(path);
	return result;
}

/* register-worker. */
static cJSON *session_register_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return register_session(c, a, "worker", e);
}

/* The flags of register-manager, register-worker. */
static const struct flag_spec register_flags[] = {
	{.name = "--name", .type = FLAG_STRING, .arg = "N", .help = "session name (required)"},
	{.name = "--pid", .type = FLAG_INT, .arg = "P", .help = "process id of the Codex session (required)", .min = 1,
	 .range_error = "--pid must be a positive process id."},
	{.name = "--codex-session", .type = FLAG_STRING, .arg = "ROLLOUT.jsonl",
	 .help = "rollout file (default: the one process P keeps open)"},
	{.name = "--cwd", .type = FLAG_STRING, .arg = "D", .help = "working directory (default: the rollout's cwd)"},
	{.name = "--tmux-session", .type = FLAG_STRING, .arg = "S",
	 .help = "tmux session the agent runs in (enables push)"},
	{.name = "--codex-app-thread-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "the Codex app thread id (kept on re-register if absent)"},
	{.name = "--codex-app-thread-title", .type = FLAG_STRING, .arg = "T", .help = "the Codex app thread title", .guard = 1},
	{0},
};

/* `register-worker`. */
const struct cmd_entry cmd_register_worker = {
	.word = "register-worker",
	.man = "conveyor-session",
	.usage = "register-worker --name N --pid P [--codex-session ROLLOUT.jsonl] [--cwd D] [--tmux-session S] "
		"[--codex-app-thread-id ID] [--codex-app-thread-title T]",
	.summary = "Register (or refresh) a worker Codex session.",
	.help = "Without --codex-session, the .../sessions/.../rollout-*.jsonl file that process P (or a descendant) keeps\n"
		"open is used (Codex keeps it under $CODEX_HOME/sessions). Its first line must be a session_meta record.\n"
		"Re-registering keeps the id,\n"
		"token and a stored app thread unless new ones are given.\n"
		"\nexample:\n  conveyor register-worker --name w1 --pid 4242 --codex-app-thread-id thr_1\n",
	.flags = register_flags,
	.pre = CMD_WRITES,
	.run = session_register_worker,
};

/* register-manager. */
static cJSON *session_register_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return register_session(c, a, "manager", e);
}

/* `register-manager`. */
const struct cmd_entry cmd_register_manager = {
	.word = "register-manager",
	.man = "conveyor-session",
	.usage = "register-manager --name N --pid P [--codex-session ROLLOUT.jsonl] [--cwd D] [--tmux-session S] "
		"[--codex-app-thread-id ID] [--codex-app-thread-title T]",
	.summary = "Register (or refresh) a manager Codex session.",
	.help = "Same rules as register-worker.\n"
		"\nexample:\n  conveyor register-manager --name m1 --pid 4343\n",
	.flags = register_flags,
	.pre = CMD_WRITES,
	.run = session_register_manager,
};
