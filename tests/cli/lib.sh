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
# add_users ADMIN_PW "NAME ACTOR ROLE"...: the admin anna adds each
# principal, with the passphrase "NAME passphrase 123" in $work/NAME.pw.
add_users() {
  local admin_pw=$1 spec pw; shift
  for spec in "$@"; do
    set -- $spec
    pw=$(pass_file "$1" "$1 passphrase 123")
    expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user add "$1" --actor "$2" \
           --role "$3" --new-passphrase-file "$pw"
  done
}
as() {  # as NAME ARGS...: run the tool as a principal added by add_users
  local who=$1; shift
  "$TOOL" --user "$who" --passphrase-file "$work/$who.pw" "$@"
}
json() {  # json EXPR: evaluates EXPR on the JSON document in $out (as j)
  "${PYTHON:-python3}" -c "import json,sys; j=json.loads(sys.stdin.read()); print($1)" <<<"$out"
}
# make_pnr YEARS SERIAL: a fictitious personnummer (YYYYMMDDNNNC, correct
# check digit) for someone born YEARS ago on 10 March.
make_pnr() {
  "${PYTHON:-python3}" - "$1" "$2" <<'EOF'
import datetime, sys
years, serial = int(sys.argv[1]), int(sys.argv[2])
y = datetime.date.today().year - years
ten = "%02d0310%03d" % (y % 100, serial)
s = 0
for i, ch in enumerate(ten[:9]):
    d = int(ch) * (2 if i % 2 == 0 else 1)
    s += d - 9 if d > 9 else d
print("%d0310%03d%d" % (y, serial, (10 - s % 10) % 10))
EOF
}
# in_days N: the date N days from today (negative: ago), YYYY-MM-DD.
in_days() {
  "${PYTHON:-python3}" -c "import datetime; print(datetime.date.today() + datetime.timedelta(days=$1))"
}
finish() {
  if [ "$fails" -ne 0 ]; then echo "$fails check(s) failed" >&2; exit 1; fi
  echo "all checks passed"
}
