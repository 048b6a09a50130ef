#!/usr/bin/env bash
# audit principals: every version of every principal's certificate, and
# with it an auditor checks every exported event's signature without the
# library (tools/verify_signatures.py, with python3's `cryptography`).  The
# trust anchor is the one init printed (InitJson's trust_anchor), the copy an
# auditor pins out of band, never a row of the store.  The checks must be
# able to fail: a flipped byte of an event signature, of a certificate
# signature, and a swapped signing key are each caught.  Without
# `cryptography` the python part is skipped with a message and the test
# reports SKIPPED (exit 77), never passed.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}
SRC=${SSPF_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
VERIFY="$SRC/tools/verify_signatures.py"

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw" \
       --recovery-key-out "$work/recovery.key" --json
anchor=$(json "j.get('trust_anchor') or ''")
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "per police member" "eva coordination auditor"
expect 3 as sara user list
# per is disabled (certificate version 2) and sara reset with the recovery
# key (version 2, new signing key; the reset is signed by the authority).
expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" user disable per
pass_file sara "sara new passphrase 456" > /dev/null
expect 0 "$TOOL" recover sara --recovery-key-file "$work/recovery.key" \
       --new-passphrase-file "$work/sara.pw"
expect 0 as sara case list
expect 0 as kim case list

# ---- the list ----------------------------------------------------------------------
expect 3 as kim audit principals
expect 3 "$TOOL" --user anna --passphrase-file "$admin_pw" audit principals
expect 0 as eva audit principals
check "text: a header and one line per certificate (anna, kim, eva, sara x2, per x2)" \
  test "$(printf '%s\n' "$out" | wc -l)" = 8
check "text: per's second certificate says disabled" \
  grep -qE $'^[^\t]+\t2\tper\tpolice\tmember\tdisabled\t' <<<"$out"
check "no passphrase in the list" not_in "passphrase" "$out"
expect 0 as eva audit principals --json
printf '%s\n' "$out" > "$work/certs.json"
check "json: 7 certificates, with the versions of per and sara" \
  test "$(json "sorted((c['name'], c['version'], c['active']) for c in j['certificates'])")" \
  = "[('anna', 1, True), ('eva', 1, True), ('kim', 1, True), ('per', 1, True), ('per', 2, False), ('sara', 1, True), ('sara', 2, True)]"
check "json: keys in schema order" \
  test "$(json "list(j) + list(j['certificates'][0])")" = \
  "['schema_version', 'certificates', 'principal_id', 'name', 'actor', 'role', 'active', 'version', 'signing_key', 'certificate', 'certificate_signature']"
check "the list is logged as an audit query of the certificates (and the denials)" \
  test "$(as eva audit query --target certificates --json | "$PY" -c \
          'import json,sys; print(sorted(e["allowed"] for e in json.load(sys.stdin)["events"]))')" \
  = "[False, False, True, True]"
expect 0 as eva audit export --format jsonl
printf '%s\n' "$out" > "$work/export.jsonl"

# ---- the signatures, checked without the library --------------------------------------
skipped=0
if ! "$PY" -c 'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey' \
     2>/dev/null; then
  echo "SKIP: python3 package 'cryptography' is missing: the event and certificate" \
       "signatures were NOT checked" >&2
  skipped=1
else
  anchor_args=()
  if [ -n "$anchor" ]; then
    printf 'trust-anchor %s\n' "$anchor" > "$work/anchor.txt"
    anchor_args=(--anchor "$work/anchor.txt")
  else
    # init --json does not carry the trust anchor on this branch yet
    # (InitJson's trust_anchor comes with `audit trust-anchor`): the
    # certificate signatures and the authority's events cannot be checked
    # against an out-of-band anchor here.  Everything else is.
    echo "SKIP (one check): init printed no trust anchor; certificate_signature and" \
         "the authority-signed events are not checked against it" >&2
  fi
  expect 0 "$PY" "$VERIFY" "$work/export.jsonl" "$work/certs.json" "${anchor_args[@]}"
  check "every event checked" grep -q "^ok: $(wc -l < "$work/export.jsonl") events, 7 certificates" <<<"$out"

  # Each alteration must be caught.
  flip() {  # flip IN OUT FIELD [LIST]: flips one byte of base64 FIELD of the 3rd record
    "$PY" - "$@" <<'PYEOF'
import base64, json, sys
src, dst, field = sys.argv[1:4]
if len(sys.argv) > 4:
    doc = json.load(open(src)); rec = doc[sys.argv[4]][2]
else:
    lines = [json.loads(l) for l in open(src) if l.strip()]; rec = lines[2]
b = bytearray(base64.b64decode(rec[field])); b[-1] ^= 0x01
rec[field] = base64.b64encode(bytes(b)).decode()
with open(dst, "w") as f:
    if len(sys.argv) > 4: f.write(json.dumps(doc) + "\n")
    else: f.write("".join(json.dumps(l) + "\n" for l in lines))
PYEOF
  }
  flip "$work/export.jsonl" "$work/bad-sig.jsonl" signature
  expect 1 "$PY" "$VERIFY" "$work/bad-sig.jsonl" "$work/certs.json" "${anchor_args[@]}"
  check "a flipped event signature is named" grep -q "event 2: the signature does not verify" <<<"$err"
  flip "$work/export.jsonl" "$work/bad-msg.jsonl" signed_message
  expect 1 "$PY" "$VERIFY" "$work/bad-msg.jsonl" "$work/certs.json" "${anchor_args[@]}"
  check "a changed signed message is caught" grep -q "event 2: signed_message does not hold" <<<"$err"
  flip "$work/certs.json" "$work/bad-key.json" signing_key certificates
  expect 1 "$PY" "$VERIFY" "$work/export.jsonl" "$work/bad-key.json" "${anchor_args[@]}"
  check "a swapped signing key is caught" grep -q "another signing key" <<<"$err"
  if [ -n "$anchor" ]; then
    flip "$work/certs.json" "$work/bad-cert.json" certificate_signature certificates
    expect 1 "$PY" "$VERIFY" "$work/export.jsonl" "$work/bad-cert.json" "${anchor_args[@]}"
    check "a flipped certificate signature is caught" grep -q "under the trust anchor" <<<"$err"
    # Another store's anchor verifies nothing.
    "$PY" -c 'import base64; print(base64.b64encode(bytes(range(1, 33))).decode())' \
      > "$work/wrong-anchor.txt"
    expect 1 "$PY" "$VERIFY" "$work/export.jsonl" "$work/certs.json" --anchor "$work/wrong-anchor.txt"
  fi
fi

if [ "$skipped" -ne 0 ] && [ "$fails" -eq 0 ]; then
  echo "the other checks passed; SKIPPED: the signature checks need python3's cryptography"
  exit 77
fi
finish
