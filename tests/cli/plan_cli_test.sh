#!/usr/bin/env bash
# sspf-tool: the joint plan (åtagandeplan), meetings and due (issue 14), as a
# coordinator's session: a youth with two guardians, a case, the consents, a
# network meeting (nätverksmöte) with a plan of three actions, a follow-up
# (uppföljning), then due.  Ids are typed as 6-digit prefixes, the case as
# its number and the guardians by position and name, where a person would.
# Then the access rules: the plan is readable by the team actors the
# consent covers and by no one else (a denial, logged), and nothing of it is
# in the access log or a plaintext column.  Personal numbers are generated.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "siv social member" "per police member" "lea leisure member" \
          "eva coordination auditor"

# ---- the youth, two guardians, a case ------------------------------------------------
# As a person works: the text outputs are read, the youth is found again by
# name, the team is built from staff list, the case is named by its number
# (ärendenummer) and the guardians by position and by name.
printf '%s\n' "$(make_pnr 13 417)" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Plansson" \
       --guardian "Greta Plansson" --guardian "Gustav Plansson"
expect 0 as kim subject list --name "plansson"
subject=$(cut -f1 <<<"$out")
check "the youth found by name, guardians by position" \
  grep -q "^$subject	Testa Plansson	.*guardian:1 Greta Plansson	guardian:2 Gustav Plansson$" <<<"$out"
expect 0 as kim staff list
check "the team's staff listed" test "$(grep -cE "^(sara|siv|per)	" <<<"$out")" = 3
expect 0 as kim case open --subject "${subject:0:6}" --team "sara, siv, per"
case_id=$(sed -n 's/^Opened case \([0-9a-f]\{32\}\)$/\1/p' <<<"$out")
expect 0 as kim case list
number=$(grep -F "$case_id" <<<"$out" | cut -f1)
check "case list: number and the youth's name" \
  grep -q "^$number	$case_id	open	subject $subject  Testa Plansson	" <<<"$out"
c6=$number  # every case command below names the case by its number
check "a case number" grep -qE "^[0-9]{4}-[0-9]{4}$" <<<"$c6"

# Both guardians consent to school, social and coordination sharing the plan
# and the meetings (not police, not leisure): the first by position, the
# second by name.
until=$(in_days 10)
for party in guardian:1 "guardian:Gustav Plansson"; do
  expect 0 as kim consent grant --case "$c6" --party "$party" \
         --actors coordination,school,social --categories plan,meeting --until "$until" \
         --purpose sspf-meeting --json
done
expect 0 as kim subject show "${subject:0:6}" --json
g1=$(json "j['guardians'][0]['id']"); g2=$(json "j['guardians'][1]['id']")
expect 0 as kim consent list --case "$c6" --json
check "the consents name both guardians" \
  test "$(json "sorted(c['guardian_id'] for c in j['consents'])")" = "$(printf "['%s', '%s']" $(printf '%s\n' "$g1" "$g2" | sort))"

# ---- the network meeting and its plan ----------------------------------------------
printf 'Närvarande: skola, socialtjänst, samordnare, familjen.\nFrånvaro diskuterades.\n' \
  > "$work/minutes.txt"
follow=$(in_days 5)
expect 0 as kim meeting add --case "$c6" --date "$(in_days 0)" --kind natverksmote \
       --attendees school,social,coordination --minutes-file "$work/minutes.txt" \
       --next-follow-up "$follow" --json
meeting=$(json "j['id']")
check "meeting disclosed to the consent's team actors" \
  test "$(json "','.join(j['disclosed_to'])")" = "school,social"
check "meeting kind in the write" test "$(json "j['kind']")" = meeting

expect 0 as kim plan goal add --case "$c6" --text "Regelbunden skolgång" --json
goal=$(json "j['id']")
check "goal disclosed to school and social, not police" \
  test "$(json "','.join(j['disclosed_to'])")" = "school,social"
expect 0 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner school \
       --principal sara --due "$(in_days -2)" --text "Daglig närvarokontroll" --json
a1=$(json "j['id']")
expect 0 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner social \
       --due "$(in_days 3)" --text "Samtal med familjen" --json
a2=$(json "j['id']")
expect 0 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner leisure \
       --due "$(in_days 60)" --text "Plats i fotbollslag" --json
a3=$(json "j['id']")

# Bad input is a usage error or refused, naming what is wrong.
expect 2 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner school \
       --due 2026-02-30 --text "x"
check "a bad due date names the option" grep -q -- "--due" <<<"$err"
expect 2 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner janitor \
       --due "$(in_days 3)" --text "x"
check "a bad owner names the option" grep -q -- "--owner" <<<"$err"
expect 2 as kim plan action add --case "$c6" --goal "${a1:0:6}" --owner school \
       --due "$(in_days 3)" --text "x"
check "an action's goal must be a goal" grep -q "is not a goal" <<<"$err"
expect 2 as kim plan action add --case "$c6" --goal "${goal:0:6}" --owner school \
       --principal siv --due "$(in_days 3)" --text "x"
check "the principal must be of the owner actor" grep -q "not an active member of actor school" <<<"$err"
expect 2 as kim meeting add --case "$c6" --date "$(in_days 0)" --kind fika --attendees school
check "a bad meeting kind names the kinds" grep -q "natverksmote" <<<"$err"
expect 2 as kim meeting add --case "$c6" --date "$(in_days 3)" --kind uppfoljning \
       --attendees school --next-follow-up "$(in_days 1)"
check "a follow-up before the meeting is refused" grep -q "before the meeting" <<<"$err"
expect 2 as kim due --days 400
expect 3 as sara plan goal add --case "$c6" --text "Skolans eget mål"
check "only a coordinator writes the plan" grep -qi "coordinat" <<<"$err"

# ---- plan show, by each reader -------------------------------------------------------
expect 0 as kim plan show --case "$c6" --json
check "three actions" test "$(json "len(j['actions'])")" = 3
check "actions by due date" test "$(json "[a['id'] for a in j['actions']] == ['$a1','$a2','$a3']")" = True
check "the first is overdue" test "$(json "[a['overdue'] for a in j['actions']]")" = "[True, False, False]"
check "owner and principal" test "$(json "(j['actions'][0]['owner'], j['actions'][0]['principal'])")" = "('school', 'sara')"
check "next follow-up from the meeting" test "$(json "j['next_follow_up']")" = "$follow"
check "minutes kept" grep -q "Frånvaro diskuterades" <<<"$(json "j['meetings'][0]['minutes']")"
check "attendees by actor" test "$(json "j['meetings'][0]['attendees']")" = "['school', 'social', 'coordination']"
expect 0 as sara plan show --case "$c6" --json
check "school reads the plan" test "$(json "(len(j['actions']), len(j['meetings']))")" = "(3, 1)"
expect 0 as siv plan show --case "$c6"
check "social reads the plan (text)" grep -q "Samtal med familjen" <<<"$out"
check "text marks overdue" grep -q "OVERDUE" <<<"$out"
denied_before=$(as eva audit query --action entry.read --denied --json | "$PY" -c \
  "import json,sys; print(len(json.load(sys.stdin)['events']))")
expect 3 as per plan show --case "$c6" --json
check "police (on the team, outside the consent) gets no plan" not_in "Daglig" "$out$err"
check "the denial says the plan was never disclosed to police" \
  grep -q "not disclosed to police" <<<"$err"
expect 3 as lea plan show --case "$c6"
check "leisure (off the team) gets no plan" not_in "Daglig" "$out$err"
expect 0 as eva audit query --action entry.read --denied --json
check "the refused reads are logged" test "$(json "len(j['events'])")" -gt "$denied_before"

# ---- follow-up: an action done, the follow-up meeting ---------------------------------
expect 0 as kim plan action done "${a1:0:6}" --json
check "status write" test "$(json "j['kind']")" = status
expect 1 as kim plan action done "${a1:0:6}"
check "done twice is refused" grep -q "already done" <<<"$err"
expect 2 as kim plan action done "${goal:0:6}"
check "a goal is not an action" grep -q "not a plan action" <<<"$err"
expect 0 as sara plan show --case "$c6" --json
check "school sees it done" test "$(json "[a['status'] for a in j['actions']]")" = "['done', 'open', 'open']"
check "done is not overdue" test "$(json "j['actions'][0]['overdue']")" = False

# ---- due -----------------------------------------------------------------------------
expect 0 as kim due --days 14 --json
check "kim: action due, follow-up, two consents" test \
  "$(json "sorted(i['kind'] for i in j['items'])")" = \
  "['action-due', 'consent-expiring', 'consent-expiring', 'follow-up']"
check "kim: the social action" test "$(json "[i['id'] for i in j['items'] if i['kind']=='action-due']")" = "['$a2']"
check "every item names the case number" test "$(json "{i['case_number'] for i in j['items']}")" = "{'$number'}"
check "whose consent runs out: the guardians by position" test \
  "$(json "sorted(i['party'] for i in j['items'] if i['kind']=='consent-expiring')")" = \
  "['guardian:1', 'guardian:2']"
check "party only on consents" test \
  "$(json "[i['party'] for i in j['items'] if i['kind']!='consent-expiring']")" = "[None, None]"
expect 0 as siv due --days 14 --json
check "siv: her actor's action is mine" test \
  "$(json "[i['mine'] for i in j['items'] if i['kind']=='action-due']")" = "[True]"
expect 0 as sara due --days 70 --json
check "sara: the leisure action within 70 days" grep -q "$a3" <<<"$out"
check "sara: not hers" test "$(json "[i['mine'] for i in j['items'] if i['id']=='$a3']")" = "[False]"
expect 0 as per due --days 70 --json
check "police lists no plan item" test "$(json "[i['kind'] for i in j['items'] if i['kind'].startswith('action') or i['kind']=='follow-up']")" = "[]"
check "police sees nothing of the plan" not_in "fotbollslag" "$out"
expect 0 as lea due --days 70 --json
check "leisure (off the team) has nothing due" test "$(json "len(j['items'])")" = 0
expect 0 as kim due
check "due text" grep -q "follow-up" <<<"$out"
check "due text: the case by number, a consent by party" \
  grep -qE "consent-expiring	case $number $case_id	[0-9a-f]{32}	guardian:[12]$" <<<"$out"

# A follow-up meeting sets the next one.
expect 0 as kim meeting add --case "$c6" --date "$(in_days 1)" --kind uppföljning \
       --attendees school,social --next-follow-up "$(in_days 40)" --minutes-file - --json \
       <<<"Uppföljning: närvaron bättre."
expect 0 as kim due --days 14 --json
check "the follow-up moved out of the window" test \
  "$(json "[i['kind'] for i in j['items'] if i['kind']=='follow-up']")" = "[]"

# ---- nothing of the plan in the clear -----------------------------------------------
expect 0 as eva audit export --format jsonl
check "no plan text in the log" not_in "Daglig" "$out"
check "no due date in the log" not_in "$(in_days -2)" "$out"
check "no plan text in the store file" not_in_files "Daglig närvarokontroll" "$SSPF_STORE"
expect 0 as eva audit verify
finish
