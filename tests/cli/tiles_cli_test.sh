#!/usr/bin/env bash
# audit export --tiles DIR: the access log as C2SP tlog-tiles, checked by
# tests/cli/tiles_check (Go's golang.org/x/mod/sumdb/tlog and sumdb/note,
# built offline in GOPATH mode from the Debian sources) at tree sizes with
# partial tiles, exactly one full tile and a level-1 tile (255, 256, 257);
# who may export, the events it logs, refused directories (nothing
# written), entries equal to the leaves of the JSON-lines export, and no
# personal data in the export.  The Go checks are skipped (exit 77, after
# the others ran) only when `go` is not installed.
TOOL=$1
. "$(dirname "$0")/lib.sh"
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
trap '"$TOOL" --user eva lock >/dev/null 2>&1; rm -rf "$work"' EXIT

have_go=0
if command -v go >/dev/null 2>&1; then
  gopath=${SSPF_GOPATH:-/usr/share/gocode}
  if ! GOCACHE="$work/gocache" GOPATH="$gopath" GO111MODULE=off GOPROXY=off GOFLAGS= \
       go build -o "$work/tiles_check" "$SRC/tests/cli/tiles_check/main.go" 2>"$work/go.err"; then
    echo "FAIL: cannot build tests/cli/tiles_check with golang.org/x/mod from $gopath" >&2
    cat "$work/go.err" >&2
    exit 1
  fi
  have_go=1
fi
# go_check DIR: tiles_check on DIR (when go is installed).
go_check() {
  [ "$have_go" = 1 ] || return 0
  expect 0 "$work/tiles_check" "$1" "$work/verifier.key"
  printf '%s\n' "$out"
  check "tiles_check verified $1" grep -q "ProveRecord/CheckRecord pass" <<<"$out"
  check "tiles_check detected every tampered file in $1" \
    test "$(grep -c 'is detected' <<<"$out")" -ge 2
}

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "eva coordination auditor" "kim coordination coordinator" \
          "sara school member"
pnr=$(make_pnr 15 417)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Tilda Tilesson" \
       --guardian "Gustav Tilesson" --json
subject=$(json "j['id']")
expect 0 as kim case open --subject "$subject" --json

expect 0 "$TOOL" audit export --help
check "export --help shows --tiles with an example" \
  grep -q "audit export --tiles tiles-2026-12" <<<"$out"

# Who may export: as audit export (auditors); a refusal writes nothing.
expect 3 as sara audit export --tiles "$work/sara"
check "a refused export leaves no directory" test ! -e "$work/sara"
expect 3 as kim audit export --tiles "$work/kim"
check "a refused export leaves no directory (coordinator)" test ! -e "$work/kim"
# Usage errors.
expect 2 as eva audit export
check "no --format or --tiles is named" grep -q -- "--tiles DIR" <<<"$err"
expect 2 as eva audit export --tiles "$work/x" --format jsonl
expect 2 as eva audit export --tiles "$work/x" --case "$subject"
check "filters are refused with --tiles" grep -q "whole log" <<<"$err"
check "no directory after usage errors" test ! -e "$work/x"
# Directories it refuses, each with one line that says what to do.
mkdir "$work/full" && echo keep > "$work/full/mine.txt"
expect 1 as eva audit export --tiles "$work/full"
check "non-empty: one line" test "$(wc -l <<<"$err")" = 1
check "non-empty: says so" grep -q "is not empty: give a new or empty directory" <<<"$err"
check "non-empty: left alone" test "$(ls "$work/full")" = mine.txt
expect 4 as eva audit export --tiles "$work/missing/parent"
check "missing parent: says so" grep -q "parent directory" <<<"$err"
touch "$work/afile"
expect 2 as eva audit export --tiles "$work/afile"
check "no staging directories left" test -z "$(ls -d "$work"/*.tmp-* 2>/dev/null)"

# A small export into an existing empty directory.
expect 0 as eva audit verifier-key
printf '%s\n' "$out" > "$work/verifier.key"
mkdir "$work/small"
expect 0 as eva --json audit export --tiles "$work/small"
small_size=$(json "j['tree_size']")
check "JSON names the dir" test "$(json "j['dir']")" = "$work/small"
check "JSON: one partial tile and bundle" test "$(json "j['tiles'], j['entry_bundles']")" = "1 1"
check "JSON: schema_version 1" test "$(json "j['schema_version']")" = 1
check "checkpoint file is the signed note" grep -q "^— sspf.local/" "$work/small/checkpoint"
check "tile path of a partial tile" test -f "$work/small/tile/0/000.p/$small_size"
check "tile holds 32 bytes per leaf" \
  test "$(stat -c %s "$work/small/tile/0/000.p/$small_size")" = $((32 * small_size))
check "entry bundle path" test -f "$work/small/tile/entries/000.p/$small_size"
go_check "$work/small"
# The export is logged as audit.export with target tiles.
expect 0 as eva --json audit query --action audit.export
check "export logged with target tiles" \
  test "$(json "sum(1 for e in j['events'] if e['target'] == 'tiles')")" -ge 1

# The entries are the leaves of the JSON-lines export, byte for byte; no
# personal data in any file.
expect 0 as eva audit export --format jsonl
printf '%s\n' "$out" > "$work/log.jsonl"
"${PYTHON:-python3}" - "$work/small/tile/entries/000.p/$small_size" "$work/log.jsonl" <<'PYEOF'
import base64, json, sys
b = open(sys.argv[1], "rb").read()
entries = []
while b:
    n = int.from_bytes(b[:2], "big"); entries.append(b[2:2 + n]); b = b[2 + n:]
leaves = [base64.b64decode(json.loads(l)["leaf"]) for l in open(sys.argv[2])]
assert entries == leaves[:len(entries)], "entries differ from the exported leaves"
PYEOF
check "entries are the exported leaves" test $? = 0
mapfile -t files < <(find "$work/small" -type f)
check "the export has files" test "${#files[@]}" = 3
check "no name in the export" not_in_files "Tilesson" "${files[@]}"
check "no personnummer in the export" not_in_files "$pnr" "${files[@]}"
check "no short personnummer in the export" not_in_files "${pnr:2}" "${files[@]}"
check "the subject's pseudonymous id is there (the check can fail)" \
  grep -qaF "$subject" "${files[@]}"

# Sizes 255, 256 and 257 through an agent (an export there adds one event:
# no unlock), padded with queries (one event each).
expect 0 as eva agent
export SSPF_USER=eva
expect 0 "$TOOL" --json audit export --tiles "$work/probe" </dev/null
size=$(json "j['tree_size']")
for ((i = size; i < 254; i++)); do
  "$TOOL" audit query --limit 1 </dev/null >/dev/null || { echo "FAIL: padding" >&2; exit 1; }
done
expect 0 "$TOOL" --json audit export --tiles "$work/t255" </dev/null
check "size 255" test "$(json "j['tree_size'], j['tiles'], j['entry_bundles']")" = "255 1 1"
check "255: one partial tile" test -f "$work/t255/tile/0/000.p/255"
expect 0 "$TOOL" --json audit export --tiles "$work/t256" </dev/null
check "size 256" test "$(json "j['tree_size'], j['tiles'], j['entry_bundles']")" = "256 2 1"
check "256: a full tile" test "$(stat -c %s "$work/t256/tile/0/000")" = 8192
check "256: a partial level-1 tile of width 1" test -f "$work/t256/tile/1/000.p/1"
check "256: a full entry bundle" test -f "$work/t256/tile/entries/000"
expect 0 "$TOOL" --json audit export --tiles "$work/t257" </dev/null
check "size 257" test "$(json "j['tree_size'], j['tiles'], j['entry_bundles']")" = "257 3 2"
check "257: the partial level-0 tile" test -f "$work/t257/tile/0/001.p/1"
check "257: the partial entry bundle" test -f "$work/t257/tile/entries/001.p/1"
check "the full tile is the same in both exports" cmp -s "$work/t256/tile/0/000" \
  "$work/t257/tile/0/000"
"$TOOL" lock >/dev/null 2>&1
unset SSPF_USER
for d in t255 t256 t257; do go_check "$work/$d"; done

# The log still verifies (the exports' checkpoints among its checkpoints).
expect 0 as eva audit verify

if [ "$have_go" != 1 ]; then
  finish >&2 || exit 1
  echo "SKIP: go is not installed (Debian: golang-go golang-golang-x-mod-dev); the tlog checks did not run"
  exit 77
fi
finish
