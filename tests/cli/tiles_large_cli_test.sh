#!/usr/bin/env bash
# A tiles export of 70000 events (the C2SP spec's example size: full
# level-1 tiles and a level-2 tile), made by the hidden Catch2 case
# "[tiles-large]" of tiles_export_test (a CLI store would take minutes to
# fill), read by tests/cli/tiles_check with Go's sumdb/tlog.  Exit 77
# (skipped) when go is not installed.
TOOL=$1
EXPORT_TEST=$2
. "$(dirname "$0")/lib.sh"
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}

if ! command -v go >/dev/null 2>&1; then
  echo "SKIP: go is not installed (Debian: golang-go golang-golang-x-mod-dev)"
  exit 77
fi
if ! GOCACHE="$work/gocache" GOPATH="${SSPF_GOPATH:-/usr/share/gocode}" GO111MODULE=off \
     GOPROXY=off GOFLAGS= go build -o "$work/tiles_check" "$SRC/tests/cli/tiles_check/main.go" \
     2>"$work/go.err"; then
  echo "FAIL: cannot build tests/cli/tiles_check" >&2
  cat "$work/go.err" >&2
  exit 1
fi
mkdir "$work/out"
expect 0 env SSPF_TILES_OUT="$work/out" "$EXPORT_TEST" "[tiles-large]"
expect 0 "$work/tiles_check" "$work/out/tiles" "$work/out/vkey"
printf '%s\n' "$out"
check "size 70000" grep -q "size 70000" <<<"$out"
check "every entry checked" grep -q "all 70000 entries hash" <<<"$out"
check "the level-2 tile's tampering is detected" grep -q "flipped in tile/2/000.p/1 is detected" <<<"$out"
check "552 files" grep -q "exactly the 552 files" <<<"$out"
finish
