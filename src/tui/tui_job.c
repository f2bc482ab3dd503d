/* Running one command line in a forked child: the child parses and runs it through exec_argv (exactly as the
 * CLI would) and writes "<exit status>\n<output or error>" to a pipe the loop polls. */
#include "tui/tui_job.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/cmd/exec.h"

/* Writes all of buf to fd. */
static void job_write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n, len -= (size_t)n;
	}
}

/* The child: runs the line against db_path (unless it names its own --path) and reports through fd. */
static void job_child(int fd, const char *prog, const char *line, const char *db_path)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	struct err e = {0};
	struct sb out;
	sb_init(&out);
	int argc, code = 0;
	char **argv = exec_split(line, &argc, &e);
	if (argv) {
		int has_path = 0;
		for (int i = 0; i < argc; i++)
			has_path |= strcmp(argv[i], "--path") == 0;
		char **full = calloc((size_t)argc + 3, sizeof *full);
		memcpy(full, argv, sizeof *argv * (size_t)argc);
		if (!has_path) {
			full[argc++] = (char *)"--path";
			full[argc++] = (char *)db_path;
		}
		struct exec_result r;
		if (exec_argv(prog, argc, full, &r, &out, &e) != 0)
			code = e.code ? e.code : 2;
		else if (!r.help)
			exec_format(&r, &out);
		exec_result_free(&r);
		free(full);
		exec_split_free(argv);
	} else {
		code = e.code ? e.code : 2;
	}
	char head[32];
	snprintf(head, sizeof head, "%d\n", code);
	job_write_all(fd, head, strlen(head));
	if (code)
		job_write_all(fd, e.msg, strlen(e.msg));
	else if (out.buf)
		job_write_all(fd, out.buf, out.len);
	_exit(0);
}

/* Starts line in a child; 0, or -1 with err set. */
int job_start(struct tui_job *j, const char *prog, const char *line, const char *db_path, char *err, size_t errlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		job_child(p[1], prog, line, db_path);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	j->pid = pid;
	j->fd = p[0];
	sb_init(&j->buf);
	j->line = strdup(line);
	return 0;
}

/* Reads what the child wrote; 1 once it has finished (end of file), 0 while it runs. */
int job_read(struct tui_job *j)
{
	char buf[8192];
	for (;;) {
		ssize_t n = read(j->fd, buf, sizeof buf);
		if (n > 0) {
			sb_addn(&j->buf, buf, (size_t)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		return n == 0 || errno != EAGAIN;
	}
}

/* The finished job's exit status and its output (or error message) text. */
int job_result(const struct tui_job *j, const char **text)
{
	const char *s = j->buf.buf ? j->buf.buf : "";
	const char *nl = strchr(s, '\n');
	*text = nl ? nl + 1 : "";
	return nl ? atoi(s) : 2;
}

/* Reaps the child and frees the job. */
void job_end(struct tui_job *j)
{
	if (j->pid > 0)
		while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
			;
	if (j->fd >= 0)
		close(j->fd);
	sb_free(&j->buf);
	free(j->line);
	memset(j, 0, sizeof *j);
	j->fd = -1;
}
