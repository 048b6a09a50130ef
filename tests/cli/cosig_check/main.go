// Command cosig_check verifies C2SP tlog-cosignature (cosignature/v1)
// lines on a signed note with Go's golang.org/x/mod/sumdb/note.Open, which
// parses the note, matches signature lines by name and key hash and calls
// the verifier; the cosignature/v1 verifier (which that package does not
// provide) is written here on crypto/ed25519 from the C2SP spec, not from
// libsspf.  Used by tests/cli/witness_interop_cli_test.sh.
//
// Usage: cosig_check NOTE_FILE WITNESS_VKEY
// Exit 0 and "ok <name> <timestamp>" when a cosignature by the key
// verifies; 1 otherwise; 2 for bad usage or a malformed key.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

type cosigV1 struct {
	name string
	hash uint32
	key  ed25519.PublicKey
	time uint64 // of the last verified signature
}

func (v *cosigV1) Name() string    { return v.name }
func (v *cosigV1) KeyHash() uint32 { return v.hash }
func (v *cosigV1) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig[:8])
	if t > 1<<63-1 {
		return false
	}
	var m bytes.Buffer
	m.WriteString("cosignature/v1\ntime " + strconv.FormatUint(t, 10) + "\n")
	m.Write(msg)
	if !ed25519.Verify(v.key, m.Bytes(), sig[8:]) {
		return false
	}
	v.time = t
	return true
}

func parseVkey(vkey string) (*cosigV1, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("malformed vkey")
	}
	typed, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(typed) != 1+ed25519.PublicKeySize || typed[0] != 0x04 {
		return nil, fmt.Errorf("not a cosignature/v1 key")
	}
	h := sha256.Sum256(append([]byte(parts[0]+"\n"), typed...))
	if hex.EncodeToString(h[:4]) != parts[1] {
		return nil, fmt.Errorf("key hash does not match")
	}
	return &cosigV1{name: parts[0], hash: binary.BigEndian.Uint32(h[:4]),
		key: ed25519.PublicKey(typed[1:])}, nil
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: cosig_check NOTE_FILE WITNESS_VKEY")
		os.Exit(2)
	}
	msg, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	v, err := parseVkey(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	if _, err := note.Open(msg, note.VerifierList(v)); err != nil {
		fmt.Println("FAIL", err)
		os.Exit(1)
	}
	fmt.Println("ok", v.name, v.time)
}
