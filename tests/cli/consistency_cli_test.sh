#!/usr/bin/env bash
# sspf-tool audit consistency: the RFC 6962 consistency proof between two
# checkpoints; exit codes for swapped, foreign, edited and forked
# checkpoints (a fork: a copy of the store that went its own way).
TOOL=$1
. "$(dirname "$0")/lib.sh"

admin_pw=$(pass_file admin "admin passphrase one")
A=("$TOOL" --user anna --passphrase-file "$admin_pw")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "eva coordination auditor" "sara school member"

expect 0 as eva audit checkpoint --out "$work/old.note"
cp "$work/store.db" "$work/fork.db"
cp "$work/store.db.keyring" "$work/fork.db.keyring"
for i in 1 2 3 4; do expect 0 "${A[@]}" user list; done
expect 0 as eva audit checkpoint --out "$work/new.note"

expect 0 as eva audit consistency --from "$work/old.note" --to "$work/new.note" --json
check "consistency --json fields" "${PYTHON:-python3}" - "$out" "$work/old.note" "$work/new.note" <<'PYEOF'
import base64, json, sys
j = json.loads(sys.argv[1])
old = open(sys.argv[2]).read().split("\n")
new = open(sys.argv[3]).read().split("\n")
assert j["schema_version"] == 1, j
assert sorted(j) == ["new_root", "new_size", "old_root", "old_size", "proof", "schema_version"], j
# The sizes and roots are those of the two signed notes (origin, size, root).
assert j["old_size"] == int(old[1]) and j["old_root"] == old[2], (j, old)
assert j["new_size"] == int(new[1]) and j["new_root"] == new[2], (j, new)
assert j["old_size"] < j["new_size"] and len(j["proof"]) > 0, j
assert all(len(base64.b64decode(h)) == 32 for h in j["proof"]), j
PYEOF
expect 0 as eva audit consistency --from "$work/old.note" --to "$work/new.note"
check "text output" grep -q "^old_size [0-9]" <<<"$out"
check "text output has the proof" grep -q "^proof$" <<<"$out"
expect 0 as eva audit consistency --from "$work/new.note" --to "$work/new.note" --json
check "same checkpoint: empty proof" test "$(json "len(j['proof'])")" = 0

# Only auditors; the old checkpoint must not be the larger one.
expect 3 as sara audit consistency --from "$work/old.note" --to "$work/new.note"
expect 2 as eva audit consistency --from "$work/new.note" --to "$work/old.note"
check "swapped: says so" grep -q "larger than the new one" <<<"$err"
expect 4 as eva audit consistency --from "$work/none.note" --to "$work/new.note"
expect 2 as eva audit consistency --from "$work/old.note"

# An edited note (its size changed) fails its signature: exit 6, naming it.
sed '2s/.*/1/' "$work/new.note" > "$work/edited.note"
expect 6 as eva audit consistency --from "$work/old.note" --to "$work/edited.note"
check "edited: names the new checkpoint" grep -q "new checkpoint" <<<"$err"

# A fork: the copy made after old.note takes other events and signs a
# checkpoint of the same size as new.note.  It is signed by this store's
# key, but its root is not the live log's tree at that size.
SSPF_STORE="$work/fork.db" "$TOOL" --user sara --passphrase-file "$work/sara.pw" user list \
  >/dev/null 2>&1
for i in 1 2; do SSPF_STORE="$work/fork.db" "${A[@]}" user list >/dev/null; done
expect 0 env SSPF_STORE="$work/fork.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit checkpoint --out "$work/fork.note"
check "fork is no larger than the live log" \
  test "$(sed -n 2p "$work/fork.note")" -le "$(sed -n 2p "$work/new.note")"
expect 6 as eva audit consistency --from "$work/old.note" --to "$work/fork.note"
check "fork: names the new checkpoint" grep -q "new checkpoint (size" <<<"$err"
check "fork: says the root differs" grep -q "not the log's tree" <<<"$err"
expect 6 as eva audit consistency --from "$work/fork.note" --to "$work/new.note"
check "fork as old: names the old checkpoint" grep -q "old checkpoint (size" <<<"$err"

# A foreign store's checkpoint.
mkdir "$work/other"
expect 0 env SSPF_STORE="$work/other/s.db" "$TOOL" init --admin anna --passphrase-file "$admin_pw"
expect 0 env SSPF_STORE="$work/other/s.db" "${A[@]}" user add eva --actor coordination \
  --role auditor --new-passphrase-file "$work/eva.pw"
expect 0 env SSPF_STORE="$work/other/s.db" "$TOOL" --user eva --passphrase-file "$work/eva.pw" \
  audit checkpoint --out "$work/foreign.note"
expect 6 as eva audit consistency --from "$work/foreign.note" --to "$work/new.note"
check "foreign: names the old checkpoint" grep -q "old checkpoint: not a valid checkpoint" <<<"$err"

# Every consistency request is logged.
expect 0 as eva audit query --action audit.prove --json
check "logged as audit.prove consistency" \
  test "$(json "sum(1 for e in j['events'] if e['target'] == 'consistency')")" -ge 6
finish
