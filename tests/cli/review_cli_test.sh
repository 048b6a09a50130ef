#!/usr/bin/env bash
# The monthly log review (loggkontroll) from the command line (issue 13):
# audit review with a period, a principal, an actor and a flag kind, every
# row with time, principal name, actor, case and target; summaries by day
# and week; audit ack (note from a file, sealed for auditors) and audit
# review close, each a signed event; audit query --seq/--around; names in
# the query table and the CSV export; a wrong --checkpoint file is exit 2,
# a forged one exit 6.  The replay attacks on acks are in
# tests/unit/audit/review_scope_test.cpp.
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "eva coordination auditor"
pnr=$(make_pnr 15 433)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Granskningsson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara --json
case_id=$(json "j['id']")
printf 'Hög frånvaro.\n' > "$work/entry.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/entry.txt" --json
entry=$(json "j['id']")
expect 0 as sara entry read "$entry" --purpose follow-up
printf 'akut: risk för brott\n' > "$work/grant.txt"
expect 0 as per grant emergency --case "$case_id" --provision "OSL 10 kap. 15 a §" \
       --reason-file "$work/grant.txt" --json
expect 3 as per entry read "$entry" --purpose follow-up  # school's entry, not disclosed

expect 0 "$TOOL" audit review --help
check "review --help has an example" grep -q "audit review --since" <<<"$out"
expect 0 "$TOOL" audit ack --help
expect 0 "$TOOL" audit review close --help
check "close --help names --until" grep -q -- "--until" <<<"$out"

# The review of today, as the auditor: every row has time, name, actor, case.
today=$(date -u +%Y-%m-%d); tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
expect 0 as eva audit review --since "$today" --until "$tomorrow" --json
check "review document keys" test "$(json "list(j)[:6]")" = \
  "['schema_version', 'store_id', 'since', 'until', 'principal', 'actor']"
grant_seq=$(json "[f['seq'] for f in j['flags'] if f['kind'] == 'emergency-grant'][0]")
check "the grant's row: name, actor, case, target, open" \
  test "$(json "[(f['principal_name'], f['actor'], f['case_id'] == '$case_id', f['target'][:6], f['acknowledged']) for f in j['flags'] if f['seq'] == $grant_seq]")" = \
  "[('per', 'police', True, 'grant:', False)]"
check "every flag has a time and a principal name" \
  test "$(json "all(f['time'].endswith('Z') and f['principal_name'] for f in j['flags'])")" = True
check "summaries name principals" \
  test "$(json "sorted({c['name'] for c in j['summary']['per_principal']} & {'sara', 'per'})")" = \
  "['per', 'sara']"
check "top readers of the case" \
  test "$(json "[(c['case_id'] == '$case_id', [(r['name'], r['reads'], r['denied']) for r in c['readers']]) for c in j['top_readers']]")" = \
  "[(True, [('sara', 1, 0), ('per', 0, 1)])]"
expect 0 as eva audit review --since "$today" --by week --json
check "by week" test "$(json "(j['summary']['by'], j['summary']['per_action'][0]['period'][4:6])")" = "('week', '-W')"
expect 0 as eva audit review --principal per --json
check "--principal: only per's flags" test "$(json "sorted({f['principal_name'] for f in j['flags']})")" = "['per']"
# police: per's emergency grant is flagged at any hour (sara's read is
# flagged only outside office hours, so a filter on school would pass or
# fail with the time of day the suite runs).
expect 0 as eva audit review --actor police --json
check "--actor: only police's flags" test "$(json "sorted({f['actor'] for f in j['flags']})")" = "['police']"
expect 0 as eva audit review --flag emergency-grant --json
check "--flag" test "$(json "sorted({f['kind'] for f in j['flags']})")" = "['emergency-grant']"
expect 0 as eva audit review --since 2000-01-01 --until 2000-02-01 --json
check "an empty period" test "$(json "(len(j['flags']), j['events_in_scope'])")" = "(0, 0)"
expect 2 as eva audit review --flag no-such-kind
expect 2 as eva audit review --by month
expect 2 as eva audit review --since "$tomorrow" --until "$today"
expect 4 as eva audit review --principal nobody
expect 3 as sara audit review

# The text report: names, not only ids.
expect 0 as eva audit review --since "$today"
check "text: the grant row names per and the case" \
  grep -qE "^$grant_seq	[^	]+	per	police	$case_id	grant:" <<<"$out"
check "text: open" grep -q "emergency-grant	open" <<<"$out"
check "text: summaries" grep -q "^Per principal, by day" <<<"$out"

# Sign-off: the note from a file, for auditors only.
printf 'Kontrollerat: nödåtkomsten var befogad (dnr 2026/117).\n' > "$work/ack.txt"
expect 0 as eva audit ack "$grant_seq" --note-file "$work/ack.txt" --json
check "ack document" test "$(json "(j['flagged_seq'], j['auditor_name'], j['note_sealed'])")" = \
  "($grant_seq, 'eva', False)"
ack_seq=$(json "j['seq']")
expect 0 as eva audit review --since "$today" --json
check "the flag is acknowledged, by eva, with the note" \
  test "$(json "[(f['acknowledged'], f['ack']['seq'], f['ack']['auditor_name'], f['ack']['note'][:13]) for f in j['flags'] if f['seq'] == $grant_seq]")" = \
  "[(True, $ack_seq, 'eva', 'Kontrollerat:')]"
check "open and acknowledged counted" test "$(json "j['flags_acknowledged'] >= 1 and j['flags_open'] + j['flags_acknowledged'] == len(j['flags'])")" = True
expect 1 as eva audit ack "$grant_seq" --note again  # already acknowledged
check "already acknowledged: says so" grep -q "already acknowledged" <<<"$err"
expect 0 as eva audit query --seq "$ack_seq" --json
check "the ack is a signed audit.ack event by eva" \
  test "$(json "[(e['action'], e['target'], e['principal_name']) for e in j['events']]")" = \
  "[('audit.ack', 'event:$grant_seq', 'eva')]"
check "the note is not in the event" not_in "befogad" "$out"
expect 0 as eva audit export --format jsonl
check "the note is in no exported event" not_in "befogad" "$out"
check "the note is not in the store files" not_in_files "befogad" "$work"/store.db*
expect 3 as sara audit ack "$grant_seq" --note "mine"
expect 4 as eva audit ack 100000 --note "x"

# Closing the period; the next starts where it ended.
expect 0 as eva audit review close --until "$today" --json
check "closed from the start of the log" test "$(json "(j['since'], j['until'][:10], j['auditor_name'])")" = \
  "('1970-01-01T00:00:00Z', '$today', 'eva')"
expect 2 as eva audit review close --until "$today"
expect 2 as eva audit review close --until 2099-01-01
expect 0 as eva audit review --json
check "the closure is listed" test "$(json "[(c['auditor_name'], c['until'][:10]) for c in j['closures']]")" = \
  "[('eva', '$today')]"
expect 0 as eva audit verify

# Query by seq and around it; names in the table and the CSV.
expect 0 as eva audit query --seq "$grant_seq" --json
check "--seq: one event" test "$(json "[(e['seq'], e['principal_name']) for e in j['events']]")" = \
  "[($grant_seq, 'per')]"
expect 0 as eva audit query --around "$grant_seq" --radius 1 --json
check "--around: three events" test "$(json "[e['seq'] for e in j['events']]")" = \
  "[$((grant_seq - 1)), $grant_seq, $((grant_seq + 1))]"
expect 0 as eva audit query --seq "$grant_seq"
check "query table: name and id" grep -qE "^$grant_seq	[^	]+	per	[0-9a-f]{32}	police" <<<"$out"
expect 4 as eva audit query --seq 100000
check "past the end: one line" test "$(wc -l <<<"$err")" -eq 1
expect 2 as eva audit query --seq 1 --around 2
expect 2 as eva audit query --radius 2
expect 0 as eva audit export --format csv
check "csv: principal_name next to principal" \
  test "$(head -n1 <<<"$out" | cut -d, -f1-5)" = "seq,time,principal,principal_name,actor"
check "csv: per by name" grep -q ",per,police," <<<"$out"

# A wrong checkpoint file is a mistake (exit 2), a forged one tampering (6).
expect 0 as eva audit verifier-key
printf '%s\n' "$out" > "$work/verifier.key"
expect 2 as eva audit verify --checkpoint "$work/verifier.key"
check "not a checkpoint: one line" test "$(wc -l <<<"$err")" -eq 1
check "not a checkpoint: says so" grep -q "this is not a checkpoint of this store: origin none" <<<"$err"
check "no tampering alarm" not_in "auditor" "$err"
other="$work/other.db"
other_pw=$(pass_file other "other admin passphrase")
expect 0 "$TOOL" --store "$other" init --admin other --passphrase-file "$other_pw"
expect 0 "$TOOL" --store "$other" --user other --passphrase-file "$other_pw" user add oeva \
       --actor coordination --role auditor --new-passphrase-file "$other_pw"
expect 0 "$TOOL" --store "$other" --user oeva --passphrase-file "$other_pw" audit checkpoint \
       --out "$work/other.note"
expect 2 as eva audit verify --checkpoint "$work/other.note"
check "another store's checkpoint: both origins" \
  grep -qE "this is not a checkpoint of this store: origin sspf.local/[0-9a-f]+, expected sspf.local/[0-9a-f]+$" <<<"$err"
expect 0 as eva audit checkpoint --out "$work/kept.note"
"${PYTHON:-python3}" - "$work/kept.note" "$work/forged.note" <<'PYEOF'
import sys
n = open(sys.argv[1], encoding="utf-8").read()
body, _, sig = n.rpartition(" ")
sig = ("B" if sig[6] == "A" else "A").join([sig[:6], sig[7:]])
open(sys.argv[2], "w", encoding="utf-8").write(body + " " + sig)
PYEOF
expect 6 as eva audit verify --checkpoint "$work/forged.note"
expect 0 as eva audit verify --checkpoint "$work/kept.note"

finish
