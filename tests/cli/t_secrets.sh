#!/usr/bin/env bash
# Receipts never hold secrets (docs/campaigns.md): every scanned flag refuses JWTs, private key blocks, API tokens,
# Bearer tokens and archive/app-package paths with exit 2, writes nothing and never echoes the value;
# --human-approved lets the value through and records the approval in the receipt's metadata.
# The fake secrets are assembled from pieces so that this file holds no literal token.
. "$(dirname "$0")/lib.sh"

T1=2026-01-01T06:00:00.000Z

# rep CHAR N: CHAR repeated N times.
rep() { printf "%${2}s" '' | tr ' ' "$1"; }

GH="gh""p_$(rep A 36)"
GHPAT="github""_pat_$(rep B 30)"
JWT="ey""J$(rep a 12).ey""J$(rep b 16).$(rep c 20)"
PK_BODY="MIIB$(rep K 40)"
PK_JSON="-----BEGIN ""RSA PRIVATE KEY-----\\n${PK_BODY}\\n-----END ""RSA PRIVATE KEY-----"
OPENAI="s""k-proj$(rep x 28)"
SLACK="xo""xb-$(rep 1 12)-$(rep 2 12)-$(rep z 16)"
AWS="AK""IA$(rep Q 16)"
AWS_STS="AS""IA$(rep R 16)"
GOOGLE="AI""za$(rep g 35)"
BEARER="Bear""er $(rep t 32)"
BEARER_TOKEN="$(rep t 32)"

# msg FLAG KIND: the documented refusal message.
msg() { echo "$1 contains what looks like $2; receipts never hold secrets, keys or archives unless a human approved them (--human-approved)"; }

# events_n: the number of audit events.
events_n() { dbq "select count(*) from events"; }

# refused FLAG KIND SECRET ARGS...: conveyor ARGS exits 2 with the refusal for FLAG/KIND, does not echo SECRET,
# and leaves the database (and the events table) untouched.
refused() {
	local flag=$1 kind=$2 secret=$3 d n
	shift 3
	d=$(db_digest)
	n=$(events_n)
	fails 2 "$(msg "$flag" "$kind")" "$@"
	if grep -qF -- "$secret" "$ERR" "$OUT"; then bad "the secret is not echoed: conveyor $*"; else good "the secret is not echoed: conveyor $*"; fi
	same_db "$d"
	dbeq "select count(*) from events" "$n"
}

# approval_is TABLE ID FINDINGS_JSON: the row's metadata holds human_approval {approved_at: now, findings}.
approval_is() {
	dbeq "select json_extract(metadata_json, '\$.human_approval') from $1 where id = '$2'" \
		"{\"approved_at\":\"$CONVEYOR_NOW\",\"findings\":$3}"
}

# no_approval TABLE ID: the row's metadata has no human_approval.
no_approval() { dbeq "select json_type(metadata_json, '\$.human_approval') is null from $1 where id = '$2'" 1; }

# last_event_is TYPE HUMAN_APPROVED: the newest event's type and payload human_approved flag (1 or 0).
last_event_is() {
	dbeq "select type || ' ' || json_extract(payload_json, '\$.human_approved') from events order by id desc limit 1" "$1 $2"
}

# no_file PATH: PATH does not exist.
no_file() { if [ -e "$1" ]; then bad "no file $1"; else good "no file $1"; fi; }

# ---------------------------------------------------------------------------------------------------------------
section "setup"
ok campaign create --name launch --objective 'Launch week' --json
CID=$(val .campaign_id)
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok --thread-id thr_1 --state active --json
SID=$(val .slot_id)
ok campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three cuts' --json
AID=$(val .assignment_id)
ok campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review --json
XID=$(val .asset_receipt_id)
# Sanity: none of the fake secrets came out empty or cut short (the refusals below prove the guard catches them).
for s in "$GH" "$GHPAT" "$JWT" "$PK_BODY" "$OPENAI" "$SLACK" "$AWS" "$AWS_STS" "$GOOGLE" "$BEARER"; do
	if [ ${#s} -ge 20 ]; then good "a fake secret of 20 characters or more"; else bad "a fake secret of 20 characters or more" "${#s} characters"; fi
done

section "GitHub token in assign --instructions"
refused --instructions 'a GitHub token' "$GH" campaign assign --name launch --slot tiktok --title 'Deploy notes' --instructions "use $GH to push"

section "GitHub fine-grained token in assign --title"
refused --title 'a GitHub token' "$GHPAT" campaign assign --name launch --slot tiktok --title "$GHPAT" --instructions i

section "JWT nested in an object in assign --metadata-json"
refused --metadata-json 'a JWT' "$JWT" campaign assign --name launch --slot tiktok --title t --instructions i \
	--metadata-json "{\"brief\":{\"auth\":{\"session\":\"$JWT\"}},\"n\":1}"

section "JWT inside an array in asset --metadata-json"
refused --metadata-json 'a JWT' "$JWT" campaign asset --name launch --slot tiktok --title t --asset-type copy \
	--metadata-json "{\"headers\":[\"x\",{\"cookie\":\"$JWT\"}]}"

section "secret as a JSON key in --metadata-json"
refused --metadata-json 'a GitHub token' "$GH" campaign assign --name launch --slot tiktok --title t --instructions i \
	--metadata-json "{\"$GH\":true}"

section "private key block in brief --brief-json"
refused --brief-json 'a private key block' "$PK_BODY" campaign brief --name launch --channel tiktok \
	--brief-json "{\"deploy\":{\"key\":\"$PK_JSON\"}}"

section "Bearer token in asset --review-notes"
refused --review-notes 'a Bearer token' "$BEARER_TOKEN" campaign asset --name launch --slot tiktok --title t --asset-type copy \
	--review-notes "curl -H 'Authorization: $BEARER'"

section "Bearer token in review --review-notes"
refused --review-notes 'a Bearer token' "$BEARER_TOKEN" campaign review --name launch --asset "$XID" --status approved \
	--review-notes "retry with $BEARER"

section "Slack token in review --reviewer"
refused --reviewer 'a Slack token' "$SLACK" campaign review --name launch --asset "$XID" --status approved --reviewer "$SLACK"

section "Slack token in asset --prompt-summary"
refused --prompt-summary 'a Slack token' "$SLACK" campaign asset --name launch --slot tiktok --title t --asset-type copy \
	--prompt-summary "posted via $SLACK"

section "Slack tokens of every xox?- prefix (client xoxc-, refresh xoxe-)"
for pre in a b p o s r c e; do
	tok="xo""x$pre-1-$(rep 7 12)-$(rep k 20)"
	refused --instructions 'a Slack token' "$tok" campaign assign --name launch --slot tiktok --title t --instructions "token $tok"
done

section "AWS access key id in asset --prompt-summary"
refused --prompt-summary 'an AWS access key id' "$AWS" campaign asset --name launch --slot tiktok --title t --asset-type image \
	--prompt-summary "render with key $AWS please"

section "AWS temporary key id in asset --title"
refused --title 'an AWS access key id' "$AWS_STS" campaign asset --name launch --slot tiktok --title "$AWS_STS" --asset-type image

section "Google API key in asset --title"
refused --title 'a Google API key' "$GOOGLE" campaign asset --name launch --slot tiktok --title "maps $GOOGLE" --asset-type image

section "OpenAI key in update-assignment --metadata-json"
refused --metadata-json 'an OpenAI API key' "$OPENAI" campaign update-assignment --name launch --assignment "$AID" --status done \
	--metadata-json "{\"env\":{\"OPENAI_API_KEY\":\"$OPENAI\"}}"

section "secrets in --metadata-json of create, add-slot and attach-slot"
refused --metadata-json 'a Slack token' "$SLACK" campaign create --name leaky --objective o --metadata-json "{\"hook\":\"$SLACK\"}"
refused --metadata-json 'a Google API key' "$GOOGLE" campaign add-slot --name launch --slot-key leaky --role-label x \
	--metadata-json "{\"maps\":\"$GOOGLE\"}"
refused --metadata-json 'an AWS access key id' "$AWS" campaign attach-slot --name launch --slot tiktok --state active \
	--metadata-json "{\"aws\":\"$AWS\"}"

section "archive and app-package artifact paths"
refused --artifact-path 'an archive or app package path' build/app.ipa \
	campaign asset --name launch --slot tiktok --title 'iOS build' --asset-type other --artifact-path build/app.ipa
for ext in zip tar tgz gz bz2 xz 7z rar ipa apk aab; do
	refused --artifact-path 'an archive or app package path' "out/bundle.$ext" \
		campaign asset --name launch --slot tiktok --title "bundle $ext" --asset-type other --artifact-path "out/bundle.$ext"
done
refused --artifact-path 'an archive or app package path' dist/site.tar.gz \
	campaign asset --name launch --slot tiktok --title site --asset-type other --artifact-path dist/site.tar.gz

section "archive paths under path/file keys of --metadata-json"
refused --metadata-json 'an archive or app package path' out/site.zip campaign asset --name launch --slot tiktok --title t \
	--asset-type other --metadata-json '{"artifact_path":"out/site.zip"}'
refused --metadata-json 'an archive or app package path' bundle.7z campaign assign --name launch --slot tiktok --title t \
	--instructions i --metadata-json '{"files":["notes.txt","bundle.7z"]}'

section "refusal comes before domain checks and creates no database"
refused --instructions 'a GitHub token' "$GH" campaign assign --name nope --slot nope --title t --instructions "$GH"
FRESH="$T/fresh/state/workerctl.db"
cv campaign assign --name x --slot y --title t --instructions "$GH" --path "$FRESH"
rc_is 2
if [ "$(cat "$ERR")" = "$(msg --instructions 'a GitHub token')" ]; then good "the --instructions refusal"; else bad "the --instructions refusal"; fi
cv campaign brief --name x --channel c --brief-json "{\"k\":\"$PK_JSON\"}" --dry-run --path "$FRESH"
rc_is 2
if [ "$(cat "$ERR")" = "$(msg --brief-json 'a private key block')" ]; then good "the --brief-json refusal"; else bad "the --brief-json refusal"; fi
no_file "$FRESH"

section "refusal under --dry-run too"
refused --artifact-path 'an archive or app package path' build/app.apk campaign asset --name launch --slot tiktok --title t \
	--asset-type other --artifact-path build/app.apk --dry-run

section "enum validation still comes before the guard"
d=$(db_digest)
fails 2 '--status must be one of: active, blocked, cancelled, done, queued' \
	campaign assign --name launch --slot tiktok --title t --instructions "$GH" --status bogus
same_db "$d"

# ---------------------------------------------------------------------------------------------------------------
export CONVEYOR_NOW=$T1

section "approved: GitHub token in assign --instructions"
ok campaign assign --name launch --slot tiktok --title 'Deploy notes' --instructions "use $GH to push" --human-approved --json
jeq .created true
A1=$(val .assignment_id)
jeq .slot_id "$SID"
dbeq "select instructions, campaign_id from campaign_assignments where id = '$A1'" "use $GH to push|$CID"
approval_is campaign_assignments "$A1" '[{"flag":"--instructions","kind":"a GitHub token"}]'
last_event_is campaign_assign 1
dbeq "select instr(payload_json, '$GH') from events order by id desc limit 1" 0

section "approved: nested JWT in assign --metadata-json keeps the metadata"
ok campaign assign --name launch --slot tiktok --title t --instructions i --human-approved --json \
	--metadata-json "{\"brief\":{\"auth\":{\"session\":\"$JWT\"}},\"n\":1}"
A2=$(val .assignment_id)
dbeq "select json_extract(metadata_json, '\$.brief.auth.session'), json_extract(metadata_json, '\$.n') from campaign_assignments where id = '$A2'" "$JWT|1"
approval_is campaign_assignments "$A2" '[{"flag":"--metadata-json","kind":"a JWT"}]'

section "approved: several findings are all recorded"
ok campaign assign --name launch --slot tiktok --title "$AWS" --instructions "$GH" --metadata-json "{\"t\":\"$JWT\"}" --human-approved --json
A3=$(val .assignment_id)
got=$(dbq "select json_extract(metadata_json, '\$.human_approval') from campaign_assignments where id = '$A3'" | jq -c '.findings | sort_by(.flag)')
if [ "$got" = '[{"flag":"--instructions","kind":"a GitHub token"},{"flag":"--metadata-json","kind":"a JWT"},{"flag":"--title","kind":"an AWS access key id"}]' ]; then
	good "the assignment's three findings"
else
	bad "the assignment's three findings" "got $got"
fi
dbeq "select json_extract(metadata_json, '\$.human_approval.approved_at'), json_extract(metadata_json, '\$.t') from campaign_assignments where id = '$A3'" "$T1|$JWT"

section "approved: private key block in brief (approval in the campaign_brief event)"
ok campaign brief --name launch --channel tiktok --brief-json "{\"deploy\":{\"key\":\"$PK_JSON\"}}" --human-approved --json
BID=$(val .brief_id)
jeq .upserted true
dbeq "select instr(brief_json, '$PK_BODY') > 0, json_type(brief_json, '\$.human_approval') is null from campaign_channel_briefs where id = '$BID'" '1|1'
dbeq "select type from events order by id desc limit 1" campaign_brief
dbeq "select json_extract(payload_json, '\$.brief_id') from events order by id desc limit 1" "$BID"
dbeq "select json_extract(payload_json, '\$.human_approval') from events order by id desc limit 1" \
	"{\"approved_at\":\"$T1\",\"findings\":[{\"flag\":\"--brief-json\",\"kind\":\"a private key block\"}]}"
dbeq "select instr(payload_json, '$PK_BODY') from events order by id desc limit 1" 0

section "approved: app package artifact path in asset"
ok campaign asset --name launch --slot tiktok --title 'iOS build' --asset-type other --artifact-path build/app.ipa --human-approved --json
X1=$(val .asset_receipt_id)
dbeq "select artifact_path from campaign_asset_receipts where id = '$X1'" build/app.ipa
approval_is campaign_asset_receipts "$X1" '[{"flag":"--artifact-path","kind":"an archive or app package path"}]'
last_event_is campaign_asset 1

section "approved: AWS key in --prompt-summary and Bearer token in --review-notes of asset"
ok campaign asset --name launch --slot tiktok --title t --asset-type image --prompt-summary "render with key $AWS please" \
	--review-notes "retry with $BEARER" --metadata-json '{"x":1}' --human-approved --json
X2=$(val .asset_receipt_id)
dbeq "select prompt_summary, review_notes, json_extract(metadata_json, '\$.x') from campaign_asset_receipts where id = '$X2'" \
	"render with key $AWS please|retry with $BEARER|1"
got=$(dbq "select json_extract(metadata_json, '\$.human_approval.findings') from campaign_asset_receipts where id = '$X2'" | jq -c 'sort_by(.flag)')
if [ "$got" = '[{"flag":"--prompt-summary","kind":"an AWS access key id"},{"flag":"--review-notes","kind":"a Bearer token"}]' ]; then
	good "the asset receipt's two findings"
else
	bad "the asset receipt's two findings" "got $got"
fi

section "approved: Google key in asset --title"
ok campaign asset --name launch --slot tiktok --title "maps $GOOGLE" --asset-type image --human-approved --json
X3=$(val .asset_receipt_id)
approval_is campaign_asset_receipts "$X3" '[{"flag":"--title","kind":"a Google API key"}]'

section "approved: review records the approval in the asset's metadata"
ok campaign review --name launch --asset "$XID" --status approved --reviewer "$SLACK" --human-approved --json
jeq .asset.reviewer "$SLACK"
jeq .asset.metadata.human_approval.approved_at "$T1"
jeq '.asset.metadata.human_approval.findings | tojson' '[{"flag":"--reviewer","kind":"a Slack token"}]'
dbeq "select status, reviewer from campaign_asset_receipts where id = '$XID'" "approved|$SLACK"
approval_is campaign_asset_receipts "$XID" '[{"flag":"--reviewer","kind":"a Slack token"}]'
dbeq "select type from events order by id desc limit 1" campaign_review
ok campaign review --name launch --asset "$X2" --status rejected --review-notes "retry with $BEARER" --human-approved
dbeq "select json_extract(metadata_json, '\$.x'), json_extract(metadata_json, '\$.human_approval.approved_at') from campaign_asset_receipts where id = '$X2'" "1|$T1"
dbeq "select count(*) from campaign_asset_receipts r, json_each(r.metadata_json, '\$.human_approval.findings') f
      where r.id = '$X2' and json_extract(f.value, '\$.flag') = '--review-notes' and json_extract(f.value, '\$.kind') = 'a Bearer token'" 1
dbeq "select review_notes, status from campaign_asset_receipts where id = '$X2'" "retry with $BEARER|rejected"

section "approved: OpenAI key in update-assignment --metadata-json"
ok campaign update-assignment --name launch --assignment "$AID" --status done --metadata-json "{\"env\":{\"OPENAI_API_KEY\":\"$OPENAI\"}}" --human-approved --json
jeq .assignment.metadata.env.OPENAI_API_KEY "$OPENAI"
approval_is campaign_assignments "$AID" '[{"flag":"--metadata-json","kind":"an OpenAI API key"}]'
dbeq "select status from campaign_assignments where id = '$AID'" done

section "approved: --metadata-json of create, add-slot and attach-slot"
ok campaign create --name leaky --objective o --metadata-json "{\"hook\":\"$SLACK\"}" --human-approved --json
LID=$(val .campaign_id)
approval_is campaigns "$LID" '[{"flag":"--metadata-json","kind":"a Slack token"}]'
last_event_is campaign_create 1
ok campaign add-slot --name launch --slot-key leaky --role-label x --metadata-json "{\"maps\":\"$GOOGLE\"}" --human-approved --json
LS=$(val .slot_id)
approval_is campaign_worker_slots "$LS" '[{"flag":"--metadata-json","kind":"a Google API key"}]'
ok campaign attach-slot --name launch --slot leaky --metadata-json "{\"aws\":\"$AWS\"}" --human-approved --json
jeq .slot.metadata.aws "$AWS"
approval_is campaign_worker_slots "$LS" '[{"flag":"--metadata-json","kind":"an AWS access key id"}]'

section "approved with nothing found records nothing"
ok campaign assign --name launch --slot tiktok --title 'Plain title' --instructions 'Plain words' --human-approved --json
A4=$(val .assignment_id)
no_approval campaign_assignments "$A4"
dbeq "select metadata_json from campaign_assignments where id = '$A4'" '{}'
last_event_is campaign_assign 0
ok campaign asset --name launch --slot tiktok --title 'Plain render' --asset-type video --artifact-path renders/final.mp4 --human-approved --json
no_approval campaign_asset_receipts "$(val .asset_receipt_id)"

section "approvals accumulate, and every event says whether a human approved"
ok campaign review --name launch --asset "$X1" --status needs_review --review-notes "use $BEARER" --human-approved --json
jeq '.asset.metadata.human_approval.findings | tojson' \
	'[{"flag":"--artifact-path","kind":"an archive or app package path"},{"flag":"--review-notes","kind":"a Bearer token"}]'
last_event_is campaign_review 1
ok campaign update-assignment --name launch --assignment "$AID" --status done --metadata-json "{\"k\":\"$GH\"}" --human-approved
last_event_is campaign_update_assignment 1
ok campaign update-assignment --name launch --assignment "$AID" --status active
last_event_is campaign_update_assignment 0
ok campaign attach-slot --name launch --slot tiktok --metadata-json "{\"token\":\"$SLACK\"}" --human-approved
last_event_is campaign_attach_slot 1
ok campaign attach-slot --name launch --slot tiktok --thread-title plain
last_event_is campaign_attach_slot 0
ok campaign brief --name launch --channel secrets --brief-json "{\"k\":\"$AWS\"}" --human-approved
last_event_is campaign_brief 1

section "approved dry-run writes nothing"
d=$(db_digest)
ok campaign assign --name launch --slot tiktok --title t --instructions "$GH" --human-approved --dry-run --json
jeq .dry_run true
same_db "$d"

# ---------------------------------------------------------------------------------------------------------------
section "the shapes the guard learned: Stripe, npm, GitLab, Hugging Face, AWS secret keys, passwords in URLs"
STRIPE="sk_$(printf live)_$(rep A 8)0123456789ab"
refused --instructions 'a Stripe secret key' "$STRIPE" campaign assign --name launch --slot tiktok --title t --instructions "key $STRIPE"
NPMTOK="npm_$(rep B 36)"
refused --prompt-summary 'an npm token' "$NPMTOK" campaign asset --name launch --slot tiktok --title t --asset-type copy \
	--prompt-summary "publish with $NPMTOK"
GLPAT="glpat-$(rep C 20)"
refused --review-notes 'a GitLab token' "$GLPAT" campaign asset --name launch --slot tiktok --title t --asset-type copy \
	--review-notes "$GLPAT"
HFTOK="hf_$(rep D 34)"
refused --title 'a Hugging Face token' "$HFTOK" campaign assign --name launch --slot tiktok --title "$HFTOK" --instructions i
DBURL="postgres://app:$(rep p 8)@db.internal:5432/app"
refused --instructions 'a URL with a password' "$(rep p 8)" campaign assign --name launch --slot tiktok --title t \
	--instructions "connect to $DBURL"
AWSSECRET="wJalrXUtnFEMI/K7MDENG/$(rep E 18)"
refused --metadata-json 'an AWS secret access key' "$AWSSECRET" campaign assign --name launch --slot tiktok --title t \
	--instructions i --metadata-json "{\"env\":\"aws_secret_access_key=$AWSSECRET\"}"

section "archives, app packages and key files named in free text or under any JSON key"
refused --instructions 'an archive or app package file' 'MyApp.ipa' campaign assign --name launch --slot tiktok --title t \
	--instructions 'upload MyApp.ipa tonight'
refused --metadata-json 'an archive or app package file' 'site.zip' campaign assign --name launch --slot tiktok --title t \
	--instructions i --metadata-json '{"note":"site.zip"}'
refused --review-notes 'a key or certificate file' 'ios.p12' campaign asset --name launch --slot tiktok --title t \
	--asset-type copy --review-notes 'signed with ios.p12'

section "wrapped, random-looking and split secrets"
B64GH=$(printf 'ghp_%s' "$(rep F 36)" | base64 -w0)
refused --instructions 'a base64-encoded secret' "$B64GH" campaign assign --name launch --slot tiktok --title t \
	--instructions "token: $B64GH"
RANDKEY="Xk9pQ2vR7tLmN4wZ8yB3cF6hJ1sD5gA0eUiOoPq"
refused --instructions 'a high-entropy token (a generated key?)' "$RANDKEY" campaign assign --name launch --slot tiktok \
	--title t --instructions "secret: $RANDKEY"
HALF=$(printf 'ghp_%s' "$(rep G 36)")
refused 'the values of --title + --instructions joined' 'a GitHub token' "$HALF" campaign assign --name launch \
	--slot tiktok --title "${HALF:0:20}" --instructions "${HALF:20}"

section "the fields that were not guarded before: objective, role label, channel, thread title"
refused --objective 'a GitHub token' "$GH" campaign create --name leaky --objective "push with $GH"
refused --role-label 'a Slack token' "xoxb-$(rep H 12)" campaign add-slot --name launch --slot-key k9 \
	--role-label "xoxb-$(rep H 12)"
refused --channel 'a GitLab token' "$GLPAT" campaign add-slot --name launch --slot-key k9 --role-label r --channel "$GLPAT"
refused --thread-title 'a Hugging Face token' "$HFTOK" campaign add-slot --name launch --slot-key k9 --role-label r \
	--thread-title "$HFTOK"
refused --channel 'a GitLab token' "$GLPAT" campaign brief --name launch --channel "$GLPAT" --brief-json '{}'
refused --thread-title 'a GitHub token' "$GH" campaign attach-slot --name launch --slot tiktok --thread-title "$GH"
refused --thread-title 'a GitHub token' "$GH" campaign rotate-slot --name launch --slot tiktok \
	--expected-thread-id "$(dbq "select coalesce(codex_app_thread_id, '') from campaign_worker_slots where slot_key = 'tiktok'")" \
	--thread-id thr-9 --thread-title "$GH"
ok campaign attach-slot --name launch --slot tiktok --thread-title "$GH" --human-approved --json
dbeq "select json_extract(payload_json, '\$.human_approved') from events order by id desc limit 1" 1
ok campaign create --name approved-objective --objective "push with $GH" --human-approved --json
dbeq "select json_extract(metadata_json, '\$.human_approval.findings[0].flag') from campaigns where name = 'approved-objective'" \
	--objective

section "tasks, handoffs, messages and prompts refuse secrets (no override: they reach agents and the audit trail)"
# guarded FLAG KIND SECRET ARGS...: conveyor ARGS exits 2 naming FLAG and KIND, without echoing SECRET or writing.
guarded() {
	local flag=$1 kind=$2 secret=$3 d
	shift 3
	d=$(db_digest)
	fails 2 "$flag contains what looks like $kind; conveyor keeps secrets out of tasks, prompts, messages and the audit trail" "$@"
	is_true "the secret is not echoed: $*" not grep -qF -- "$secret" "$ERR" "$OUT"
	same_db "$d"
}
guarded --goal 'a GitHub token' "$GH" tasks --create leaky --goal "push with $GH"
guarded --summary 'a Stripe secret key' "$STRIPE" tasks --create leaky --goal g --summary "$STRIPE"
ok tasks --create guarded-task --goal 'Ship release.zip to the store' --json
guarded --summary 'a URL with a password' "$(rep p 8)" handoff guarded-task --summary "use $DBURL"
guarded --next-step 'a GitHub token' "$GH" handoff guarded-task --summary s --next-step ok --next-step "push $GH"
guarded --payload-json 'a Hugging Face token' "$HFTOK" handoff guarded-task --summary s --payload-json "{\"hf\":\"$HFTOK\"}"
guarded --message 'a GitLab token' "$GLPAT" enqueue-nudge-worker guarded-task --message "token $GLPAT"
guarded --message 'a GitHub token' "$GH" enqueue-notify-manager guarded-task --message "$GH"
ok enqueue-nudge-worker guarded-task --message 'upload release.zip and ios.p12 when the build is green' --json
guarded TEXT 'a Stripe secret key' "$STRIPE" session-nudge w1 "the key is $STRIPE"
guarded --followup 'a GitHub token' "$GH" session-interrupt w1 --followup "$GH"
guarded --message 'a GitHub token' "$GH" finish-task guarded-task --message "$GH"
guarded --reason 'a GitHub token' "$GH" stop-task guarded-task --reason "$GH"
guarded --task 'a GitHub token' "$GH" start-worker --name w9 --task "clone with $GH"
guarded --task-prompt 'a GitHub token' "$GH" pair --task t9 --worker-name w9 --manager-name m9 --task-goal g \
	--task-prompt "$GH" --dry-run
guarded --codex-app-thread-title 'a GitHub token' "$GH" register-worker --name w9 --pid $$ \
	--codex-session "$ROLLOUT_FIXTURE" --codex-app-thread-title "$GH"

section "negatives: ordinary media paths pass without approval"
for p in renders/final.mp4 renders/cover.png exports/zipper.mov releases/v1.gzip docs/archive.zip.md audio/mix.wav; do
	ok campaign asset --name launch --slot tiktok --title "render $p" --asset-type video --artifact-path "$p" --json
	X=$(val .asset_receipt_id)
	dbeq "select artifact_path, metadata_json from campaign_asset_receipts where id = '$X'" "$p|{}"
done

section "negatives: ordinary prose passes without approval"
for title in 'Bearer of good news: launch teaser' 'Ask-me-anything skit' 'Token economics explainer' \
	'Keys to a great hook' 'Ship the .zip era recap' 'AKIA is not a key' 'Risk-free trial promo' 'xox hugs and kisses'; do
	ok campaign assign --name launch --slot tiktok --title "$title" --instructions "Write about: $title" --json
	dbeq "select title, metadata_json from campaign_assignments where id = '$(val .assignment_id)'" "$title|{}"
done
ok campaign asset --name launch --slot tiktok --title 'Private keys explained' --asset-type copy \
	--prompt-summary 'A friendly explainer on API keys and bearer tokens' --review-notes 'Looks good; ship the zip later' --json
dbeq "select metadata_json from campaign_asset_receipts where id = '$(val .asset_receipt_id)'" '{}'
ok campaign review --name launch --asset "$(val .asset_receipt_id)" --status approved --reviewer 'Dana (brand)' --review-notes 'Approved for the bearer campaign'
ok campaign brief --name launch --channel reels --brief-json '{"tone":"playful","note":"download the site archive later","key":"value"}' --json
dbeq "select json_extract(brief_json, '\$.note') from campaign_channel_briefs where id = '$(val .brief_id)'" 'download the site archive later'
dbeq "select json_type(payload_json, '\$.human_approval') is null from events order by id desc limit 1" 1

finish
