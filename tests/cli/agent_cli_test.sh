#!/usr/bin/env bash
# sspf-tool agent and lock: one unlock serves many commands; the agent's
# security properties as attacks: a command without a passphrase works only
# through the agent, `lock` and the idle timeout wipe it (the same command
# then fails), a rekey by another process ends it, an agent directory that
# others can enter is not used, and another uid is refused
# (agent_peer_cli_test.sh, as root).
TOOL=$1
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
trap '"$TOOL" --user kim lock >/dev/null 2>&1; "$TOOL" --user anna lock >/dev/null 2>&1; rm -rf "$work"' EXIT

admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "kim coordination coordinator" "sara school member" \
          "eva coordination auditor"
expect 0 as sara whoami
pnr=$(make_pnr 15 431)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Agentia Testsson" --json
subject=$(json "j['id']")

# sspf-tool is a light front end: it loads none of the library stack, and
# runs the full tool (sspf-tool-core, beside it or in ../libexec/sspf) for
# what no agent serves; without it, a clear error.
front_libs=$(ldd "$TOOL" 2>&1 || true)  # static: "not a dynamic executable"
check "the front end loads no library stack" not_in "libsspf" "$front_libs"
check "the front end loads no SQLCipher or OpenSSL" \
  test -z "$(grep -E "libsqlcipher|libcrypto|libsodium|libboost" <<<"$front_libs")"
mkdir -p "$work/lonely"
cp "$TOOL" "$work/lonely/sspf-tool"
expect 1 "$work/lonely/sspf-tool" --version
check "a missing full tool is named" grep -q "sspf-tool-core is missing.*reinstall" <<<"$err"
expect 0 "$TOOL" agent --help
check "agent --help has an example" grep -q "sspf-tool --store kommun.db --user sara.samordnare agent" <<<"$out"
expect 0 "$TOOL" lock --help
check "lock --help has an example" grep -q "lock" <<<"$out"
expect 2 "$TOOL" --user kim agent --idle-timeout 0
expect 2 "$TOOL" --user kim agent --idle-timeout -5

# Without an agent, a command without a passphrase cannot unlock (stdin is
# not a terminal).
expect 2 "$TOOL" --user kim case list </dev/null
check "no agent: a passphrase is needed" test -n "$err"

# The agent: one unlock, then commands with no passphrase.
expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent
check "agent names its socket" grep -q "socket $XDG_RUNTIME_DIR/sspf/agent-" <<<"$out"
sock=$(ls "$XDG_RUNTIME_DIR"/sspf/agent-*.sock)
check "socket is 0600" test "$(stat -c %a "$sock")" = 600
check "directory is 0700" test "$(stat -c %a "$XDG_RUNTIME_DIR/sspf")" = 700
check "only the socket on disk" test "$(ls -A "$XDG_RUNTIME_DIR/sspf" | wc -l)" = 1
expect 1 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent
check "a second agent is refused" grep -q "already runs" <<<"$err"

expect 0 "$TOOL" --user kim case open --subject "$subject" --team sara --json </dev/null
case_id=$(json "j['id']")
check "case opened through the agent" test -n "$case_id"
expect 0 "$TOOL" --user kim case list --json </dev/null
check "case list through the agent" grep -q "$case_id" <<<"$out"
expect 0 "$TOOL" --user kim subject show "$subject" </dev/null
check "identity through the agent" grep -q "Agentia Testsson" <<<"$out"
# Usage errors and exit codes come back unchanged.
expect 2 "$TOOL" --user kim case show </dev/null
check "usage error names the argument" grep -q "missing argument ID" <<<"$err"
expect 4 "$TOOL" --user kim case show 0123456789abcdef0123456789abcdef </dev/null
# A relative path is the client's, not the agent's: the agent runs in the
# command's working directory.
mkdir "$work/cwd" && cd "$work/cwd"
cp "$work/pnr.txt" ./relative-pnr.txt
expect 0 "$TOOL" --user kim subject find --pnr-file relative-pnr.txt </dev/null
check "relative --pnr-file read in the client's directory" grep -q "$subject" <<<"$out"
cd "$work"
# Another user's command does not reach kim's agent (other socket).
expect 2 "$TOOL" --user sara case list </dev/null
# stdin reaches the agent for a command that reads it.
expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" agent --idle-timeout 60
expect 0 "$TOOL" --user anna whoami </dev/null
check "two agents side by side" test "$(ls "$XDG_RUNTIME_DIR"/sspf/ | wc -l)" = 2
expect 0 "$TOOL" --user kim subject find --pnr - <<<"$pnr"
check "stdin forwarded" grep -q "$subject" <<<"$out"
# A body far larger than the front end's first 64 KiB read buffer arrives
# whole (the buffer grows as it reads).
"${PYTHON:-python3}" -c "
import sys
sys.stdout.write(''.join('Protokollrad %06d: närvaron följs upp.\\n' % i for i in range(7000)))
" > "$work/long-minutes.txt"
check "the minutes are over 256 KiB" test "$(stat -c %s "$work/long-minutes.txt")" -gt 262144
expect 0 "$TOOL" --user kim meeting add --case "$case_id" --date "$(in_days 0)" \
       --kind natverksmote --attendees school,coordination --minutes-file - --json \
       <"$work/long-minutes.txt"
expect 0 "$TOOL" --user kim plan show --case "$case_id" --json </dev/null
"${PYTHON:-python3}" -c "import json,sys; sys.stdout.write(json.load(sys.stdin)['meetings'][0]['minutes'])" \
  <<<"$out" > "$work/long-minutes.back"
check "long stdin forwarded byte for byte" cmp -s "$work/long-minutes.txt" "$work/long-minutes.back"
# The log names kim for the agent's commands, like any other.
expect 0 as eva audit query --principal kim --action case.open --case "$case_id" --json
check "the agent's case.open is kim's" test "$(json "len(j['events'])")" = 1

# lock wipes it: the same command fails again, the socket is gone.
expect 0 "$TOOL" --user kim lock
check "lock says so" grep -q "agent locked" <<<"$out"
check "socket removed" test ! -e "$sock"
expect 2 "$TOOL" --user kim case list </dev/null
expect 0 "$TOOL" --user kim lock
check "lock without agent" grep -q "no agent was running" <<<"$out"

# The idle timeout ends it.
expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent --idle-timeout 2
expect 0 "$TOOL" --user kim case list </dev/null
sleep 4
expect 2 "$TOOL" --user kim case list </dev/null
check "idle agent removed its socket" test ! -e "$sock"

# A rekey needs the store to itself: it is refused while kim's agent holds
# it open (so no agent ever serves with a replaced key) ...
expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent --idle-timeout 120
expect 0 "$TOOL" --user anna lock
expect 1 "$TOOL" --user anna --passphrase-file "$admin_pw" key rekey \
  --recovery-key-out "$work/recovery-new.txt"
check "rekey refused while an agent runs" grep -q "another session has the store open" <<<"$err"
expect 0 "$TOOL" --user kim case list </dev/null
expect 0 "$TOOL" --user kim lock
# ... and an agent that runs the rekey itself ends after it.
expect 0 "$TOOL" --user anna --passphrase-file "$admin_pw" agent --idle-timeout 120
expect 0 "$TOOL" --user anna key rekey --recovery-key-out "$work/recovery-new.txt" </dev/null
check "rekey through the agent completes" grep -q "rekey complete" <<<"$out$err"
expect 2 "$TOOL" --user anna whoami </dev/null
check "rekeyed agent is gone" test -z "$(ls "$XDG_RUNTIME_DIR/sspf/")"
expect 0 as kim case list

# An agent directory others may enter is not used (a planted agent).
expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent --idle-timeout 60
chmod 0755 "$XDG_RUNTIME_DIR/sspf"
expect 2 "$TOOL" --user kim case list </dev/null
check "insecure directory named" grep -q "not a private directory" <<<"$err"
check "and named once" test "$(grep -c "not a private directory" <<<"$err")" = 1
chmod 0700 "$XDG_RUNTIME_DIR/sspf"
expect 0 "$TOOL" --user kim case list </dev/null
expect 0 "$TOOL" --user kim lock
# Without XDG_RUNTIME_DIR the agent uses /tmp/sspf-agent-UID (0700).
(unset XDG_RUNTIME_DIR
 expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent --idle-timeout 30
 check "fallback directory" grep -q "/tmp/sspf-agent-$(id -u)/agent-" <<<"$out"
 check "fallback directory is 0700" test "$(stat -c %a "/tmp/sspf-agent-$(id -u)")" = 700
 expect 0 "$TOOL" --user kim case list </dev/null
 expect 0 "$TOOL" --user kim lock
 exit $fails) || fails=$((fails + $?))
finish
