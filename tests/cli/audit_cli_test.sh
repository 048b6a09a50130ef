#!/usr/bin/env bash
# sspf-tool audit: checkpoint, verify (exit codes), prove, export, query,
# extract, review; and an independent recomputation of the Merkle root from
# the export (tools/verify_export.py, as an auditor would run it).
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

admin_pw=$(pass_file admin "admin passphrase one")
eva_pw=$(pass_file eva "eva passphrase 123")
sara_pw=$(pass_file sara "sara passphrase 123")
A=("$TOOL" --user anna --passphrase-file "$admin_pw")
E=("$TOOL" --user eva --passphrase-file "$eva_pw")

expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" --json
expect 0 "${A[@]}" user add eva --actor coordination --role auditor --new-passphrase-file "$eva_pw"
expect 0 "${A[@]}" user add sara --actor school --role member --new-passphrase-file "$sara_pw"
for i in 1 2 3; do
  expect 3 "$TOOL" --user sara --passphrase-file "$sara_pw" user list
done

# Only auditors read the log.
expect 3 "${A[@]}" audit verify
check "denied verify names the rule" grep -q "auditor" <<<"$err"

# A checkpoint kept outside the store; verify against it.
expect 0 "${E[@]}" audit checkpoint --out "$work/kept.note"
check "checkpoint file is 0644" test "$(stat -c %a "$work/kept.note")" = 644
check "checkpoint has the store origin" grep -q '^sspf.local/' "$work/kept.note"
expect 0 "${E[@]}" audit checkpoint
check "checkpoint to stdout is a signed note" grep -q $'^\xe2\x80\x94 sspf.local/' <<<"$out"
expect 0 "${E[@]}" audit verifier-key
vkey=$out
check "vkey line" grep -qE '^sspf\.local/[0-9a-f]+\+[0-9a-f]{8}\+' <<<"$vkey"
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note"
check "verify says ok" grep -q "^ok: " <<<"$out"
check "no progress when stderr is not a terminal" test -z "$err"
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note" --json
check "verify --json consistent" test "$(json "j['kept_checkpoint_consistent']")" = True
# Incremental: only the events after the kept checkpoint are checked fully.
check "incremental verify checks fewer events" \
  test "$(json "j['events_checked'] < j['tree_size'] and j['events_checked'] > 0")" = True
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note" --full --json
check "verify --full checks every event" test "$(json "j['events_checked'] == j['tree_size']")" = True
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note" --full
check "verify says how many events it checked fully" grep -q "events checked fully" <<<"$out"
# The kept checkpoint is attributed to the auditor who made it.
expect 0 "${E[@]}" whoami --json
auditor_id=$(json "j['id']")
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note" --json
check "kept checkpoint signed by the auditor" test "$(json "j['kept_checkpoint_signer']")" = "$auditor_id"
check "the maker's signature line" grep -q $'^\xe2\x80\x94 sspf.local/[0-9a-f]*/'"$auditor_id " "$work/kept.note"

# Inclusion proof, checked in Python from the RFC 9162 algorithm.
expect 0 "${E[@]}" audit prove --index 2 --checkpoint "$work/kept.note" --json
check "prove --json verifies" "$PY" - "$out" <<'PYEOF'
import base64, hashlib, json, sys
p = json.loads(sys.argv[1])
H = lambda b: hashlib.sha256(b).digest()
r, fn, sn = base64.b64decode(p["leaf_hash"]), p["index"], p["tree_size"] - 1
for h in map(base64.b64decode, p["proof"]):
    if fn & 1 or fn == sn:
        r = H(b"\x01" + h + r)
        while fn and not fn & 1:
            fn >>= 1; sn >>= 1
    else:
        r = H(b"\x01" + r + h)
    fn >>= 1; sn >>= 1
sys.exit(0 if sn == 0 and r == base64.b64decode(p["root"]) else 1)
PYEOF
expect 4 "${E[@]}" audit prove --index 100000

# Export: every leaf hashes to its leaf_hash, the root of the first N leaves
# is the kept checkpoint's root, the signature verifies (tools/verify_export.py).
expect 0 "${E[@]}" audit export --format jsonl
printf '%s\n' "$out" > "$work/log.jsonl"
check "every export line is JSON with the fields" "$PY" - "$work/log.jsonl" <<'PYEOF'
import base64, hashlib, json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    for k in ("seq", "time", "principal_id", "actor", "action", "target", "allowed",
              "reason", "basis", "purpose", "leaf", "leaf_hash"):
        assert k in e, k
    assert isinstance(e["allowed"], bool), e["allowed"]
    assert e["time"].endswith("Z")
    assert base64.b64encode(hashlib.sha256(b"\0" + base64.b64decode(e["leaf"])).digest()).decode() == e["leaf_hash"]
PYEOF
expect 0 "$PY" "$SRC/tools/verify_export.py" "$work/log.jsonl" "$work/kept.note" --vkey "$vkey"
check "independent root matches" grep -q "^ok: " <<<"$out"
# A tampered export does not.
sed '3s/"reason":"[^"]*"/"reason":"edited"/' "$work/log.jsonl" > "$work/edited.jsonl"
"$PY" - "$work/log.jsonl" "$work/swapped.jsonl" <<'PYEOF'
import sys
lines = open(sys.argv[1]).read().splitlines()
lines[2], lines[3] = lines[3], lines[2]
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PYEOF
expect 1 "$PY" "$SRC/tools/verify_export.py" "$work/swapped.jsonl" "$work/kept.note"
sed '1s/^{"schema_version":1,/{"schema_version":2,/' "$work/log.jsonl" > "$work/v2.jsonl"
check "v2.jsonl has version 2" grep -q "^{\"schema_version\":2," "$work/v2.jsonl"
expect 1 "$PY" "$SRC/tools/verify_export.py" "$work/v2.jsonl" "$work/kept.note"
check "unknown schema_version named" grep -q "schema_version" <<<"$err"
head -n 3 "$work/log.jsonl" > "$work/short.jsonl"
expect 1 "$PY" "$SRC/tools/verify_export.py" "$work/short.jsonl" "$work/kept.note"
sed 's/^\(.\{60\}\)./\1X/' "$work/kept.note" > /dev/null
"$PY" - "$work/kept.note" "$work/forged.note" <<'PYEOF'
import sys
n = open(sys.argv[1], encoding="utf-8").read()
body, _, sig = n.rpartition(" ")
sig = ("B" if sig[6] == "A" else "A").join([sig[:6], sig[7:]])
open(sys.argv[2], "w", encoding="utf-8").write(body + " " + sig)
PYEOF
expect 1 "$PY" "$SRC/tools/verify_export.py" "$work/log.jsonl" "$work/forged.note" --vkey "$vkey"
expect 6 "${E[@]}" audit verify --checkpoint "$work/forged.note"
check "forged checkpoint: one line" test "$(wc -l <<<"$err")" -eq 1

# CSV export with a header.
expect 0 "${E[@]}" audit export --format csv --denied
check "csv header" test "$(head -n1 <<<"$out" | cut -d, -f1-3)" = "seq,time,principal"
check "csv rows are denials" test "$(tail -n +2 <<<"$out" | grep -vc ',deny,')" -eq 0
expect 2 "${E[@]}" audit export --format xml

# Queries.
expect 0 "${E[@]}" audit query --principal sara --denied --json
check "three denials of sara" test "$(json "len([e for e in j['events'] if e['action']=='principal.list'])")" -eq 3
expect 0 "${E[@]}" audit query --action unlock --limit 2 --json
check "limit" test "$(json "len(j['events'])")" -eq 2
expect 0 "${E[@]}" audit query --since 2000-01-01 --until 2000-01-02 --json
check "empty time range" test "$(json "len(j['events'])")" -eq 0
expect 2 "${E[@]}" audit query --action no.such
expect 0 "${E[@]}" audit query --principal sara
check "query table has a header" grep -q "^seq" <<<"$out"

# Review and extract.
expect 0 "${E[@]}" audit review --json
check "review is a JSON array" test "$(json "type(j['flags']).__name__")" = list
expect 4 "${E[@]}" audit extract --subject 00000000000000000000000000000000

# Rollback: restore an old copy of the store; the kept checkpoint catches it.
cp "$SSPF_STORE" "$work/old.db"; cp "$SSPF_STORE-wal" "$work/old.db-wal" 2>/dev/null
for i in 1 2; do expect 0 "${E[@]}" audit query --limit 1; done
expect 0 "${E[@]}" audit checkpoint --out "$work/later.note"
expect 0 "${E[@]}" audit verify --checkpoint "$work/later.note"
rm -f "$SSPF_STORE-wal" "$SSPF_STORE-shm"
cp "$work/old.db" "$SSPF_STORE"; cp "$work/old.db-wal" "$SSPF_STORE-wal" 2>/dev/null
expect 6 "${E[@]}" audit verify --checkpoint "$work/later.note"
check "rollback named" grep -q "rollback" <<<"$err"
check "one line" test "$(wc -l <<<"$err")" -eq 1
expect 0 "${E[@]}" audit verify --checkpoint "$work/kept.note"

# Time filters are strict.
expect 0 "${E[@]}" audit query --since 2026-01-01T00:00:00Z --until 2099-01-01 --limit 1
for bad in "2026-11-25T-1:-1:-1Z" "2026-13-01" "2026-02-30" "yesterday" "2026-11-25T24:00:00Z"; do
  expect 2 "${E[@]}" audit query --since "$bad"
done

# A flipped byte in a page (SQLCipher's page HMAC fails): exit 6 with one line
# naming the damage, for verify and every other command.
expect 0 "${E[@]}" audit verify
cp "$SSPF_STORE" "$work/intact.db"
"$PY" - "$SSPF_STORE" <<'PYEOF'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(4096 + 2048)  # the middle of page 2
    b = f.read(1)
    f.seek(4096 + 2048)
    f.write(bytes([b[0] ^ 1]))
PYEOF
rm -f "$SSPF_STORE-wal" "$SSPF_STORE-shm"
expect 6 "${E[@]}" audit verify
check "damage named" grep -q "the store file is damaged" <<<"$err"
check "one line" test "$(wc -l <<<"$err")" -eq 1
expect 6 "${E[@]}" whoami
cp "$work/intact.db" "$SSPF_STORE"
expect 0 "${E[@]}" audit verify

finish
