#!/usr/bin/env bash
# sspf-tool: init, principals, whoami, passphrases, exit codes.
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file admin "admin passphrase one")
school_pw=$(pass_file school "school passphrase one")
wrong_pw=$(pass_file wrong "not the passphrase")

expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
check "init prints an id" test -n "$(json "j['store_id']")"
check "init prints the recovery key once" test -n "$(json "j['recovery_key']")"
recovery=$(json "j['recovery_key']")
check "keyring is mode 0600" test "$(stat -c %a "$SSPF_STORE.keyring")" = 600
check "store is mode 0600" test "$(stat -c %a "$SSPF_STORE")" = 600
check "no admin name in the files" not_in_files anna "$SSPF_STORE" "$SSPF_STORE.keyring"

expect 1 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
check "init on an existing store names the problem" grep -q "already exists" <<<"$err"

expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" whoami --json
check "whoami name" test "$(json "j['name']")" = anna
check "whoami actor" test "$(json "j['actor']")" = coordination
check "whoami role" test "$(json "j['role']")" = admin

expect 5 "$TOOL" --user anna --passphrase-file "$wrong_pw" whoami
check "wrong passphrase: one line" test "$(wc -l <<<"$err")" -eq 1
check "wrong passphrase not echoed" not_in "not the passphrase" "$err"

for spec in "sara school member" "per police member" "sam social member" \
            "lia leisure member" "kim coordination coordinator" "eva coordination auditor"; do
  set -- $spec
  pw=$(pass_file "$1" "$1 passphrase 123")
  expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user add "$1" --actor "$2" \
         --role "$3" --new-passphrase-file "$pw" --json
  check "user add $1 prints an id" test -n "$(json "j['id']")"
  set -- "$TOOL"
done
TOOL=$1

expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user list --json
check "user list is an array of 7" test "$(json "len(j['principals'])")" = 7
check "user list has actors" test "$(json "sorted(set(p['actor'] for p in j['principals']))")" = \
  "['coordination', 'leisure', 'police', 'school', 'social']"

expect 3 "$TOOL" --user sara --passphrase-file "$work/sara.pw" user add mallory \
       --actor police --role admin --new-passphrase-file "$wrong_pw"
check "denied names the rule" grep -q "denied" <<<"$err"
expect 2 "$TOOL" --user anna --passphrase-file "$admin_pw" user add x --actor army --role member \
       --new-passphrase-file "$wrong_pw"
expect 2 "$TOOL" --user anna --passphrase-file "$admin_pw" user add "åsa.skola" --actor school \
       --role member --new-passphrase-file "$wrong_pw"
check "a name says which letters" grep -q "only ASCII letters A-Z a-z (no å, ä, ö), digits and \. _ - @" <<<"$err"
expect 2 "$TOOL" user add
expect 2 "$TOOL" frobnicate
expect 2 "$TOOL" --passphrase=secret whoami
check "passphrase on argv refused" grep -q "never accepted" <<<"$err"
expect 2 "$TOOL" whoami --passphrase hunter2 --passphrase-file "$admin_pw"
check "after the command too, beside --passphrase-file" grep -q "never accepted" <<<"$err"
check "the passphrase is not echoed" not_in hunter2 "$err"
expect 2 "$TOOL" --stor x whoami
check "a mistyped global option is named" grep -qF "unknown option '--stor'" <<<"$err"
check "not as a command" not_in "unknown command" "$err"
expect 2 "$TOOL" -x whoami
check "a mistyped short option is named" grep -qF "unknown option '-x'" <<<"$err"
expect 0 "$TOOL" user add --help
check "help has an example" grep -q "Example" <<<"$out"
expect 0 "$TOOL" --help

new_pw=$(pass_file new "sara passphrase two")
expect 0 "$TOOL" --user sara --passphrase-file "$work/sara.pw" user passwd --new-passphrase-file "$new_pw"
expect 5 "$TOOL" --user sara --passphrase-file "$work/sara.pw" whoami
expect 0 "$TOOL" --user sara --passphrase-file "$new_pw" whoami

expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user disable per
expect 3 "$TOOL" --user per --passphrase-file "$work/per.pw" whoami
check "disabled principal told so" grep -q "disabled" <<<"$err"

printf '%s\n' "$recovery" > "$work/recovery.key"
reset_pw=$(pass_file reset "anna passphrase reset")
expect 0 "$TOOL" recover anna --recovery-key-file "$work/recovery.key" --new-passphrase-file "$reset_pw"
expect 5 "$TOOL" --user anna --passphrase-file "$admin_pw" whoami
expect 0 "$TOOL" --user anna --passphrase-file "$reset_pw" whoami

# A foreign file as the store.
head -c 10000 /dev/urandom > "$work/random.db"
cp "$SSPF_STORE.keyring" "$work/random.db.keyring"
expect 5 "$TOOL" --store "$work/random.db" --user anna --passphrase-file "$reset_pw" whoami
check "foreign file: not a store" grep -q "not an sspf store" <<<"$err"
expect 4 "$TOOL" --store "$work/missing.db" --user anna --passphrase-file "$reset_pw" whoami
finish
