#!/usr/bin/env bash
# audit extract --format text|html|json (the loggutdrag for the youth and
# the family, docs/auditing.md): plain-language lines in Swedish and
# English with Stockholm time, organisation, user, basis (consent and by
# whom, a grant and its provision, a provision cited), refused and failed
# attempts never shown as allowed, no content, nothing about other people
# (another subject's events, other youths' names), HTML that escapes every
# value and refers to nothing outside itself.
#
# With a second argument (the scenario's output directory), the scenario is
# left there for extract_html_cli_test.sh (HTML files, subject ids).
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}
keep=${2:-}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "polis1 police member" "soc1 social member" "lia leisure member" \
          "eva coordination auditor"

# The youth: a name an HTML page must escape; two guardians.
youth_name='Alva <script>alert("x")</script> & Öberg'
printf '%s\n' "$(make_pnr 16 201)" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "$youth_name" \
       --guardian "Vera Förälder" --guardian "Valter Förälder" --json
subject=$(json "j['id']")
g1=$(json "j['guardians'][0]['id']")
g2=$(json "j['guardians'][1]['id']")
# A refused duplicate: allowed by the policy, then not carried out.
expect 1 as kim subject add --pnr-file "$work/pnr.txt" --name "Someone Else"
# Another youth with a case of her own.
printf '%s\n' "$(make_pnr 15 202)" > "$work/pnr2.txt"
expect 0 as kim subject add --pnr-file "$work/pnr2.txt" --name "Bertil Hemligsson" \
       --guardian "Gunnar Annansson" --json
other=$(json "j['id']")
expect 0 as kim case open --subject "$other" --team sara --json
other_case=$(json "j['id']")
printf 'Den andres anteckning.\n' | as sara entry add --case "$other_case" --category school \
  >/dev/null 2>&1

expect 0 as kim case open --subject "$subject" --team sara,polis1 --json
case_id=$(json "j['id']")
printf 'Hög frånvaro sedan augusti.\n' > "$work/school.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/school.txt" --json
school_entry=$(json "j['id']")
expect 3 as polis1 entry read "$school_entry"        # not disclosed: refused
until=$(in_days 30)
for party in "guardian:$g1" "guardian:$g2" youth; do
  expect 0 as kim consent grant --case "$case_id" --party "$party" --actors school,police \
         --categories school --until "$until" --purpose planning --json
  last_consent=$(json "j['id']")
done
expect 0 as sara entry disclose "$school_entry" --to police --basis "consent:$last_consent"
expect 0 as polis1 entry read "$school_entry" --purpose follow-up
# Social services has no part in the case: refused, then let in by an
# emergency grant under a provision.
expect 3 as soc1 entry list --case "$case_id"
expect 0 as soc1 grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason "Akut skyddsbehov" --hours 2
expect 0 as soc1 entry list --case "$case_id"
# Police -> school under a provision (OSL 10 kap. 15 a §).
printf 'Anträffad vid ordningsstörning.\n' > "$work/police.txt"
expect 0 as polis1 entry add --case "$case_id" --category police --file "$work/police.txt" --json
police_entry=$(json "j['id']")
expect 0 as polis1 entry disclose "$police_entry" --to school --provision osl-10-15a \
       --reason "Risk för brott; intresseavvägning gjord"
expect 0 as sara entry read "$police_entry" --purpose follow-up

# ---- the old auditor's table and --json stay as they were ---------------------
expect 0 as eva audit extract --subject "$subject"
check "auditor's table: header" grep -q "^when	who	actor	action	purpose	decision" <<<"$out"
expect 2 as eva audit extract --subject "$subject" --lang sv
check "--lang needs --format" grep -q -- "--format" <<<"$err"
expect 2 as eva audit extract --subject "$subject" --format pdf
expect 2 as eva audit extract --subject "$subject" --format text --lang de
expect 4 as eva audit extract --subject 00000000000000000000000000000000 --format text
expect 3 as sara audit extract --subject "$subject" --format text

# ---- JSON: one document, the structured lines ---------------------------------------
printf '%s\n' "$youth_name" > "$work/name.txt"
expect 0 as eva audit extract --subject "$subject" --format json --name-file "$work/name.txt"
printf '%s\n' "$out" > "$work/extract.json"
check "json: the lines say what happened" "$PY" - "$work/extract.json" "$subject" "$youth_name" <<'PYEOF'
import json, re, sys
doc = json.load(open(sys.argv[1]))
subject, name = sys.argv[2], sys.argv[3]
assert doc["schema_version"] == 1 and doc["kind"] == "log_extract", doc.get("kind")
assert doc["subject_id"] == subject and doc["youth_name"] == name
assert doc["language"] == "en"
for k in ("issued", "period_from", "period_until"):
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", doc[k]), doc[k]
lines = doc["lines"]
by = lambda action, outcome: [l for l in lines if l["action"] == action and l["outcome"] == outcome]
for l in lines:
    assert l["zone"] in ("CET", "CEST"), l
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", l["local_time"]), l
    assert l["text"].startswith(l["local_time"] + " " + l["zone"] + " "), l
    assert (l["basis"] is None) == (l["outcome"] != "allowed"), l
# The refused duplicate is never "allowed".
adds = [l for l in lines if l["action"] == "subject.add"]
assert [l["outcome"] for l in adds] == ["allowed", "failed"], adds
assert adds[1]["refusal"] == "already_exists", adds[1]
assert "not carried out: already registered" in adds[1]["text"], adds[1]["text"]
# The police read on consent of both guardians and the youth.
reads = by("entry.read", "allowed")
police = [l for l in reads if l["actor"] == "police"]
assert len(police) == 1, reads
p = police[0]
assert p["organisation"] == "Police" and p["principal_name"] == "polis1", p
assert p["basis"]["kind"] == "consent", p
assert p["basis"]["consent_parties"] == ["guardian:1", "guardian:2", "youth"], p["basis"]
assert "Police (user polis1) read an entry from the school — basis: consent (guardians 1, 2 and the youth)" in p["text"], p["text"]
assert p["purpose"] == "follow-up" and p["text"].endswith("; purpose: follow-up"), p
# The refused read before the disclosure.
denied = by("entry.read", "denied")
assert len(denied) == 1 and denied[0]["actor"] == "police", denied
assert "tried to read an entry from the school — refused" in denied[0]["text"], denied[0]
assert denied[0]["refusal"], denied[0]
# Social services: refused, then an emergency grant and access under it.
assert any(l["actor"] == "social" for l in by("entry.list", "denied"))
grant = by("grant.emergency", "allowed")
assert len(grant) == 1 and grant[0]["basis"]["kind"] == "provision", grant
assert grant[0]["basis"]["provision"] == "OSL 10 kap. 2 §", grant
listed = [l for l in by("entry.list", "allowed") if l["actor"] == "social"]
assert len(listed) == 1 and listed[0]["basis"]["kind"] == "grant", listed
assert listed[0]["basis"]["provision"] == "OSL 10 kap. 2 §", listed
assert "access granted without consent under OSL 10 kap. 2 §" in listed[0]["text"], listed
# The school read the police entry under a provision.
school = [l for l in reads if l["actor"] == "school"]
assert any(l["basis"]["kind"] == "provision" and l["basis"]["provision"] == "OSL 10 kap. 15 a §"
           for l in school), school
disc = by("entry.disclose", "allowed")
assert any("disclosed an entry from the police to the school" in l["text"] for l in disc), disc
# The extract's own event is the last line.
assert lines[-1]["action"] == "audit.extract", lines[-1]
PYEOF

# ---- nothing about other people, no content --------------------------------------------
expect 0 as eva audit extract --subject "$subject" --format text --lang sv --name-file "$work/name.txt"
sv_text=$out
expect 0 as eva audit extract --subject "$subject" --format html --name-file "$work/name.txt" \
       --out "$work/extract.html"
check "html: written with mode 0600" test "$(stat -c %a "$work/extract.html")" = 600
html=$(cat "$work/extract.html")
for doc in "$sv_text" "$html" "$(cat "$work/extract.json")"; do
  for needle in "Bertil" "Hemligsson" "Gunnar" "Annansson" "$other" "$other_case" \
                "Vera" "Valter" "Förälder" "frånvaro" "ordningsstörning" "Akut skyddsbehov" \
                "Risk för brott" "Someone Else" "$(cut -c3- "$work/pnr.txt")"; do
    check "no '$needle' in an extract" not_in "$needle" "$doc"
  done
done

# ---- Swedish text -------------------------------------------------------------------------
check "sv: header names the youth" grep -qF "Den unge: $youth_name" <<<"$sv_text"
check "sv: period and date of issue" grep -q "^Period: .* – .*" <<<"$sv_text"
check "sv: issued" grep -q "^Utfärdat: 20" <<<"$sv_text"
check "sv: the police read on consent" grep -qE \
  "^20[0-9-]+ [0-9:]+ CES?T Polisen \(användare polis1\) läste en anteckning från skolan — grund: samtycke \(vårdnadshavare 1, 2 och den unge\); ändamål: uppföljning$" \
  <<<"$sv_text"
check "sv: the refused read" grep -q "Polisen (användare polis1) försökte läsa en anteckning från skolan — nekades: " <<<"$sv_text"
check "sv: the failed duplicate" grep -q "Samordningen (användare kim) försökte registrera den unge — genomfördes inte: fanns redan registrerad" <<<"$sv_text"
check "sv: access under the grant" grep -q "Socialtjänsten (användare soc1) listade ärendets anteckningar — grund: beslut om tillgång utan samtycke med stöd av OSL 10 kap. 2 §" <<<"$sv_text"
check "sv: provision" grep -q "Skolan (användare sara) läste en anteckning från polisen — grund: lagstöd: OSL 10 kap. 15 a §" <<<"$sv_text"
check "sv: no line says a refused duplicate was allowed" not_in "registrerade den unge — genomfördes" "$sv_text"
check "sv: exactly one successful registration" test "$(grep -c "kim) registrerade den unge — grund" <<<"$sv_text")" = 1

# ---- HTML: escaped, self-contained -----------------------------------------------------
check "html: a document in Swedish" grep -q '<html lang="sv">' <<<"$html"
check "html: the name is escaped" grep -qF 'Alva &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Öberg' <<<"$html"
check "html: no raw script tag" not_in "<script" "$html"
check "html: no external reference" "$PY" - "$work/extract.html" <<'PYEOF'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
assert not re.search(r"https?://", h), re.search(r".{40}https?://.{40}", h)
assert not re.search(r"""(src|href|action|srcset|poster|data)\s*=\s*["']?(//|[a-z]+:)""", h, re.I)
assert "@import" not in h and "url(" not in h
assert "<svg" in h and "@media print" in h
assert "default-src 'none'" in h
PYEOF
# The JSON extract's lines, and the text and HTML extracts' own events.
check "html: one list item per access" test "$(grep -o '<li class="access' <<<"$html" | wc -l)" = \
  "$("$PY" -c "import json; print(len(json.load(open('$work/extract.json'))['lines']) + 2)")"

# ---- a period -------------------------------------------------------------------------------
expect 0 as eva audit extract --subject "$subject" --format json --since 2099-01-01
check "a future period: no lines" test "$(json "len(j['lines'])")" = 0
expect 2 as eva audit extract --subject "$subject" --format json --since 2026-02-01 --until 2026-01-01

# ---- the review report (audit review --html) ------------------------------------------
expect 0 as eva audit checkpoint --out "$work/kept.txt"
for i in 1 2 3 4 5; do expect 3 as lia entry read "$school_entry"; done   # a denied burst
expect 2 as eva audit review --checkpoint "$work/kept.txt"
check "review: --checkpoint needs --html" grep -q -- "--html" <<<"$err"
expect 0 as eva audit review --json --flag membership-change
flagged=$(json "j['flags'][0]['seq']")
expect 0 as eva audit ack "$flagged" --note "Granskad"   # one flag signed off
expect 0 as eva audit review --html "$work/review.html" --checkpoint "$work/kept.txt"
check "review: says where it wrote" grep -q "review.html" <<<"$out"
check "review html: mode 0600" test "$(stat -c %a "$work/review.html")" = 600
check "review html: flags, charts, principals, checkpoint" "$PY" - "$work/review.html" \
  "$work/kept.txt" <<'PYEOF'
import re, sys
h = open(sys.argv[1], encoding="utf-8").read()
kept = open(sys.argv[2]).read().split("\n")
assert h.startswith("<!DOCTYPE html>"), h[:40]
assert not re.search(r"https?://", h) and "<script" not in h and "url(" not in h
for kind in ("emergency-grant", "legal-provision", "denied-burst", "membership-change"):
    assert 'id="flags-%s"' % kind in h, kind
# Every flag links to its event, and the event is there.
links = re.findall(r'<a href="#ev-(\d+)">', h)
assert links, "no flag links"
for seq in links:
    assert 'id="ev-%s"' % seq in h, seq
for chart in ("chart-accesses", "chart-denied", "chart-emergency"):
    assert '<svg id="%s"' % chart in h, chart
for name in ("polis1", "soc1", "sara", "lia", "kim", "eva"):
    assert "<td>%s</td>" % name in h, name
assert 'data-status="acknowledged"' in h and 'data-status="open"' in h
# The kept checkpoint: origin, size and root, consistent.
assert kept[0] in h and kept[2] in h and "consistent with the log" in h, kept[:3]
assert "signed by eva" in h   # the signer by name, not its id
assert "@media print" in h
assert "Hög frånvaro" not in h and "Alva" not in h and "Bertil" not in h
PYEOF
# A checkpoint of another store is no proof of this one: no report.
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --store "$work/other.db" >/dev/null
expect 0 "$TOOL" --store "$work/other.db" --user anna --passphrase-file "$admin_pw" \
       user add eva2 --actor coordination --role auditor --new-passphrase-file "$work/eva.pw"
expect 0 "$TOOL" --store "$work/other.db" --user eva2 --passphrase-file "$work/eva.pw" \
       audit checkpoint --out "$work/other-kept.txt"
rm -f "$work/review2.html"
as eva audit review --html "$work/review2.html" --checkpoint "$work/other-kept.txt" \
  >/dev/null 2>&1
check "review: a foreign checkpoint fails" test "$?" -ne 0
check "review: and writes no report" test ! -e "$work/review2.html"

if [ -n "${SHOW_EXTRACT:-}" ]; then printf '%s\n' "$sv_text"; fi
if [ -n "$keep" ]; then
  mkdir -p "$keep"
  cp "$work/extract.html" "$keep/extract-sv.html"
  expect 0 as eva audit extract --subject "$subject" --format html --lang en \
         --name-file "$work/name.txt" --out "$keep/extract-en.html"
  cp "$work/extract.json" "$keep/extract.json"
  cp "$work/review.html" "$keep/review.html"
fi
finish
