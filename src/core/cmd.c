/* The one command table. Key bindings of the cockpit name these commands; the man pages document each entry. */
#include "core/cmd.h"

#include <string.h>

#include "core/campaign_cmds.h"

/* Flags of `campaign`: every action accepts all of them and ignores those it does not use (SPEC 2.1). */
static const struct flag_spec campaign_flags[] = {
	{"--name", FLAG_VALUE, NULL},
	{"--artifact-path", FLAG_VALUE, NULL},
	{"--asset", FLAG_VALUE, NULL},
	{"--asset-type", FLAG_VALUE, NULL},
	{"--assignment", FLAG_VALUE, NULL},
	{"--brief-json", FLAG_VALUE, NULL},
	{"--channel", FLAG_VALUE, NULL},
	{"--dry-run", FLAG_BOOL, NULL},
	{"--expected-thread-id", FLAG_VALUE, NULL},
	{"--human-approved", FLAG_BOOL, NULL},
	{"--instructions", FLAG_VALUE, NULL},
	{"--limit", FLAG_UINT, NULL},
	{"--metadata-json", FLAG_VALUE, NULL},
	{"--no-thread", FLAG_BOOL, NULL},
	{"--objective", FLAG_VALUE, NULL},
	{"--prompt-summary", FLAG_VALUE, NULL},
	{"--review-notes", FLAG_VALUE, NULL},
	{"--reviewer", FLAG_VALUE, NULL},
	{"--role-label", FLAG_VALUE, NULL},
	{"--session-id", FLAG_VALUE, NULL},
	{"--slot", FLAG_VALUE, NULL},
	{"--slot-key", FLAG_VALUE, NULL},
	{"--stale-after", FLAG_UINT, NULL},
	{"--state", FLAG_VALUE, "--status"},
	{"--status", FLAG_VALUE, NULL},
	{"--task", FLAG_VALUE, NULL},
	{"--thread-id", FLAG_VALUE, NULL},
	{"--thread-title", FLAG_VALUE, NULL},
	{"--title", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

#define GUARD_HELP \
	"Values that look like secrets (JWTs, private keys, API tokens, Bearer tokens) or archive/app-package\n" \
	"paths are refused unless --human-approved, which records the approval in the receipt's metadata.\n"
#define DRY_RUN_HELP "--dry-run validates everything, writes nothing and prints what would have been done.\n"

const struct cmd_entry cmd_table[] = {
	{"campaign", "create", "campaign create --name C --objective TEXT [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Create a campaign (status active).",
	 "Fails if the name is taken: UNIQUE constraint failed: campaigns.name.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign create --name launch --objective 'Launch week content'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_create, campaign_create_text},
	{"campaign", "add-slot",
	 "campaign add-slot --name C --slot-key KEY --role-label LABEL [--channel CH] [--session-id ID] [--thread-id ID] "
	 "[--thread-title T] [--state S] [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Add a named worker slot (state planned unless --state).",
	 "--session-id must name a registered worker session. --state is one of active, archived, blocked, idle,\n"
	 "planned. The slot key is unique within the campaign.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_add_slot, campaign_add_slot_text},
	{"campaign", "attach-slot",
	 "campaign attach-slot --name C --slot SLOT [--session-id ID] [--thread-id ID] [--thread-title T] [--state S] "
	 "[--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Attach a worker session and/or Codex app thread to a slot.",
	 "SLOT is a slot id or the slot's key. Only the fields whose flags are given change; the state changes\n"
	 "only with --state, and an archived slot needs an explicit --state. --metadata-json replaces the metadata.\n"
	 GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign attach-slot --name launch --slot tiktok --session-id SESSION --thread-id thr_1 --state active\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_attach_slot, campaign_slot_text},
	{"campaign", "rotate-slot",
	 "campaign rotate-slot --name C --slot SLOT --expected-thread-id OLD --thread-id NEW [--thread-title T] "
	 "[--session-id ID] [--state S] [--dry-run]",
	 "Move a slot to a new Codex app thread, guarded by its current thread id.",
	 "Refused unless the slot's thread is exactly OLD. The session is kept unless --session-id; the title\n"
	 "becomes --thread-title or null; the state changes only with --state (required for an archived slot).\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign rotate-slot --name launch --slot tiktok --expected-thread-id thr_1 --thread-id thr_2\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_rotate_slot, campaign_rotate_slot_text},
	{"campaign", "archive-slot",
	 "campaign archive-slot --name C --slot SLOT (--expected-thread-id ID | --no-thread) [--dry-run]",
	 "Archive a slot, guarded by its current thread id.",
	 "Refused unless the slot's thread is exactly ID; --no-thread archives a slot that has no thread and is\n"
	 "refused when the slot has one. The thread id is kept.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign archive-slot --name launch --slot tiktok --expected-thread-id thr_2\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_archive_slot, campaign_slot_text},
	{"campaign", "brief", "campaign brief --name C --channel CH --brief-json JSON [--human-approved] [--dry-run]",
	 "Create or replace the brief of a channel.",
	 "--brief-json must be a JSON object. An existing brief keeps its id and created_at. A secret in the brief\n"
	 "is refused unless --human-approved, which records the approval in the campaign_brief audit event.\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign brief --name launch --channel tiktok --brief-json '{\"tone\":\"playful\"}'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_brief, campaign_brief_text},
	{"campaign", "assign",
	 "campaign assign --name C --slot SLOT --title T --instructions TEXT [--status S] [--metadata-json JSON] "
	 "[--human-approved] [--dry-run]",
	 "Record an assignment for a slot (status queued unless --status).",
	 "--status is one of active, blocked, cancelled, done, queued; completed_at is set when created done.\n"
	 GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_assign, campaign_assign_text},
	{"campaign", "asset",
	 "campaign asset --name C --slot SLOT --title T --asset-type TYPE [--assignment ID] [--channel CH] [--status S] "
	 "[--prompt-summary TEXT] [--artifact-path PATH] [--review-notes TEXT] [--metadata-json JSON] [--human-approved] "
	 "[--dry-run]",
	 "Record an asset receipt for a slot (status draft unless --status).",
	 "TYPE is one of audio, copy, hyperframes, image, other, video; --status one of approved, draft,\n"
	 "needs_review, published, rejected. --assignment must belong to the same slot. The channel defaults to\n"
	 "the slot's channel.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_asset, campaign_asset_text},
	{"campaign", "status", "campaign status --name C", "Show the campaign, its slots, briefs and counts.",
	 "example:\n  conveyor campaign status --name launch --json\n", campaign_flags, NULL, CMD_READS, campaign_status,
	 campaign_status_text},
	{"campaign", "dashboard", "campaign dashboard --name C [--stale-after SECONDS]",
	 "Show slot lifecycles, blockers, approvals and the manager's next action.",
	 "A slot whose session heartbeat is older than SECONDS (default 300) is stale.\n"
	 "\nexample:\n  conveyor campaign dashboard --name launch --json\n",
	 campaign_flags, NULL, CMD_READS, campaign_dashboard, campaign_dashboard_text},
	{"campaign", "list", "campaign list [--stale-after SECONDS]",
	 "List every campaign with its counts and next manager action.",
	 "Takes no --name. A slot whose session heartbeat is older than SECONDS (default 300) counts as stale.\n"
	 "\nexample:\n  conveyor campaign list\n",
	 campaign_flags, NULL, CMD_READS, campaign_list, campaign_list_text},
	{"campaign", "set-status", "campaign set-status --name C --status S [--dry-run]",
	 "Set the campaign's status: active, paused, done, blocked or archived.",
	 "A done or archived campaign's next manager action is none.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign set-status --name launch --status done\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_set_status, campaign_set_status_text},
	{"campaign", "update-assignment",
	 "campaign update-assignment --name C --assignment ID --status S [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Change an assignment's status (and optionally replace its metadata).",
	 "completed_at is set when the status becomes done and cleared when it leaves done.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign update-assignment --name launch --assignment ID --status done\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_update_assignment, campaign_change_text},
	{"campaign", "review",
	 "campaign review --name C --asset ID --status S [--review-notes TEXT] [--reviewer NAME] [--human-approved] "
	 "[--dry-run]",
	 "Record a review decision on an asset receipt.",
	 "S is one of approved, needs_review, published, rejected. The review time and reviewer are recorded;\n"
	 "notes and reviewer keep their values when not given.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign review --name launch --asset ID --status approved --reviewer dana\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_review, campaign_change_text},
};

const int cmd_table_len = (int)(sizeof cmd_table / sizeof cmd_table[0]);

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

/* The entry for word (and action, for group commands), or NULL. */
const struct cmd_entry *cmd_find(const char *word, const char *action)
{
	for (int i = 0; i < cmd_table_len; i++) {
		const struct cmd_entry *c = &cmd_table[i];
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
