#!/usr/bin/env bash
# The agent refuses another uid (SO_PEERCRED), even when the directory and
# socket are opened to everyone.  Needs root (to run a client as nobody)
# and setpriv; exit 77 (skipped) otherwise.
TOOL=$1
# The raw client runs as nobody, so it needs a python3 that nobody may run.
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null || [ ! -x /usr/bin/python3 ]; then
  echo "SKIP: needs root, setpriv and /usr/bin/python3 to run a client as another uid"
  exit 77
fi
. "$(dirname "$0")/lib.sh"
export XDG_RUNTIME_DIR="$work/run"
mkdir -m 0700 "$XDG_RUNTIME_DIR"
trap '"$TOOL" --user kim lock >/dev/null 2>&1; rm -rf "$work"' EXIT
admin_pw=$(pass_file anna "admin passphrase one")
expect 0 "$TOOL" init --admin anna --passphrase-file "$admin_pw"
add_users "$admin_pw" "kim coordination coordinator"
pnr=$(make_pnr 16 432)
printf '%s\n' "$pnr" > "$work/pnr.txt"
expect 0 as kim subject add --pnr-file "$work/pnr.txt" --name "Peera Testsson" --json
subject=$(json "j['id']")
expect 0 "$TOOL" --user kim --passphrase-file "$work/kim.pw" agent --idle-timeout 60
sock=$(ls "$XDG_RUNTIME_DIR"/sspf/agent-*.sock)
# The attacker: every permission opened, a client as nobody aimed at it.
chmod 0755 "$work" "$XDG_RUNTIME_DIR" "$XDG_RUNTIME_DIR/sspf"
chmod 0666 "$sock"
chmod 0644 "$SSPF_STORE" "$SSPF_STORE.keyring"
cat > "$work/raw.py" <<'PY'
# Connects as nobody and reads first: the agent answers a peer of another
# uid with a refusal before it reads anything, then closes.  The request
# (subject show) is sent after, and must get no answer.
import socket, struct, sys
def field(b): return struct.pack(">Q", len(b)) + b
args = [b"--user", b"kim", b"--store", sys.argv[2].encode(), b"subject", b"show", sys.argv[3].encode()]
fields = [b"run", b"/", b"0", b"0", b""] + args
msg = b"SSPF-AGENT-Q1" + struct.pack(">Q", len(fields)) + b"".join(field(f) for f in fields)
s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(sys.argv[1])
data = b""
while True:
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
try:
    s.sendall(msg)
    more = s.recv(65536)
    data += more
except OSError:
    pass
sys.stdout.write(data.replace(b"\0", b"").decode("utf-8", "replace"))
PY
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 "$work/raw.py" "$sock" "$SSPF_STORE" "$subject" 2>&1)
check "another uid is refused" grep -q "serves only the user who started it" <<<"$out"
check "no identity to another uid" not_in "Peera Testsson" "$out"
# The real client as nobody does not even use the socket of another uid.
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups env SSPF_AGENT_SOCK="$sock" \
      "$TOOL" --user kim subject show "$subject" </dev/null 2>&1)
check "client refuses an agent of another uid" grep -q "not a private directory\|belongs to another user" <<<"$out"
check "no identity via the client" not_in "Peera Testsson" "$out"
# The agent still serves its own user once the directory is private again.
chmod 0700 "$XDG_RUNTIME_DIR/sspf"
expect 0 "$TOOL" --user kim subject show "$subject" </dev/null
check "owner still served" grep -q "Peera Testsson" <<<"$out"
finish
