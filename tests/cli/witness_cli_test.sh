#!/usr/bin/env bash
# sspf-tool audit witness init | cosign and audit verify --witness-key: a
# witness (another party, no store) cosigns checkpoints of ONE log only when
# each is consistent with the last one it cosigned; rollback, forks, forged
# proofs and another log's checkpoints are refused with exit 6, and verify
# requires a valid cosignature from each witness named.
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file admin "admin passphrase one")
A=("$TOOL" --user anna --passphrase-file "$admin_pw")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "eva coordination auditor"
expect 0 as eva audit verifier-key
logkey=$out
W="$work/witness"   # the police authority's machine: no store there
mkdir "$W"

# init: key 0600, .pub 0644, vkey with key type 0x04; no store needed.
expect 0 env -u SSPF_STORE "$TOOL" audit witness init --out "$W/key" --name polisen.se/witness
wkey=$out
check "init: prints a vkey named after the witness" grep -q '^polisen.se/witness+[0-9a-f]\{8\}+' <<<"$wkey"
check "init: key file mode 0600" test "$(stat -c %a "$W/key")" = 600
check "init: pub file mode 0644" test "$(stat -c %a "$W/key.pub")" = 644
check "init: pub file holds the vkey" test "$(cat "$W/key.pub")" = "$wkey"
check "init: no store was made" test ! -e "$work/store2.db"
check "init: vkey type 0x04 and key id of cosignature/v1" "${PYTHON:-python3}" - "$wkey" <<'PYEOF'
import base64, hashlib, sys
name, kid, b64 = sys.argv[1].split("+", 2)
typed = base64.b64decode(b64)
assert len(typed) == 33 and typed[0] == 4, typed
assert hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4].hex() == kid
PYEOF
expect 1 "$TOOL" audit witness init --out "$W/key" --name polisen.se/witness
check "init: never overwrites" grep -q "exists" <<<"$err"
ln -s "$W/elsewhere" "$W/link"
expect 1 "$TOOL" audit witness init --out "$W/link" --name x
check "init: never follows a link" test ! -e "$W/elsewhere"
expect 2 "$TOOL" audit witness init --out "$W/k2" --name "bad name"
expect 4 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/none.note"
expect 0 "$TOOL" audit witness init --out "$W/other" --name other.example/w --json
check "init --json" test "$(json "j['schema_version'], j['name'], j['public_key_file']")" = \
  "1 other.example/w $W/other.pub"
otherkey=$(cat "$W/other.pub")

# Month 1: the first checkpoint pins the log (its key is needed once).
expect 0 as eva audit checkpoint --out "$work/m1.note"
expect 2 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/m1.note"
check "first use without --log-key: says so" grep -q "log's key" <<<"$err"
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" --log-key "$logkey" \
  "$work/m1.note" --json
check "cosign --json" test "$(json "j['schema_version'], j['first_use'], j['previous_size'], j['witness']")" = \
  "1 True 0 polisen.se/witness"
json "j['note']" > /dev/null
"${PYTHON:-python3}" -c "import json,sys; sys.stdout.write(json.load(sys.stdin)['note'])" \
  <<<"$out" > "$work/m1.cosigned"
check "state dir is private" test "$(stat -c %a "$W/state")" = 700
check "cosigned note: one more signature line, by the witness" \
  test "$(grep -c '^— polisen.se/witness ' "$work/m1.cosigned")" = 1
check "cosigned note: the log's signature lines kept" \
  test "$(grep -c '^— ' "$work/m1.cosigned")" = "$(( $(grep -c '^— ' "$work/m1.note") + 1 ))"

# Month 2: the log grew; the auditor gives a proof; the witness cosigns.
for i in 1 2 3; do expect 0 "${A[@]}" user list; done
expect 0 as eva audit checkpoint --out "$work/m2.note"
expect 0 as eva audit consistency --from "$work/m1.note" --to "$work/m2.note" --json
printf '%s' "$out" > "$work/m1-m2.json"
expect 2 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/m2.note"
check "growth without a proof: says so" grep -q "consistency proof" <<<"$err"
cp "$W/state/state" "$work/state.m1"
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/m1-m2.json" "$work/m2.note"
printf '%s\n' "$out" > "$work/m2.cosigned"
check "extension: cosigned" grep -q '^— polisen.se/witness ' "$work/m2.cosigned"
# The same checkpoint again (no proof needed) is fine.
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/m2.note"
cp "$W/state/state" "$work/state.m2"

# Rollback: month 1's checkpoint after month 2's.
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/m1.note"
check "rollback: one line" test "$(wc -l <<<"$err")" = 1
check "rollback: says so" grep -q "rollback" <<<"$err"
check "rollback: state unchanged" cmp -s "$W/state/state" "$work/state.m2"

# A fork: a copy of the store made at month 2 goes its own way, and so does
# the live one; both sign checkpoints of the same size.
cp "$work/store.db" "$work/fork.db"; cp "$work/store.db.keyring" "$work/fork.db.keyring"
for i in 1 2; do expect 0 "${A[@]}" user list; done
expect 0 as eva audit checkpoint --out "$work/m3.note"
# (eva's requests in the fork, anna's in the live store: other leaves)
for i in 1 2; do
  env SSPF_STORE="$work/fork.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" user list \
    >/dev/null 2>&1
done
expect 0 env SSPF_STORE="$work/fork.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit checkpoint --out "$work/fork.note"
check "fork has the live size" test "$(sed -n 2p "$work/fork.note")" = "$(sed -n 2p "$work/m3.note")"
check "fork has another root" test "$(sed -n 3p "$work/fork.note")" != "$(sed -n 3p "$work/m3.note")"
expect 0 as eva audit consistency --from "$work/m2.note" --to "$work/m3.note" --json
printf '%s' "$out" > "$work/m2-m3.json"
expect 0 env SSPF_STORE="$work/fork.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit consistency --from "$work/m2.note" --to "$work/fork.note" --json
printf '%s' "$out" > "$work/m2-fork.json"
# The fork first, with its own (valid) proof: it is cosigned ...
cp -r "$W/state" "$W/state.b"
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state.b" \
  --proof "$work/m2-fork.json" "$work/fork.note"
# ... and then the live log's checkpoint of the same size is a fork.
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state.b" \
  --proof "$work/m2-m3.json" "$work/m3.note"
check "fork: says so" grep -q "^sspf-tool: fork" <<<"$err"
check "fork: one line" test "$(wc -l <<<"$err")" = 1
# The live witness cosigns month 3; the fork is then refused.
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/m2-m3.json" "$work/m3.note"
printf '%s\n' "$out" > "$work/m3.cosigned"
cp "$W/state/state" "$work/state.m3"
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/fork.note"
check "fork after the live one: says so" grep -q "fork" <<<"$err"
check "fork: state unchanged" cmp -s "$W/state/state" "$work/state.m3"

# Forged proofs: for month 4, a proof from another size, an edited hash, a
# proof for the fork given with the live checkpoint.
for i in 1 2; do expect 0 "${A[@]}" user list; done
expect 0 as eva audit checkpoint --out "$work/m4.note"
expect 0 as eva audit consistency --from "$work/m3.note" --to "$work/m4.note" --json
printf '%s' "$out" > "$work/m3-m4.json"
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/m2-m3.json" "$work/m4.note"
check "proof from another size: refused" grep -q "not from the last cosigned" <<<"$err"
"${PYTHON:-python3}" - "$work/m3-m4.json" > "$work/forged.json" <<'PYEOF'
import base64, json, sys
j = json.load(open(sys.argv[1]))
h = bytearray(base64.b64decode(j["proof"][0])); h[0] ^= 1
j["proof"][0] = base64.b64encode(bytes(h)).decode()
print(json.dumps(j))
PYEOF
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/forged.json" "$work/m4.note"
check "forged proof: does not verify" grep -q "does not verify" <<<"$err"
"${PYTHON:-python3}" - "$work/m3-m4.json" > "$work/short.json" <<'PYEOF'
import json, sys
j = json.load(open(sys.argv[1])); j["proof"] = j["proof"][:-1]; print(json.dumps(j))
PYEOF
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/short.json" "$work/m4.note"
echo '{"schema_version":1,"old_size":"x"}' > "$work/junk.json"
expect 2 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/junk.json" "$work/m4.note"
check "forged proofs: state unchanged" cmp -s "$W/state/state" "$work/state.m3"
# An edited checkpoint (its root changed) fails the log's signature.
awk -v r="$(sed -n 3p "$work/m3.note")" 'NR == 3 { print r; next } { print }' "$work/m4.note" \
  > "$work/edited.note"
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/m3-m4.json" "$work/edited.note"
expect 0 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" \
  --proof "$work/m3-m4.json" "$work/m4.note"
printf '%s\n' "$out" > "$work/m4.cosigned"

# Another log: its checkpoint, or its key given, is refused.
mkdir "$work/other"
expect 0 env SSPF_STORE="$work/other/s.db" "$TOOL" init --admin anna --passphrase-file "$admin_pw"
expect 0 env SSPF_STORE="$work/other/s.db" "${A[@]}" user add eva --actor coordination \
  --role auditor --new-passphrase-file "$work/eva.pw"
expect 0 env SSPF_STORE="$work/other/s.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit checkpoint --out "$work/foreign.note"
expect 0 env SSPF_STORE="$work/other/s.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit verifier-key
foreignkey=$out
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" "$work/foreign.note"
check "another log: says so" grep -q "another log" <<<"$err"
expect 6 "$TOOL" audit witness cosign --key "$W/key" --state "$W/state" --log-key "$foreignkey" \
  "$work/foreign.note"
check "another log's key: says so" grep -q "pinned" <<<"$err"
# A key file others may read is refused.
chmod 644 "$W/other"
expect 2 "$TOOL" audit witness cosign --key "$W/other" --state "$W/s2" --log-key "$logkey" \
  "$work/m4.note"
check "readable key: says so" grep -q "chmod 600" <<<"$err"

# verify --witness-key: the kept checkpoint must carry each witness's
# cosignature.
expect 0 as eva audit verify --checkpoint "$work/m4.cosigned" --witness-key "$wkey" --json
check "verify: lists the witness" test "$(json "j['witnesses']")" = "['polisen.se/witness']"
expect 0 as eva audit verify --checkpoint "$work/m4.cosigned" --witness-key "$wkey"
check "verify text names the witness" grep -q "cosigned by witness polisen.se/witness" <<<"$out"
expect 6 as eva audit verify --checkpoint "$work/m4.note" --witness-key "$wkey"
check "no cosignature: names the witness" grep -q "no cosignature by witness polisen.se/witness" <<<"$err"
check "no cosignature: one line" test "$(wc -l <<<"$err")" = 1
expect 6 as eva audit verify --checkpoint "$work/m4.cosigned" --witness-key "$wkey" \
  --witness-key "$otherkey"
check "wrong key: names the other witness" grep -q "witness other.example/w" <<<"$err"
# A cosignature line with a flipped signature byte.
"${PYTHON:-python3}" - "$work/m4.cosigned" > "$work/badsig.note" <<'PYEOF'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
for i, l in enumerate(lines):
    if l.startswith("\u2014 polisen.se/witness "):
        b = bytearray(base64.b64decode(l.split(" ")[2])); b[-1] ^= 1
        lines[i] = l.rsplit(" ", 1)[0] + " " + base64.b64encode(bytes(b)).decode()
sys.stdout.write("\n".join(lines))
PYEOF
expect 6 as eva audit verify --checkpoint "$work/badsig.note" --witness-key "$wkey"
check "bad cosignature: says invalid" grep -q "invalid cosignature by witness polisen.se" <<<"$err"
# A cosignature of another checkpoint pasted under this one.
{ sed '/^$/q' "$work/m4.note"; sed -n '/^$/,$p' "$work/m4.note" | sed 1d;
  grep '^— polisen.se/witness ' "$work/m3.cosigned"; } > "$work/pasted.note"
expect 6 as eva audit verify --checkpoint "$work/pasted.note" --witness-key "$wkey"
check "pasted cosignature: invalid" grep -q "invalid cosignature" <<<"$err"
expect 2 as eva audit verify --witness-key "$wkey"
check "witness key without --checkpoint: says so" grep -q "kept checkpoint" <<<"$err"
expect 2 as eva audit verify --checkpoint "$work/m4.cosigned" --witness-key "$logkey"

finish
