/* dispatch (SPEC 6.2, docs/dispatch.md): flags, one pass (recover stale claims, then claim and execute commands
 * one short transaction each), --watch passes with their heartbeat, the result and its text form. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/dispatch/dispatch_cmds.h"
#include "util/proc.h"
#include "store/store.h"
#include "util/json.h"

/* Everything the flags ask for. */
struct dispatch_run {
	struct dispatch_opts o;
	int watch;
	long long interval_ms, iterations; /* iterations 0: forever */
	double interval_s;
};

/* A non-negative integer flag (already checked by the parser), def when absent, at least 1. */
static long long dispatch_count(const struct args *a, const char *flag, long long def)
{
	long long n = args_int_or(a, flag, def);
	return n < 1 ? 1 : n;
}

/* Validates the flags into d; -1 with e set. */
static int dispatch_parse(const struct ctx *c, const struct args *a, struct dispatch_run *d, struct err *e)
{
	memset(d, 0, sizeof *d);
	if (args_has(a, "--once") && args_has(a, "--watch"))
		return err_set(e, EXIT_USAGE, "--once and --watch cannot be used together."), -1;
	if (args_enum(a, "--type", &d->o.type, e) != 0 || args_seconds(a, "--interval", 2, &d->interval_s, e) != 0)
		return -1;
	d->interval_ms = llround(d->interval_s * 1000);
	d->interval_ms = d->interval_ms < 1 ? 1 : d->interval_ms;
	d->watch = args_has(a, "--watch");
	d->iterations = args_get(a, "--watch-iterations") ? dispatch_count(a, "--watch-iterations", 1) : 0;
	d->o.dispatcher_id = args_get(a, "--dispatcher-id") ? args_get(a, "--dispatcher-id") : "dispatch-local";
	d->o.limit = dispatch_count(a, "--limit", 10);
	d->o.lease_ms = dispatch_count(a, "--lease-seconds", 60) * 1000;
	d->o.dry_run = c->dry_run;
	return 0;
}

/* Whether the pass handles commands (any --type but worker_task_complete) and completions (no command type). */
static int dispatch_wants(const struct dispatch_opts *o, int completions)
{
	int only_completions = o->type && strcmp(o->type, "worker_task_complete") == 0;
	return completions ? !o->type || only_completions : !only_completions;
}

/* Commands of one pass: recovery and then up to limit claims, each claim (with a pull delivery) in its own
 * short transaction, committed before the next; a push releases the database while it types. A dry run lists
 * the claimable commands. */
static int dispatch_pass_commands(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	if (o->dry_run) {
		cJSON *rows = dispatch_planned(c, o, e), *row;
		if (!rows)
			return -1;
		while ((row = cJSON_DetachItemFromArray(rows, 0)))
			cJSON_AddItemToArray(processed, row);
		cJSON_Delete(rows);
		return 0;
	}
	if (dispatch_recover(c, o, processed, e) != 0 || ctx_release(c, e) != 0)
		return -1;
	for (long long n = 0; n < o->limit; n++) {
		struct dispatch_item it;
		if (!ctx_db(c, e) || dispatch_refresh_now(c, e) != 0)
			return -1;
		int rc = dispatch_claim(c, o, &it, e);
		cJSON *x = rc == 1 ? dispatch_execute(c, o, &it, e) : NULL;
		cJSON_Delete(it.cmd);
		if (rc < 0 || (rc == 1 && !x))
			return -1;
		if (rc == 0)
			return 0;
		cJSON_AddItemToArray(processed, x);
		if (ctx_release(c, e) != 0)
			return -1;
	}
	return 0;
}

/* One pass: commands (SPEC 6.2 steps 1-2), then worker completions (step 3). */
static int dispatch_pass(struct ctx *c, const struct dispatch_opts *o, cJSON *processed, struct err *e)
{
	if (!ctx_db(c, e) || dispatch_refresh_now(c, e) != 0)
		return -1;
	if (dispatch_wants(o, 0) && dispatch_pass_commands(c, o, processed, e) != 0)
		return -1;
	if (!dispatch_wants(o, 1))
		return 0;
	if (!ctx_db(c, e) || dispatch_refresh_now(c, e) != 0)
		return -1;
	return dispatch_completions(c, o, processed, e);
}

/* Emits dispatch_watch_heartbeat for a --watch pass (nothing in a dry run, which writes nothing). */
static int dispatch_heartbeat(struct ctx *c, const struct dispatch_opts *o, long long iteration, int count,
			      struct err *e)
{
	if (o->dry_run)
		return 0;
	if (!ctx_db(c, e))
		return -1;
	char summary[256];
	snprintf(summary, sizeof summary, "Dispatcher %s pass %lld processed %d item(s).", o->dispatcher_id, iteration,
		 count);
	cJSON *corr = cJSON_CreateObject(), *attrs = cJSON_CreateObject();
	cJSON_AddStringToObject(corr, "dispatcher_id", o->dispatcher_id);
	cJSON_AddNumberToObject(corr, "iteration", (double)iteration);
	cJSON_AddBoolToObject(attrs, "dry_run", o->dry_run);
	cJSON_AddNumberToObject(attrs, "processed_count", count);
	struct telemetry t = {"dispatch", "dispatch_watch_heartbeat", "debug", summary, NULL, NULL, NULL, corr, attrs};
	return audit_telemetry(c, &t, NULL, e);
}

/* dispatch [--once|--watch] ...: one pass, or passes every --interval seconds (the database released while it
 * sleeps) until --watch-iterations. */
static cJSON *dispatch_run(struct ctx *c, const struct args *a, struct err *e)
{
	struct dispatch_run d;
	if (dispatch_parse(c, a, &d, e) != 0)
		return NULL;
	cJSON *processed = cJSON_CreateArray();
	long long iteration = 0;
	for (;;) {
		iteration++;
		int before = cJSON_GetArraySize(processed);
		if (dispatch_pass(c, &d.o, processed, e) != 0 ||
		    (d.watch && dispatch_heartbeat(c, &d.o, iteration, cJSON_GetArraySize(processed) - before, e) != 0)) {
			cJSON_Delete(processed);
			return NULL;
		}
		if (!d.watch || (d.iterations && iteration >= d.iterations))
			break;
		if (ctx_release(c, e) != 0) {
			cJSON_Delete(processed);
			return NULL;
		}
		proc_sleep_ms((int)d.interval_ms);
	}
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "dispatcher_id", d.o.dispatcher_id);
	cJSON_AddBoolToObject(r, "dry_run", d.o.dry_run);
	cJSON_AddNumberToObject(r, "iterations", (double)iteration);
	cJSON_AddNumberToObject(r, "processed_count", cJSON_GetArraySize(processed));
	cJSON_AddItemToObject(r, "processed", processed);
	cJSON_AddBoolToObject(r, "watch", d.watch);
	return r;
}

/* The flags of dispatch. */
static const struct flag_spec dispatch_flags[] = {
	{.name = "--once", .type = FLAG_BOOL, .help = "run one pass (the default)"},
	{.name = "--watch", .type = FLAG_BOOL, .help = "repeat a pass every --interval seconds"},
	{.name = "--type", .type = FLAG_ENUM, .arg = "T", .help = "only commands of this type",
	 .values = (const char *const[]){"notify_manager", "nudge_worker", "continue_iteration", "worker_task_complete", NULL}},
	{.name = "--dispatcher-id", .type = FLAG_STRING, .arg = "ID",
	 .help = "this dispatcher's id (default dispatch-local)"},
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "claim at most N commands per pass (default 10)"},
	{.name = "--lease-seconds", .type = FLAG_COUNT, .arg = "N",
	 .help = "lease of each claim in seconds (default 60)"},
	{.name = "--interval", .type = FLAG_SECONDS, .arg = "S", .help = "seconds between --watch passes (default 2)",
	 .max = 2000000, .positive = 1},
	{.name = "--watch-iterations", .type = FLAG_COUNT, .arg = "N",
	 .help = "stop --watch after N passes (default: never)"},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "list the commands a pass would claim, write nothing"},
	{0},
};

/* `dispatch`. */
const struct cmd_entry cmd_dispatch = {
	.word = "dispatch",
	.man = "conveyor-dispatch",
	.usage = "dispatch [--once|--watch] [--type T] [--dispatcher-id ID] [--limit N] [--lease-seconds N] [--interval S] "
		"[--watch-iterations N] [--dry-run]",
	.summary = "Deliver queued commands: claim them, route them through the task's binding, push or leave them in inboxes.",
	.help = "One pass recovers expired claims, then claims up to N (default 10) pending commands, one at a time, each\n"
		"leased for --lease-seconds (default 60). A target with a tmux session gets the text typed (push); others\n"
		"find it in their inbox (pull_required). --watch repeats every S seconds (default 2, decimals allowed).\n"
		CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor dispatch --watch --interval 1 --dispatcher-id d1\n",
	.flags = dispatch_flags,
	.pre = CMD_WRITES,
	.run = dispatch_run,
	.text = dispatch_text,
};

/* Text form: dispatch processed <n> item(s), then one line per item: state, type, command and target. */
void dispatch_text(const cJSON *r, struct sb *out)
{
	const cJSON *item;
	sb_addf(out, "dispatch processed %d item(s)\n", cJSON_GetArraySize(cJSON_GetObjectItem(r, "processed")));
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(r, "processed"))
	{
		const char *target = json_str(item, "target_session"), *error = json_str(item, "error");
		if (json_str(item, "command_id"))
			sb_addf_clean(out, "%s %s %s", json_str(item, "state"), json_str(item, "command_type"),
				      json_str(item, "command_id"));
		else
			sb_addf_clean(out, "%s worker_task_complete event %lld", json_str(item, "state"),
				      (long long)cJSON_GetObjectItem(item, "source_event_id")->valuedouble);
		if (target)
			sb_addf_clean(out, " to %s", target);
		if (error)
			sb_addf_clean(out, ": %s", error);
		sb_adds(out, "\n");
	}
}
