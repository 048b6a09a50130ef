#!/usr/bin/env bash
# Interop: cosignatures made by `sspf-tool audit witness cosign` verify with
# tools/verify_cosignature.py, an independent implementation of C2SP
# tlog-cosignature (cosignature/v1) on python3-cryptography; altered notes
# and other keys fail it.  Exit 77 (skipped) only when the `cryptography`
# package is missing.
TOOL=$1
. "$(dirname "$0")/lib.sh"
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=${PYTHON:-python3}
V="$SRC/tools/verify_cosignature.py"

if ! "$PY" -c "import cryptography.hazmat.primitives.asymmetric.ed25519" 2>/dev/null; then
  echo "SKIP: the python package cryptography is missing (Debian: python3-cryptography)"
  exit 77
fi

admin_pw=$(pass_file admin "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "eva coordination auditor"
expect 0 as eva audit verifier-key
logkey=$out
expect 0 "$TOOL" audit witness init --out "$work/w.key" --name polisen.se/witness
wkey=$out
expect 0 "$TOOL" audit witness init --out "$work/x.key" --name polisen.se/witness
xkey=$out   # same name, another key

expect 0 as eva audit checkpoint --out "$work/a.note"
expect 0 "$TOOL" audit witness cosign --key "$work/w.key" --state "$work/st" --log-key "$logkey" \
  "$work/a.note"
printf '%s\n' "$out" > "$work/a.cosigned"
for i in 1 2 3; do expect 0 as eva audit query --limit 1; done
expect 0 as eva audit checkpoint --out "$work/b.note"
expect 0 as eva audit consistency --from "$work/a.note" --to "$work/b.note" --json
printf '%s' "$out" > "$work/ab.json"
expect 0 "$TOOL" audit witness cosign --key "$work/w.key" --state "$work/st" \
  --proof "$work/ab.json" "$work/b.note" --json
ts=$(json "j['timestamp']")
"$PY" -c "import json,sys; sys.stdout.write(json.load(sys.stdin)['note'])" <<<"$out" \
  > "$work/b.cosigned"

expect 0 "$PY" "$V" "$work/a.cosigned" "$wkey"
expect 0 "$PY" "$V" "$work/b.cosigned" "$wkey"
check "independent verifier: ok and the timestamp of the document" \
  test "$(date -u -d "@$(cut -d' ' -f3 <<<"$out")" +%Y-%m-%dT%H:%M:%SZ)" = "$ts"
expect 1 "$PY" "$V" "$work/b.note" "$wkey"
expect 1 "$PY" "$V" "$work/b.cosigned" "$xkey"
sed '2s/.*/999/' "$work/b.cosigned" > "$work/edited"
expect 1 "$PY" "$V" "$work/edited" "$wkey"
expect 2 "$PY" "$V" "$work/b.cosigned" "$logkey"
# And the other way round: a cosignature line made by the independent code
# (python Ed25519 over the C2SP message) is accepted by audit verify.
"$PY" - "$work/b.note" > "$work/py.cosigned" 2>"$work/py.vkey" <<'PYEOF'
import base64, hashlib, sys
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization
note = open(sys.argv[1]).read()
body = note[: note.rfind("\n\n") + 1]
k = Ed25519PrivateKey.generate()
pub = k.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
name = "py.example/witness"
typed = b"\x04" + pub
kid = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4]
t = 1700000000
sig = k.sign(b"cosignature/v1\ntime %d\n" % t + body.encode())
blob = kid + t.to_bytes(8, "big") + sig
sys.stdout.write(note + "\u2014 %s %s\n" % (name, base64.b64encode(blob).decode()))
sys.stderr.write("%s+%s+%s" % (name, kid.hex(), base64.b64encode(typed).decode()))
PYEOF
pykey=$(cat "$work/py.vkey")
expect 0 as eva audit verify --checkpoint "$work/py.cosigned" --witness-key "$pykey"
check "verify names the python witness" grep -q "cosigned by witness py.example/witness" <<<"$out"
expect 6 as eva audit verify --checkpoint "$work/b.cosigned" --witness-key "$pykey"

finish
