/* tui / dashboard (SPEC 10.1): validates what the cockpit is to open and returns it as a plan; the CLI starts
 * the cockpit with it (or prints it for --dry-run). */
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cockpit/cockpit.h"
#include "core/dispatch/dispatch_spawn.h"
#include "util/json.h"

/* The plan of a cockpit: {campaign, task, path, mouse, ensure_dispatch, dispatcher_id, dispatch_command, dispatch,
 * notices}; with --ensure-dispatch (not a dry run) the dispatcher is started here, as a child the cockpit stops
 * when it quits, unless one with the same id is alive. */
static cJSON *cockpit_plan(struct ctx *c, const struct args *a, struct err *e)
{
	long long port;
	if (args_int(a, "--port", 0, &port, e) != 0)
		return NULL;
	cJSON *plan = cJSON_CreateObject(), *notices = cJSON_CreateArray();
	json_add_str(plan, "campaign", args_get(a, "--campaign"));
	json_add_str(plan, "task", args_get(a, "--task"));
	cJSON_AddStringToObject(plan, "path", c->db_path);
	cJSON_AddBoolToObject(plan, "mouse", args_has(a, "--mouse"));
	cJSON_AddBoolToObject(plan, "ensure_dispatch", args_has(a, "--ensure-dispatch"));
	const char *id = args_get(a, "--dispatcher-id");
	id = id ? id : "dispatch-dashboard";
	cJSON_AddStringToObject(plan, "dispatcher_id", id);
	char *cmd = dispatch_command_line(c->prog, id, c->db_path);
	cJSON_AddStringToObject(plan, "dispatch_command", cmd);
	free(cmd);
	if (args_has(a, "--ensure-dispatch") && !args_has(a, "--dry-run")) {
		cJSON *d = dispatch_ensure(c, id, 0, e);
		if (!d) {
			cJSON_Delete(notices);
			cJSON_Delete(plan);
			return NULL;
		}
		cJSON_AddItemToObject(plan, "dispatch", d);
	} else {
		cJSON_AddNullToObject(plan, "dispatch");
	}
	if (args_has(a, "--host") || args_has(a, "--port"))
		cJSON_AddItemToArray(notices, cJSON_CreateString("--host and --port are for the reference's web page; "
								  "the cockpit runs in this terminal, they are ignored."));
	cJSON_AddItemToObject(plan, "notices", notices);
	return plan;
}

/* The flags of tui, which dashboard shares. */
#define COCKPIT_FLAGS \
	{.name = "--campaign", .type = FLAG_STRING, .arg = "C", .help = "campaign to open"}, \
	{.name = "--task", .type = FLAG_STRING, .arg = "T", .help = "task to open"}, \
	{.name = "--ensure-dispatch", .type = FLAG_BOOL, .help = "run a dispatcher while the cockpit runs"}, \
	{.name = "--dispatcher-id", .type = FLAG_STRING, .arg = "ID", \
	 .help = "id of that dispatcher (default dispatch-dashboard)"}, \
	{.name = "--mouse", .type = FLAG_BOOL, .help = "enable mouse input"}, \
	{.name = "--dry-run", .type = FLAG_BOOL, .help = "print the plan instead of opening the cockpit"}

/* The flags of tui. */
static const struct flag_spec cockpit_tui_flags[] = {COCKPIT_FLAGS, {0}};

/* The flags of dashboard: tui's and the reference's web-page flags, which it ignores. */
static const struct flag_spec cockpit_dashboard_flags[] = {
	COCKPIT_FLAGS,
	{.name = "--host", .type = FLAG_STRING, .arg = "H", .help = "ignored with a notice (reference's web page)"},
	{.name = "--port", .type = FLAG_COUNT, .arg = "P", .help = "ignored with a notice; must be 1-65535", .min = 1,
	 .max = 65535},
	{.name = "--workerctl-path", .type = FLAG_STRING, .arg = "PATH",
	 .help = "accepted and ignored (reference's web page)"},
	{0},
};

/* `tui`. */
const struct cmd_entry cmd_tui = {
	.word = "tui",
	.man = "conveyor-tui",
	.usage = "tui [--campaign C] [--task T] [--ensure-dispatch] [--dispatcher-id ID] [--mouse] [--dry-run]",
	.summary = "Open the cockpit: campaigns, worker slots, approvals, blockers and live worker terminals.",
	.help = "Keys run the same commands as the command line (press ? inside for every binding, : to type any\n"
		"command). --dry-run --json prints what would be opened. Quitting never stops a worker. --ensure-dispatch\n"
		"starts `dispatch --watch --dispatcher-id ID` (default dispatch-dashboard) for as long as the cockpit runs,\n"
		"unless a dispatcher with that id sent a heartbeat in the last 10 s.\n"
		"\nexample:\n  conveyor tui --campaign launch\n",
	.flags = cockpit_tui_flags,
	.pre = CMD_READS | CMD_INTERACTIVE,
	.run = cockpit_plan,
};

/* `dashboard`. */
const struct cmd_entry cmd_dashboard = {
	.word = "dashboard",
	.man = "conveyor-tui",
	.usage = "dashboard [--campaign C] [--task T] [--ensure-dispatch] [--dispatcher-id ID] [--mouse] [--host H] "
		 "[--port P] [--workerctl-path PATH] [--dry-run]",
	.summary = "The reference's name for the cockpit: opens conveyor tui.",
	.help = "--host, --port and --workerctl-path belong to the reference's web page and are accepted and ignored with a\n"
		"notice.\n"
		"\nexample:\n  conveyor dashboard --campaign launch --dry-run --json\n",
	.flags = cockpit_dashboard_flags,
	.pre = CMD_READS | CMD_INTERACTIVE,
	.run = cockpit_plan,
};
