/* The steer family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_session_nudge, cmd_session_interrupt, cmd_start_worker, cmd_start_manager, cmd_pair,
	cmd_doctor;

const struct cmd_entry *const steer_commands[] = {
	&cmd_session_nudge,
	&cmd_session_interrupt,
	&cmd_start_worker,
	&cmd_start_manager,
	&cmd_pair,
	&cmd_doctor,
	NULL,
};
