#!/usr/bin/env bash
# case reasons: a disclosure's and a grant's reason (motivering) is shown
# to the deciding actor, the receiving actor and the auditor, and to
# nobody else (DESIGN §13); it is never in the log export.  The seals
# themselves and the tampering attacks are tested in
# tests/unit/domain/reasons_test.cpp.
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "lisa leisure member" "eva coordination auditor"
pnr=$(make_pnr 15 425)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Ungdomsson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara,per,lisa --json
case_id=$(json "j['id']")
printf 'Hög frånvaro.\n' > "$work/entry.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/entry.txt" --json
entry=$(json "j['id']")
reason="orosanmälan: CLI-testmotivering RX9"
printf '%s\n' "$reason" > "$work/motivering.txt"
# School -> police: 15 a § (18 a § runs only from social services).
expect 0 as sara entry disclose "$entry" --to police --provision "OSL 10 kap. 15 a §" \
       --reason-file "$work/motivering.txt" --json
disclosure=$(json "j['id']")
printf 'akut: CLI-grantmotivering GQ2\n' > "$work/grant.txt"
expect 0 as lisa grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason-file "$work/grant.txt" --json
grant=$(json "j['id']")

expect 0 "$TOOL" case reasons --help
check "--help has an example" grep -q "sspf-tool case reasons" <<<"$out"

for who in sara per eva; do
  expect 0 as $who case reasons "$case_id" --json
  check "$who: keys of a reason" test "$(json "list(j['reasons'][0])")" = \
    "['kind', 'id', 'case_id', 'entry_id', 'to', 'decided_by', 'provision', 'created', 'reason', 'reason_sealed']"
  check "$who reads the disclosure's reason" test "$(json "[(r['id'], r['reason'], r['reason_sealed']) for r in j['reasons'] if r['kind'] == 'disclosure']")" = \
    "[('$disclosure', '$reason', False)]"
done
expect 0 as eva case reasons "$case_id" --json
check "the auditor reads the grant's reason" \
  test "$(json "[r['reason'] for r in j['reasons'] if r['id'] == '$grant']")" = \
  "['akut: CLI-grantmotivering GQ2']"
expect 0 as per case reasons "$case_id" --json
check "police does not read leisure's grant reason" \
  test "$(json "[(r['reason'], r['reason_sealed']) for r in j['reasons'] if r['id'] == '$grant']")" = \
  "[(None, True)]"
expect 0 as kim case reasons "$case_id" --json
check "the coordinator learns only that reasons exist" \
  test "$(json "[(r['reason'], r['reason_sealed']) for r in j['reasons']]")" = \
  "[(None, True), (None, True)]"
expect 0 as kim case reasons "$case_id"
check "text: (sealed)" grep -q "(sealed)" <<<"$out"
check "text: no reason" not_in "testmotivering RX9" "$out"
expect 0 as per case reasons "$case_id"
check "text: the reason" grep -qF "$reason" <<<"$out"
expect 3 as anna case reasons "$case_id"
expect 4 as eva case reasons 0123456789abcdef0123456789abcdef

expect 0 as eva audit export --format jsonl
check "export: no reason text" not_in "testmotivering RX9" "$out"
check "export: no grant reason" not_in "grantmotivering GQ2" "$out"
check "export: a commitment" grep -q "reason=[0-9a-f]\{64\}" <<<"$out"
expect 0 as eva audit query --action reason.list --json
check "listings logged: 8 allowed, the admin's denied" \
  test "$(json "(sum(e['allowed'] for e in j['events']), sum(not e['allowed'] for e in j['events']))")" = "(8, 1)"
expect 0 as eva audit verify
# A needle long enough that encrypted pages never hold it by chance.
check "store files hold no plaintext" not_in_files "CLI-testmotivering RX9" "$work"/store.db*
finish
