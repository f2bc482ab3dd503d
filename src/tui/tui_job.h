#ifndef CONVEYOR_TUI_JOB_H
#define CONVEYOR_TUI_JOB_H
/* A command line run for the cockpit in a child process that executes conveyor itself, so a slow command (a nudge
 * waiting for the worker) never freezes the screen and no SQLite connection of the cockpit crosses a fork. */
#include <poll.h>
#include <sys/types.h>

#include "core/base/err.h"
#include "util/sb.h"

struct tui_job {
	pid_t pid;          /* 0 when no job runs */
	int out_fd, err_fd; /* read ends of the child's stdout and stderr, -1 once closed */
	struct sb out, err; /* what the child wrote there so far */
	int reaped;         /* the child has exited and been waited for */
	int status;         /* then its exit status (128 + the signal that killed it) */
	char *line;         /* the command line */
	int from_prompt;
};

char **job_argv(const char *prog, const char *line, const char *db_path, struct err *e);
void job_argv_free(char **argv);
int job_start(struct tui_job *j, const char *prog, const char *line, const char *db_path, char *err, size_t errlen);
int job_pollfds(const struct tui_job *j, struct pollfd *fds);
int job_poll(struct tui_job *j);
int job_result(struct tui_job *j, const char **text);
void job_end(struct tui_job *j);

#endif
