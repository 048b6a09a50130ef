#!/usr/bin/env bash
# One event, one JSON (docs/json-schema.md): the same event has identical
# JSON, keys, key order and values, from `sspf-tool audit query --json`,
# `sspf-tool audit export --format jsonl` and the C ABI's
# sspf_session_query_events (tests/c_api/c_api_query_events.c, given as the
# second argument), on a store made here with sspf-tool.
TOOL=$1
QUERY_EVENTS=$2
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "olle school member" "eva coordination auditor"
# Events with and without case, subject, purpose, reason and detail,
# allowed and denied.
expect 3 as sara user list
# A fictitious personnummer (serial 456, correct check digit).
printf '%s\n' 201003104567 > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Testa Ungdomsson" \
       --guardian "Vera Vardnad" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --team sara --json
case_id=$(json "j['id']")
printf 'Hög frånvaro sedan augusti.\n' > "$work/entry.txt"
expect 0 as sara entry add --case "$case_id" --category school --file "$work/entry.txt" --json
entry=$(json "j['id']")
expect 0 as sara entry read "$entry" --purpose "SSPF-möte"
expect 3 as olle entry read "$entry"

# ---- the three sources -------------------------------------------------------------
expect 0 as eva audit query --json
printf '%s\n' "$out" > "$work/query.json"
expect 0 as eva audit export --format jsonl
printf '%s\n' "$out" > "$work/export.jsonl"
expect 0 "$QUERY_EVENTS" "$SSPF_STORE" eva "$work/eva.pw"
printf '%s\n' "$out" > "$work/capi.json"
check "the C ABI prints one line" test "$(wc -l < "$work/capi.json")" = 1
check "no passphrase in the C ABI's output" not_in "eva passphrase 123" "$out"
check "no personal number in the C ABI's output" not_in "201003104567" "$out"

check "query, export and the C ABI give identical event JSON" \
  "$PY" - "$work/query.json" "$work/export.jsonl" "$work/capi.json" <<'PYEOF'
import json, sys
query = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
capi = json.load(open(sys.argv[3]))
for doc in (query, capi):
    assert isinstance(doc, dict) and list(doc) == ["schema_version", "events"], str(doc)[:120]
    assert doc["schema_version"] == 1, doc["schema_version"]
assert all(l["schema_version"] == 1 for l in lines)

def as_document(event):
    # A record in a list is its own document without schema_version.
    assert "schema_version" not in event, event
    return dict({"schema_version": 1}, **event)

def same(a, b):
    # Equal keys and values, and the keys in the same order.
    return a == b and list(a) == list(b)

export = {l["seq"]: l for l in lines}
from_capi = {e["seq"]: as_document(e) for e in capi["events"]}
from_query = {e["seq"]: as_document(e) for e in query["events"]}
# Each run logs its own read of the log, so later sources hold more events;
# every event the first one saw is compared in all three.
assert set(from_query) <= set(export) <= set(from_capi), (
    sorted(from_query), sorted(export), sorted(from_capi))
assert len(from_query) >= 12, len(from_query)
for seq, doc in from_query.items():
    assert same(doc, export[seq]), (doc, export[seq])
    assert same(doc, from_capi[seq]), (doc, from_capi[seq])
for seq, line in export.items():
    assert same(line, from_capi[seq]), (line, from_capi[seq])

# The compared events cover the kinds of value: both decisions, set and
# null optional texts (every event here has a reason), the subject, the
# case and a purpose.
events = list(from_query.values())
assert {e["allowed"] for e in events} == {True, False}
assert all(isinstance(e["reason"], str) and e["reason"] for e in events)
for key in ("basis", "purpose", "case_id", "subject_id", "detail"):
    assert any(e[key] is None for e in events), key
    assert any(isinstance(e[key], str) and e[key] for e in events), key
assert any(e["purpose"] == "sspf-meeting" for e in events)

# The comparison can fail: a changed value, a value in another form, or a
# reordered key is seen.
doc = next(iter(from_query.values()))
seq = doc["seq"]
changed = dict(doc, allowed=not doc["allowed"])
assert not same(changed, from_capi[seq])
unix = dict(doc, time=1764575254)
assert not same(unix, from_capi[seq])
reordered = dict(reversed(list(doc.items())))
assert not same(reordered, from_capi[seq])
PYEOF

# The C ABI fails like the tool: a wrong passphrase is an error, and the
# error does not echo it.
wrong_pw=$(pass_file wrong "not the passphrase")
expect 1 "$QUERY_EVENTS" "$SSPF_STORE" eva "$wrong_pw"
check "wrong passphrase: nothing on stdout" test -z "$out"
check "wrong passphrase: not echoed" not_in "not the passphrase" "$err"

finish
