/* The lifecycle family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_finish_task, cmd_stop_task, cmd_reconcile;

const struct cmd_entry *const lifecycle_commands[] = {
	&cmd_finish_task,
	&cmd_stop_task,
	&cmd_reconcile,
	NULL,
};
