#!/usr/bin/env bash
# Crash safety (issue 13): five loops of writers, covering every mutating family (campaign, session, dispatch,
# rotation, lifecycle, observe), run at once on one ledger while conveyor processes are killed with SIGKILL at
# random moments. Afterwards the file is intact (integrity_check, foreign_key_check), every record a command
# writes has its audit event or telemetry and no such event lacks its record, each record holds what its newest
# event says, claims left by killed dispatchers are recovered by one dispatch pass, telemetry and its full-text
# index agree row for row, and the ledger still takes a write and a read. The killing phase is bounded by time
# (CRASH_SECONDS, default 30; up to twice that only while fewer than 100 processes were hit), not by iterations,
# so a sanitizer build runs no longer. A kill counts when the command's exit status says SIGKILL (137).
. "$(dirname "$0")/lib.sh"

unset CONVEYOR_NOW # leases must expire on the real clock
export TZ=UTC
CRASH_SECONDS=${CRASH_SECONDS:-30}
MIN_KILLS=50
DISPATCH_TYPES="'notify_manager', 'nudge_worker', 'continue_iteration'"

PIDS=()  # the sleep processes that stand for live agents
LOOPS=() # the writer loops (background subshells); their children are the conveyor processes to kill
# cleanup: stops the loops and their children and the sleeps (by pid), then removes the scratch folder.
cleanup() {
	local p c kids
	for p in ${LOOPS[@]+"${LOOPS[@]}"}; do
		kill -STOP "$p" 2>/dev/null || continue
		kids=()
		read -r -a kids 2>/dev/null <"/proc/$p/task/$p/children"
		kill -9 "$p" 2>/dev/null
		for c in ${kids[@]+"${kids[@]}"}; do kill -9 "$c" 2>/dev/null; done
	done
	for p in ${PIDS[@]+"${PIDS[@]}"}; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# none WHAT SQL: the query returns no row; on failure, how many it returned and the first three.
none() {
	local n
	n=$(dbq "select count(*) from ($2)" 2>&1)
	if [ "$n" = 0 ]; then
		good "$1"
	else
		bad "$1" "$n offending row(s), e.g.: $(dbq "select * from ($2) limit 3" 2>&1)"
	fi
}

# records WHAT TABLE EVENT_WHERE ID_EXPR: every TABLE row has exactly one event (events rows matching
# EVENT_WHERE) whose ID_EXPR is the row's id, and every such event names an existing row - a command writes
# both in one transaction.
records() {
	local ev="select $4 as rid, id from events where $3"
	none "every $2 row has its $1 event" "select id from $2 where id not in (select rid from ($ev) where rid is not null)"
	none "every $1 event names an existing $2 row" "select id from ($ev) where coalesce(rid, '') not in (select id from $2)"
	none "one $1 event per $2 row" "select rid from ($ev) group by rid having count(*) > 1"
}

# latest WHAT TABLE EVENT_WHERE ID_EXPR MISMATCH: for every TABLE row (r) with events, its newest event (e, the
# highest id among events matching EVENT_WHERE whose ID_EXPR is its id) agrees with it: MISMATCH is false.
latest() {
	none "$1" "with ev as (select $4 as rid, * from events where $3), last as (select rid, max(id) as id from ev
	  group by rid) select r.id from $2 r join last on last.rid = r.id join ev e on e.id = last.id where $5"
}

# A tmux stand-in for push deliveries: every session runs and shows an idle prompt, which each paste replaces
# with the text and a line of its own (so a paste is seen at once, even of the same text again); set-buffer takes
# a moment, so a dispatcher can be killed between marking the side effect started and recording the outcome.
FT="$T/faketmux"
mkdir -p "$FT/bin" "$T/disp"
cat >"$FT/bin/tmux" <<'EOF'
#!/usr/bin/env bash
d=$FAKE_TMUX_DIR
case $1 in
capture-pane) cat "$d/screen" 2>/dev/null || echo '  >_ fake screen' ;;
set-buffer) sleep 0.01; printf '%s' "${@: -1}" >"$d/buffer.$$" && mv "$d/buffer.$$" "$d/buffer" ;;
paste-buffer) { echo '  >_ fake screen'; cat "$d/buffer"; echo; echo "paste $$"; } >"$d/screen.$$" && mv "$d/screen.$$" "$d/screen" ;;
esac
exit 0
EOF
chmod +x "$FT/bin/tmux"
export FAKE_TMUX_DIR="$FT" PATH="$FT/bin:$PATH"

section "setup: a campaign, slots, live sessions, tasks and bindings"
sleep 600 &
LIVE=$!
PIDS+=("$LIVE")
sleep 0 &
DEAD=$!
wait "$DEAD"
FIX=$ROLLOUT_FIXTURE
cp "$FIX" "$T/wpush.jsonl"
ok register-worker --name w-push --pid "$LIVE" --codex-session "$T/wpush.jsonl"
ok register-manager --name m-push --pid "$LIVE" --codex-session "$FIX" --tmux-session mx
ok tasks --create tq --goal 'queue traffic'
ok bind --task tq --worker w-push --manager m-push
ok register-worker --name w-rot --pid "$LIVE" --codex-session "$FIX" --codex-app-thread-id thr-w-0 \
	--codex-app-thread-title 'rotating worker'
ok register-manager --name m-rot --pid "$LIVE" --codex-session "$FIX" --codex-app-thread-id thr-m
ok tasks --create tr --goal 'rotation'
ok bind --task tr --worker w-rot --manager m-rot
ok handoff tr --summary 'where the work stands' --next-step 'go on'
ok ingest w-push
ok campaign create --name camp --objective 'crash campaign'
ok campaign add-slot --name camp --slot-key s-rot --role-label rot --session-id "$(dbq "select id from sessions where name = 'w-rot'")" \
	--thread-id thr-w-0
ok campaign add-slot --name camp --slot-key s-push --role-label push --session-id "$(dbq "select id from sessions where name = 'w-push'")"

# run ARGS...: one conveyor command of a loop against $DB. Counts it as completed (exit 0, empty stderr),
# killed (exit 137: SIGKILL) or unexpected (anything else, logged with its stderr); returns 0 only when completed.
run() {
	"$CONVEYOR" "$@" --path "$DB" >"$LO" 2>"$LE"
	local rc=$?
	if [ "$rc" -eq 0 ] && [ ! -s "$LE" ]; then
		N_OK=$((N_OK + 1))
		return 0
	fi
	if [ "$rc" -eq 137 ]; then
		N_KILLED=$((N_KILLED + 1))
	else
		printf '%s: conveyor %s: exit %d: %s\n' "$LOOP" "$*" "$rc" "$(head -c 300 "$LE")" >>"$T/unexpected"
	fi
	return 1
}

# jid KEY: ID gets the string value of KEY in the last output (pretty JSON).
jid() {
	local text re="\"$1\": \"([^\"]+)\""
	read -r -d '' text <"$LO"
	[[ $text =~ $re ]] && ID=${BASH_REMATCH[1]}
}

# loop NAME BODY: runs the function BODY (one round of commands, stopping at the first that does not complete,
# since a killed one may or may not have committed) until $T/stop exists, then writes its counts.
loop() {
	LOOP=$1 LO="$T/$1.out" LE="$T/$1.err" N_OK=0 N_KILLED=0
	local i=0
	while [ ! -e "$T/stop" ]; do
		i=$((i + 1))
		"$2" "$i"
	done
	echo "$N_OK $N_KILLED" >"$T/$1.count"
}

# Campaign family: every writing action, and assign --notify queueing a nudge for the push slot's worker.
round_campaign() {
	local i=$1 ch=ch$(($1 % 3)) aid
	run campaign create --name "cc$i" --objective "round $i" &&
		run campaign set-status --name "cc$i" --status paused &&
		run campaign add-slot --name camp --slot-key "k$i" --role-label editor --channel "$ch" &&
		run campaign attach-slot --name camp --slot "k$i" --thread-id "th-k$i" --state active &&
		run campaign brief --name camp --channel "$ch" --brief-json "{\"round\":$i}" &&
		run campaign assign --name camp --slot "k$i" --title "cut $i" --instructions 'three cuts' --json &&
		jid assignment_id && aid=$ID &&
		run campaign asset --name camp --slot "k$i" --assignment "$aid" --title "teaser $i" --asset-type video \
			--status needs_review --json && jid asset_receipt_id &&
		run campaign update-assignment --name camp --assignment "$aid" --status "done" &&
		run campaign review --name camp --asset "$ID" --status approved --reviewer dana &&
		run campaign assign --name camp --slot s-push --title "note $i" --instructions 'see the brief' --notify
}

# Session family: registration (new and refreshed), tasks, bind, handoff, heartbeat, a disposable binding.
round_sessions() {
	local i=$1
	run register-worker --name "w2-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run register-manager --name "m2-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run tasks --create "t2-$i" --goal 'crash goal' &&
		run bind --task "t2-$i" --worker "w2-$i" --manager "m2-$i" &&
		run handoff "t2-$i" --summary "handoff $i" --next-step one --next-step two &&
		run heartbeat "w2-$i" &&
		run register-worker --name "w2-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run create-disposable-binding "d2-$i" --worker "dw2-$i" --manager "dm2-$i" --session-dir "$T/disp" --cwd "$T"
}

# Dispatch family: both enqueues (through the binding and to a session), a pass with a 1 s lease (pushes to the
# manager through the fake tmux, pulls for the worker), inbox consumption on both sides.
round_dispatch() {
	local i=$1
	run enqueue-notify-manager tq --message "report $i" &&
		run enqueue-nudge-worker tq --message "nudge $i" &&
		run enqueue-nudge-worker --session w-push --message "direct $i" &&
		run dispatch --once --lease-seconds 1 --limit 5 --dispatcher-id d3 &&
		run session-inbox w-push --consume-next &&
		run session-inbox m-push --consume-next &&
		run heartbeat w-push
}

# Rotation and observe: plan and record a worker thread rotation (archived, every fourth blocked), ingest a new
# task_complete line of the push worker, and a second dispatcher (which routes that completion).
round_rotation() {
	local i=$1 cur status=archived
	[ $((i % 4)) -eq 0 ] && status=blocked
	cur=$(sqlite3 -batch -cmd '.timeout 5000' "$DB" "select codex_app_thread_id from sessions where name = 'w-rot'")
	printf '{"timestamp":"%(%Y-%m-%dT%H:%M:%S)T.000Z","type":"event_msg","payload":{"type":"task_complete","turn_id":"turn-%d","last_agent_message":"done %d"}}\n' \
		-1 "$i" "$i" >>"$T/wpush.jsonl"
	run app-worker-rotation-plan tr --old-worker-thread-id "$cur" --require-handoff &&
		run app-worker-rotation-record tr --old-worker-thread-id "$cur" --new-worker-thread-id "thr-w-$i" \
			--new-worker-thread-title "worker $i" --archive-status "$status" &&
		run ingest w-push &&
		run dispatch --once --lease-seconds 1 --limit 5 --dispatcher-id d4
}

# Lifecycle: a binding whose worker's process is gone (reconcile --apply marks the session gone and the binding
# invalid), and a bound task that finish-task ends.
round_lifecycle() {
	local i=$1
	run tasks --create "lt-$i" --goal 'worker dies' &&
		run register-worker --name "lw-$i" --pid "$DEAD" --codex-session "$FIX" &&
		run register-manager --name "lm-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run bind --task "lt-$i" --worker "lw-$i" --manager "lm-$i" &&
		run reconcile --apply &&
		run tasks --create "lf-$i" --goal 'finished' &&
		run register-worker --name "fw-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run register-manager --name "fm-$i" --pid "$LIVE" --codex-session "$FIX" &&
		run bind --task "lf-$i" --worker "fw-$i" --manager "fm-$i" &&
		run finish-task "lf-$i" --reason "round $i"
}

# kill_one: sends SIGKILL to a random conveyor process that one of the loops runs right now (checked, just
# before, to be a live child of a loop named conveyor); fails when there was none.
kill_one() {
	local p c kids comm stat rest cands=()
	for p in "${LOOPS[@]}"; do
		kids=()
		read -r -a kids 2>/dev/null <"/proc/$p/task/$p/children"
		for c in ${kids[@]+"${kids[@]}"}; do
			read -r comm 2>/dev/null <"/proc/$c/comm" && [ "$comm" = conveyor ] && cands+=("$c")
		done
	done
	[ "${#cands[@]}" -gt 0 ] || return 1
	c=${cands[RANDOM % ${#cands[@]}]}
	read -r stat 2>/dev/null <"/proc/$c/stat" || return 1
	rest=${stat##*) }
	[ "${rest%% *}" != Z ] || return 1
	rest=${rest#* }
	case " ${LOOPS[*]} " in *" ${rest%% *} "*) ;; *) return 1 ;; esac
	kill -9 "$c" 2>/dev/null
}

section "SIGKILL at random moments while five writer loops run"
START=${EPOCHREALTIME/./}
for r in campaign sessions dispatch rotation lifecycle; do
	loop "$r" "round_$r" 2>"$T/$r.shell-err" &
	LOOPS+=($!)
done
SIGNALLED=0
while :; do
	NOW=${EPOCHREALTIME/./}
	ELAPSED=$(((NOW - START) / 1000000))
	# CRASH_SECONDS, longer (up to twice as long) only while few processes were hit (signalled overcounts a
	# little: a process may exit between the check and the signal).
	{ [ "$ELAPSED" -ge "$CRASH_SECONDS" ] && [ "$SIGNALLED" -ge $((MIN_KILLS * 2)) ]; } && break
	[ "$ELAPSED" -ge $((CRASH_SECONDS * 2)) ] && break
	printf -v PAUSE '0.%03d' $((3 + RANDOM % 98))
	sleep "$PAUSE"
	kill_one && SIGNALLED=$((SIGNALLED + 1))
done
touch "$T/stop"
for p in "${LOOPS[@]}"; do wait "$p"; done
CHAOS_MS=$(((${EPOCHREALTIME/./} - START) / 1000))
LOOPS=()
KILLS=0 DONE=0 IDLE=""
for r in campaign sessions dispatch rotation lifecycle; do
	read -r n k <"$T/$r.count"
	DONE=$((DONE + n)) KILLS=$((KILLS + k))
	[ "$n" -ge 5 ] || IDLE="$IDLE $r"
	tap_diag "note: $r loop: $n commands completed, $k killed"
done
tap_diag "note: $KILLS conveyor processes killed by SIGKILL mid-command ($SIGNALLED signalled), $DONE commands completed, in $((CHAOS_MS / 1000)).$((CHAOS_MS % 1000 / 100)) s"
is_true "at least $MIN_KILLS conveyor processes were killed mid-command ($KILLS)" [ "$KILLS" -ge "$MIN_KILLS" ]
is_true "every loop completed commands (at least 5 each; too few:${IDLE:- none})" [ -z "$IDLE" ]
if [ ! -s "$T/unexpected" ]; then
	good "no command failed except by SIGKILL, and none wrote to stderr"
else
	bad "no command failed except by SIGKILL, and none wrote to stderr" "$(head -c 1500 "$T/unexpected")"
fi

section "after the crashes: the file is intact"
dbeq "PRAGMA integrity_check" ok
dbeq "PRAGMA foreign_key_check" ""
dbeq "PRAGMA journal_mode" wal
none "every command a dispatcher claimed (attempted) holds a lease" \
	"select id, type from commands where state = 'attempted' and type in ($DISPATCH_TYPES) and (claimed_by is null or claim_expires_at is null)"
none "no other command is left attempted without a lease (finish-task and stop-task lease theirs)" \
	"select id, type, state, claimed_by, claim_expires_at from commands where state = 'attempted' and type not in ($DISPATCH_TYPES)
	  and (claimed_by is null or claim_expires_at is null)"

section "after the crashes: one dispatch pass recovers the claims of killed dispatchers"
STALE=$(dbq "select count(*) from commands where state = 'attempted' and type in ($DISPATCH_TYPES)")
tap_diag "note: $STALE command(s) left claimed by killed dispatchers"
sleep 1.2 # every lease (1 s) has expired
ok dispatch --once --limit 100000 --dispatcher-id final --json
jeq '[.processed[] | select((.error // "") | startswith("claim by "))] | length' "$STALE"
none "no command is left claimed" "select id, type from commands where state = 'attempted' and type in ($DISPATCH_TYPES)"
none "no attempt is left running" "select id, command_id from command_attempts where state = 'running'"
none "no routed notification is left pending" "select id, signal_type, claimed_by from routed_notifications where state = 'pending'"

section "after the crashes: reconcile --apply fails what a killed finish-task or stop-task left attempted"
INTERRUPTED=$(dbq "select count(*) from commands where state = 'attempted' and type in ('finish_task', 'stop_task')")
tap_diag "note: $INTERRUPTED finish/stop command(s) left attempted by killed processes; \
$(dbq "select count(*) from commands where error like 'interrupted:%'") failed as interrupted by the loop's reconcile --apply"
ok reconcile --apply --json
jeq '.applied.commands_marked_failed' "$INTERRUPTED"
none "no finish_task or stop_task is left attempted" \
	"select id, type, claimed_by from commands where state = 'attempted' and type in ('finish_task', 'stop_task')"
none "every command reconcile failed says it was interrupted" \
	"select id from commands where type in ('finish_task', 'stop_task') and state = 'failed' and error like 'interrupted:%'
	  and id not in (select json_extract(correlation_json, '$.command_id') from telemetry_events where event_type = 'command_failed')"

section "after the crashes: every campaign record has its audit event, and holds what its newest event says"
records campaign_create campaigns "type = 'campaign_create'" "json_extract(payload_json, '$.campaign_id')"
records campaign_add_slot campaign_worker_slots "type = 'campaign_add_slot'" "json_extract(payload_json, '$.slot_id')"
records campaign_assign campaign_assignments "type = 'campaign_assign'" "json_extract(payload_json, '$.assignment_id')"
records campaign_asset campaign_asset_receipts "type = 'campaign_asset'" "json_extract(payload_json, '$.asset_receipt_id')"
records "campaign_brief (created)" campaign_channel_briefs "type = 'campaign_brief' and json_extract(payload_json, '$.created') = 1" \
	"json_extract(payload_json, '$.brief_id')"
none "every campaign update event names an existing record of its campaign" "
  select e.id from events e where (e.type = 'campaign_set_status' and json_extract(e.payload_json, '$.campaign_id') not in (select id from campaigns))
  or (e.type in ('campaign_attach_slot', 'campaign_rotate_slot', 'campaign_archive_slot') and coalesce(json_extract(e.payload_json, '$.slot_id'), '')
      not in (select id from campaign_worker_slots where campaign_id = json_extract(e.payload_json, '$.campaign_id')))
  or (e.type = 'campaign_update_assignment' and coalesce(json_extract(e.payload_json, '$.assignment_id'), '')
      not in (select id from campaign_assignments where campaign_id = json_extract(e.payload_json, '$.campaign_id')))
  or (e.type = 'campaign_review' and coalesce(json_extract(e.payload_json, '$.asset_receipt_id'), '')
      not in (select id from campaign_asset_receipts where campaign_id = json_extract(e.payload_json, '$.campaign_id')))
  or (e.type = 'campaign_brief' and coalesce(json_extract(e.payload_json, '$.brief_id'), '') not in (select id from campaign_channel_briefs))"
latest "each campaign's status and updated_at are its newest event's" campaigns \
	"type in ('campaign_create', 'campaign_set_status')" "json_extract(payload_json, '$.campaign_id')" \
	"r.status <> coalesce(json_extract(e.payload_json, '$.status'), 'active') or r.updated_at <> e.created_at"
latest "each slot's updated_at, thread, session and state are its newest event's" campaign_worker_slots \
	"type in ('campaign_add_slot', 'campaign_attach_slot', 'campaign_rotate_slot', 'campaign_archive_slot')" \
	"json_extract(payload_json, '$.slot_id')" \
	"r.updated_at <> e.created_at or (e.type <> 'campaign_add_slot' and (r.state is not json_extract(e.payload_json, '$.state.to')
	  or r.codex_app_thread_id is not json_extract(e.payload_json, '$.codex_app_thread_id.to')
	  or r.session_id is not json_extract(e.payload_json, '$.session_id.to')))"
latest "each assignment's status and updated_at are its newest event's" campaign_assignments \
	"type in ('campaign_assign', 'campaign_update_assignment')" "json_extract(payload_json, '$.assignment_id')" \
	"r.status <> json_extract(e.payload_json, '$.status') or r.updated_at <> e.created_at
	  or (r.status = 'done') <> (r.completed_at is not null)"
latest "each asset receipt's status and reviewed_at are its newest event's" campaign_asset_receipts \
	"type in ('campaign_asset', 'campaign_review')" "json_extract(payload_json, '$.asset_receipt_id')" \
	"r.status <> json_extract(e.payload_json, '$.status') or r.reviewed_at is not (case e.type when 'campaign_review' then e.created_at end)"
latest "each brief's updated_at is its newest event's" campaign_channel_briefs "type = 'campaign_brief'" \
	"json_extract(payload_json, '$.brief_id')" "r.updated_at <> e.created_at"
none "no assignment, asset or slot is half-written (campaign, slot, assignment and session agree)" "
  select a.id from campaign_assignments a left join campaign_worker_slots s on s.id = a.slot_id where s.campaign_id is not a.campaign_id
  union all select r.id from campaign_asset_receipts r left join campaign_worker_slots s on s.id = r.slot_id where s.campaign_id is not r.campaign_id
  union all select r.id from campaign_asset_receipts r join campaign_assignments a on a.id = r.assignment_id
    where a.slot_id <> r.slot_id or a.campaign_id <> r.campaign_id
  union all select s.id from campaign_worker_slots s left join campaigns c on c.id = s.campaign_id where c.id is null
  union all select s.id from campaign_worker_slots s left join sessions x on x.id = s.session_id
    where s.session_id is not null and x.role is not 'worker'"
none "every assign --notify command names its assignment, and every push-slot assignment has its command" "
  select id from commands where json_extract(payload_json, '$.assignment_id') not in (select id from campaign_assignments)
  union all select a.id from campaign_assignments a join campaign_worker_slots s on s.id = a.slot_id where s.slot_key = 's-push'
    and a.id not in (select json_extract(payload_json, '$.assignment_id') from commands
                     where json_extract(payload_json, '$.assignment_id') is not null)"

section "after the crashes: sessions, tasks, bindings and handoffs"
none "every session_registered event names an existing session" \
	"select id from events where type = 'session_registered' and coalesce(json_extract(payload_json, '$.session_id'), '') not in (select id from sessions)"
none "every session was registered with its event, or by create-disposable-binding with its binding" "
  select s.name from sessions s where s.id not in (select json_extract(payload_json, '$.session_id') from events
    where type = 'session_registered' and json_extract(payload_json, '$.session_id') is not null)
  and s.id not in (select b.worker_session_id from bindings b join events e on e.type = 'disposable_binding_created'
                   and json_extract(e.payload_json, '$.binding_id') = b.id
                   union select b.manager_session_id from bindings b join events e on e.type = 'disposable_binding_created'
                   and json_extract(e.payload_json, '$.binding_id') = b.id)"
none "a session is gone exactly when reconcile marked it gone after its last registration" "
  with reg as (select json_extract(payload_json, '$.session_id') as sid, max(id) as rid from events where type = 'session_registered' group by sid),
  gone as (select json_extract(payload_json, '$.session_id') as sid, max(id) as gid from events
           where type = 'session_marked_gone_by_reconcile' group by sid)
  select s.name, s.state from sessions s left join reg on reg.sid = s.id left join gone on gone.sid = s.id
  where (s.state = 'gone') <> (gone.gid is not null and (reg.rid is null or gone.gid > reg.rid))"
records task_created tasks "type = 'task_created'" task_id
none "a task is done exactly when finish-task succeeded on it" \
	"select id, state from tasks where (state = 'done') <> (id in (select task_id from events where type = 'finish_task_succeeded' and task_id is not null))"
none "a candidate task has no binding, a managed one has one" "
  select id from tasks where state = 'candidate' and id in (select task_id from bindings)
  union all select id from tasks where state = 'managed' and id not in (select task_id from bindings)"
records "binding_created or disposable_binding_created" bindings "type in ('binding_created', 'disposable_binding_created')" \
	"json_extract(payload_json, '$.binding_id')"
none "no binding is half-written: both sessions exist, with their roles" "
  select b.id from bindings b left join sessions w on w.id = b.worker_session_id left join sessions m on m.id = b.manager_session_id
  where w.role is not 'worker' or m.role is not 'manager'"
none "an invalid binding was marked so by reconcile (with ended_at), and every such event's binding is invalid" "
  select id from bindings where state = 'invalid' and (ended_at is null or id not in (select json_extract(payload_json, '$.binding_id')
    from events where type = 'binding_marked_invalid_by_reconcile' and json_extract(payload_json, '$.binding_id') is not null))
  union all select id from events where type = 'binding_marked_invalid_by_reconcile'
    and coalesce(json_extract(payload_json, '$.binding_id'), '') not in (select id from bindings where state = 'invalid')"
none "an ended binding's task was finished (with ended_at); a done task keeps no active binding" "
  select b.id from bindings b where b.state = 'ended' and (b.ended_at is null or b.task_id not in
    (select task_id from events where type in ('finish_task_succeeded', 'stop_task_succeeded', 'binding_ended') and task_id is not null))
  union all select b.id from bindings b join tasks t on t.id = b.task_id where b.state in ('active', 'ending') and t.state = 'done'"
records worker_handoff_recorded worker_handoffs "type = 'worker_handoff_recorded'" "json_extract(payload_json, '$.handoff_id')"
none "every handoff has its worker_handoff_recorded telemetry, and every such telemetry its handoff" "
  with t as (select json_extract(correlation_json, '$.handoff_id') as hid from telemetry_events where event_type = 'worker_handoff_recorded')
  select id from worker_handoffs where id not in (select hid from t where hid is not null)
  union all select hid from t where coalesce(hid, -1) not in (select id from worker_handoffs)"

section "after the crashes: commands, their attempts, notifications and inboxes"
none "every command has one command_created telemetry, and every such telemetry its command" "
  with t as (select json_extract(correlation_json, '$.command_id') as cid from telemetry_events where event_type = 'command_created')
  select id from commands where id not in (select cid from t where cid is not null)
  union all select cid from t where coalesce(cid, '') not in (select id from commands)
  union all select cid from t group by cid having count(*) > 1"
none "each command's attempts count equals its command_attempts rows and its dispatch_command_claimed telemetry" "
  with a as (select command_id as cid, count(*) as n from command_attempts group by command_id),
  t as (select json_extract(correlation_json, '$.command_id') as cid, count(*) as n from telemetry_events
        where event_type = 'dispatch_command_claimed' group by cid)
  select c.id from commands c left join a on a.cid = c.id left join t on t.cid = c.id
  where c.attempts <> coalesce(a.n, 0) or (c.type in ($DISPATCH_TYPES) and c.attempts <> coalesce(t.n, 0))"
none "a command and its routed notification agree (succeeded/delivered, failed/failed), one notification each" "
  select r.id, c.state, r.state from routed_notifications r join commands c on c.id = r.command_id
  where not ((c.state = 'succeeded' and r.state = 'delivered') or (c.state = 'failed' and r.state = 'failed'))
  union all select c.id, c.state, null from commands c where c.state = 'succeeded' and c.type in ($DISPATCH_TYPES)
    and c.id not in (select command_id from routed_notifications where command_id is not null)
  union all select command_id, count(*), null from routed_notifications where command_id is not null group by command_id having count(*) > 1"
none "a completion is routed once" \
	"select source_event_id from routed_notifications where source_event_id is not null group by source_event_id having count(*) > 1"
none "an item is consumed exactly when it has one dispatch_inbox_consumed telemetry, by its target, once delivered" "
  with t as (select json_extract(correlation_json, '$.notification_id') as nid, count(*) as n from telemetry_events
             where event_type = 'dispatch_inbox_consumed' group by nid)
  select r.id from routed_notifications r left join t on t.nid = r.id where (r.consumed_at is not null) <> (coalesce(t.n, 0) = 1)
  union all select nid from t where coalesce(nid, -1) not in (select id from routed_notifications)
  union all select id from routed_notifications where consumed_at is not null
    and (state <> 'delivered' or consumed_by_session_id is not target_session_id)"
none "every finish_task command has its intent event and command_attempted telemetry" "
  select id from commands where type = 'finish_task' and (id not in (select command_id from events where type = 'finish_task_intent'
    and command_id is not null) or id not in (select json_extract(correlation_json, '$.command_id') from telemetry_events
    where event_type = 'command_attempted' and json_extract(correlation_json, '$.command_id') is not null))"
none "a finish_task command succeeded exactly when it has its finish_task_succeeded event" "
  select id, state from commands where type = 'finish_task' and (state = 'succeeded') <>
    (id in (select command_id from events where type = 'finish_task_succeeded' and command_id is not null))"

section "after the crashes: rotation and ingest"
none "the rotated worker is on the thread of its newest archived rotation record" "
  select name, codex_app_thread_id from sessions where name = 'w-rot' and codex_app_thread_id is not coalesce((select
    json_extract(attributes_json, '$.new_worker_thread_id') from telemetry_events where event_type = 'app_worker_rotation_recorded'
    and json_extract(attributes_json, '$.archive_status') = 'archived' order by rowid desc limit 1), 'thr-w-0')"
none "the slot that follows the worker is on the worker's thread" "
  select s.slot_key, s.codex_app_thread_id, w.codex_app_thread_id from campaign_worker_slots s join sessions w on w.id = s.session_id
  where s.slot_key = 's-rot' and s.codex_app_thread_id is not w.codex_app_thread_id"
none "one campaign_rotate_slot event per archived rotation record" "
  select 1 where (select count(*) from events where type = 'campaign_rotate_slot' and json_extract(payload_json, '$.via') =
    'app-worker-rotation-record') <> (select count(*) from telemetry_events where event_type = 'app_worker_rotation_recorded'
    and json_extract(attributes_json, '$.archive_status') = 'archived')"
none "each session's codex_events are exactly what its codex_events_ingested telemetry counted" "
  with t as (select json_extract(correlation_json, '$.session_id') as sid, sum(json_extract(attributes_json, '$.new_events')) as n
             from telemetry_events where event_type = 'codex_events_ingested' group by sid),
  e as (select session_id as sid, count(*) as n from codex_events group by session_id)
  select * from (select sid, n from t except select sid, n from e) union all select * from (select sid, n from e except select sid, n from t)"
none "the ingested session's offset is its newest codex_events_ingested telemetry's" "
  select s.name from sessions s where s.name = 'w-push' and s.last_ingest_offset is not (select json_extract(attributes_json, '$.new_offset')
    from telemetry_events where event_type = 'codex_events_ingested' and json_extract(correlation_json, '$.session_id') = s.id
    order by rowid desc limit 1)"

section "after the crashes: telemetry and its full-text index agree"
none "every telemetry row has its full-text twin with the same fields, and no twin lacks its row" "
  select * from (select id, task_id, run_id, actor, event_type, summary from telemetry_events
                 except select event_id, task_id, run_id, actor, event_type, summary from telemetry_events_fts)
  union all select * from (select event_id, task_id, run_id, actor, event_type, summary from telemetry_events_fts
                 except select id, task_id, run_id, actor, event_type, summary from telemetry_events)"
dbeq "select (select count(*) from telemetry_events) = (select count(*) from telemetry_events_fts)" 1
none "every telemetry row is found by a full-text search for the first word of its summary" "
  select t.id from telemetry_events t join telemetry_events_fts f on f.rowid = (select rowid from telemetry_events_fts where event_id = t.id)
  where not exists (select 1 from telemetry_events_fts g where g.rowid = f.rowid and telemetry_events_fts match
    'summary:\"' || replace(substr(t.summary, 1, instr(t.summary || ' ', ' ') - 1), '\"', '\"\"') || '\"')"
dbeq "insert into telemetry_events_fts(telemetry_events_fts) values ('integrity-check')" ""
none "every JSON column is valid JSON" "
  select id from events where not json_valid(payload_json) union all select id from commands where not json_valid(payload_json)
  union all select id from telemetry_events where not json_valid(correlation_json) or not json_valid(attributes_json)"

section "after the crashes: the ledger takes a write and a read"
ok campaign create --name after-crash --objective 'still works'
ok campaign list
out_has "after-crash active slots=0 stale=0 assignments=0 assets=0 next=add_worker_slots"
ok reconcile --json
jeq '.schema_health | [.ok, .quick_check] | map(tostring) | join(",")' true,ok
dbeq "PRAGMA integrity_check" ok

kill -9 "$LIVE" 2>/dev/null
wait "$LIVE" 2>/dev/null
finish
