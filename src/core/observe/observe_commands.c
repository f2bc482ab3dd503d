/* The observe family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_ingest, cmd_classify, cmd_cycle, cmd_tail, cmd_divergences, cmd_task_status;

const struct cmd_entry *const observe_commands[] = {
	&cmd_ingest,
	&cmd_classify,
	&cmd_cycle,
	&cmd_tail,
	&cmd_divergences,
	&cmd_task_status,
	NULL,
};
