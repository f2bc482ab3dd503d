/* session-interrupt (SPEC 7.2, docs/steer.md): stop the running turn with one key, confirm it ended, then send
 * the optional follow-up through the confirmed nudge path. */
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/steer/steer_cmds.h"
#include "core/steer/steer_int.h"
#include "util/json.h"

#define INTERRUPT_DEFAULT_KEY "Escape"

/* What one session-interrupt did. */
struct interrupt_run {
	const char *key, *followup;
	struct steer_stop stop;
	struct steer_sent sent;
};

/* The session-interrupt result (SPEC 7.2 plus what was confirmed). */
static cJSON *interrupt_result(const struct steer_ctx *sc, int dry_run, const struct interrupt_run *run)
{
	cJSON *r = cJSON_CreateObject();
	json_add_str(r, "confirmed_by", run->stop.confirmed_by);
	cJSON_AddBoolToObject(r, "dry_run", dry_run);
	json_add_str(r, "followup", run->followup);
	json_add_str(r, "followup_confirmed_by", run->sent.confirmed_by);
	steer_add_tristate(r, "interrupted", run->stop.interrupted);
	cJSON_AddStringToObject(r, "key", run->key);
	cJSON_AddBoolToObject(r, "key_sent", run->stop.was_busy);
	cJSON_AddStringToObject(r, "session", sc->w.name);
	steer_add_tristate(r, "submitted", run->sent.submitted);
	cJSON_AddStringToObject(r, "target", sc->target);
	cJSON_AddStringToObject(r, "time", sc->time);
	return r;
}

/* The audit of an interrupt: payload {dry_run, followup_length, interrupted, key, session, submitted}. */
static void interrupt_note(struct steer_note *n, const struct steer_ctx *sc, int dry_run,
			   const struct interrupt_run *run)
{
	n->event = "session_interrupted";
	n->prefix = "session_interrupt";
	n->payload = cJSON_CreateObject();
	cJSON_AddBoolToObject(n->payload, "dry_run", dry_run);
	cJSON_AddNumberToObject(n->payload, "followup_length", run->followup ? (double)strlen(run->followup) : 0);
	steer_add_tristate(n->payload, "interrupted", run->stop.interrupted);
	cJSON_AddStringToObject(n->payload, "key", run->key);
	cJSON_AddStringToObject(n->payload, "session", sc->w.name);
	steer_add_tristate(n->payload, "submitted", run->sent.submitted);
	n->attributes = cJSON_CreateObject();
	json_add_str(n->attributes, "confirmed_by", run->stop.confirmed_by);
	json_add_str(n->attributes, "followup_confirmed_by", run->sent.confirmed_by);
	steer_add_tristate(n->attributes, "interrupted", run->stop.interrupted);
	cJSON_AddStringToObject(n->attributes, "key", run->key);
	cJSON_AddBoolToObject(n->attributes, "key_sent", run->stop.was_busy);
	steer_add_tristate(n->attributes, "submitted", run->sent.submitted);
	json_add_str(n->attributes, "target", sc->target);
	n->unconfirmed = run->stop.interrupted == 0 && run->stop.was_busy ? 1 : run->sent.submitted == 0;
	n->summary = !run->stop.was_busy ? "Session was idle; no interrupt key sent"
		     : run->stop.interrupted == 0 ? "Session interrupt sent but not confirmed"
						  : "Session interrupted";
}

/* Sends the key, then the follow-up; -1 with failure set when tmux failed. */
static int interrupt_deliver(const struct steer_ctx *sc, int confirm_ms, struct interrupt_run *run, struct err *failure)
{
	if (steer_interrupt(&sc->w, run->key, confirm_ms, &run->stop, failure) != 0)
		return -1;
	return run->followup ? steer_send(&sc->w, run->followup, confirm_ms, &run->sent, failure) : 0;
}

/* session-interrupt <session> [--key K] [--followup TEXT]: interrupt the running turn of a tmux session. */
static cJSON *steer_interrupt_cmd(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = a->positional;
	if (!name)
		return err_null(e, EXIT_USAGE, "session-interrupt requires a session name.");
	struct interrupt_run run = {args_get(a, "--key"), args_get(a, "--followup"), {0, -1, NULL}, {0, 0, -1, NULL}};
	if (!run.key)
		run.key = INTERRUPT_DEFAULT_KEY;
	int confirm_ms = steer_confirm_ms(a, e);
	struct steer_ctx sc;
	if (confirm_ms < 0)
		return NULL;
	if (steer_load(c, name, &sc, e) != 0) {
		steer_ctx_free(&sc);
		return NULL;
	}
	struct steer_note note = {0};
	struct err failure = {0};
	cJSON *r = NULL;
	if (!sc.target)
		steer_no_tmux(&failure);
	else if (!c->dry_run && ctx_release(c, e) != 0)
		goto out;
	else if (!c->dry_run)
		interrupt_deliver(&sc, confirm_ms, &run, &failure);
	interrupt_note(&note, &sc, c->dry_run, &run);
	if (failure.code)
		r = steer_fail(c, &sc, &note, &failure, e);
	else if (steer_audit(c, &sc, &note, e) == 0)
		r = interrupt_result(&sc, c->dry_run, &run);
out:
	steer_ctx_free(&sc);
	return r;
}

/* The flags of session-interrupt. */
static const struct flag_spec interrupt_flags[] = {
	{.name = "--key", .type = FLAG_STRING, .arg = "K",
	 .help = "tmux key that interrupts the turn (default Escape)"},
	{.name = "--followup", .type = FLAG_STRING, .arg = "TEXT", .help = "text to send once the turn ended", .guard = 1},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "show what would be done, send and write nothing"},
	STEER_CONFIRM_FLAG,
	{0},
};

/* `session-interrupt`. */
const struct cmd_entry cmd_session_interrupt = {
	.word = "session-interrupt",
	.man = "conveyor-steer",
	.usage = "session-interrupt SESSION [--key K] [--followup TEXT] [--confirm-seconds N] [--dry-run]",
	.summary = "Interrupt a session's running turn (and send a follow-up), confirming the turn ended.",
	.help = "K defaults to Escape (Codex 0.169 quits on C-c when idle). No key is sent to a session with no running\n"
		"turn. The follow-up goes through session-nudge's confirmed delivery.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor session-interrupt worker-1 --followup 'Stop and summarise where you are'\n",
	.flags = interrupt_flags,
	.positional = "session",
	.pre = CMD_WRITES,
	.run = steer_interrupt_cmd,
	.text = steer_interrupt_text,
};

/* session-interrupt text: what happened to the turn, then to the follow-up. */
void steer_interrupt_text(const cJSON *r, struct sb *out)
{
	const cJSON *interrupted = cJSON_GetObjectItem(r, "interrupted"), *submitted = cJSON_GetObjectItem(r, "submitted");
	sb_addf_clean(out, "interrupt %s (%s): ", json_str(r, "session"), json_str(r, "target"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(r, "dry_run")))
		sb_adds(out, "nothing sent (dry run)\n");
	else if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "key_sent")))
		sb_adds(out, "no turn was running; no key sent\n");
	else if (cJSON_IsTrue(interrupted))
		sb_addf_clean(out, "%s sent, turn ended (confirmed by %s)\n", json_str(r, "key"), json_str(r, "confirmed_by"));
	else if (cJSON_IsFalse(interrupted))
		sb_addf_clean(out, "%s sent, but the turn was not seen to end: NOT confirmed\n", json_str(r, "key"));
	else
		sb_addf_clean(out, "%s sent (not checked)\n", json_str(r, "key"));
	if (!json_str(r, "followup"))
		return;
	if (cJSON_IsTrue(submitted))
		sb_addf_clean(out, "follow-up submitted (confirmed by %s)\n", json_str(r, "followup_confirmed_by"));
	else if (cJSON_IsFalse(submitted))
		sb_adds(out, "follow-up typed and Enter sent, but NOT confirmed\n");
	else if (!cJSON_IsTrue(cJSON_GetObjectItem(r, "dry_run")))
		sb_adds(out, "follow-up typed and Enter sent (not checked)\n");
}
