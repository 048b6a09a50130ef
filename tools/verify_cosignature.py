#!/usr/bin/env python3
"""Independent check of witness cosignatures on a checkpoint.

Usage:
    verify_cosignature.py CHECKPOINT WITNESS_VKEY...

CHECKPOINT is a signed checkpoint note (e.g. one printed by `sspf-tool
audit witness cosign`); each WITNESS_VKEY is a witness's verifier key
"<name>+<key id hex>+<base64(0x04 || Ed25519 public key)>" (from `sspf-tool
audit witness init`, or the witness's KEYFILE.pub).

Implements C2SP tlog-cosignature cosignature/v1 with the `cryptography`
package, independently of libsspf:
  * key id = SHA-256(name || "\\n" || 0x04 || public key)[:4];
  * a signature line "\\u2014 <name> base64(key id || timestamp (8 bytes,
    big-endian) || Ed25519 signature)";
  * the signed message "cosignature/v1\\ntime <timestamp>\\n" followed by
    the note body (the text before the blank line, with its final newline).
Every line with the witness's name and key id must verify, and there must
be at least one.  Prints "ok <name> <timestamp>" per witness.

Exit status: 0 all witnesses verified, 1 a cosignature is missing or
invalid, 2 bad usage or input, 3 the `cryptography` package is missing
(nothing was checked).  This file is part of libsspf; see docs/auditing.md.
"""
import base64
import binascii
import hashlib
import sys

DASH = "\u2014 "


def parse_vkey(vkey):
    name, kid, b64 = vkey.split("+", 2)
    typed = base64.b64decode(b64, validate=True)
    if len(typed) != 33 or typed[0] != 0x04:
        raise ValueError("not a cosignature/v1 key (type 0x04, 32 bytes)")
    pub = typed[1:]
    want = hashlib.sha256(name.encode() + b"\n" + typed).digest()[:4]
    if kid != want.hex():
        raise ValueError("key id does not match name and key")
    return name, want, pub


def split_note(note):
    i = note.rfind("\n\n")
    if i < 0:
        raise ValueError("no blank line before the signatures")
    body, sigs = note[: i + 1], note[i + 2 :]
    if not sigs.endswith("\n"):
        raise ValueError("no signature lines")
    return body, sigs[:-1].split("\n")


def check(note, vkey, Ed25519PublicKey, InvalidSignature):
    name, kid, pub = parse_vkey(vkey)
    body, lines = split_note(note)
    key = Ed25519PublicKey.from_public_bytes(pub)
    found = []
    for line in lines:
        if not line.startswith(DASH):
            raise ValueError("bad signature line")
        who, b64 = line[len(DASH) :].split(" ", 1)
        blob = base64.b64decode(b64, validate=True)
        if who != name or blob[:4] != kid:
            continue
        if len(blob) != 4 + 8 + 64:
            return None
        t = int.from_bytes(blob[4:12], "big")
        msg = b"cosignature/v1\ntime %d\n" % t + body.encode()
        try:
            key.verify(blob[12:], msg)
        except InvalidSignature:
            return None
        found.append(t)
    return max(found) if found else None


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        print("verify_cosignature: the python package 'cryptography' is missing: "
              "nothing was checked", file=sys.stderr)
        return 3
    try:
        with open(argv[1], encoding="utf-8") as f:
            note = f.read()
    except (OSError, UnicodeDecodeError) as e:
        print("verify_cosignature: cannot read %s: %s" % (argv[1], e), file=sys.stderr)
        return 2
    status = 0
    for vkey in argv[2:]:
        try:
            t = check(note, vkey, Ed25519PublicKey, InvalidSignature)
        except (ValueError, binascii.Error) as e:
            print("verify_cosignature: %s" % e, file=sys.stderr)
            return 2
        name = vkey.split("+", 1)[0]
        if t is None:
            print("FAIL %s: no valid cosignature" % name)
            status = 1
        else:
            print("ok %s %d" % (name, t))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
