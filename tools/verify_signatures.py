#!/usr/bin/env python3
"""Independent check of the signature of every event of an sspf export.

Usage:
    verify_signatures.py EXPORT.jsonl CERTIFICATES.json [--anchor KEY_OR_FILE]

EXPORT.jsonl is the output of `sspf-tool audit export --format jsonl`;
CERTIFICATES.json the output of `sspf-tool --json audit principals`.  The
trust anchor (the store authority's Ed25519 public key, base64) must come
out of band: from init, or from an auditor's earlier copy; --anchor takes
the key or a file whose first word-of-44-characters is the key.

Checks, with the `cryptography` package (Ed25519PublicKey.verify):
  1. each certificate's bytes are one principal certificate
     (docs/auditing.md) naming the listed principal id, version and
     signing_key, all certificates of one store;
  2. with --anchor, each certificate_signature verifies under the anchor;
  3. each event's signed_message is "sspf-event-sig-v1", the store id, the
     event's seq and its leaf_hash, and its signature verifies under the
     signing_key of a certificate of its signer (events signed by
     "authority", the recovery key's recovery.reset, under the anchor).
Without --anchor, 2. and the authority's events are NOT checked, and the
script says so.  It does not check which certificate version was in force
at an event (audit verify does); it checks that the signer's certified key
made the signature.

Exit status: 0 all checks passed, 1 a check failed, 2 bad usage or input,
3 the `cryptography` package is missing (nothing was checked).
This file is part of libsspf; see docs/auditing.md.
"""
import argparse
import base64
import json
import struct
import sys

PRINCIPAL_LABEL = b"sspf-principal-cert-v1"
EVENT_LABEL = b"sspf-event-sig-v1"


def fail(msg, code=1):
    print("verify_signatures: FAILED: " + msg, file=sys.stderr)
    sys.exit(code)


def parse(data, pattern, what):
    """Splits the encoding of certificates and signed messages: per pattern
    letter, "f" a field (8-byte big-endian length, then the bytes) or "u" a
    number (8 bytes big-endian); nothing may follow."""
    out, pos = [], 0
    for kind in pattern:
        if len(data) - pos < 8:
            fail(what + ": truncated")
        (n,) = struct.unpack(">Q", data[pos:pos + 8])
        pos += 8
        if kind == "u":
            out.append(n)
            continue
        if len(data) - pos < n:
            fail(what + ": truncated")
        out.append(data[pos:pos + n])
        pos += n
    if pos != len(data):
        fail(what + ": trailing bytes")
    return out


def b64(value, what):
    try:
        return base64.b64decode(value, validate=True)
    except Exception:
        fail(what + " is not base64", 2)


def read_anchor(arg):
    text = arg
    if len(arg) != 44:
        try:
            text = open(arg).read()
        except OSError:
            fail("cannot read the --anchor file", 2)
    for word in text.split():
        if len(word) == 44:
            key = b64(word, "the trust anchor")
            if len(key) == 32:
                return key
    fail("no trust anchor (44 base64 characters) in --anchor", 2)


def main(argv):
    parser = argparse.ArgumentParser(
        prog="verify_signatures.py", description=__doc__.split("\n")[0])
    parser.add_argument("export", help="audit export --format jsonl output")
    parser.add_argument("certificates", help="audit principals --json output")
    parser.add_argument("--anchor", help="the trust anchor (base64) or a file holding it")
    opts = parser.parse_args(argv[1:])
    args = [opts.export, opts.certificates]
    anchor_arg = opts.anchor
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    except ImportError:
        print("verify_signatures: the python package 'cryptography' is missing: "
              "NOTHING was checked", file=sys.stderr)
        sys.exit(3)

    def verifies(key, message, signature):
        try:
            Ed25519PublicKey.from_public_bytes(key).verify(signature, message)
            return True
        except (InvalidSignature, ValueError):
            return False

    anchor = read_anchor(anchor_arg) if anchor_arg is not None else None
    try:
        events = [json.loads(l) for l in open(args[0]) if l.strip()]
        certs = json.load(open(args[1]))["certificates"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail("cannot read the inputs: %s" % e, 2)

    keys = {}  # principal id -> [signing keys]
    store_id = None
    for c in certs:
        what = "certificate of %s version %s" % (c["principal_id"], c["version"])
        body = b64(c["certificate"], what)
        key = b64(c["signing_key"], what + ": signing_key")
        (label, store, pid, _name, _actor, _role, _active, _box, sign,
         version) = parse(body, "ffffuuuffu", what)
        if label != PRINCIPAL_LABEL:
            fail(what + ": not a principal certificate")
        if pid.decode("utf-8", "replace") != c["principal_id"] or version != c["version"]:
            fail(what + ": the bytes name another principal or version")
        if sign != key:
            fail(what + ": the bytes hold another signing key than signing_key")
        if store_id is None:
            store_id = store
        elif store != store_id:
            fail(what + ": belongs to another store")
        if anchor is not None and not verifies(
                anchor, body, b64(c["certificate_signature"], what + ": signature")):
            fail(what + ": certificate_signature does not verify under the trust anchor")
        keys.setdefault(c["principal_id"], []).append(key)

    unchecked = 0
    for e in events:
        what = "event %s" % e["seq"]
        if not e.get("signer") or not e.get("signature") or not e.get("signed_message"):
            fail(what + ": not signed")
        msg = b64(e["signed_message"], what + ": signed_message")
        sig = b64(e["signature"], what + ": signature")
        label, store, seq, leaf_hash = parse(msg, "ffuf", what + ": signed_message")
        if label != EVENT_LABEL or seq != e["seq"] or store != store_id:
            fail(what + ": signed_message is for another store or event")
        if leaf_hash != b64(e["leaf_hash"], what + ": leaf_hash"):
            fail(what + ": signed_message does not hold the event's leaf_hash")
        if e["signer"] == "authority":
            # The recovery key logs its credential reset and nothing else.
            if e.get("principal_id") != "recovery" or e.get("action") != "recovery.reset":
                fail(what + ": signed by the store authority, which signs the recovery "
                     "key's recovery.reset only")
            if anchor is None:
                unchecked += 1
            elif not verifies(anchor, msg, sig):
                fail(what + ": the authority's signature does not verify")
            continue
        if not any(verifies(k, msg, sig) for k in keys.get(e["signer"], [])):
            fail(what + ": the signature does not verify under a certified key of its "
                 "signer " + e["signer"])

    print("ok: %d events, %d certificates" % (len(events), len(certs)))
    if anchor is None:
        print("NOT checked without --anchor: the certificate signatures and %d event(s) "
              "signed by the store authority" % unchecked)


if __name__ == "__main__":
    main(sys.argv)
