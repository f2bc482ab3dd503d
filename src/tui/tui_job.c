/* Running one command line in a child: the line is split into words here (exec_split, exactly as before), --path
 * of the cockpit's database is added unless the line names one, and the child executes conveyor itself
 * (/proc/self/exe, else the path the program was started with) with those words, stdin /dev/null and stdout and
 * stderr on two pipes the loop polls. Between fork and exec the child only sets up descriptors and signals: it
 * allocates nothing and never touches the SQLite connection the cockpit holds (SQLite lists carrying one across
 * fork as a way to corrupt a database). The exit status comes from waitpid. */
#include "tui/tui_job.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/exec.h"
#include "tui/tui_keys.h"

/* Frees an argv from job_argv. */
void job_argv_free(char **argv)
{
	exec_split_free(argv);
}

/* The argv of the child for line: prog, the line's words, then --path db_path unless the line names --path, and
 * --dry-run for a command that would open a cockpit (tui, dashboard: the child prints its plan instead, as
 * when the cockpit ran it in its own process). NULL with e set when the line does not split. */
char **job_argv(const char *prog, const char *line, const char *db_path, struct err *e)
{
	int argc;
	char **words = exec_split(line, &argc, e);
	if (!words)
		return NULL;
	int has_path = 0, has_dry = 0;
	for (int i = 0; i < argc; i++) {
		has_path |= strcmp(words[i], "--path") == 0;
		has_dry |= strcmp(words[i], "--dry-run") == 0;
	}
	const struct cmd_entry *entry = keys_command(words, argc);
	int dry = entry && (entry->pre & CMD_INTERACTIVE) && !has_dry;
	char **argv = calloc((size_t)argc + 5, sizeof *argv);
	if (!argv)
		abort();
	int n = 0;
	argv[n++] = strdup(prog);
	for (int i = 0; i < argc; i++)
		argv[n++] = words[i];
	free(words);
	if (!has_path) {
		argv[n++] = strdup("--path");
		argv[n++] = strdup(db_path);
	}
	if (dry)
		argv[n++] = strdup("--dry-run");
	return argv;
}

/* Closes every descriptor from lo up. */
static void job_close_from(int lo)
{
	if (close_range((unsigned)lo, ~0u, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = lo; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

/* In the forked child: default signals, stdin /dev/null, stdout and stderr the pipes, nothing else open; then
 * executes conveyor. Exits 127 with a message on stderr when neither path runs. */
static _Noreturn void job_child(int out_fd, int err_fd, char **argv, const char *fallback)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	int out = fcntl(out_fd, F_DUPFD, 10), err = fcntl(err_fd, F_DUPFD, 10); /* out of the way of 0-2 */
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(127);
	job_close_from(3);
	execv("/proc/self/exe", argv);
	if (fallback)
		execv(fallback, argv);
	static const char msg[] = "cannot execute conveyor (/proc/self/exe or the path it was started with)\n";
	ssize_t w = write(2, msg, sizeof msg - 1);
	(void)w;
	_exit(127);
}

/* Starts line in a child; 0, or -1 with err set ("LINE: why" when the line does not split into words). */
int job_start(struct tui_job *j, const char *prog, const char *line, const char *db_path, char *err, size_t errlen)
{
	struct err e = {0};
	char **argv = job_argv(prog, line, db_path, &e);
	if (!argv) {
		snprintf(err, errlen, "%s: %s", line, e.msg);
		return -1;
	}
	const char *fallback = (const char *)getauxval(AT_EXECFN); /* the path execve was given for us */
	int out[2], errp[2];
	if (pipe2(out, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		job_argv_free(argv);
		return -1;
	}
	if (pipe2(errp, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(out[0]);
		close(out[1]);
		job_argv_free(argv);
		return -1;
	}
	pid_t pid = fork();
	if (pid == 0)
		job_child(out[1], errp[1], argv, fallback);
	int fork_errno = errno;
	close(out[1]);
	close(errp[1]);
	job_argv_free(argv);
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(fork_errno));
		close(out[0]);
		close(errp[0]);
		return -1;
	}
	fcntl(out[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	memset(j, 0, sizeof *j);
	j->pid = pid;
	j->out_fd = out[0];
	j->err_fd = errp[0];
	sb_init(&j->out);
	sb_init(&j->err);
	j->line = strdup(line);
	return 0;
}

/* The job's pipes for poll() (fd -1 once closed); returns 2. */
int job_pollfds(const struct tui_job *j, struct pollfd *fds)
{
	fds[0] = (struct pollfd){j->pid ? j->out_fd : -1, POLLIN, 0};
	fds[1] = (struct pollfd){j->pid ? j->err_fd : -1, POLLIN, 0};
	return 2;
}

/* Reads what is waiting in *fd into buf, closing it (-1) at end of file. */
static void job_drain(int *fd, struct sb *buf)
{
	char chunk[8192];
	while (*fd >= 0) {
		ssize_t n = read(*fd, chunk, sizeof chunk);
		if (n > 0) {
			sb_addn(buf, chunk, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		close(*fd);
		*fd = -1;
	}
}

/* Reads what the child wrote and reaps it once it has exited; 1 when it has (and its output is read), 0 while it
 * runs. A program the child started that keeps the pipes open does not hold the result back. */
int job_poll(struct tui_job *j)
{
	job_drain(&j->out_fd, &j->out);
	job_drain(&j->err_fd, &j->err);
	if (j->reaped)
		return 1;
	int st;
	pid_t r = waitpid(j->pid, &st, WNOHANG);
	if (r == 0 || (r < 0 && errno == EINTR))
		return 0;
	j->reaped = 1;
	j->status = r < 0 ? 2 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	job_drain(&j->out_fd, &j->out); /* what it wrote just before it exited */
	job_drain(&j->err_fd, &j->err);
	return 1;
}

/* The finished job's exit status and the text to show: what it printed, or when it failed without printing a
 * result its error message (without the newline). A command that printed its result and exited non-zero for a
 * report that says "not ok" (doctor) counts as 0, as it did when the cockpit ran it in its own process. */
int job_result(struct tui_job *j, const char **text)
{
	if (j->status == 0 || j->out.len > 0) {
		*text = j->out.buf ? j->out.buf : "";
		return 0;
	}
	while (j->err.len > 0 && j->err.buf[j->err.len - 1] == '\n')
		j->err.buf[--j->err.len] = '\0';
	*text = j->err.buf ? j->err.buf : "";
	return j->status;
}

/* Reaps the child (when it has not been) and frees the job. */
void job_end(struct tui_job *j)
{
	if (j->pid > 0 && !j->reaped)
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
	if (j->out_fd >= 0)
		close(j->out_fd);
	if (j->err_fd >= 0)
		close(j->err_fd);
	sb_free(&j->out);
	sb_free(&j->err);
	free(j->line);
	memset(j, 0, sizeof *j);
	j->out_fd = j->err_fd = -1;
}
