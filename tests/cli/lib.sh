# Shared helpers for the CLI test scripts.  Source after setting TOOL.
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
export SSPF_STORE="$work/store.db"
unset SSPF_USER SSPF_PASSPHRASE_FILE

# expect CODE CMD...: runs CMD, checks the exit code, keeps stdout in $out
# and stderr in $err.
expect() {
  local want=$1; shift
  out=$("$@" 2>"$work/stderr"); local got=$?
  err=$(cat "$work/stderr")
  if [ "$got" != "$want" ]; then
    echo "FAIL (exit $got, want $want): $*" >&2
    echo "  stdout: $out" >&2
    echo "  stderr: $err" >&2
    fails=$((fails + 1))
  fi
}
# check DESC CONDITION...
check() {
  local desc=$1; shift
  if ! "$@"; then echo "FAIL: $desc" >&2; fails=$((fails + 1)); fi
}
not_in() {  # not_in NEEDLE TEXT
  ! grep -qF -- "$1" <<<"$2"
}
not_in_files() {  # not_in_files NEEDLE FILE...
  local needle=$1; shift
  ! grep -qaF -- "$needle" "$@"
}
pass_file() {  # pass_file NAME TEXT -> path
  printf '%s\n' "$2" > "$work/$1.pw"; echo "$work/$1.pw"
}
json() {  # json EXPR: evaluates EXPR on the JSON document in $out (as j)
  "${PYTHON:-python3}" -c "import json,sys; j=json.loads(sys.stdin.read()); print($1)" <<<"$out"
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}
