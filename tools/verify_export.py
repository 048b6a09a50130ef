#!/usr/bin/env python3
"""Independent check of an sspf access-log export against a signed checkpoint.

Usage:
    verify_export.py EXPORT.jsonl CHECKPOINT [--vkey VKEY_LINE_OR_FILE]

EXPORT.jsonl is the output of `sspf-tool audit export --format jsonl` (the
whole log, no filters).  CHECKPOINT is a checkpoint note kept outside the
store (`sspf-tool audit checkpoint --out FILE`).

The script uses only the Python standard library for the log itself:
  1. every line's leaf (base64) hashes to its leaf_hash: SHA-256(0x00 || leaf);
  2. the leaves are numbered 0, 1, 2, ... without gaps, and each leaf's
     embedded sequence number (bytes 5..12, big-endian) equals its position;
  3. the RFC 6962 Merkle root of the first N leaves (N = the checkpoint's
     tree size) equals the checkpoint's root.
With --vkey (the store's verifier key from `sspf-tool audit verifier-key`,
obtained out of band) it also verifies the checkpoint's Ed25519 signature
(C2SP signed note) if PyNaCl or `cryptography` is installed; otherwise it
says the signature was NOT checked.

Exit status: 0 all checks passed, 1 a check failed, 2 bad usage or input.
This file is part of libsspf; see docs/audit-log-format.md for the formats.
"""
import base64
import hashlib
import json
import struct
import sys


def fail(msg, code=1):
    print("verify_export: FAILED: " + msg, file=sys.stderr)
    sys.exit(code)


def leaf_hash(leaf):
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(hashes):
    """RFC 6962 MTH over leaf hashes, in O(log n) memory (a compact range)."""
    stack = []  # (size, hash) of perfect subtrees, sizes strictly decreasing
    for h in hashes:
        size, cur = 1, h
        while stack and stack[-1][0] == size:
            s, left = stack.pop()
            cur = node_hash(left, cur)
            size += s
        stack.append((size, cur))
    if not stack:
        return hashlib.sha256(b"").digest()
    root = stack[-1][1]
    for _, left in reversed(stack[:-1]):
        root = node_hash(left, root)
    return root


def split_note(note):
    """Returns (body, [(name, key_id, signature)]) of a C2SP signed note."""
    if "\n\n" not in note:
        fail("the checkpoint is not a signed note (no blank line)", 2)
    idx = note.rfind("\n\n")
    body = note[: idx + 1]
    sigs = []
    for line in note[idx + 2:].split("\n"):
        if not line:
            continue
        if not line.startswith("\u2014 "):
            fail("malformed signature line in the checkpoint", 2)
        name, _, blob = line[2:].rpartition(" ")
        raw = base64.b64decode(blob, validate=True)
        if len(raw) < 5:
            fail("short signature in the checkpoint", 2)
        sigs.append((name, struct.unpack(">I", raw[:4])[0], raw[4:]))
    return body, sigs


def parse_vkey(vkey):
    name, key_id, b64 = vkey.strip().split("+", 2)
    raw = base64.b64decode(b64, validate=True)
    if len(raw) != 33 or raw[0] != 1:
        fail("the verifier key is not an Ed25519 key", 2)
    pub = raw[1:]
    want = hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4]
    if struct.unpack(">I", want)[0] != int(key_id, 16):
        fail("the verifier key's id does not match its name and key", 2)
    return name, int(key_id, 16), pub


def ed25519_verify(pub, sig, msg):
    """True/False, or None when no Ed25519 library is available."""
    try:
        from nacl.signing import VerifyKey  # PyNaCl
        from nacl.exceptions import BadSignatureError
        try:
            VerifyKey(pub).verify(msg, sig)
            return True
        except BadSignatureError:
            return False
    except ImportError:
        pass
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
        try:
            Ed25519PublicKey.from_public_bytes(pub).verify(sig, msg)
            return True
        except InvalidSignature:
            return False
    except ImportError:
        return None


def main(argv):
    args = list(argv[1:])
    if args and args[0] in ("-h", "--help"):
        print(__doc__)  # installed as sspf-verify-export: --help is no error
        return 0
    vkey = None
    if "--vkey" in args:
        i = args.index("--vkey")
        if i + 1 >= len(args):
            fail("--vkey needs a value", 2)
        vkey = args[i + 1]
        del args[i:i + 2]
        try:
            with open(vkey) as f:
                vkey = f.read()
        except OSError:
            pass  # the key line itself
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    export_path, checkpoint_path = args
    with open(checkpoint_path, encoding="utf-8") as f:
        note = f.read()
    body, sigs = split_note(note)
    lines = body.split("\n")
    if len(lines) < 4:
        fail("the checkpoint body has fewer than three lines", 2)
    origin, size_text, root_b64 = lines[0], lines[1], lines[2]
    if not size_text.isdigit():
        fail("bad tree size in the checkpoint", 2)
    size = int(size_text)
    want_root = base64.b64decode(root_b64, validate=True)

    if vkey is not None:
        name, key_id, pub = parse_vkey(vkey)
        if name != origin:
            fail("the checkpoint's origin is not the verifier key's name")
        mine = [s for s in sigs if s[0] == name and s[1] == key_id]
        if not mine:
            fail("the checkpoint has no signature by this key")
        for _, _, sig in mine:
            ok = ed25519_verify(pub, sig, body.encode("utf-8"))
            if ok is None:
                print("verify_export: note: no Ed25519 library (PyNaCl or cryptography); "
                      "signature NOT checked", file=sys.stderr)
                break
            if not ok:
                fail("bad checkpoint signature")
        else:
            print("signature: ok (" + name + ")")
    else:
        print("verify_export: note: no --vkey given; signature NOT checked", file=sys.stderr)

    hashes = []
    with open(export_path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if not line.strip():
                continue
            e = json.loads(line)
            seq = len(hashes)
            # docs/json-schema.md: a new schema_version may change what the
            # fields mean, so only the known one is read.
            if e.get("schema_version") != 1:
                fail("line %d: schema_version %r is not 1 (docs/json-schema.md)"
                     % (n + 1, e.get("schema_version")))
            if e["seq"] != seq:
                fail("line %d: event %d where %d was expected (gap or reordering)"
                     % (n + 1, e["seq"], seq))
            leaf = base64.b64decode(e["leaf"], validate=True)
            if leaf[:4] != b"SSPF" or struct.unpack(">Q", leaf[5:13])[0] != seq:
                fail("event %d: the leaf does not encode sequence number %d" % (seq, seq))
            h = leaf_hash(leaf)
            if base64.b64encode(h).decode() != e["leaf_hash"]:
                fail("event %d: leaf_hash is not SHA-256(0x00 || leaf)" % seq)
            hashes.append(h)
    if len(hashes) < size:
        fail("the export has %d events but the checkpoint covers %d (log truncated or "
             "export filtered)" % (len(hashes), size))
    root = merkle_root(hashes[:size])
    if root != want_root:
        fail("the Merkle root of the first %d events differs from the checkpoint" % size)
    print("ok: %d events exported; the first %d give the checkpoint root %s"
          % (len(hashes), size, root_b64))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
