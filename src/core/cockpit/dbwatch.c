/* Wakes the cockpit when the database changes, without polling: inotify on the database's write-ahead log (every
 * commit writes it) and on its directory for the database or the log appearing, disappearing or being replaced.
 * Without inotify, or before the directory exists, the loop falls back to checking once a second. */
#include "core/cockpit/dbwatch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "store/store.h"
#include "util/fs.h"
#include "util/sb.h"

#define DBWATCH_DIR_EVENTS (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR | IN_EXCL_UNLINK)

/* Sets up the watch state for db_path (nothing is watched until dbwatch_arm). */
void dbwatch_init(struct dbwatch *w, const char *db_path)
{
	memset(w, 0, sizeof *w);
	w->wd_dir = w->wd_wal = -1;
	const char *slash = strrchr(db_path, '/');
	w->dir = fs_dirname(db_path);
	w->name = strdup(slash ? slash + 1 : db_path);
	w->db_path = strdup(db_path);
	struct sb wal;
	sb_init(&wal);
	sb_addf(&wal, "%s-wal", db_path);
	w->wal = wal.buf;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
}

/* Adds the watches that are missing (the directory, then the log once it exists); true when changes are seen
 * without polling. */
int dbwatch_arm(struct dbwatch *w)
{
	if (w->fd < 0 || !w->dir || !w->name || !w->wal)
		return 0;
	if (w->wd_dir < 0)
		w->wd_dir = inotify_add_watch(w->fd, w->dir, DBWATCH_DIR_EVENTS);
	if (w->wd_dir >= 0 && w->wd_wal < 0)
		w->wd_wal = inotify_add_watch(w->fd, w->wal, IN_MODIFY);
	return w->wd_dir >= 0 && w->wd_wal >= 0;
}

/* True when an event names the database or its log (a name in the directory, or the log itself). */
static int dbwatch_concerns(const struct dbwatch *w, const struct inotify_event *ev)
{
	if (ev->wd == w->wd_wal || (ev->mask & IN_Q_OVERFLOW))
		return 1;
	if (ev->wd != w->wd_dir || !ev->len)
		return 0;
	size_t n = strlen(w->name);
	return strncmp(ev->name, w->name, n) == 0 && (ev->name[n] == 0 || strcmp(ev->name + n, "-wal") == 0);
}

/* Reads every queued event; true when one concerns the database (the caller then checks PRAGMA data_version).
 * A watch that went away (the log deleted, the directory removed) is dropped, to be added again by dbwatch_arm. */
int dbwatch_drain(struct dbwatch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;
	ssize_t r;
	while ((r = read(w->fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + r;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			hit |= dbwatch_concerns(w, ev);
			if (ev->mask & IN_IGNORED) {
				if (ev->wd == w->wd_wal)
					w->wd_wal = -1;
				if (ev->wd == w->wd_dir)
					w->wd_dir = -1;
				hit = 1;
			}
			p += sizeof *ev + ev->len;
		}
	}
	return hit;
}

/* Releases the watches and their descriptor. */
/* The database's PRAGMA data_version through the watch's own read-only connection, opened when the database
 * exists (a command may create it later); -1 while there is none. A new value means another connection committed. */
long long dbwatch_version(struct dbwatch *w)
{
	if (!w->conn || store_in_memory(w->conn)) {
		store_close(w->conn);
		w->conn = NULL;
		char err[256];
		if (store_open(w->db_path, STORE_READ_MISSING, "", &w->conn, err, sizeof err) != 0)
			w->conn = NULL;
	}
	return w->conn ? store_data_version(w->conn) : -1;
}

/* Stops watching and closes the connection. */
void dbwatch_free(struct dbwatch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	store_close(w->conn);
	free(w->db_path);
	free(w->dir);
	free(w->name);
	free(w->wal);
	memset(w, 0, sizeof *w);
	w->fd = w->wd_dir = w->wd_wal = -1;
}
