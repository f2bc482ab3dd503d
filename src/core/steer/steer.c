/* session-nudge and session-interrupt (SPEC 7.1, 7.2) with confirmed delivery (docs/steer.md). The session is
 * read in a first short transaction; tmux and the waits run with no transaction open; the outcome is audited in
 * a second one. */
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/steer/steer_cmds.h"
#include "core/steer/steer_int.h"
#include "util/json.h"

#define STEER_CONFIRM_SECONDS 10

/* --confirm-seconds in milliseconds (default STEER_CONFIRM_SECONDS s, 0 = do not check); -1 with e set. */
int steer_confirm_ms(const struct args *a, struct err *e)
{
	long long n;
	if (args_int(a, "--confirm-seconds", STEER_CONFIRM_SECONDS, &n, e) != 0)
		return -1;
	return (int)n * 1000;
}

/* Whether text has nothing but whitespace. */
static int steer_blank(const char *text)
{
	for (const char *p = text; *p; p++)
		if ((unsigned char)*p > ' ')
			return 0;
	return 1;
}

/* The session-nudge result (SPEC 7.1 plus submitted and confirmed_by). */
static cJSON *nudge_result(const struct steer_ctx *sc, const char *text, int dry_run, const struct steer_sent *s)
{
	cJSON *r = cJSON_CreateObject();
	json_add_str(r, "confirmed_by", s->confirmed_by);
	cJSON_AddBoolToObject(r, "dry_run", dry_run);
	cJSON_AddStringToObject(r, "session", sc->w.name);
	cJSON_AddBoolToObject(r, "side_effect_completed", s->completed);
	cJSON_AddBoolToObject(r, "side_effect_started", s->started);
	steer_add_tristate(r, "submitted", s->submitted);
	cJSON_AddStringToObject(r, "target", sc->target);
	cJSON_AddStringToObject(r, "text", text);
	cJSON_AddStringToObject(r, "time", sc->time);
	return r;
}

/* The audit of a nudge: payload {dry_run, session, submitted, text_length} and the delivery attributes. */
static void nudge_note(struct steer_note *n, const struct steer_ctx *sc, int dry_run, const char *text,
		       const struct steer_sent *s)
{
	n->event = "session_nudged";
	n->prefix = "session_nudge";
	n->payload = cJSON_CreateObject();
	cJSON_AddBoolToObject(n->payload, "dry_run", dry_run);
	cJSON_AddStringToObject(n->payload, "session", sc->w.name);
	steer_add_tristate(n->payload, "submitted", s->submitted);
	cJSON_AddNumberToObject(n->payload, "text_length", (double)strlen(text));
	n->attributes = cJSON_CreateObject();
	json_add_str(n->attributes, "confirmed_by", s->confirmed_by);
	cJSON_AddBoolToObject(n->attributes, "side_effect_completed", s->completed);
	cJSON_AddBoolToObject(n->attributes, "side_effect_started", s->started);
	steer_add_tristate(n->attributes, "submitted", s->submitted);
	json_add_str(n->attributes, "target", sc->target);
	cJSON_AddNumberToObject(n->attributes, "text_length", (double)strlen(text));
	n->unconfirmed = s->submitted == 0;
	n->summary = s->submitted == 0 ? "Session nudge sent but not confirmed" : "Session nudge sent";
}

/* session-nudge <session> <text>: type the text into the session's tmux pane, submit it, confirm the turn. */
static cJSON *steer_nudge(struct ctx *c, const struct args *a, struct err *e)
{
	const char *name = a->positional, *text = a->text;
	if (!name || !text)
		return err_null(e, EXIT_USAGE, "session-nudge requires a session name and the text to send.");
	if (steer_blank(text))
		return err_null(e, EXIT_USAGE, "session-nudge text must not be empty.");
	int confirm_ms = steer_confirm_ms(a, e);
	struct steer_ctx sc;
	if (confirm_ms < 0 || steer_load(c, name, &sc, e) != 0) {
		if (confirm_ms >= 0)
			steer_ctx_free(&sc);
		return NULL;
	}
	struct steer_sent sent = {0, 0, -1, NULL};
	struct steer_note note = {0};
	struct err failure = {0};
	cJSON *r = NULL;
	if (!sc.target)
		steer_no_tmux(&failure);
	else if (!c->dry_run && ctx_release(c, e) != 0)
		goto out;
	else if (!c->dry_run)
		steer_send(&sc.w, text, confirm_ms, &sent, &failure);
	nudge_note(&note, &sc, c->dry_run, text, &sent);
	if (failure.code)
		r = steer_fail(c, &sc, &note, &failure, e);
	else if (steer_audit(c, &sc, &note, e) == 0)
		r = nudge_result(&sc, text, c->dry_run, &sent);
out:
	steer_ctx_free(&sc);
	return r;
}

/* The flags of session-nudge. */
static const struct flag_spec nudge_flags[] = {
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "show what would be sent, send and write nothing"},
	STEER_CONFIRM_FLAG,
	{0},
};

/* `session-nudge`. */
const struct cmd_entry cmd_session_nudge = {
	.word = "session-nudge",
	.man = "conveyor-steer",
	.usage = "session-nudge SESSION TEXT [--confirm-seconds N] [--dry-run]",
	.summary = "Type TEXT into a session's tmux pane, submit it, and confirm that a turn started.",
	.help = "The text is pasted (bracketed), Enter is pressed once Codex shows it, then the rollout and the screen are\n"
		"watched for N seconds (default 10; 0 does not check) for the turn to start. submitted: false (exit 0)\n"
		"means Enter was sent but no turn was seen. tmux failures exit 1 and are recorded.\n" CMD_DRY_RUN_HELP
		"\nexample:\n  conveyor session-nudge worker-1 'Run the tests and report' --json\n",
	.flags = nudge_flags,
	.positional = "session",
	.pre = CMD_WRITES | CMD_TEXT_ARG | CMD_GUARD_TEXT,
	.run = steer_nudge,
	.text = steer_nudge_text,
};

/* session-nudge text: one line saying what happened. */
void steer_nudge_text(const cJSON *r, struct sb *out)
{
	const cJSON *submitted = cJSON_GetObjectItem(r, "submitted");
	sb_addf_clean(out, "nudge %s (%s): ", json_str(r, "session"), json_str(r, "target"));
	if (cJSON_IsTrue(cJSON_GetObjectItem(r, "dry_run")))
		sb_adds(out, "not sent (dry run)\n");
	else if (cJSON_IsTrue(submitted))
		sb_addf_clean(out, "submitted (confirmed by %s)\n", json_str(r, "confirmed_by"));
	else if (cJSON_IsFalse(submitted))
		sb_adds(out, "typed and Enter sent, but no turn was seen to start: NOT confirmed\n");
	else
		sb_adds(out, "typed and Enter sent (not checked)\n");
}
