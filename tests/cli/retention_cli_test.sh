#!/usr/bin/env bash
# Retention (gallring, issue 12): retention rules, plan (the dry run) and
# run --decision.  A host rule file (SSPF_RETENTION_FILE) makes social and
# school entries due at closure so the system clock suffices; the store
# still verifies afterwards, also against a checkpoint kept from before the
# run, and the erased texts are nowhere in the files.
TOOL=$1
. "$(dirname "$0")/lib.sh"

expect 0 "$TOOL" retention rules --json
check "default rules" test "$(json "[r['id'] for r in j['rules']]")" = \
  "['social-case-file', 'social-child-investigation', 'social-research-sample', 'school-pupil-health', 'school-records', 'police-records', 'leisure-records', 'coordination-records']"
check "rule keys" test "$(json "list(j['rules'][0])")" = \
  "['id', 'actor', 'categories', 'from', 'years', 'birth_days', 'citation', 'summary', 'verified']"
expect 0 "$TOOL" retention rules
check "rules text: 30 years from birth" grep -q "^social-child-investigation  social social  birth +30y" <<<"$out"

rules="$work/rules.tsv"
printf '# test rules: erase at closure\n' > "$rules"
printf 'social-now\tsocial\t*\tcase-closed\t0\t-\tTest rule\terased at closure\n' >> "$rules"
printf 'school-now\tschool\t*\tcase-closed\t0\t-\tTest rule\terased at closure\n' >> "$rules"
printf 'police-plan\tpolice\t*\tdecision\t0\t-\tBrottsdatalagen\tunder a decision\n' >> "$rules"
printf 'bad\tsocial\t*\tsometime\t0\t-\tx\ty\n' > "$work/bad.tsv"
SSPF_RETENTION_FILE="$work/bad.tsv" expect 2 "$TOOL" retention rules
check "bad rule file named" grep -q "SSPF_RETENTION_FILE line 1" <<<"$err"
export SSPF_RETENTION_FILE="$rules"
expect 0 "$TOOL" retention rules --json
check "host rules replace the defaults" test "$(json "[r['id'] for r in j['rules']]")" = \
  "['social-now', 'school-now', 'police-plan']"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "sam social member" "per police member" "eva coordination auditor"
pnr=$(make_pnr 15 437)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Gallra Testsson" \
       --guardian "Vera Gallrasson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara,sam,per --json
case_id=$(json "j['id']")
printf 'Skolans anteckning GALLRA-SKOLA-1.\n' > "$work/e1.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/e1.txt" --json
e_school=$(json "j['id']")
printf 'Socialtjänstens anteckning GALLRA-SOCIAL-2.\n' > "$work/e2.txt"
expect 0 as sam entry add --case "$case_id" --category social --file "$work/e2.txt" --json
e_social=$(json "j['id']")
printf 'Polisens anteckning GALLRA-POLIS-3.\n' > "$work/e3.txt"
expect 0 as per entry add --case "$case_id" --category police --file "$work/e3.txt" --json
e_police=$(json "j['id']")

# Only admin plans and runs.
expect 3 as kim retention plan
expect 3 as eva retention run --decision "SN 2026/1"
expect 2 as anna retention run
check "run without a decision: usage" grep -q -- "--decision" <<<"$err"
expect 2 "$TOOL" --user anna --passphrase-file "$admin_pw" retention run --decision 'Beslut om Gallra Testsson!'
check "decision with a name-like text refused" grep -q "register number" <<<"$err"

anna() { "$TOOL" --user anna --passphrase-file "$admin_pw" "$@"; }
expect 0 anna retention plan --json
check "open case: nothing due" test "$(json "j['due_entries']")" = 0
check "open case: states" test "$(json "sorted(e['state'] for e in j['entries'])")" = \
  "['case-open', 'case-open', 'decision']"
check "plan entry keys" test "$(json "list(j['entries'][0])")" = \
  "['entry_id', 'case_id', 'subject_id', 'actor', 'category', 'rule', 'state', 'due']"

expect 0 as kim case close "$case_id"
expect 0 anna retention plan --json
check "closed: two due" test "$(json "j['due_entries']")" = 2
check "closed: police waits for a decision" test \
  "$(json "[e['state'] for e in j['entries'] if e['actor'] == 'police']")" = "['decision']"
check "closed: case not fully erased yet" test "$(json "j['cases']")" = "[]"
expect 0 anna retention plan --rule police-plan --json
check "with the decision rule: three due, case and subject go" test \
  "$(json "(j['due_entries'], j['cases'], [s['subject_id'] for s in j['subjects']])")" = \
  "(3, ['$case_id'], ['$subject'])"
expect 0 anna retention plan
check "plan text" grep -q "^due  entry $e_school" <<<"$out"

expect 0 as eva audit checkpoint --out "$work/before.cp"

expect 0 anna retention run --decision "SN 2026/123 § 45" --json
check "run: two entries" test "$(json "(j['entries_erased'], j['cases_erased'], j['subjects_erased'], j['compacted'], j['free_pages'])")" = \
  "(2, 0, 0, True, 0)"
expect 1 as sara entry read "$e_school"
check "erased read: says erased" grep -q "erased under retention" <<<"$err"
expect 0 as per entry read "$e_police"
check "police entry kept" grep -q "GALLRA-POLIS-3" <<<"$out"
expect 0 as eva audit verify
expect 0 as eva audit verify --checkpoint "$work/before.cp"

expect 0 anna retention run --decision "PN 2026/7" --rule police-plan --json
check "second run: the rest" test "$(json "(j['entries_erased'], j['cases_erased'], j['subjects_erased'])")" = \
  "(1, 1, 1)"
expect 0 as kim subject show "$subject" --json
check "subject identity erased" not_in "Gallra" "$out"
expect 4 as kim subject find --pnr-file "$work/pnr.txt"
expect 0 as eva audit verify --checkpoint "$work/before.cp"
expect 0 as eva audit query --action retention.erase --json
check "two erase events" test "$(json "len(j['events'])")" = 2
check "the decision in the log" grep -q "SN 2026/123 § 45" <<<"$out"
check "no body or name in the log" not_in "GALLRA" "$out"

# Nothing of the erased texts in the files (they were encrypted anyway; the
# unit test decrypts the pages and looks there).
for f in "$SSPF_STORE" "$SSPF_STORE-wal"; do
  [ -e "$f" ] || continue
  check "no plaintext in $f" not_in_files "GALLRA-" "$f"
done
check "WAL truncated" test ! -s "$SSPF_STORE-wal"
finish
