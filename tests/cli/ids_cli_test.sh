#!/usr/bin/env bash
# Ids by a unique prefix (issue 14, "human handles"): every command takes
# 6+ hex digits of an id where it takes an id, `sspf-tool id` names the
# record, a short or unknown prefix is refused with one line, and a team
# list may have spaces after its commas.  (An ambiguous prefix, which needs
# two ids sharing 6+ digits, is planted in tests/unit/domain/ids_test.cpp.)
TOOL=$1
. "$(dirname "$0")/lib.sh"
trap 'rm -rf "$work"' EXIT

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "eva coordination auditor"
printf '%s\n' "$(make_pnr 15 612)" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Prefixa Testsson" \
       --guardian "Vera Vardnad" --json
subject=$(json "j['id']")

# --subject by 6 digits, --team with a space after the comma.
expect 0 as kim case open --subject "${subject:0:6}" --team "sara, per" --json
case_id=$(json "j['id']")
expect 0 as kim case show "$case_id" --json
check "the case is the subject's" test "$(json "j['subject_id']")" = "$subject"
check "both team members, without spaces" \
  test "$(json "','.join(sorted(j['team']))")" = "kim,per,sara"

# Positional ids and --case by prefix, in either case.
upper=$(tr a-f A-F <<<"${case_id:0:8}")
expect 0 as sara case show "$upper" --json
check "case show by an upper-case prefix" test "$(json "j['id']")" = "$case_id"
out=$(printf 'Anteckning.\n' | as sara entry add --case "${case_id:0:7}" --category school \
      --json 2>"$work/stderr"); rc=$?
check "entry add --case by prefix" test "$rc" = 0
entry=$(json "j['id']")
expect 0 as sara entry read "${entry:0:6}" --purpose follow-up
check "entry read by prefix gives the body" grep -q "Anteckning." <<<"$out"
# The log records the full id, never the prefix.
expect 0 as eva audit query --case "${case_id:0:9}" --json
check "audit query --case by prefix" grep -q "entry:$entry" <<<"$out"

# sspf-tool id, on all of its outputs.
expect 0 as sara id "${entry:0:6}"
check "id prints the kind and the full id" test "$out" = "entry $entry"
expect 0 as sara id "${subject:0:10}" --json
check "id --json" test "$(json "j['kind'] + ' ' + j['id']")" = "subject $subject"
expect 0 "$TOOL" id --help
check "id --help has an example" grep -q "sspf-tool id 7c1d04" <<<"$out"

# Refusals: one line each, the right exit code, nothing on stdout.
expect 4 as sara case show "${case_id:0:5}"
check "5 digits are not a prefix: no such case" test -z "$out"
expect 2 as sara id "${case_id:0:5}"
check "id: too short says 6" grep -q "6 to 32 hex digits" <<<"$err"
check "one line" test "$(wc -l <<<"$err")" -eq 1
unknown=$( [ "${case_id:0:1}" = 0 ] && echo 1 || echo 0 )${case_id:1:7}
expect 4 as sara case show "$unknown"
check "an unknown prefix names the argument as the usage line does" \
  grep -q "^sspf-tool: ID: no subject" <<<"$err"
check "unknown: nothing printed" test -z "$out"
expect 4 as sara case show 0123456789abcdef0123456789abcdef
finish
