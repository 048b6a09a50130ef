// Command tlog_check checks `sspf-tool audit consistency --json` documents
// with Go's own transparency-log code, golang.org/x/mod/sumdb/tlog (the
// checksum database's implementation of RFC 6962 trees): an independent
// verifier of libsspf's consistency proofs.
//
// Usage: tlog_check PROOF.json...
//
// For each document it runs tlog.CheckTree on the proof as given, which must
// pass, and on altered copies (a flipped proof bit, a hash left out, the
// roots swapped, a wrong old size), each of which must fail.  Exit 0 when
// every expectation holds, 1 otherwise; one line per document.
package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/tlog"
)

type document struct {
	SchemaVersion int      `json:"schema_version"`
	OldSize       int64    `json:"old_size"`
	NewSize       int64    `json:"new_size"`
	OldRoot       string   `json:"old_root"`
	NewRoot       string   `json:"new_root"`
	Proof         []string `json:"proof"`
}

func hashOf(s string) (tlog.Hash, error) {
	var h tlog.Hash
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return h, err
	}
	if len(b) != len(h) {
		return h, fmt.Errorf("hash of %d bytes", len(b))
	}
	copy(h[:], b)
	return h, nil
}

func check(path string) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var d document
	if err := json.Unmarshal(raw, &d); err != nil {
		return err
	}
	if d.SchemaVersion != 1 {
		return fmt.Errorf("schema_version %d", d.SchemaVersion)
	}
	oldRoot, err := hashOf(d.OldRoot)
	if err != nil {
		return fmt.Errorf("old_root: %v", err)
	}
	newRoot, err := hashOf(d.NewRoot)
	if err != nil {
		return fmt.Errorf("new_root: %v", err)
	}
	proof := tlog.TreeProof{}
	for i, s := range d.Proof {
		h, err := hashOf(s)
		if err != nil {
			return fmt.Errorf("proof[%d]: %v", i, err)
		}
		proof = append(proof, h)
	}
	if err := tlog.CheckTree(proof, d.NewSize, newRoot, d.OldSize, oldRoot); err != nil {
		return fmt.Errorf("CheckTree rejects the proof from %d to %d: %v", d.OldSize, d.NewSize, err)
	}
	// The check must be able to fail.
	if d.OldSize != d.NewSize {
		for i := range proof {
			bad := append(tlog.TreeProof{}, proof...)
			bad[i][0] ^= 1
			if tlog.CheckTree(bad, d.NewSize, newRoot, d.OldSize, oldRoot) == nil {
				return fmt.Errorf("CheckTree accepts proof[%d] altered", i)
			}
		}
		if len(proof) > 0 &&
			tlog.CheckTree(proof[:len(proof)-1], d.NewSize, newRoot, d.OldSize, oldRoot) == nil {
			return fmt.Errorf("CheckTree accepts a shortened proof")
		}
		if tlog.CheckTree(proof, d.NewSize, oldRoot, d.OldSize, newRoot) == nil {
			return fmt.Errorf("CheckTree accepts the roots swapped")
		}
		if d.OldSize > 1 &&
			tlog.CheckTree(proof, d.NewSize, newRoot, d.OldSize-1, oldRoot) == nil {
			return fmt.Errorf("CheckTree accepts a wrong old size")
		}
	}
	fmt.Printf("ok: %s: consistent from %d to %d (%d hashes)\n", path, d.OldSize, d.NewSize,
		len(proof))
	return nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tlog_check PROOF.json...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		if err := check(path); err != nil {
			fmt.Fprintf(os.Stderr, "FAIL: %s: %v\n", path, err)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
}
