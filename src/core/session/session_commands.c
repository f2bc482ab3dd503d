/* The session family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_register_worker, cmd_register_manager, cmd_deregister, cmd_sessions, cmd_heartbeat,
	cmd_tasks, cmd_handoff, cmd_bind, cmd_unbind, cmd_create_disposable_binding, cmd_discover, cmd_search,
	cmd_app_heartbeat;

const struct cmd_entry *const session_commands[] = {
	&cmd_register_worker,
	&cmd_register_manager,
	&cmd_deregister,
	&cmd_sessions,
	&cmd_heartbeat,
	&cmd_tasks,
	&cmd_handoff,
	&cmd_bind,
	&cmd_unbind,
	&cmd_create_disposable_binding,
	&cmd_discover,
	&cmd_search,
	&cmd_app_heartbeat,
	NULL,
};
