/* cycle <task> (SPEC 5.4): one manager observation of the bound worker — ingest, state, pane signal — recorded
 * as a manager_cycles row with its spans. The pane is captured outside any transaction (tmux may be slow). */
#include <stdlib.h>
#include <string.h>

#include "core/base/audit.h"
#include "core/cmd/cmd.h"
#include "core/observe/classify.h"
#include "core/observe/cycle.h"
#include "core/observe/ingest.h"
#include "core/observe/observe.h"
#include "core/observe/observe_cmds.h"
#include "util/proc.h"
#include "core/host/procfs.h"
#include "core/session/session.h"
#include "core/host/tmux.h"
#include "store/store.h"
#include "util/json.h"

#define CYCLE_PANE_LINES 200

/* Loads the task, its active binding and both sessions; 0, or -1 with e set. */
static int cycle_load(struct store *s, const char *ref, struct cycle_parts *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (!(p->task = task_lookup(s, ref, e)) || !(p->binding = binding_active(s, json_str(p->task, "id"), e)))
		return -1;
	const char *state = json_str(p->binding, "state");
	if (!state || strcmp(state, "active") != 0) {
		err_set(e, EXIT_USAGE, "task \"%s\" has no active binding; bind a worker and a manager first",
			json_str(p->task, "name"));
		return -1;
	}
	const char *sql = "select " SESSION_COLS " from sessions where id = ?";
	if (store_row(s, &p->worker, sql, "s", json_str(p->binding, "worker_session_id")) != 1 ||
	    store_row(s, &p->manager, sql, "s", json_str(p->binding, "manager_session_id")) != 1) {
		err_set(e, EXIT_USAGE, "binding \"%s\" names a session that does not exist", json_str(p->binding, "id"));
		return -1;
	}
	return 0;
}

/* Frees what cycle_load found. */
static void cycle_parts_free(struct cycle_parts *p)
{
	cJSON_Delete(p->task);
	cJSON_Delete(p->binding);
	cJSON_Delete(p->worker);
	cJSON_Delete(p->manager);
	memset(p, 0, sizeof *p);
}

/* Captures the worker's pane (no transaction held): fills sig->text, or the reason it could not. */
static void cycle_capture(const cJSON *worker, struct cycle_pane *sig)
{
	long long t0 = proc_monotonic_ms();
	const char *tmux = json_str(worker, "tmux_session");
	sb_init(&sig->text);
	if (!tmux) {
		sig->outcome = CYCLE_PANE_NO_TMUX;
	} else {
		struct err e = {0};
		char exact[512];
		snprintf(exact, sizeof exact, "=%s", tmux);
		int has = tmux_has_session(exact, &e);
		char *shown = tmux_target(tmux, json_str(worker, "tmux_pane_id"));
		char *target = tmux_exact(shown);
		free(shown);
		if (has == 0)
			sig->outcome = CYCLE_PANE_MISSING;
		else if (has < 0 || tmux_capture(target, CYCLE_PANE_LINES, &sig->text, &e) != 0)
			sig->outcome = CYCLE_PANE_ERROR;
		else
			sig->outcome = CYCLE_PANE_CAPTURED;
		snprintf(sig->error, sizeof sig->error, "%s", e.msg);
		free(target);
	}
	sig->ms = (double)(proc_monotonic_ms() - t0);
}

/* The pane_signal object: what the capture showed, classified with the worker's staleness as status age. */
static cJSON *cycle_pane_json(const struct cycle_pane *sig, const cJSON *worker, long long staleness, int recent,
			      long long busy_wait, const char **notable)
{
	cJSON *o = cJSON_CreateObject();
	const struct classify_hit *busy = NULL, *screen = NULL;
	*notable = NULL;
	char reason[1200];
	if (sig->outcome == CYCLE_PANE_CAPTURED) {
		busy = classify_busy_wait(sig->text.buf ? sig->text.buf : "", staleness, busy_wait, recent);
		screen = classify_screen(sig->text.buf ? sig->text.buf : "");
		*notable = busy ? busy->pattern : screen && screen->notable ? screen->notable : NULL;
		snprintf(reason, sizeof reason, "%s", busy ? busy->reason : screen ? screen->reason : "no notable pattern");
	} else if (sig->outcome == CYCLE_PANE_NO_TMUX) {
		snprintf(reason, sizeof reason, "session has no tmux_session");
	} else if (sig->outcome == CYCLE_PANE_MISSING) {
		*notable = "tmux_session_missing";
		snprintf(reason, sizeof reason, "tmux session is not running: %s", json_str(worker, "tmux_session"));
	} else {
		*notable = "pane_signal_error";
		snprintf(reason, sizeof reason, "%s", sig->error);
	}
	cJSON_AddBoolToObject(o, "captured", sig->outcome == CYCLE_PANE_CAPTURED);
	cJSON_AddItemToObject(o, "classifier", observe_hit_json(busy, 0));
	cJSON_AddBoolToObject(o, "degraded", sig->outcome == CYCLE_PANE_MISSING || sig->outcome == CYCLE_PANE_ERROR);
	json_add_str(o, "notable_pattern", *notable);
	cJSON_AddStringToObject(o, "reason", reason);
	cJSON_AddItemToObject(o, "screen", observe_hit_json(screen, 1));
	if (staleness >= 0)
		cJSON_AddNumberToObject(o, "status_age_seconds", (double)staleness);
	else
		cJSON_AddNullToObject(o, "status_age_seconds");
	return o;
}

/* Adds name: pid alive (kill(pid, 0) succeeds or is refused for permission), false without a pid. */
static void cycle_add_alive(cJSON *o, const char *name, const cJSON *session)
{
	const cJSON *pid = cJSON_GetObjectItemCaseSensitive(session, "pid");
	cJSON_AddBoolToObject(o, name, cJSON_IsNumber(pid) && procfs_alive((long)pid->valuedouble));
}

/* Runs the database part of a cycle inside the second transaction; returns the result or NULL with e set. */
static cJSON *cycle_record(struct ctx *c, struct cycle_parts *p, struct cycle_pane *sig, long long busy_wait,
			   struct err *e)
{
	struct cycle_run run = {c, p, {0}, 0, 0, NULL};
	if (cycle_start(&run, e) != 0)
		return NULL;
	long long t0 = proc_monotonic_ms();
	struct ingest_result ing;
	if (ingest_session(c, json_str(p->worker, "name"), &ing, e) != 0)
		return cycle_fail(&run, "ingest_rollout", e);
	cycle_span(&run, "ingest_rollout", (double)(proc_monotonic_ms() - t0), "succeeded", NULL);
	t0 = proc_monotonic_ms();
	struct cycle_state st;
	if (cycle_infer(c, json_str(p->worker, "id"), &st, e) != 0)
		return cycle_fail(&run, "infer_worker_state", e);
	cycle_span(&run, "infer_worker_state", (double)(proc_monotonic_ms() - t0), "succeeded", NULL);
	const char *notable;
	cJSON *pane = cycle_pane_json(sig, p->worker, st.staleness, ing.new_events, busy_wait, &notable);
	cycle_span(&run, "capture_pane_signal", sig->ms,
		   sig->outcome == CYCLE_PANE_MISSING || sig->outcome == CYCLE_PANE_ERROR ? "degraded" : "succeeded",
		   NULL);
	t0 = proc_monotonic_ms();
	cJSON *context = cycle_manager_context(c, p, e);
	int consumed = context ? cycle_consume(c, &run, e) : -1;
	if (consumed < 0) {
		cJSON_Delete(pane);
		cJSON_Delete(context);
		return cycle_fail(&run, "load_manager_context", e);
	}
	cycle_span(&run, "load_manager_context", (double)(proc_monotonic_ms() - t0), "succeeded", NULL);
	cJSON *r = cJSON_CreateObject();
	cJSON_AddStringToObject(r, "binding_id", json_str(p->binding, "id"));
	cJSON_AddNumberToObject(r, "consumed_dispatch_notifications", consumed);
	cJSON_AddItemToObject(r, "ingest", ingest_result_json(json_str(p->worker, "name"), &ing));
	cJSON_AddStringToObject(r, "kind", "session_cycle");
	json_add_str(r, "last_event_subtype", st.last_subtype);
	json_add_str(r, "last_state_event_at", st.state_at);
	cycle_add_alive(r, "manager_alive", p->manager);
	cJSON_AddItemToObject(r, "manager_context", context);
	cJSON_AddStringToObject(r, "manager_session", json_str(p->manager, "name"));
	json_add_str(r, "notable_pane_pattern", notable);
	cJSON_AddItemToObject(r, "pane_signal", pane);
	if (st.staleness >= 0)
		cJSON_AddNumberToObject(r, "staleness_seconds", (double)st.staleness);
	else
		cJSON_AddNullToObject(r, "staleness_seconds");
	cJSON_AddStringToObject(r, "state", st.state);
	cJSON_AddStringToObject(r, "task", json_str(p->task, "name"));
	cJSON_AddBoolToObject(r, "task_completed", st.last_subtype && strcmp(st.last_subtype, "task_complete") == 0);
	cycle_add_alive(r, "worker_alive", p->worker);
	cJSON_AddStringToObject(r, "worker_session", json_str(p->worker, "name"));
	cycle_state_free(&st);
	return cycle_finish(&run, r, e);
}

/* cycle <task> [--busy-wait-seconds N]: observes the bound worker once and records the cycle. */
static cJSON *observe_cycle(struct ctx *c, const struct args *a, struct err *e)
{
	if (!a->positional)
		return err_null(e, EXIT_USAGE, "cycle requires a task.");
	long long busy_wait = args_int_or(a, "--busy-wait-seconds", 90);
	struct cycle_parts p = {0};
	struct store *s = ctx_db(c, e);
	if (!s || cycle_load(s, a->positional, &p, e) != 0 || ctx_release(c, e) != 0) {
		cycle_parts_free(&p);
		return NULL;
	}
	struct cycle_pane sig;
	cycle_capture(p.worker, &sig);
	char *binding_id = strdup(json_str(p.binding, "id"));
	cycle_parts_free(&p);
	cJSON *r = NULL;
	if (!(s = ctx_db(c, e)) || cycle_load(s, a->positional, &p, e) != 0)
		goto out;
	if (strcmp(binding_id, json_str(p.binding, "id")) != 0) {
		err_set(e, EXIT_USAGE, "the binding of task \"%s\" changed during the cycle; run cycle again",
			json_str(p.task, "name"));
		goto out;
	}
	r = cycle_record(c, &p, &sig, busy_wait, e);
out:
	free(binding_id);
	sb_free(&sig.text);
	cycle_parts_free(&p);
	return r;
}

/* The flags of cycle. */
static const struct flag_spec cycle_flags[] = {
	{.name = "--busy-wait-seconds", .type = FLAG_COUNT, .arg = "N",
	 .help = "busy-wait threshold in seconds (default 90)"},
	{0},
};

/* `cycle`. */
const struct cmd_entry cmd_cycle = {
	.word = "cycle",
	.man = "conveyor-observe",
	.usage = "cycle TASK [--busy-wait-seconds N]",
	.summary = "Observe the bound worker once: ingest, infer busy/idle, classify its pane; record the cycle.",
	.help = "Needs an active binding. Consumes the manager's delivered notifications of the binding. The worker's\n"
		"pane is captured with tmux outside the database transaction. A failed cycle is recorded as failed and\n"
		"exits 2.\n"
		"\nexample:\n  conveyor cycle docs --json\n",
	.flags = cycle_flags,
	.positional = "task",
	.pre = CMD_WRITES,
	.run = observe_cycle,
	.text = observe_cycle_text,
};

/* Text form: "cycle #<id> <task>: worker <name> <state> (alive|not running), ...". */
void observe_cycle_text(const cJSON *r, struct sb *out)
{
	const cJSON *stale = cJSON_GetObjectItem(r, "staleness_seconds");
	const char *last = json_str(r, "last_event_subtype"), *notable = json_str(r, "notable_pane_pattern");
	sb_addf_clean(out, "cycle #%lld %s: worker %s %s (%s), last event %s", 
		      (long long)cJSON_GetObjectItem(r, "cycle_id")->valuedouble, json_str(r, "task"),
		      json_str(r, "worker_session"), json_str(r, "state"),
		      cJSON_IsTrue(cJSON_GetObjectItem(r, "worker_alive")) ? "alive" : "not running", last ? last : "none");
	if (cJSON_IsNumber(stale))
		sb_addf(out, " %llds ago", (long long)stale->valuedouble);
	sb_addf_clean(out, ", pane %s\n", notable ? notable : "ok");
}
