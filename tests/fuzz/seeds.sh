#!/bin/sh
# Writes the fuzz targets' seed corpora into OUT/<target>/ (and OUT/fuzz_args.dict) from what the repository
# already holds: the recorded Codex 0.169 rollouts (one line per seed, plus two whole small files for the line
# splitter), the recorded screens, the usage lines of the command table, and the hand-written seeds in
# tests/fuzz/seeds/<target>/. Run from the top of the repository: tests/fuzz/seeds.sh build/fuzz/seeds
set -eu
out=$1
fixtures=tests/fixtures/codex-0.169
rm -rf "$out"
for t in fuzz_rollout_line fuzz_classify fuzz_args fuzz_json_flag fuzz_secret; do
	mkdir -p "$out/$t"
	[ -d "tests/fuzz/seeds/$t" ] && cp tests/fuzz/seeds/"$t"/* "$out/$t/"
done

# Rollout lines: one file per line (without its newline) for the line parser, the JSON writer and the secret scan.
for f in "$fixtures"/*.jsonl; do
	base=$(basename "$f" .jsonl)
	awk -v dir="$out/fuzz_rollout_line" -v base="$base" \
		'{ name = sprintf("%s/%s-%03d", dir, base, NR); printf "%s", $0 > name; close(name) }' "$f"
done
# Whole files cut to a multiple of 4 bytes (the target reads such inputs as files too; the cut leaves a partial line).
for f in "$fixtures/exec-missing-key-error.jsonl" "$fixtures/exec-toolcall.jsonl"; do
	head -c $(($(wc -c <"$f") / 4 * 4)) "$f" >"$out/fuzz_rollout_line/$(basename "$f")"
done
cp "$out"/fuzz_rollout_line/*-0* "$out/fuzz_json_flag/"
cp "$out"/fuzz_rollout_line/*-0* "$out/fuzz_secret/"

# Screens, as recorded.
cp "$fixtures"/panes/*.txt "$out/fuzz_classify/"
cp "$fixtures"/panes/*.txt "$out/fuzz_secret/"

# Command lines: each command's usage line (its first string), brackets, parentheses and bars dropped, one word a
# line; and a dictionary of the command words, actions and flag names for the mutator.
grep -rhoE '\.usage = "[^"]*"' src | sed -e 's/^\.usage = "//' -e 's/"$//' -e 's/[][()|]/ /g' -e 's/\.\.\.//g' |
	awk -v dir="$out/fuzz_args" '{ name = sprintf("%s/usage-%03d", dir, NR); for (i = 1; i <= NF; i++)
		printf "%s%s", $i, (i < NF ? "\n" : "") > name; close(name) }'
grep -rhoE '\.(word|action|name) = "[^"]*"' src | sed 's/^[^"]*//' | sort -u > "$out/fuzz_args.dict"

# Secret shapes, assembled here from pieces so that no whole fake credential sits in the repository.
s=$out/fuzz_secret
printf '%s%s' 'Authorization: Bear' 'er abcdefghijklmnop0123' > "$s/bearer"
printf '%s%s' 'gh' 'p_EXAMPLE0123456789abcdefEXAMPLE012345' > "$s/github"
printf '%s%s' 'sk' '-EXAMPLEexampleEXAMPLE0123' > "$s/openai"
printf '%s%s' 'AKI' 'AEXAMPLE0123456789' > "$s/aws"
printf '%s%s' 'xox' 'b-0123456789-EXAMPLE' > "$s/slack"
printf '%s%s' 'AI' 'zaEXAMPLEexampleEXAMPLEexample01234567' > "$s/google"
printf '%s%s' 'ey' 'JhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk' > "$s/jwt"
printf '%s%s\n%s\n' '-----BEGIN RSA PRIV' 'ATE KEY-----' 'MIIEXAMPLE' > "$s/private-key"
printf '{"artifact_path":["out/app.ipa","notes.txt"],"note":"ok"}' > "$s/path-json"
printf 'esc \033[31mred\033[0m bell \007 del \177 c1 \302\233 bad \377 nul-free' > "$s/controls"
