/* The process side of a pane terminal (docs/terminal-panes.md, "PTY lifecycle"). */
#include "tui/vt_pty.h"
#include "tui/vt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

/* Input queued for a child that does not read is capped; past this, vt_pty_queue refuses more. */
#define PTY_QUEUE_MAX (1u << 20)
/* How long closing a pane waits for its child to leave after SIGHUP. */
#define PTY_REAP_MS 200

/* Whether the environment entry e (NAME=VALUE) is replaced in the child: TERM, COLUMNS and LINES always, and
 * any variable that an env entry sets (NAME=VALUE) or unsets (NAME). */
static bool pty_env_dropped(const char *e, const char *const env[])
{
	size_t n = strcspn(e, "=");
	static const char *const fixed[] = { "TERM", "COLUMNS", "LINES" };
	for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
		if (strlen(fixed[i]) == n && strncmp(e, fixed[i], n) == 0)
			return true;
	for (size_t i = 0; env && env[i]; i++)
		if (strcspn(env[i], "=") == n && strncmp(e, env[i], n) == 0)
			return true;
	return false;
}

/* Builds the child's environment (an array of pointers into environ and env; only the array is owned). */
static char **pty_environ(const char *const env[])
{
	size_t n = 0, m = 0;
	while (environ[n])
		n++;
	while (env && env[m])
		m++;
	char **out = malloc((n + m + 2) * sizeof *out);
	if (!out)
		return NULL;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!pty_env_dropped(environ[i], env))
			out[k++] = environ[i];
	out[k++] = "TERM=" VT_TERM;
	for (size_t i = 0; i < m; i++)
		if (strchr(env[i], '='))
			out[k++] = (char *)env[i];
	out[k] = NULL;
	return out;
}

/* Closes every descriptor from lo up. */
static void pty_close_from(int lo)
{
	if (close_range((unsigned)lo, ~0u, 0) == 0)
		return;
	long max = sysconf(_SC_OPEN_MAX);
	for (long fd = lo; fd < (max > 0 ? max : 1024); fd++)
		close((int)fd);
}

/* In the forked child: resets signals, keeps only the PTY (0-2) and the error pipe (3), sets IUTF8, changes
 * directory and executes argv. On failure, writes errno to the pipe and exits 127. */
static _Noreturn void pty_child(int errfd, const char *const argv[], const char *cwd, char **envp)
{
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	for (int sig = 1; sig < NSIG; sig++)
		sigaction(sig, &dfl, NULL);
	if (errfd != 3) {
		dup3(errfd, 3, O_CLOEXEC);
		errfd = 3;
	}
	pty_close_from(4);
	struct termios tio;
	if (tcgetattr(0, &tio) == 0) {
		tio.c_iflag |= IUTF8;
		tcsetattr(0, TCSANOW, &tio);
	}
	int err = 0;
	if (cwd && chdir(cwd) < 0)
		err = errno;
	else
		execvpe(argv[0], (char *const *)argv, envp);
	if (!err)
		err = errno;
	ssize_t w = write(errfd, &err, sizeof err);
	(void)w;
	_exit(127);
}

/* Starts argv on a new PTY of rows x cols in cwd (NULL: ours), with env's changes to our environment
 * (NAME=VALUE sets, a bare NAME unsets). Returns 0, or -errno when the PTY or the exec failed. */
int vt_pty_spawn(struct vt_pty *pty, const char *const argv[], int rows, int cols, const char *cwd,
		 const char *const env[])
{
	memset(pty, 0, sizeof *pty);
	pty->fd = -1;
	if (!argv || !argv[0])
		return -EINVAL;
	char **envp = pty_environ(env);
	if (!envp)
		return -ENOMEM;
	int pipefd[2];
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		int err = errno;
		free(envp);
		return -err;
	}
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	int fd;
	pid_t pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid == 0) {
		close(pipefd[0]);
		pty_child(pipefd[1], argv, cwd, envp);
	}
	int err = errno;
	free(envp);
	close(pipefd[1]);
	if (pid < 0) {
		close(pipefd[0]);
		return -err;
	}
	/* The pipe closes on a successful exec; a failed one sends its errno first. */
	int child_err = 0;
	ssize_t n;
	do
		n = read(pipefd[0], &child_err, sizeof child_err);
	while (n < 0 && errno == EINTR);
	close(pipefd[0]);
	if (n == (ssize_t)sizeof child_err) {
		close(fd);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		return -child_err;
	}
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	pty->fd = fd;
	pty->pid = pid;
	return 0;
}

/* Queues len bytes for the child; false when the master is closed or the queue is full (the bytes are
 * dropped). */
bool vt_pty_queue(struct vt_pty *pty, const char *buf, size_t len)
{
	if (pty->fd < 0 || pty->len - pty->off + len > PTY_QUEUE_MAX)
		return false;
	if (len == 0)
		return true;
	if (pty->len + len > pty->cap && pty->off > 0) {
		memmove(pty->out, pty->out + pty->off, pty->len - pty->off);
		pty->len -= pty->off;
		pty->off = 0;
	}
	if (pty->len + len > pty->cap) {
		size_t cap = pty->cap ? pty->cap : 4096;
		while (cap < pty->len + len)
			cap *= 2;
		char *p = realloc(pty->out, cap);
		if (!p)
			return false;
		pty->out = p;
		pty->cap = cap;
	}
	memcpy(pty->out + pty->len, buf, len);
	pty->len += len;
	return true;
}

/* Writes as much of the queue as the child takes without blocking; a dead PTY drops the rest. */
void vt_pty_flush(struct vt_pty *pty)
{
	while (pty->fd >= 0 && pty->off < pty->len) {
		ssize_t n = write(pty->fd, pty->out + pty->off, pty->len - pty->off);
		if (n > 0)
			pty->off += (size_t)n;
		else if (n < 0 && errno == EAGAIN)
			return;
		else if (!(n < 0 && errno == EINTR))
			pty->off = pty->len;
	}
	pty->off = pty->len = 0;
}

/* Tells the PTY (and so the child, with SIGWINCH) its new size. */
void vt_pty_resize(const struct vt_pty *pty, int rows, int cols)
{
	struct winsize ws = { .ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols };
	if (pty->fd >= 0)
		ioctl(pty->fd, TIOCSWINSZ, &ws);
}

/* Reaps the child if it has exited, without waiting; true once it has. A child reaped by someone else
 * (ECHILD) counts as exited with status -1. */
bool vt_pty_reap(struct vt_pty *pty)
{
	if (pty->exited)
		return true;
	int st;
	pid_t r;
	do
		r = waitpid(pty->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == pty->pid || (r < 0 && errno == ECHILD)) {
		pty->exited = true;
		pty->status = r == pty->pid ? st : -1;
	}
	return pty->exited;
}

/* Closes the master (the kernel hangs up the PTY) and drops queued input. */
void vt_pty_hangup(struct vt_pty *pty)
{
	if (pty->fd >= 0)
		close(pty->fd);
	pty->fd = -1;
	free(pty->out);
	pty->out = NULL;
	pty->off = pty->len = pty->cap = 0;
}

/* Waits up to ms milliseconds for the child to exit, then reaps it if it did. */
static void pty_wait(struct vt_pty *pty, int ms)
{
	int pidfd = pidfd_open(pty->pid, 0);
	if (pidfd >= 0) {
		struct pollfd p = { .fd = pidfd, .events = POLLIN };
		poll(&p, 1, ms);
		close(pidfd);
	}
	vt_pty_reap(pty);
}

/* Ends the pane's side: hangs up, sends SIGHUP to the child process itself (not its group), and reaps it if it
 * leaves within PTY_REAP_MS. A child that ignores SIGHUP is left running. */
void vt_pty_close(struct vt_pty *pty)
{
	vt_pty_hangup(pty);
	if (pty->pid > 0 && !vt_pty_reap(pty)) {
		kill(pty->pid, SIGHUP);
		pty_wait(pty, PTY_REAP_MS);
	}
}
