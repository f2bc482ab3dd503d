#ifndef CONVEYOR_PROC_H
#define CONVEYOR_PROC_H
/* Running a program by argv (never through a shell) and collecting what it printed. */
#include "util/sb.h"

/* What a finished program left: exit status (127 when it could not be started, 128+N when killed by signal N,
 * 124 when the timeout killed it), and its stdout and stderr. */
struct proc_result {
	int status;
	struct sb out;
	struct sb err;
};

int proc_run(const char *const argv[], int timeout_ms, struct proc_result *r);
void proc_result_free(struct proc_result *r);
void proc_sleep_ms(int ms);
long long proc_monotonic_ms(void);

#endif
