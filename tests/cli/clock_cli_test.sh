#!/usr/bin/env bash
# Monotonic time against a clock set back (issue: with `faketime -90m` an
# expired emergency grant worked again, and the log held an event earlier
# than its predecessor).  The store is set up three hours in the past under
# faketime, with a one-hour emergency grant; back at the real time the grant
# has expired; then the clock is set back into the grant's hour: nothing is
# written (beyond the tolerance), and with a large SSPF_CLOCK_TOLERANCE the
# grant stays expired and the event's time is not earlier than the last.
# Exit 77 (skipped) when faketime is missing or the tool is an ASan build.
TOOL=$1
. "$(dirname "$0")/lib.sh"
PY=${PYTHON:-python3}

if ! command -v faketime >/dev/null 2>&1; then
  echo "SKIP: faketime is not installed (Debian: faketime)"
  exit 77
fi
# libfaketime's LD_PRELOAD and the ASan runtime do not mix (the tool hangs
# at start); the plain build runs this test.
if grep -qa "AddressSanitizer" "$TOOL"; then
  echo "SKIP: sspf-tool is built with AddressSanitizer, which faketime's LD_PRELOAD cannot run under (the plain build runs this test)"
  exit 77
fi
back=$(faketime -f "-3h" date +%s); now=$(date +%s)
if [ $((now - back)) -lt 10000 ]; then
  echo "FAIL: faketime does not move this process's clock" >&2; exit 1
fi

past() { local off=$1; shift; faketime -f "$off" "$@"; }
# past_as OFFSET NAME ARGS...: `as NAME ARGS...` with the clock moved by OFFSET.
past_as() {
  local off=$1 who=$2; shift 2
  faketime -f "$off" "$TOOL" --user "$who" --passphrase-file "$work/$who.pw" "$@"
}
admin_pw=$(pass_file anna "admin passphrase one")
expect 0 past -3h "$TOOL" init --admin anna --passphrase-file "$admin_pw"
for spec in "kim coordination coordinator" "sara school member" "olle school member" \
            "eva coordination auditor"; do
  set -- $spec
  pw=$(pass_file "$1" "$1 passphrase 123")
  expect 0 past -3h "$TOOL" --user anna --passphrase-file "$admin_pw" user add "$1" \
         --actor "$2" --role "$3" --new-passphrase-file "$pw"
done
pnr=$(make_pnr 16 456)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 past_as -3h kim subject add --pnr-file "$work/pnr.txt" --name "Testa Tidsson" --json
subject=$(json "j['id']")
expect 0 past_as -3h kim case open --subject "$subject" --team sara --json
case_id=$(json "j['id']")
# Olle is on no team: a one-hour emergency grant lets him see the case.
expect 3 past_as -3h olle case show "$case_id"
expect 0 past_as -3h olle grant emergency --case "$case_id" --provision "OSL 10 kap. 2 §" \
       --reason "Akut skyddsbehov" --hours 1
expect 0 past_as -3h olle case show "$case_id"

# Now (real time): the grant expired two hours ago.
expect 3 as olle case show "$case_id"
expect 0 as eva audit query --json
events_before=$(json "len(j['events'])")

# The attack: the clock set back 150 minutes, into the grant's hour.
expect 1 past_as -150m olle case show "$case_id"
check "refused: says the clock is behind" grep -q "clock is .* behind the access log's last event" <<<"$err"
check "refused: one line" test "$(wc -l <<<"$err")" = 1
check "refused: names the seq" grep -q "(seq [0-9]* at 20" <<<"$err"
check "refused: nothing printed" test -z "$out"
expect 1 past_as -150m eva audit verify
expect 0 as eva audit query --json
# The second query adds two events (unlock, query), the refused attempts none.
check "nothing was written" test "$(json "len(j['events'])")" = $((events_before + 2))

# Within the tolerance (here made larger than the step back), the write
# goes ahead, but decisions use the last event's time: still expired.
export SSPF_CLOCK_TOLERANCE=36000
expect 3 past_as -150m olle case show "$case_id"
unset SSPF_CLOCK_TOLERANCE
check "within tolerance: denied as expired" grep -q "expired\|denied" <<<"$err"
expect 2 env SSPF_CLOCK_TOLERANCE=5min "$TOOL" --user olle --passphrase-file "$work/olle.pw" whoami
check "bad tolerance: names the variable" grep -q "SSPF_CLOCK_TOLERANCE" <<<"$err"

# The log's times never go backwards, and verify (at real time) says ok.
expect 0 as eva audit export --format jsonl
check "event times never decrease" "$PY" - "$out" <<'PYEOF'
import json, sys
events = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
times = [e["time"] for e in events]
assert len(times) > 10, times
for a, b in zip(events, events[1:]):
    assert b["time"] >= a["time"], (a["seq"], a["time"], b["seq"], b["time"])
PYEOF
expect 0 as eva audit verify
finish
