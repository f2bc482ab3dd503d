#ifndef CONVEYOR_PROCFS_H
#define CONVEYOR_PROCFS_H
/* Finding a Codex rollout file from a process id by reading /proc (no lsof, no shell). */
#include "core/base/err.h"

char *procfs_find_rollout(long pid, struct err *e);
char *procfs_find_rollout_holder(long pid, long *holder, struct err *e);
int procfs_alive(long pid);
long long procfs_pid_max(void);

#endif
