#!/usr/bin/env bash
# Interop: `sspf-tool audit consistency --json` proofs between checkpoints
# of many sizes pass Go's golang.org/x/mod/sumdb/tlog.CheckTree (Debian
# golang-golang-x-mod-dev), built offline in GOPATH mode from the Debian
# sources (no module proxy, no network); altered proofs must fail it.
# Exit 77 (skipped) only when `go` is not installed.
TOOL=$1
. "$(dirname "$0")/lib.sh"
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v go >/dev/null 2>&1; then
  echo "SKIP: go is not installed (Debian: golang-go golang-golang-x-mod-dev)"
  exit 77
fi
gopath=${SSPF_GOPATH:-/usr/share/gocode}
# The build cache in the temp dir: works as root and on a clean machine.
if ! GOCACHE="$work/gocache" GOPATH="$gopath" GO111MODULE=off GOPROXY=off GOFLAGS= \
     go build -o "$work/tlog_check" "$SRC/tests/cli/tlog_check/main.go" 2>"$work/go.err"; then
  echo "FAIL: cannot build tests/cli/tlog_check with golang.org/x/mod from $gopath" >&2
  cat "$work/go.err" >&2
  exit 1
fi

admin_pw=$(pass_file admin "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "eva coordination auditor"
# Checkpoints at growing sizes (each command adds its own events).
notes=()
for i in 1 2 3 4 5 6 7; do
  expect 0 as eva audit checkpoint --out "$work/cp$i.note"
  notes+=("$work/cp$i.note")
  for ((k = 0; k < i; k++)); do as eva whoami >/dev/null; done
done
proofs=()
for ((a = 0; a < ${#notes[@]}; a++)); do
  for ((b = a; b < ${#notes[@]}; b++)); do
    expect 0 as eva audit consistency --from "${notes[$a]}" --to "${notes[$b]}" --json
    printf '%s\n' "$out" > "$work/proof-$a-$b.json"
    proofs+=("$work/proof-$a-$b.json")
  done
done
expect 0 "$work/tlog_check" "${proofs[@]}"
check "tlog.CheckTree accepted every proof" \
  test "$(grep -c '^ok: ' <<<"$out")" = "${#proofs[@]}"
# A proof edited in the JSON fails Go's check too.
"${PYTHON:-python3}" - "$work/proof-0-6.json" "$work/bad.json" <<'PYEOF'
import base64, json, sys
j = json.load(open(sys.argv[1]))
h = bytearray(base64.b64decode(j["proof"][0])); h[5] ^= 0x40
j["proof"][0] = base64.b64encode(bytes(h)).decode()
json.dump(j, open(sys.argv[2], "w"))
PYEOF
expect 1 "$work/tlog_check" "$work/bad.json"
check "the edited proof is named" grep -q "CheckTree rejects" <<<"$err"
finish
