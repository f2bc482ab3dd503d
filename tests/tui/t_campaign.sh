#!/usr/bin/env bash
# The cockpit's campaign views as an operator uses them (conveyor-tui(1) VIEWS and KEYS): the first-run screen and
# its `n` key, the overview, the campaign view of a database prepared with the CLI (slot rows, stored and
# lifecycle states, next action, metrics, approvals queue, blockers), Tab, the help generated from the binding
# table, the review keys a / x / P proven with `campaign dashboard --json`, changes made by another process, and
# the ':' command line (output view, errors), and dispatch health (dispatcher state, queue, inboxes).
. "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------------------------------------------------------
section "first run: an empty database"
start_cockpit
wait_screen "Welcome to conveyor. This database has no campaign yet."
capture
check "first-run screen lists n" grep -qE '^ +n +create a campaign' "$SCREEN"
check "first-run screen lists w" grep -qE '^ +w +start a Codex worker' "$SCREEN"
keys w
wait_screen "Worker name:"
keys Escape
wait_screen "cancelled"
keys n
wait_screen "Campaign name:"
prompt_line "launch"
wait_screen "Objective:"
prompt_line "Launch week, all channels"
wait_line '^ok: '
wait_line '^>launch +active '
cv campaign list --json
jeq '[.campaigns[] | {name, objective, status}] | tostring' '[{"name":"launch","objective":"Launch week, all channels","status":"active"}]'
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "a campaign prepared with the CLI"
ok campaign add-slot --name launch --slot-key tiktok --role-label 'TikTok editor' --channel tiktok --thread-id thr-1 --state active
ok campaign add-slot --name launch --slot-key yt --role-label 'YT editor' --channel youtube
ok campaign add-slot --name launch --slot-key ig --role-label 'IG editor' --channel instagram --thread-id thr-3 --state blocked
ok campaign brief --name launch --channel tiktok --brief-json '{"tone":"playful"}'
ok campaign brief --name launch --channel youtube --brief-json '{"tone":"calm"}'
ok campaign assign --name launch --slot tiktok --title 'Teaser cut' --instructions 'Three 15 s cuts'
ok campaign asset --name launch --slot tiktok --title 'Teaser v1' --asset-type video --status needs_review
ok campaign asset --name launch --slot tiktok --title 'Teaser v2' --asset-type video --status needs_review
ok campaign asset --name launch --slot yt --title 'Thumbnail' --asset-type image
ok campaign create --name autumn --objective 'Autumn sale'
ok campaign add-slot --name autumn --slot-key blog --role-label 'Writer' --thread-id thr-9 --state active
ok campaign set-status --name autumn --status paused
dash launch
cp "$OUT" "$T/launch.json"
V1=$(jq -r '.slots[] | select(.slot_key=="tiktok") | .assets[] | select(.title=="Teaser v1") | .id' "$T/launch.json")
V2=$(jq -r '.slots[] | select(.slot_key=="tiktok") | .assets[] | select(.title=="Teaser v2") | .id' "$T/launch.json")

section "overview"
start_cockpit
wait_screen "CAMPAIGN             STATUS    SLOTS STALE WORK ASSETS  NEXT ACTION"
cv campaign list --json
cp "$OUT" "$T/list.json"
# Every campaign of `campaign list` has its row: name, status, slots, stale, assignments, assets, next action.
while IFS=$'\t' read -r name status slots stale work assets action; do
	check "overview row of $name" grep -qE "^[> ]$name +$status +$slots +$stale +$work +$assets +$action: " "$SCREEN"
done < <(jq -r '.campaigns[] | [.name, .status, .slot_count, .stale_slots, .assignment_count, .asset_count,
	.next_manager_action.action] | @tsv' "$T/list.json")
# Enter opens the selected campaign (move the selection onto launch first).
first=$(jq -r '.campaigns[0].name' "$T/list.json")
[ "$first" = launch ] || keys j
keys Enter
wait_screen "Workers "

section "campaign view: heading, metrics, slots, approvals, blockers"
capture
action=$(jq -r '.next_manager_action.action' "$T/launch.json")
reason=$(jq -r '.next_manager_action.reason' "$T/launch.json")
check "heading: name, status, next action: reason" grep -qF "launch active next $action: ${reason:0:30}" "$SCREEN"
metrics=$(jq -r '"Workers \(.summary.active_slots)  Stale \(.summary.stale_slots)  Blocked \(.summary.blocked_slots + .summary.blocked_assignments)  Review \(.approvals.needs_review)  Assets \(.summary.asset_total)  Briefs \(.summary.channel_briefs)"' "$T/launch.json")
check "metrics line is '$metrics'" grep -qxF "$metrics" "$SCREEN"
check "metrics are the expected figures" [ "$metrics" = "Workers 1  Stale 0  Blocked 1  Review 2  Assets 3  Briefs 2" ]
while IFS=$'\t' read -r key state life role ch thread aa ar; do
	re="^[> ]$key +$state +$life +$role/$ch +no session +$thread +$aa/$ar\$"
	check "slot row $key: stored $state, lifecycle $life" grep -qE "$re" "$SCREEN"
done < <(jq -r '.slots[] | [.slot_key, .state, .lifecycle.state, .role_label, .channel,
	(.codex_app_thread_id // "no thread"), .active_assignments, .asset_receipts] | @tsv' "$T/launch.json")
check "the states differ per slot (active, needs_thread, blocked)" \
	[ "$(jq -r '[.slots[].lifecycle.state] | sort | join(",")' "$T/launch.json")" = "active,blocked,needs_thread" ]
msg=$(jq -r '.slots[0].lifecycle.operator_message' "$T/launch.json")
check "the selected slot's operator message" grep -qF " $msg" "$SCREEN"
# The approvals queue: both needs_review assets, oldest first, right under its heading.
check "approvals queue, oldest first" diff <(sed -n '/^Approvals (needs review, oldest first)/,+2p' "$SCREEN" |
	sed 's/  */ /g') <(printf '%s\n' 'Approvals (needs review, oldest first)' '>Teaser v1 needs_review video' ' Teaser v2 needs_review video')
blockers=$(jq -r '.blockers | join(" / ")' "$T/launch.json")
check "blockers line: $blockers" grep -qxF "Blockers: $blockers" "$SCREEN"
check "two blockers (yt has no thread, ig is blocked)" [ "$(jq '.blockers | length' "$T/launch.json")" = 2 ]
check "the selected slot's assignment" grep -qE '^>Teaser cut +queued +Three 15 s cuts$' "$SCREEN"

section "Tab cycles the views named by its binding"
# The order comes from the table: {VIEW_ALL, '\t', "Tab", "next view: campaigns, campaign, ...", ...}.
order=$(grep -oE '"Tab", "next view: [a-z, ]+"' "$ROOT/src/tui/tui_keys.c" | sed -E 's/.*next view: ([a-z, ]+)"/\1/' | tr -d ,)
check "Tab's label names the views ($order)" [ -n "$order" ]
read -r -a views <<<"$order"
start=-1
for i in "${!views[@]}"; do [ "${views[$i]}" = campaign ] && start=$i; done
check "the campaign view is in the Tab order" [ "$start" -ge 0 ]
wait_view campaign
n=${#views[@]}
for ((k = 1; k <= n; k++)); do
	next=${views[$(((start + k) % n))]}
	keys Tab
	wait_view "$next"
done
wait_screen "Workers "

section "? shows the bindings of the table"
# The expected help lines come from src/tui/tui_keys.c itself: "  KEY    label[  = command]" cut to the width.
tr '\n' ' ' <"$ROOT/src/tui/tui_keys.c" | sed -E 's/"[[:space:]]+"//g' |
	grep -oE '"[^"]*", "[^"]*", ACT_[A-Z_]+,[[:space:]]*("[^"]*"|NULL)' >"$T/bindings"
nb=$(wc -l <"$T/bindings")
check "the table parsed ($nb bindings)" [ "$nb" -ge 30 ]
keys '?'
wait_screen "Everywhere"
: >"$T/help"
# Page through the help with j (27 rows a page) until a page starts past the last line.
capture
for page in 1 2 3 4 5 6; do
	cat "$SCREEN" >>"$T/help"
	[ -z "$(row 1)" ] && break
	keys j j j j j j j j j j j j j j j j j j j j j j j j j j j
	until_changed || break
done
missing=0
while IFS= read -r b; do
	key=$(sed -E 's/^"([^"]*)".*/\1/' <<<"$b")
	label=$(sed -E 's/^"[^"]*", "([^"]*)".*/\1/' <<<"$b")
	cmd=$(sed -E 's/.*ACT_[A-Z_]+,[[:space:]]*//' <<<"$b")
	if [ "$cmd" = NULL ]; then cmd=""; else cmd="  = ${cmd:1:${#cmd}-2}"; fi
	printf -v line '%-6s %s%s' "$key" "$label" "$cmd"
	line="  ${line:0:98}"
	line=${line%"${line##*[! ]}"}
	grep -qxF -- "$line" "$T/help" || { missing=$((missing + 1)); echo "  help lacks: $line"; }
done <"$T/bindings"
check "every binding of the table is in the help ($missing missing)" [ "$missing" -eq 0 ]
check "help shows a's command line" grep -qF '  = campaign review --name %campaign --asset %asset --status' "$T/help"
check "help shows I's command line" grep -qF '  = session-interrupt %session' "$T/help"
check "help shows n's command line" grep -qF '  = campaign create --name %{Campaign name} --objective %{Objective}' "$T/help"
keys Escape
wait_screen "Workers "

# ---------------------------------------------------------------------------------------------------------------
section "a approves the selected asset"
# Space moves the focus to the approvals queue, j selects the second (Teaser v2).
keys Space j
wait_screen ">Teaser v2"
keys a
wait_status "ok: campaign launch asset $V2 needs_review -> approved"
dash launch
jeq ".slots[0].assets[] | select(.id==\"$V2\") | .status" approved
jeq ".slots[0].assets[] | select(.id==\"$V2\") | .reviewed_at != null" true
jeq ".slots[0].assets[] | select(.id==\"$V1\") | .status" needs_review
wait_screen "Review 1  "

section "x rejects with review notes after y/N"
keys x
wait_screen "Review notes:"
prompt_line "too long, cut to 10 s"
wait_line "^run: campaign review --name 'launch' --asset '${V1:0:30}"
# conveyor-tui(1): guarded actions ask y/N "with the full command line first": the question must be visible.
screen_has "[y/N]"
dash launch
jeq ".slots[0].assets[] | select(.id==\"$V1\") | .status" needs_review
keys y
wait_status "ok: campaign launch asset $V1 needs_review -> rejected"
dash launch
jeq ".slots[0].assets[] | select(.id==\"$V1\") | .status" rejected
jeq ".slots[0].assets[] | select(.id==\"$V1\") | .review_notes" "too long, cut to 10 s"
jeq ".slots[0].assets[] | select(.id==\"$V1\") | .reviewed_at != null" true
wait_screen "nothing waits for review"

section "P asks y/N; n changes nothing"
# The approvals queue is empty now: P there names what is missing.
keys P
wait_screen "publish the selected asset: no selected asset"
# Focus the assets of the selected slot (approvals -> assignments -> assets) and select Teaser v2.
keys Space Space
keys j
wait_screen ">Teaser v2"
before=$(db_digest)
keys P
wait_line "^run: campaign review --name 'launch' --asset '${V2:0:30}"
keys n
wait_screen "cancelled"
check "n wrote nothing" [ "$(db_digest)" = "$before" ]
dash launch
jeq ".slots[0].assets[] | select(.id==\"$V2\") | .status" approved
keys P
wait_line "^run: campaign review --name 'launch' --asset '${V2:0:30}"
keys y
wait_status "ok: campaign launch asset $V2 approved -> published"
dash launch
jeq ".slots[0].assets[] | select(.id==\"$V2\") | .status" published

section "a resize while y/N is asked does not answer it"
before=$(db_digest)
keys P
wait_line "^run: campaign review --name 'launch' --asset '${V2:0:30}"
# 200 columns show the whole command line.
tm resize-window -t "$CP" -x 200 -y 30
wait_line "^run: campaign review --name 'launch' --asset '$V2' --status published +\\? \\[y/N\\]\$"
tm resize-window -t "$CP" -x 100 -y 30
wait_line "^run: campaign review --name 'launch' --asset '${V2:0:30}"
# The next key is the answer (a resize is no key press).
keys n
wait_status "cancelled"
check "nothing was written" [ "$(db_digest)" = "$before" ]
keys C-r
until_screen "Workers " "$TIMEOUT"

# ---------------------------------------------------------------------------------------------------------------
section "changes by another process appear within a second; an idle cockpit does not wake"
keys Escape
wait_view campaigns
keys Enter
wait_view campaign
# changed_by_cli MAX_MS REGEX WHAT ARGS...: runs `conveyor ARGS` and checks that a screen line matching REGEX
# shows, with no key pressed, within MAX_MS of the start (the CLI's own run, slow under the sanitizers, included).
changed_by_cli() {
	local max=$1 re=$2 what=$3 t0 dt
	shift 3
	t0=$(now_ms)
	ok "$@"
	wait_line "$re"
	dt=$(($(now_ms) - t0))
	note "$what showed after $dt ms"
	check "$what showed after ${dt} ms (<= $max)" [ "$dt" -le "$max" ]
}
changed_by_cli 1000 '^ fb +active +active +FB editor/facebook ' "a slot added by the CLI" \
	campaign add-slot --name launch --slot-key fb --role-label 'FB editor' --channel facebook --thread-id thr-4 --state active
changed_by_cli 1000 '^>Carousel A +needs_review +image$' "an asset added by the CLI, in the approvals queue," \
	campaign asset --name launch --slot fb --title 'Carousel A' --asset-type image --status needs_review
wait_screen "Review 1  "
# The cockpit sleeps in poll() until a key, a signal, pane output or a write to the database (inotify) wakes it;
# the only timer left is the 10 s re-read of views that age. A once-a-second check would show 4 or more here.
# (The recheck a second after the last write is let pass first.)
# wakeups: the cockpit's voluntary context switches so far (each wake from poll() is one).
wakeups() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$(cockpit_pid)/status"; }
sleep 1.2
w0=$(wakeups)
sleep 4
w1=$(wakeups)
note "an idle cockpit woke $((w1 - w0)) times in 4 s"
check "an idle cockpit woke $((w1 - w0)) times in 4 s (at most 2)" [ $((w1 - w0)) -le 2 ]

# ---------------------------------------------------------------------------------------------------------------
section ": runs a command line"
keys :
wait_line '^:'
prompt_line "campaign set-status --name launch --status paused"
wait_line '^ok: campaign launch status active -> paused'
wait_screen "launch paused next "
cv campaign list --json
jeq '.campaigns[] | select(.name=="launch") | .status' paused

section ": with several lines of output opens the output view"
keys :
prompt_line "campaign status --name launch"
wait_screen "briefs 2"
capture
check "output view shows the command's lines" grep -qx 'campaign launch paused' "$SCREEN"
check "output view: the slots line" grep -qx 'slots 4' "$SCREEN"
keys Escape
wait_screen "Workers "

section "a bad command line: one-line error, the cockpit survives"
"$CONVEYOR" campaign frobnicate --name launch --path "$DB" >/dev/null 2>"$T/cli.err"
cli_err=$(head -1 "$T/cli.err")
check "the CLI refuses it ($cli_err)" [ -n "$cli_err" ]
keys :
prompt_line "campaign frobnicate --name launch"
wait_line "^campaign frobnicate --name launch: $cli_err"
capture
status_row=$(row 28)
check "the error is on the status line (row 28)" grep -qF "$cli_err" <<<"$status_row"
check "the screen still has its title and key hints" grep -q '^ conveyor ' "$SCREEN"
keys :
prompt_line "campaign set-status --name launch --status 'not a status'"
wait_line "^campaign set-status --name launch --status 'not a status': "
keys :
prompt_line "campaign 'unterminated"
wait_line "^(campaign 'unterminated: |.*quote)"
keys :
prompt_line "campaign set-status --name launch --status active"
wait_line '^ok: campaign launch status paused -> active'
wait_screen "launch active next "
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "--ensure-dispatch runs a dispatcher for as long as the cockpit runs, or reuses a live one"
# dispatcher_pids: the pids of this script's cockpit-test dispatchers (its database's path is in their command line).
dispatcher_pids() { pgrep -f -- "dispatch --watch --dispatcher-id cockpit-test .*--path $DB"; }
# dispatchers: how many of them run.
dispatchers() { dispatcher_pids | wc -l; }
# heartbeats: how many dispatch_watch_heartbeat rows the cockpit-test dispatcher wrote.
heartbeats() { sqlite3 "$DB" "select count(*) from telemetry_events where event_type = 'dispatch_watch_heartbeat' and json_extract(correlation_json, '\$.dispatcher_id') = 'cockpit-test'"; }
start_cockpit --campaign launch --ensure-dispatch --dispatcher-id cockpit-test
wait_screen "launch active next "
CPID=$(cockpit_pid)
d=$(deadline 5)
until [ "$(heartbeats)" -gt 0 ] || [ "$(now_ms)" -ge "$d" ]; do sleep 0.05; done
DPID=$(dispatcher_pids | head -1)
check "one dispatcher runs (pid ${DPID:-none})" [ "$(dispatchers)" = 1 ]
check "it is the cockpit's child" [ "$(ps -o ppid= -p "${DPID:-0}" | tr -d ' ')" = "$CPID" ]
check "it reports heartbeats" [ "$(heartbeats)" -gt 0 ]
quit_cockpit
d=$(deadline 5)
until [ "$(dispatchers)" = 0 ] || [ "$(now_ms)" -ge "$d" ]; do sleep 0.05; done
check "quitting the cockpit stopped it" [ "$(dispatchers)" = 0 ]
"$CONVEYOR" dispatch --watch --dispatcher-id cockpit-test --interval 0.2 --path "$DB" 2>>"$LOG" &
OWN=$!
d=$(deadline 5)
until [ "$(heartbeats)" -gt 1 ] || [ "$(now_ms)" -ge "$d" ]; do sleep 0.05; done
start_cockpit --campaign launch --ensure-dispatch --dispatcher-id cockpit-test
wait_screen "launch active next "
check "a live dispatcher with the same id is reused, not doubled" [ "$(dispatchers)" = 1 ]
quit_cockpit
check "the reused dispatcher keeps running after the cockpit quits" kill -0 "$OWN"
kill "$OWN"
wait "$OWN" 2>/dev/null

# ---------------------------------------------------------------------------------------------------------------
section "dispatch health on the campaign screen: the dispatcher, the queue, the slot worker's inbox"
DB=$T/health.db
cp "$FIXTURES/tui-3turns.jsonl" "$T/rollout-w9.jsonl"
ok register-worker --name w9 --pid $$ --codex-session "$T/rollout-w9.jsonl"
ok campaign create --name health --objective 'dispatch on screen'
ok campaign add-slot --name health --slot-key reel --role-label 'Reel editor' --thread-id thr-9 --state active \
	--session-id "$(sqlite3 "$DB" "select id from sessions where name = 'w9'")"
ok campaign assign --name health --slot reel --title 'Cut' --instructions 'Cut it' --notify
ok enqueue-nudge-worker --session w9 --message 'second item'
# One dispatcher pass whose heartbeat is 27 s old: active now, stale 3 s later with nothing written.
beat=$(date -u -d "@$(($(date +%s) - 27))" +%Y-%m-%dT%H:%M:%S.000Z)
CONVEYOR_NOW=$beat "$CONVEYOR" dispatch --watch --watch-iterations 1 --interval 0.01 --dispatcher-id d-health \
	--path "$DB" >/dev/null 2>>"$LOG"
check "both commands went to w9's inbox" [ "$(sqlite3 "$DB" "select count(*) from routed_notifications where state = 'delivered'")" = 2 ]
start_cockpit --campaign health
wait_screen "dispatch active  queued 0  failed 0  stale claims 0  risk 0  inbox 2 pending (2 pull) / 0 consumed"
screen_has "inbox 2 pending / 0 consumed  "
ok session-inbox w9 --consume-next
wait_screen "inbox 1 pending (1 pull) / 1 consumed"
wait_screen "inbox 1 pending / 1 consumed  "
t0=$(now_ms)
wait_screen "dispatch stale  queued 0" 15
note "the dispatcher showed stale $(($(now_ms) - t0)) ms later, with nothing written to the database"
ok enqueue-nudge-worker --session w9 --message 'third item'
wait_screen "dispatch stale  queued 1  failed 0"

section "N assigns work and queues it to the slot's worker; r rejects an asset and queues the notes"
keys N
wait_screen "Title:"
prompt_line "Hook"
wait_screen "Instructions:"
prompt_line "Open with the hook"
# The status line holds every line of the result, "; " between them (cut to the 100 columns).
wait_line "^ok: campaign health assignment created campaign-assignment-[0-9a-f-]{36}; que"
wait_screen "dispatch stale  queued 2"
check "the queued command carries the new assignment" [ "$(sqlite3 "$DB" "select count(*) from commands c join
	campaign_assignments a on a.id = json_extract(c.payload_json, '\$.assignment_id') where a.title = 'Hook'")" = 1 ]
ok campaign asset --name health --slot reel --title 'Reel v1' --asset-type video --status needs_review --json
RV=$(jq -r .asset_receipt_id "$OUT")
wait_screen "Review 1  "
keys Space
wait_screen ">Reel v1"
keys r
wait_screen "Review notes:"
prompt_line "shorter, please"
screen_has "[y/N]"
keys y
wait_screen "ok: campaign health asset $RV needs_review -> reject"
wait_screen "dispatch stale  queued 3"
check "the asset is rejected" [ "$(sqlite3 "$DB" "select status from campaign_asset_receipts where id = '$RV'")" = rejected ]
check "its notes went to w9 as a command" [ "$(sqlite3 "$DB" "select count(*) from commands where
	json_extract(payload_json, '\$.asset_receipt_id') = '$RV' and json_extract(payload_json, '\$.message') like
	'%Review notes: shorter, please%' and target_session_id = (select id from sessions where name = 'w9')")" = 1 ]

section "dispatch health in the task view: the task's queue and its sessions' inboxes"
cp "$FIXTURES/tui-3turns.jsonl" "$T/rollout-m9.jsonl"
ok register-manager --name m9 --pid $$ --codex-session "$T/rollout-m9.jsonl"
ok tasks --create reelwork --goal 'cut the reels'
ok bind --task reelwork --worker w9 --manager m9
ok enqueue-nudge-worker reelwork --message 'through the binding'
wait_screen "dispatch stale  queued 4"
goto_view task
wait_line '^>reelwork +[a-z_]+ +cut the reels$'
keys Enter
wait_screen "binding  active  binding-"
wait_line '^worker +w9 +active +alive  tmux none  inbox pending 1 consumed 1$'
# The task's one queued command; w9's inbox (1 pending, 1 consumed) plus m9's (empty).
wait_screen "dispatch stale  queued 1  failed 0  stale claims 0  risk 0  inbox 1 pending (1 pull) / 1 consumed"
quit_cockpit

# ---------------------------------------------------------------------------------------------------------------
section "a database whose directory does not exist yet: another process creates it, then it is watched"
MAIN_DB=$DB
DB=$T/later/state/workerctl.db
start_cockpit
wait_screen "Welcome to conveyor. This database has no campaign yet."
# (found by the once-a-second check: there was no directory to watch)
changed_by_cli 2000 '^>later +active ' "a database created by another process" \
	campaign create --name later --objective 'Made by the CLI'
changed_by_cli 1000 '^ later2 +active ' "then a change (the database now watched)" \
	campaign create --name later2 --objective 'Second'
quit_cockpit
DB=$MAIN_DB
finish
