#ifndef CONVEYOR_TUI_DBWATCH_H
#define CONVEYOR_TUI_DBWATCH_H
/* inotify on the database's write-ahead log and directory, so the cockpit wakes when another process commits. */

struct dbwatch {
	int fd;      /* the inotify descriptor, -1 when inotify is unavailable */
	int wd_dir;  /* watch on the database's directory, -1 until it exists */
	int wd_wal;  /* watch on the write-ahead log, -1 until it exists */
	char *dir, *name, *wal;
};

void dbwatch_init(struct dbwatch *w, const char *db_path);
int dbwatch_arm(struct dbwatch *w);
int dbwatch_drain(struct dbwatch *w);
void dbwatch_free(struct dbwatch *w);

#endif
