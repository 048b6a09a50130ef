#!/usr/bin/env bash
# sspf-tool: the joint plan after a new consent (plan share) and an action
# marked done by its owner actor (issue 14's gaps).  The coordinator writes a
# plan that police, on the team but outside the consent, cannot read; a new
# consent covers police; plan show and due say the plan is unshared; plan
# share discloses it (logged as entry.disclose), a second run discloses
# nothing; a withdrawn consent shares nothing.  Then school's member marks
# its own action done, social's member is refused (exit 3, a logged denial,
# no entry written).  Personal numbers are generated.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "siv social member" "per police member" "lea leisure member" \
          "eva coordination auditor"

printf '%s\n' "$(make_pnr 13 418)" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Delasson" \
       --guardian "Greta Delasson" --json
subject=$(json "j['id']")
g1=$(json "j['guardians'][0]['id']")
expect 0 as kim case open --subject "${subject:0:6}" --team sara,siv,per --json
case_id=$(json "j['id']")
c6=${case_id:0:6}
consent() {  # consent ACTORS: the guardian's consent (the youth is 13), 10 days
  expect 0 as kim consent grant --case "$c6" --party "guardian:${g1:0:6}" --actors "$1" \
         --categories plan,meeting --until "$(in_days 10)" --purpose sspf-meeting --json
  consent_id=$(json "j['id']")
}
consent coordination,school,social

expect 0 as kim plan goal add --case "$c6" --text "Regelbunden skolgång" --json
goal=$(json "j['id']")
expect 0 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner school \
       --principal sara --due "$(in_days -1)" --text "Daglig närvarokontroll" --json
a1=$(json "j['id']")
expect 0 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner social \
       --due "$(in_days 3)" --text "Samtal med familjen" --json
a2=$(json "j['id']")

# ---- plan share ------------------------------------------------------------------
expect 0 as kim plan share --help
check "help has an example" grep -q "sspf-tool plan share --case" <<<"$out$err"
expect 0 as kim plan share --case "$c6" --json
check "nothing to share yet" test "$(json "len(j['disclosed'])")" = 0
check "police is not covered" test "$(json "j['not_covered']")" = 3
expect 3 as per plan show --case "$c6"
check "police cannot read the plan" not_in "Daglig" "$out$err"

consent coordination,school,social,police
expect 0 as kim plan show --case "$c6" --json
unshared=$(json "j['unshared']")
check "plan show counts the unshared disclosures" test "$unshared" -ge 3
expect 0 as kim plan show --case "$c6"
check "plan show says to run plan share" grep -q "sspf-tool plan share --case $case_id" <<<"$out"
expect 0 as kim due --days 14 --json
check "due lists the unshared plan" test \
  "$(json "[i['text'] for i in j['items'] if i['kind']=='plan-unshared']")" = "['$unshared']"
expect 3 as per plan show --case "$c6"
check "police still cannot read the plan" not_in "Daglig" "$out$err"

disclosed_before=$(as eva audit query --action entry.disclose --json | "$PY" -c \
  "import json,sys; print(len(json.load(sys.stdin)['events']))")
expect 0 as kim plan share --case "$c6" --json
check "plan share discloses every unshared pair" test "$(json "len(j['disclosed'])")" = "$unshared"
check "to police among them" test "$(json "sum(1 for d in j['disclosed'] if d['to']=='police')")" = 3
check "each names its disclosure" test "$(json "all(len(d['disclosure_id']) > 0 for d in j['disclosed'])")" = True
expect 0 as eva audit query --action entry.disclose --json
check "each disclosure is logged" test "$(json "len(j['events'])")" -eq $((disclosed_before + unshared))
expect 0 as per plan show --case "$c6" --json
check "police reads the plan now" test "$(json "len(j['actions'])")" = 2
expect 0 as kim plan share --case "$c6"
check "a second run discloses nothing and says so" grep -q "Nothing to share" <<<"$out"
expect 0 as kim plan show --case "$c6" --json
check "nothing unshared" test "$(json "j['unshared']")" = 0

# A new team member under a withdrawn consent: nothing shared.
expect 0 as kim case team add "$c6" lea --json
consent coordination,school,social,police,leisure
expect 0 as kim consent withdraw "${consent_id:0:6}" --json
expect 0 as kim plan share --case "$c6" --json
check "no disclosure under a withdrawn consent" test "$(json "len(j['disclosed'])")" = 0
expect 3 as lea plan show --case "$c6"
check "leisure gets no plan" not_in "Daglig" "$out$err"
consent coordination,school,social,police

# ---- the owner actor marks its action done --------------------------------------------
expect 0 as kim plan action done --help
check "help names the owner actor" grep -q "owner actor" <<<"$out$err"
denied_before=$(as eva audit query --action entry.add --denied --json | "$PY" -c \
  "import json,sys; print(len(json.load(sys.stdin)['events']))")
expect 3 as siv plan action done "${a1:0:6}"
check "another actor's member is refused" grep -qi "owner actor" <<<"$err"
expect 0 as eva audit query --action entry.add --denied --json
check "the refusal is logged" test "$(json "len(j['events'])")" -eq $((denied_before + 1))
expect 0 as kim plan show --case "$c6" --json
check "no status written by the refusal" test "$(json "[a['status'] for a in j['actions']]")" = "['open', 'open']"
expect 0 as sara plan action done "${a1:0:6}" --json
check "school's named principal marks it done" test "$(json "j['kind']")" = status
check "disclosed to the consent's other actors" test \
  "$(json "','.join(j['disclosed_to'])")" = "social,police,coordination"
expect 0 as kim plan show --case "$c6" --json
check "the coordinator sees it done" test "$(json "[a['status'] for a in j['actions']]")" = "['done', 'open']"
expect 0 as sara due --days 14 --json
check "school's due no longer lists it" test "$(json "[i['id'] for i in j['items'] if i['id']=='$a1']")" = "[]"
expect 0 as siv due --days 14 --json
check "social's own action is hers" test \
  "$(json "[i['mine'] for i in j['items'] if i['id']=='$a2']")" = "[True]"
expect 0 as eva audit verify
finish
