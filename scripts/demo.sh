#!/bin/sh
# The campaign demo `make run` starts until the cockpit exists: the Creative Ops loop, one command at a time,
# on a demo database a new user can keep exploring afterwards.
set -eu
bin=${1:-build/conveyor}
db=${DEMO_DB:-.codex-workers/demo.db}
rm -f "$db" "$db-wal" "$db-shm"

# Prints the arguments as a shell would need them typed, single-quoting where needed.
show() {
	printf '\n$ conveyor'
	for a in "$@"; do
		case $a in
		*[!A-Za-z0-9_./:=@,-]* | '') printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")" ;;
		*) printf ' %s' "$a" ;;
		esac
	done
	printf '\n'
}

# Prints a command, then runs it against the demo database.
step() {
	show "$@"
	"$bin" "$@" --path "$db"
}

# Runs a command quietly with --json and prints the value of one string field of its output.
field() {
	key=$1
	shift
	show "$@" >&2
	"$bin" "$@" --path "$db" --json | sed -n "s/^  \"$key\": \"\(.*\)\",\{0,1\}$/\1/p"
}

echo "conveyor campaign demo: the Creative Ops loop on $db"
step campaign create --name launch --objective "Launch week content"
step campaign add-slot --name launch --slot-key tiktok --role-label "TikTok editor" --channel tiktok \
	--thread-id thr-tiktok --state active
step campaign add-slot --name launch --slot-key blog --role-label "Blog writer" --channel blog
step campaign brief --name launch --channel tiktok --brief-json '{"tone":"playful","length_seconds":15}'
cut=$(field assignment_id campaign assign --name launch --slot tiktok --title "Teaser cut" \
	--instructions "Three 15-second cuts of the launch video")
echo "assignment $cut"
step campaign dashboard --name launch
echo "(the blog slot has no Codex app thread yet, so the manager's next action is to wake or rotate workers)"
step campaign attach-slot --name launch --slot blog --thread-id thr-blog --state active
teaser=$(field asset_receipt_id campaign asset --name launch --slot tiktok --assignment "$cut" --title "Teaser v1" \
	--asset-type video --status needs_review --artifact-path renders/teaser-v1.mp4)
echo "asset receipt $teaser"
step campaign dashboard --name launch
step campaign review --name launch --asset "$teaser" --status approved --reviewer you
step campaign update-assignment --name launch --assignment "$cut" --status done
step campaign dashboard --name launch
step campaign list
cat <<MSG

That was the loop: slots, a brief, an assignment, an asset receipt, a review and the manager's dashboard.
Keep exploring the same database, for example:
  $bin campaign dashboard --name launch --json --path $db
  $bin campaign assign --name launch --slot blog --title 'Launch post' --instructions '800 words' --path $db
  $bin campaign --help        (and: man -l man/conveyor-campaign.1)
MSG
