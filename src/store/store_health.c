/* A read-only look at a database file for `doctor`: nothing is created, migrated or converted. */
#include <stdio.h>

#include <sqlite3.h>

#include "store/store.h"

/* Adds key: the first column of the first row of a one-value PRAGMA; -1 with err filled. */
static int store_health_pragma(sqlite3 *db, const char *sql, const char *key, cJSON *out, char *err, size_t errlen)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_INTEGER)
			cJSON_AddNumberToObject(out, key, (double)sqlite3_column_int64(st, 0));
		else
			cJSON_AddStringToObject(out, key, (const char *)sqlite3_column_text(st, 0));
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_OK)
		snprintf(err, errlen, "%s", sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* The health facts of the existing database at path, opened read-only: {journal_mode, quick_check,
 * user_version} (quick_check is "ok" or its first complaint); NULL with err filled when it cannot be read. */
cJSON *store_health(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	cJSON *r = cJSON_CreateObject();
	if (store_health_pragma(db, "PRAGMA journal_mode", "journal_mode", r, err, errlen) != 0 ||
	    store_health_pragma(db, "PRAGMA user_version", "user_version", r, err, errlen) != 0 ||
	    store_health_pragma(db, "PRAGMA quick_check(1)", "quick_check", r, err, errlen) != 0) {
		cJSON_Delete(r);
		r = NULL;
	}
	sqlite3_close(db);
	return r;
}
