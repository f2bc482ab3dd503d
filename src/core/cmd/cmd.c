/* The one command table: the families' entries in the order --help lists them. Key bindings of the cockpit name
 * these commands; the man pages document each entry. */
#include "core/cmd/cmd.h"

#include <stdlib.h>
#include <string.h>

#define CMD_MAX 512 /* entries the flat list holds; the table has about 60 today and is planned past 100 */

/* Every family, in the order --help lists their commands. */
static const struct cmd_entry *const *const cmd_families[] = {
	cockpit_commands, campaign_commands, session_commands, rotation_commands, observe_commands,
	dispatch_commands, steer_commands, lifecycle_commands, cmd_commands,
};

/* Flags every command accepts. */
const struct flag_spec cmd_global_flags[] = {
	{.name = "--path", .type = FLAG_STRING, .arg = "DB",
	 .help = "database file (default .codex-workers/workerctl.db, or in $WORKERCTL_STATE_ROOT)"},
	{.name = "--json", .type = FLAG_BOOL, .help = "print the result as JSON"},
	{0},
};

const struct cmd_group cmd_groups[] = {
	{"campaign", "The campaign ledger: worker slots, briefs, assignments, asset receipts and the dashboard.",
	 "Every action but list takes --name C (campaign name or id); all take --path DB and --json. Actions that\n"
	 "write accept --dry-run. SLOT is a slot id or a slot key.\n"
	 "\nexamples (the Creative Ops loop):\n"
	 "  conveyor campaign create --name launch --objective 'Launch week content'\n"
	 "  conveyor campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok\n"
	 "  conveyor campaign brief --name launch --channel tiktok --brief-json '{\"tone\":\"playful\"}'\n"
	 "  conveyor campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three cuts'\n"
	 "  conveyor campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review\n"
	 "  conveyor campaign dashboard --name launch\n"},
};

const int cmd_groups_len = (int)(sizeof cmd_groups / sizeof cmd_groups[0]);

/* The flat list of entries, built from the families on first use. */
static const struct cmd_entry *const *cmd_list(int *n)
{
	static const struct cmd_entry *all[CMD_MAX];
	static int count = -1;
	if (count < 0) {
		count = 0;
		for (size_t f = 0; f < sizeof cmd_families / sizeof *cmd_families; f++)
			for (const struct cmd_entry *const *e = cmd_families[f]; *e; e++) {
				if (count == CMD_MAX)
					abort(); /* a build with more commands than CMD_MAX: raise it */
				all[count++] = *e;
			}
	}
	*n = count;
	return all;
}

/* How many entries the table has. */
int cmd_count(void)
{
	int n;
	cmd_list(&n);
	return n;
}

/* The i-th entry, in --help order. */
const struct cmd_entry *cmd_at(int i)
{
	int n;
	return cmd_list(&n)[i];
}

/* The entry for word (and action, for group commands), or NULL. */
const struct cmd_entry *cmd_find(const char *word, const char *action)
{
	for (int i = 0; i < cmd_count(); i++) {
		const struct cmd_entry *c = cmd_at(i);
		if (strcmp(c->word, word) != 0)
			continue;
		if ((!action && !c->action) || (action && c->action && strcmp(c->action, action) == 0))
			return c;
	}
	return NULL;
}

/* The group whose word this is, or NULL for plain commands and unknown words. */
const struct cmd_group *cmd_group_find(const char *word)
{
	for (int i = 0; i < cmd_groups_len; i++)
		if (strcmp(cmd_groups[i].word, word) == 0)
			return &cmd_groups[i];
	return NULL;
}

/* The declaration of flag name among a command's flags and the global ones, or NULL. */
const struct flag_spec *cmd_flag_find(const struct flag_spec *flags, const char *name)
{
	for (const struct flag_spec *f = cmd_global_flags; f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	for (const struct flag_spec *f = flags; f && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}
