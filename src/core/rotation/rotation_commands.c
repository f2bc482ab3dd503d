/* The rotation family's commands, in the order --help lists them. */
#include "core/cmd/cmd.h"

extern const struct cmd_entry cmd_app_worker_rotation_plan, cmd_app_worker_rotation_record, cmd_telemetry;

const struct cmd_entry *const rotation_commands[] = {
	&cmd_app_worker_rotation_plan,
	&cmd_app_worker_rotation_record,
	&cmd_telemetry,
	NULL,
};
