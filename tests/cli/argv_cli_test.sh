#!/usr/bin/env bash
# Nothing personal on argv: every option that takes a name or a reason has a
# -file form (a file, or stdin for '-'), and a required value is asked for
# on a terminal.  Values read pass the library's checks like argv values; a
# file over the limit is a one-line usage error.  Fictitious names only.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
  "per police member" "sam social member"
# in_stdin TEXT NAME ARGS...: as NAME ARGS with TEXT on stdin; sets out, err, rc.
in_stdin() {
  local text=$1; shift
  out=$(printf '%s' "$text" | as "$@" 2>"$work/stderr"); rc=$?
  err=$(cat "$work/stderr")
}
expect 0 as sara whoami
expect 0 as per whoami
expect 0 as sam whoami

# ---- subject add: --name-file, --guardian-file (a file each, or stdin) -----------------
make_pnr 16 201 > "$work/pnr1.txt"
printf 'Testa Filnamnsson\n' > "$work/name.txt"
printf 'Vera Vardnad\r\n\nValter Vardnad\n' > "$work/guardians.txt"
expect 0 as kim subject add --pnr-file "$work/pnr1.txt" --name-file "$work/name.txt" \
       --guardian-file "$work/guardians.txt" --json
subject=$(json "j['id']")
check "guardians from the file, one per line" test "$(json "[g['name'] for g in j['guardians']]")" \
  = "['Vera Vardnad', 'Valter Vardnad']"
g1=$(json "j['guardians'][0]['id']")
expect 0 as kim subject show "$subject" --json
check "name from the file, without its line end" test "$(json "j['name']")" = "Testa Filnamnsson"

make_pnr 16 202 > "$work/pnr2.txt"
in_stdin $'Testa Stdinsson\n' kim subject add --pnr-file "$work/pnr2.txt" --name-file - \
  --guardian "Gun Argvsson" --json
check "--name-file -: exit 0" test "$rc" = 0
s2=$(json "j['id']")
expect 0 as kim subject show "$s2" --json
check "--name-file -: the name from stdin" test "$(json "j['name']")" = "Testa Stdinsson"
check "--guardian on argv still works" test "$(json "j['guardians'][0]['name']")" = "Gun Argvsson"

make_pnr 16 203 > "$work/pnr3.txt"
in_stdin $'Gun Stdinsson\nGert Stdinsson\n' kim subject add --pnr-file "$work/pnr3.txt" \
  --name-file "$work/name.txt" --guardian-file - --json
check "--guardian-file -: exit 0" test "$rc" = 0
check "--guardian-file -: two guardians from stdin" test "$(json "len(j['guardians'])")" = 2

# Usage errors (exit 2, one line, never the value).
make_pnr 16 204 > "$work/pnr4.txt"
expect 2 as kim subject add --pnr-file "$work/pnr4.txt" --name "Testa Dubbel" \
       --name-file "$work/name.txt"
check "both forms: says so" grep -q "either --name or --name-file" <<<"$err"
expect 2 as kim subject add --pnr-file "$work/pnr4.txt"
check "no name, no terminal: required" grep -q -- "--name or --name-file is required" <<<"$err"
in_stdin "$(cat "$work/pnr4.txt")" kim subject add --pnr - --name-file -
check "two options on stdin: exit 2" test "$rc" = 2
check "two options on stdin: says so" grep -q "only one option may read stdin" <<<"$err"
in_stdin "x" kim subject add --pnr-file "$work/pnr4.txt" --name-file - --guardian-file -
check "name and guardians on stdin: exit 2" test "$rc" = 2
expect 2 as kim subject add --pnr-file "$work/pnr4.txt" --name-file "$work/missing.txt"
check "missing file: says which option" grep -q "cannot read the --name-file file" <<<"$err"
"$PY" -c "print('Å' * 2049)" > "$work/long-name.txt"     # 4098 bytes and a line end
expect 2 as kim subject add --pnr-file "$work/pnr4.txt" --name-file "$work/long-name.txt"
check "over the limit: one line" test "$(wc -l <<<"$err")" = 1
check "over the limit: says so" grep -q -- "--name-file is over the limit (4096 bytes)" <<<"$err"
check "over the limit: no value in the error" not_in "ÅÅ" "$err"
"$PY" -c "print('Å' * 2048)" > "$work/max-name.txt"      # exactly 4096 bytes
in_stdin "$(cat "$work/max-name.txt")" kim subject add --pnr-file "$work/pnr4.txt" --name-file -
check "4096 bytes on stdin: accepted" test "$rc" = 0
"$PY" -c "print('Testa Lang'); print('Å' * 2049)" > "$work/long-guardian.txt"
make_pnr 16 205 > "$work/pnr5.txt"
expect 2 as kim subject add --pnr-file "$work/pnr5.txt" --name-file "$work/name.txt" \
       --guardian-file "$work/long-guardian.txt"
check "a guardian line over the limit" grep -q -- "--guardian-file: a value is over the limit" <<<"$err"
printf 'Testa\nRadbrytning\n' > "$work/two-lines.txt"
expect 2 as kim subject add --pnr-file "$work/pnr5.txt" --name-file "$work/two-lines.txt"
check "a line break in the name: the library's check" grep -q "control character" <<<"$err"
check "a line break in the name: no value in the error" not_in "Radbrytning" "$err"
printf 'Testa \xff Ogiltig\n' > "$work/bad-utf8.txt"
expect 2 as kim subject add --pnr-file "$work/pnr5.txt" --name-file "$work/bad-utf8.txt"
check "invalid UTF-8: the library's check" grep -q "not valid UTF-8" <<<"$err"
: > "$work/empty.txt"
expect 2 as kim subject add --pnr-file "$work/pnr5.txt" --name-file "$work/empty.txt"
check "empty file: no value" grep -q "no value for --name" <<<"$err"

# A terminal on stdin: the missing name is asked for on one line (stderr).
if command -v script >/dev/null 2>&1; then
  make_pnr 16 206 > "$work/pnr6.txt"
  printf 'Testa Promptsson\n' | script -qec "$(printf '%q ' "$TOOL" --user kim \
    --passphrase-file "$work/kim.pw" subject add --pnr-file "$work/pnr6.txt" --json)" \
    /dev/null > "$work/tty.out" 2>&1
  check "prompt: one line asking for the name" grep -q "Name of the youth: " "$work/tty.out"
  expect 0 as kim subject find --pnr-file "$work/pnr6.txt" --json
  check "prompt: the name typed" test "$(json "j['name']")" = "Testa Promptsson"
fi

# ---- case, consent grant --purpose-file / --form-ref-file -----------------------------
expect 0 as kim case open --subject "$subject" --team sara,per --json
case_id=$(json "j['id']")
until=$("$PY" -c "import datetime; print(datetime.date.today() + datetime.timedelta(days=30))")
printf 'SSPF insatser för Testa\n' > "$work/purpose.txt"
printf 'Planering\n' > "$work/consent-purpose.txt"
in_stdin $'blankett 2026-117\n' kim consent grant --case "$case_id" --party "guardian:$g1" \
  --actors school,police --categories police --until "$until" \
  --purpose-file "$work/consent-purpose.txt" --form-ref-file - --json
check "consent grant with -file forms: exit 0" test "$rc" = 0
expect 0 as kim consent list --case "$case_id" --json
check "purpose label from the file, stored as its code" \
  test "$(json "j['consents'][0]['purpose']")" = "planning"
check "form ref from stdin" test "$(json "j['consents'][0]['form_ref']")" = "blankett 2026-117"
expect 2 as kim consent grant --case "$case_id" --party youth --actors school --categories police \
       --until "$until" --purpose "planning" --purpose-file "$work/consent-purpose.txt"
printf 'blankett 2026-118\n' > "$work/form-ref.txt"
in_stdin $'uppföljning\n' kim consent grant --case "$case_id" --party youth \
  --actors school,police --categories police --until "$until" --purpose-file - \
  --form-ref-file "$work/form-ref.txt" --json
check "consent grant --purpose-file -: exit 0" test "$rc" = 0
expect 0 as kim consent list --case "$case_id" --json
check "purpose from stdin, form ref from the file" \
  test "$(json "[(c['purpose'], c['form_ref']) for c in j['consents'] if c['party'] == 'youth'][0]")" = \
  "('follow-up', 'blankett 2026-118')"

# ---- entry disclose --reason-file, entry read --purpose-file, grant --reason-file -------
printf 'Anträffad vid ordningsstörning.\n' > "$work/police.txt"
expect 0 as per entry add --case "$case_id" --category police --file "$work/police.txt" --json
entry=$(json "j['id']")
printf 'Risk för brott\n' > "$work/reason.txt"
# Police -> school under 15 a § (between authorities, crime prevention),
# police -> social services under the reporting duty of 28 §.
expect 2 as per entry disclose "$entry" --to school --provision "OSL 10 kap. 15 a §"
check "provision without a reason: required" grep -q -- "--reason or --reason-file" <<<"$err"
expect 0 as per entry disclose "$entry" --to school --provision "OSL 10 kap. 15 a §" \
       --reason-file "$work/reason.txt" --json
in_stdin $'Risk för brott\n' per entry disclose "$entry" --to social \
  --provision "OSL 10 kap. 28 §" --reason-file - --json
check "entry disclose --reason-file -: exit 0" test "$rc" = 0
check "entry disclose --reason-file -: a disclosure id" test -n "$(json "j['id']")"
in_stdin $'SSPF-möte\n' sara entry read "$entry" --purpose-file - --json
check "entry read --purpose-file -: exit 0" test "$rc" = 0
check "entry read --purpose-file -: the body" test "$(json "j['body']")" = \
  "Anträffad vid ordningsstörning."
printf 'uppföljning\n' > "$work/purpose-code.txt"
expect 0 as sara entry read "$entry" --purpose-file "$work/purpose-code.txt"
# Free text is no purpose code (it would stay in the log for good).
expect 2 as sara entry read "$entry" --purpose-file "$work/purpose.txt"
check "entry read: free-text purpose refused, codes listed" grep -q "follow-up" <<<"$err"
check "entry read: the refused text is not echoed" not_in "Testa" "$err"
"$PY" -c "print('x' * 4097)" > "$work/long-reason.txt"
expect 2 as per grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason-file "$work/long-reason.txt"
check "grant: reason over the limit" grep -q -- "--reason-file: a value is over the limit (4096 bytes)" <<<"$err"
expect 2 as per grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §"
check "grant: reason required" grep -q -- "--reason or --reason-file is required" <<<"$err"
in_stdin $'Akut skyddsbehov\n' per grant emergency --case "$case_id" \
  --provision "OSL 10 kap. 2 §" --reason-file - --hours 2 --json
check "grant --reason-file -: exit 0" test "$rc" = 0
check "grant --reason-file -: an id" test -n "$(json "j['id']")"
expect 0 as per grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason-file "$work/reason.txt" --hours 1
if command -v script >/dev/null 2>&1; then
  printf 'Akut skyddsbehov\n' | script -qec "$(printf '%q ' "$TOOL" --user per \
    --passphrase-file "$work/per.pw" grant emergency --case "$case_id" \
    --provision "OSL 10 kap. 2 §" --hours 1 --json)" /dev/null > "$work/tty-grant.out" 2>&1
  check "grant prompt: one line asking for the reason" \
    grep -q "Reason (motivering): " "$work/tty-grant.out"
  check "grant prompt: the grant is made" grep -q '"id":"' "$work/tty-grant.out"
fi

# --help says why the -file forms exist.
for c in "subject add" "consent grant" "entry read" "entry disclose" "grant emergency"; do
  expect 0 "$TOOL" $c --help
  check "$c --help: argv is visible in /proc" grep -q "/proc/PID/cmdline" <<<"$out"
done
finish
