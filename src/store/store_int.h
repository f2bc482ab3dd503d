#ifndef CONVEYOR_STORE_INT_H
#define CONVEYOR_STORE_INT_H
/* Private to src/store: the connection behind a struct store. */
#include <sqlite3.h>

struct store {
	sqlite3 *db;
	int memory;
	int readonly;     /* opened SQLITE_OPEN_READONLY: the file is not writable by this user */
	int writer;       /* opened for a command that writes (STORE_CREATE): it may set WAL and migrate the file */
	int snapshot;     /* an in-memory copy of a ledger that needs migrating, migrated there for a read */
	char err[512];
	char notice[1024]; /* what opening changed that the operator should hear of once ("" when nothing) */
};

int store_schema_init(struct store *s, const char *now);
int store_schema_ledger(struct store *s, const char *path);
int store_schema_read(struct store *s, const char *now);
int store_check_foreign_keys(struct store *s);

#endif
