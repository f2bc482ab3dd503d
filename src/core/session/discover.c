/* discover / search (SPEC 3.8): find tasks, sessions, bindings and telemetry, and suggest the next setup step. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/json.h"

/* Whether value contains query, ignoring ASCII case. */
static int discover_contains(const char *value, const char *query)
{
	size_t n = strlen(query);
	for (const char *p = value; *p; p++)
		if (strncasecmp(p, query, n) == 0)
			return 1;
	return n == 0;
}

/* Whether row matches query in one of the NULL-terminated fields (an empty query matches everything). */
static int discover_match(const cJSON *row, const char *query, const char *const *fields)
{
	if (!*query)
		return 1;
	for (int i = 0; fields[i]; i++) {
		const char *v = json_str(row, fields[i]);
		if (v && discover_contains(v, query))
			return 1;
	}
	return 0;
}

/* Keeps the rows that match, at most limit of them. */
static cJSON *discover_filter(cJSON *rows, const char *query, const char *const *fields, long limit)
{
	cJSON *out = cJSON_CreateArray(), *row;
	while ((row = cJSON_DetachItemFromArray(rows, 0))) {
		if (cJSON_GetArraySize(out) < limit && discover_match(row, query, fields))
			cJSON_AddItemToArray(out, row);
		else
			cJSON_Delete(row);
	}
	cJSON_Delete(rows);
	return out;
}

/* Telemetry events whose text matches query or whose type is query, oldest first. */
static cJSON *discover_telemetry(struct store *s, const char *query, long limit)
{
	if (!*query)
		return cJSON_CreateArray();
	char *fts = audit_fts_query(query);
	cJSON *rows = store_rows(s,
				 "select actor, attributes_json, correlation_json, event_type, id, run_id, severity, summary, "
				 "task_id, timestamp from telemetry_events te where te.id in (select event_id from "
				 "telemetry_events_fts where telemetry_events_fts match ?1) or te.event_type = ?2 "
				 "order by te.timestamp, te.rowid limit ?3",
				 "ssi", fts, query, (long long)limit);
	free(fts);
	return rows;
}

/* Adds the suggestions: a bind command for the first unbound unfinished task, or what to register first. */
static void discover_suggest(cJSON *out, const char *prog, const cJSON *tasks, const cJSON *sessions,
			     const cJSON *bindings)
{
	cJSON *suggestions = cJSON_AddArrayToObject(out, "suggestions");
	const cJSON *worker = NULL, *manager = NULL, *it;
	cJSON_ArrayForEach(it, sessions)
	{
		int active = strcmp(json_str(it, "state"), "active") == 0;
		if (active && !worker && strcmp(json_str(it, "role"), "worker") == 0)
			worker = it;
		if (active && !manager && strcmp(json_str(it, "role"), "manager") == 0)
			manager = it;
	}
	cJSON_ArrayForEach(it, tasks)
	{
		const char *state = json_str(it, "state"), *name = json_str(it, "name");
		int open = !strcmp(state, "candidate") || !strcmp(state, "managed") || !strcmp(state, "paused");
		int bound = 0;
		const cJSON *b;
		cJSON_ArrayForEach(b, bindings) bound |= json_str(b, "task_name") && !strcmp(json_str(b, "task_name"), name);
		if (!open || bound || !worker || !manager)
			continue;
		cJSON *sug = cJSON_CreateObject();
		struct sb cmd;
		sb_init(&cmd);
		sb_addf(&cmd, "%s bind --task ", prog);
		shell_quote(&cmd, name);
		sb_adds(&cmd, " --worker ");
		shell_quote(&cmd, json_str(worker, "name"));
		sb_adds(&cmd, " --manager ");
		shell_quote(&cmd, json_str(manager, "name"));
		cJSON_AddStringToObject(sug, "command", cmd.buf);
		sb_free(&cmd);
		cJSON_AddStringToObject(sug, "kind", "bind");
		cJSON_AddStringToObject(sug, "manager", json_str(manager, "name"));
		cJSON_AddStringToObject(sug, "task", name);
		cJSON_AddStringToObject(sug, "worker", json_str(worker, "name"));
		cJSON_AddItemToArray(suggestions, sug);
		break;
	}
	static const char *const prompts[2][2] = {
		{"register-worker", "Open the intended worker Codex session and ask it to use the manage-codex-workers "
				    "skill to register as the worker for this dashboard setup."},
		{"register-manager", "Open the intended manager Codex session and ask it to use the manage-codex-workers "
				     "skill to register as the manager for this dashboard setup."},
	};
	for (int i = 0; i < 2; i++) {
		if ((i == 0 && worker) || (i == 1 && manager))
			continue;
		cJSON *sug = cJSON_CreateObject();
		cJSON_AddStringToObject(sug, "kind", prompts[i][0]);
		cJSON_AddStringToObject(sug, "prompt", prompts[i][1]);
		cJSON_AddItemToArray(suggestions, sug);
	}
}

/* discover [QUERY] / search [QUERY]: what is registered, bound and recorded that matches QUERY. */
static cJSON *discover_run(struct ctx *c, const struct args *a, struct err *e)
{
	static const char *const task_fields[] = {"name", "goal", "summary", "state", NULL};
	static const char *const session_fields[] = {"name", "role", "state", "cwd", "tmux_session", "codex_session_id", NULL};
	static const char *const binding_fields[] = {"task_name", "task_goal", "worker_name", "manager_name", "state", NULL};
	long long limit = args_int_or(a, "--limit", 10);
	int all = args_has(a, "--all");
	char *query = strdup(a->positional ? a->positional : "");
	char *q = query;
	while (isspace((unsigned char)*q))
		q++;
	for (size_t n = strlen(q); n && isspace((unsigned char)q[n - 1]); n--)
		q[n - 1] = '\0';
	struct store *s = ctx_db(c, e);
	cJSON *tasks = s ? task_rows(s, !all, e) : NULL;
	cJSON *sessions = tasks ? store_rows(s,
					    all ? "select " SESSION_COLS " from sessions order by registered_at, rowid"
						: "select " SESSION_COLS " from sessions where state != 'gone' and (pid is not "
						  "null or codex_session_path is not null) order by registered_at, rowid",
					    NULL)
				: NULL;
	cJSON *bindings = sessions ? store_rows(s,
						"select b.created_at, b.id, ms.name as manager_name, ms.state as manager_state, "
						"ms.tmux_session as manager_tmux_session, b.state, t.goal as task_goal, t.name as "
						"task_name, ws.name as worker_name, ws.state as worker_state, ws.tmux_session as "
						"worker_tmux_session from bindings b join tasks t on t.id = b.task_id "
						"left join sessions ws on ws.id = b.worker_session_id left join sessions ms on "
						"ms.id = b.manager_session_id where b.state in ('active', 'ending') "
						"order by b.created_at desc, b.rowid desc",
						NULL)
				   : NULL;
	cJSON *telemetry = bindings ? discover_telemetry(s, q, limit) : NULL, *out = NULL;
	if (!telemetry) {
		if (s && !e->msg[0])
			err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
		cJSON_Delete(tasks);
		cJSON_Delete(sessions);
		cJSON_Delete(bindings);
		free(query);
		return NULL;
	}
	out = cJSON_CreateObject();
	tasks = discover_filter(tasks, q, task_fields, limit);
	sessions = discover_filter(sessions, q, session_fields, limit);
	bindings = discover_filter(bindings, q, binding_fields, limit);
	cJSON *it;
	cJSON_ArrayForEach(it, sessions) session_add_communication(c->prog, it, args_get(a, "--path") ? c->db_path : NULL);
	discover_suggest(out, c->prog, tasks, sessions, bindings);
	cJSON_AddItemToObject(out, "bindings", bindings);
	cJSON_AddStringToObject(out, "query", q);
	cJSON_AddItemToObject(out, "sessions", sessions);
	cJSON_AddItemToObject(out, "tasks", tasks);
	cJSON_AddItemToObject(out, "telemetry", telemetry);
	free(query);
	return out;
}

/* The flags of discover, search. */
static const struct flag_spec discover_flags[] = {
	{.name = "--all", .type = FLAG_BOOL, .help = "include finished tasks and gone or legacy sessions"},
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "show at most N items of each kind (default 10)"},
	{0},
};

/* `discover`. */
const struct cmd_entry cmd_discover = {
	.word = "discover",
	.man = "conveyor-session",
	.usage = "discover [QUERY] [--all] [--limit N]",
	.summary = "Find tasks, sessions, bindings and telemetry, with setup suggestions.",
	.help = "\nexample:\n  conveyor discover docs\n",
	.flags = discover_flags,
	.positional = "query",
	.pre = CMD_READS,
	.run = discover_run,
};

/* `search`. */
const struct cmd_entry cmd_search = {
	.word = "search",
	.man = "conveyor-session",
	.usage = "search [QUERY] [--all] [--limit N]",
	.summary = "Same as discover.",
	.help = "\nexample:\n  conveyor search rotation\n",
	.flags = discover_flags,
	.positional = "query",
	.pre = CMD_READS,
	.run = discover_run,
};
