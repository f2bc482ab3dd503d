#ifndef CONVEYOR_TUI_JOB_H
#define CONVEYOR_TUI_JOB_H
/* A command line run for the cockpit in a child process, so a slow command (a nudge waiting for the worker)
 * never freezes the screen. */
#include <sys/types.h>

#include "util/sb.h"

struct tui_job {
	pid_t pid;      /* 0 when no job runs */
	int fd;         /* read end of the result pipe */
	struct sb buf;  /* what the child wrote so far */
	char *line;     /* the command line */
	int from_prompt;
};

int job_start(struct tui_job *j, const char *prog, const char *line, const char *db_path, char *err, size_t errlen);
int job_read(struct tui_job *j);
int job_result(const struct tui_job *j, const char **text);
void job_end(struct tui_job *j);

#endif
