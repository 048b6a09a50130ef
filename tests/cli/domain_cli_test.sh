#!/usr/bin/env bash
# sspf-tool: subjects, cases, consent, entries, disclosures, grants; exit
# codes and --json.  Personal numbers are generated (never real ones).
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

not_in_digits() { ! grep -q '[0-9]' <<<"$1"; }

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "olle school member" "sam social member" "per police member" \
          "lia leisure member" "eva coordination auditor"
# Each content actor's first member holds its key; unlocking once delivers it
# to later members (olle gets the school key from sara).
expect 0 as sara whoami
expect 0 as olle whoami

# ---- subject ------------------------------------------------------------------
pnr=$(make_pnr 16 123)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Ungdomsson" \
       --guardian "Vera Vardnad" --guardian "Valter Vardnad" --json
subject=$(json "j['id']")
check "subject id printed" test -n "$subject"
check "two guardians" test "$(json "len(j['guardians'])")" = 2
g1=$(json "j['guardians'][0]['id']")
g2=$(json "j['guardians'][1]['id']")
check "guardian name echoed" test "$(json "j['guardians'][0]['name']")" = "Vera Vardnad"

expect 1 as kim subject add --pnr "$pnr" --name "Someone Else"
check "duplicate: already exists" grep -q "already registered" <<<"$err"
check "duplicate: no number in the error" not_in "${pnr:2}" "$err"
bad="${pnr:0:11}$(( (${pnr:11:1} + 1) % 10 ))"
expect 2 as kim subject add --pnr "$bad" --name "X"
check "bad personnummer: says why" grep -q "check digit" <<<"$err"
check "bad personnummer: no digits in the error" not_in_digits "$err"
expect 2 as kim subject add --name "X"
check "pnr required" grep -q "pnr" <<<"$err"

out=$(printf '%s\n' "$pnr" | as kim subject find --pnr - --json 2>"$work/stderr"); rc=$?
check "find via stdin exits 0" test "$rc" = 0
check "find via stdin finds the subject" test "$(json "j['id']")" = "$subject"
check "find shows the name" test "$(json "j['name']")" = "Testa Ungdomsson"
expect 3 as sara subject find --pnr-file "$work/pnr.txt"
check "member on no team is denied" grep -q "denied" <<<"$err"
check "denial prints nothing" test -z "$out"
expect 3 as anna subject find --pnr-file "$work/pnr.txt"

# ---- case -----------------------------------------------------------------------
expect 3 as sara case open --subject "$subject"
expect 2 as kim case open --subject "$subject" --team eva
expect 0 as kim case open --subject "$subject" --team sara,sam,per,lia --json
case_id=$(json "j['id']")
check "case id printed" test -n "$case_id"
expect 0 as kim case list --json
check "coordinator lists the case" test "$(json "len(j['cases'])")" = 1
check "team listed" test "$(json "','.join(j['cases'][0]['team'])")" = "kim,sara,sam,per,lia"
expect 0 as olle case list --json
check "not on the team: no cases" test "$(json "len(j['cases'])")" = 0
expect 3 as olle case show "$case_id"
expect 0 as sara case show "$case_id" --json
check "case show subject" test "$(json "j['subject_id']")" = "$subject"
expect 4 as sara case show 00000000000000000000000000000000

# ---- entries and consent ---------------------------------------------------------
out=$(printf 'Hög frånvaro sedan augusti.\n' | as sara entry add --case "$case_id" \
      --category school --json 2>"$work/stderr"); rc=$?
check "entry add from stdin" test "$rc" = 0
school_entry=$(json "j['id']")
printf 'Anträffad vid ordningsstörning.\n' > "$work/police.txt"
expect 0 as per entry add --case "$case_id" --category police --file "$work/police.txt" --json
police_entry=$(json "j['id']")
expect 3 as sam entry read "$school_entry"
check "not disclosed: nothing printed" test -z "$out"
check "not disclosed: one line" test "$(wc -l <<<"$err")" -eq 1
check "not disclosed: says so" grep -q "not disclosed" <<<"$err"
expect 3 as sara entry disclose "$school_entry" --to social
check "no consent: names the missing guardian" grep -q "$g1" <<<"$err"

until=$(in_days 30)
expect 0 as kim consent grant --case "$case_id" --party "guardian:$g1" --actors school,social \
       --categories school --until "$until" --purpose "sspf-meeting" --form-ref "F-1" --json
c1=$(json "j['id']")
expect 0 as sara consent grant --case "$case_id" --party "guardian:$g2" --actors school,social \
       --categories school --until "$until" --purpose planning --json
expect 3 as sara entry disclose "$school_entry" --to social
check "age 16: the youth must consent too" grep -q "youth" <<<"$err"
expect 0 as kim consent grant --case "$case_id" --party youth --actors school,social \
       --categories school --until "$until" --purpose planning --json
cy=$(json "j['id']")
expect 2 as kim consent grant --case "$case_id" --party parent --actors school \
       --categories school --until "$until"
expect 2 as kim consent grant --case "$case_id" --party youth --actors school,army \
       --categories school --until "$until"
expect 2 as kim consent grant --case "$case_id" --party youth --actors school,social \
       --categories school --until "$(in_days -2)" --purpose planning
expect 0 as kim consent list --case "$case_id" --json
check "three consents" test "$(json "len(j['consents'])")" = 3

expect 2 as sara entry disclose "$school_entry" --to social --basis "consent:nope"
expect 2 as sara entry disclose "$school_entry" --to social --basis "other:x"
expect 0 as sara entry disclose "$school_entry" --to social --basis "consent:$cy" --json
check "disclosure id printed" test -n "$(json "j['id']")"
expect 0 as sam entry read "$school_entry" --purpose "SSPF-möte" --json
check "recipient reads the body" test "$(json "j['body']")" = "Hög frånvaro sedan augusti."
check "author actor" test "$(json "j['author_actor']")" = school
check "author" test "$(json "j['author']")" = sara
check "basis is consent" test "$(json "j['basis'].split(':')[0]")" = consent
expect 0 as sam entry list --case "$case_id" --json
check "recipient lists one readable entry" test "$(json "len(j['entries'])")" = 1
expect 3 as lia entry read "$school_entry"

# Withdrawal stops the read at once.
expect 0 as kim consent withdraw "$cy"
expect 3 as sam entry read "$school_entry" --json
check "withdrawn: nothing on stdout" test -z "$out"
check "withdrawn: names the withdrawal" grep -q "withdrawn" <<<"$err"
check "withdrawn: no content in the error" not_in "frånvaro" "$err"
expect 1 as kim consent withdraw "$cy"

# ---- legal provision, emergency grant ---------------------------------------------
# The provisions and their rules, without a store.
expect 0 "$TOOL" provisions
check "provisions: 18 a § one way" grep -q "allows: social -> police" <<<"$out"
expect 0 "$TOOL" provisions --json
check "provisions --json: a list document" test "$(json "j['schema_version'], len(j['provisions']) > 5")" = "1 True"
check "provisions --json: 15 a § from 2025-12-01" \
  test "$(json "[p['in_force_from'] for p in j['provisions'] if p['id'] == 'osl-10-15a'][0]")" = 2025-12-01
# 18 a § runs from social services to the police only: police -> school is
# denied, naming the rule.
expect 2 as per entry disclose "$police_entry" --to school --provision "OSL 10 kap. 18 a §"
expect 3 as per entry disclose "$police_entry" --to school --provision "OSL 10 kap. 18 a §" \
       --reason "Risk för brott"
check "18 a §: the denial names the rule" grep -q "OSL 10 kap. 18 a § does not allow police -> school" <<<"$err"
expect 3 as per entry disclose "$police_entry" --to school --provision "OSL 99 kap. 1 §" \
       --reason "Risk för brott"
check "unknown provision refused" grep -q "not a configured legal provision" <<<"$err"
check "the refusal points to the list" grep -qF "(sspf-tool provisions lists them)" <<<"$err"
# Between authorities, to prevent crime: 15 a § (named by its id).
expect 0 as per entry disclose "$police_entry" --to school --provision osl-10-15a \
       --reason "Risk för brott; intresseavvägning gjord" --json
expect 0 as sara entry read "$police_entry" --json
check "provision basis" test "$(json "j['basis']")" = "provision:OSL 10 kap. 15 a §"
# A free school (SSPF_NON_AUTHORITIES) may not use an OSL provision.
expect 3 env SSPF_NON_AUTHORITIES=leisure,police "$TOOL" --user per \
       --passphrase-file "$work/per.pw" entry disclose "$police_entry" --to school \
       --provision osl-10-15a --reason "Risk för brott"
check "non-authority refused" grep -q "applies only to a public authority" <<<"$err"
expect 2 env SSPF_NON_AUTHORITIES=skolan "$TOOL" provisions
# An end date applies only to a provision, and must be a real future date
# within the rule's maximum (365 days).  Police -> social services: the
# reporting duty of OSL 10 kap. 28 §.
expect 2 as per entry disclose "$police_entry" --to social --until 2099-01-01
expect 2 as per entry disclose "$police_entry" --to social --provision "OSL 10 kap. 28 §" \
       --reason "Risk för brott" --until 2026-02-30
expect 2 as per entry disclose "$police_entry" --to social --provision "OSL 10 kap. 28 §" \
       --reason "Risk för brott" --until 2001-01-01
expect 3 as per entry disclose "$police_entry" --to social --provision "OSL 10 kap. 28 §" \
       --reason "Risk för brott" --until 2099-01-01
check "past the maximum: named" grep -q "OSL 10 kap. 28 § allows at most 365 days" <<<"$err"
expect 0 as per entry disclose "$police_entry" --to social --provision "OSL 10 kap. 28 §" \
       --reason "Risk för brott" --until "$(in_days 30)" --json

expect 2 as olle grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason "Akut" --hours 100
expect 3 as eva grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" --reason "Akut"
expect 3 as olle grant emergency --case "$case_id" --provision "nonsense" --reason "Akut"
check "an unknown provision points to the list" \
  grep -qF "not a configured legal provision (sspf-tool provisions lists them)" <<<"$err"
expect 0 as olle grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason "Akut skyddsbehov" --hours 2 --json
grant=$(json "j['id']")
expect 0 as olle case show "$case_id"
expect 0 as per entry add --case "$case_id" --category police --file "$work/police.txt" --json
police2=$(json "j['id']")
expect 0 as per entry disclose "$police2" --to school --grant "$grant"
expect 0 as olle entry read "$police2" --purpose "akut"

# ---- roles without content, limits, corrections, close -----------------------------
expect 3 as eva entry read "$school_entry"
expect 3 as anna entry read "$school_entry"
expect 3 as eva case list
"$PY" -c "import sys; sys.stdout.write('a' * ((1 << 20) + 1))" > "$work/big.txt"
expect 2 as sara entry add --case "$case_id" --category school --file "$work/big.txt"
check "oversized: names the limit" grep -q "entry body is too large (limit 1048576 bytes)" <<<"$err"
printf 'Rättelse.\n' > "$work/fix.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/fix.txt" \
       --supersedes "$school_entry" --json
fix=$(json "j['id']")
expect 0 as sara entry read "$fix" --json
check "supersedes recorded" test "$(json "j['supersedes']")" = "$school_entry"
expect 2 as sara entry add --case "$case_id" --category school --file "$work/fix.txt" \
       --supersedes "$police_entry$police_entry"
expect 2 as sara entry add --case "$case_id" --category gossip --file "$work/fix.txt"

expect 0 as kim case team add "$case_id" olle
expect 1 as kim case team add "$case_id" olle
expect 3 as sara case close "$case_id"
expect 0 as kim case close "$case_id" --json
check "closed" test "$(json "j['open']")" = False
expect 0 as kim case show "$case_id" --json
check "shows closed" test "$(json "j['open']")" = False

# ---- help ---------------------------------------------------------------------------
for c in "subject add" "subject find" "subject show" "case open" "case list" "case show" \
         "case close" "case team add" "consent grant" "consent withdraw" "consent list" \
         "entry add" "entry list" "entry read" "entry disclose" "grant emergency"; do
  expect 0 "$TOOL" $c --help
  check "$c --help has an example" grep -q "Example" <<<"$out"
done

check "no name in clear in the store files" \
  not_in_files "Ungdomsson" "$SSPF_STORE" "$SSPF_STORE.keyring"
finish
