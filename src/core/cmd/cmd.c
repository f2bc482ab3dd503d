/* The one command table. Key bindings of the cockpit name these commands; the man pages document each entry. */
#include "core/cmd/cmd.h"

#include <string.h>

#include "core/campaign/campaign_cmds.h"
#include "core/cockpit/cockpit.h"
#include "core/dispatch/dispatch_cmds.h"
#include "core/lifecycle/lifecycle_cmds.h"
#include "core/observe/observe_cmds.h"
#include "core/session/session_cmds.h"
#include "core/steer/steer_cmds.h"

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
	{"--notify", FLAG_BOOL, NULL},
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

static const struct flag_spec register_flags[] = {
	{"--name", FLAG_VALUE, NULL},
	{"--pid", FLAG_INT, NULL},
	{"--codex-session", FLAG_VALUE, NULL},
	{"--cwd", FLAG_VALUE, NULL},
	{"--tmux-session", FLAG_VALUE, NULL},
	{"--codex-app-thread-id", FLAG_VALUE, NULL},
	{"--codex-app-thread-title", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec no_flags[] = {{NULL, 0, NULL}};

static const struct flag_spec sessions_flags[] = {
	{"--role", FLAG_VALUE, NULL},
	{"--state", FLAG_VALUE, NULL},
	{"--include-legacy", FLAG_BOOL, NULL},
	{"--name", FLAG_VALUE, NULL},
	{"--redact-identity-token", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec tasks_flags[] = {
	{"--create", FLAG_VALUE, NULL},
	{"--goal", FLAG_VALUE, NULL},
	{"--summary", FLAG_VALUE, NULL},
	{"--active", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec handoff_flags[] = {
	{"--summary", FLAG_VALUE, NULL},
	{"--next-step", FLAG_VALUE, NULL},
	{"--payload-json", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec bind_flags[] = {
	{"--task", FLAG_VALUE, NULL},
	{"--worker", FLAG_VALUE, NULL},
	{"--manager", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec unbind_flags[] = {{"--task", FLAG_VALUE, NULL}, {NULL, 0, NULL}};

static const struct flag_spec disposable_flags[] = {
	{"--worker", FLAG_VALUE, NULL},
	{"--manager", FLAG_VALUE, NULL},
	{"--goal", FLAG_VALUE, NULL},
	{"--summary", FLAG_VALUE, NULL},
	{"--session-dir", FLAG_VALUE, NULL},
	{"--cwd", FLAG_VALUE, NULL},
	{"--worker-codex-app-thread-id", FLAG_VALUE, NULL},
	{"--worker-codex-app-thread-title", FLAG_VALUE, NULL},
	{"--manager-codex-app-thread-id", FLAG_VALUE, NULL},
	{"--manager-codex-app-thread-title", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec discover_flags[] = {
	{"--all", FLAG_BOOL, NULL},
	{"--limit", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec app_heartbeat_flags[] = {
	{"--role", FLAG_VALUE, NULL},
	{"--dispatcher-id", FLAG_VALUE, NULL},
	{"--stale-after", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec plan_flags[] = {
	{"--old-worker-thread-id", FLAG_VALUE, NULL},
	{"--require-handoff", FLAG_BOOL, NULL},
	{"--reason", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec record_flags[] = {
	{"--old-worker-thread-id", FLAG_VALUE, NULL},
	{"--new-worker-thread-id", FLAG_VALUE, NULL},
	{"--new-worker-thread-title", FLAG_VALUE, NULL},
	{"--archive-status", FLAG_VALUE, NULL},
	{"--reason", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec telemetry_flags[] = {
	{"--task", FLAG_VALUE, NULL},
	{"--actor", FLAG_VALUE, NULL},
	{"--event-type", FLAG_VALUE, NULL},
	{"--severity", FLAG_VALUE, NULL},
	{"--search", FLAG_VALUE, NULL},
	{"--limit", FLAG_UINT, NULL},
	{"--newest", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec classify_flags[] = {
	{"--text", FLAG_VALUE, NULL},
	{"--file", FLAG_VALUE, NULL},
	{"--status-age-seconds", FLAG_UINT, NULL},
	{"--busy-wait-seconds", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec cycle_flags[] = {
	{"--busy-wait-seconds", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec tail_flags[] = {
	{"--limit", FLAG_UINT, NULL},
	{"--subtype", FLAG_VALUE, NULL},
	{"--include-content", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec limit_flags[] = {
	{"--limit", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec enqueue_flags[] = {
	{"--message", FLAG_VALUE, NULL},
	{"--session", FLAG_VALUE, NULL},
	{"--correlation-id", FLAG_VALUE, NULL},
	{"--idempotency-key", FLAG_VALUE, NULL},
	{"--required-permission", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

/* --timeout and --interval are seconds and take decimals, so they are parsed by the handler. */
static const struct flag_spec inbox_flags[] = {
	{"--consume-next", FLAG_BOOL, NULL},
	{"--wait", FLAG_BOOL, NULL},
	{"--timeout", FLAG_VALUE, NULL},
	{"--interval", FLAG_VALUE, NULL},
	{"--limit", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec dispatch_status_flags[] = {
	{"--campaign", FLAG_VALUE, NULL},
	{"--task", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

/* --interval takes decimals, so the handler parses it. */
static const struct flag_spec dispatch_flags[] = {
	{"--once", FLAG_BOOL, NULL},
	{"--watch", FLAG_BOOL, NULL},
	{"--type", FLAG_VALUE, NULL},
	{"--dispatcher-id", FLAG_VALUE, NULL},
	{"--limit", FLAG_UINT, NULL},
	{"--lease-seconds", FLAG_UINT, NULL},
	{"--interval", FLAG_VALUE, NULL},
	{"--watch-iterations", FLAG_UINT, NULL},
	{"--dry-run", FLAG_BOOL, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec cockpit_flags[] = {
	{"--campaign", FLAG_VALUE, NULL},
	{"--task", FLAG_VALUE, NULL},
	{"--ensure-dispatch", FLAG_BOOL, NULL},
	{"--dispatcher-id", FLAG_VALUE, NULL},
	{"--mouse", FLAG_BOOL, NULL},
	{"--dry-run", FLAG_BOOL, NULL},
	{"--host", FLAG_VALUE, NULL},
	{"--port", FLAG_UINT, NULL},
	{"--workerctl-path", FLAG_VALUE, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec nudge_flags[] = {
	{"--dry-run", FLAG_BOOL, NULL},
	{"--confirm-seconds", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

static const struct flag_spec interrupt_flags[] = {
	{"--key", FLAG_VALUE, NULL},
	{"--followup", FLAG_VALUE, NULL},
	{"--dry-run", FLAG_BOOL, NULL},
	{"--confirm-seconds", FLAG_UINT, NULL},
	{NULL, 0, NULL},
};

/* The codex launch flags of start-worker, start-manager and pair. */
#define START_FLAGS                                                                                      \
	{"--cwd", FLAG_VALUE, NULL}, {"--sandbox", FLAG_VALUE, NULL}, {"--ask-for-approval", FLAG_VALUE, NULL}, \
		{"--codex-profile", FLAG_VALUE, NULL}, {"--accept-trust", FLAG_BOOL, NULL},                      \
		{"--timeout-seconds", FLAG_UINT, NULL}

static const struct flag_spec start_worker_flags[] = {
	{"--name", FLAG_VALUE, NULL}, {"--task", FLAG_VALUE, NULL}, START_FLAGS, {NULL, 0, NULL},
};

static const struct flag_spec start_manager_flags[] = {
	{"--name", FLAG_VALUE, NULL}, {"--task", FLAG_VALUE, NULL}, {"--task-goal", FLAG_VALUE, NULL},
	{"--worker", FLAG_VALUE, NULL}, START_FLAGS, {NULL, 0, NULL},
};

static const struct flag_spec pair_flags[] = {
	{"--task", FLAG_VALUE, NULL},
	{"--worker-name", FLAG_VALUE, NULL},
	{"--manager-name", FLAG_VALUE, NULL},
	{"--task-goal", FLAG_VALUE, NULL},
	{"--task-prompt", FLAG_VALUE, NULL},
	{"--task-summary", FLAG_VALUE, NULL},
	{"--dispatcher-id", FLAG_VALUE, NULL},
	{"--no-dispatch", FLAG_BOOL, NULL},
	{"--manager-acceptance", FLAG_VALUE, NULL},
	{"--manager-guideline", FLAG_VALUE, NULL},
	{"--manager-supervision-mode", FLAG_VALUE, NULL},
	{"--dry-run", FLAG_BOOL, NULL},
	START_FLAGS,
	{NULL, 0, NULL},
};

static const struct flag_spec doctor_flags[] = {{"--cwd", FLAG_VALUE, NULL}, {NULL, 0, NULL}};

#define GUARD_HELP \
	"Values that look like secrets (JWTs, private keys, API tokens, Bearer tokens) or archive/app-package\n" \
	"paths are refused unless --human-approved, which records the approval in the receipt's metadata.\n"
#define DRY_RUN_HELP "--dry-run validates everything, writes nothing and prints what would have been done.\n"

const struct cmd_entry cmd_table[] = {
	{"tui", "conveyor-tui", NULL, "tui [--campaign C] [--task T] [--ensure-dispatch] [--dispatcher-id ID] [--mouse] [--dry-run]",
	 "Open the cockpit: campaigns, worker slots, approvals, blockers and live worker terminals.",
	 "Keys run the same commands as the command line (press ? inside for every binding, : to type any\n"
	 "command). --dry-run --json prints what would be opened. Quitting never stops a worker. --ensure-dispatch\n"
	 "starts `dispatch --watch --dispatcher-id ID` (default dispatch-dashboard) for as long as the cockpit runs,\n"
	 "unless a dispatcher with that id sent a heartbeat in the last 10 s.\n"
	 "\nexample:\n  conveyor tui --campaign launch\n",
	 cockpit_flags, NULL, CMD_READS | CMD_INTERACTIVE, cockpit_plan, NULL},
	{"dashboard", "conveyor-tui", NULL,
	 "dashboard [--campaign C] [--task T] [--ensure-dispatch] [--dispatcher-id ID] [--host H] [--port P] [--dry-run]",
	 "The reference's name for the cockpit: opens conveyor tui.",
	 "--host, --port and --workerctl-path belong to the reference's web page and are accepted and ignored with a\n"
	 "notice.\n"
	 "\nexample:\n  conveyor dashboard --campaign launch --dry-run --json\n",
	 cockpit_flags, NULL, CMD_READS | CMD_INTERACTIVE, cockpit_plan, NULL},
	{"campaign", "conveyor-campaign", "create", "campaign create --name C --objective TEXT [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Create a campaign (status active).",
	 "Fails if the name is taken: UNIQUE constraint failed: campaigns.name.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign create --name launch --objective 'Launch week content'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_create, campaign_create_text},
	{"campaign", "conveyor-campaign", "add-slot",
	 "campaign add-slot --name C --slot-key KEY --role-label LABEL [--channel CH] [--session-id ID] [--thread-id ID] "
	 "[--thread-title T] [--state S] [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Add a named worker slot (state planned unless --state).",
	 "--session-id must name a registered worker session. --state is one of active, archived, blocked, idle,\n"
	 "planned. The slot key is unique within the campaign.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_add_slot, campaign_add_slot_text},
	{"campaign", "conveyor-campaign", "attach-slot",
	 "campaign attach-slot --name C --slot SLOT [--session-id ID] [--thread-id ID] [--thread-title T] [--state S] "
	 "[--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Attach a worker session and/or Codex app thread to a slot.",
	 "SLOT is a slot id or the slot's key. Only the fields whose flags are given change; the state changes\n"
	 "only with --state, and an archived slot needs an explicit --state. --metadata-json replaces the metadata.\n"
	 GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign attach-slot --name launch --slot tiktok --session-id SESSION --thread-id thr_1 --state active\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_attach_slot, campaign_slot_text},
	{"campaign", "conveyor-campaign", "rotate-slot",
	 "campaign rotate-slot --name C --slot SLOT --expected-thread-id OLD --thread-id NEW [--thread-title T] "
	 "[--session-id ID] [--state S] [--dry-run]",
	 "Move a slot to a new Codex app thread, guarded by its current thread id.",
	 "Refused unless the slot's thread is exactly OLD. The session is kept unless --session-id; the title\n"
	 "becomes --thread-title or null; the state changes only with --state (required for an archived slot).\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign rotate-slot --name launch --slot tiktok --expected-thread-id thr_1 --thread-id thr_2\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_rotate_slot, campaign_rotate_slot_text},
	{"campaign", "conveyor-campaign", "archive-slot",
	 "campaign archive-slot --name C --slot SLOT (--expected-thread-id ID | --no-thread) [--dry-run]",
	 "Archive a slot, guarded by its current thread id.",
	 "Refused unless the slot's thread is exactly ID; --no-thread archives a slot that has no thread and is\n"
	 "refused when the slot has one. The thread id is kept.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign archive-slot --name launch --slot tiktok --expected-thread-id thr_2\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_archive_slot, campaign_slot_text},
	{"campaign", "conveyor-campaign", "brief", "campaign brief --name C --channel CH --brief-json JSON [--human-approved] [--dry-run]",
	 "Create or replace the brief of a channel.",
	 "--brief-json must be a JSON object. An existing brief keeps its id and created_at. A secret in the brief\n"
	 "is refused unless --human-approved, which records the approval in the campaign_brief audit event.\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign brief --name launch --channel tiktok --brief-json '{\"tone\":\"playful\"}'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_brief, campaign_brief_text},
	{"campaign", "conveyor-campaign", "assign",
	 "campaign assign --name C --slot SLOT --title T --instructions TEXT [--status S] [--metadata-json JSON] "
	 "[--notify] [--human-approved] [--dry-run]",
	 "Record an assignment for a slot (status queued unless --status).",
	 "--status is one of active, blocked, cancelled, done, queued; completed_at is set when created done.\n"
	 "--notify also queues the assignment as a nudge_worker command to the slot's worker session (Dispatch\n"
	 "types it into its tmux pane or leaves it in its inbox); a slot without a session is refused.\n"
	 GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts'\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_assign, campaign_assign_text},
	{"campaign", "conveyor-campaign", "asset",
	 "campaign asset --name C --slot SLOT --title T --asset-type TYPE [--assignment ID] [--channel CH] [--status S] "
	 "[--prompt-summary TEXT] [--artifact-path PATH] [--review-notes TEXT] [--metadata-json JSON] [--human-approved] "
	 "[--dry-run]",
	 "Record an asset receipt for a slot (status draft unless --status).",
	 "TYPE is one of audio, copy, hyperframes, image, other, video; --status one of approved, draft,\n"
	 "needs_review, published, rejected. --assignment must belong to the same slot. The channel defaults to\n"
	 "the slot's channel.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_asset, campaign_asset_text},
	{"campaign", "conveyor-campaign", "status", "campaign status --name C", "Show the campaign, its slots, briefs and counts.",
	 "example:\n  conveyor campaign status --name launch --json\n", campaign_flags, NULL, CMD_READS, campaign_status,
	 campaign_status_text},
	{"campaign", "conveyor-campaign", "dashboard", "campaign dashboard --name C [--stale-after SECONDS]",
	 "Show slot lifecycles, blockers, approvals and the manager's next action.",
	 "A slot whose session heartbeat is older than SECONDS (default 300) is stale.\n"
	 "\nexample:\n  conveyor campaign dashboard --name launch --json\n",
	 campaign_flags, NULL, CMD_READS, campaign_dashboard, campaign_dashboard_text},
	{"campaign", "conveyor-campaign", "list", "campaign list [--stale-after SECONDS]",
	 "List every campaign with its counts and next manager action.",
	 "Takes no --name. A slot whose session heartbeat is older than SECONDS (default 300) counts as stale.\n"
	 "\nexample:\n  conveyor campaign list\n",
	 campaign_flags, NULL, CMD_READS, campaign_list, campaign_list_text},
	{"campaign", "conveyor-campaign", "set-status", "campaign set-status --name C --status S [--dry-run]",
	 "Set the campaign's status: active, paused, done, blocked or archived.",
	 "A done or archived campaign's next manager action is none.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign set-status --name launch --status done\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_set_status, campaign_set_status_text},
	{"campaign", "conveyor-campaign", "update-assignment",
	 "campaign update-assignment --name C --assignment ID --status S [--metadata-json JSON] [--human-approved] [--dry-run]",
	 "Change an assignment's status (and optionally replace its metadata).",
	 "completed_at is set when the status becomes done and cleared when it leaves done.\n" GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign update-assignment --name launch --assignment ID --status done\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_update_assignment, campaign_change_text},
	{"campaign", "conveyor-campaign", "review",
	 "campaign review --name C --asset ID --status S [--review-notes TEXT] [--reviewer NAME] [--notify] "
	 "[--human-approved] [--dry-run]",
	 "Record a review decision on an asset receipt.",
	 "S is one of approved, needs_review, published, rejected. The review time and reviewer are recorded;\n"
	 "notes and reviewer keep their values when not given. --notify queues the decision and the notes as a\n"
	 "nudge_worker command to the worker session of the asset's slot (a rejection says how to resubmit).\n"
	 GUARD_HELP DRY_RUN_HELP
	 "\nexample:\n  conveyor campaign review --name launch --asset ID --status approved --reviewer dana\n",
	 campaign_flags, NULL, CMD_WRITES, campaign_review, campaign_change_text},
	{"register-worker", "conveyor-session", NULL,
	 "register-worker --name N --pid P [--codex-session ROLLOUT.jsonl] [--cwd D] [--tmux-session S] "
	 "[--codex-app-thread-id ID] [--codex-app-thread-title T]",
	 "Register (or refresh) a worker Codex session.",
	 "Without --codex-session, the .../sessions/.../rollout-*.jsonl file that process P (or a descendant) keeps\n"
	 "open is used (Codex keeps it under $CODEX_HOME/sessions). Its first line must be a session_meta record.\n"
	 "Re-registering keeps the id,\n"
	 "token and a stored app thread unless new ones are given.\n"
	 "\nexample:\n  conveyor register-worker --name w1 --pid 4242 --codex-app-thread-id thr_1\n",
	 register_flags, NULL, CMD_WRITES, session_register_worker, NULL},
	{"register-manager", "conveyor-session", NULL,
	 "register-manager --name N --pid P [--codex-session ROLLOUT.jsonl] [--cwd D] [--tmux-session S] "
	 "[--codex-app-thread-id ID] [--codex-app-thread-title T]",
	 "Register (or refresh) a manager Codex session.", "Same rules as register-worker.\n"
	 "\nexample:\n  conveyor register-manager --name m1 --pid 4343\n",
	 register_flags, NULL, CMD_WRITES, session_register_manager, NULL},
	{"deregister", "conveyor-session", NULL, "deregister NAME", "Mark an unbound session gone.",
	 "Refused while the session is in an active binding (the refusal is recorded as a failed command).\n"
	 "\nexample:\n  conveyor deregister w1\n",
	 no_flags, "name", CMD_WRITES | CMD_FIXED_OUT, session_deregister, session_state_text},
	{"sessions", "conveyor-session", NULL,
	 "sessions [--role worker|manager] [--state active|gone|all] [--include-legacy] [--name N]... "
	 "[--redact-identity-token]",
	 "List registered sessions with their communication block.",
	 "Without --state, gone sessions are hidden.\n\nexample:\n  conveyor sessions --role worker --redact-identity-token\n",
	 sessions_flags, NULL, CMD_READS, session_list, NULL},
	{"heartbeat", "conveyor-session", NULL, "heartbeat SESSION", "Record that a registered session is alive.",
	 "Keeps campaign slots attached to the session fresh; a gone session is refused.\n"
	 "\nexample:\n  conveyor heartbeat w1\n",
	 no_flags, "session", CMD_WRITES, session_heartbeat, session_heartbeat_text},
	{"tasks", "conveyor-session", NULL, "tasks [--active] | tasks --create NAME --goal G [--summary S]",
	 "List tasks, or create one.",
	 "A name already used by an unfinished task is refused.\n"
	 "\nexample:\n  conveyor tasks --create docs --goal 'Write the docs'\n",
	 tasks_flags, NULL, CMD_WRITES, task_tasks, task_tasks_text},
	{"handoff", "conveyor-session", NULL, "handoff TASK --summary S [--next-step N]... [--payload-json J]",
	 "Save the worker's handoff for a task (read by worker rotation).",
	 "\nexample:\n  conveyor handoff docs --summary 'Chapters 1-3 drafted' --next-step 'Draft chapter 4'\n",
	 handoff_flags, "task", CMD_WRITES, task_handoff, NULL},
	{"bind", "conveyor-session", NULL, "bind --task T --worker W --manager M",
	 "Bind a worker and a manager session to a task.",
	 "Gone sessions are refused; a candidate task becomes managed.\n"
	 "\nexample:\n  conveyor bind --task docs --worker w1 --manager m1\n",
	 bind_flags, NULL, CMD_WRITES, binding_bind, NULL},
	{"unbind", "conveyor-session", NULL, "unbind --task T", "End a task's active binding.",
	 "\nexample:\n  conveyor unbind --task docs\n", unbind_flags, NULL, CMD_WRITES | CMD_FIXED_OUT, binding_unbind,
	 session_state_text},
	{"create-disposable-binding", "conveyor-session", NULL,
	 "create-disposable-binding TASK [--worker W] [--manager M] [--goal G] [--summary S] [--session-dir D] [--cwd D] "
	 "[--worker-codex-app-thread-id ID] [--worker-codex-app-thread-title T] [--manager-codex-app-thread-id ID] "
	 "[--manager-codex-app-thread-title T]",
	 "Bind a task to a worker and a manager Codex app session that have no process of their own.",
	 "The sessions get synthetic rollouts under D (default: disposable-sessions beside the database) and no pid.\n"
	 "\nexample:\n  conveyor create-disposable-binding docs --json\n",
	 disposable_flags, "task", CMD_WRITES, binding_disposable, binding_disposable_text},
	{"discover", "conveyor-session", NULL, "discover [QUERY] [--all] [--limit N]",
	 "Find tasks, sessions, bindings and telemetry, with setup suggestions.",
	 "\nexample:\n  conveyor discover docs\n", discover_flags, "query", CMD_READS, discover_run, NULL},
	{"search", "conveyor-session", NULL, "search [QUERY] [--all] [--limit N]", "Same as discover.",
	 "\nexample:\n  conveyor search rotation\n", discover_flags, "query", CMD_READS, discover_run, NULL},
	{"app-heartbeat", "conveyor-session", NULL,
	 "app-heartbeat TASK --role worker|manager [--dispatcher-id ID] [--stale-after SECONDS]",
	 "Record a bound Codex app session's heartbeat and print what it should poll next.",
	 "\nexample:\n  conveyor app-heartbeat docs --role worker --json\n", app_heartbeat_flags, "task", CMD_WRITES,
	 app_heartbeat, app_heartbeat_text},
	{"app-worker-rotation-plan", "conveyor-rotation", NULL,
	 "app-worker-rotation-plan TASK --old-worker-thread-id ID [--require-handoff] [--reason TEXT]",
	 "Plan replacing the bound worker's Codex app thread (exit 0 even when blocked).",
	 "\nexample:\n  conveyor app-worker-rotation-plan docs --old-worker-thread-id thr_1 --require-handoff\n",
	 plan_flags, "task", CMD_WRITES, rotation_plan, rotation_plan_text},
	{"app-worker-rotation-record", "conveyor-rotation", NULL,
	 "app-worker-rotation-record TASK --old-worker-thread-id OLD --new-worker-thread-id NEW "
	 "[--new-worker-thread-title T] --archive-status archived|blocked [--reason TEXT]",
	 "Record the replacement thread after the app actions ran; campaign slots follow the worker.",
	 "\nexample:\n  conveyor app-worker-rotation-record docs --old-worker-thread-id thr_1 --new-worker-thread-id thr_2 "
	 "--archive-status archived\n",
	 record_flags, "task", CMD_WRITES, rotation_record, rotation_record_text},
	{"telemetry", "conveyor-rotation", NULL,
	 "telemetry [--task T] [--actor A] [--event-type E] [--severity S] [--search Q] [--limit N] [--newest]",
	 "List telemetry events (the receipts of rotations, heartbeats and commands).",
	 "\nexample:\n  conveyor telemetry --task docs --json\n", telemetry_flags, NULL, CMD_READS, telemetry_list,
	 telemetry_list_text},
	{"ingest", "conveyor-observe", NULL, "ingest SESSION",
	 "Read the new complete lines of a session's Codex rollout into its event log.",
	 "Starts at the session's stored offset; a trailing partial line is left for the next ingest and a line\n"
	 "that is not a JSON object with a string type is counted as skipped once. Refused when the session is\n"
	 "not active, has no rollout, or the rollout shrank below the stored offset.\n"
	 "\nexample:\n  conveyor ingest worker-1\n",
	 no_flags, "session", CMD_WRITES, observe_ingest, NULL},
	{"classify", "conveyor-observe", NULL,
	 "classify (--text T | --file F) [--status-age-seconds N] [--busy-wait-seconds N]",
	 "Classify captured terminal text: startup state, screen state and busy-wait pattern.",
	 "--file - reads standard input. The busy-wait pattern is reported only when the status age (default 90)\n"
	 "is at least the busy-wait threshold (default 90). The screen state (trust, login, approval, confirm,\n"
	 "network_retry, working, mcp_startup, interrupted, ready) says whether the worker needs a person.\n"
	 "\nexample:\n  tmux capture-pane -p -t codex-w1 | conveyor classify --file - --json\n",
	 classify_flags, NULL, CMD_READS, observe_classify, observe_classify_text},
	{"cycle", "conveyor-observe", NULL, "cycle TASK [--busy-wait-seconds N]",
	 "Observe the bound worker once: ingest, infer busy/idle, classify its pane; record the cycle.",
	 "Needs an active binding. Consumes the manager's delivered notifications of the binding. The worker's\n"
	 "pane is captured with tmux outside the database transaction. A failed cycle is recorded as failed and\n"
	 "exits 2.\n"
	 "\nexample:\n  conveyor cycle docs --json\n",
	 cycle_flags, "task", CMD_WRITES, observe_cycle, observe_cycle_text},
	{"tail", "conveyor-observe", NULL, "tail SESSION [--limit N] [--subtype S] [--include-content]",
	 "Show a session's newest ingested Codex events (content redacted unless --include-content).",
	 "Strings under content, message, output, segment_text and text keys are replaced by their byte and line\n"
	 "counts unless --include-content. --limit defaults to 50.\n"
	 "\nexample:\n  conveyor tail worker-1 --limit 5 --json\n",
	 tail_flags, "session", CMD_WRITES, observe_tail, observe_tail_text},
	{"divergences", "conveyor-observe", NULL, "divergences TASK [--limit N]",
	 "List the task's cycles whose worker pane showed a notable pattern, newest first.",
	 "\nexample:\n  conveyor divergences docs --json\n", limit_flags, "task", CMD_READS, observe_divergences,
	 observe_divergences_text},
	{"task-status", "conveyor-observe", NULL, "task-status TASK",
	 "Show a task at a glance: binding, bound sessions (alive, inbox), latest cycle, recent events.",
	 "The cockpit's task view draws this. A process counts as alive when kill(pid, 0) succeeds or is refused\n"
	 "for permission; inbox pending counts delivered, unconsumed notifications. The timeline holds the\n"
	 "task's newest 40 events, newest first.\n"
	 "\nexample:\n  conveyor task-status docs --json\n",
	 no_flags, "task", CMD_READS, observe_task_status, observe_task_status_text},
	{"enqueue-notify-manager", "conveyor-dispatch", NULL,
	 "enqueue-notify-manager (TASK | --session MANAGER) --message TEXT [--correlation-id ID] [--idempotency-key K] "
	 "[--required-permission P]",
	 "Queue a message from the worker to the task's manager (or to one manager session) for Dispatch to deliver.",
	 "Writes a pending notify_manager command (one attempt); no binding is needed yet. P is a manager\n"
	 "permission category.action (repo.open_pr) or an alias (allow_pr). A reused idempotency key is refused.\n"
	 "With --session the command goes to that manager session whatever its bindings (no task, so no P).\n"
	 "\nexample:\n  conveyor enqueue-notify-manager docs --message 'Chapter 4 is drafted' --json\n",
	 enqueue_flags, "task", CMD_WRITES, enqueue_notify_manager, enqueue_text},
	{"enqueue-nudge-worker", "conveyor-dispatch", NULL,
	 "enqueue-nudge-worker (TASK | --session WORKER) --message TEXT [--correlation-id ID] [--idempotency-key K] "
	 "[--required-permission P]",
	 "Queue a message from the manager to the task's worker (or to one worker session) for Dispatch to deliver.",
	 "Same as enqueue-notify-manager with command type nudge_worker; --session names a worker session.\n"
	 "\nexample:\n  conveyor enqueue-nudge-worker docs --message 'Run the tests before you report' --json\n",
	 enqueue_flags, "task", CMD_WRITES, enqueue_nudge_worker, enqueue_text},
	{"session-inbox", "conveyor-dispatch", NULL,
	 "session-inbox SESSION [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	 "List (or consume the oldest of) the delivered, unconsumed notifications of a session.",
	 "--wait polls every S seconds (--interval, default 2, decimals allowed) until an item is there or\n"
	 "--timeout S (default 30) passes; the database is not held while it sleeps. --consume-next marks the\n"
	 "oldest item consumed (no two readers get the same item). --limit N (default 10) caps the pending list.\n"
	 "\nexample:\n  conveyor session-inbox m1 --consume-next --wait --timeout 60 --json\n",
	 inbox_flags, "session", CMD_WRITES, inbox_session, inbox_text},
	{"manager-inbox", "conveyor-dispatch", NULL,
	 "manager-inbox TASK [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	 "The inbox of the manager bound to a task (see session-inbox).",
	 "Needs the task's active binding.\n"
	 "\nexample:\n  conveyor manager-inbox docs --consume-next --wait --timeout 60 --json\n",
	 inbox_flags, "task", CMD_WRITES, inbox_manager, inbox_text},
	{"worker-inbox", "conveyor-dispatch", NULL,
	 "worker-inbox TASK [--consume-next] [--wait] [--timeout S] [--interval S] [--limit N]",
	 "The inbox of the worker bound to a task (see session-inbox).",
	 "Needs the task's active binding.\n"
	 "\nexample:\n  conveyor worker-inbox docs --consume-next --wait --timeout 60 --json\n",
	 inbox_flags, "task", CMD_WRITES, inbox_worker, inbox_text},
	{"dispatch", "conveyor-dispatch", NULL,
	 "dispatch [--once|--watch] [--type T] [--dispatcher-id ID] [--limit N] [--lease-seconds N] [--interval S] "
	 "[--watch-iterations N] [--dry-run]",
	 "Deliver queued commands: claim them, route them through the task's binding, push or leave them in inboxes.",
	 "One pass recovers expired claims, then claims up to N (default 10) pending commands, one at a time, each\n"
	 "leased for --lease-seconds (default 60). A target with a tmux session gets the text typed (push); others\n"
	 "find it in their inbox (pull_required). --watch repeats every S seconds (default 2, decimals allowed).\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor dispatch --watch --interval 1 --dispatcher-id d1\n",
	 dispatch_flags, NULL, CMD_WRITES, dispatch_run, dispatch_text},
	{"dispatch-status", "conveyor-dispatch", NULL, "dispatch-status [--campaign C | --task T]",
	 "Dispatch health: the dispatcher's heartbeat, queued, failed, stale and at-risk work, and inboxes.",
	 "core_status is active (a heartbeat within 30 s), stale or not_observed. queued counts pending and attempted\n"
	 "commands, stale_claims those whose lease expired, side_effect_risk pushes that started and did not\n"
	 "complete; each session's inbox counts pending (pull_pending of them left for the agent to pull) and\n"
	 "consumed items. --campaign covers the slot sessions and the commands addressed or routed to them;\n"
	 "--task the task's commands and its bound sessions; neither, everything.\n"
	 "\nexample:\n  conveyor dispatch-status --campaign launch --json\n",
	 dispatch_status_flags, NULL, CMD_READS, dispatch_status, dispatch_status_text},
	{"session-nudge", "conveyor-steer", NULL, "session-nudge SESSION TEXT [--confirm-seconds N] [--dry-run]",
	 "Type TEXT into a session's tmux pane, submit it, and confirm that a turn started.",
	 "The text is pasted (bracketed), Enter is pressed once Codex shows it, then the rollout and the screen are\n"
	 "watched for N seconds (default 10; 0 does not check) for the turn to start. submitted: false (exit 0)\n"
	 "means Enter was sent but no turn was seen. tmux failures exit 1 and are recorded.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor session-nudge worker-1 'Run the tests and report' --json\n",
	 nudge_flags, "session", CMD_WRITES | CMD_TEXT_ARG, steer_nudge, steer_nudge_text},
	{"session-interrupt", "conveyor-steer", NULL,
	 "session-interrupt SESSION [--key K] [--followup TEXT] [--confirm-seconds N] [--dry-run]",
	 "Interrupt a session's running turn (and send a follow-up), confirming the turn ended.",
	 "K defaults to Escape (Codex 0.169 quits on C-c when idle). No key is sent to a session with no running\n"
	 "turn. The follow-up goes through session-nudge's confirmed delivery.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor session-interrupt worker-1 --followup 'Stop and summarise where you are'\n",
	 interrupt_flags, "session", CMD_WRITES, steer_interrupt_cmd, steer_interrupt_text},
	{"start-worker", "conveyor-steer", NULL,
	 "start-worker --name N [--task PROMPT] [--cwd D] [--sandbox S] [--ask-for-approval A] [--codex-profile yolo] "
	 "[--accept-trust] [--timeout-seconds N]",
	 "Start Codex in tmux session codex-N, send its first prompt, and register it as a worker.",
	 "Runs `codex --no-daemon` ($CONVEYOR_CODEX or codex on PATH) in CWD; types PROMPT once Codex is ready and\n"
	 "finds the rollout it opens through /proc. Refusals and timeouts exit 1 with a recovery hint.\n"
	 "\nexample:\n  conveyor start-worker --name w1 --cwd ~/repo --task 'Fix the failing test' --accept-trust\n",
	 start_worker_flags, NULL, CMD_WRITES, start_worker, NULL},
	{"start-manager", "conveyor-steer", NULL,
	 "start-manager --name N [--task T] [--task-goal G] [--worker W] [--cwd D] [--sandbox S] [--ask-for-approval A] "
	 "[--codex-profile yolo] [--accept-trust] [--timeout-seconds N]",
	 "Start Codex in tmux session codex-N with a manager bootstrap prompt and register it as a manager.",
	 "Same sequence as start-worker; with --task the first prompt tells the manager its task, worker and the\n"
	 "commands it steers with.\n"
	 "\nexample:\n  conveyor start-manager --name m1 --task docs --worker w1 --accept-trust\n",
	 start_manager_flags, NULL, CMD_WRITES, start_manager, NULL},
	{"pair", "conveyor-steer", NULL,
	 "pair --task T --worker-name W --manager-name M [--task-goal G] [--task-prompt P] [--task-summary S] "
	 "[--manager-acceptance TEXT]... [--manager-guideline TEXT]... [--manager-supervision-mode MODE] "
	 "[--dispatcher-id ID] [--no-dispatch] [start flags] [--dry-run]",
	 "Start a worker and a manager for a task, bind them, and open an active run.",
	 "Creates the task when missing (needs --task-goal) and seeds its manager config and acceptance criteria.\n"
	 "Unless --no-dispatch, a detached `dispatch --watch --dispatcher-id ID` (default dispatch-pair) is started\n"
	 "when no dispatcher with that id sent a heartbeat in the last 10 s. Failures exit 1; started sessions stay\n"
	 "registered.\n"
	 DRY_RUN_HELP
	 "\nexample:\n  conveyor pair --task docs --task-goal 'Write the docs' --worker-name w1 --manager-name m1 --accept-trust\n",
	 pair_flags, NULL, CMD_WRITES, pair_run, NULL},
	{"doctor", "conveyor-steer", NULL, "doctor [--cwd D]",
	 "Check that tmux, Codex 0.169, the working directory and the database are usable.",
	 "Exits 1 when a check that is not informational fails.\n"
	 "\nexample:\n  conveyor doctor --json\n",
	 doctor_flags, NULL, CMD_READS, doctor_run, doctor_text},
	{"finish-task", "conveyor-lifecycle", NULL,
	 "finish-task TASK [--reason R] [--message TEXT] [--stop-worker] [--stop-manager] [--dry-run]",
	 "End a task as done (its active run finished), stopping its worker and manager when asked.",
	 "--message is typed into the worker (confirmed delivery) before it is stopped; --stop-worker and\n"
	 "--stop-manager kill their tmux sessions and mark them gone. Bindings end. tmux failures exit 1 and are\n"
	 "recorded.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor finish-task docs --stop-worker --stop-manager --message 'Thanks, wrapping up'\n",
	 lifecycle_finish_flags, "task", CMD_WRITES, lifecycle_finish, NULL},
	{"stop-task", "conveyor-lifecycle", NULL, "stop-task TASK [--reason R] [--message TEXT] [--stop-worker] [--dry-run]",
	 "End a task as done with its active run abandoned, always stopping its manager.",
	 "Like finish-task, but the manager's tmux session is always killed.\n" DRY_RUN_HELP
	 "\nexample:\n  conveyor stop-task docs --stop-worker --reason 'Wrong approach'\n",
	 lifecycle_stop_flags, "task", CMD_WRITES, lifecycle_stop, NULL},
	{"reconcile", "conveyor-lifecycle", NULL, "reconcile [--apply] [--stale-cycles-seconds N]",
	 "Report dead session processes, bindings to gone sessions, stuck tasks and database health.",
	 "--apply marks dead sessions gone and their bindings invalid. A task is stuck when its newest manager\n"
	 "cycle completed more than N seconds ago (default 3600).\n"
	 "\nexample:\n  conveyor reconcile --apply --json\n",
	 reconcile_flags, NULL, CMD_WRITES, reconcile_run, NULL},
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
