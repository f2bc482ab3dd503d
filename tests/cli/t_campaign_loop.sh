#!/usr/bin/env bash
# The Creative Ops loop end to end (SPEC 2.2-2.11, docs/campaigns.md): create -> add-slot -> brief -> assign
# -> asset -> status -> dashboard, in JSON and text, checked field by field and against the database; then
# the three worked examples of SPEC 2.11.6.
. "$(dirname "$0")/lib.sh"

UUID='[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}'
NOW=$CONVEYOR_NOW

# idlike FILTER PREFIX: the value of FILTER is PREFIX-<uuid v4>.
idlike() { jtrue "($1) | type == \"string\" and test(\"^$2-$UUID\$\")"; }

# keys_are FILTER KEYS: the sorted key set of FILTER, as compact JSON, is KEYS.
keys_are() { jeq "$1 | keys | join(\",\")" "$2"; }

# pretty_sorted: the last stdout is exactly jq's 2-space pretty print with recursively sorted keys.
pretty_sorted() {
	if jq -S . "$OUT" 2>/dev/null | cmp -s - "$OUT"; then good "stdout is sorted 2-space pretty JSON"; else bad "stdout is sorted 2-space pretty JSON"; fi
}

# is TEXT EXPECTED: a value computed in the script equals EXPECTED.
is() { if [ "$1" = "$2" ]; then good "the value is '$2'"; else bad "the value is '$2'" "got '$1'"; fi; }

# session NAME ROLE HEARTBEAT THREAD: inserts a session row directly, because these cases need a chosen heartbeat,
# which register-worker and register-manager do not take; prints its id.
session() {
	local id hb thread
	id="session-$(cat /proc/sys/kernel/random/uuid)"
	if [ "$3" = null ]; then hb=null; else hb="'$3'"; fi
	if [ "$4" = null ]; then thread=null; else thread="'$4'"; fi
	dbq "insert into sessions(id, name, role, identity_token, cwd, registered_at, state, last_heartbeat_at, pid,
		codex_app_thread_id, codex_app_thread_title)
		values ('$id', '$1', '$2', 'session-token-$(cat /proc/sys/kernel/random/uuid)', '$T', '$NOW', 'active', $hb, 4242,
		$thread, $( [ "$4" = null ] && echo null || echo "'$1 thread'"))"
	echo "$id"
}

SLOT_KEYS='campaign_id,channel,codex_app_thread_id,codex_app_thread_title,created_at,id,metadata,role_label,session_id,slot_key,state,updated_at'
STATUS_SLOT_KEYS='active_assignments,asset_receipts,'$SLOT_KEYS
DASH_SLOT_KEYS='active_assignments,asset_receipts,assets,assignments,blockers,campaign_id,channel,codex_app_thread_id,codex_app_thread_title,created_at,id,lifecycle,metadata,role_label,session,session_id,slot_key,state,updated_at'
CAMPAIGN_KEYS='created_at,id,metadata,name,objective,status,updated_at'
BRIEF_KEYS='brief,campaign_id,channel,created_at,id,updated_at'
ASSIGNMENT_KEYS='campaign_id,completed_at,created_at,id,instructions,metadata,slot_id,status,title,updated_at'
ASSET_KEYS='artifact_path,asset_type,assignment_id,campaign_id,channel,created_at,id,metadata,prompt_summary,review_notes,reviewed_at,reviewer,slot_id,status,title'

# ---------------------------------------------------------------------------------------------------------
section "create --json"
ok campaign create --name launch --objective 'Launch wëek content' --metadata-json '{"b":1,"a":{"d":2,"c":1}}' --json
keys_are . 'action,campaign,campaign_id,created'
jeq .action create
jeq .campaign launch
jeq .created true
jeq '.created | type' boolean
idlike .campaign_id campaign
CID=$(val .campaign_id)

section "create --json is 2-space pretty JSON, keys sorted, one trailing newline"
out_is "$(printf '{\n  "action": "create",\n  "campaign": "launch",\n  "campaign_id": "%s",\n  "created": true\n}' "$CID")"
if [ "$(tail -c 2 "$OUT" | od -An -c | tr -d ' ')" = '}\n' ]; then
	good "create output ends in exactly one newline"
else
	bad "create output ends in exactly one newline"
fi

section "--path is honoured: the database is where --path says, nothing under ./.codex-workers"
if [ -f "$DB" ]; then good "a database at $DB"; else bad "a database at $DB"; fi
if [ ! -e "$T/.codex-workers" ]; then good "no .codex-workers with --path"; else bad "no .codex-workers with --path"; fi

section "create: campaigns row"
dbeq "select id, name, objective, status, created_at, updated_at from campaigns" "$CID|launch|Launch wëek content|active|$NOW|$NOW"
dbeq "select metadata_json from campaigns where id = '$CID'" '{"a":{"c":1,"d":2},"b":1}'
dbeq "select count(*) from campaigns" 1

section "dashboard of a campaign without slots: add_worker_slots"
ok campaign dashboard --name launch --json
jeq '.next_manager_action.action' add_worker_slots
jeq '.next_manager_action.reason' 'Campaign has no worker slots.'
jeq '.slots | length' 0
jeq '.blockers | length' 0
ok campaign dashboard --name launch
out_has 'next add_worker_slots: Campaign has no worker slots.'
out_has 'blockers 0'
out_lacks 'slot '

# Sessions are inserted once the database exists: a worker whose heartbeat is 30 s old, and a manager.
W=$(session w1 worker 2025-12-31T23:59:30.000Z thr_tiktok_1)
M=$(session m1 manager 2025-12-31T23:59:30.000Z null)

section "session rows exist"
dbeq "select name, role, state from sessions order by name" "m1|manager|active
w1|worker|active"

section "add-slot --json"
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok \
	--session-id "$W" --thread-id thr_tiktok_1 --thread-title 'TikTok worker' --state active \
	--metadata-json '{"z":true,"a":[2,1],"m":{"y":null,"x":"s"}}' --json
keys_are . 'action,campaign,created,slot_id,slot_key'
jeq .action add-slot
jeq .campaign launch
jeq .created true
jeq .slot_key tiktok
idlike .slot_id campaign-slot
SLOT=$(val .slot_id)
pretty_sorted

section "add-slot: campaign_worker_slots row"
dbeq "select id, campaign_id, slot_key, role_label, channel, session_id, codex_app_thread_id, codex_app_thread_title, state, created_at, updated_at from campaign_worker_slots" \
	"$SLOT|$CID|tiktok|TikTok editor|tiktok|$W|thr_tiktok_1|TikTok worker|active|$NOW|$NOW"
dbeq "select metadata_json from campaign_worker_slots where id = '$SLOT'" '{"a":[2,1],"m":{"x":"s","y":null},"z":true}'

section "brief --json (first: insert)"
ok campaign brief --name launch --channel tiktok --brief-json '{"tone":"playful","cta":{"url":"https://example.com/x","b":2}}' --json
keys_are . 'action,brief_id,campaign,channel,upserted'
jeq .action brief
jeq .campaign launch
jeq .channel tiktok
jeq .upserted true
idlike .brief_id campaign-brief
BRIEF=$(val .brief_id)
pretty_sorted
dbeq "select id, campaign_id, channel, brief_json, created_at, updated_at from campaign_channel_briefs" \
	"$BRIEF|$CID|tiktok|{\"cta\":{\"b\":2,\"url\":\"https://example.com/x\"},\"tone\":\"playful\"}|$NOW|$NOW"

section "brief again later (upsert keeps id and created_at, replaces brief_json and updated_at)"
export CONVEYOR_NOW=2026-01-01T00:05:00.000Z
ok campaign brief --name launch --channel tiktok --brief-json '{"tone":"bold","length":15}' --json
jeq .brief_id "$BRIEF"
jeq .upserted true
jeq .channel tiktok
dbeq "select count(*) from campaign_channel_briefs" 1
dbeq "select id, brief_json, created_at, updated_at from campaign_channel_briefs" \
	"$BRIEF|{\"length\":15,\"tone\":\"bold\"}|$NOW|2026-01-01T00:05:00.000Z"

section "brief a third time in text mode: same id in the text line"
export CONVEYOR_NOW=2026-01-01T00:07:00.000Z
ok campaign brief --name launch --channel tiktok --brief-json '{"tone":"playful","hook":"first 2 s"}'
out_is "campaign launch brief tiktok upserted $BRIEF"
dbeq "select id, brief_json, created_at, updated_at from campaign_channel_briefs" \
	"$BRIEF|{\"hook\":\"first 2 s\",\"tone\":\"playful\"}|$NOW|2026-01-01T00:07:00.000Z"
export CONVEYOR_NOW=$NOW

section "assign --json (status done: completed_at = now; --name by id echoed; --slot by key resolved)"
ok campaign assign --name "$CID" --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts' --status 'done' \
	--metadata-json '{"k":2,"j":1}' --json
keys_are . 'action,assignment_id,campaign,created,slot_id'
jeq .action assign
jeq .campaign "$CID"
jeq .created true
jeq .slot_id "$SLOT"
idlike .assignment_id campaign-assignment
ASG=$(val .assignment_id)
pretty_sorted
dbeq "select id, campaign_id, slot_id, title, instructions, status, metadata_json, created_at, updated_at, completed_at from campaign_assignments" \
	"$ASG|$CID|$SLOT|Teaser cut|Three 15 s cuts|done|{\"j\":1,\"k\":2}|$NOW|$NOW|$NOW"

section "asset --json (channel defaults to the slot's; --slot by id echoed)"
ok campaign asset --name launch --slot "$SLOT" --assignment "$ASG" --title 'Teaser v1' --asset-type video \
	--status needs_review --prompt-summary 'neon city at dusk' --artifact-path renders/teaser-v1.mp4 \
	--review-notes 'check captions' --json
keys_are . 'action,asset_receipt_id,campaign,created,slot_id'
jeq .action asset
jeq .campaign launch
jeq .created true
jeq .slot_id "$SLOT"
idlike .asset_receipt_id campaign-asset
ASSET=$(val .asset_receipt_id)
pretty_sorted
dbeq "select id, campaign_id, slot_id, assignment_id, asset_type, channel, status, title, prompt_summary, artifact_path, review_notes, metadata_json, created_at from campaign_asset_receipts" \
	"$ASSET|$CID|$SLOT|$ASG|video|tiktok|needs_review|Teaser v1|neon city at dusk|renders/teaser-v1.mp4|check captions|{}|$NOW"

section "status --json: top level"
ok campaign status --name launch --json
pretty_sorted
keys_are . 'asset_counts,assignment_counts,campaign,channel_briefs,slots'

section "status --json: campaign record"
keys_are .campaign "$CAMPAIGN_KEYS"
jeq .campaign.id "$CID"
jeq .campaign.name launch
jeq .campaign.objective 'Launch wëek content'
jeq .campaign.status active
jeq '.campaign.metadata | tojson' '{"a":{"c":1,"d":2},"b":1}'
jeq .campaign.created_at "$NOW"
jeq .campaign.updated_at "$NOW"
if grep -qF '"objective": "Launch wëek content"' "$OUT"; then good "non-ASCII is emitted raw"; else bad "non-ASCII is emitted raw"; fi

section "status --json: slot record"
jeq '.slots | length' 1
keys_are '.slots[0]' "$STATUS_SLOT_KEYS"
jeq '.slots[0].id' "$SLOT"
jeq '.slots[0].campaign_id' "$CID"
jeq '.slots[0].slot_key' tiktok
jeq '.slots[0].role_label' 'TikTok editor'
jeq '.slots[0].channel' tiktok
jeq '.slots[0].session_id' "$W"
jeq '.slots[0].codex_app_thread_id' thr_tiktok_1
jeq '.slots[0].codex_app_thread_title' 'TikTok worker'
jeq '.slots[0].state' active
jeq '.slots[0].metadata | tojson' '{"a":[2,1],"m":{"x":"s","y":null},"z":true}'
jeq '.slots[0].created_at' "$NOW"
jeq '.slots[0].updated_at' "$NOW"
jeq '.slots[0].active_assignments' 0
jeq '.slots[0].asset_receipts' 1

section "status --json: channel_briefs with the brief object intact"
jeq '.channel_briefs | length' 1
keys_are '.channel_briefs[0]' "$BRIEF_KEYS"
jeq '.channel_briefs[0].id' "$BRIEF"
jeq '.channel_briefs[0].campaign_id' "$CID"
jeq '.channel_briefs[0].channel' tiktok
jeq '.channel_briefs[0].brief | tojson' '{"hook":"first 2 s","tone":"playful"}'
jeq '.channel_briefs[0].created_at' "$NOW"
jeq '.channel_briefs[0].updated_at' 2026-01-01T00:07:00.000Z

section "status --json: zero-filled counts"
jeq '.assignment_counts | tojson' '{"active":0,"blocked":0,"cancelled":0,"done":1,"queued":0}'
jeq '.asset_counts | tojson' '{"approved":0,"draft":0,"needs_review":1,"published":0,"rejected":0}'

section "status text"
cp "$OUT" "$T/status.json"
ok campaign status --name launch
out_is 'campaign launch active
slots 1
assignments active=0 blocked=0 cancelled=0 done=1 queued=0
assets approved=0 draft=0 needs_review=1 published=0 rejected=0
briefs 1'

section "status text describes the same thing as status --json"
expect=$(jq -r '"campaign \(.campaign.name) \(.campaign.status)",
	"slots \(.slots | length)",
	"assignments " + (.assignment_counts | to_entries | map("\(.key)=\(.value)") | join(" ")),
	"assets " + (.asset_counts | to_entries | map("\(.key)=\(.value)") | join(" ")),
	"briefs \(.channel_briefs | length)"' "$T/status.json")
is "$(cat "$OUT")" "$expect"

section "status addressed by campaign id"
ok campaign status --name "$CID" --json
jeq .campaign.name launch
if cmp -s "$OUT" "$T/status.json"; then good "status by id is status by name"; else bad "status by id is status by name"; fi

section "dashboard --json: top level"
ok campaign dashboard --name launch --json
pretty_sorted
keys_are . 'approvals,asset_counts,assignment_counts,blockers,campaign,channel_briefs,next_manager_action,slots,summary'
jeq '.campaign | tojson' "$(jq -c .campaign "$T/status.json")"
jeq '.channel_briefs | tojson' "$(jq -c .channel_briefs "$T/status.json")"
jeq '.assignment_counts | tojson' "$(jq -c .assignment_counts "$T/status.json")"
jeq '.asset_counts | tojson' "$(jq -c .asset_counts "$T/status.json")"

section "dashboard --json: approvals, summary, blockers, next_manager_action"
jeq '.approvals | tojson' '{"approved":0,"needs_review":1,"published":0,"rejected":0}'
jeq '.summary | tojson' '{"active_slots":1,"archived_slots":0,"asset_total":1,"assignment_total":1,"blocked_assignments":0,"blocked_slots":0,"channel_briefs":1,"stale_slots":0}'
jeq '.blockers | tojson' '[]'
keys_are .next_manager_action 'action,reason'
jeq .next_manager_action.action review_assets
jeq .next_manager_action.reason 'Assets need review or rejection follow-up.'

section "dashboard --json: slot record"
jeq '.slots | length' 1
keys_are '.slots[0]' "$DASH_SLOT_KEYS"
jeq '.slots[0] | del(.assets, .assignments, .blockers, .lifecycle, .session) | tojson' "$(jq -c '.slots[0]' "$T/status.json")"
jeq '.slots[0].blockers | tojson' '[]'
keys_are '.slots[0].lifecycle' 'operator_message,stale,stale_seconds,state'
jeq '.slots[0].lifecycle.state' active
jeq '.slots[0].lifecycle.stale' false
jeq '.slots[0].lifecycle.stale_seconds' 30
jeq '.slots[0].lifecycle.operator_message' 'Worker slot is active.'

section "dashboard --json: slot session"
keys_are '.slots[0].session' 'codex_app_thread_id,codex_app_thread_title,id,last_heartbeat_at,name,role,state'
jeq '.slots[0].session.id' "$W"
jeq '.slots[0].session.name' w1
jeq '.slots[0].session.role' worker
jeq '.slots[0].session.state' active
jeq '.slots[0].session.last_heartbeat_at' 2025-12-31T23:59:30.000Z
jeq '.slots[0].session.codex_app_thread_id' thr_tiktok_1
jeq '.slots[0].session.codex_app_thread_title' 'w1 thread'

section "dashboard --json: slot assignments and assets"
jeq '.slots[0].assignments | length' 1
keys_are '.slots[0].assignments[0]' "$ASSIGNMENT_KEYS"
jeq '.slots[0].assignments[0] | tojson' "{\"campaign_id\":\"$CID\",\"completed_at\":\"$NOW\",\"created_at\":\"$NOW\",\"id\":\"$ASG\",\"instructions\":\"Three 15 s cuts\",\"metadata\":{\"j\":1,\"k\":2},\"slot_id\":\"$SLOT\",\"status\":\"done\",\"title\":\"Teaser cut\",\"updated_at\":\"$NOW\"}"
jeq '.slots[0].assets | length' 1
keys_are '.slots[0].assets[0]' "$ASSET_KEYS"
jeq '.slots[0].assets[0] | tojson' "{\"artifact_path\":\"renders/teaser-v1.mp4\",\"asset_type\":\"video\",\"assignment_id\":\"$ASG\",\"campaign_id\":\"$CID\",\"channel\":\"tiktok\",\"created_at\":\"$NOW\",\"id\":\"$ASSET\",\"metadata\":{},\"prompt_summary\":\"neon city at dusk\",\"review_notes\":\"check captions\",\"reviewed_at\":null,\"reviewer\":null,\"slot_id\":\"$SLOT\",\"status\":\"needs_review\",\"title\":\"Teaser v1\"}"
cp "$OUT" "$T/dash.json"

section "dashboard text"
ok campaign dashboard --name launch
out_is 'campaign launch active
next review_assets: Assets need review or rejection follow-up.
workers active=1 stale=0 blocked=0 archived=0
assignments active=0 blocked=0 cancelled=0 done=1 queued=0
assets approved=0 draft=0 needs_review=1 published=0 rejected=0
approvals needs_review=1 approved=0 rejected=0 published=0
blockers 0
slot tiktok active active assignments=0 assets=1'

# The text dashboard computed from the JSON dashboard (docs/campaigns.md: blocker lines, every slot).
DASH_TEXT='"campaign \(.campaign.name) \(.campaign.status)",
	"next \(.next_manager_action.action): \(.next_manager_action.reason)",
	"workers active=\(.summary.active_slots) stale=\(.summary.stale_slots) blocked=\(.summary.blocked_slots) archived=\(.summary.archived_slots)",
	"assignments " + (.assignment_counts | to_entries | map("\(.key)=\(.value)") | join(" ")),
	"assets " + (.asset_counts | to_entries | map("\(.key)=\(.value)") | join(" ")),
	"approvals needs_review=\(.approvals.needs_review) approved=\(.approvals.approved) rejected=\(.approvals.rejected) published=\(.approvals.published)",
	"blockers \(.blockers | length)",
	(.blockers[] | "blocker \(.)"),
	(.slots[] | "slot \(.slot_key) \(.state) \(.lifecycle.state) assignments=\(.active_assignments) assets=\(.asset_receipts)")'

section "dashboard text describes the same thing as dashboard --json"
is "$(cat "$OUT")" "$(jq -r "$DASH_TEXT" "$T/dash.json")"

section "the workerctl program name reads the same database through --path"
ln -s "$CONVEYOR" "$T/workerctl"
if "$T/workerctl" campaign dashboard --name launch --json --path "$DB" >"$T/wc.json" 2>"$ERR" && cmp -s "$T/wc.json" "$T/dash.json"; then
	good "workerctl's dashboard is conveyor's"
else
	bad "workerctl's dashboard is conveyor's"
fi

section "relative --path is resolved against the cwd"
cv campaign status --name launch --json --path state/workerctl.db
if [ "$RC" -eq 0 ] && cmp -s "$OUT" "$T/status.json"; then
	good "a relative --path reaches the same database"
else
	bad "a relative --path reaches the same database"
fi

# shellcheck disable=SC2088 # the tilde is for conveyor to expand
section "~/ in --path is expanded to \$HOME"
mkdir -p "$T/home"
# shellcheck disable=SC2088
HOME="$T/home" cv campaign create --name tilde --objective o --path '~/tilde.db'
if [ "$RC" -eq 0 ] && [ -f "$T/home/tilde.db" ] && [ ! -e "$T/~" ]; then
	good "tilde.db is created under \$HOME"
else
	bad "tilde.db is created under \$HOME"
fi
if [ ! -e "$T/.codex-workers" ]; then good "no .codex-workers with --path"; else bad "no .codex-workers with --path"; fi

section "text outputs of create, add-slot, assign, asset (side campaign)"
ok campaign create --name side --objective 'Side quest'
SIDE=$(dbq "select id from campaigns where name = 'side'")
out_is "campaign side created $SIDE"
if [[ $SIDE =~ ^campaign-$UUID$ ]]; then good "side id is campaign-<uuid>"; else bad "side id is campaign-<uuid>" "got $SIDE"; fi
ok campaign add-slot --name side --slot-key yt --role-label 'YT editor'
SSLOT=$(dbq "select id from campaign_worker_slots where campaign_id = '$SIDE'")
out_is "campaign side slot yt created $SSLOT"
if [[ $SSLOT =~ ^campaign-slot-$UUID$ ]]; then
	good "side slot id is campaign-slot-<uuid>"
else
	bad "side slot id is campaign-slot-<uuid>" "got $SSLOT"
fi
dbeq "select channel is null, session_id is null, codex_app_thread_id is null, state, metadata_json from campaign_worker_slots where id = '$SSLOT'" '1|1|1|planned|{}'
ok campaign assign --name side --slot yt --title 'Short' --instructions 'One short'
SASG=$(dbq "select id from campaign_assignments where campaign_id = '$SIDE'")
out_is "campaign side assignment created $SASG"
if [[ $SASG =~ ^campaign-assignment-$UUID$ ]]; then
	good "side assignment id is campaign-assignment-<uuid>"
else
	bad "side assignment id is campaign-assignment-<uuid>" "got $SASG"
fi
dbeq "select status, completed_at is null, metadata_json, slot_id from campaign_assignments where id = '$SASG'" "queued|1|{}|$SSLOT"
ok campaign asset --name side --slot yt --title 'Short v1' --asset-type copy
SASSET=$(dbq "select id from campaign_asset_receipts where campaign_id = '$SIDE'")
out_is "campaign side asset receipt created $SASSET"
if [[ $SASSET =~ ^campaign-asset-$UUID$ ]]; then
	good "side asset id is campaign-asset-<uuid>"
else
	bad "side asset id is campaign-asset-<uuid>" "got $SASSET"
fi
dbeq "select status, asset_type, channel is null, assignment_id is null, prompt_summary is null, artifact_path is null, review_notes is null, metadata_json from campaign_asset_receipts where id = '$SASSET'" 'draft|copy|1|1|1|1|1|{}'
ok campaign asset --name side --slot yt --title 'Short v2' --asset-type copy --channel shorts --status approved
dbeq "select channel, status from campaign_asset_receipts where title = 'Short v2'" 'shorts|approved'

section "side campaign: text status and dashboard"
ok campaign status --name side
out_is 'campaign side active
slots 1
assignments active=0 blocked=0 cancelled=0 done=0 queued=1
assets approved=1 draft=1 needs_review=0 published=0 rejected=0
briefs 0'
ok campaign dashboard --name side --json
cp "$OUT" "$T/side.json"
jeq '.slots[0].lifecycle.state' needs_thread
jeq '.slots[0].active_assignments' 1
jeq '.next_manager_action.action' wake_or_rotate_workers
ok campaign dashboard --name side
out_is 'campaign side active
next wake_or_rotate_workers: One or more worker slots are stale or missing session/thread metadata.
workers active=0 stale=0 blocked=0 archived=0
assignments active=0 blocked=0 cancelled=0 done=0 queued=1
assets approved=1 draft=1 needs_review=0 published=0 rejected=0
approvals needs_review=0 approved=1 rejected=0 published=0
blockers 1
blocker worker slot yt has no Codex app thread id
slot yt planned needs_thread assignments=1 assets=2'
is "$(cat "$OUT")" "$(jq -r "$DASH_TEXT" "$T/side.json")"

section "a manager session cannot be attached to the launch slot"
fails 2 'campaign worker slot requires a worker session, got manager' campaign attach-slot --name launch --slot tiktok --session-id "$M" --json

section "the launch campaign is untouched by the side campaign and the refused attach"
ok campaign dashboard --name launch --json
if cmp -s "$OUT" "$T/dash.json"; then good "the launch dashboard is unchanged"; else bad "the launch dashboard is unchanged"; fi

section "database after the loop: row counts and the audit trail"
dbeq "select count(*) from campaigns" 2
dbeq "select count(*) from campaign_worker_slots" 2
dbeq "select count(*) from campaign_channel_briefs" 1
dbeq "select count(*) from campaign_assignments" 2
dbeq "select count(*) from campaign_asset_receipts" 3
dbeq "select group_concat(type, ' ') from (select type from events where payload_json like '%$CID%' order by id)" \
	'campaign_create campaign_add_slot campaign_brief campaign_brief campaign_brief campaign_assign campaign_asset'
dbeq "select count(*) from events where actor <> 'workerctl' or task_id is not null" 0
dbeq "select json_extract(payload_json, '\$.asset_receipt_id') || '|' || json_extract(payload_json, '\$.slot_id') from events where type = 'campaign_asset' and payload_json like '%$CID%'" "$ASSET|$SLOT"
dbeq "select count(*) from events where created_at = '$NOW' and type = 'campaign_create'" 2

section "status text of a campaign addressed by id names the campaign"
ok campaign status --name "$CID"
out_has 'campaign launch active'

section "ordering: slots by created_at then slot_key, briefs by channel, assignments/assets by created_at then title"
ok campaign create --name order --objective o
ok campaign add-slot --name order --slot-key zeta --role-label r --thread-id thr_z --state idle
ok campaign add-slot --name order --slot-key alpha --role-label r --thread-id thr_a --state active
CONVEYOR_NOW=2025-12-31T23:00:00.000Z ok campaign add-slot --name order --slot-key omega --role-label r --thread-id thr_o
for i in 1 2 3 4 5 6; do ok campaign add-slot --name order --slot-key "s$i" --role-label r --state blocked; done
ok campaign brief --name order --channel zz --brief-json '{}'
ok campaign brief --name order --channel aa --brief-json '{"x":[]}'
ok campaign assign --name order --slot alpha --title 'b task' --instructions i --status cancelled
ok campaign assign --name order --slot alpha --title 'a task' --instructions i --status queued
CONVEYOR_NOW=2025-12-31T23:30:00.000Z ok campaign assign --name order --slot alpha --title 'c task' --instructions i --status active
ok campaign asset --name order --slot alpha --title 'y asset' --asset-type image --status published
ok campaign asset --name order --slot alpha --title 'x asset' --asset-type audio --status approved
CONVEYOR_NOW=2025-12-31T23:30:00.000Z ok campaign asset --name order --slot alpha --title 'z asset' --asset-type hyperframes
ok campaign status --name order --json
jeq '[.slots[].slot_key] | join(",")' 'omega,alpha,s1,s2,s3,s4,s5,s6,zeta'
jeq '[.channel_briefs[].channel] | join(",")' 'aa,zz'
jeq '.channel_briefs[0].brief | tojson' '{"x":[]}'
jeq '.channel_briefs[1].brief | tojson' '{}'
jeq '.slots[1].active_assignments' 2
jeq '.slots[1].asset_receipts' 3
jeq '.slots[0].state' planned
ok campaign dashboard --name order --json
cp "$OUT" "$T/order.json"
jeq '[.slots[1].assignments[].title] | join(",")' 'c task,a task,b task'
jeq '[.slots[1].assets[].title] | join(",")' 'z asset,x asset,y asset'
jeq '[.slots[].lifecycle.state] | join(",")' 'planned,active,blocked,blocked,blocked,blocked,blocked,blocked,idle'
jeq '.summary | tojson' '{"active_slots":1,"archived_slots":0,"asset_total":3,"assignment_total":3,"blocked_assignments":0,"blocked_slots":6,"channel_briefs":2,"stale_slots":0}'
jeq '.next_manager_action.action' resolve_worker_blockers
jeq '.blockers | length' 6
jeq '.blockers[0]' 'worker slot s1 is blocked'
jeq '.slots[0].lifecycle.operator_message' 'Codex app worker slot is planned and needs activation.'
jeq '.slots[8].lifecycle.operator_message' 'Codex app worker slot is idle and ready for assignment.'

section "dashboard text lists every slot (more than 8) and every blocker"
ok campaign dashboard --name order
is "$(cat "$OUT")" "$(jq -r "$DASH_TEXT" "$T/order.json")"
if [ "$(grep -c '^slot ' "$OUT")" -eq 9 ]; then good "the text dashboard lists all 9 slots"; else bad "the text dashboard lists all 9 slots"; fi
out_has 'slot zeta idle idle assignments=0 assets=0'
out_has 'slot alpha active active assignments=2 assets=3'
out_has 'slot omega planned planned assignments=0 assets=0'
out_has 'next resolve_worker_blockers: One or more worker slots are blocked.'
out_has 'blocker worker slot s6 is blocked'

section "a gone worker session is accepted by add-slot"
G=$(session gone1 worker 2025-12-31T23:59:59.000Z null)
dbq "update sessions set state = 'gone' where id = '$G'"
ok campaign add-slot --name order --slot-key ghost --role-label r --session-id "$G" --json
dbeq "select session_id from campaign_worker_slots where slot_key = 'ghost'" "$G"

section "stored metadata_json is compact, keys sorted recursively, values as the reference writes them"
ok campaign create --name meta --objective o --metadata-json '{ "z" : [ {"b":2,"a":1} ], "a" : "é/\"\\\t", "m":{"n":{"y":1,"x":0}}, "e":{} }'
dbeq "select metadata_json from campaigns where name = 'meta'" '{"a":"é/\"\\\t","e":{},"m":{"n":{"x":0,"y":1}},"z":[{"a":1,"b":2}]}'
ok campaign create --name nums --objective o --metadata-json '{"a":1.50,"b":-0,"c":1e5,"d":0.1,"e":1e21,"f":-2}'
dbeq "select metadata_json from campaigns where name = 'nums'" '{"a":1.5,"b":0,"c":100000,"d":0.1,"e":1e+21,"f":-2}'
# The reference stores JSON.stringify's form: 1e-7 (no zero padding in the exponent) and the shortest
# round-trip digits of a large integer.
ok campaign create --name tiny --objective o --metadata-json '{"t":1e-7}'
dbeq "select metadata_json from campaigns where name = 'tiny'" '{"t":1e-7}'
ok campaign create --name big --objective o --metadata-json '{"n":12345678901234567890}'
dbeq "select metadata_json from campaigns where name = 'big'" '{"n":12345678901234567000}'

# ---------------------------------------------------------------------------------------------------------
# SPEC 2.11.6, example 1 is the launch campaign above (30 s heartbeat, done assignment, needs_review asset).
section "worked example 1: 30 s heartbeat, done assignment, needs_review asset"
if jq -e '.slots[0].lifecycle == {"operator_message":"Worker slot is active.","stale":false,"stale_seconds":30,"state":"active"}
	and .slots[0].session.codex_app_thread_id == "thr_tiktok_1"
	and (.slots[0].assignments | map(.status)) == ["done"]
	and (.slots[0].assets | map(.status)) == ["needs_review"]
	and .blockers == [] and .next_manager_action.action == "review_assets"
	and .approvals.needs_review == 1 and .summary.asset_total == 1 and .summary.active_slots == 1
	and .summary.stale_slots == 0' "$T/dash.json" >/dev/null; then good "example 1"; else bad "example 1"; fi

# Example 2: slot alpha (thread + session, heartbeat 600 s old, active) with a blocked assignment and a
# rejected asset; slot beta planned without a thread.
section "worked example 2: set up"
ok campaign create --name blockers --objective 'Blocked week'
W2=$(session w2 worker 2025-12-31T23:50:00.000Z thr_alpha)
ok campaign add-slot --name blockers --slot-key alpha --role-label 'Alpha' --channel reels --session-id "$W2" --thread-id thr_alpha --state active --json
ALPHA=$(val .slot_id)
ok campaign add-slot --name blockers --slot-key beta --role-label 'Beta' --json
BETA=$(val .slot_id)
ok campaign assign --name blockers --slot "$ALPHA" --title 'Hook script' --instructions 'Write hooks' --status blocked
ok campaign asset --name blockers --slot "$ALPHA" --title 'Hook v1' --asset-type copy --status rejected

section "worked example 2: dashboard --json"
ok campaign dashboard --name blockers --json
pretty_sorted
jeq '[.slots[].slot_key] | join(",")' alpha,beta
jeq '.slots[0].lifecycle | tojson' '{"operator_message":"Wake or rotate this worker before assigning more work.","stale":true,"stale_seconds":600,"state":"stale"}'
jeq '.slots[1].lifecycle | tojson' '{"operator_message":"Record the Codex app worker thread id for this slot.","stale":false,"stale_seconds":null,"state":"needs_thread"}'
jeq '.slots[1].session' null
jeq '.slots[1].id' "$BETA"
jeq '.slots[0].session.id' "$W2"
jeq '.slots[0].blockers | tojson' '["worker slot alpha heartbeat is stale","assignment Hook script is blocked","asset Hook v1 is rejected"]'
jeq '.slots[1].blockers | tojson' '["worker slot beta has no Codex app thread id"]'
jeq '.blockers | tojson' '["worker slot alpha heartbeat is stale","assignment Hook script is blocked","asset Hook v1 is rejected","worker slot beta has no Codex app thread id"]'
jeq '.summary | tojson' '{"active_slots":1,"archived_slots":0,"asset_total":1,"assignment_total":1,"blocked_assignments":1,"blocked_slots":0,"channel_briefs":0,"stale_slots":1}'
jeq '.approvals | tojson' '{"approved":0,"needs_review":0,"published":0,"rejected":1}'
jeq '.next_manager_action | tojson' '{"action":"wake_or_rotate_workers","reason":"One or more worker slots are stale or missing session/thread metadata."}'
jeq '.slots[0].active_assignments' 1
jeq '.slots[1].active_assignments' 0
cp "$OUT" "$T/blockers.json"

section "worked example 2: dashboard text"
ok campaign dashboard --name blockers
out_is 'campaign blockers active
next wake_or_rotate_workers: One or more worker slots are stale or missing session/thread metadata.
workers active=1 stale=1 blocked=0 archived=0
assignments active=0 blocked=1 cancelled=0 done=0 queued=0
assets approved=0 draft=0 needs_review=0 published=0 rejected=1
approvals needs_review=0 approved=0 rejected=1 published=0
blockers 4
blocker worker slot alpha heartbeat is stale
blocker assignment Hook script is blocked
blocker asset Hook v1 is rejected
blocker worker slot beta has no Codex app thread id
slot alpha active stale assignments=1 assets=1
slot beta planned needs_thread assignments=0 assets=0'
is "$(cat "$OUT")" "$(jq -r "$DASH_TEXT" "$T/blockers.json")"

section "stale boundary: exactly 300 s is fresh, 301 s is stale"
dbq "update sessions set last_heartbeat_at = '2025-12-31T23:55:00.000Z' where id = '$W2'"
ok campaign dashboard --name blockers --json
jeq '.slots[0].lifecycle | tojson' '{"operator_message":"Worker slot is active.","stale":false,"stale_seconds":300,"state":"active"}'
jeq '.summary.stale_slots' 0
dbq "update sessions set last_heartbeat_at = '2025-12-31T23:54:59.000Z' where id = '$W2'"
ok campaign dashboard --name blockers --json
jeq '.slots[0].lifecycle.state + " " + (.slots[0].lifecycle.stale_seconds | tostring)' 'stale 301'

# hb HEARTBEAT: sets w2's heartbeat and prints "<lifecycle state> <stale_seconds>" of slot alpha.
hb() {
	dbq "update sessions set last_heartbeat_at = '$1' where id = '$W2'"
	"$CONVEYOR" campaign dashboard --name blockers --json --path "$DB" | jq -r '.slots[0].lifecycle | "\(.state) \(.stale_seconds)"'
}
section "heartbeat age: rounded half up, both timestamp forms, future clamps to 0, unparseable is stale"
is "$(hb 2025-12-31T23:54:59.600Z)" 'active 300'
is "$(hb 2025-12-31T23:54:59.500Z)" 'stale 301'
is "$(hb 2025-12-31T23:59:30.500Z)" 'active 30'
is "$(hb 2025-12-31T23:59:30.501Z)" 'active 29'
is "$(hb 2025-12-31T23:59:30Z)" 'active 30'
is "$(hb 2025-12-31T23:59:30+00:00)" 'active 30'
is "$(hb 2026-01-01T00:10:00.000Z)" 'active 0'
is "$(hb garbage)" 'stale null'

section "--stale-after moves the threshold; a heartbeat exactly SECONDS old is fresh"
dbq "update sessions set last_heartbeat_at = '2025-12-31T23:59:00.000Z' where id = '$W2'"
ok campaign dashboard --name blockers --json --stale-after 60
jeq '.slots[0].lifecycle.state + " " + (.slots[0].lifecycle.stale_seconds | tostring)' 'active 60'
ok campaign dashboard --name blockers --json --stale-after 59
jeq '.slots[0].lifecycle.state + " " + (.slots[0].lifecycle.stale_seconds | tostring)' 'stale 60'
ok campaign dashboard --name blockers --json --stale-after 0
jeq '.summary.stale_slots' 1

section "no heartbeat at all"
dbq "update sessions set last_heartbeat_at = null where id = '$W2'"
ok campaign dashboard --name blockers --json
jeq '.slots[0].lifecycle | tojson' '{"operator_message":"Wake or rotate this worker before assigning more work.","stale":true,"stale_seconds":null,"state":"stale"}'
jeq '.slots[0].session.last_heartbeat_at' null

# Example 3: a native-app slot (thread, no session), active, with one active assignment.
section "worked example 3: thread without session"
ok campaign create --name native --objective 'Native app'
ok campaign add-slot --name native --slot-key app --role-label 'App worker' --thread-id thr_app --state active
ok campaign assign --name native --slot app --title 'Storyboard' --instructions 'Draft it' --status active
ok campaign dashboard --name native --json
pretty_sorted
jeq '.slots[0].lifecycle | tojson' '{"operator_message":"Codex app worker slot is active.","stale":false,"stale_seconds":null,"state":"active"}'
jeq '.slots[0].session' null
jeq '.slots[0].session_id' null
jeq '.slots[0].blockers | tojson' '[]'
jeq '.blockers | tojson' '[]'
jeq '.next_manager_action | tojson' '{"action":"monitor_workers","reason":"Assignments are queued or active."}'
jeq '.summary.active_slots' 1
jeq '.slots[0].assignments[0].status' active
jeq '.slots[0].assignments[0].completed_at' null
cp "$OUT" "$T/native.json"
ok campaign dashboard --name native
out_is 'campaign native active
next monitor_workers: Assignments are queued or active.
workers active=1 stale=0 blocked=0 archived=0
assignments active=1 blocked=0 cancelled=0 done=0 queued=0
assets approved=0 draft=0 needs_review=0 published=0 rejected=0
approvals needs_review=0 approved=0 rejected=0 published=0
blockers 0
slot app active active assignments=1 assets=0'
is "$(cat "$OUT")" "$(jq -r "$DASH_TEXT" "$T/native.json")"

finish
