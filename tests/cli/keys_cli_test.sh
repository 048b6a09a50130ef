#!/usr/bin/env bash
# key rotate (admin), key rewrap (a member of the actor) and key rekey
# (admin): exit codes, --json documents, --help examples, the log, and that
# the entries still read (the seals themselves are checked in
# tests/unit/context/insider_test, the rekey's crash safety in
# tests/reliability).
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
json "j['recovery_key']" > "$work/recovery-old.txt"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "olle school member" "eva coordination auditor"
expect 0 as sara whoami   # delivers the school key to olle
pnr=$(make_pnr 15 424)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Ungdomsson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara,olle --json
case_id=$(json "j['id']")
printf 'Anteckning före rotationen.\n' > "$work/before.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/before.txt" --json
before=$(json "j['id']")

expect 0 "$TOOL" key rotate --help
check "rotate --help has an example" grep -q "sspf-tool --user anna.admin key rotate" <<<"$out"
expect 0 "$TOOL" key rewrap --help
check "rewrap --help has an example" grep -q "key rewrap" <<<"$out"

expect 0 as anna user disable olle
expect 3 as sara key rotate --actor school
expect 2 as anna key rotate --actor nobody
expect 0 as anna key rotate --actor school --json
check "json: actor and version 2" test "$(json "(list(j), j['actor'], j['version'])")" = \
  "(['schema_version', 'actor', 'version'], 'school', 2)"
expect 0 as anna key rotate --actor school
check "text names the version" grep -q "version 3" <<<"$out"

printf 'Anteckning efter rotationen.\n' > "$work/after.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/after.txt" --json
after=$(json "j['id']")

expect 3 as anna key rewrap
expect 3 as eva key rewrap
expect 0 as sara key rewrap --json
check "json: one entry key rewrapped" test "$(json "(list(j), j['actor'], j['rewrapped'])")" = \
  "(['schema_version', 'actor', 'rewrapped'], 'school', 1)"
check "no progress line when stderr is not a terminal" test -z "$err"
expect 0 as sara key rewrap
check "text: nothing left" grep -q "Re-sealed 0 entry keys of school" <<<"$out"
expect 0 as sara entry read "$before" --purpose "uppföljning"
check "old entry still reads" grep -q "före rotationen" <<<"$out"
expect 0 as sara entry read "$after" --purpose "uppföljning"
check "new entry reads" grep -q "efter rotationen" <<<"$out"

expect 0 as eva audit verify
expect 0 as eva audit query --action key.rotate --json
check "rotations logged: two allowed, one denied" \
  test "$(json "sorted(e['allowed'] for e in j['events'])")" = "[False, True, True]"
expect 0 as eva audit query --action key.rewrap --denied --json
check "refused rewraps logged" test "$(json "len(j['events'])")" = 2
check "no passphrase in the log" not_in "passphrase" "$out"

# ---- key rekey ----
expect 0 "$TOOL" key rekey --help
check "rekey --help has an example" grep -q "key rekey --recovery-key-out" <<<"$out"
check "rekey --help says to keep the old recovery key" grep -q "Keep the OLD recovery key" <<<"$out"
cp "$SSPF_STORE.keyring" "$work/keyring-before-rekey"
expect 3 as sara key rekey --recovery-key-out "$work/never.txt"
check "a refused rekey writes no recovery key" test ! -e "$work/never.txt"
expect 2 as anna key rekey --json
check "--json without --recovery-key-out is explained" grep -q "recovery-key-out" <<<"$err"
expect 0 as anna key rekey --recovery-key-out "$work/recovery-new.txt" --json
check "json: generation 2 for four principals" \
  test "$(json "(list(j), j['generation'], j['principals'])")" = \
  "(['schema_version', 'generation', 'principals'], 2, 4)"
check "recovery key file is 0600" test "$(stat -c %a "$work/recovery-new.txt")" = 600
expect 0 as anna key rekey
check "text: the new recovery key is shown" grep -q "New recovery key" <<<"$out"
check "text: rekey complete" grep -q "rekey complete: keyring generation 3" <<<"$out"
sed -n '2p' <<<"$out" | tr -d ' ' > "$work/recovery-newest.txt"
expect 2 as anna key rekey --recovery-key-out "$work/recovery-new.txt"
check "an existing recovery key file is never overwritten" grep -q "must not exist" <<<"$err"
expect 0 as sara entry read "$before" --purpose "uppföljning"
check "entries read after the rekeys" grep -q "före rotationen" <<<"$out"
new_pw=$(pass_file kim2 "a new passphrase for kim")
expect 5 "$TOOL" recover kim --recovery-key-file "$work/recovery-old.txt" \
  --new-passphrase-file "$new_pw"
check "a wrong recovery key is named as such" \
  grep -qxF "sspf-tool: wrong recovery key (check --recovery-key-file and --store)" <<<"$err"
expect 5 "$TOOL" recover kim --recovery-key-file "$work/recovery-new.txt" \
  --new-passphrase-file "$new_pw"
expect 0 "$TOOL" recover kim --recovery-key-file "$work/recovery-newest.txt" \
  --new-passphrase-file "$new_pw"
# Attack: the keyring copied before the rekeys, put back, opens nothing.
cp "$SSPF_STORE.keyring" "$work/keyring-current"
cp "$work/keyring-before-rekey" "$SSPF_STORE.keyring"
expect 5 as sara whoami
expect 5 as anna whoami
cp "$work/keyring-current" "$SSPF_STORE.keyring"
expect 0 as eva audit verify
expect 0 as eva audit query --action store.rekey --json
check "rekeys logged: one denied, two begun and two completed" \
  test "$(json "[sum(1 for e in j['events'] if not e['allowed']), sum(1 for e in j['events'] if e['allowed'] and 'begun' in e['reason']), sum(1 for e in j['events'] if e['allowed'] and 'rekey completed' in e['reason'])]")" = "[1, 2, 2]"
finish
