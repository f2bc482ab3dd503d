/* The declared guard on what a command stores or sends to an agent (task goals, handoffs, messages, prompts,
 * thread titles): a value that holds a token, a key or a password is refused before the command runs. Campaign
 * receipts have their own guard, which a human may override (campaign_guard). */
#include "core/base/secret.h"
#include "core/cmd/cmd.h"

/* Refuses label's value when the detector finds a secret in it; -1 with e set (the value is never echoed). */
static int guard_value(const char *label, const char *text, const cJSON *json, struct err *e)
{
	const char *kind = json ? secret_scan_json(json) : secret_scan(text, SECRET_MESSAGE);
	if (!kind)
		return 0;
	err_set(e, EXIT_USAGE, "%s contains what looks like %s; conveyor keeps secrets out of tasks, prompts, messages "
		"and the audit trail", label, kind);
	return -1;
}

/* Checks every occurrence of the entry's .guard flags and, for CMD_GUARD_TEXT, its text positional; 0, or -1
 * with e set naming the flag and the kind of secret. */
int cmd_guard(const struct cmd_entry *entry, const struct args *a, struct err *e)
{
	for (int i = 0; i < a->n; i++) {
		const struct arg_value *v = &a->v[i];
		if (v->spec->guard && v->value && guard_value(v->spec->name, v->value, v->json, e) != 0)
			return -1;
	}
	if ((entry->pre & CMD_GUARD_TEXT) && a->text)
		return guard_value("TEXT", a->text, NULL, e);
	return 0;
}
