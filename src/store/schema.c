/* Schema creation and migration: the reference's v25 tables, then conveyor's own numbered additions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store.h"
#include "store/store_int.h"
#include "util/sb.h"

/* The reference DDL, generated from src/store/schema_v25.sql by the Makefile. */
extern const char schema_v25_sql[];

/* One of conveyor's own schema steps; versions count up from 1 and are recorded in conveyor_migrations. */
struct migration {
	int version;
	const char *name;
	int (*apply)(struct store *s);
};

static int migrate_review_and_slot_indexes(struct store *s);
static int migrate_session_addressed(struct store *s);

static const struct migration migrations[] = {
	{1, "asset review columns; assignment and asset indexes by slot", migrate_review_and_slot_indexes},
	{2, "commands addressed to a session; notifications without a task, binding or source session",
	 migrate_session_addressed},
};

#define CONVEYOR_SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* Runs SQL text without results, recording SQLite's message on failure. */
static int schema_exec(struct store *s, const char *sql)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* Reads one integer from a query with no parameters (0 when it yields NULL or no row). */
static int schema_int(struct store *s, const char *sql, long long *out)
{
	sqlite3_stmt *st;
	*out = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* The database's versions: reference user_version, conveyor's own revision, and whether any table exists. */
struct schema_state {
	long long user_version;
	long long conveyor;
	long long tables;
};

/* Reads the schema_state of the open database. */
static int schema_read(struct store *s, struct schema_state *st)
{
	long long has_conveyor;
	if (schema_int(s, "PRAGMA user_version", &st->user_version) != 0 ||
	    schema_int(s, "select count(*) from sqlite_master where type = 'table' and name not like 'sqlite_%'",
		       &st->tables) != 0 ||
	    schema_int(s, "select count(*) from sqlite_master where type = 'table' and name = 'conveyor_migrations'",
		       &has_conveyor) != 0)
		return -1;
	st->conveyor = 0;
	if (has_conveyor && schema_int(s, "select max(version) from conveyor_migrations", &st->conveyor) != 0)
		return -1;
	return 0;
}

/* Refuses databases written by a newer reference or a newer conveyor. */
static int schema_check_newer(struct store *s, const struct schema_state *st)
{
	if (st->user_version > STORE_REFERENCE_VERSION) {
		snprintf(s->err, sizeof s->err, "Database schema version %lld is newer than workerctl supports (%d)",
			 st->user_version, STORE_REFERENCE_VERSION);
		return -1;
	}
	if (st->conveyor > CONVEYOR_SCHEMA_VERSION) {
		snprintf(s->err, sizeof s->err,
			 "Database was written by a newer conveyor (conveyor schema %lld; this build supports up to %d)",
			 st->conveyor, CONVEYOR_SCHEMA_VERSION);
		return -1;
	}
	return 0;
}

/* Adds a column unless the table already has it (ALTER TABLE ADD COLUMN is the only change made to reference tables). */
static int schema_add_column(struct store *s, const char *table, const char *column, const char *type)
{
	char sql[256];
	long long n;
	snprintf(sql, sizeof sql, "select count(*) from pragma_table_info('%s') where name = '%s'", table, column);
	if (schema_int(s, sql, &n) != 0)
		return -1;
	if (n)
		return 0;
	snprintf(sql, sizeof sql, "alter table %s add column %s %s", table, column, type);
	return schema_exec(s, sql);
}

/* The reference DDL with IF NOT EXISTS after every CREATE phrase, for filling in a legacy database. */
static char *schema_idempotent_sql(void)
{
	static const char *const phrases[] = {"CREATE TABLE ", "CREATE VIRTUAL TABLE ", "CREATE UNIQUE INDEX ",
					      "CREATE INDEX ", "CREATE TRIGGER "};
	struct sb sb;
	sb_init(&sb);
	const char *p = schema_v25_sql;
	while (*p) {
		size_t matched = 0;
		for (size_t i = 0; i < sizeof phrases / sizeof phrases[0] && !matched; i++)
			if (strncmp(p, phrases[i], strlen(phrases[i])) == 0)
				matched = strlen(phrases[i]);
		if (matched) {
			sb_addn(&sb, p, matched);
			sb_adds(&sb, "IF NOT EXISTS ");
			p += matched;
		} else {
			sb_addc(&sb, *p++);
		}
	}
	return sb_take(&sb);
}

/* Brings a pre-25 reference database up to v25 in place, as the reference itself does (tables and columns only added). */
static int schema_upgrade_legacy(struct store *s)
{
	char *sql = schema_idempotent_sql();
	int rc = schema_exec(s, sql);
	free(sql);
	if (rc == 0)
		rc = schema_add_column(s, "manager_configs", "recipe_name", "text");
	if (rc == 0)
		rc = schema_add_column(s, "sessions", "codex_app_thread_id", "text");
	if (rc == 0)
		rc = schema_add_column(s, "sessions", "codex_app_thread_title", "text");
	if (rc == 0)
		rc = schema_add_column(s, "sessions", "last_ingest_offset", "integer");
	return rc;
}

/* Records reference schema 25 in schema_migrations and user_version. */
static int schema_mark_reference(struct store *s, const char *now)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db, "insert or ignore into schema_migrations(version, applied_at) values (?, ?)", -1,
			       &st, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	sqlite3_bind_int(st, 1, STORE_REFERENCE_VERSION);
	sqlite3_bind_text(st, 2, now, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
		return -1;
	}
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", STORE_REFERENCE_VERSION);
	return schema_exec(s, sql);
}

/* Conveyor schema 1: who reviewed an asset and when, and per-slot indexes for the dashboard. */
static int migrate_review_and_slot_indexes(struct store *s)
{
	if (schema_add_column(s, "campaign_asset_receipts", "reviewed_at", "text") != 0 ||
	    schema_add_column(s, "campaign_asset_receipts", "reviewer", "text") != 0)
		return -1;
	return schema_exec(s, "create index if not exists campaign_assignments_slot "
			      "on campaign_assignments(slot_id, created_at, title, id);"
			      "create index if not exists campaign_asset_receipts_slot "
			      "on campaign_asset_receipts(slot_id, created_at, title, id);");
}

/* routed_notifications as the reference declares it, except that task_id, binding_id and source_session_id may be
 * null: a command addressed to a session (a campaign's slot worker) has no task or binding, and the operator who
 * queued it has no session. */
static const char schema_notifications_sql[] =
	"create table routed_notifications_v2("
	"id integer primary key autoincrement, task_id text references tasks(id), "
	"binding_id text references bindings(id), correlation_id text not null, "
	"source_session_id text references sessions(id), target_session_id text not null references sessions(id), "
	"signal_type text not null, source_event_id integer references codex_events(id), source_event_timestamp text, "
	"dedupe_key text not null unique, command_id text references commands(id), created_at text not null, "
	"delivered_at text, consumed_manager_cycle_id integer references manager_cycles(id), "
	"consumed_by_session_id text references sessions(id), consumed_at text, "
	"delivery_mode text not null default 'push' check (delivery_mode in ('push','pull_required')), "
	"state text not null check (state in ('pending','delivered','failed','suppressed')), claimed_by text, "
	"claimed_at text, claim_expires_at text, "
	"side_effect_started integer not null default 0 check (side_effect_started in (0, 1)), "
	"side_effect_completed integer not null default 0 check (side_effect_completed in (0, 1)), "
	"payload_json text not null check (json_valid(payload_json)), error text);"
	"insert into routed_notifications_v2 select id, task_id, binding_id, correlation_id, source_session_id, "
	"target_session_id, signal_type, source_event_id, source_event_timestamp, dedupe_key, command_id, created_at, "
	"delivered_at, consumed_manager_cycle_id, consumed_by_session_id, consumed_at, delivery_mode, state, claimed_by, "
	"claimed_at, claim_expires_at, side_effect_started, side_effect_completed, payload_json, error "
	"from routed_notifications;"
	"drop table routed_notifications;"
	"alter table routed_notifications_v2 rename to routed_notifications;"
	"create index routed_notifications_claimable on routed_notifications(state, signal_type, side_effect_started, "
	"claim_expires_at, created_at);"
	"create index routed_notifications_consumed_cycle on routed_notifications(consumed_manager_cycle_id);"
	"create unique index routed_notifications_dedupe_key on routed_notifications(dedupe_key);"
	"create index routed_notifications_source_event on routed_notifications(source_event_id);"
	"create index routed_notifications_target_inbox on routed_notifications(target_session_id, consumed_at, state, "
	"created_at, id);";

/* Conveyor schema 2: commands.target_session_id (indexed), and routed_notifications rebuilt (SQLite cannot drop NOT NULL in
 * place) with its ids, rows, index names and autoincrement high-water mark kept (docs/dispatch.md). */
static int migrate_session_addressed(struct store *s)
{
	long long seq;
	if (schema_add_column(s, "commands", "target_session_id", "text references sessions(id)") != 0 ||
	    schema_exec(s, "create index if not exists commands_target_session on commands(target_session_id, state)") !=
		    0 ||
	    schema_int(s, "select coalesce((select seq from sqlite_sequence where name = 'routed_notifications'), 0)",
		       &seq) != 0 ||
	    schema_exec(s, schema_notifications_sql) != 0)
		return -1;
	char sql[400];
	snprintf(sql, sizeof sql,
		 "delete from sqlite_sequence where name = 'routed_notifications' and seq < %lld;"
		 "insert into sqlite_sequence(name, seq) select 'routed_notifications', %lld where %lld > 0 and "
		 "not exists (select 1 from sqlite_sequence where name = 'routed_notifications')",
		 seq, seq, seq);
	return schema_exec(s, sql);
}

/* Applies conveyor's own migrations above version from, recording each one. */
static int schema_apply_conveyor(struct store *s, long long from, const char *now)
{
	if (schema_exec(s, "create table if not exists conveyor_migrations("
			   "version integer primary key, name text not null, applied_at text not null)") != 0)
		return -1;
	for (int i = 0; i < CONVEYOR_SCHEMA_VERSION; i++) {
		if (migrations[i].version <= from)
			continue;
		if (migrations[i].apply(s) != 0)
			return -1;
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(s->db, "insert into conveyor_migrations(version, name, applied_at) values (?, ?, ?)",
				       -1, &st, NULL) != SQLITE_OK) {
			snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
			return -1;
		}
		sqlite3_bind_int(st, 1, migrations[i].version);
		sqlite3_bind_text(st, 2, migrations[i].name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, now, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE) {
			snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(s->db));
			return -1;
		}
	}
	return 0;
}

/* Does the schema work inside the already-open write transaction, re-reading the state another process may have changed. */
static int schema_migrate_locked(struct store *s, const char *now)
{
	struct schema_state st;
	if (schema_read(s, &st) != 0 || schema_check_newer(s, &st) != 0)
		return -1;
	if (st.user_version == 0 && st.tables == 0) {
		if (schema_exec(s, schema_v25_sql) != 0 || schema_mark_reference(s, now) != 0)
			return -1;
	} else if (st.user_version < STORE_REFERENCE_VERSION) {
		if (schema_upgrade_legacy(s) != 0 || schema_mark_reference(s, now) != 0)
			return -1;
	}
	if (st.conveyor < CONVEYOR_SCHEMA_VERSION)
		return schema_apply_conveyor(s, st.conveyor, now);
	return 0;
}

/* Reads the schema state and refuses a newer one; *current says whether it is the schema this build writes. */
static int schema_load(struct store *s, struct schema_state *st, int *current)
{
	if (schema_read(s, st) != 0 || schema_check_newer(s, st) != 0)
		return -1;
	*current = st->user_version == STORE_REFERENCE_VERSION && st->conveyor == CONVEYOR_SCHEMA_VERSION;
	return 0;
}

/* Refuses a SQLite database that is not a ledger: one with tables, none of which a conveyor or reference ledger
 * has (schema_migrations, conveyor_migrations, sessions, tasks). Nothing is written to it, not even the WAL switch;
 * the message names a few of the tables it found. 0, or -1 with s->err set. */
int store_schema_ledger(struct store *s, const char *path)
{
	long long tables, ledger;
	if (schema_int(s, "select count(*) from sqlite_master where type = 'table' and name not like 'sqlite_%'",
		       &tables) != 0 ||
	    schema_int(s, "select count(*) from sqlite_master where type = 'table' and name in "
			  "('schema_migrations', 'conveyor_migrations', 'sessions', 'tasks')", &ledger) != 0)
		return -1;
	if (tables == 0 || ledger > 0)
		return 0;
	sqlite3_stmt *st;
	char names[256] = "";
	if (sqlite3_prepare_v2(s->db, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' "
				      "order by name limit 3", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW)
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s", names[0] ? ", " : "",
				 (const char *)sqlite3_column_text(st, 0));
		sqlite3_finalize(st);
	}
	snprintf(s->err, sizeof s->err, "%s is not a conveyor ledger: it holds %lld table%s (%s%s) and none of a "
		 "ledger's; conveyor leaves it unchanged", path, tables, tables == 1 ? "" : "s", names,
		 tables > 3 ? ", ..." : "");
	return -1;
}

/* Prepares a ledger for a command that only reads (or a dry run): a current schema is used as it is; one that
 * needs migrating is copied into memory with SQLite's backup API and migrated there, so a read never changes the
 * file (its first writing command migrates it). 0, or -1 with s->err set. */
int store_schema_read(struct store *s, const char *now)
{
	struct schema_state st;
	int current;
	if (schema_load(s, &st, &current) != 0)
		return -1;
	if (current)
		return 0;
	sqlite3 *mem = NULL;
	if (sqlite3_open_v2(":memory:", &mem, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(s->err, sizeof s->err, "%s", mem ? sqlite3_errmsg(mem) : "out of memory");
		sqlite3_close(mem);
		return -1;
	}
	sqlite3_backup *copy = sqlite3_backup_init(mem, "main", s->db, "main");
	int rc = copy ? sqlite3_backup_step(copy, -1) : SQLITE_ERROR;
	if (copy)
		sqlite3_backup_finish(copy);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s", sqlite3_errmsg(copy ? s->db : mem));
		sqlite3_close(mem);
		return -1;
	}
	sqlite3_close(s->db);
	s->db = mem;
	s->snapshot = 1;
	if (schema_exec(s, "PRAGMA foreign_keys = ON") != 0)
		return -1;
	return store_schema_init(s, now);
}

/* Verifies that foreign key enforcement is on for this connection (SPEC 1.2). */
int store_check_foreign_keys(struct store *s)
{
	long long fk;
	if (schema_int(s, "PRAGMA foreign_keys", &fk) != 0)
		return -1;
	if (fk != 1) {
		snprintf(s->err, sizeof s->err, "SQLite foreign key enforcement is not enabled");
		return -1;
	}
	return 0;
}

/* Creates or upgrades the schema on open; the common case (already current) costs two small reads. */
int store_schema_init(struct store *s, const char *now)
{
	struct schema_state st;
	int current;
	if (schema_load(s, &st, &current) != 0)
		return -1;
	if (current)
		return 0;
	int legacy = st.user_version != STORE_REFERENCE_VERSION && (st.user_version != 0 || st.tables != 0);
	if (legacy && schema_exec(s, "PRAGMA foreign_keys = OFF") != 0)
		return -1;
	int rc = schema_exec(s, "BEGIN IMMEDIATE");
	if (rc == 0) {
		rc = schema_migrate_locked(s, now);
		if (rc == 0)
			rc = schema_exec(s, "COMMIT");
		if (rc != 0 && !sqlite3_get_autocommit(s->db))
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
	if (legacy && schema_exec(s, "PRAGMA foreign_keys = ON") != 0)
		return -1;
	if (rc != 0)
		return -1;
	return store_check_foreign_keys(s);
}
