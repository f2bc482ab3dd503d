/* Unit tests of the store: file creation and modes, pragmas, the schema, upgrades, refusals and transactions.
 * Fixtures of older or newer databases are written with sqlite3 directly, as another program would. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

#define NOW "2026-01-01T00:00:00.000Z"

/* A fresh temporary directory per test, removed afterwards. */
static int setup_dir(void **state)
{
	char *dir = strdup("/tmp/conveyor-store.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	*state = dir;
	return 0;
}

/* Removes the test's temporary directory. */
static int teardown_dir(void **state)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
	int rc = system(cmd);
	free(*state);
	return rc == 0 ? 0 : -1;
}

/* Joins the test directory and a relative path into out. */
static const char *in_dir(void **state, const char *rel, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", (char *)*state, rel);
	return out;
}

/* Runs SQL on a database file with sqlite3 directly (fixture writing). */
static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("fixture SQL failed: %s", msg);
	sqlite3_close(db);
}

/* Reads one integer through the store. */
static long long store_value(struct store *s, const char *sql)
{
	long long v = -1;
	assert_int_equal(store_int(s, &v, sql, NULL), 1);
	return v;
}

/* Opens path in mode, asserting success. */
static struct store *open_ok(const char *path, enum store_open_mode mode)
{
	struct store *s;
	char err[512];
	if (store_open(path, mode, NOW, &s, err, sizeof err) != 0)
		fail_msg("store_open failed: %s", err);
	return s;
}

/* STORE_CREATE makes missing parent directories 0700 and the file 0600, whatever the umask. */
static void test_create_modes(void **state)
{
	char path[512], dir[512];
	in_dir(state, "a/b/workerctl.db", path, sizeof path);
	mode_t old = umask(0);
	struct store *s = open_ok(path, STORE_CREATE);
	umask(old);
	store_close(s);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(stat(in_dir(state, "a/b", dir, sizeof dir), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(stat(in_dir(state, "a", dir, sizeof dir), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
}

/* Connection pragmas of SPEC 1.2 and the fresh schema: reference v25 plus conveyor's migration 1. */
static void test_fresh_schema_and_pragmas(void **state)
{
	char path[512];
	struct store *s = open_ok(in_dir(state, "workerctl.db", path, sizeof path), STORE_CREATE);
	cJSON *row;
	assert_int_equal(store_row(s, &row, "PRAGMA journal_mode", NULL), 1);
	assert_string_equal(cJSON_GetObjectItem(row, "journal_mode")->valuestring, "wal");
	cJSON_Delete(row);
	assert_int_equal(store_value(s, "PRAGMA foreign_keys"), 1);
	assert_true(store_value(s, "PRAGMA busy_timeout") >= 5000);
	assert_int_equal(store_value(s, "PRAGMA user_version"), 25);
	assert_int_equal(store_value(s, "select max(version) from schema_migrations"), 25);
	assert_int_equal(store_value(s, "select max(version) from conveyor_migrations"), 2);
	assert_int_equal(store_value(s, "select count(*) from sqlite_master where type = 'table' and name in ("
					"'campaigns','campaign_worker_slots','campaign_assignments','campaign_channel_briefs',"
					"'campaign_asset_receipts','sessions','tasks','bindings','events','commands',"
					"'telemetry_events','telemetry_events_fts','worker_handoffs','routed_notifications')"),
			 14);
	assert_int_equal(store_value(s, "select count(*) from sqlite_master where type = 'index' and name in ("
					"'campaigns_name','campaign_worker_slots_campaign_slot','campaign_worker_slots_session',"
					"'campaign_assignments_campaign_status','campaign_channel_briefs_campaign_channel',"
					"'campaign_asset_receipts_assignment','campaign_asset_receipts_campaign_status',"
					"'campaign_assignments_slot','campaign_asset_receipts_slot')"),
			 9);
	assert_int_equal(store_value(s, "select count(*) from sqlite_master where type = 'trigger' and name in "
					"('events_no_update','events_no_delete')"),
			 2);
	assert_int_equal(store_value(s, "select count(*) from pragma_table_info('campaign_asset_receipts') "
					"where name in ('reviewed_at','reviewer')"),
			 2);
	assert_int_equal(store_value(s, "select count(*) from pragma_table_info('routed_notifications') "
					"where name in ('task_id','binding_id','source_session_id') and \"notnull\" = 0"),
			 3);
	assert_int_equal(store_value(s, "select count(*) from pragma_table_info('commands') "
					"where name = 'target_session_id'"),
			 1);
	store_close(s);
	s = open_ok(path, STORE_CREATE);
	assert_int_equal(store_value(s, "select count(*) from conveyor_migrations"), 2);
	store_close(s);
}

/* STORE_READ_MISSING never creates a file: a missing database reads as an empty in-memory one. */
static void test_read_missing(void **state)
{
	char path[512];
	in_dir(state, "absent/workerctl.db", path, sizeof path);
	struct store *s = open_ok(path, STORE_READ_MISSING);
	assert_true(store_in_memory(s));
	assert_int_equal(store_value(s, "select count(*) from campaigns"), 0);
	store_close(s);
	struct stat st;
	assert_int_equal(stat(in_dir(state, "absent", path, sizeof path), &st), -1);
}

/* Databases from a newer reference or a newer conveyor are refused with a clear message. */
static void test_newer_refused(void **state)
{
	char path[512], err[512];
	struct store *s;
	in_dir(state, "newer-ref.db", path, sizeof path);
	raw_exec(path, "create table schema_migrations(version integer primary key); PRAGMA user_version = 26;");
	assert_int_equal(store_open(path, STORE_CREATE, NOW, &s, err, sizeof err), -1);
	assert_string_equal(err, "Database schema version 26 is newer than workerctl supports (25)");
	in_dir(state, "newer-conveyor.db", path, sizeof path);
	s = open_ok(path, STORE_CREATE);
	store_close(s);
	raw_exec(path, "insert into conveyor_migrations values (99, 'future', 'x')");
	assert_int_equal(store_open(path, STORE_CREATE, NOW, &s, err, sizeof err), -1);
	assert_string_equal(err, "Database was written by a newer conveyor (conveyor schema 99; this build supports up to 2)");
}

/* A pre-25 reference database is upgraded in place: rows kept, columns and tables only added, FKs back on. */
static void test_legacy_upgrade(void **state)
{
	char path[512];
	in_dir(state, "legacy.db", path, sizeof path);
	raw_exec(path, "create table schema_migrations(version integer primary key, applied_at text not null);"
		       "insert into schema_migrations values (22, '2025-01-01T00:00:00.000Z');"
		       "create table sessions(id text primary key, name text unique not null, role text not null, "
		       "identity_token text unique not null, tmux_session text, tmux_pane_id text, codex_session_path text, "
		       "codex_session_id text, pid integer, cwd text not null, registered_at text not null, "
		       "last_heartbeat_at text, state text not null);"
		       "insert into sessions(id, name, role, identity_token, pid, cwd, registered_at, state) values "
		       "('session-1', 'w1', 'worker', 'tok', 7, '/w', '2025-01-01T00:00:00.000Z', 'active');"
		       "PRAGMA user_version = 22;");
	struct store *s = open_ok(path, STORE_CREATE);
	assert_int_equal(store_value(s, "PRAGMA user_version"), 25);
	assert_int_equal(store_value(s, "PRAGMA foreign_keys"), 1);
	assert_int_equal(store_value(s, "select count(*) from schema_migrations where version in (22, 25)"), 2);
	cJSON *row;
	assert_int_equal(store_row(s, &row, "select name, codex_app_thread_id, last_ingest_offset from sessions", NULL), 1);
	assert_string_equal(cJSON_GetObjectItem(row, "name")->valuestring, "w1");
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "codex_app_thread_id")));
	cJSON_Delete(row);
	assert_int_equal(store_value(s, "select count(*) from campaign_worker_slots"), 0);
	assert_int_equal(store_value(s, "select count(*) from pragma_foreign_key_check"), 0);
	store_close(s);
}

/* A write transaction rolled back leaves nothing; committed rows stay. */
static void test_transactions(void **state)
{
	char path[512];
	struct store *s = open_ok(in_dir(state, "tx.db", path, sizeof path), STORE_CREATE);
	const char *insert = "insert into campaigns(id, name, objective, status, metadata_json, created_at, updated_at) "
			     "values (?, ?, 'o', 'active', '{}', 'now', 'now')";
	assert_int_equal(store_begin(s, 1), 0);
	assert_int_equal(store_exec(s, insert, "ss", "campaign-1", "a"), 0);
	store_rollback(s);
	assert_int_equal(store_value(s, "select count(*) from campaigns"), 0);
	assert_int_equal(store_begin(s, 1), 0);
	assert_int_equal(store_exec(s, insert, "ss", "campaign-2", "b"), 0);
	assert_int_equal(store_exec(s, insert, "ss", "campaign-3", "b"), -1);
	assert_string_equal(store_errmsg(s), "UNIQUE constraint failed: campaigns.name");
	assert_int_equal(store_commit(s), 0);
	assert_int_equal(store_value(s, "select count(*) from campaigns"), 1);
	store_close(s);
}

/* Rows become objects: X_json columns are parsed under key X, NULL is JSON null, integers are numbers. */
static void test_row_json(void **state)
{
	char path[512];
	struct store *s = open_ok(in_dir(state, "rows.db", path, sizeof path), STORE_CREATE);
	cJSON *rows = store_rows(s, "select '{\"b\":1}' as meta_json, null as gone, 42 as n, 'x' as s", NULL);
	assert_non_null(rows);
	cJSON *row = cJSON_GetArrayItem(rows, 0);
	assert_int_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(row, "meta"), "b")->valueint, 1);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(row, "gone")));
	assert_int_equal(cJSON_GetObjectItem(row, "n")->valueint, 42);
	assert_string_equal(cJSON_GetObjectItem(row, "s")->valuestring, "x");
	cJSON_Delete(rows);
	cJSON *obj = cJSON_Parse("{\"z\":1,\"a\":[true]}");
	assert_int_equal(store_row(s, &row, "select ? as stored", "j", obj), 1);
	assert_string_equal(cJSON_GetObjectItem(row, "stored")->valuestring, "{\"a\":[true],\"z\":1}");
	cJSON_Delete(row);
	cJSON_Delete(obj);
	struct store_stmt *st = store_prepare(s, "select 'a\"b' as s, null as z, 7 as n, 0.5 as f, "
						 "'{\"k\":[1]}' as meta_json, null as none_json");
	assert_non_null(st);
	assert_int_equal(store_step(st), 1);
	assert_int_equal(store_col_find(st, "meta_json"), 4);
	assert_int_equal(store_col_find(st, "missing"), -1);
	struct sb sb;
	sb_init(&sb);
	store_col_row_json(st, &sb, JSON_COMPACT, 0);
	assert_string_equal(sb.buf, "{\"s\":\"a\\\"b\",\"z\":null,\"n\":7,\"f\":0.5,\"meta\":{\"k\":[1]},\"none_json\":null}");
	sb_free(&sb);
	store_col_row_json(st, &sb, JSON_PRETTY, 1);
	assert_string_equal(sb.buf, "{\n    \"s\": \"a\\\"b\",\n    \"z\": null,\n    \"n\": 7,\n    \"f\": 0.5,\n"
				    "    \"meta\": {\n      \"k\": [\n        1\n      ]\n    },\n    \"none_json\": null\n  }");
	sb_free(&sb);
	store_finalize(st);
	store_close(s);
}

/* Runs the store tests, each in its own directory. */
int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_modes, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_fresh_schema_and_pragmas, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_read_missing, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_newer_refused, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_legacy_upgrade, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_transactions, setup_dir, teardown_dir),
		cmocka_unit_test_setup_teardown(test_row_json, setup_dir, teardown_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
