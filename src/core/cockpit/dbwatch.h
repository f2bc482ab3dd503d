#ifndef CONVEYOR_DBWATCH_H
#define CONVEYOR_DBWATCH_H
/* Noticing that another process changed the database: inotify on its write-ahead log and directory wakes the
 * cockpit, and a read-only connection's PRAGMA data_version says whether a commit really happened. */

struct store;

struct dbwatch {
	int fd;      /* the inotify descriptor, -1 when inotify is unavailable */
	int wd_dir;  /* watch on the database's directory, -1 until it exists */
	int wd_wal;  /* watch on the write-ahead log, -1 until it exists */
	char *dir, *name, *wal;
	char *db_path;
	struct store *conn; /* read-only connection for data_version, opened once the database exists */
};

void dbwatch_init(struct dbwatch *w, const char *db_path);
int dbwatch_arm(struct dbwatch *w);
int dbwatch_drain(struct dbwatch *w);
long long dbwatch_version(struct dbwatch *w);
void dbwatch_free(struct dbwatch *w);

#endif
