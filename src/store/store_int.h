#ifndef CONVEYOR_STORE_INT_H
#define CONVEYOR_STORE_INT_H
/* Private to src/store: the connection behind a struct store. */
#include <sqlite3.h>

struct store {
	sqlite3 *db;
	int memory;
	char err[512];
};

int store_schema_init(struct store *s, const char *now);
int store_check_foreign_keys(struct store *s);

#endif
