/* Running a program by argv with posix_spawnp: stdin from /dev/null, stdout and stderr captured, bounded time. */
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* Milliseconds of a clock that never jumps, for deadlines. */
long long proc_monotonic_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms milliseconds, resuming after signals. */
void proc_sleep_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Reads what is available on fd into sb; returns 0 at end of file, 1 if more may come. */
static int proc_drain(int fd, struct sb *sb)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof buf);
	if (n > 0) {
		sb_addn(sb, buf, (size_t)n);
		return 1;
	}
	return n < 0 && (errno == EINTR || errno == EAGAIN) ? 1 : 0;
}

/* Starts argv with stdout/stderr on the write ends of two pipes; returns the pid or -1 (errno set). */
static pid_t proc_spawn(const char *const argv[], int out_fd, int err_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawnattr_t at;
	posix_spawnattr_init(&at);
	sigset_t none;
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, &at, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		errno = rc;
		return -1;
	}
	return pid;
}

/* Runs argv to completion (killed after timeout_ms when > 0); returns 0 when it ran, -1 when it could not start
 * (r->status is then 127 and r->err says why). */
int proc_run(const char *const argv[], int timeout_ms, struct proc_result *r)
{
	sb_init(&r->out);
	sb_init(&r->err);
	r->status = 127;
	int po[2], pe[2];
	if (pipe2(po, O_CLOEXEC) != 0)
		return sb_adds(&r->err, "pipe failed"), -1;
	if (pipe2(pe, O_CLOEXEC) != 0) {
		close(po[0]);
		close(po[1]);
		return sb_adds(&r->err, "pipe failed"), -1;
	}
	pid_t pid = proc_spawn(argv, po[1], pe[1]);
	int spawn_errno = errno;
	close(po[1]);
	close(pe[1]);
	if (pid < 0) {
		close(po[0]);
		close(pe[0]);
		sb_addf(&r->err, "%s: %s", argv[0], strerror(spawn_errno));
		return -1;
	}
	long long deadline = timeout_ms > 0 ? proc_monotonic_ms() + timeout_ms : 0;
	struct pollfd p[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = 2, killed = 0;
	while (open_fds > 0) {
		int wait_ms = -1;
		if (deadline) {
			long long left = deadline - proc_monotonic_ms();
			if (left <= 0 && !killed) {
				kill(pid, SIGKILL);
				killed = 1;
			}
			wait_ms = left > 0 ? (int)left : 100;
		}
		if (poll(p, 2, wait_ms) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (p[i].fd >= 0 && (p[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
			    !proc_drain(p[i].fd, i == 0 ? &r->out : &r->err)) {
				close(p[i].fd);
				p[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (killed)
		r->status = 124;
	else if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else
		r->status = 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	return 0;
}

/* Frees the captured output. */
void proc_result_free(struct proc_result *r)
{
	sb_free(&r->out);
	sb_free(&r->err);
}
