#ifndef CONVEYOR_STORE_H
#define CONVEYOR_STORE_H
/* The only gateway to SQLite: opening, pragmas, schema, transactions and row <-> cJSON helpers. */
#include <stdarg.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "util/json.h"
#include "util/sb.h"

struct store;
struct store_stmt;

/* What to do when the database file does not exist yet. */
enum store_open_mode {
	STORE_CREATE,       /* create it (parent directories 0700, file 0600) */
	STORE_READ_MISSING, /* do not create it: read an empty in-memory database instead */
};

/* Schema revision of conveyor's own additions (see src/store/schema.c). */
#define STORE_REFERENCE_VERSION 25

int store_open(const char *path, enum store_open_mode mode, const char *now, struct store **out,
	       char *err, size_t errlen);
void store_close(struct store *s);
cJSON *store_health(const char *path, char *err, size_t errlen);
const char *store_errmsg(const struct store *s);
int store_begin(struct store *s, int write);
int store_commit(struct store *s);
void store_rollback(struct store *s);
int store_in_memory(const struct store *s);
const char *store_notice(const struct store *s);
long long store_data_version(struct store *s);

struct store_stmt *store_prepare(struct store *s, const char *sql);
int store_bind(struct store_stmt *st, const char *fmt, ...);
int store_step(struct store_stmt *st);
const char *store_col_text(struct store_stmt *st, int col);
long long store_col_int(struct store_stmt *st, int col);
cJSON *store_col_row(struct store_stmt *st);
void store_col_row_json(struct store_stmt *st, struct sb *out, enum json_layout layout, int depth);
int store_col_find(struct store_stmt *st, const char *name);
void store_reset(struct store_stmt *st);
void store_finalize(struct store_stmt *st);

int store_exec(struct store *s, const char *sql, const char *fmt, ...);
int store_changes(const struct store *s);
cJSON *store_rows(struct store *s, const char *sql, const char *fmt, ...);
int store_row(struct store *s, cJSON **out, const char *sql, const char *fmt, ...);
int store_vrow(struct store *s, cJSON **out, const char *sql, const char *fmt, va_list ap);
int store_int(struct store *s, long long *out, const char *sql, const char *fmt, ...);

#endif
