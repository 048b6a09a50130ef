#!/usr/bin/env bash
# Human handles (issue 14): a coordinator's session with case numbers,
# guardians by position and by name, subject list and staff list (decided
# and logged, coordinators only), and the youth's name in case list and
# show only for those who may see it.
TOOL=$1
. "$(dirname "$0")/lib.sh"
trap 'rm -rf "$work"' EXIT

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "lo school member" "gus social member" \
          "eva coordination auditor"
expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user disable gus
year=$(date -u +%Y)

# The staff to build a team from: active members and coordinators only.
expect 0 as kim staff list
check "staff list names the school staff" grep -q "^sara	school	member	" <<<"$out"
check "staff list names the coordinator" grep -q "^kim	coordination	coordinator	" <<<"$out"
check "no disabled principal" not_in "gus" "$out"
check "no admin or auditor" test -z "$(grep -E '^(anna|eva)	' <<<"$out")"
expect 0 as kim staff list --actor school --json
check "--actor school: sara and lo" \
  test "$(json "','.join(m['name'] for m in j['staff'])")" = "lo,sara"
check "no history fields" test "$(json "sorted(j['staff'][0].keys())")" = \
  "['actor', 'id', 'name', 'role']"
expect 3 as sara staff list
check "a member may not list the staff" grep -q "only coordinators and admins" <<<"$err"
expect 3 as eva staff list
expect 2 as kim staff list --actor nowhere

# A youth with two guardians, then a second youth whose guardians share a name.
printf '%s\n' "$(make_pnr 13 611)" > "$work/pnr1.txt"
printf '%s\n' "$(make_pnr 14 612)" > "$work/pnr2.txt"
expect 0 as kim subject add --pnr-file "$work/pnr1.txt" --name "Åke Handtag" \
       --guardian "Vera Vårdnad" --guardian "Vilhelm Vårdnad" --json
subject=$(json "j['id']")
g1=$(json "j['guardians'][0]['id']"); g2=$(json "j['guardians'][1]['id']")
expect 0 as kim subject add --pnr-file "$work/pnr2.txt" --name "Bea Annan" \
       --guardian "Kim Lik" --guardian "Kim Lik" --json
other=$(json "j['id']")

# subject add and subject show name the guardians by position, as --party takes them.
expect 0 as kim subject show "${subject:0:6}"
check "subject show: guardian:1 and guardian:2" \
  test "$(grep -c "^  guardian:[12]  [0-9a-f]\{32\}  V" <<<"$out")" = 2
check "in registration order" grep -q "^  guardian:2  $g2  Vilhelm Vårdnad$" <<<"$out"

# subject list: in-process search, coordinators only, logged without the text.
expect 0 as kim subject list --name "åke"
check "found by a lower-case å" grep -q "^$subject	Åke Handtag	" <<<"$out"
check "the other youth is not listed" not_in "$other" "$out"
check "guardians by position" grep -q "guardian:2 Vilhelm Vårdnad" <<<"$out"
expect 0 as kim subject list --json
check "two subjects" test "$(json "len(j['subjects'])")" = 2
expect 3 as sara subject list --name "Åke"
check "a member is denied" grep -q "only a coordinator lists subjects" <<<"$err"
check "denied: nothing printed" test -z "$out"

# Cases get numbers per year; the number works wherever a case id does.
expect 0 as kim case open --subject "${subject:0:8}" --team "sara" --json
case1=$(json "j['id']")
expect 0 as kim case open --subject "$other" --team "per" --json
case2=$(json "j['id']")
expect 0 as kim case show "$year-0001" --json
check "case number 1 is the first case" test "$(json "j['id']")" = "$case1"
check "its number" test "$(json "j['number']")" = "$year-0001"
check "the youth's name for the coordinator" test "$(json "j['subject_name']")" = "Åke Handtag"
check "opened_by_name" test "$(json "j['opened_by_name']")" = "kim"
check "team names and ids" test "$(json "j['team'][1] + ' ' + str(len(j['team_ids'][1]))")" = \
  "sara 32"
expect 0 as kim case show "$year-2"
check "case show: number and name in the text" \
  grep -q "^Case $year-0002  $case2 (open)" <<<"$out"
check "case show: the youth's name" grep -q "subject: $other  Bea Annan" <<<"$out"
check "case show: principal names next to ids" grep -q "team:    per  [0-9a-f]\{32\}" <<<"$out"
expect 0 as kim case list
check "case list: number, id and name" grep -q "^$year-0001	$case1	open	subject $subject  Åke Handtag	" <<<"$out"
expect 0 as kim id "$year-0002"
check "id resolves a case number" test "$out" = "case $case2"
expect 4 as kim case show "$year-0009"
check "an unknown number says so" grep -q "no case has the number $year-0009" <<<"$err"

# Guardians by position and by name; the log records the full ids.
expect 0 as sara consent grant --case "$year-0001" --party guardian:2 --actors school,social \
       --categories school --until "$((year + 1))-01-31" --purpose planning --json
c_g2=$(json "j['id']")
expect 0 as sara consent list --case "$year-0001" --json
check "guardian:2 is the second guardian" \
  test "$(json "[c['guardian_id'] for c in j['consents'] if c['id'] == '$c_g2'][0]")" = "$g2"
expect 0 as sara consent grant --case "${case1:0:7}" --party "guardian:vera vårdnad" \
       --actors school,social --categories school --until "$((year + 1))-01-31" \
       --purpose planning --json
c_g1=$(json "j['id']")
expect 0 as sara consent list --case "$case1" --json
check "a unique name names the guardian" \
  test "$(json "[c['guardian_id'] for c in j['consents'] if c['id'] == '$c_g1'][0]")" = "$g1"
check "consent list gives each guardian's position" \
  test "$(json "sorted((c['guardian_position'], c['guardian_id']) for c in j['consents'])")" = \
  "[(1, '$g1'), (2, '$g2')]"
expect 0 as sara consent list --case "$year-0001"
check "consent list text: the guardian by position, then id" \
  grep -q "^$c_g2	guardian:2 ($g2)	school,social	" <<<"$out"
expect 2 as sara consent grant --case "$case1" --party "guardian:Nils Okänd" \
       --actors school,social --categories school --until "$((year + 1))-01-31" \
       --purpose planning
check "an unknown name says how to name them" grep -q "guardian:POSITION" <<<"$err"
check "and lists the positions" grep -q "positions 1-2" <<<"$err"
check "no name in the message" not_in "Vera" "$err"
expect 2 as per consent grant --case "$year-0002" --party "guardian:kim lik" \
       --actors school,police --categories school --until "$((year + 1))-01-31" \
       --purpose planning
check "an ambiguous name lists the positions" grep -q "positions 1, 2" <<<"$err"
check "no name in the ambiguity message" not_in "Kim" "$err"
expect 2 as per consent grant --case "$year-0002" --party "guardian:3" \
       --actors school,police --categories school --until "$((year + 1))-01-31" \
       --purpose planning
check "a position out of range" grep -q "no guardian at position 3" <<<"$err"
refused_party() {  # refused_party PARTY: per's consent for that party, refused (exit 2)
  expect 2 as per consent grant --case "$year-0002" --party "$1" --actors school,police \
         --categories school --until "$((year + 1))-01-31" --purpose planning
}
refused_party "guardian:99999999999999999999"
check "a huge position is not misread as 999" grep -q "no guardian at that position;" <<<"$err"
check "and not truncated" not_in "position 999" "$err"
refused_party "guardian:0"
check "position 0" grep -q "no guardian at position 0;" <<<"$err"

# Custody by the guardian's id prefix (GUARDIAN_ID), named as in the usage line.
expect 0 as kim subject custody "${subject:0:6}" "${g2:0:6}" --custody no --json
check "custody by prefixes" test "$(json "(j['subject_id'], j['guardian_id'], j['custody'])")" = \
  "('$subject', '$g2', False)"
expect 0 as kim subject custody "${subject:0:6}" "${g2:0:7}" --custody yes
expect 2 as kim subject custody "$subject" --custody yes
check "the missing guardian is named" grep -q "missing argument GUARDIAN_ID in 'subject custody ID GUARDIAN_ID" <<<"$err"
unknown_g=$( [ "${g2:0:1}" = 0 ] && echo 1 || echo 0 )${g2:1:7}
expect 4 as kim subject custody "$subject" "$unknown_g" --custody yes
check "an unknown guardian prefix names GUARDIAN_ID" grep -q "^sspf-tool: GUARDIAN_ID: no " <<<"$err"

# A team name that is no active member says where the staff are listed.
expect 4 as kim case open --subject "$other" --team "per, nobody"
check "an unknown team member points to staff list" \
  grep -q "team member 2: no such principal (sspf-tool staff list shows the active staff)" <<<"$err"
expect 1 as kim case open --subject "$other" --team "per, gus"
check "a disabled team member points to staff list" grep -q "disabled.*staff list" <<<"$err"
expect 0 as eva audit query --case "$year-0001" --json
check "the log names the full case id" \
  test "$(json "len([e for e in j['events'] if e['case_id'] == '$case1'])")" -gt 2
check "the consent events name the consents" grep -q "consent:$c_g2" <<<"$out"
check "no case number as an id in the log" not_in "\"case_id\":\"$year-" "$out"
expect 0 as eva audit query --action subject.list --json
check "subject.list logged once per listing, allowed and denied" \
  test "$(json "len(j['events'])")" = 3
check "the search text is not in the log" not_in "åke" "$out"
check "no name in the log" not_in "Handtag" "$out"
expect 0 as eva audit query --action staff.list --json
check "staff.list logged" test "$(json "len(j['events'])")" -ge 4

# A member with only an emergency grant sees the case, not the name.
printf 'Akut läge.\n' > "$work/reason.txt"
expect 0 as lo grant emergency --case "$year-0001" --provision "OSL 10 kap. 2 §" \
       --reason-file "$work/reason.txt" --hours 2
expect 0 as lo case show "$year-0001" --json
check "grant holder: the subject id" test "$(json "j['subject_id']")" = "$subject"
check "grant holder: no name" test "$(json "j['subject_name']")" = None
expect 0 as lo case list
check "grant holder's case list has no name" not_in "Åke" "$out"
expect 0 as sara case list --json
check "a team member sees the name" test "$(json "j['cases'][0]['subject_name']")" = "Åke Handtag"

expect 0 as eva audit verify
for c in "staff list" "subject list"; do
  expect 0 "$TOOL" $c --help
  check "$c --help has an example" grep -q "Example" <<<"$out"
done
finish
