#!/usr/bin/env bash
# sspf-tool: the lifecycle commands of issue 12: entry revoke, grant end,
# case team remove, case reopen, --supersedes of another actor's entry,
# subject custody, and grant emergency printing its end; consent confirm
# through the agent with the reference on stdin.  Personal numbers
# are generated (never real ones).
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "pia police member" "eva coordination auditor"

printf '%s\n' "$(make_pnr 12 231)" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Barnsson" \
       --guardian "Vera Vardnad" --guardian "Valter Vardnad" --json
subject=$(json "j['id']")
g1=$(json "j['guardians'][0]['id']")
g2=$(json "j['guardians'][1]['id']")
check "guardians have custody when added" test "$(json "j['guardians'][1]['custody']")" = True
expect 0 as kim case open --subject "$subject" --team sara,per --json
case_id=$(json "j['id']")

# ---- consent content ----------------------------------------------------------------
until=$(in_days 30)
expect 2 as kim consent grant --case "$case_id" --party "guardian:$g1" --actors school,police \
       --categories school --until "$(in_days 400)" --purpose planning
check "a consent lasts at most 12 months" grep -q "at most 12 months" <<<"$err"
export SSPF_CONSENT_MAX_MONTHS=1
expect 2 as kim consent grant --case "$case_id" --party "guardian:$g1" \
       --actors school,police --categories school --until "$(in_days 45)" --purpose planning
check "the host sets a shorter maximum" grep -q "at most 1 month:" <<<"$err"
SSPF_CONSENT_MAX_MONTHS=0
expect 2 as kim consent list --case "$case_id"
check "a bad maximum names the variable" grep -q "SSPF_CONSENT_MAX_MONTHS" <<<"$err"
unset SSPF_CONSENT_MAX_MONTHS
expect 2 as kim consent grant --case "$case_id" --party "guardian:$g1" --actors school,police \
       --categories school --until "$until"
check "a consent names a purpose code" grep -q "purpose code" <<<"$err"
expect 2 as kim consent grant --case "$case_id" --party "guardian:$g1" --actors school \
       --categories school --until "$until" --purpose planning
check "a consent names two actors" grep -q "at least two actors" <<<"$err"
expect 0 as kim consent grant --case "$case_id" --party "guardian:$g1" --actors school,police \
       --categories school --until "$until" --purpose planering --form-ref "KS 2026/41" --json
consent=$(json "j['id']")
expect 0 as per consent confirm "$consent" --ref "Dnr POL-2026-117" --json
check "consent confirm json" test "$(json "j['actor']") $(json "j['confirmed']")" = "police True"
expect 1 as per consent confirm "$consent" --ref "Dnr POL-2026-118"
check "one reference per actor" grep -q "already recorded" <<<"$err"
expect 3 as pia consent confirm "$consent" --ref "Dnr POL-1"
# Through the agent (no passphrase on the command): --ref-file - reads the
# reference from the client's stdin, which the agent forwards.
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
trap '"$TOOL" --user sara lock >/dev/null 2>&1; rm -rf "$work"' EXIT
expect 0 "$TOOL" --user sara --passphrase-file "$work/sara.pw" agent --idle-timeout 60
expect 0 "$TOOL" --user sara consent confirm "$consent" --ref-file - <<<"Skolans blankett 12"
expect 0 "$TOOL" --user sara lock
unset XDG_RUNTIME_DIR
expect 0 as kim consent list --case "$case_id" --json
check "references listed" test "$(json "[(r['actor'], r['reference']) for r in j['consents'][0]['references']]")" = \
  "[('coordination', 'KS 2026/41'), ('police', 'Dnr POL-2026-117'), ('school', 'Skolans blankett 12')]"
check "purpose label stored as code" test "$(json "j['consents'][0]['purpose']")" = planning
expect 0 as kim consent list --case "$case_id"
check "consent list text: the version and every actor's reference" \
  grep -q "	active	version 1	coordination: KS 2026/41	police: Dnr POL-2026-117	school: Skolans blankett 12$" <<<"$out"

# ---- custody ----------------------------------------------------------------------
out=$(printf 'Hög frånvaro.\n' | as sara entry add --case "$case_id" --category school --json \
      2>"$work/stderr")
entry=$(json "j['id']")
expect 3 as sara entry disclose "$entry" --to police
check "guardian 2 with custody must consent" grep -q "$g2" <<<"$err"
expect 3 as sara subject custody "$subject" "$g2" --custody no
expect 2 as kim subject custody "$subject" "$g2" --custody maybe
expect 0 as kim subject custody "$subject" "$g2" --custody no --json
check "custody json" test "$(json "j['custody']")" = False
expect 1 as kim subject custody "$subject" "$g2" --custody no
expect 0 as kim subject show "$subject"
check "subject show marks no custody" grep -q "$g2.*(no custody)" <<<"$out"
expect 1 as kim consent grant --case "$case_id" --party "guardian:$g2" --actors school,police \
       --categories school --until "$until" --purpose planning
check "no custody: cannot consent" grep -q "no custody" <<<"$err"
expect 0 as sara entry disclose "$entry" --to police --json
disclosure=$(json "j['id']")
expect 0 as per entry read "$entry" --purpose follow-up

# ---- revoke -------------------------------------------------------------------------
expect 3 as per entry revoke "$disclosure"
expect 4 as sara entry revoke no-such-disclosure
expect 0 as sara entry revoke "$disclosure" --json
check "revoke json" test "$(json "j['revoked']")" = True
expect 3 as per entry read "$entry" --purpose follow-up
check "read after revoke names the revocation" grep -q "revoked" <<<"$err"
check "denied read prints nothing" test -z "$out"
expect 1 as sara entry revoke "$disclosure"

# ---- supersedes -----------------------------------------------------------------------
out=$(printf 'Polisens anteckning.\n' | as per entry add --case "$case_id" --category police \
      --json 2>"$work/stderr")
police_entry=$(json "j['id']")
out=$(printf 'Rättelse.\n' | as sara entry add --case "$case_id" --category school \
      --supersedes "$police_entry" 2>"$work/stderr"); rc=$?
err=$(cat "$work/stderr")
check "superseding another actor's entry is denied" test "$rc" = 3
check "the denial says own actor" grep -q "own actor" <<<"$err"
out=$(printf 'Rättelse.\n' | as sara entry add --case "$case_id" --category school \
      --supersedes "$entry" 2>"$work/stderr"); rc=$?
check "superseding one's own actor's entry works" test "$rc" = 0

# ---- grant emergency / end -----------------------------------------------------------
expect 3 as pia case show "$case_id"
expect 0 as pia grant emergency --case "$case_id" --provision "OSL 10 kap. 15 a §" \
       --reason "avvägning gjord" --hours 4
check "grant emergency prints its end" grep -q "until [0-9-]*T[0-9:]*Z" <<<"$out"
grant=$(sed -n 's/^Granted; grant \([^ ]*\) until .*/\1/p' <<<"$out")
check "grant id printed" test -n "$grant"
expect 0 as pia case show "$case_id"
expect 3 as sara grant end "$grant"
expect 0 as pia grant end "$grant" --json
check "grant end json" test "$(json "j['ended']")" = True
expect 3 as pia case show "$case_id"
expect 1 as pia grant end "$grant"
expect 0 as pia grant emergency --case "$case_id" --provision "OSL 10 kap. 15 a §" \
       --reason "avvägning gjord" --hours 2 --json
check "grant json has until" test -n "$(json "j['until']")"

# ---- team remove, disabled member, reopen ----------------------------------------------
expect 3 as sara case team remove "$case_id" per
expect 0 as kim case team remove "$case_id" per --json
check "team remove json" test "$(json "j['removed']")" = True
expect 3 as per entry list --case "$case_id"
expect 1 as kim case team remove "$case_id" per
expect 1 as kim case team remove "$case_id" kim
check "the last coordinator stays" grep -q "coordinator" <<<"$err"
expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user disable sara
expect 0 as kim case show "$case_id"
check "case show marks a disabled member" grep -q "team: *sara *(disabled)" <<<"$out"
expect 0 as kim case show "$case_id" --json
check "team_disabled in json" test "$(json "','.join(j['team_disabled'])")" = sara

expect 1 as kim case reopen "$case_id"
expect 0 as kim case close "$case_id"
expect 0 as kim case reopen "$case_id" --json
check "reopen json" test "$(json "j['open']")" = True
expect 0 as kim case close "$case_id"
expect 0 as kim case reopen "$case_id"

# ---- the log ---------------------------------------------------------------------------
expect 0 as eva audit verify
for action in guardian.custody entry.revoke grant.end case.team_remove case.reopen \
              consent.confirm; do
  expect 0 as eva audit query --action "$action" --allowed --json
  check "$action logged" test "$(json "len(j['events'])")" -ge 1
done
finish
