-- Bulk fill of one benchmark campaign, run by bench/campaign.sh through the sqlite3 CLI.
--
-- The database, its schema, the campaign and its first slot (slot_key 'slot-00000') were created by conveyor
-- itself. The caller prepends one statement that defines the sizes:
--   CREATE TEMP TABLE bench_params AS SELECT <slots> AS n_slots, <assignments> AS n_assign,
--     <assets> AS n_assets, <briefs> AS n_briefs, '<campaign name>' AS campaign_name;
-- Everything else is generated here in one transaction with recursive CTEs. Statuses, types and heartbeats
-- follow a fixed hash of the row number, so every run builds the same mix; ids are random uuid v4.
-- The data is synthetic and holds no secrets.

PRAGMA foreign_keys = ON;
BEGIN IMMEDIATE;

-- Row numbers 0 .. max(size) - 1 (sessions need n_slots + n_slots / 10 + 1, briefs up to 8).
CREATE TEMP TABLE bench_n(i INTEGER PRIMARY KEY);
WITH RECURSIVE n(i) AS (
  SELECT 0
  UNION ALL
  SELECT i + 1 FROM n
  WHERE i + 1 < (SELECT max(n_slots + n_slots / 10 + 1, n_assign, n_assets, 8) FROM bench_params)
)
INSERT INTO bench_n SELECT i FROM n;

-- A stable pseudo-random percentage 0..99 per (row, salt): Knuth's multiplicative hash, top bits.
CREATE TEMP VIEW bench_r AS
  SELECT i,
         ((i * 7 + 1) * 2654435761 % 4294967296) * 100 / 4294967296 AS r1,
         ((i * 7 + 2) * 2654435761 % 4294967296) * 100 / 4294967296 AS r2,
         ((i * 7 + 3) * 2654435761 % 4294967296) * 100 / 4294967296 AS r3,
         ((i * 7 + 4) * 2654435761 % 4294967296) * 100 / 4294967296 AS r4,
         ((i * 7 + 5) * 2654435761 % 4294967296) * 100 / 4294967296 AS r5,
         ((i * 7 + 6) * 2654435761 % 4294967296) * 100 / 4294967296 AS r6
  FROM bench_n;

CREATE TEMP TABLE bench_c AS
  SELECT id AS campaign_id, n_slots, n_assign, n_assets, n_briefs,
         n_assign / n_slots AS per_slot_assign
  FROM campaigns, bench_params WHERE campaigns.name = bench_params.campaign_name;

-- Channels, cycled over the slots.
CREATE TEMP TABLE bench_channel(k INTEGER PRIMARY KEY, name TEXT, label TEXT, ext TEXT, deliverable TEXT);
INSERT INTO bench_channel VALUES
  (0, 'tiktok', 'TikTok editor', 'mp4', 'vertical teaser'),
  (1, 'instagram', 'Instagram designer', 'png', 'carousel card'),
  (2, 'youtube', 'YouTube editor', 'mp4', 'pre-roll spot'),
  (3, 'x', 'X copywriter', 'txt', 'launch thread'),
  (4, 'linkedin', 'LinkedIn copywriter', 'md', 'founder post'),
  (5, 'newsletter', 'Newsletter writer', 'md', 'feature story'),
  (6, 'podcast', 'Podcast producer', 'mp3', 'ad read'),
  (7, 'blog', 'Blog writer', 'md', 'long-form article');

-- Random uuid v4 texts, one draw per (kind, row), so no two ids anywhere share their uuid part. The hex is
-- stored first and formatted by an UPDATE, so each id comes from exactly one randomblob() call.
CREATE TEMP TABLE bench_id(kind TEXT, i INTEGER, u TEXT, PRIMARY KEY (kind, i)) WITHOUT ROWID;
INSERT INTO bench_id
  SELECT k.kind, n.i, lower(hex(randomblob(16)))
  FROM bench_n n, bench_c c,
       (SELECT 'slot' AS kind UNION ALL SELECT 'session' UNION ALL SELECT 'token' UNION ALL SELECT 'codex'
        UNION ALL SELECT 'thread' UNION ALL SELECT 'assignment' UNION ALL SELECT 'asset'
        UNION ALL SELECT 'brief') k
  WHERE n.i < CASE k.kind WHEN 'assignment' THEN c.n_assign WHEN 'asset' THEN c.n_assets
                          WHEN 'brief' THEN 8 ELSE c.n_slots + c.n_slots / 10 + 1 END;
UPDATE bench_id
   SET u = substr(u, 1, 8) || '-' || substr(u, 9, 4) || '-4' || substr(u, 14, 3) || '-' ||
           substr('89ab', 1 + unicode(substr(u, 17, 1)) % 4, 1) || substr(u, 18, 3) || '-' || substr(u, 21, 12);

-- Slots: every even slot has a Codex app thread and a worker session; stored states are mostly active.
CREATE TEMP TABLE bench_slot AS
  SELECT n.i AS i,
         CASE WHEN n.i = 0
              THEN (SELECT id FROM campaign_worker_slots, bench_c
                    WHERE campaign_worker_slots.campaign_id = bench_c.campaign_id AND slot_key = 'slot-00000')
              ELSE 'campaign-slot-' || (SELECT u FROM bench_id WHERE kind = 'slot' AND i = n.i) END AS id,
         printf('slot-%05d', n.i) AS slot_key,
         ch.name AS channel, ch.label AS role_label,
         CASE WHEN n.i % 2 = 0 THEN 'session-' || (SELECT u FROM bench_id WHERE kind = 'session' AND i = n.i) END AS session_id,
         CASE WHEN n.i % 2 = 0 THEN 'thread-' || (SELECT u FROM bench_id WHERE kind = 'thread' AND i = n.i) END AS thread_id,
         CASE WHEN n.i % 2 = 0 THEN printf('%s worker %05d', ch.label, n.i) END AS thread_title,
         CASE WHEN r.r1 < 4 THEN 'archived' WHEN r.r1 < 6 THEN 'blocked' WHEN r.r1 < 18 THEN 'idle'
              WHEN r.r1 < 28 THEN 'planned' ELSE 'active' END AS state,
         CASE WHEN r.r2 < 60 THEN '{}'
              ELSE printf('{"owner":"team-%d","priority":%d}', r.r2 % 5, r.r2 % 3 + 1) END AS metadata_json,
         r.r3 AS hb, r.r4 AS hb2,
         strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-10T09:00:00', printf('+%d.%03d seconds', n.i * 2, n.i * 37 % 1000))
           AS created_at
  FROM bench_n n JOIN bench_r r ON r.i = n.i
       JOIN bench_channel ch ON ch.k = n.i % 8, bench_c
  WHERE n.i < bench_c.n_slots;
CREATE UNIQUE INDEX bench_slot_i ON bench_slot(i);

-- Worker sessions for the even slots: ~80% fresh heartbeat (10-209 s old), ~15% stale (10-160 min old),
-- ~5% gone; a few of the fresh ones never heartbeat'd yet (null, which counts as stale).
INSERT INTO sessions(id, name, role, identity_token, tmux_session, tmux_pane_id, codex_session_path,
                     codex_session_id, codex_app_thread_id, codex_app_thread_title, pid, cwd, registered_at,
                     last_heartbeat_at, state, last_ingest_offset)
  SELECT s.session_id, printf('bench-worker-%05d', s.i), 'worker', 'session-token-' || (SELECT u FROM bench_id WHERE kind = 'token' AND i = s.i),
         CASE WHEN s.hb % 3 = 0 THEN printf('bench-%05d', s.i) END, NULL,
         printf('/home/ops/.codex/sessions/2026/01/15/rollout-%05d.jsonl', s.i), (SELECT u FROM bench_id WHERE kind = 'codex' AND i = s.i),
         s.thread_id, s.thread_title, 40000 + s.i, '/srv/campaigns/launch', '2026-01-10T08:30:00.000Z',
         CASE WHEN s.hb < 78 THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-15T12:00:00', printf('-%d seconds', 10 + s.hb2 * 2))
              WHEN s.hb < 80 THEN NULL
              ELSE strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-15T12:00:00', printf('-%d seconds', 600 + s.hb2 * 90)) END,
         CASE WHEN s.hb < 95 THEN 'active' ELSE 'gone' END,
         (s.hb2 + 1) * 4096
  FROM bench_slot s
  WHERE s.session_id IS NOT NULL;

-- Unattached sessions: one worker per 10 slots (never attached) and a manager.
INSERT INTO sessions(id, name, role, identity_token, tmux_session, codex_session_path, pid, cwd, registered_at,
                     last_heartbeat_at, state)
  SELECT 'session-' || (SELECT u FROM bench_id WHERE kind = 'session' AND i = c.n_slots + n.i), printf('bench-spare-%05d', n.i), CASE WHEN n.i = 0 THEN 'manager' ELSE 'worker' END,
         'session-token-' || (SELECT u FROM bench_id WHERE kind = 'token' AND i = c.n_slots + n.i),
         printf('spare-%05d', n.i),
         printf('/home/ops/.codex/sessions/2026/01/14/rollout-spare-%05d.jsonl', n.i), 50000 + n.i,
         '/srv/campaigns/launch', '2026-01-09T17:00:00.000Z', '2026-01-14T23:59:00.000Z', 'active'
  FROM bench_n n, bench_c c
  WHERE n.i <= c.n_slots / 10;

INSERT INTO campaign_worker_slots(id, campaign_id, slot_key, role_label, channel, session_id, codex_app_thread_id,
                                  codex_app_thread_title, state, metadata_json, created_at, updated_at)
  SELECT s.id, c.campaign_id, s.slot_key, s.role_label, s.channel, s.session_id, s.thread_id, s.thread_title,
         s.state, s.metadata_json, s.created_at, s.created_at
  FROM bench_slot s, bench_c c WHERE s.i > 0;

UPDATE campaign_worker_slots
   SET session_id = s.session_id, codex_app_thread_id = s.thread_id, codex_app_thread_title = s.thread_title,
       state = s.state, metadata_json = s.metadata_json
  FROM bench_slot s WHERE s.i = 0 AND campaign_worker_slots.id = s.id;

-- Briefs for the first n_briefs channels.
INSERT INTO campaign_channel_briefs(id, campaign_id, channel, brief_json, created_at, updated_at)
  SELECT 'campaign-brief-' || (SELECT u FROM bench_id WHERE kind = 'brief' AND i = ch.k), c.campaign_id, ch.name,
         printf('{"audience":"early adopters on %s","cta":"Join the launch waitlist","deliverable":"%s","tone":"%s"}',
                ch.name, ch.deliverable, CASE ch.k % 3 WHEN 0 THEN 'playful' WHEN 1 THEN 'confident' ELSE 'warm' END),
         '2026-01-10T08:59:30.000Z', '2026-01-12T10:00:00.000Z'
  FROM bench_channel ch, bench_c c
  WHERE ch.k < c.n_briefs;

-- Assignments: assignment a belongs to slot a % n_slots; statuses ~25% queued, 20% active, 5% blocked,
-- 40% done, 10% cancelled. Titles ~30 characters, instructions ~200.
CREATE TEMP TABLE bench_assign AS
  SELECT n.i AS i, 'campaign-assignment-' || (SELECT u FROM bench_id WHERE kind = 'assignment' AND i = n.i) AS id, s.id AS slot_id, s.channel AS channel,
         n.i / c.n_slots AS k,
         CASE WHEN r.r1 < 25 THEN 'queued' WHEN r.r1 < 45 THEN 'active' WHEN r.r1 < 50 THEN 'blocked'
              WHEN r.r1 < 90 THEN 'done' ELSE 'cancelled' END AS status,
         r.r2 AS r2,
         strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-11T00:00:00', printf('+%d.%03d seconds', n.i * 7, n.i * 53 % 1000))
           AS created_at
  FROM bench_n n JOIN bench_r r ON r.i = n.i, bench_c c
       JOIN bench_slot s ON s.i = n.i % c.n_slots
  WHERE n.i < c.n_assign;
CREATE UNIQUE INDEX bench_assign_i ON bench_assign(i);

INSERT INTO campaign_assignments(id, campaign_id, slot_id, title, instructions, status, metadata_json, created_at,
                                 updated_at, completed_at)
  SELECT a.id, c.campaign_id, a.slot_id,
         printf('%s %s #%05d', ch.deliverable, a.channel, a.i),
         printf('Produce the %s for %s from the launch footage and the channel brief. Keep the brand palette, open on ' ||
                'the product shot, end on the waitlist call to action and add captions. Round %d, item %05d.',
                ch.deliverable, a.channel, a.k + 1, a.i),
         a.status,
         CASE WHEN a.r2 < 50 THEN '{}'
              ELSE printf('{"due":"2026-01-%02d","priority":%d}', 16 + a.r2 % 10, a.r2 % 3 + 1) END,
         a.created_at,
         CASE WHEN a.status = 'queued' THEN a.created_at
              ELSE strftime('%Y-%m-%dT%H:%M:%fZ', a.created_at, printf('+%d seconds', 600 + a.r2 * 60)) END,
         CASE WHEN a.status = 'done'
              THEN strftime('%Y-%m-%dT%H:%M:%fZ', a.created_at, printf('+%d seconds', 600 + a.r2 * 60)) END
  FROM bench_assign a JOIN bench_channel ch ON ch.name = a.channel, bench_c c;

-- Asset receipts: asset j belongs to slot j % n_slots; ~70% are linked to an assignment of the same slot.
-- Types ~35% image, 25% video, 15% copy, 10% hyperframes, 10% audio, 5% other; statuses ~30% draft,
-- 25% needs_review, 25% approved, 5% rejected, 15% published.
INSERT INTO campaign_asset_receipts(id, campaign_id, slot_id, assignment_id, asset_type, channel, status, title,
                                    prompt_summary, artifact_path, review_notes, metadata_json, created_at,
                                    reviewed_at, reviewer)
  SELECT 'campaign-asset-' || (SELECT u FROM bench_id WHERE kind = 'asset' AND i = n.i), c.campaign_id, s.id,
         CASE WHEN r.r4 < 70 AND c.per_slot_assign > 0
              THEN (SELECT a.id FROM bench_assign a
                    WHERE a.i = s.i + c.n_slots * ((n.i / c.n_slots) % c.per_slot_assign)) END,
         x.asset_type, s.channel, x.status,
         printf('%s %s v%d #%05d', s.channel, x.asset_type, n.i / c.n_slots % 5 + 1, n.i),
         CASE WHEN x.asset_type IN ('image', 'video', 'audio', 'hyperframes')
              THEN printf('%s for %s: product hero on a soft gradient, brand palette, caption safe area, take %d',
                          x.asset_type, s.channel, r.r6 % 9 + 1) END,
         printf('/srv/campaigns/launch/assets/%s/%s-%05d.%s', s.channel, x.asset_type, n.i,
                CASE x.asset_type WHEN 'image' THEN 'png' WHEN 'video' THEN 'mp4' WHEN 'hyperframes' THEN 'html'
                                  WHEN 'audio' THEN 'mp3' WHEN 'copy' THEN 'md' ELSE 'txt' END),
         CASE x.status WHEN 'approved' THEN 'Looks good, ship it.'
                       WHEN 'rejected' THEN 'Off-brand colours; redo with the approved palette.'
                       WHEN 'published' THEN 'Published on schedule.' END,
         CASE WHEN r.r6 < 60 THEN '{}'
              ELSE printf('{"duration_s":%d,"height":1920,"width":1080}', 6 + r.r6 % 50) END,
         strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-12T00:00:00', printf('+%d.%03d seconds', n.i * 5, n.i * 71 % 1000)),
         CASE WHEN x.status IN ('approved', 'rejected', 'published')
              THEN strftime('%Y-%m-%dT%H:%M:%fZ', '2026-01-15T08:00:00', printf('+%d seconds', r.r6 * 60)) END,
         CASE WHEN x.status IN ('approved', 'rejected', 'published') THEN 'bench-reviewer' END
  FROM bench_n n JOIN bench_r r ON r.i = n.i, bench_c c
       JOIN bench_slot s ON s.i = n.i % c.n_slots
       JOIN (SELECT i,
                    CASE WHEN r3 < 35 THEN 'image' WHEN r3 < 60 THEN 'video' WHEN r3 < 75 THEN 'copy'
                         WHEN r3 < 85 THEN 'hyperframes' WHEN r3 < 95 THEN 'audio' ELSE 'other' END AS asset_type,
                    CASE WHEN r5 < 30 THEN 'draft' WHEN r5 < 55 THEN 'needs_review' WHEN r5 < 80 THEN 'approved'
                         WHEN r5 < 85 THEN 'rejected' ELSE 'published' END AS status
             FROM bench_r) x ON x.i = n.i
  WHERE n.i < c.n_assets;

COMMIT;

-- Refuse to go on with a database that breaks a foreign key (the CLI prints the offending rows, if any).
PRAGMA foreign_key_check;
PRAGMA wal_checkpoint(TRUNCATE);
