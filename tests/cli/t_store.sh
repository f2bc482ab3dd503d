#!/usr/bin/env bash
# Database location and modes (SPEC 1.1), reference databases opening in place, refusal of newer ones.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/lib.sh"

section "default location: ./.codex-workers/workerctl.db, directory 0700, file 0600"
mkdir -p "$T/cwd" && cd "$T/cwd" || exit 1
umask 022
cv campaign create --name here --objective o
is_true "create in the working directory succeeds" [ "$RC" -eq 0 ]
if [ "$(stat -c %a .codex-workers)" = 700 ]; then
	good "state dir mode 700"
else
	bad "state dir mode 700" "mode $(stat -c %a .codex-workers)"
fi
if [ "$(stat -c %a .codex-workers/workerctl.db)" = 600 ]; then
	good "db mode 600"
else
	bad "db mode 600" "mode $(stat -c %a .codex-workers/workerctl.db)"
fi
is_true "the campaign is in the default db" [ "$(sqlite3 .codex-workers/workerctl.db 'select name from campaigns')" = here ]
is_true "the db is in WAL mode" [ "$(sqlite3 .codex-workers/workerctl.db 'PRAGMA journal_mode')" = wal ]

section "WORKERCTL_STATE_ROOT (relative, made absolute) wins over the default"
WORKERCTL_STATE_ROOT=rootdir "$CONVEYOR" campaign create --name rooted --objective o >"$OUT" 2>"$ERR"
is_true "the state root is used" [ "$(sqlite3 "$T/cwd/rootdir/workerctl.db" 'select name from campaigns')" = rooted ]
is_true "state root mode 700" [ "$(stat -c %a rootdir)" = 700 ]
WORKERCTL_STATE_ROOT= "$CONVEYOR" campaign list >"$OUT" 2>"$ERR"
out_has "here active slots=0 stale=0 assignments=0 assets=0 next=add_worker_slots"

section "--path wins over both, with ~ expansion and . / .. resolved"
mkdir -p "$T/home"
HOME="$T/home" WORKERCTL_STATE_ROOT=rootdir "$CONVEYOR" campaign create --name tilde --objective o --path '~/x/../db/my.db' >"$OUT" 2>"$ERR"
is_true "the ~ path is used" [ "$(sqlite3 "$T/home/db/my.db" 'select name from campaigns')" = tilde ]
is_true ".. is resolved lexically" [ ! -e "$T/home/x" ]
"$CONVEYOR" campaign create --name rel --objective o --path ./sub/./rel.db >"$OUT" 2>"$ERR"
is_true "the relative --path is used" [ "$(sqlite3 "$T/cwd/sub/rel.db" 'select name from campaigns')" = rel ]
cd "$T" || exit 1

section "read-only commands and failed validation never create a database"
mkdir -p "$T/empty" && cd "$T/empty" || exit 1
for args in "campaign list" "campaign status --name x" "campaign dashboard --name x" \
	"campaign create --name x" "campaign create --name x --objective o --dry-run" "campaign bogus"; do
	"$CONVEYOR" $args >/dev/null 2>&1
done
if [ -z "$(ls -A)" ]; then good "no file appears"; else bad "no file appears" "files: $(ls -A)"; fi
cd "$T" || exit 1

section "a reference 0.1.15 (schema 25) database reads correctly without being changed (reads never migrate)"
REF="$T/ref.db"
sqlite3 -batch "$REF" ".read $ROOT/src/store/schema_v25.sql" "
PRAGMA user_version = 25;
insert into schema_migrations values (25, '2025-12-01T00:00:00.000Z');
insert into sessions(id, name, role, identity_token, pid, cwd, registered_at, last_heartbeat_at, state, codex_app_thread_id)
  values ('session-w', 'worker-1', 'worker', 'session-token-1', 42, '/w', '2025-12-01T00:00:00.000Z', '2025-12-31T23:59:30.000Z', 'active', 'thr-1');
insert into campaigns values ('campaign-r', 'ref', 'Reference objective', 'active', '{\"owner\":\"ops\"}', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');
insert into campaign_worker_slots values ('campaign-slot-r', 'campaign-r', 'tiktok', 'Editor', 'tiktok', 'session-w', 'thr-1', 'Worker thread', 'active', '{}', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');
insert into campaign_assignments values ('campaign-assignment-r', 'campaign-r', 'campaign-slot-r', 'Cut', 'Make cuts', 'active', '{}', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z', null);
insert into campaign_channel_briefs values ('campaign-brief-r', 'campaign-r', 'tiktok', '{\"tone\":\"dry\"}', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');
insert into campaign_asset_receipts(id, campaign_id, slot_id, assignment_id, asset_type, channel, status, title, prompt_summary, artifact_path, review_notes, metadata_json, created_at)
  values ('campaign-asset-r', 'campaign-r', 'campaign-slot-r', 'campaign-assignment-r', 'video', 'tiktok', 'needs_review', 'Teaser', null, 'renders/teaser.mp4', null, '{}', '2025-12-01T00:00:00.000Z');
"
DB=$REF
chmod 644 "$REF"
# The first open makes the files private and says so once; later opens have nothing to say.
cv campaign dashboard --name ref --json --path "$DB"
is_true "the first open succeeds" [ "$RC" -eq 0 ]
is_true "it says once that the database was made private" \
	[ "$(cat "$ERR")" = "conveyor: made private: $REF (0600, was 0644)" ]
is_true "the database is now 0600" [ "$(stat -c %a "$REF")" = 600 ]
ok campaign dashboard --name ref --json
jeq '.campaign.metadata.owner' ops
jeq '.slots[0].session.name' worker-1
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale_seconds' 30
jeq '.slots[0].assignments[0].title' Cut
jeq '.slots[0].assets[0].artifact_path' renders/teaser.mp4
jeq '.slots[0].assets[0].reviewer' null
jeq '.channel_briefs[0].brief.tone' dry
jeq '.next_manager_action.action' review_assets
dbeq "PRAGMA user_version" 25
dbeq "select count(*) from sqlite_master where name = 'conveyor_migrations'" 0
d=$(db_digest)
ok campaign list --json
jeq '.campaigns[0].name' ref
same_db "$d"

section "after conveyor writes, the reference can still read the database"
ok campaign review --name ref --asset campaign-asset-r --status approved --reviewer dana
dbeq "select max(version) from conveyor_migrations" 2
ok campaign add-slot --name ref --slot-key reels --role-label Reels
dbeq "PRAGMA user_version" 25
dbeq "select max(version) from schema_migrations" 25
dbeq "select count(*) from pragma_foreign_key_check" 0
dbeq "select count(*) from sqlite_master where type = 'table' and name in (
  'acceptance_criteria','agent_observations','bindings','budgets','campaign_asset_receipts','campaign_assignments',
  'campaign_channel_briefs','campaign_worker_slots','campaigns','codex_events','command_attempts','commands',
  'continuation_reviews','data_migrations','epilogue_runs','events','manager_configs','manager_cycle_spans',
  'manager_cycles','manager_decisions','managers','prompts','routed_notifications','runs','schema_migrations',
  'sessions','statuses','task_acknowledgements','task_continuations','tasks','telemetry_events',
  'telemetry_events_fts','terminal_captures','transcript_captures','transcript_segments','worker_handoffs','workers')" 37
dbeq "select count(*) from sqlite_master where type = 'trigger' and name in ('events_no_update','events_no_delete')" 2
dbeq "select status || '|' || json_valid(metadata_json) from campaign_asset_receipts" "approved|1"
dbeq "select id, campaign_id, slot_id, assignment_id, asset_type, channel, status, title from campaign_asset_receipts" \
	"campaign-asset-r|campaign-r|campaign-slot-r|campaign-assignment-r|video|tiktok|approved|Teaser"

section "conveyor schema 2 keeps a reference database's routed notifications: ids, rows, indexes, sequence"
RN="$T/rn.db"
sqlite3 -batch "$RN" ".read $ROOT/src/store/schema_v25.sql" "
PRAGMA user_version = 25;
insert into schema_migrations values (25, '2025-12-01T00:00:00.000Z');
insert into sessions(id, name, role, identity_token, cwd, registered_at, state) values
  ('session-w', 'w1', 'worker', 't1', '/w', '2025-12-01T00:00:00.000Z', 'active'),
  ('session-m', 'm1', 'manager', 't2', '/m', '2025-12-01T00:00:00.000Z', 'active');
insert into tasks values ('task-1', 'docs', 'g', null, 'managed', '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:00.000Z');
insert into bindings(id, task_id, worker_session_id, manager_session_id, state, created_at)
  values ('binding-1', 'task-1', 'session-w', 'session-m', 'active', '2025-12-01T00:00:00.000Z');
insert into routed_notifications(id, task_id, binding_id, correlation_id, source_session_id, target_session_id,
  signal_type, dedupe_key, created_at, delivered_at, delivery_mode, state, payload_json)
  values (7, 'task-1', 'binding-1', 'dispatch-1', 'session-m', 'session-w', 'nudge_worker', 'k7',
  '2025-12-01T00:00:00.000Z', '2025-12-01T00:00:01.000Z', 'pull_required', 'delivered', '{\"message\":\"hi\"}'),
  (9, 'task-1', 'binding-1', 'dispatch-2', 'session-m', 'session-w', 'nudge_worker', 'k9',
  '2025-12-01T00:00:00.000Z', null, 'push', 'pending', '{}');
delete from routed_notifications where id = 9;
"
DB=$RN
chmod 600 "$RN"
ok session-inbox w1 --json
jeq '.items[0].id' 7
jeq '.items[0].payload.message' hi
jeq '.items[0].task_name' docs
dbeq "select max(version) from conveyor_migrations" 2
dbeq "select group_concat(name || ':' || \"notnull\", ' ') from pragma_table_info('routed_notifications')
  where name in ('task_id', 'binding_id', 'source_session_id', 'target_session_id', 'dedupe_key')" \
	"task_id:0 binding_id:0 source_session_id:0 target_session_id:1 dedupe_key:1"
dbeq "select count(*) from sqlite_master where type = 'index' and tbl_name = 'routed_notifications' and name in (
  'routed_notifications_claimable', 'routed_notifications_consumed_cycle', 'routed_notifications_dedupe_key',
  'routed_notifications_source_event', 'routed_notifications_target_inbox')" 5
dbeq "select seq from sqlite_sequence where name = 'routed_notifications'" 9
dbeq "select count(*) from pragma_table_info('commands') where name = 'target_session_id'" 1
dbeq "select count(*) from sqlite_master where type = 'index' and name = 'commands_target_session'" 1
dbeq "select count(*) from sqlite_master where name like 'routed_notifications_v2%'" 0
dbeq "select count(*) from pragma_foreign_key_check" 0

section "an older reference schema (v24, no campaign tables) is upgraded in place"
OLD="$T/old.db"
sqlite3 -batch "$OLD" "
create table schema_migrations(version integer primary key, applied_at text not null);
insert into schema_migrations values (24, '2025-06-01T00:00:00.000Z');
create table tasks(id text primary key, name text not null, goal text not null, summary text, state text not null, created_at text not null, updated_at text not null);
insert into tasks values ('task-1', 'old task', 'g', null, 'managed', '2025-06-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z');
PRAGMA user_version = 24;"
DB=$OLD
chmod 600 "$OLD"
ok campaign create --name upgraded --objective o
dbeq "PRAGMA user_version" 25
dbeq "select name || '|' || state from tasks" "old task|managed"
dbeq "select type from events" campaign_create

section "a database from a newer reference or conveyor is refused and left alone"
NEW="$T/new.db"
sqlite3 -batch "$NEW" "create table schema_migrations(version integer primary key, applied_at text not null);
PRAGMA user_version = 30;"
DB=$NEW
d=$(db_digest)
fails 2 "Database schema version 30 is newer than workerctl supports (25)" campaign list
same_db "$d"
NEWER="$T/newer.db"
DB=$NEWER
ok campaign create --name first --objective o
sqlite3 -batch "$NEWER" "insert into conveyor_migrations values (7, 'from the future', 'x')"
fails 2 "Database was written by a newer conveyor (conveyor schema 7; this build supports up to 2)" campaign create --name x --objective o
dbeq "select name from campaigns" first

section "a command holds one transaction: concurrent writers all succeed"
DB="$T/busy.db"
ok campaign create --name busy --objective o
for i in $(seq 1 12); do
	"$CONVEYOR" campaign add-slot --name busy --slot-key "k$i" --role-label r --path "$DB" >/dev/null 2>>"$T/busy.err" &
done
wait
if [ ! -s "$T/busy.err" ]; then
	good "concurrent writers all succeed"
else
	bad "concurrent writers all succeed" "$(head -3 "$T/busy.err")"
fi
dbeq "select count(*) from campaign_worker_slots" 12
dbeq "select count(*) from events where type = 'campaign_add_slot'" 12

finish
