#!/usr/bin/env bash
# Purpose codes and purpose notes (issue 11, "No free text in leaves"):
# entry read --purpose takes a code (or a label) and refuses free text;
# --note / --note-file stores free text encrypted, never in the log;
# case notes reads it back for the reader's actor and the auditor;
# note erase removes it and audit verify still says ok.  Attacks on the
# note rows are tested in tests/unit/domain/purpose_notes_test.cpp.
TOOL=$1
PY=${PYTHON:-python3}
. "$(dirname "$0")/lib.sh"

expect 0 "$TOOL" purposes
check "purposes: the codes with their labels" grep -q "^follow-up *uppföljning / follow-up$" <<<"$out"
expect 0 "$TOOL" purposes --json
check "purposes --json: the default codes" test "$(json "[p['code'] for p in j['purposes']]")" = \
  "['sspf-meeting', 'planning', 'follow-up', 'emergency', 'log-review', 'investigation', 'control']"
check "purposes --json: labels" test "$(json "j['purposes'][0]")" = \
  "{'code': 'sspf-meeting', 'label_sv': 'SSPF-möte', 'label_en': 'SSPF meeting'}"
expect 0 "$TOOL" entry read --help
check "entry read --help lists the codes" grep -q "investigation *utredning / investigation" <<<"$out"
check "entry read --help: --note-file" grep -q -- "--note-file" <<<"$out"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "eva coordination auditor"
pnr=$(make_pnr 15 426)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Ungdomsson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara,per --json
case_id=$(json "j['id']")
printf 'Hög frånvaro.\n' > "$work/entry.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/entry.txt" --json
entry=$(json "j['id']")

# Free text is refused with the list of codes, and not echoed.
expect 2 as sara entry read "$entry" --purpose "möte om $pnr"
check "free text: usage error listing the codes" grep -q "sspf-meeting, planning, follow-up" <<<"$err"
check "free text: one line" test "$(wc -l <<<"$err")" -eq 1
check "free text: not echoed" not_in "$pnr" "$err"
check "free text: the tool names its own option" grep -qF "purpose note (--note-file F)" <<<"$err"
expect 2 as sara entry read "$entry" --note "utan kod"
expect 0 as eva audit query --action entry.read --json
check "refused reads are not logged" test "$(json "len(j['events'])")" = 0

note="Möte om Testa Ungdomsson ($pnr) med mamma Vera Notsson"
printf '%s\n' "$note" > "$work/note.txt"
expect 0 as sara entry read "$entry" --purpose Uppföljning --note-file "$work/note.txt" --json
check "read with a note: the body" test "$(json "j['body']")" = "Hög frånvaro."
expect 0 as sara entry read "$entry" --purpose SSPF-möte
expect 0 as eva audit query --action entry.read --json
check "the log holds codes" test "$(json "[e['purpose'].split(' ')[0] for e in j['events']]")" = \
  "['follow-up', 'sspf-meeting']"
check "the log holds a note id and a commitment" \
  "$PY" -c "import re,sys; sys.exit(0 if re.fullmatch(r'follow-up note=[0-9a-f]+ commitment=[0-9a-f]{64}', sys.argv[1]) else 1)" \
  "$(json "j['events'][0]['purpose']")"

expect 0 as eva case notes "$case_id" --json
check "case notes: keys" test "$(json "list(j['purpose_notes'][0])")" = \
  "['id', 'seq', 'time', 'principal_id', 'case_id', 'target', 'code', 'commitment', 'note', 'note_sealed', 'erased']"
check "the auditor reads the note" test "$(json "j['purpose_notes'][0]['note']")" = "$note"
note_id=$(json "j['purpose_notes'][0]['id']")
expect 0 as sara case notes "$case_id"
check "the author reads the note (text)" grep -qF "$note" <<<"$out"
expect 0 as kim case notes "$case_id" --json
check "the coordinator: sealed" test "$(json "[(n['note'], n['note_sealed']) for n in j['purpose_notes']]")" = \
  "[(None, True)]"
expect 3 as anna case notes "$case_id"

# In no leaf, export or extract (loggutdrag).
for needle in "$pnr" "${pnr:2}" "Ungdomsson" "Notsson"; do
  expect 0 as eva audit export --format jsonl
  check "export jsonl: no $needle" not_in "$needle" "$out"
  expect 0 as eva audit export --format csv
  check "export csv: no $needle" not_in "$needle" "$out"
  expect 0 as eva audit extract --subject "$subject" --json
  check "extract: no $needle" not_in "$needle" "$out"
done
check "store files hold no plaintext" not_in_files "Vera Notsson" "$work"/store.db*

# Erasure: not by another actor's member, by the author; verify still ok.
expect 3 as per note erase "$note_id"
expect 4 as sara note erase 0123456789abcdef0123456789abcdef
expect 0 as sara note erase "$note_id" --json
check "erase --json" test "$(json "(j['id'], j['erased'])")" = "('$note_id', True)"
expect 1 as sara note erase "$note_id"
expect 0 as eva case notes "$case_id" --json
check "erased: no text, flagged" test "$(json "[(n['note'], n['erased']) for n in j['purpose_notes']]")" = \
  "[(None, True)]"
expect 0 as eva audit verify
expect 0 as eva audit query --action purpose_note.erase --json
check "erasures logged: the denial, the erasure, the failed second one" \
  test "$(json "[(e['allowed'], e['target'], e['detail']) for e in j['events']]")" = \
  "[(False, 'note:$note_id', None), (True, 'note:$note_id', None), (True, 'note:$note_id', 'outcome=failed_precondition')]"

# A store's own list (SSPF_PURPOSES_FILE): its codes and labels only.
printf '# egna koder\ntillsyn\ttillsyn\tsupervision\n' > "$work/purposes.tsv"
SSPF_PURPOSES_FILE="$work/purposes.tsv" expect 0 "$TOOL" purposes --json
check "own list" test "$(json "j['purposes']")" = \
  "[{'code': 'tillsyn', 'label_sv': 'tillsyn', 'label_en': 'supervision'}]"
SSPF_PURPOSES_FILE="$work/purposes.tsv" expect 2 as sara entry read "$entry" --purpose follow-up
check "own list: follow-up refused, tillsyn listed" grep -q "use one of tillsyn " <<<"$err"
SSPF_PURPOSES_FILE="$work/purposes.tsv" expect 0 as sara entry read "$entry" --purpose Supervision
printf 'bad code\tx\ty\n' > "$work/bad.tsv"
SSPF_PURPOSES_FILE="$work/bad.tsv" expect 2 "$TOOL" purposes
check "bad list named" grep -q "SSPF_PURPOSES_FILE" <<<"$err"
expect 0 as eva audit query --action entry.read --json
check "own code logged" test "$(json "j['events'][-1]['purpose']")" = "tillsyn"
finish
