#!/usr/bin/env bash
# Every campaign error of SPEC 2.1 (as changed by docs/campaigns.md): exact message on stderr, exit 2, nothing
# on stdout (no JSON envelope even with --json), database unchanged; and failing validation never creates the
# database file.
. "$(dirname "$0")/lib.sh"

# refuse MESSAGE ARGS...: conveyor ARGS --path $DB fails with exit 2 and exactly MESSAGE, writing nothing.
refuse() {
	local d msg=$1
	shift
	d=$(db_digest)
	fails 2 "$msg" "$@"
	same_db "$d"
}

# refuse_raw MESSAGE ARGS...: like refuse, but ARGS are passed as they are (no --path appended).
refuse_raw() {
	local d msg=$1
	shift
	d=$(db_digest)
	cv "$@"
	if [ "$RC" -eq 2 ] && [ ! -s "$OUT" ] && [ "$(cat "$ERR")" = "$msg" ] && [ "$(wc -l <"$ERR")" -eq 1 ]; then
		good "conveyor $*: exit 2, stderr '$msg'"
	else
		bad "conveyor $*: exit 2, stderr '$msg'" "exit $RC"
	fi
	same_db "$d"
}

# refuse_prefix PREFIX ARGS...: fails with exit 2, one stderr line starting with PREFIX followed by a detail.
refuse_prefix() {
	local d prefix=$1 msg
	shift
	d=$(db_digest)
	cv "$@" --path "$DB"
	msg=$(cat "$ERR")
	if [ "$RC" -eq 2 ] && [ ! -s "$OUT" ] && [ "${msg#"$prefix"}" != "$msg" ] && [ -n "${msg#"$prefix"}" ] &&
		[ "$(wc -l <"$ERR")" -eq 1 ]; then
		good "conveyor $*: exit 2, stderr '$prefix' and a detail"
	else
		bad "conveyor $*: exit 2, stderr '$prefix' and a detail" "exit $RC"
	fi
	same_db "$d"
}

ACTIONS='create, add-slot, attach-slot, rotate-slot, archive-slot, brief, assign, asset, status, dashboard, list, set-status, update-assignment, review'

# ---------------------------------------------------------------------------------------------------------
# Fixture: campaigns a and b; a worker and a manager session; in a: slot k (thread thr1, worker session),
# slot k2 (no thread), slot k3 (archived, thread thr3); in b: slot k; one assignment per campaign; one asset
# receipt in b.
section "fixture"
ok campaign create --name a --objective 'Campaign A' --json
A=$(val .campaign_id)
ok campaign create --name b --objective 'Campaign B' --json
B=$(val .campaign_id)
W=session-0b7e3c3a-5a1e-4f0e-9d43-4f3f2f6f0a01
M=session-0b7e3c3a-5a1e-4f0e-9d43-4f3f2f6f0a02
dbq "insert into sessions(id, name, role, identity_token, cwd, registered_at, state, last_heartbeat_at, pid) values
	('$W', 'w1', 'worker', 'session-token-w1', '$T', '$CONVEYOR_NOW', 'active', '$CONVEYOR_NOW', 11),
	('$M', 'm1', 'manager', 'session-token-m1', '$T', '$CONVEYOR_NOW', 'active', '$CONVEYOR_NOW', 12)"
ok campaign add-slot --name a --slot-key k --role-label r --session-id "$W" --thread-id thr1 --state active --json
SA=$(val .slot_id)
ok campaign add-slot --name a --slot-key k2 --role-label r --json
SA2=$(val .slot_id)
ok campaign add-slot --name a --slot-key k3 --role-label r --thread-id thr3 --state archived --json
SA3=$(val .slot_id)
ok campaign add-slot --name b --slot-key k --role-label r --json
SB=$(val .slot_id)
ok campaign assign --name a --slot "$SA" --title t --instructions i --json
AA=$(val .assignment_id)
ok campaign assign --name b --slot "$SB" --title t --instructions i --json
AB=$(val .assignment_id)
ok campaign asset --name b --slot "$SB" --title t --asset-type copy --json
XB=$(val .asset_receipt_id)
dbeq "select count(*) from campaign_worker_slots" 4

# ---------------------------------------------------------------------------------------------------------
section "unknown command"
refuse 'unknown command: bogus' bogus
refuse 'unknown command: bogus' bogus --json
refuse 'unknown command: campaigns' campaigns status --name a

section "unsupported action"
refuse 'Unsupported campaign action: bogus' campaign bogus --name a
refuse 'Unsupported campaign action: bogus' campaign bogus --name a --json
refuse 'Unsupported campaign action: Status' campaign Status --name a
refuse 'Unsupported campaign action: bogus' campaign bogus x --name a
refuse 'Unsupported campaign action: bogus' campaign bogus

section "extra positional"
refuse 'Unexpected argument: x' campaign status x --name a
refuse 'Unexpected argument: x' campaign status --name a x
refuse 'Unexpected argument: x' campaign create --name c x --objective o --json
refuse 'Unexpected argument: x' campaign status x y --name a
refuse 'Unexpected argument: x' campaign status x
refuse 'Unexpected argument: x' campaign status x --name a --name b

section "missing action (lists all fourteen actions)"
refuse "campaign requires an action: $ACTIONS" campaign --name a
refuse "campaign requires an action: $ACTIONS" campaign
refuse "campaign requires an action: $ACTIONS" campaign --name a --json --objective o

section "the requires-an-action message lists all fourteen actions"
cv campaign --path "$DB"
rc_is 2
if [ ! -s "$OUT" ] && [ "$(wc -l <"$ERR")" -eq 1 ]; then good "one stderr line and no stdout"; else bad "one stderr line and no stdout"; fi
if grep -q '^campaign requires an action' "$ERR"; then
	good "stderr says campaign requires an action"
else
	bad "stderr says campaign requires an action"
fi
for act in create add-slot attach-slot rotate-slot archive-slot brief assign asset status dashboard list set-status update-assignment review; do
	if tr -s ' ,:' '\n' <"$ERR" | grep -qxF -- "$act"; then good "action $act is listed"; else bad "action $act is listed"; fi
done
cv campaign --name launch --path "$DB"
rc_is 2
if [ "$(wc -l <"$ERR")" -eq 1 ] && tr -s ' ,:' '\n' <"$ERR" | grep -qxF update-assignment; then
	good "the same no-action message with --name"
else
	bad "the same no-action message with --name"
fi

section "--name given 0 or 2 times"
for act in create add-slot attach-slot rotate-slot archive-slot brief assign asset status dashboard set-status update-assignment review; do
	refuse 'campaign requires exactly one --name <campaign>' campaign "$act"
done
refuse 'campaign requires exactly one --name <campaign>' campaign status --name a --name b
refuse 'campaign requires exactly one --name <campaign>' campaign status --name a --name a
refuse 'campaign requires exactly one --name <campaign>' campaign create --name c --name d --objective o --json
refuse 'campaign requires exactly one --name <campaign>' campaign create --name c --name d
refuse 'campaign list takes no --name' campaign list --name a

section "required flags: create"
refuse 'campaign requires --objective' campaign create --name c
refuse 'campaign requires --objective' campaign create --name c --metadata-json '[]' --json

section "required flags: add-slot"
refuse 'campaign requires --slot-key' campaign add-slot --name a
refuse 'campaign requires --slot-key' campaign add-slot --name a --role-label r
refuse 'campaign requires --role-label' campaign add-slot --name a --slot-key z
refuse 'campaign requires --slot-key' campaign add-slot --name nope --role-label r --state bogus

section "required flags: attach-slot"
refuse 'campaign requires --slot' campaign attach-slot --name a --session-id "$W" --thread-id x

section "required flags: rotate-slot in order"
refuse 'campaign requires --slot' campaign rotate-slot --name a
refuse 'campaign requires --slot' campaign rotate-slot --name a --expected-thread-id thr1 --thread-id t2
refuse 'campaign requires --expected-thread-id' campaign rotate-slot --name a --slot "$SA"
refuse 'campaign requires --expected-thread-id' campaign rotate-slot --name a --slot "$SA" --thread-id t2
refuse 'campaign requires --thread-id' campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1

section "required flags: archive-slot in order"
refuse 'campaign requires --slot' campaign archive-slot --name a
refuse 'campaign requires --slot' campaign archive-slot --name a --expected-thread-id thr1
refuse 'campaign requires --expected-thread-id' campaign archive-slot --name a --slot "$SA"

section "required flags: brief in order"
refuse 'campaign requires --channel' campaign brief --name a
refuse 'campaign requires --channel' campaign brief --name a --brief-json '{}'
refuse 'campaign brief requires --brief-json' campaign brief --name a --channel tiktok
refuse 'campaign brief requires --brief-json' campaign brief --name nope --channel tiktok --metadata-json '{}'

section "required flags: assign in order"
refuse 'campaign requires --slot' campaign assign --name a
refuse 'campaign requires --slot' campaign assign --name a --title t --instructions i
refuse 'campaign requires --title' campaign assign --name a --slot "$SA"
refuse 'campaign requires --title' campaign assign --name a --slot "$SA" --instructions i
refuse 'campaign requires --instructions' campaign assign --name a --slot "$SA" --title t

section "required flags: asset in order"
refuse 'campaign requires --slot' campaign asset --name a
refuse 'campaign requires --slot' campaign asset --name a --title t --asset-type video
refuse 'campaign requires --title' campaign asset --name a --slot "$SA"
refuse 'campaign requires --title' campaign asset --name a --slot "$SA" --asset-type video
refuse 'campaign requires --asset-type' campaign asset --name a --slot "$SA" --title t

section "required flags: set-status, update-assignment, review"
refuse 'campaign requires --status' campaign set-status --name a
refuse 'campaign requires --assignment' campaign update-assignment --name a
refuse 'campaign requires --assignment' campaign update-assignment --name a --status 'done'
refuse 'campaign requires --status' campaign update-assignment --name a --assignment "$AA"
refuse 'campaign requires --asset' campaign review --name b
refuse 'campaign requires --asset' campaign review --name b --status approved
refuse 'campaign requires --status' campaign review --name b --asset "$XB"

section "enum: slot state (via --state and via --status)"
STATE_MSG='--state must be one of: active, archived, blocked, idle, planned'
refuse "$STATE_MSG" campaign add-slot --name a --slot-key z --role-label r --state bogus
refuse "$STATE_MSG" campaign add-slot --name a --slot-key z --role-label r --status bogus
refuse "$STATE_MSG" campaign add-slot --name a --slot-key z --role-label r --state Active
refuse "$STATE_MSG" campaign add-slot --name a --slot-key z --role-label r --state queued --json
refuse "$STATE_MSG" campaign attach-slot --name a --slot "$SA" --state 'done'
refuse "$STATE_MSG" campaign attach-slot --name a --slot "$SA" --status 'done'
refuse "$STATE_MSG" campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1 --thread-id t2 --state bogus
refuse "$STATE_MSG" campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1 --thread-id t2 --status bogus
refuse "$STATE_MSG" campaign add-slot --name nope --slot-key z --role-label r --state bogus
refuse "$STATE_MSG" campaign add-slot --name a --slot-key z --role-label r --state active --status bogus

section "enum: assignment status (via --status and via --state)"
ASG_MSG='--status must be one of: active, blocked, cancelled, done, queued'
refuse "$ASG_MSG" campaign assign --name a --slot "$SA" --title t --instructions i --status draft
refuse "$ASG_MSG" campaign assign --name a --slot "$SA" --title t --instructions i --state draft
refuse "$ASG_MSG" campaign assign --name a --slot "$SA" --title t --instructions i --status Done --json
refuse "$ASG_MSG" campaign update-assignment --name a --assignment "$AA" --status draft
refuse "$ASG_MSG" campaign update-assignment --name a --assignment "$AA" --state draft

section "enum: asset status (via --status and via --state)"
ASSET_MSG='--status must be one of: approved, draft, needs_review, published, rejected'
refuse "$ASSET_MSG" campaign asset --name a --slot "$SA" --title t --asset-type video --status queued
refuse "$ASSET_MSG" campaign asset --name a --slot "$SA" --title t --asset-type video --state queued
refuse "$ASSET_MSG" campaign asset --name a --slot "$SA" --title t --asset-type video --status review
refuse "$ASSET_MSG" campaign asset --name a --slot "$SA" --title t --asset-type gif --status bogus
refuse '--status must be one of: approved, needs_review, published, rejected' campaign review --name b --asset "$XB" --status draft

section "enum: asset type"
TYPE_MSG='--asset-type must be one of: audio, copy, hyperframes, image, other, video'
refuse "$TYPE_MSG" campaign asset --name a --slot "$SA" --title t --asset-type gif
refuse "$TYPE_MSG" campaign asset --name a --slot "$SA" --title t --asset-type Video
refuse "$TYPE_MSG" campaign asset --name a --slot "$SA" --title t --asset-type gif --status draft --json
refuse "$TYPE_MSG" campaign asset --name nope --slot nope --title t --asset-type gif

section "enum: campaign status"
refuse '--status must be one of: active, archived, blocked, done, paused' campaign set-status --name a --status closed

section "JSON flags: not an object"
for j in '[]' '1' 'null' '"s"' 'true' '[{"a":1}]'; do
	refuse '--metadata-json must be a JSON object' campaign create --name c --objective o --metadata-json "$j"
done
refuse '--metadata-json must be a JSON object' campaign add-slot --name a --slot-key z --role-label r --metadata-json '[]'
refuse '--metadata-json must be a JSON object' campaign attach-slot --name a --slot "$SA" --metadata-json '[]'
refuse '--metadata-json must be a JSON object' campaign assign --name a --slot "$SA" --title t --instructions i --metadata-json '[]'
refuse '--metadata-json must be a JSON object' campaign asset --name a --slot "$SA" --title t --asset-type video --metadata-json 'null'
refuse '--metadata-json must be a JSON object' campaign update-assignment --name a --assignment "$AA" --status 'done' --metadata-json '1'
refuse '--metadata-json must be a JSON object' campaign assign --name nope --slot nope --title t --instructions i --metadata-json '[]'
for j in '[]' '1' 'null' '"s"'; do
	refuse '--brief-json must be a JSON object' campaign brief --name a --channel tiktok --brief-json "$j"
done
refuse '--brief-json must be a JSON object' campaign brief --name nope --channel tiktok --brief-json '[]' --json

section "JSON flags: not valid JSON (message prefix)"
for j in '{' '{a}' '{"a":1,}' "{'a':1}" '{} x' '{"a":1}}' '[' '{"a":NaN}' 'nul'; do
	refuse_prefix '--metadata-json must be valid JSON: ' campaign create --name c --objective o --metadata-json "$j"
done
refuse_prefix '--metadata-json must be valid JSON: ' campaign add-slot --name a --slot-key z --role-label r --metadata-json '{'
refuse_prefix '--metadata-json must be valid JSON: ' campaign asset --name a --slot "$SA" --title t --asset-type video --metadata-json '{'
refuse_prefix '--brief-json must be valid JSON: ' campaign brief --name a --channel tiktok --brief-json '{'
refuse_prefix '--brief-json must be valid JSON: ' campaign brief --name a --channel tiktok --brief-json '{"tone":}'
# Numbers with leading zeros are not JSON (RFC 8259; the reference's JSON.parse rejects them).
refuse_prefix '--metadata-json must be valid JSON: ' campaign create --name lz --objective o --metadata-json '{"a":01}'
refuse_prefix '--brief-json must be valid JSON: ' campaign brief --name a --channel lz --brief-json '{"n":-007}'

section "<flag> requires a value: missing at the end"
refuse_raw '--objective requires a value.' campaign create --path "$DB" --name c --objective
refuse_raw '--name requires a value.' campaign status --path "$DB" --name
refuse_raw '--metadata-json requires a value.' campaign create --path "$DB" --name c --objective o --metadata-json
refuse_raw '--stale-after requires a value.' campaign dashboard --path "$DB" --name a --stale-after
refuse_raw '--path requires a value.' campaign status --name a --path

section "<flag> requires a value: empty"
refuse '--objective requires a value.' campaign create --name c --objective ''
refuse '--name requires a value.' campaign status --name ''
refuse '--slot-key requires a value.' campaign add-slot --name a --slot-key '' --role-label r
refuse '--state requires a value.' campaign add-slot --name a --slot-key z --role-label r --state ''
refuse '--brief-json requires a value.' campaign brief --name a --channel tiktok --brief-json ''
refuse '--thread-id requires a value.' campaign attach-slot --name a --slot "$SA" --thread-id ''
refuse '--path requires a value.' campaign status --name a --path ''

section "<flag> requires a value: value starting with --"
refuse '--objective requires a value.' campaign create --name c --objective --json
refuse '--name requires a value.' campaign create --name --objective o
refuse '--title requires a value.' campaign assign --name a --slot "$SA" --title --instructions i
refuse '--slot requires a value.' campaign attach-slot --name a --slot --dry-run
refuse '--thread-id requires a value.' campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1 --thread-id --bogus

section "a value with a single leading dash is a value"
ok campaign create --name dash --objective -x --json
dbeq "select objective from campaigns where name = 'dash'" -x

section "unsupported options"
refuse 'unknown option --bogus for campaign status (see conveyor campaign status --help)' campaign status --name a --bogus
refuse 'unknown option --bogus for campaign create (see conveyor campaign create --help)' campaign create --name c --objective o --bogus x
refuse 'unknown option --bogus for campaign (see conveyor campaign --help)' campaign --bogus bogus
refuse 'unknown option --bogus for campaign create (see conveyor campaign create --help)' campaign create --bogus --name c --name d
refuse 'unknown option --Name for campaign status (see conveyor campaign status --help)' campaign status --Name a
refuse 'unknown option --db-path for campaign dashboard (see conveyor campaign dashboard --help)' campaign dashboard --name a --db-path "$DB"
refuse 'unknown option --goal for campaign create (see conveyor campaign create --help)' campaign create --name c --objective o --goal g
refuse 'unknown option --busy-wait-seconds for campaign dashboard (see conveyor campaign dashboard --help)' campaign dashboard --name a --busy-wait-seconds 5
refuse 'unknown option --include-content for campaign status (see conveyor campaign status --help)' campaign status --name a --include-content

section "--stale-after must be a non-negative integer"
for v in -1 abc 1.5 1e3 ' 5' 5s; do
	refuse '--stale-after must be a non-negative integer.' campaign dashboard --name a --stale-after "$v"
done
refuse '--stale-after must be a non-negative integer.' campaign list --stale-after -5
refuse '--stale-after must be a non-negative integer.' campaign dashboard --name nope --stale-after x
refuse '--limit must be a non-negative integer.' campaign status --name a --limit x

section "unknown campaign"
refuse 'unknown campaign: nope' campaign status --name nope
refuse 'unknown campaign: nope' campaign dashboard --name nope --json
refuse 'unknown campaign: nope' campaign add-slot --name nope --slot-key z --role-label r
refuse 'unknown campaign: nope' campaign attach-slot --name nope --slot "$SA"
refuse 'unknown campaign: nope' campaign attach-slot --name nope --slot nope
refuse 'unknown campaign: nope' campaign rotate-slot --name nope --slot "$SA" --expected-thread-id thr1 --thread-id t2
refuse 'unknown campaign: nope' campaign archive-slot --name nope --slot "$SA" --expected-thread-id thr1
refuse 'unknown campaign: nope' campaign brief --name nope --channel tiktok --brief-json '{}'
refuse 'unknown campaign: nope' campaign assign --name nope --slot "$SA" --title t --instructions i
refuse 'unknown campaign: nope' campaign asset --name nope --slot "$SA" --title t --asset-type video
refuse 'unknown campaign: nope' campaign set-status --name nope --status 'done'
refuse 'unknown campaign: nope' campaign update-assignment --name nope --assignment "$AA" --status 'done'
refuse 'unknown campaign: nope' campaign review --name nope --asset "$XB" --status approved
refuse "unknown campaign: ${A}x" campaign status --name "${A}x"

section "unknown slot"
refuse 'unknown campaign worker slot: nope' campaign attach-slot --name a --slot nope
refuse 'unknown campaign worker slot: nope' campaign rotate-slot --name a --slot nope --expected-thread-id thr1 --thread-id t2
refuse 'unknown campaign worker slot: nope' campaign archive-slot --name a --slot nope --expected-thread-id thr1
refuse 'unknown campaign worker slot: nope' campaign assign --name a --slot nope --title t --instructions i
refuse 'unknown campaign worker slot: nope' campaign asset --name a --slot nope --title t --asset-type video
refuse 'unknown campaign worker slot: nope' campaign asset --name a --slot nope --title t --asset-type video --assignment nope

section "slot of another campaign"
refuse "slot does not belong to campaign $A" campaign attach-slot --name a --slot "$SB"
refuse "slot does not belong to campaign $A" campaign rotate-slot --name a --slot "$SB" --expected-thread-id x --thread-id y
refuse "slot does not belong to campaign $A" campaign archive-slot --name a --slot "$SB" --expected-thread-id x
refuse "slot does not belong to campaign $B" campaign archive-slot --name b --slot "$SA" --expected-thread-id thr1
refuse "slot does not belong to campaign $A" campaign assign --name a --slot "$SB" --title t --instructions i
refuse "slot does not belong to campaign $A" campaign asset --name a --slot "$SB" --title t --asset-type video
refuse "slot does not belong to campaign $A" campaign asset --name "$A" --slot "$SB" --title t --asset-type video --json
refuse "slot does not belong to campaign $A" campaign asset --name a --slot "$SB" --title t --asset-type video --assignment "$AB"
refuse "slot does not belong to campaign $B" campaign attach-slot --name b --slot "$SA" --session-id "$M"

section "unknown assignment, assignment of another campaign, of another slot"
refuse 'unknown campaign assignment: nope' campaign asset --name a --slot "$SA" --title t --asset-type video --assignment nope
refuse "assignment does not belong to campaign $A" campaign asset --name a --slot "$SA" --title t --asset-type video --assignment "$AB"
refuse 'assignment does not belong to the provided campaign worker slot' campaign asset --name a --slot "$SA2" --title t --asset-type video --assignment "$AA"
refuse 'unknown campaign assignment: nope' campaign update-assignment --name a --assignment nope --status 'done'
refuse "assignment does not belong to campaign $A" campaign update-assignment --name a --assignment "$AB" --status 'done'

section "unknown asset receipt, asset receipt of another campaign"
refuse 'unknown campaign asset receipt: nope' campaign review --name b --asset nope --status approved
refuse "asset receipt does not belong to campaign $A" campaign review --name a --asset "$XB" --status approved

section "unknown session"
refuse 'unknown session: nope' campaign add-slot --name a --slot-key z --role-label r --session-id nope
refuse 'unknown session: w1' campaign add-slot --name a --slot-key z --role-label r --session-id w1
refuse 'unknown session: nope' campaign attach-slot --name a --slot "$SA2" --session-id nope
refuse 'unknown session: nope' campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1 --thread-id t2 --session-id nope

section "manager session"
refuse 'campaign worker slot requires a worker session, got manager' campaign add-slot --name a --slot-key z --role-label r --session-id "$M"
refuse 'campaign worker slot requires a worker session, got manager' campaign attach-slot --name a --slot "$SA2" --session-id "$M"
refuse 'campaign worker slot requires a worker session, got manager' campaign rotate-slot --name a --slot "$SA" --expected-thread-id thr1 --thread-id t2 --session-id "$M"

section "thread guard mismatch"
GUARD='campaign worker slot thread guard does not match'
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA" --expected-thread-id wrong --thread-id t2
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA" --expected-thread-id THR1 --thread-id t2
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA" --expected-thread-id 'thr1 ' --thread-id t2
refuse "$GUARD" campaign archive-slot --name a --slot "$SA" --expected-thread-id wrong
refuse "$GUARD" campaign archive-slot --name a --slot "$SA" --expected-thread-id thr
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA2" --expected-thread-id x --thread-id y
refuse "$GUARD" campaign archive-slot --name a --slot "$SA2" --expected-thread-id x
refuse "$GUARD" campaign archive-slot --name a --slot "$SA2" --expected-thread-id null
refuse "$GUARD" campaign archive-slot --name a --slot "$SA" --no-thread
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA" --expected-thread-id wrong --thread-id t2 --session-id "$M"

section "archive-slot: --no-thread together with --expected-thread-id is an error"
d=$(db_digest)
cv campaign archive-slot --name a --slot "$SA2" --no-thread --expected-thread-id x --path "$DB"
if [ "$RC" -eq 2 ] && [ ! -s "$OUT" ] && grep -qF -- '--no-thread' "$ERR" && grep -qF -- '--expected-thread-id' "$ERR"; then
	good "--no-thread with --expected-thread-id refused"
else
	bad "--no-thread with --expected-thread-id refused"
fi
same_db "$d"

section "archived slot needs an explicit --state"
refuse 'campaign worker slot k3 is archived; attach-slot needs an explicit --state to reactivate it' campaign attach-slot --name a --slot "$SA3" --thread-id thr4
refuse 'campaign worker slot k3 is archived; rotate-slot needs an explicit --state to reactivate it' campaign rotate-slot --name a --slot "$SA3" --expected-thread-id thr3 --thread-id thr4

section "duplicate campaign name"
refuse 'UNIQUE constraint failed: campaigns.name' campaign create --name a --objective 'again'
refuse 'UNIQUE constraint failed: campaigns.name' campaign create --name b --objective 'again' --json

section "duplicate slot key"
refuse 'UNIQUE constraint failed: campaign_worker_slots.campaign_id, campaign_worker_slots.slot_key' campaign add-slot --name a --slot-key k --role-label other
refuse 'UNIQUE constraint failed: campaign_worker_slots.campaign_id, campaign_worker_slots.slot_key' campaign add-slot --name "$B" --slot-key k --role-label other --json

section "the same slot key in another campaign is fine"
ok campaign create --name c --objective o
ok campaign add-slot --name c --slot-key k --role-label r
dbeq "select count(*) from campaign_worker_slots where slot_key = 'k'" 3

section "validation order: positional, --name, required flags, enums, JSON, domain"
refuse 'Unexpected argument: x' campaign create x
refuse 'campaign requires exactly one --name <campaign>' campaign add-slot --state bogus --metadata-json '[]'
refuse 'campaign requires --slot-key' campaign add-slot --name nope --state bogus --metadata-json '[]'
refuse "$STATE_MSG" campaign add-slot --name nope --slot-key z --role-label r --state bogus --metadata-json '[]'
refuse "$ASSET_MSG" campaign asset --name a --slot "$SA" --title t --asset-type gif --status bogus --metadata-json '{'
refuse '--metadata-json must be a JSON object' campaign add-slot --name nope --slot-key k --role-label r --session-id "$M" --metadata-json '[]'
refuse 'unknown campaign: nope' campaign attach-slot --name nope --slot nope --session-id nope
refuse "slot does not belong to campaign $A" campaign rotate-slot --name a --slot "$SB" --expected-thread-id wrong --thread-id t2 --session-id "$M"
refuse "$GUARD" campaign rotate-slot --name a --slot "$SA" --expected-thread-id wrong --thread-id t2 --session-id nope
refuse 'unknown session: nope' campaign add-slot --name a --slot-key k --role-label r --session-id nope

section "controls: flags an action does not use are ignored; --state/--status are one value, last wins"
ok campaign status --name a --objective x --slot-key y --asset-type gif --brief-json '[]' --metadata-json '{' --state bogus --limit 3 --task t
out_has 'campaign a active'
ok campaign add-slot --name a --slot-key z9 --role-label r --status bogus --state idle --json
dbeq "select state from campaign_worker_slots where slot_key = 'z9'" idle
ok campaign asset --name a --slot "$SA" --title t --asset-type video --state approved --objective x --json
dbeq "select status from campaign_asset_receipts where campaign_id = '$A'" approved

section "the fixture is intact after all the failures"
dbeq "select group_concat(name, ' ') from (select name from campaigns where name <> 'lz' order by name)" 'a b c dash'
dbeq "select count(*) from campaign_assignments" 2
dbeq "select count(*) from campaign_asset_receipts" 2
dbeq "select slot_key || ' ' || state || ' ' || ifnull(codex_app_thread_id, '-') || ' ' || ifnull(session_id, '-') from campaign_worker_slots where campaign_id = '$A' order by slot_key" \
	"k active thr1 $W
k2 planned - -
k3 archived thr3 -
z9 idle - -"

# ---------------------------------------------------------------------------------------------------------
section "failing commands never create the database (default location ./.codex-workers/workerctl.db)"
mkdir "$T/fresh" && cd "$T/fresh" || exit 1
for args in "campaign create --name c" \
	"campaign create --name c --objective o --metadata-json []" \
	"campaign add-slot --name c --slot-key k --role-label r --state bogus" \
	"campaign asset --name c --slot s --title t --asset-type gif" \
	"campaign brief --name c --channel x" \
	"campaign status --name c" \
	"campaign dashboard --name c" \
	"campaign status --name c --bogus" \
	"campaign bogus --name c" \
	"campaign --name c" \
	"campaign status x --name c" \
	"campaign status --name c --name d" \
	"campaign dashboard --name c --stale-after x" \
	"bogus"; do
	# shellcheck disable=SC2086 # word splitting is intended
	cv $args
	if [ "$RC" -eq 2 ] && [ ! -s "$OUT" ] && [ -s "$ERR" ]; then good "conveyor $args: exit 2"; else bad "conveyor $args: exit 2" "exit $RC"; fi
	if [ ! -e "$T/fresh/.codex-workers" ]; then
		good "conveyor $args creates no .codex-workers"
	else
		bad "conveyor $args creates no .codex-workers"
	fi
done
cv campaign status --name c
if [ "$(cat "$ERR")" = 'unknown campaign: c' ]; then good "status on a missing database"; else bad "status on a missing database"; fi
cv campaign create --name c --objective o --dry-run
if [ "$RC" -eq 0 ] && [ ! -e "$T/fresh/.codex-workers" ]; then
	good "--dry-run creates no .codex-workers"
else
	bad "--dry-run creates no .codex-workers"
fi

section "failing commands never create the database (--path and WORKERCTL_STATE_ROOT)"
cv campaign create --name c --path "$T/fresh/sub/x.db"
if [ "$RC" -eq 2 ] && [ ! -e "$T/fresh/sub" ]; then
	good "a failing command creates no --path directory"
else
	bad "a failing command creates no --path directory"
fi
WORKERCTL_STATE_ROOT="$T/fresh/root" cv campaign add-slot --name c --slot-key k
if [ "$RC" -eq 2 ] && [ ! -e "$T/fresh/root" ]; then
	good "a failing command creates no state root"
else
	bad "a failing command creates no state root"
fi

section "control: a successful command does create the default database"
cv campaign create --name c --objective o
if [ "$RC" -eq 0 ] && [ -f "$T/fresh/.codex-workers/workerctl.db" ]; then
	good "create makes ./.codex-workers/workerctl.db"
else
	bad "create makes ./.codex-workers/workerctl.db"
fi
WORKERCTL_STATE_ROOT="$T/fresh/root" cv campaign create --name c --objective o
if [ "$RC" -eq 0 ] && [ -f "$T/fresh/root/workerctl.db" ]; then
	good "create honours WORKERCTL_STATE_ROOT"
else
	bad "create honours WORKERCTL_STATE_ROOT"
fi
cd "$T" || exit 1

finish
