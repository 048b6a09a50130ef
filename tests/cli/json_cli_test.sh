#!/usr/bin/env bash
# sspf-tool --json (docs/json-schema.md): the same event has the same JSON
# from `audit query --json` and `audit export --format jsonl`; every
# document carries schema_version 1; errors under --json are the error
# document on stderr with the usual exit codes.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

admin_pw=$(pass_file anna "admin passphrase one")
eva_pw=$(pass_file eva "eva passphrase 123")
sara_pw=$(pass_file sara "sara passphrase 123")
wrong_pw=$(pass_file wrong "not the passphrase")
A=("$TOOL" --user anna --passphrase-file "$admin_pw")
E=("$TOOL" --user eva --passphrase-file "$eva_pw")
S=("$TOOL" --user sara --passphrase-file "$sara_pw")

expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
check "init: schema_version 1" test "$(json "j['schema_version']")" = 1
expect 0 "${A[@]}" user add eva --actor coordination --role auditor --new-passphrase-file "$eva_pw" --json
check "user add: schema_version 1" test "$(json "j['schema_version']")" = 1
expect 0 "${A[@]}" user add sara --actor school --role member --new-passphrase-file "$sara_pw"
expect 3 "${S[@]}" user list --json   # a denied event in the log

# ---- the same events from query and export -----------------------------------
expect 0 "${E[@]}" audit query --json
printf '%s\n' "$out" > "$work/query.json"
expect 0 "${E[@]}" audit export --format jsonl
printf '%s\n' "$out" > "$work/export.jsonl"
check "query and export give identical event JSON" "$PY" - "$work/query.json" "$work/export.jsonl" <<'PYEOF'
import json, sys
q = json.load(open(sys.argv[1]))
assert q["schema_version"] == 1, q.get("schema_version")
lines = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
assert all(l["schema_version"] == 1 for l in lines)
by_seq = {l["seq"]: l for l in lines}
events = q["events"]
assert len(events) >= 6, len(events)
# Allowed and denied events are compared.
assert any(e["allowed"] is False for e in events)
assert any(e["allowed"] is True for e in events)

def same(elem, line, version):
    # A record in a list is its own document without schema_version.
    return dict(elem, schema_version=version) == line and list(
        dict({"schema_version": version}, **elem)) == list(line)

for e in events:
    assert "schema_version" not in e, e
    line = by_seq[e["seq"]]
    assert same(e, line, q["schema_version"]), (e, line)
# The comparison can fail: one changed value, or a reordered key, is seen.
e = dict(events[0])
e["allowed"] = not e["allowed"]
assert not same(e, by_seq[e["seq"]], 1)
e = dict(reversed(list(events[0].items())))
assert not same(e, by_seq[events[0]["seq"]], 1)
PYEOF

# The conventions on a real log: RFC 3339 times, base64 leaves, null for none.
check "export lines follow the conventions" "$PY" - "$work/export.jsonl" <<'PYEOF'
import base64, hashlib, json, re, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", e["time"]), e["time"]
    leaf = base64.b64decode(e["leaf"], validate=True)
    assert base64.b64encode(hashlib.sha256(b"\0" + leaf).digest()).decode() == e["leaf_hash"]
    assert isinstance(e["allowed"], bool)
    for k in ("reason", "basis", "purpose", "case_id", "subject_id", "detail"):
        assert e[k] is None or (isinstance(e[k], str) and e[k] != ""), (k, e[k])
PYEOF

# ---- a subject's log extract ------------------------------------------------------
kim_pw=$(pass_file kim "kim passphrase 123")
expect 0 "${A[@]}" user add kim --actor coordination --role coordinator --new-passphrase-file "$kim_pw" --json
kim_id=$(json "j['id']")
# A generated (fictitious) personnummer with a correct check digit.
printf "%s\n" 201003109806 > "$work/pnr.txt"
expect 0 "$TOOL" --user kim --passphrase-file "$kim_pw" subject add --pnr-file "$work/pnr.txt" \
       --name 'Quote "Q" Åsa' --guardian "Kim A" --json
check "subject add: schema_version 1" test "$(json "j['schema_version']")" = 1
check "subject add: no identity in the document" test "$(json "sorted(j)")" = \
  "['guardians', 'id', 'schema_version']"
subject=$(json "j['id']")
expect 0 "$TOOL" --user kim --passphrase-file "$kim_pw" subject show "$subject" --json
check "subject show: quotes and UTF-8 survive" test "$(json "j['name']")" = 'Quote "Q" Åsa'
check "subject show: birth date" test "$(json "j['birth_date']")" = 2010-03-10
expect 0 "${E[@]}" audit extract --subject "$subject" --json
check "extract: the subject's events, no detail, principal names" "$PY" - "$out" "$subject" "$kim_id" <<'PYEOF'
import json, sys
d, subject, kim = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
assert list(d) == ["schema_version", "subject_id", "events", "principal_names"], list(d)
assert d["schema_version"] == 1 and d["subject_id"] == subject
actions = [e["action"] for e in d["events"]]
assert "subject.add" in actions and "subject.show" in actions, actions
for e in d["events"]:
    assert e["subject_id"] == subject, e
    assert e["detail"] is None, e
    assert "schema_version" not in e
assert d["principal_names"].get(kim) == "kim", d["principal_names"]
PYEOF

# ---- errors under --json ---------------------------------------------------------
# err_is EXIT CODE: $err is exactly one error document with that code and exit.
err_is() {
  "$PY" - "$1" "$2" "$err" <<'PYEOF'
import json, sys
want_exit, want_code, text = int(sys.argv[1]), sys.argv[2], sys.argv[3]
assert len(text.splitlines()) == 1, text
d = json.loads(text)
assert list(d) == ["schema_version", "error"], d
assert d["schema_version"] == 1
assert list(d["error"]) == ["code", "exit", "message"], d
assert d["error"]["code"] == want_code, d
assert d["error"]["exit"] == want_exit, d
assert isinstance(d["error"]["message"], str) and d["error"]["message"], d
PYEOF
}
expect 3 "${S[@]}" audit query --json
check "denied: nothing on stdout" test -z "$out"
check "denied: the error document" err_is 3 permission_denied
check "denied: names the rule" grep -q "auditor" <<<"$err"
expect 4 "${E[@]}" audit extract --subject 00000000000000000000000000000000 --json
check "not found: the error document" err_is 4 not_found
expect 5 "$TOOL" --user eva --passphrase-file "$wrong_pw" whoami --json
check "wrong passphrase: the error document" err_is 5 wrong_key
check "wrong passphrase not echoed" not_in "not the passphrase" "$err"
expect 1 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
check "store exists: the error document" err_is 1 already_exists
expect 2 "${E[@]}" audit query --action no.such --json
check "bad value: the error document" err_is 2 invalid_argument
expect 2 "${E[@]}" audit query --no-such-option --json
check "unknown option: the error document" err_is 2 invalid_argument
check "unknown option: nothing on stdout" test -z "$out"
expect 2 "$TOOL" --json frobnicate
check "unknown command: the error document" err_is 2 invalid_argument
expect 2 "$TOOL" --json --passphrase=secret whoami
check "passphrase on argv: the error document" err_is 2 invalid_argument
check "passphrase on argv not echoed" not_in "secret" "$err"
expect 2 "$TOOL" user --json
check "group word alone: the error document" err_is 2 invalid_argument
# Without --json the errors stay one line of text.
expect 3 "${S[@]}" audit query
check "text error without --json" grep -q "^sspf-tool: denied" <<<"$err"
# The check itself can fail.
err='{"schema_version":1,"error":{"code":"not_found","exit":4,"message":"x"}}'
check "err_is rejects a wrong code" test "$(err_is 3 permission_denied 2>/dev/null; echo $?)" != 0

finish
