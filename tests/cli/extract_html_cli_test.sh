#!/usr/bin/env bash
# The HTML reports in a real browser: the loggutdrag (Swedish and English)
# and the review report (audit review --html) from extract_cli_test.sh's
# scenario, opened in headless Chromium (Debian's
# chromium package; tools/setup.sh test installs it) with every network
# request refused.  Takes a screenshot of each page (kept in the artifact
# directory, the second argument, inside the build dir, not committed) and
# checks the DOM Chromium built (--dump-dom): the header naming the youth,
# one list item per access, the bases, and that the name with <script> in
# it stayed text.  Exit 77 (skipped, with a message) without chromium.
TOOL=$1
artifacts=${2:?usage: extract_html_cli_test.sh TOOL ARTIFACT_DIR}
PY=${PYTHON:-python3}
here=$(cd "$(dirname "$0")" && pwd)

browser=""
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
  echo "SKIPPED: chromium is not installed (apt-get install chromium; tools/setup.sh test does)"
  exit 77
fi

. "$here/lib.sh"
mkdir -p "$artifacts"
pages="$work/pages"
if ! bash "$here/extract_cli_test.sh" "$TOOL" "$pages" >"$work/scenario.log" 2>&1; then
  echo "FAIL: the extract scenario failed:" >&2
  cat "$work/scenario.log" >&2
  exit 1
fi

# No network at all: every host resolves to nothing and any proxy is a dead
# port; no first-run, extensions, sync or crash reporting.
chrome() {
  timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-extensions --disable-sync \
    --disable-background-networking --disable-component-update --disable-breakpad \
    --host-resolver-rules="MAP * ~NOTFOUND" --proxy-server="127.0.0.1:9" \
    --user-data-dir="$work/profile" "$@" 2>>"$work/chromium.log"
}

for lang in sv en; do
  page="$pages/extract-$lang.html"
  shot="$artifacts/extract-$lang.png"
  rm -f "$shot"
  chrome --screenshot="$shot" --window-size=1200,1800 "file://$page" >/dev/null
  check "$lang: screenshot taken" test -s "$shot"
  check "$lang: the screenshot is a PNG" "$PY" - "$shot" <<'PYEOF'
import sys
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", data[:8]
assert len(data) > 20000, len(data)   # a rendered page, not a blank one
PYEOF
  chrome --dump-dom "file://$page" > "$work/dom-$lang.html"
  cp "$work/dom-$lang.html" "$artifacts/extract-$lang.dom.html"
  check "$lang: the DOM has the header, the accesses and their bases" \
    "$PY" - "$work/dom-$lang.html" "$pages/extract.json" "$lang" <<'PYEOF'
import html.parser, json, sys
dom = open(sys.argv[1], encoding="utf-8").read()
lang = sys.argv[3]
n_json = len(json.load(open(sys.argv[2]))["lines"])

class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack, self.items, self.header, self.scripts, self.svgs = [], [], "", 0, 0
        self.basis = []
        self.in_header = self.in_basis = 0
        self.cur = None
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "svg": self.svgs += 1
        if tag == "header": self.in_header += 1
        if tag == "li" and "access" in a.get("class", ""):
            self.cur = {"outcome": a.get("data-outcome"), "basis": a.get("data-basis"), "text": ""}
            self.items.append(self.cur)
        if tag == "span" and a.get("class") == "basis": self.in_basis += 1; self.basis.append("")
    def handle_endtag(self, tag):
        if tag == "header": self.in_header -= 1
        if tag == "li": self.cur = None
        if tag == "span" and self.in_basis: self.in_basis -= 1
    def handle_data(self, d):
        if self.in_header: self.header += d
        if self.cur is not None: self.cur["text"] += d
        if self.in_basis: self.basis[-1] += d

p = P(); p.feed(dom)
name = 'Alva <script>alert("x")</script> & Öberg'
assert p.scripts == 0, "a script element in the DOM"
assert name in p.header, p.header[:300]
assert ("Loggutdrag" if lang == "sv" else "Log extract") in p.header
assert ("Utfärdat" if lang == "sv" else "Issued") in p.header
assert ("Period") in p.header
assert p.svgs >= 1, "no chart"
# The JSON extract's lines, then the text, the two HTML extracts' events.
assert len(p.items) >= n_json + 2, (len(p.items), n_json)
outcomes = [i["outcome"] for i in p.items]
assert "denied" in outcomes and "failed" in outcomes and "allowed" in outcomes, outcomes
if lang == "sv":
    want = "Polisen (användare polis1) läste en anteckning från skolan"
    basis = "samtycke (vårdnadshavare 1, 2 och den unge)"
    grant = "beslut om tillgång utan samtycke med stöd av OSL 10 kap. 2 §"
else:
    want = "Police (user polis1) read an entry from the school"
    basis = "consent (guardians 1, 2 and the youth)"
    grant = "access granted without consent under OSL 10 kap. 2 §"
assert any(want in i["text"] and basis in i["text"] for i in p.items), [i["text"] for i in p.items]
assert basis in p.basis and grant in p.basis, p.basis
failed = [i for i in p.items if i["outcome"] == "failed"]
assert failed and all(i["basis"] == "" for i in failed), failed
PYEOF
done
# The review report (audit review --html): the flags, the chart SVGs and the
# principal names, as Chromium built the page.
chrome --screenshot="$artifacts/review.png" --window-size=1200,2400 "file://$pages/review.html" \
  >/dev/null
check "review: screenshot taken" test -s "$artifacts/review.png"
chrome --print-to-pdf="$artifacts/review.pdf" --no-pdf-header-footer "file://$pages/review.html" \
  >/dev/null
check "review: prints to PDF" grep -qa "^%PDF" "$artifacts/review.pdf"
chrome --dump-dom "file://$pages/review.html" > "$work/dom-review.html"
cp "$work/dom-review.html" "$artifacts/review.dom.html"
check "review: the DOM has the flags, the charts and the principals" \
  "$PY" - "$work/dom-review.html" <<'PYEOF'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.flags, self.svgs, self.links, self.events, self.cells = [], [], [], set(), []
        self.scripts = 0
        self.in_td = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script": self.scripts += 1
        if tag == "tr" and a.get("class") == "flag": self.flags.append(a.get("data-kind"))
        if tag == "svg": self.svgs.append(a.get("id"))
        if tag == "a" and a.get("href", "").startswith("#ev-"): self.links.append(a["href"][4:])
        if tag == "tr" and a.get("class") == "event": self.events.add(a.get("id", "")[3:])
        if tag == "td": self.in_td = True; self.cells.append("")
    def handle_endtag(self, tag):
        if tag == "td": self.in_td = False
    def handle_data(self, d):
        if self.in_td: self.cells[-1] += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert p.scripts == 0
for kind in ("emergency-grant", "legal-provision", "denied-burst"):
    assert kind in p.flags, (kind, p.flags)
assert set(p.svgs) >= {"chart-accesses", "chart-denied", "chart-emergency"}, p.svgs
assert p.links and all(l in p.events for l in p.links), (p.links, p.events)
for name in ("polis1", "soc1", "sara", "lia", "eva"):
    assert name in p.cells, name
PYEOF
echo "screenshots and DOM dumps in $artifacts"
finish
