/* doctor (SPEC 9.4, docs/steer.md): can conveyor start and steer Codex workers here? tmux and codex on PATH and
 * answering, the target directory, the state root and the database (opened read-only). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/base/paths.h"
#include "core/cmd/cmd.h"
#include "util/proc.h"
#include "core/host/procfs.h"
#include "core/steer/start.h"
#include "core/steer/steer_cmds.h"
#include "store/store.h"
#include "util/json.h"

#define DOCTOR_VERSION_TIMEOUT_MS 10000
#define DOCTOR_CODEX_SERIES "0.169."

/* The checks so far and whether every non-informational one passed. */
struct doctor {
	cJSON *checks;
	int ok;
};

/* Appends one check {detail, informational, name, ok}. */
static void doctor_check(struct doctor *d, const char *name, int ok, int informational, const char *detail)
{
	cJSON *c = cJSON_CreateObject();
	cJSON_AddStringToObject(c, "detail", detail);
	cJSON_AddBoolToObject(c, "informational", informational);
	cJSON_AddStringToObject(c, "name", name);
	cJSON_AddBoolToObject(c, "ok", ok);
	cJSON_AddItemToArray(d->checks, c);
	if (!ok && !informational)
		d->ok = 0;
}

/* Checks that a program is found at path (name) and answers flag (name_version); version gets the first line it
 * printed (empty when it did not run). */
static void doctor_program(struct doctor *d, const char *name, const char *path, const char *missing, const char *flag,
			   struct sb *version)
{
	char check[64];
	snprintf(check, sizeof check, "%s_version", name);
	doctor_check(d, name, path != NULL, 0, path ? path : missing);
	if (!path) {
		doctor_check(d, check, 0, 0, "not run: the program is missing");
		return;
	}
	const char *argv[] = {path, flag, NULL};
	struct proc_result r;
	proc_run(argv, DOCTOR_VERSION_TIMEOUT_MS, &r);
	const char *text = r.out.len ? r.out.buf : r.err.buf ? r.err.buf : "";
	sb_addn(version, text, strcspn(text, "\n"));
	if (r.status != 0)
		sb_addf(version, "%s%s %s exited with status %d", version->len ? "; " : "", path, flag, r.status);
	doctor_check(d, check, r.status == 0, 0, version->buf ? version->buf : "");
	proc_result_free(&r);
}

/* The codex version check, with a warning (not a failure) for a version conveyor was not tested with. */
static void doctor_codex(struct doctor *d)
{
	struct err e = {0};
	struct sb version;
	sb_init(&version);
	char *codex = start_codex_path(&e);
	doctor_program(d, "codex", codex, e.msg, "--version", &version);
	cJSON *last = cJSON_GetArrayItem(d->checks, cJSON_GetArraySize(d->checks) - 1);
	if (codex && cJSON_IsTrue(cJSON_GetObjectItem(last, "ok")) && !strstr(version.buf, " " DOCTOR_CODEX_SERIES)) {
		sb_adds(&version, " (warning: conveyor is tested with Codex " DOCTOR_CODEX_SERIES "x)");
		cJSON_ReplaceItemInObjectCaseSensitive(last, "detail", cJSON_CreateString(version.buf));
	}
	free(codex);
	sb_free(&version);
}

/* Whether path is an existing directory. */
static int doctor_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The database check: read-only health of an existing file (a missing one is informational). */
static int doctor_database(struct doctor *d, const char *path)
{
	struct stat st;
	struct sb detail;
	sb_init(&detail);
	char err[512];
	cJSON *h = NULL;
	int ok = 0;
	if (stat(path, &st) != 0) {
		sb_addf(&detail, "no database yet at %s; the first command that writes creates it", path);
		doctor_check(d, "database", 1, 1, detail.buf);
		sb_free(&detail);
		return 0;
	}
	if (!(h = store_health(path, err, sizeof err))) {
		sb_addf(&detail, "%s: %s", path, err);
	} else {
		const cJSON *version = cJSON_GetObjectItem(h, "user_version");
		ok = json_str(h, "quick_check") && strcmp(json_str(h, "quick_check"), "ok") == 0;
		sb_addf(&detail, "%s: journal_mode %s, user_version %d, quick_check %s", path, json_str(h, "journal_mode"),
			version ? version->valueint : -1, json_str(h, "quick_check"));
	}
	doctor_check(d, "database", ok, 0, detail.buf);
	cJSON_Delete(h);
	sb_free(&detail);
	return ok;
}

/* The registered worker sessions that are not gone: {alive, name, pid, tmux_session}. */
static cJSON *doctor_workers(struct ctx *c, struct err *e)
{
	struct store *s = ctx_db(c, e);
	cJSON *rows = s ? store_rows(s, "select name, pid, tmux_session from sessions where role = 'worker' and "
				    "state != 'gone' order by registered_at, rowid", "") : NULL;
	if (!rows)
		return s ? err_null(e, EXIT_USAGE, "%s", store_errmsg(s)) : NULL;
	cJSON *row;
	cJSON_ArrayForEach(row, rows)
	{
		const cJSON *pid = cJSON_GetObjectItem(row, "pid");
		cJSON_AddBoolToObject(row, "alive", cJSON_IsNumber(pid) && procfs_alive((long)pid->valuedouble));
	}
	return rows;
}

/* Fails doctor (exit 1) naming the checks that failed. */
static void doctor_fail(const struct doctor *d, struct err *e)
{
	struct sb msg;
	sb_init(&msg);
	sb_adds(&msg, "doctor: not ok:");
	const cJSON *check;
	cJSON_ArrayForEach(check, d->checks)
	{
		if (cJSON_IsTrue(cJSON_GetObjectItem(check, "ok")) || cJSON_IsTrue(cJSON_GetObjectItem(check, "informational")))
			continue;
		sb_addf(&msg, " %s (", json_str(check, "name"));
		sb_add_clean(&msg, json_str(check, "detail"));
		sb_adds(&msg, ");");
	}
	msg.buf[--msg.len] = '\0';
	err_set(e, EXIT_WORKER, "%s", msg.buf);
	sb_free(&msg);
}

/* doctor [--cwd D]: {checks, ok, project_root, workers}; the report is printed either way, and not ok also
 * exits 1 with the failed checks on stderr. */
static cJSON *doctor_run(struct ctx *c, const struct args *a, struct err *e)
{
	char *cwd = paths_absolute(args_get(a, "--cwd") ? args_get(a, "--cwd") : ".", e);
	if (!cwd)
		return NULL;
	struct doctor d = {cJSON_CreateArray(), 1};
	struct sb version, root;
	sb_init(&version);
	sb_init(&root);
	char *tmux = start_which("tmux");
	doctor_program(&d, "tmux", tmux, "tmux is not installed or is not available on PATH", "-V", &version);
	free(tmux);
	doctor_codex(&d);
	doctor_check(&d, "target_cwd_exists", doctor_is_dir(cwd), 0, cwd);
	sb_addn(&root, c->db_path, (size_t)(strrchr(c->db_path, '/') - c->db_path));
	doctor_check(&d, "state_root_exists", doctor_is_dir(root.buf), 1, root.buf);
	cJSON *workers = doctor_database(&d, c->db_path) ? doctor_workers(c, e) : cJSON_CreateArray();
	cJSON *r = NULL;
	if (!workers) {
		cJSON_Delete(d.checks);
	} else {
		if (!d.ok)
			doctor_fail(&d, e);
		r = cJSON_CreateObject();
		cJSON_AddItemToObject(r, "checks", d.checks);
		cJSON_AddBoolToObject(r, "ok", d.ok);
		cJSON_AddStringToObject(r, "project_root", cwd);
		cJSON_AddItemToObject(r, "workers", workers);
	}
	free(cwd);
	sb_free(&version);
	sb_free(&root);
	return r;
}

/* The flags of doctor. */
static const struct flag_spec doctor_flags[] = {
	{.name = "--cwd", .type = FLAG_STRING, .arg = "D", .help = "working directory to check (default current)"},
	{0},
};

/* `doctor`. */
const struct cmd_entry cmd_doctor = {
	.word = "doctor",
	.man = "conveyor-steer",
	.usage = "doctor [--cwd D]",
	.summary = "Check that tmux, Codex 0.169, the working directory and the database are usable.",
	.help = "Exits 1 when a check that is not informational fails.\n"
		"\nexample:\n  conveyor doctor --json\n",
	.flags = doctor_flags,
	.pre = CMD_READS,
	.run = doctor_run,
	.text = doctor_text,
};

/* doctor text: one line per check, then the workers. */
void doctor_text(const cJSON *r, struct sb *out)
{
	const cJSON *check, *worker;
	cJSON_ArrayForEach(check, cJSON_GetObjectItem(r, "checks"))
	{
		int ok = cJSON_IsTrue(cJSON_GetObjectItem(check, "ok"));
		int info = cJSON_IsTrue(cJSON_GetObjectItem(check, "informational"));
		sb_addf_clean(out, "%s %s: %s\n", ok ? "ok  " : info ? "info" : "FAIL", json_str(check, "name"),
			      json_str(check, "detail"));
	}
	cJSON_ArrayForEach(worker, cJSON_GetObjectItem(r, "workers"))
		sb_addf_clean(out, "worker %s: %s, tmux %s\n", json_str(worker, "name"),
			      cJSON_IsTrue(cJSON_GetObjectItem(worker, "alive")) ? "alive" : "not running",
			      json_str(worker, "tmux_session"));
	sb_adds(out, cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")) ? "doctor: ok\n" : "doctor: not ok\n");
}
