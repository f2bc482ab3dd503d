/* start-worker / start-manager (SPEC 7.3 with docs/steer.md's fixes): Codex in tmux session codex-<name>, the
 * first prompt typed once the client is ready and confirmed, the rollout found through /proc, then registration.
 * No transaction is open while tmux and Codex are waited on. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/base/audit.h"
#include "core/base/paths.h"
#include "core/cmd/cmd.h"
#include "util/proc.h"
#include "core/observe/rollout.h"
#include "core/session/session.h"
#include "util/shell.h"
#include "core/steer/start.h"
#include "core/steer/steer.h"
#include "core/steer/steer_cmds.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

#define START_PROMPT_CONFIRM_MS 10000
#define START_ROLLOUT_GRACE_MS 2000

/* Checks a session name that becomes part of a tmux session name (no '.', ':' or blanks). */
static int start_name_ok(const char *name)
{
	if (!*name || strlen(name) > 100)
		return 0;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') && !(*p >= '0' && *p <= '9') && *p != '-' &&
		    *p != '_')
			return 0;
	return 1;
}

/* The working directory: --cwd made absolute (it must be a directory), or the current one; NULL with e set. */
static char *start_cwd(const struct args *a, struct err *e)
{
	const char *given = args_get(a, "--cwd");
	char *cwd = paths_absolute(given ? given : ".", e);
	struct stat st;
	if (cwd && (stat(cwd, &st) != 0 || !S_ISDIR(st.st_mode))) {
		err_set(e, EXIT_USAGE, "--cwd is not a directory: %s", given);
		free(cwd);
		return NULL;
	}
	return cwd;
}

/* Fills o from the flags shared by start-worker, start-manager and pair; -1 with e set (exit 2). */
int start_opts_parse(const struct args *a, const char *role, const char *name, int default_seconds,
		     struct start_opts *o, struct err *e)
{
	memset(o, 0, sizeof *o);
	o->role = role;
	o->name = name;
	o->accept_trust = args_has(a, "--accept-trust");
	const char *profile = args_get(a, "--codex-profile");
	long long seconds;
	if (!start_name_ok(name))
		return err_set(e, EXIT_USAGE, "session name \"%s\" may contain only letters, digits, '-' and '_' (it names "
				   "tmux session codex-<name>)", name), -1;
	if (args_enum(a, "--sandbox", &o->sandbox, e) != 0 || args_enum(a, "--ask-for-approval", &o->approval, e) != 0)
		return -1;
	if (profile && strcmp(profile, "yolo") != 0)
		return err_set(e, EXIT_USAGE, "--codex-profile accepts only yolo."), -1;
	if (args_int(a, "--timeout-seconds", default_seconds, &seconds, e) != 0 || !(o->cwd = start_cwd(a, e)))
		return -1;
	o->sandbox = o->sandbox ? o->sandbox : "danger-full-access";
	o->approval = o->approval ? o->approval : "never";
	o->yolo = profile != NULL;
	o->timeout_ms = (int)seconds * 1000;
	snprintf(o->tmux, sizeof o->tmux, "codex-%s", name);
	return 0;
}

/* Releases what start_opts_parse and the caller put in o. */
void start_opts_free(struct start_opts *o)
{
	free(o->cwd);
	free(o->prompt);
	o->cwd = o->prompt = NULL;
}

/* Refuses (exit 1) a name that is already registered. */
static int start_check_name(struct ctx *c, const struct start_opts *o, struct err *e)
{
	struct store *s = ctx_db(c, e);
	cJSON *row;
	int rc = s ? store_row(s, &row, "select state from sessions where name = ?", "s", o->name) : -1;
	if (rc < 0 && s)
		err_set(e, EXIT_USAGE, "%s", store_errmsg(s));
	if (rc == 1) {
		err_set(e, EXIT_WORKER, "a session named \"%s\" is already registered (state %s); choose another name, or "
			"remove it first with: %s deregister %s", o->name, json_str(row, "state"), c->prog, o->name);
		cJSON_Delete(row);
	}
	return rc == 0 ? 0 : -1;
}

/* Refuses (exit 1) a name already registered or a tmux session codex-<name> that already exists. */
int start_check_free(struct ctx *c, const struct start_opts *o, struct err *e)
{
	if (start_check_name(c, o, e) != 0)
		return -1;
	char exact[START_TMUX_NAME + 1];
	snprintf(exact, sizeof exact, "=%s", o->tmux);
	int running = tmux_has_session(exact, e);
	if (running == 1)
		err_set(e, EXIT_WORKER, "tmux session %s already exists; attach to it with: tmux attach -t %s, or remove it "
			"with: tmux kill-session -t %s", o->tmux, o->tmux, o->tmux);
	return running == 0 ? 0 : -1;
}

/* Registers the started session (SPEC 3.1) and records session_registered with via; returns the output record. */
static cJSON *start_register(struct ctx *c, const struct start_opts *o, const char *rollout, long pid,
			     cJSON *extra, struct err *e)
{
	struct rollout_meta m = {0};
	if (rollout && rollout_meta_read(rollout, &m, e) != 0)
		return NULL;
	struct session_reg reg = {.name = o->name, .role = o->role, .tmux_session = o->tmux, .rollout = rollout,
				  .codex_session_id = m.id, .cwd = o->cwd, .pid = pid};
	cJSON *row = NULL, *r = NULL;
	if (start_check_name(c, o, e) == 0 && session_upsert(c, &reg, e) == 0)
		row = session_by_name(c->store, o->name, o->role, e);
	if (row) {
		cJSON *payload = cJSON_CreateObject();
		json_add_str(payload, "codex_session_id", m.id);
		cJSON_AddStringToObject(payload, "name", o->name);
		cJSON_AddNumberToObject(payload, "pid", (double)pid);
		cJSON_AddStringToObject(payload, "role", o->role);
		cJSON_AddStringToObject(payload, "session_id", json_str(row, "id"));
		cJSON_AddStringToObject(payload, "via", o->via);
		if (audit_event(c, "session_registered", NULL, NULL, payload, e) == 0) {
			r = extra;
			extra = NULL;
			json_add_str(r, "codex_session_id", m.id);
			json_add_str(r, "codex_session_path", rollout);
			cJSON_AddStringToObject(r, "cwd", o->cwd);
			cJSON_AddStringToObject(r, "name", o->name);
			cJSON_AddNumberToObject(r, "pid", (double)pid);
			cJSON_AddStringToObject(r, "role", o->role);
			cJSON_AddStringToObject(r, "session_id", json_str(row, "id"));
			cJSON_AddStringToObject(r, "tmux_session", o->tmux);
		}
	}
	cJSON_Delete(extra);
	cJSON_Delete(row);
	rollout_meta_free(&m);
	return r;
}

/* Types the first prompt once codex is ready, confirming it as session-nudge does (a prompt that starts no turn
 * fails the start: there would be no rollout to find); {confirmed_by, submitted}. */
static cJSON *start_first_prompt(const struct start_opts *o, long long deadline, struct err *e)
{
	char exact[START_TMUX_NAME + 2];
	snprintf(exact, sizeof exact, "=%s:", o->tmux);
	struct steer_worker w = {o->name, o->tmux, exact, NULL};
	long long left = deadline - proc_monotonic_ms();
	int confirm = left > START_PROMPT_CONFIRM_MS ? START_PROMPT_CONFIRM_MS : left > 1000 ? (int)left : 1000;
	struct steer_sent sent;
	if (steer_send(&w, o->prompt, confirm, &sent, e) != 0)
		return NULL;
	if (sent.submitted != 1) {
		err_set(e, EXIT_WORKER, "codex in tmux session %s did not start a turn for its first prompt within %d s; "
			"inspect it with: tmux attach -t %s, or remove it with: tmux kill-session -t %s", o->tmux,
			confirm / 1000, o->tmux, o->tmux);
		return NULL;
	}
	cJSON *r = cJSON_CreateObject();
	json_add_str(r, "confirmed_by", sent.confirmed_by);
	cJSON_AddBoolToObject(r, "submitted", sent.submitted == 1);
	return r;
}

/* Starts one Codex session as o says and registers it: refusals, launch, ready screen (trust), first prompt,
 * rollout through /proc, registration. The database is not held in between. */
cJSON *start_session(struct ctx *c, struct start_opts *o, struct err *e)
{
	if (start_check_free(c, o, e) != 0 || ctx_release(c, e) != 0)
		return NULL;
	char *codex = start_codex_path(e), *rollout = NULL;
	long pane = 0, holder = 0;
	int trust = 0;
	long long deadline = proc_monotonic_ms() + o->timeout_ms;
	cJSON *prompt = NULL, *r = NULL;
	if (!codex || start_launch(o, codex, &pane, e) != 0 || start_wait_ready(o, c->prog, deadline, &trust, e) != 0)
		goto out;
	if (o->prompt && !(prompt = start_first_prompt(o, deadline, e)))
		goto out;
	long long grace = proc_monotonic_ms() + START_ROLLOUT_GRACE_MS;
	if (o->prompt && !(rollout = start_find_rollout(o, c->prog, pane, grace > deadline ? grace : deadline, &holder, e)))
		goto out;
	cJSON *extra = cJSON_CreateObject();
	cJSON_AddItemToObject(extra, "first_prompt", prompt ? prompt : cJSON_CreateNull());
	prompt = NULL;
	cJSON_AddBoolToObject(extra, "trust_accepted", trust);
	r = start_register(c, o, rollout, rollout ? holder : pane, extra, e);
out:
	cJSON_Delete(prompt);
	free(codex);
	free(rollout);
	return r;
}

/* The manager's bootstrap prompt (one line): its task, its worker, and the commands it supervises with. */
char *start_manager_prompt(const struct ctx *c, const char *task, const char *goal, const char *worker)
{
	struct sb sb;
	sb_init(&sb);
	sb_adds(&sb, "You are the manager of conveyor task ");
	shell_quote(&sb, task);
	if (goal)
		sb_addf(&sb, " (goal: %s)", goal);
	sb_adds(&sb, ". ");
	if (worker) {
		sb_adds(&sb, "Your worker is the Codex session ");
		shell_quote(&sb, worker);
		sb_adds(&sb, ". ");
	}
	sb_addf(&sb, "Observe it with: %s cycle ", c->prog);
	shell_quote(&sb, task);
	sb_adds(&sb, " --path ");
	shell_quote(&sb, c->db_path);
	for (int i = 0; i < 2; i++) {
		sb_addf(&sb, i ? " --json (check that submitted is true), and stop a wrong turn with: %s session-interrupt "
			       : " --json. Steer it with: %s session-nudge ", c->prog);
		if (worker)
			shell_quote(&sb, worker);
		else
			sb_adds(&sb, "<worker>");
		sb_adds(&sb, i ? " --followup '<instruction>' --path " : " '<instruction>' --path ");
		shell_quote(&sb, c->db_path);
	}
	sb_adds(&sb, " --json. Read the worker's state first, then give it its next instruction.");
	return sb_take(&sb);
}

/* start-worker and start-manager: parse, build the first prompt, start. */
static cJSON *start_role(struct ctx *c, const struct args *a, const char *role, struct err *e)
{
	if (args_has(a, "--json"))
		return err_null(e, EXIT_USAGE, "Unsupported TypeScript runtime option for start-%s.", role);
	if (args_count(a, "--name") != 1)
		return err_null(e, EXIT_USAGE, "start-%s requires --name N.", role);
	struct start_opts o;
	if (start_opts_parse(a, role, args_get(a, "--name"), 15, &o, e) != 0)
		return NULL;
	const char *task = args_get(a, "--task");
	o.via = strcmp(role, "worker") == 0 ? "start-worker" : "start-manager";
	if (task && strcmp(role, "worker") == 0)
		o.prompt = strdup(task);
	else if (task)
		o.prompt = start_manager_prompt(c, task, args_get(a, "--task-goal"), args_get(a, "--worker"));
	cJSON *r = start_session(c, &o, e);
	start_opts_free(&o);
	return r;
}

/* start-worker --name N [--task PROMPT] ... */
cJSON *start_worker(struct ctx *c, const struct args *a, struct err *e)
{
	return start_role(c, a, "worker", e);
}

/* The flags of start-worker. */
static const struct flag_spec start_worker_flags[] = {
	{.name = "--name", .type = FLAG_STRING, .arg = "N", .help = "session name; tmux session codex-N (required)"},
	{.name = "--task", .type = FLAG_STRING, .arg = "PROMPT", .help = "first prompt typed into the worker", .guard = 1},
	START_FLAGS,
	{0},
};

/* `start-worker`. */
const struct cmd_entry cmd_start_worker = {
	.word = "start-worker",
	.man = "conveyor-steer",
	.usage = "start-worker --name N [--task PROMPT] [--cwd D] [--sandbox S] [--ask-for-approval A] [--codex-profile yolo] "
		"[--accept-trust] [--timeout-seconds N]",
	.summary = "Start Codex in tmux session codex-N, send its first prompt, and register it as a worker.",
	.help = "Runs `codex --no-daemon` ($CONVEYOR_CODEX or codex on PATH) in CWD; types PROMPT once Codex is ready and\n"
		"finds the rollout it opens through /proc. Refusals and timeouts exit 1 with a recovery hint.\n"
		"\nexample:\n  conveyor start-worker --name w1 --cwd ~/repo --task 'Fix the failing test' --accept-trust\n",
	.flags = start_worker_flags,
	.pre = CMD_WRITES,
	.run = start_worker,
};

/* start-manager --name N [--task T --task-goal G --worker W] ... */
cJSON *start_manager(struct ctx *c, const struct args *a, struct err *e)
{
	return start_role(c, a, "manager", e);
}

/* The flags of start-manager. */
static const struct flag_spec start_manager_flags[] = {
	{.name = "--name", .type = FLAG_STRING, .arg = "N", .help = "session name; tmux session codex-N (required)"},
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "task named in the manager's bootstrap prompt"},
	{.name = "--task-goal", .type = FLAG_STRING, .arg = "G",
	 .help = "goal added to the bootstrap prompt (with --task)", .guard = 1},
	{.name = "--worker", .type = FLAG_STRING, .arg = "W",
	 .help = "worker named in the bootstrap prompt (with --task)"},
	START_FLAGS,
	{0},
};

/* `start-manager`. */
const struct cmd_entry cmd_start_manager = {
	.word = "start-manager",
	.man = "conveyor-steer",
	.usage = "start-manager --name N [--task T] [--task-goal G] [--worker W] [--cwd D] [--sandbox S] [--ask-for-approval A] "
		"[--codex-profile yolo] [--accept-trust] [--timeout-seconds N]",
	.summary = "Start Codex in tmux session codex-N with a manager bootstrap prompt and register it as a manager.",
	.help = "Same sequence as start-worker; with --task the first prompt tells the manager its task, worker and the\n"
		"commands it steers with.\n"
		"\nexample:\n  conveyor start-manager --name m1 --task docs --worker w1 --accept-trust\n",
	.flags = start_manager_flags,
	.pre = CMD_WRITES,
	.run = start_manager,
};
