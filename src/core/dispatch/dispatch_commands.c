/* The dispatch family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_enqueue_notify_manager, cmd_enqueue_nudge_worker, cmd_session_inbox, cmd_manager_inbox,
	cmd_worker_inbox, cmd_dispatch, cmd_dispatch_status;

const struct cmd_entry *const dispatch_commands[] = {
	&cmd_enqueue_notify_manager,
	&cmd_enqueue_nudge_worker,
	&cmd_session_inbox,
	&cmd_manager_inbox,
	&cmd_worker_inbox,
	&cmd_dispatch,
	&cmd_dispatch_status,
	NULL,
};
