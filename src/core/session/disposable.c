/* create-disposable-binding (SPEC 3.7): a task bound to two Codex app sessions that have no process of their own. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/session/binding.h"
#include "core/session/disposable.h"
#include "core/base/paths.h"
#include "core/session/prompts.h"
#include "core/session/session.h"
#include "core/session/session_cmds.h"
#include "util/shell.h"
#include "store/store.h"
#include "util/fs.h"
#include "util/json.h"

/* One of the two sessions: its name, role, rollout and thread flags. */
struct disposable_session {
	const char *role;
	const char *name;
	char *rollout;
	char slug[256];
	const char *thread_id, *thread_title;
};

/* The file-name slug of a session name: runs of other characters become '-', leading/trailing '.' and '-' go. */
static void disposable_slug(const char *name, char *out, size_t len)
{
	size_t j = 0;
	int dash = 0;
	for (const char *p = name; *p && j + 1 < len; p++) {
		int keep = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
			   *p == '.' || *p == '-';
		if (keep) {
			out[j++] = *p;
			dash = 0;
		} else if (!dash) {
			out[j++] = '-';
			dash = 1;
		}
	}
	out[j] = '\0';
	size_t start = strspn(out, ".-");
	memmove(out, out + start, strlen(out + start) + 1);
	j = strlen(out);
	while (j && (out[j - 1] == '.' || out[j - 1] == '-'))
		out[--j] = '\0';
	if (!*out)
		snprintf(out, len, "session");
}

/* Writes the session's synthetic rollout: one session_meta line naming the cwd and a codex-<slug> id. */
static int disposable_rollout(struct disposable_session *d, const char *dir, const char *cwd, struct err *e)
{
	disposable_slug(d->name, d->slug, sizeof d->slug);
	struct sb path;
	sb_init(&path);
	sb_addf(&path, "%s/rollout-%s.jsonl", dir, d->slug);
	d->rollout = sb_take(&path);
	cJSON *rec = cJSON_CreateObject(), *payload = cJSON_AddObjectToObject(rec, "payload");
	char id[300];
	snprintf(id, sizeof id, "codex-%s", d->slug);
	cJSON_AddStringToObject(payload, "cwd", cwd);
	cJSON_AddStringToObject(payload, "id", id);
	cJSON_AddStringToObject(payload, "originator", "conveyor create-disposable-binding");
	cJSON_AddStringToObject(rec, "type", "session_meta");
	char *line = json_compact(rec);
	cJSON_Delete(rec);
	FILE *f = fopen(d->rollout, "w");
	int ok = f && fprintf(f, "%s\n", line) > 0;
	if (f && fclose(f) != 0)
		ok = 0;
	free(line);
	if (!ok)
		err_set(e, EXIT_USAGE, "cannot write %s: %s", d->rollout, strerror(errno));
	return ok ? 0 : -1;
}

/* The task named by the positional, created (and its event written) when missing; *created says which. */
static cJSON *disposable_task(struct ctx *c, const struct args *a, int *created, struct err *e)
{
	struct err probe = {0};
	cJSON *task = task_lookup(c->store, a->positional, &probe);
	*created = task == NULL;
	if (task)
		return task;
	char id[IDS_LEN];
	const char *goal = args_get(a, "--goal") ? args_get(a, "--goal") : "Disposable no-tmux Ralph-loop task.";
	ids_new("task", id);
	if (store_exec(c->store,
		       "insert into tasks(id, name, goal, summary, state, created_at, updated_at) "
		       "values (?, ?, ?, ?, 'candidate', ?, ?)",
		       "ssssss", id, a->positional, goal, args_get(a, "--summary"), c->now, c->now) != 0)
		return err_null(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "goal", goal);
	cJSON_AddStringToObject(payload, "name", a->positional);
	json_add_str(payload, "summary", args_get(a, "--summary"));
	if (audit_event(c, "task_created", id, NULL, payload, e) != 0)
		return NULL;
	return task_lookup(c->store, id, e);
}

/* The communication block of a disposable session: pull-only, with its real poll command and --path. */
static cJSON *disposable_communication(const struct prompt_ctx *p, const char *role)
{
	cJSON *c = cJSON_CreateObject();
	char verb[32];
	snprintf(verb, sizeof verb, "%s-inbox", role);
	struct sb sb;
	sb_init(&sb);
	cJSON_AddBoolToObject(c, "can_receive_pull", 1);
	cJSON_AddBoolToObject(c, "can_receive_push", 0);
	cJSON_AddStringToObject(c, "delivery_mode", "pull_required");
	cJSON_AddStringToObject(c, "detection_source", "codex_session_without_tmux");
	prompts_command(&sb, p, verb, " --consume-next --wait --timeout 60", " --json");
	cJSON_AddStringToObject(c, "poll_command", sb.buf);
	sb_free(&sb);
	sb_addf(&sb, "%s %s <task> --consume-next --wait --timeout 60 --path ", p->prog, verb);
	shell_quote(&sb, p->db);
	sb_adds(&sb, " --json");
	cJSON_AddStringToObject(c, "poll_command_template", sb.buf);
	sb_free(&sb);
	cJSON_AddStringToObject(c, "receive_style", "pull");
	cJSON_AddBoolToObject(c, "requires_polling", 1);
	cJSON_AddStringToObject(c, "session_kind", "codex_app");
	cJSON_AddNullToObject(c, "tmux_session");
	return c;
}

/* The output record of one disposable session. */
static cJSON *disposable_session_json(struct store *s, const struct prompt_ctx *p, const struct disposable_session *d)
{
	struct err ignore;
	cJSON *row = session_by_name(s, d->name, NULL, &ignore), *o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "communication", disposable_communication(p, d->role));
	json_add_str(o, "codex_app_thread_id", json_str(row, "codex_app_thread_id"));
	json_add_str(o, "codex_app_thread_title", json_str(row, "codex_app_thread_title"));
	json_add_str(o, "id", json_str(row, "id"));
	cJSON_AddStringToObject(o, "name", d->name);
	cJSON_AddStringToObject(o, "rollout_path", d->rollout);
	cJSON_AddNullToObject(o, "tmux_session");
	cJSON_Delete(row);
	return o;
}


/* Registers both sessions (no process: pid null, no tmux) with their synthetic rollouts and binds them. */
static int disposable_bind(struct ctx *c, const cJSON *task, struct disposable_session *d, const char *dir,
			   const char *cwd, char binding[IDS_LEN], struct err *e)
{
	char msg[512];
	if (fs_mkdirs(dir, msg, sizeof msg) != 0) {
		err_set(e, EXIT_USAGE, "%s", msg);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		if (disposable_rollout(&d[i], dir, cwd, e) != 0)
			return -1;
		char id[300];
		snprintf(id, sizeof id, "codex-%s", d[i].slug);
		struct session_reg reg = {
			.name = d[i].name,
			.role = d[i].role,
			.rollout = d[i].rollout,
			.codex_session_id = id,
			.thread_id = d[i].thread_id,
			.thread_title = d[i].thread_title,
			.cwd = cwd,
		};
		if (session_upsert(c, &reg, e) != 0)
			return -1;
	}
	return binding_create(c, task, json_str(task, "name"), d[0].name, d[1].name, binding, e);
}

/* The command's JSON result. */
static cJSON *disposable_result(struct ctx *c, const struct prompt_ctx *p, const cJSON *task, int created,
				const struct disposable_session *d, const char *binding, const char *dir)
{
	cJSON *r = cJSON_CreateObject(), *b = cJSON_AddObjectToObject(r, "binding");
	cJSON_AddStringToObject(b, "id", binding);
	cJSON_AddStringToObject(r, "db_path", c->db_path);
	cJSON_AddItemToObject(r, "heartbeat_recommendations", disposable_recommendations(p));
	cJSON_AddItemToObject(r, "manager", disposable_session_json(c->store, p, &d[1]));
	cJSON_AddItemToObject(r, "replay_commands", disposable_replay(p, d[0].name, d[1].name, dir));
	cJSON_AddNullToObject(r, "run");
	cJSON *t = cJSON_AddObjectToObject(r, "task");
	cJSON_AddBoolToObject(t, "created", created);
	cJSON_AddStringToObject(t, "id", json_str(task, "id"));
	cJSON_AddStringToObject(t, "name", json_str(task, "name"));
	cJSON_AddStringToObject(t, "state", "managed");
	cJSON_AddItemToObject(r, "worker", disposable_session_json(c->store, p, &d[0]));
	char *handoff = disposable_worker_handoff(p);
	cJSON_AddStringToObject(r, "worker_handoff", handoff);
	free(handoff);
	return r;
}

/* create-disposable-binding TASK: creates the task if needed, registers a worker and a manager Codex app session
 * with synthetic rollouts, binds them, and prints how to drive the loop from the app threads. */
static cJSON *binding_disposable(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "create-disposable-binding command requires a task.");
	struct sb worker, manager;
	sb_init(&worker);
	sb_init(&manager);
	sb_addf(&worker, "%s-worker", a->positional);
	sb_addf(&manager, "%s-manager", a->positional);
	struct disposable_session d[2] = {
		{"worker", args_get(a, "--worker") ? args_get(a, "--worker") : worker.buf, NULL, "",
		 args_get(a, "--worker-codex-app-thread-id"), args_get(a, "--worker-codex-app-thread-title")},
		{"manager", args_get(a, "--manager") ? args_get(a, "--manager") : manager.buf, NULL, "",
		 args_get(a, "--manager-codex-app-thread-id"), args_get(a, "--manager-codex-app-thread-title")},
	};
	char *cwd = paths_absolute(args_get(a, "--cwd") ? args_get(a, "--cwd") : ".", e), *dir = NULL;
	cJSON *task = NULL, *result = NULL;
	int created = 0;
	char binding[IDS_LEN];
	if (!cwd)
		goto out;
	if (args_get(a, "--session-dir")) {
		dir = paths_absolute(args_get(a, "--session-dir"), e);
	} else {
		struct sb sb;
		sb_init(&sb);
		sb_addn(&sb, c->db_path, (size_t)(strrchr(c->db_path, '/') - c->db_path));
		sb_adds(&sb, "/disposable-sessions");
		dir = sb_take(&sb);
	}
	if (!dir || !ctx_db(c, e) || !(task = disposable_task(c, a, &created, e)) ||
	    store_exec(c->store, "update tasks set state = 'managed', updated_at = ? where id = ?", "ss", c->now,
		       json_str(task, "id")) != 0 ||
	    disposable_bind(c, task, d, dir, cwd, binding, e) != 0)
		goto out;
	cJSON *payload = cJSON_CreateObject();
	cJSON_AddStringToObject(payload, "binding_id", binding);
	cJSON_AddStringToObject(payload, "manager", d[1].name);
	cJSON_AddNullToObject(payload, "run");
	cJSON_AddStringToObject(payload, "worker", d[0].name);
	if (audit_event(c, "disposable_binding_created", json_str(task, "id"), NULL, payload, e) != 0)
		goto out;
	struct prompt_ctx p = {c->prog, json_str(task, "name"), c->db_path};
	result = disposable_result(c, &p, task, created, d, binding, dir);
out:
	if (!result && !e->msg[0])
		err_set(e, EXIT_USAGE, "%s", store_errmsg(c->store));
	free(d[0].rollout);
	free(d[1].rollout);
	free(cwd);
	free(dir);
	cJSON_Delete(task);
	sb_free(&worker);
	sb_free(&manager);
	return result;
}

/* The flags of create-disposable-binding. */
static const struct flag_spec disposable_flags[] = {
	{.name = "--worker", .type = FLAG_STRING, .arg = "W", .help = "worker session name (default TASK-worker)"},
	{.name = "--manager", .type = FLAG_STRING, .arg = "M", .help = "manager session name (default TASK-manager)"},
	{.name = "--goal", .type = FLAG_STRING, .arg = "G", .help = "goal of the task if it is created", .guard = 1},
	{.name = "--summary", .type = FLAG_STRING, .arg = "S", .help = "summary of the task if it is created", .guard = 1},
	{.name = "--session-dir", .type = FLAG_STRING, .arg = "D",
	 .help = "rollout dir (default disposable-sessions beside the db)"},
	{.name = "--cwd", .type = FLAG_STRING, .arg = "D", .help = "the sessions' working directory (default current)"},
	{.name = "--worker-codex-app-thread-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "the worker's Codex app thread id"},
	{.name = "--worker-codex-app-thread-title", .type = FLAG_STRING, .arg = "T",
	 .help = "the worker's Codex app thread title", .guard = 1},
	{.name = "--manager-codex-app-thread-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "the manager's Codex app thread id"},
	{.name = "--manager-codex-app-thread-title", .type = FLAG_STRING, .arg = "T",
	 .help = "the manager's Codex app thread title", .guard = 1},
	{0},
};

/* `create-disposable-binding`. */
const struct cmd_entry cmd_create_disposable_binding = {
	.word = "create-disposable-binding",
	.man = "conveyor-session",
	.usage = "create-disposable-binding TASK [--worker W] [--manager M] [--goal G] [--summary S] [--session-dir D] [--cwd D] "
		"[--worker-codex-app-thread-id ID] [--worker-codex-app-thread-title T] [--manager-codex-app-thread-id ID] "
		"[--manager-codex-app-thread-title T]",
	.summary = "Bind a task to a worker and a manager Codex app session that have no process of their own.",
	.help = "The sessions get synthetic rollouts under D (default: disposable-sessions beside the database) and no pid.\n"
		"\nexample:\n  conveyor create-disposable-binding docs --json\n",
	.flags = disposable_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = binding_disposable,
	.text = binding_disposable_text,
};
