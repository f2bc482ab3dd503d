#!/usr/bin/env bash
# The campaign actions that list and update a running campaign: list, set-status, update-assignment and review —
# their output (JSON and text), the rows they write, their errors, and how the dashboard and next manager action
# follow them.
. "$(dirname "$0")/lib.sh"

T0=2026-01-01T00:00:00.000Z
T1=2026-01-01T01:00:00.000Z
T2=2026-01-01T02:00:00.000Z
T3=2026-01-01T03:00:00.000Z
T4=2026-01-01T04:00:00.000Z
T5=2026-01-01T05:00:00.000Z

# add_session ID STATE HEARTBEAT: inserts a worker session row directly, because these cases need a chosen id,
# state and heartbeat, which register-worker does not take.
add_session() {
	dbq "insert into sessions(id, name, role, identity_token, pid, cwd, registered_at, last_heartbeat_at, state)
	     values ('$1', 'name-$1', 'worker', 'token-$1', 4242, '/tmp', '$T0', '$3', '$2')"
}

# err_is TEXT: the last stderr is exactly TEXT (one line) and stdout is empty.
err_is() {
	if [ "$(cat "$ERR")" = "$1" ] && [ ! -s "$OUT" ]; then good "only stderr, and it is: $1"; else bad "only stderr, and it is: $1"; fi
}

# no_file PATH: PATH does not exist.
no_file() { if [ -e "$1" ]; then bad "no file $1"; else good "no file $1"; fi; }

ASSIGNMENT_KEYS='campaign_id,completed_at,created_at,id,instructions,metadata,slot_id,status,title,updated_at'
ASSET_KEYS='artifact_path,asset_type,assignment_id,campaign_id,channel,created_at,id,metadata,prompt_summary,review_notes,reviewed_at,reviewer,slot_id,status,title'
LIST_ITEM_KEYS='asset_count,assignment_count,created_at,id,metadata,name,next_manager_action,objective,slot_count,stale_slots,status,updated_at'

# ---------------------------------------------------------------------------------------------------------------
section "read-only actions without a database create nothing"
NODB="$T/nodb/state/workerctl.db"
cv campaign list --path "$NODB"
rc_is 0
out_is 'no campaigns'
cv campaign list --json --path "$NODB"
rc_is 0
jeq 'tojson' '{"action":"list","campaigns":[]}'
cv campaign status --name ghost --path "$NODB"
rc_is 2
err_is 'unknown campaign: ghost'
cv campaign dashboard --name ghost --json --path "$NODB"
rc_is 2
err_is 'unknown campaign: ghost'
no_file "$NODB"
no_file "$T/nodb/state/workerctl.db-wal"

section "read-only actions at the default location create nothing"
mkdir -p "$T/cwd"
cd "$T/cwd" || exit 1
cv campaign list
rc_is 0
out_is 'no campaigns'
cv campaign status --name ghost
rc_is 2
err_is 'unknown campaign: ghost'
cv campaign dashboard --name ghost
rc_is 2
no_file "$T/cwd/.codex-workers/workerctl.db"
cd "$T" || exit 1

section "list takes no --name"
cv campaign list --name alpha --path "$NODB"
rc_is 2
err_is 'campaign list takes no --name'
no_file "$NODB"

# ---------------------------------------------------------------------------------------------------------------
section "list: one campaign"
export CONVEYOR_NOW=$T0
ok campaign create --name alpha --objective 'Alpha objective' --metadata-json '{"owner":"ops"}' --json
AID=$(val .campaign_id)
ok campaign list --json
jeq 'keys | join(",")' 'action,campaigns'
jeq .action list
jeq '.campaigns | length' 1
jeq '.campaigns[0] | keys | join(",")' "$LIST_ITEM_KEYS"
jeq '.campaigns[0].id' "$AID"
jeq '.campaigns[0].name' alpha
jeq '.campaigns[0].objective' 'Alpha objective'
jeq '.campaigns[0].status' active
jeq '.campaigns[0].metadata | tojson' '{"owner":"ops"}'
jeq '.campaigns[0].created_at' "$T0"
jeq '.campaigns[0].updated_at' "$T0"
jeq '.campaigns[0].slot_count' 0
jeq '.campaigns[0].stale_slots' 0
jeq '.campaigns[0].assignment_count' 0
jeq '.campaigns[0].asset_count' 0
jeq '.campaigns[0].next_manager_action | tojson' '{"action":"add_worker_slots","reason":"Campaign has no worker slots."}'
ok campaign list
out_is 'alpha active slots=0 stale=0 assignments=0 assets=0 next=add_worker_slots'

section "list: several campaigns, oldest first, with counts and stale slots"
export CONVEYOR_NOW=$T1
ok campaign create --name zeta --objective 'Zeta objective' --json
ZID=$(val .campaign_id)
ok campaign add-slot --name zeta --slot-key z1 --role-label x --thread-id thr_z1 --state active
ok campaign add-slot --name zeta --slot-key z2 --role-label x --thread-id thr_z2 --state idle
ok campaign assign --name zeta --slot z1 --title 'Zeta queued' --instructions i
ok campaign assign --name zeta --slot z1 --title 'Zeta done' --instructions i --status done
ok campaign assign --name zeta --slot z2 --title 'Zeta cancelled' --instructions i --status cancelled
ok campaign asset --name zeta --slot z1 --title 'Zeta draft' --asset-type copy
export CONVEYOR_NOW=$T2
ok campaign create --name beta --objective 'Beta objective' --json
BID=$(val .campaign_id)
add_session session-b1 active "$T2"
ok campaign add-slot --name beta --slot-key b1 --role-label x --thread-id thr_b1 --session-id session-b1 --state active
ok campaign add-slot --name beta --slot-key b2 --role-label x --thread-id thr_b2 --session-id session-b1 --state active
export CONVEYOR_NOW=$T3
ok campaign list --json
jeq '[.campaigns[].name] | join(",")' 'alpha,zeta,beta'
jeq '[.campaigns[].id] | join(",")' "$AID,$ZID,$BID"
jeq '.campaigns[1].slot_count' 2
jeq '.campaigns[1].assignment_count' 3
jeq '.campaigns[1].asset_count' 1
jeq '.campaigns[1].stale_slots' 0
jeq '.campaigns[1].next_manager_action.action' monitor_workers
jeq '.campaigns[1].next_manager_action.reason' 'Assignments are queued or active.'
jeq '.campaigns[2].slot_count' 2
jeq '.campaigns[2].stale_slots' 2
jeq '.campaigns[2].assignment_count' 0
jeq '.campaigns[2].next_manager_action.action' wake_or_rotate_workers
jeq '.campaigns[2].created_at' "$T2"
ok campaign list
out_is 'alpha active slots=0 stale=0 assignments=0 assets=0 next=add_worker_slots
zeta active slots=2 stale=0 assignments=3 assets=1 next=monitor_workers
beta active slots=2 stale=2 assignments=0 assets=0 next=wake_or_rotate_workers'

section "list: --stale-after applies to every campaign"
ok campaign list --stale-after 3600
out_has 'beta active slots=2 stale=0 assignments=0 assets=0 next=assign_work'
ok campaign list --stale-after 3599
out_has 'beta active slots=2 stale=2 assignments=0 assets=0 next=wake_or_rotate_workers'

section "list: agrees with each campaign's dashboard"
ok campaign dashboard --name beta --json
jeq .summary.stale_slots 2
jeq .next_manager_action.action wake_or_rotate_workers
ok campaign dashboard --name zeta --json
jeq .summary.assignment_total 3
jeq .summary.asset_total 1

section "list writes nothing"
d=$(db_digest)
ok campaign list
ok campaign list --json --stale-after 10
same_db "$d"
cv campaign list --name alpha --path "$DB"
rc_is 2
err_is 'campaign list takes no --name'

# ---------------------------------------------------------------------------------------------------------------
section "set-status: JSON output and the campaign row"
export CONVEYOR_NOW=$T4
ok campaign set-status --name alpha --status paused --json
jeq 'keys | join(",")' 'action,campaign,campaign_id,previous_status,status,updated'
jeq .action set-status
jeq .campaign alpha
jeq .campaign_id "$AID"
jeq .previous_status active
jeq .status paused
jeq .updated true
dbeq "select status, created_at, updated_at from campaigns where id = '$AID'" "paused|$T0|$T4"

section "set-status: text output, --state synonym, campaign by id"
ok campaign set-status --name alpha --status blocked
out_is 'campaign alpha status paused -> blocked'
dbeq "select status from campaigns where id = '$AID'" blocked
ok campaign set-status --name "$AID" --state active --json
jeq .campaign "$AID"
jeq .previous_status blocked
jeq .status active
ok campaign set-status --name alpha --status active
out_is 'campaign alpha status active -> active'
dbeq "select status from campaigns where id = '$AID'" active

section "set-status: errors write nothing"
d=$(db_digest)
fails 2 '--status must be one of: active, archived, blocked, done, paused' campaign set-status --name alpha --status finished
fails 2 '--status must be one of: active, archived, blocked, done, paused' campaign set-status --name alpha --state finished
fails 2 'campaign requires --status' campaign set-status --name alpha
fails 2 'unknown campaign: nope' campaign set-status --name nope --status done
fails 2 'campaign requires exactly one --name <campaign>' campaign set-status --status done
fails 2 'campaign requires exactly one --name <campaign>' campaign set-status --name alpha --name zeta --status done
same_db "$d"

section "set-status done: next manager action is none"
ok campaign set-status --name zeta --status done
out_is 'campaign zeta status active -> done'
ok campaign dashboard --name zeta --json
jeq '.campaign.status' done
jeq '.next_manager_action | tojson' '{"action":"none","reason":"Campaign is done."}'
ok campaign dashboard --name zeta
out_has 'campaign zeta done'
out_has 'next none: Campaign is done.'
ok campaign status --name zeta
out_has 'campaign zeta done'
ok campaign list --json
jeq '.campaigns[1].status' done
jeq '.campaigns[1].next_manager_action | tojson' '{"action":"none","reason":"Campaign is done."}'

section "set-status archived: next manager action is none"
ok campaign set-status --name beta --status archived
ok campaign dashboard --name beta --json
jeq '.next_manager_action | tojson' '{"action":"none","reason":"Campaign is archived."}'
jeq .summary.stale_slots 2
ok campaign list
out_is 'alpha active slots=0 stale=0 assignments=0 assets=0 next=add_worker_slots
zeta done slots=2 stale=0 assignments=3 assets=1 next=none
beta archived slots=2 stale=2 assignments=0 assets=0 next=none'

section "set-status done on a campaign without slots: none wins over add_worker_slots"
ok campaign set-status --name alpha --status done --json
jeq .previous_status active
ok campaign list --json
jeq '.campaigns[0].next_manager_action | tojson' '{"action":"none","reason":"Campaign is done."}'
ok campaign set-status --name alpha --status active

section "set-status paused or blocked: the usual rules still apply"
ok campaign set-status --name zeta --status paused
ok campaign dashboard --name zeta --json
jeq .next_manager_action.action monitor_workers
ok campaign set-status --name beta --status blocked
ok campaign dashboard --name beta --json
jeq .next_manager_action.action wake_or_rotate_workers
ok campaign set-status --name alpha --status paused
ok campaign dashboard --name alpha --json
jeq .next_manager_action.action add_worker_slots

# ---------------------------------------------------------------------------------------------------------------
section "update-assignment: fixture"
export CONVEYOR_NOW=$T0
ok campaign create --name work --objective 'Work' --json
WID=$(val .campaign_id)
ok campaign add-slot --name work --slot-key w1 --role-label x --thread-id thr_w1 --state active --json
WS1=$(val .slot_id)
ok campaign assign --name work --slot w1 --title 'Teaser cut' --instructions 'Three cuts' --metadata-json '{"k":"v0"}' --json
WA=$(val .assignment_id)
dbeq "select status, created_at, updated_at, completed_at is null from campaign_assignments where id = '$WA'" "queued|$T0|$T0|1"

section "update-assignment queued -> active: JSON output and row"
export CONVEYOR_NOW=$T1
ok campaign update-assignment --name work --assignment "$WA" --status active --json
jeq 'keys | join(",")' 'action,assignment,campaign,previous_status,updated'
jeq .action update-assignment
jeq .campaign work
jeq .previous_status queued
jeq .updated true
jeq '.assignment | keys | join(",")' "$ASSIGNMENT_KEYS"
jeq .assignment.id "$WA"
jeq .assignment.campaign_id "$WID"
jeq .assignment.slot_id "$WS1"
jeq .assignment.status active
jeq .assignment.title 'Teaser cut'
jeq .assignment.instructions 'Three cuts'
jeq '.assignment.metadata | tojson' '{"k":"v0"}'
jeq .assignment.created_at "$T0"
jeq .assignment.updated_at "$T1"
jeq .assignment.completed_at null
dbeq "select status, created_at, updated_at, completed_at is null, metadata_json from campaign_assignments where id = '$WA'" "active|$T0|$T1|1|{\"k\":\"v0\"}"

section "update-assignment -> done sets completed_at"
export CONVEYOR_NOW=$T2
ok campaign update-assignment --name work --assignment "$WA" --status done --json
jeq .previous_status active
jeq .assignment.status done
jeq .assignment.completed_at "$T2"
jeq .assignment.updated_at "$T2"
dbeq "select status, updated_at, completed_at from campaign_assignments where id = '$WA'" "done|$T2|$T2"

section "update-assignment done -> done keeps completed_at"
export CONVEYOR_NOW=$T3
ok campaign update-assignment --name work --assignment "$WA" --status done
out_is "campaign work assignment $WA done -> done"
dbeq "select status, updated_at, completed_at from campaign_assignments where id = '$WA'" "done|$T3|$T2"

section "update-assignment leaving done clears completed_at; the dashboard follows"
export CONVEYOR_NOW=$T4
ok campaign update-assignment --name work --assignment "$WA" --status blocked
out_is "campaign work assignment $WA done -> blocked"
dbeq "select status, updated_at, completed_at is null from campaign_assignments where id = '$WA'" "blocked|$T4|1"
ok campaign dashboard --name work --json
jeq '.blockers | tojson' '["assignment Teaser cut is blocked"]'
jeq .summary.blocked_assignments 1
jeq .next_manager_action.action resolve_assignment_blockers
jeq '.slots[0].assignments[0].status' blocked
jeq '.slots[0].assignments[0].updated_at' "$T4"
ok campaign dashboard --name work
out_has 'blocker assignment Teaser cut is blocked'
out_has 'next resolve_assignment_blockers: One or more assignments are blocked.'

section "update-assignment --metadata-json replaces; omitted keeps"
export CONVEYOR_NOW=$T5
ok campaign update-assignment --name work --assignment "$WA" --status cancelled --metadata-json '{"reason":"dropped"}' --json
jeq '.assignment.metadata | tojson' '{"reason":"dropped"}'
dbeq "select status, metadata_json from campaign_assignments where id = '$WA'" 'cancelled|{"reason":"dropped"}'
ok campaign update-assignment --name work --assignment "$WA" --status queued --json
jeq '.assignment.metadata | tojson' '{"reason":"dropped"}'
dbeq "select status, metadata_json, completed_at is null from campaign_assignments where id = '$WA'" 'queued|{"reason":"dropped"}|1'
ok campaign dashboard --name work --json
jeq .next_manager_action.action monitor_workers

section "update-assignment: an assignment created done keeps its completed_at"
export CONVEYOR_NOW=$T0
ok campaign assign --name work --slot w1 --title 'Born done' --instructions i --status done --json
WD=$(val .assignment_id)
dbeq "select completed_at from campaign_assignments where id = '$WD'" "$T0"
export CONVEYOR_NOW=$T5
ok campaign update-assignment --name work --assignment "$WD" --status done --json
jeq .previous_status done
jeq .assignment.completed_at "$T0"
jeq .assignment.updated_at "$T5"
dbeq "select completed_at, updated_at from campaign_assignments where id = '$WD'" "$T0|$T5"

section "update-assignment: errors write nothing"
ok campaign create --name work2 --objective 'Other work' --json
ok campaign add-slot --name work2 --slot-key v1 --role-label x --thread-id thr_v1 --state active
ok campaign assign --name work2 --slot v1 --title 'Foreign' --instructions i --json
FA=$(val .assignment_id)
d=$(db_digest)
fails 2 '--status must be one of: active, blocked, cancelled, done, queued' campaign update-assignment --name work --assignment "$WA" --status finished
fails 2 'campaign requires --assignment' campaign update-assignment --name work --status done
fails 2 'campaign requires --status' campaign update-assignment --name work --assignment "$WA"
fails 2 'unknown campaign assignment: nope' campaign update-assignment --name work --assignment nope --status done
fails 2 "assignment does not belong to campaign $WID" campaign update-assignment --name work --assignment "$FA" --status done
fails 2 'unknown campaign: nope' campaign update-assignment --name nope --assignment "$WA" --status done
fails 2 '--metadata-json must be a JSON object' campaign update-assignment --name work --assignment "$WA" --status done --metadata-json '[1]'
cv campaign update-assignment --name work --assignment "$WA" --status done --metadata-json '{bad' --path "$DB"
rc_is 2
if grep -q '^--metadata-json must be valid JSON: ' "$ERR"; then
	good "stderr says --metadata-json must be valid JSON"
else
	bad "stderr says --metadata-json must be valid JSON"
fi
same_db "$d"

# ---------------------------------------------------------------------------------------------------------------
section "review: fixture"
export CONVEYOR_NOW=$T0
ok campaign create --name rev --objective 'Review' --json
RID=$(val .campaign_id)
ok campaign add-slot --name rev --slot-key r1 --role-label x --channel tiktok --thread-id thr_r1 --state active --json
RS1=$(val .slot_id)
ok campaign assign --name rev --slot r1 --title 'Poster work' --instructions i --json
RA=$(val .assignment_id)
ok campaign asset --name rev --slot r1 --assignment "$RA" --title 'Poster v1' --asset-type image --status needs_review \
	--review-notes 'first notes' --artifact-path renders/poster.png --json
RX=$(val .asset_receipt_id)
dbeq "select status, review_notes, reviewed_at is null, reviewer is null from campaign_asset_receipts where id = '$RX'" 'needs_review|first notes|1|1'

section "review: asset records carry reviewed_at and reviewer (null until reviewed)"
ok campaign dashboard --name rev --json
jeq '.slots[0].assets[0] | keys | join(",")' "$ASSET_KEYS"
jeq '.slots[0].assets[0].reviewed_at' null
jeq '.slots[0].assets[0].reviewer' null
jeq .next_manager_action.action review_assets
ok campaign update-assignment --name rev --assignment "$RA" --status done
ok campaign dashboard --name rev --json
jeq .next_manager_action.action review_assets
jeq .next_manager_action.reason 'Assets need review or rejection follow-up.'
jeq .approvals.needs_review 1

section "review needs_review -> approved: JSON output and row"
export CONVEYOR_NOW=$T1
ok campaign review --name rev --asset "$RX" --status approved --reviewer dana --json
jeq 'keys | join(",")' 'action,asset,campaign,previous_status,updated'
jeq .action review
jeq .campaign rev
jeq .previous_status needs_review
jeq .updated true
jeq '.asset | keys | join(",")' "$ASSET_KEYS"
jeq .asset.id "$RX"
jeq .asset.status approved
jeq .asset.reviewed_at "$T1"
jeq .asset.reviewer dana
jeq .asset.review_notes 'first notes'
jeq .asset.created_at "$T0"
jeq .asset.title 'Poster v1'
jeq .asset.artifact_path renders/poster.png
jeq .asset.assignment_id "$RA"
jeq .asset.slot_id "$RS1"
jeq .asset.campaign_id "$RID"
jeq .asset.channel tiktok
jeq '.asset.metadata | tojson' '{}'
dbeq "select status, reviewed_at, reviewer, review_notes, created_at from campaign_asset_receipts where id = '$RX'" "approved|$T1|dana|first notes|$T0"

section "review approved: dashboard moves from review_assets to close_campaign"
ok campaign dashboard --name rev --json
jeq .approvals.approved 1
jeq .approvals.needs_review 0
jeq .asset_counts.approved 1
jeq '.blockers | tojson' '[]'
jeq '.next_manager_action | tojson' '{"action":"close_campaign","reason":"No active work remains and approved/published assets exist."}'
jeq '.slots[0].assets[0].reviewer' dana
jeq '.slots[0].assets[0].reviewed_at' "$T1"
ok campaign dashboard --name rev
out_has 'next close_campaign: No active work remains and approved/published assets exist.'
out_has 'approvals needs_review=0 approved=1 rejected=0 published=0'
ok campaign list
out_has 'rev active slots=1 stale=0 assignments=1 assets=1 next=close_campaign'

section "review approved with work still queued: monitor_workers"
ok campaign assign --name rev --slot r1 --title 'More work' --instructions i --json
RB=$(val .assignment_id)
ok campaign dashboard --name rev --json
jeq .next_manager_action.action monitor_workers
ok campaign update-assignment --name rev --assignment "$RB" --status done
ok campaign dashboard --name rev --json
jeq .next_manager_action.action close_campaign

section "review -> rejected: text output, notes replaced, reviewer kept, blocker added"
export CONVEYOR_NOW=$T2
ok campaign review --name rev --asset "$RX" --status rejected --review-notes 'needs a new hook'
out_is "campaign rev asset $RX approved -> rejected"
dbeq "select status, reviewed_at, reviewer, review_notes from campaign_asset_receipts where id = '$RX'" "rejected|$T2|dana|needs a new hook"
ok campaign dashboard --name rev --json
jeq '.blockers | tojson' '["asset Poster v1 is rejected"]'
jeq '.slots[0].blockers | tojson' '["asset Poster v1 is rejected"]'
jeq .approvals.rejected 1
jeq .approvals.approved 0
jeq .next_manager_action.action review_assets
ok campaign dashboard --name rev
out_has 'blockers 1'
out_has 'blocker asset Poster v1 is rejected'
out_has 'next review_assets: Assets need review or rejection follow-up.'

section "review -> published with a new reviewer"
export CONVEYOR_NOW=$T3
ok campaign review --name rev --asset "$RX" --status published --reviewer eli --json
jeq .previous_status rejected
jeq .asset.reviewer eli
jeq .asset.review_notes 'needs a new hook'
dbeq "select status, reviewed_at, reviewer from campaign_asset_receipts where id = '$RX'" "published|$T3|eli"
ok campaign dashboard --name rev --json
jeq .approvals.published 1
jeq '.blockers | tojson' '[]'
jeq .next_manager_action.action close_campaign

section "review -> needs_review sends the campaign back to review_assets"
export CONVEYOR_NOW=$T4
ok campaign review --name rev --asset "$RX" --status needs_review
out_is "campaign rev asset $RX published -> needs_review"
dbeq "select status, reviewed_at, reviewer from campaign_asset_receipts where id = '$RX'" "needs_review|$T4|eli"
ok campaign dashboard --name rev --json
jeq .next_manager_action.action review_assets
ok campaign status --name rev
out_has 'assets approved=0 draft=0 needs_review=1 published=0 rejected=0'

section "review: errors write nothing"
ok campaign asset --name work2 --slot v1 --title 'Foreign asset' --asset-type copy --json
FX=$(val .asset_receipt_id)
d=$(db_digest)
fails 2 '--status must be one of: approved, needs_review, published, rejected' campaign review --name rev --asset "$RX" --status draft
fails 2 '--status must be one of: approved, needs_review, published, rejected' campaign review --name rev --asset "$RX" --status ok
fails 2 'campaign requires --asset' campaign review --name rev --status approved
fails 2 'campaign requires --status' campaign review --name rev --asset "$RX"
fails 2 'unknown campaign asset receipt: nope' campaign review --name rev --asset nope --status approved
fails 2 "asset receipt does not belong to campaign $RID" campaign review --name rev --asset "$FX" --status approved
fails 2 'unknown campaign: nope' campaign review --name nope --asset "$RX" --status approved
same_db "$d"

section "set-status, update-assignment and review write one event each"
n=$(dbq "select count(*) from events")
ok campaign set-status --name rev --status paused
ok campaign update-assignment --name rev --assignment "$RA" --status active
ok campaign review --name rev --asset "$RX" --status approved
dbeq "select count(*) from events" $((n + 3))
dbeq "select group_concat(type, ',') from (select type from events order by id desc limit 3)" 'campaign_review,campaign_update_assignment,campaign_set_status'

finish
