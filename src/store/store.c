/* Opening the database file, connection pragmas, transactions and statement helpers. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store/store_int.h"
#include "util/fs.h"
#include "util/json.h"

/* What store_col_row_json needs of a result column, worked out once per statement. */
struct store_col {
	char *key;     /* output key: the column name, without _json for JSON columns */
	size_t len;
	int json_name; /* the column name ends in _json */
};

struct store_stmt {
	struct store *store;
	sqlite3_stmt *stmt;
	struct store_col *cols; /* NULL until store_col_row_json first runs */
	int ncols;
};

/* Remembers the connection's current error message as the store's error. */
static void store_fail(struct store *s)
{
	snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
}

/* Creates every missing directory of path's parent with mode 0700. */
static int store_mkdirs(const char *path, char *err, size_t errlen)
{
	char *dir = fs_dirname(path);
	int rc = strcmp(dir, "/") != 0 && strcmp(dir, ".") != 0 ? fs_mkdirs(dir, err, errlen) : 0;
	free(dir);
	return rc;
}

/* Creates the database file with mode 0600 if it does not exist yet. */
static int store_create_file(const char *path, char *err, size_t errlen)
{
	if (store_mkdirs(path, err, errlen) != 0)
		return -1;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	else if (errno != EEXIST) {
		snprintf(err, errlen, "cannot create database %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Applies the connection pragmas of SPEC 1.2 and checks that foreign keys are really on. */
static int store_configure(struct store *s)
{
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;", NULL, NULL,
			 NULL) != SQLITE_OK) {
		store_fail(s);
		return -1;
	}
	if (s->writer && !s->memory && sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s);
		return -1;
	}
	return store_check_foreign_keys(s);
}

/* Makes the database, its write-ahead log and its shared-memory index private to their owner (SQLite gives the last
 * two the database's mode), so a ledger created by hand or by another tool stops being readable by others. */
static void store_tighten(struct store *s, const char *path)
{
	char side[4096], changed[sizeof s->notice] = "";
	fs_private(path, changed, sizeof changed);
	snprintf(side, sizeof side, "%s-wal", path);
	fs_private(side, changed, sizeof changed);
	snprintf(side, sizeof side, "%s-shm", path);
	fs_private(side, changed, sizeof changed);
	if (changed[0])
		snprintf(s->notice, sizeof s->notice, "made private: %s", changed);
}

/* The URI that opens a read-only ledger whose write-ahead log does not exist (no writer has it open) as
 * immutable: SQLite would otherwise have to create the -wal and -shm files, which this user may not. */
static char *store_immutable_uri(const char *path)
{
	struct sb uri;
	sb_init(&uri);
	sb_adds(&uri, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#' || *p <= ' ' || *p >= 0x7f)
			sb_addf(&uri, "%%%02X", *p);
		else
			sb_addc(&uri, (char)*p);
	}
	sb_adds(&uri, "?immutable=1");
	return sb_take(&uri);
}

/* Whether this user may change the database: the file, and the directory that holds its -wal and -shm. */
static int store_writable(const char *path)
{
	char *dir = fs_dirname(path);
	int ok = access(path, W_OK) == 0 && access(dir, W_OK) == 0;
	free(dir);
	return ok;
}

/* Opens (and if needed creates and initialises) the database at path; returns 0 or -1 with err filled. A file
 * that is not regular, or a SQLite database that is not a ledger, is refused before anything is written to it;
 * a ledger this user cannot write is opened read-only for reading (and refused for writing). */
int store_open(const char *path, enum store_open_mode mode, const char *now, struct store **out,
	       char *err, size_t errlen)
{
	*out = NULL;
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "database %s is not a regular file", path);
		return -1;
	}
	if (!exists && mode == STORE_CREATE && store_create_file(path, err, errlen) != 0)
		return -1;
	int writable = !exists || store_writable(path);
	if (exists && !writable && mode == STORE_CREATE) {
		snprintf(err, errlen, "database %s is read-only for this user: it can be read, not changed", path);
		return -1;
	}
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		abort();
	s->memory = !exists && mode == STORE_READ_MISSING;
	s->readonly = exists && !writable;
	s->writer = mode == STORE_CREATE;
	int flags = (s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOMUTEX;
	if (s->memory)
		flags |= SQLITE_OPEN_MEMORY;
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	char *uri = s->readonly && access(wal, F_OK) != 0 ? store_immutable_uri(path) : NULL;
	int opened = sqlite3_open_v2(s->memory ? ":memory:" : uri ? uri : path, &s->db, flags | (uri ? SQLITE_OPEN_URI : 0),
				     NULL);
	free(uri);
	if (opened != SQLITE_OK) {
		snprintf(err, errlen, "cannot open database %s: %s", path,
			 s->db ? sqlite3_errmsg(s->db) : "out of memory");
		store_close(s);
		return -1;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, 5000);
	int rc = store_schema_ledger(s, path);
	if (rc == 0 && !s->memory)
		store_tighten(s, path);
	if (rc == 0)
		rc = store_configure(s);
	if (rc == 0)
		rc = s->writer || s->memory ? store_schema_init(s, now) : store_schema_read(s, now);
	if (rc != 0) {
		snprintf(err, errlen, "%s", s->err);
		store_close(s);
		return -1;
	}
	*out = s;
	return 0;
}

/* What opening the database changed that the operator should hear of ("" when nothing). */
const char *store_notice(const struct store *s)
{
	return s->notice;
}

/* Closes the connection and frees the store. */
void store_close(struct store *s)
{
	if (!s)
		return;
	sqlite3_close(s->db);
	free(s);
}

/* The message of the last failed store call (SQLite's own text for SQLite errors). */
const char *store_errmsg(const struct store *s)
{
	return s->err;
}

/* Whether this store is in memory: the empty stand-in for a missing file, or a read's migrated copy of a ledger
 * that needs migrating (neither sees later commits: open again to look). */
int store_in_memory(const struct store *s)
{
	return s->memory || s->snapshot;
}

/* PRAGMA data_version: changes whenever another connection commits (the cockpit's cheap change check); -1 on
 * error. */
long long store_data_version(struct store *s)
{
	long long v = -1;
	return store_int(s, &v, "pragma data_version", "") == 1 ? v : -1;
}

/* Starts a transaction: BEGIN IMMEDIATE for writers so the whole command holds the write lock. */
int store_begin(struct store *s, int write)
{
	if (sqlite3_exec(s->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s);
		return -1;
	}
	return 0;
}

/* Commits the open transaction. */
int store_commit(struct store *s)
{
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		store_fail(s);
		store_rollback(s);
		return -1;
	}
	return 0;
}

/* Rolls back the open transaction, if any. */
void store_rollback(struct store *s)
{
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Prepares one SQL statement; NULL on error. */
struct store_stmt *store_prepare(struct store *s, const char *sql)
{
	sqlite3_stmt *stmt = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK) {
		store_fail(s);
		return NULL;
	}
	struct store_stmt *st = malloc(sizeof *st);
	if (!st)
		abort();
	st->store = s;
	st->stmt = stmt;
	st->cols = NULL;
	st->ncols = 0;
	return st;
}

/* Binds parameters 1..n from fmt: s = string (NULL binds null), i = long long, j = cJSON (stored compact, sorted). */
static int store_vbind(struct store_stmt *st, const char *fmt, va_list ap)
{
	int rc = SQLITE_OK;
	if ((int)(fmt ? strlen(fmt) : 0) != sqlite3_bind_parameter_count(st->stmt)) {
		snprintf(st->store->err, sizeof st->store->err, "internal error: %zu values for %d SQL parameters",
			 fmt ? strlen(fmt) : 0, sqlite3_bind_parameter_count(st->stmt));
		return -1;
	}
	for (int i = 0; fmt && fmt[i] && rc == SQLITE_OK; i++) {
		if (fmt[i] == 's') {
			const char *v = va_arg(ap, const char *);
			rc = v ? sqlite3_bind_text(st->stmt, i + 1, v, -1, SQLITE_TRANSIENT)
			       : sqlite3_bind_null(st->stmt, i + 1);
		} else if (fmt[i] == 'i') {
			rc = sqlite3_bind_int64(st->stmt, i + 1, va_arg(ap, long long));
		} else if (fmt[i] == 'j') {
			const cJSON *v = va_arg(ap, const cJSON *);
			if (!v) {
				rc = sqlite3_bind_null(st->stmt, i + 1);
				continue;
			}
			char *text = json_compact(v);
			rc = sqlite3_bind_text(st->stmt, i + 1, text, -1, free);
		} else {
			abort();
		}
	}
	if (rc != SQLITE_OK) {
		store_fail(st->store);
		return -1;
	}
	return 0;
}

/* Binds parameters by format string (see store_vbind). */
int store_bind(struct store_stmt *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = store_vbind(st, fmt, ap);
	va_end(ap);
	return rc;
}

/* Steps the statement: 1 for a row, 0 when done, -1 on error. */
int store_step(struct store_stmt *st)
{
	int rc = sqlite3_step(st->stmt);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	store_fail(st->store);
	return -1;
}

/* Text of a result column (NULL for SQL NULL). */
const char *store_col_text(struct store_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st->stmt, col);
}

/* Integer value of a result column. */
long long store_col_int(struct store_stmt *st, int col)
{
	return sqlite3_column_int64(st->stmt, col);
}

/* The current row as an object keyed by column name; a column named X_json becomes key X with its parsed JSON. */
cJSON *store_col_row(struct store_stmt *st)
{
	cJSON *row = cJSON_CreateObject();
	int n = sqlite3_column_count(st->stmt);
	for (int i = 0; i < n; i++) {
		const char *name = sqlite3_column_name(st->stmt, i);
		size_t len = strlen(name);
		int type = sqlite3_column_type(st->stmt, i);
		if (type == SQLITE_NULL) {
			cJSON_AddNullToObject(row, name);
		} else if (type == SQLITE_INTEGER) {
			cJSON_AddNumberToObject(row, name, (double)sqlite3_column_int64(st->stmt, i));
		} else if (type == SQLITE_FLOAT) {
			cJSON_AddNumberToObject(row, name, sqlite3_column_double(st->stmt, i));
		} else if (len > 5 && strcmp(name + len - 5, "_json") == 0) {
			char key[128];
			snprintf(key, sizeof key, "%.*s", (int)(len - 5), name);
			cJSON *v = json_parse_any((const char *)sqlite3_column_text(st->stmt, i));
			cJSON_AddItemToObject(row, key, v ? v : cJSON_CreateNull());
		} else {
			cJSON_AddStringToObject(row, name, (const char *)sqlite3_column_text(st->stmt, i));
		}
	}
	return row;
}

/* Works out the output key of every result column once per statement. */
static void store_cols_init(struct store_stmt *st)
{
	st->ncols = sqlite3_column_count(st->stmt);
	st->cols = calloc((size_t)st->ncols + 1, sizeof *st->cols);
	if (!st->cols)
		abort();
	for (int i = 0; i < st->ncols; i++) {
		const char *name = sqlite3_column_name(st->stmt, i);
		size_t len = strlen(name);
		st->cols[i].json_name = len > 5 && strcmp(name + len - 5, "_json") == 0;
		st->cols[i].len = st->cols[i].json_name ? len - 5 : len;
		st->cols[i].key = strdup(name);
		if (!st->cols[i].key)
			abort();
	}
}

/* Appends the current row as one JSON object laid out for depth (keys as in store_col_row; X_json columns
 * become key X with the stored JSON), without building a cJSON tree: the fast path for large record lists.
 * Column names are SQL identifiers and need no escaping. */
void store_col_row_json(struct store_stmt *st, struct sb *out, enum json_layout layout, int depth)
{
	if (!st->cols)
		store_cols_init(st);
	sb_addc(out, '{');
	for (int i = 0; i < st->ncols; i++) {
		const struct store_col *col = &st->cols[i];
		int type = sqlite3_column_type(st->stmt, i);
		int inline_json = col->json_name && type == SQLITE_TEXT;
		if (i)
			sb_addc(out, ',');
		json_newline(out, layout, depth + 1);
		sb_addc(out, '"');
		if (inline_json || !col->json_name)
			sb_addn(out, col->key, col->len);
		else
			sb_adds(out, col->key);
		if (layout == JSON_PRETTY)
			sb_addn(out, "\": ", 3);
		else
			sb_addn(out, "\":", 2);
		if (type == SQLITE_NULL)
			sb_addn(out, "null", 4);
		else if (type == SQLITE_INTEGER)
			sb_addf(out, "%lld", (long long)sqlite3_column_int64(st->stmt, i));
		else if (type == SQLITE_FLOAT)
			json_write_num(out, sqlite3_column_double(st->stmt, i));
		else if (inline_json)
			json_write_text(out, (const char *)sqlite3_column_text(st->stmt, i), layout, depth + 1);
		else
			json_write_str(out, (const char *)sqlite3_column_text(st->stmt, i));
	}
	if (st->ncols)
		json_newline(out, layout, depth);
	sb_addc(out, '}');
}

/* Index of the result column called name, or -1. */
int store_col_find(struct store_stmt *st, const char *name)
{
	int n = sqlite3_column_count(st->stmt);
	for (int i = 0; i < n; i++)
		if (strcmp(sqlite3_column_name(st->stmt, i), name) == 0)
			return i;
	return -1;
}

/* Resets the statement for another run with new bindings. */
void store_reset(struct store_stmt *st)
{
	sqlite3_reset(st->stmt);
	sqlite3_clear_bindings(st->stmt);
}

/* Frees the statement. */
void store_finalize(struct store_stmt *st)
{
	if (!st)
		return;
	sqlite3_finalize(st->stmt);
	for (int i = 0; st->cols && i < st->ncols; i++)
		free(st->cols[i].key);
	free(st->cols);
	free(st);
}

/* Prepares sql and binds the variadic parameters; NULL on error. */
static struct store_stmt *store_vprepare(struct store *s, const char *sql, const char *fmt, va_list ap)
{
	struct store_stmt *st = store_prepare(s, sql);
	if (st && store_vbind(st, fmt, ap) != 0) {
		store_finalize(st);
		return NULL;
	}
	return st;
}

/* Runs one statement that returns no rows; 0 or -1. */
int store_exec(struct store *s, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct store_stmt *st = store_vprepare(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	int rc = store_step(st);
	store_finalize(st);
	return rc < 0 ? -1 : 0;
}

/* Rows changed by the last INSERT/UPDATE/DELETE. */
int store_changes(const struct store *s)
{
	return sqlite3_changes(s->db);
}

/* Runs a query and returns all rows as an array of objects (see store_col_row); NULL on error. */
cJSON *store_rows(struct store *s, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct store_stmt *st = store_vprepare(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return NULL;
	cJSON *rows = cJSON_CreateArray();
	int rc;
	while ((rc = store_step(st)) == 1)
		cJSON_AddItemToArray(rows, store_col_row(st));
	store_finalize(st);
	if (rc < 0) {
		cJSON_Delete(rows);
		return NULL;
	}
	return rows;
}

/* store_row with its parameters as a va_list. */
int store_vrow(struct store *s, cJSON **out, const char *sql, const char *fmt, va_list ap)
{
	struct store_stmt *st = store_vprepare(s, sql, fmt, ap);
	*out = NULL;
	if (!st)
		return -1;
	int rc = store_step(st);
	if (rc == 1)
		*out = store_col_row(st);
	store_finalize(st);
	return rc;
}

/* Runs a query for its first row: 1 with *out set, 0 when there is none, -1 on error. */
int store_row(struct store *s, cJSON **out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = store_vrow(s, out, sql, fmt, ap);
	va_end(ap);
	return rc;
}

/* Runs a query for the integer in its first column: 1 found, 0 no row, -1 on error. */
int store_int(struct store *s, long long *out, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct store_stmt *st = store_vprepare(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return -1;
	int rc = store_step(st);
	if (rc == 1)
		*out = store_col_int(st, 0);
	store_finalize(st);
	return rc;
}
