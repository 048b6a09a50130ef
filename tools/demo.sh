#!/usr/bin/env bash
# An end-to-end SSPF case on a throwaway store, driven through sspf-tool:
# a coordinator, a school counsellor, a social worker and a police officer
# work on one youth's case; consent decides what passes between them; the
# coordinator's working day (one unlock through the agent, the youth found
# by name, the case by its number, guardians by position and name) holds a
# network meeting with a joint plan of three actions, a follow-up and `due`;
# withdrawal takes effect at once; an auditor verifies the access log and
# produces the youth's log extract (loggutdrag).
#
# Usage: tools/demo.sh [path/to/sspf-tool]
# All identities are fictitious; the personnummer is generated with a valid
# check digit for a made-up birth date.
set -euo pipefail

TOOL=${1:-$(dirname "$0")/../build/tools/sspf-tool/sspf-tool}
[ -x "$TOOL" ] || { echo "demo: sspf-tool not found at $TOOL (run tools/setup.sh build)" >&2; exit 1; }
work=$(mktemp -d)
trap '"$TOOL" --user kim.samordnare lock >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
export SSPF_STORE="$work/kommun.db"
# The agent's socket lives here (a private directory of this demo).
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
# Demo speed: Argon2id INTERACTIVE instead of MODERATE (never in production).
export SSPF_KDF=${SSPF_KDF:-interactive}

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
pw() { printf '%s\n' "demo passphrase for $1" > "$work/$1.pw"; echo "$work/$1.pw"; }
as() { local who=$1; shift; "$TOOL" --user "$who" --passphrase-file "$work/$who.pw" "$@"; }
jget() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# A fictitious 16-year-old: a valid personnummer for a generated birth date.
pnr=$(python3 - <<'PY'
import datetime
today = datetime.date.today()
born = today.replace(year=today.year - 16) - datetime.timedelta(days=40)
base = born.strftime("%y%m%d") + "987"
digits = [int(c) * (2 - i % 2) for i, c in enumerate(base)]
check = (10 - sum(d // 10 + d % 10 for d in digits) % 10) % 10
print(born.strftime("%Y%m%d") + "-987" + str(check))
PY
)

say "The admin creates the store (the recovery key is printed once)"
pw admin.anna >/dev/null
"$TOOL" --passphrase-file "$work/admin.anna.pw" init --admin admin.anna \
  --recovery-key-out "$work/recovery.key"

say "Principals of all four actors, a coordinator and an auditor"
for spec in "kim.samordnare coordination coordinator" "sara.skola school member" \
            "sam.soc social member" "per.polis police member" "lia.fritid leisure member" \
            "eva.revisor coordination auditor"; do
  set -- $spec
  as admin.anna user add "$1" --actor "$2" --role "$3" --new-passphrase-file "$(pw "$1")"
done

say "The coordinator registers the youth (two guardians) and opens a case"
subject=$(echo "$pnr" > "$work/pnr"; as kim.samordnare --json subject add --pnr-file "$work/pnr" \
  --name "Alex Exempel" --guardian "Kim Exempel" --guardian "Robin Exempel")
subject_id=$(echo "$subject" | jget "['id']")
g1=$(echo "$subject" | jget "['guardians'][0]['id']")
g2=$(echo "$subject" | jget "['guardians'][1]['id']")
case_id=$(as kim.samordnare --json case open --subject "$subject_id" \
  --team kim.samordnare,sara.skola,sam.soc,per.polis | jget "['id']")
echo "subject $subject_id, case $case_id"

say "Consent (samtycke): the youth (16) and both guardians, school <-> social <-> police"
until=$(date -u -d "+6 months" +%F)
for party in youth "guardian:$g1" "guardian:$g2"; do
  as kim.samordnare consent grant --case "$case_id" --party "$party" \
    --actors school,social,police --categories school,social \
    --until "$until" --purpose sspf-meeting --form-ref "blankett 2026-117"
done
as kim.samordnare consent list --case "$case_id"

say "The school counsellor writes an entry and discloses it to the police under the consent"
entry_id=$(printf 'Frånvaro 40 %% senaste månaden; elevhälsan kopplad.\n' |
  as sara.skola --json entry add --case "$case_id" --category school | jget "['id']")
as sara.skola entry disclose "$entry_id" --to police

say "The police officer reads it (allowed: consent in force)"
as per.polis entry read "$entry_id" --purpose "SSPF-möte"

say "The leisure worker is not on the case team: denied (exit 3), nothing shown"
set +e
as lia.fritid entry read "$entry_id"; echo "exit code $?"
set -e

say "The coordinator's working day: one unlock (sspf-tool agent), then no passphrase"
as kim.samordnare agent --idle-timeout 900
kim() { "$TOOL" --user kim.samordnare "$@"; }   # every command goes through the agent
kim staff list --actor school
kim subject list --name exempel                 # found by name, guardians by position
kim case list                                   # the case number (ärendenummer) and the name
c6=$(kim case list | grep -F "$case_id" | cut -f1)

say "The network meeting (nätverksmöte) agrees a joint plan (åtagandeplan) of three actions"
for party in youth guardian:1 "guardian:Robin Exempel"; do
  kim consent grant --case "$c6" --party "$party" \
    --actors coordination,school,social --categories plan,meeting \
    --until "$until" --purpose sspf-meeting --form-ref "blankett 2026-118"
done
printf 'Alex, vårdnadshavarna, skolan och socialtjänsten deltog.\n' > "$work/minutes.txt"
kim meeting add --case "$c6" --date "$(date -u +%F)" --kind natverksmote \
  --attendees school,social,coordination --minutes-file "$work/minutes.txt" \
  --next-follow-up "$(date -u -d "+6 weeks" +%F)"
printf 'Alex går i skolan varje dag.\n' > "$work/goal.txt"
goal=$(kim --json plan goal add --case "$c6" --text-file "$work/goal.txt" | jget "['id']")
action=$(kim --json plan action add --case "$c6" --goal "${goal:0:6}" \
  --owner school --principal sara.skola --due "$(date -u -d "+1 week" +%F)" \
  --text "Daglig närvarouppföljning" | jget "['id']")
kim plan action add --case "$c6" --goal "${goal:0:6}" --owner social \
  --due "$(date -u -d "+2 weeks" +%F)" --text "Familjesamtal"
kim plan action add --case "$c6" --goal "${goal:0:6}" --owner leisure \
  --due "$(date -u -d "+4 weeks" +%F)" --text "Plats i en förening"
as sara.skola plan show --case "$c6"
say "The police officer is on the team but outside this consent: no plan (exit 3)"
set +e
as per.polis plan show --case "$c6"; echo "exit code $?"
set -e
say "At the follow-up (uppföljning) the school's action is done; what is due now"
kim plan action done "${action:0:6}"
kim meeting add --case "$c6" --date "$(date -u +%F)" --kind uppfoljning \
  --attendees school,social,coordination --next-follow-up "$(date -u -d "+10 weeks" +%F)"
kim due --days 30        # the case by number, whose consent runs out (guardian:N)
as sam.soc due --days 30
kim lock                 # the end of the working day: the agent wipes its keys

say "A guardian withdraws consent: the police read is denied at once"
consent_id=$(as kim.samordnare --json consent list --case "$case_id" |
  python3 -c "import json,sys; print([c['id'] for c in json.load(sys.stdin)['consents'] if c['party']=='guardian' and c['guardian_id']=='$g1'][0])")
as kim.samordnare consent withdraw "$consent_id"
set +e
as per.polis entry read "$entry_id"; echo "exit code $?"
set -e

say "The auditor takes a checkpoint and keeps it outside the store"
as eva.revisor audit checkpoint --out "$work/kept-checkpoint.txt"
cat "$work/kept-checkpoint.txt"
as eva.revisor audit verifier-key

say "More work happens; the auditor verifies that the log extends the kept checkpoint"
as sara.skola entry list --case "$case_id" >/dev/null
as eva.revisor audit verify --checkpoint "$work/kept-checkpoint.txt"

say "Loggutdrag (log extract) for the youth: who accessed the data, when, why"
as eva.revisor audit extract --subject "$subject_id"

say "Review (loggkontroll) flags"
as eva.revisor audit review

say "Done: every step above is in the tamper-evident access log"
