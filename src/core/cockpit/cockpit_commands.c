/* The cockpit family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_tui, cmd_dashboard;

const struct cmd_entry *const cockpit_commands[] = {
	&cmd_tui,
	&cmd_dashboard,
	NULL,
};
