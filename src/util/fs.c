/* Creating private directories, and opening files that must be regular files. */
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Creates dir and every missing parent with mode 0700; 0, or -1 with err filled. */
int fs_mkdirs(const char *dir, char *err, size_t errlen)
{
	char *copy = strdup(dir);
	if (!copy)
		abort();
	int rc = 0;
	for (char *p = copy + 1; rc == 0; p++) {
		if (*p != '/' && *p)
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create directory %s: %s", copy, strerror(errno));
			rc = -1;
		}
		*p = c;
		if (!c)
			break;
	}
	free(copy);
	return rc;
}

/* Opens path read-only if it is a regular file: a FIFO, device or directory is refused without blocking or
 * reading (so /dev/zero or a FIFO cannot hang or exhaust a command). The fd, or -1 with *err_no set: an errno
 * value, or EISDIR / ENODEV for a directory / any other file that is not regular. */
int fs_open_regular(const char *path, int *err_no)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*err_no = errno;
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		*err_no = S_ISDIR(st.st_mode) ? EISDIR : ENODEV;
		close(fd);
		return -1;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

/* The message for an fs_open_regular failure: the errno text, or what kind of file it was not. */
const char *fs_open_error(int err_no)
{
	if (err_no == ENODEV)
		return "not a regular file";
	return strerror(err_no);
}

/* Takes group and other permissions off path when it exists, is a regular file or a directory and belongs to
 * this user (0644 becomes 0600, 0755 becomes 0700; the owner's bits stay, so a read-only file stays read-only).
 * Appends "path (new, was old)" to note (after ", " when note is not empty); 1 when it changed the mode. */
int fs_private(const char *path, char *note, size_t notelen)
{
	struct stat st;
	if (stat(path, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) || st.st_uid != geteuid() ||
	    !(st.st_mode & 077) || chmod(path, st.st_mode & 0700) != 0)
		return 0;
	size_t n = strlen(note);
	snprintf(note + n, notelen - n, "%s%s (%04o, was %04o)", n ? ", " : "", path, (unsigned)(st.st_mode & 0700),
		 (unsigned)(st.st_mode & 0777));
	return 1;
}

/* The directory part of path, malloc'd: "." when path has no slash, "/" for a file in the root. */
char *fs_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = !slash ? strdup(".") : strndup(path, slash == path ? 1 : (size_t)(slash - path));
	if (!dir)
		abort();
	return dir;
}
