#!/usr/bin/env bash
# sspf-tool init prints the trust anchor; audit trust-anchor prints the same
# anchor for every principal (text and --json), and --expect exits 6 with one
# line for another store's anchor (DESIGN §13).
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
init_text=$out
anchor=$(sed -n 's/^  trust-anchor \(.*\)$/\1/p' <<<"$init_text")
fingerprint=$(sed -n 's/^  fingerprint  \(.*\)$/\1/p' <<<"$init_text")
check "init prints a base64 key of 32 bytes" \
  test "$(printf '%s' "$anchor" | base64 -d 2>/dev/null | wc -c)" = 32
check "the fingerprint is sha256 of the key, grouped" test "$fingerprint" = \
  "$(printf '%s' "$anchor" | base64 -d | sha256sum | cut -c1-32 | sed 's/..../&-/g; s/-$//')"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
  "per police member" "eva coordination auditor"

for who in anna kim sara per eva; do
  expect 0 as "$who" audit trust-anchor
  check "$who: the anchor init printed" grep -qxF "trust-anchor $anchor" <<<"$out"
  check "$who: its fingerprint" grep -qxF "fingerprint  $fingerprint" <<<"$out"
  expect 0 as "$who" audit trust-anchor --json
  check "$who: --json public_key" test "$(json "j['public_key']")" = "$anchor"
  check "$who: --json fingerprint" test "$(json "j['fingerprint']")" = "$fingerprint"
  check "$who: --json keys" test "$(json "list(j)")" = \
    "['schema_version', 'store_id', 'public_key', 'fingerprint']"
done

# The pin file: what audit trust-anchor printed, or the bare key.
expect 0 as eva audit trust-anchor
printf '%s\n' "$out" > "$work/pinned.txt"
printf '%s\n' "$anchor" > "$work/bare.txt"
for f in pinned.txt bare.txt; do
  expect 0 as sara audit trust-anchor --expect "$work/$f"
  check "--expect $f: says it matches" grep -q "matches the --expect file" <<<"$out"
done

# init --json carries the same anchor, as its last member.
other="$work/other.db"
expect 0 "$TOOL" --store "$other" init --admin anna --passphrase-file "$admin_pw" --json
other_anchor=$(json "j['trust_anchor']")
check "init --json: trust_anchor is the last member" test "$(json "list(j)[-1]")" = trust_anchor
check "another store has another anchor" test "$other_anchor" != "$anchor"
expect 0 as anna --store "$other" audit trust-anchor --json
check "init --json anchor = audit trust-anchor" test "$(json "j['public_key']")" = "$other_anchor"

# Another store's anchor: exit 6, one line, under --json the error document.
printf 'trust-anchor %s\n' "$other_anchor" > "$work/wrong.txt"
for who in anna sara eva; do
  expect 6 as "$who" audit trust-anchor --expect "$work/wrong.txt"
  check "$who: mismatch is one line" test "$(wc -l <<<"$err")" = 1
  check "$who: mismatch says so" grep -q "differs from the one in the --expect file" <<<"$err"
  check "$who: nothing on stdout" test -z "$out"
done
expect 6 as sara audit trust-anchor --expect "$work/wrong.txt" --json
check "--json mismatch: nothing on stdout" test -z "$out"
out=$err
check "--json mismatch: the error document on stderr" \
  test "$(json "j['error']['code'], j['error']['exit']")" = "integrity_violation 6"

# A file without an anchor, or none at all: usage errors.
printf 'not an anchor\n' > "$work/junk.txt"
expect 2 as sara audit trust-anchor --expect "$work/junk.txt"
check "junk --expect: says what the file must hold" grep -q "holds no trust anchor" <<<"$err"
expect 2 as sara audit trust-anchor --expect "$work/missing.txt"
finish
