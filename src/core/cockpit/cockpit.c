/* tui / dashboard (SPEC 10.1): validates what the cockpit is to open and returns it as a plan; the CLI starts
 * the cockpit with it (or prints it for --dry-run). */
#include <stdlib.h>
#include <string.h>

#include "core/cockpit/cockpit.h"
#include "core/dispatch/dispatch_spawn.h"
#include "util/json.h"

/* The plan of a cockpit: {campaign, task, path, mouse, ensure_dispatch, dispatcher_id, dispatch_command, dispatch,
 * notices}; with --ensure-dispatch (not a dry run) the dispatcher is started here, as a child the cockpit stops
 * when it quits, unless one with the same id is alive. */
cJSON *cockpit_plan(struct ctx *c, const struct args *a, struct err *e)
{
	const char *port = args_get(a, "--port");
	if (port && (atoi(port) < 1 || atoi(port) > 65535))
		return err_null(e, EXIT_USAGE, "--port must be between 1 and 65535.");
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
	if (args_has(a, "--host") || port)
		cJSON_AddItemToArray(notices, cJSON_CreateString("--host and --port are for the reference's web page; "
								  "the cockpit runs in this terminal, they are ignored."));
	cJSON_AddItemToObject(plan, "notices", notices);
	return plan;
}
