/* The campaign family's commands, in the order --help lists them, and the flags its commands share. */
#include "core/cmd/cmd.h"

/* The flags of campaign add-slot, campaign archive-slot, campaign asset, campaign assign, campaign attach-slot, campaign brief, campaign create, campaign dashboard, campaign list, campaign review, campaign rotate-slot, campaign set-status, campaign status, campaign update-assignment. */
const struct flag_spec campaign_flags[] = {
	{.name = "--name", .type = FLAG_STRING, .arg = "C", .help = "campaign name or id (required by all actions but list)"},
	{.name = "--artifact-path", .type = FLAG_STRING, .arg = "PATH", .help = "path of the asset's artifact (asset)"},
	{.name = "--asset", .type = FLAG_STRING, .arg = "ID", .help = "id of the asset receipt to review (review)"},
	{.name = "--asset-type", .type = FLAG_STRING, .arg = "TYPE", .help = "kind of asset (asset, required)"},
	{.name = "--assignment", .type = FLAG_STRING, .arg = "ID", .help = "assignment id (update-assignment; asset: same slot)"},
	{.name = "--brief-json", .type = FLAG_JSON, .arg = "JSON", .help = "the channel's brief as a JSON object (brief, required)"},
	{.name = "--channel", .type = FLAG_STRING, .arg = "CH", .help = "channel (add-slot, brief; asset default: the slot's)"},
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "validate, write nothing, print what would be done"},
	{.name = "--expected-thread-id", .type = FLAG_STRING, .arg = "ID", .help = "guard: the slot's current thread id (rotate/archive-slot)"},
	{.name = "--human-approved", .type = FLAG_BOOL, .help = "accept secret-looking values, recording the approval"},
	{.name = "--instructions", .type = FLAG_STRING, .arg = "TEXT", .help = "what the assignment asks for (assign, required)"},
	{.name = "--limit", .type = FLAG_COUNT, .arg = "N", .help = "accepted and ignored (reference compatibility)"},
	{.name = "--metadata-json", .type = FLAG_JSON, .arg = "JSON", .help = "metadata as a JSON object (default {})"},
	{.name = "--no-thread", .type = FLAG_BOOL, .help = "archive a slot that has no thread (archive-slot)"},
	{.name = "--notify", .type = FLAG_BOOL, .help = "also queue it to the slot's worker session (assign, review)"},
	{.name = "--objective", .type = FLAG_STRING, .arg = "TEXT", .help = "the campaign's objective (create, required)"},
	{.name = "--prompt-summary", .type = FLAG_STRING, .arg = "TEXT", .help = "summary of the prompt behind the asset (asset)"},
	{.name = "--review-notes", .type = FLAG_STRING, .arg = "TEXT", .help = "review notes (asset, review)"},
	{.name = "--reviewer", .type = FLAG_STRING, .arg = "NAME", .help = "who reviewed the asset (review)"},
	{.name = "--role-label", .type = FLAG_STRING, .arg = "LABEL", .help = "the slot's role label (add-slot, required)"},
	{.name = "--session-id", .type = FLAG_STRING, .arg = "ID", .help = "id of a registered worker session for the slot"},
	{.name = "--slot", .type = FLAG_STRING, .arg = "SLOT", .help = "slot id or slot key"},
	{.name = "--slot-key", .type = FLAG_STRING, .arg = "KEY", .help = "key of the new slot, unique in the campaign (add-slot)"},
	{.name = "--stale-after", .type = FLAG_COUNT, .arg = "SECONDS", .help = "heartbeat age that makes a slot stale (default 300)"},
	{.name = "--state", .type = FLAG_STRING, .arg = "S", .help = "synonym of --status", .key = "--status"},
	{.name = "--status", .type = FLAG_STRING, .arg = "S", .help = "status or slot state to set (values depend on action)"},
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "accepted and ignored (reference compatibility)"},
	{.name = "--thread-id", .type = FLAG_STRING, .arg = "ID", .help = "the slot's Codex app thread id (rotate-slot: the new one)"},
	{.name = "--thread-title", .type = FLAG_STRING, .arg = "T", .help = "the slot's Codex app thread title"},
	{.name = "--title", .type = FLAG_STRING, .arg = "T", .help = "title of the assignment or asset (assign, asset)"},
	{0},
};

extern const struct cmd_entry cmd_campaign_create, cmd_campaign_add_slot, cmd_campaign_attach_slot, cmd_campaign_rotate_slot, cmd_campaign_archive_slot, cmd_campaign_brief, cmd_campaign_assign, cmd_campaign_asset, cmd_campaign_status, cmd_campaign_dashboard, cmd_campaign_list, cmd_campaign_set_status, cmd_campaign_update_assignment, cmd_campaign_review;

const struct cmd_entry *const campaign_commands[] = {
	&cmd_campaign_create,
	&cmd_campaign_add_slot,
	&cmd_campaign_attach_slot,
	&cmd_campaign_rotate_slot,
	&cmd_campaign_archive_slot,
	&cmd_campaign_brief,
	&cmd_campaign_assign,
	&cmd_campaign_asset,
	&cmd_campaign_status,
	&cmd_campaign_dashboard,
	&cmd_campaign_list,
	&cmd_campaign_set_status,
	&cmd_campaign_update_assignment,
	&cmd_campaign_review,
	NULL,
};
