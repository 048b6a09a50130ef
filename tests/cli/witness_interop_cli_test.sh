#!/usr/bin/env bash
# Interop: cosignatures made by `sspf-tool audit witness cosign` verify with
# two independent implementations of C2SP tlog-cosignature (cosignature/v1):
# tools/verify_cosignature.py on python3-cryptography, and
# tests/cli/cosig_check (Go's golang.org/x/mod/sumdb/note.Open with a
# cosignature/v1 verifier on crypto/ed25519, built offline like
# tlog_check); altered notes and other keys fail both.  A cosignature made
# by Python is accepted by audit verify.  Each half runs when its tool is
# there; exit 77 (skipped) only when neither is.
TOOL=$1
. "$(dirname "$0")/lib.sh"
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PY=${PYTHON:-python3}
V="$SRC/tools/verify_cosignature.py"

have_py=1 have_go=1
if ! "$PY" -c "import cryptography.hazmat.primitives.asymmetric.ed25519" 2>/dev/null; then
  echo "SKIP (python half): the python package cryptography is missing (python3-cryptography)"
  have_py=0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "SKIP (Go half): go is not installed (Debian: golang-go golang-golang-x-mod-dev)"
  have_go=0
fi
if [ $have_py = 0 ] && [ $have_go = 0 ]; then exit 77; fi
if [ $have_go = 1 ]; then
  gopath=${SSPF_GOPATH:-/usr/share/gocode}
  if ! GOCACHE="$work/gocache" GOPATH="$gopath" GO111MODULE=off GOPROXY=off GOFLAGS= \
       go build -o "$work/cosig_check" "$SRC/tests/cli/cosig_check/main.go" 2>"$work/go.err"; then
    echo "FAIL: cannot build tests/cli/cosig_check with golang.org/x/mod from $gopath" >&2
    cat "$work/go.err" >&2
    exit 1
  fi
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

sed '2s/.*/999/' "$work/b.cosigned" > "$work/edited"
# verifier TOOL...: the same checks with each independent verifier.
verifier() {
  expect 0 "$@" "$work/a.cosigned" "$wkey"
  expect 0 "$@" "$work/b.cosigned" "$wkey"
  check "$1: ok and the timestamp of the document" \
    test "$(date -u -d "@$(cut -d' ' -f3 <<<"$out")" +%Y-%m-%dT%H:%M:%SZ)" = "$ts"
  expect 1 "$@" "$work/b.note" "$wkey"
  expect 1 "$@" "$work/b.cosigned" "$xkey"
  expect 1 "$@" "$work/edited" "$wkey"
  expect 2 "$@" "$work/b.cosigned" "$logkey"
}
if [ $have_go = 1 ]; then verifier "$work/cosig_check"; fi
if [ $have_py = 0 ]; then finish; exit; fi
verifier "$PY" "$V"
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
