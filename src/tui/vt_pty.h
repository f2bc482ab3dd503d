#ifndef CONVEYOR_VT_PTY_H
#define CONVEYOR_VT_PTY_H
/* The process side of a pane terminal: forkpty/exec, the non-blocking master, queued input, reaping.
 * Internal to src/tui/vt*.c; knows nothing of libvterm. */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct vt_pty {
	int fd;		/* the master, non-blocking and close-on-exec; -1 once closed */
	pid_t pid;	/* the child, session leader of the PTY */
	bool exited;	/* the child has been reaped */
	int status;	/* its wait status, once exited */
	char *out;	/* bytes queued for the child: out[off, len) */
	size_t off, len, cap;
};

int vt_pty_spawn(struct vt_pty *pty, const char *const argv[], int rows, int cols, const char *cwd,
		 const char *const env[]);
bool vt_pty_queue(struct vt_pty *pty, const char *buf, size_t len);
void vt_pty_flush(struct vt_pty *pty);
void vt_pty_resize(const struct vt_pty *pty, int rows, int cols);
bool vt_pty_reap(struct vt_pty *pty);
void vt_pty_hangup(struct vt_pty *pty);
void vt_pty_close(struct vt_pty *pty);

#endif
