// Command tiles_check verifies a C2SP tlog-tiles directory written by
// `sspf-tool audit export --tiles DIR` with Go's own transparency-log code,
// golang.org/x/mod/sumdb/tlog and sumdb/note: an independent client of the
// export, written from the C2SP specs (tlog-tiles, tlog-checkpoint,
// signed-note), not from libsspf.
//
// Usage: tiles_check DIR VERIFIER_KEY_FILE
//
// It checks, in this order:
//   - DIR/checkpoint is a signed note that verifies with the key (the
//     store's verifier key line, audit verifier-key), and its body is a
//     checkpoint: origin line, decimal size, base64 root;
//   - the root recomputed from the level-0 tiles alone (an RFC 6962 fold
//     written here) is the checkpoint's root, and tlog.TreeHash through
//     tlog.TileHashReader over the files (which authenticates every tile it
//     reads against the root) gives it too;
//   - every entry of every entry bundle (uint16 length-prefixed) hashes
//     (tlog.RecordHash) to its level-0 tile hash, read through the
//     authenticating reader, and tlog.ProveRecord / tlog.CheckRecord pass
//     for a sample of leaves (the first and last, and one per level-0 tile);
//   - exactly the files the spec requires for the size are there;
//   - tampering is detected: for a byte flipped in the first and last tile
//     of every level and the first and last entry bundle (in memory), the
//     checks above fail, without the fold written here (tlog's reader must
//     reject the tile, or the entry must not hash to its leaf hash).
//
// Exit 0 and one "ok: ..." line per check when all hold; 1 otherwise, with
// the failure on stderr; 2 for bad usage.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const height = 8
const width = 1 << height

// indexPath encodes a tile index as C2SP tlog-tiles says: zero-padded
// groups of three digits, all but the last prefixed with "x".
func indexPath(n int64) string {
	groups := []string{fmt.Sprintf("%03d", n%1000)}
	for n /= 1000; n > 0; n /= 1000 {
		groups = append([]string{fmt.Sprintf("x%03d", n%1000)}, groups...)
	}
	return strings.Join(groups, "/")
}

func suffix(w int) string {
	if w == width {
		return ""
	}
	return ".p/" + strconv.Itoa(w)
}

func tilePath(t tlog.Tile) string {
	return fmt.Sprintf("tile/%d/%s%s", t.L, indexPath(t.N), suffix(t.W))
}

func bundlePath(n int64, w int) string {
	return "tile/entries/" + indexPath(n) + suffix(w)
}

// export holds every file of the directory in memory, by relative path.
type export struct {
	files map[string][]byte
}

func load(dir string) (*export, error) {
	e := &export{files: map[string][]byte{}}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		e.files[filepath.ToSlash(rel)] = b
		return nil
	})
	return e, err
}

// tileReader is a tlog.TileReader over the exported files.
type tileReader struct{ e *export }

func (r tileReader) Height() int { return height }
func (r tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, ok := r.e.files[tilePath(t)]
		if !ok {
			return nil, fmt.Errorf("missing tile %s", tilePath(t))
		}
		out[i] = b
	}
	return out, nil
}
func (r tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func openCheckpoint(msg []byte, vkey string) (checkpoint, error) {
	var cp checkpoint
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return cp, fmt.Errorf("verifier key: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return cp, fmt.Errorf("checkpoint signature: %v", err)
	}
	lines := strings.SplitN(n.Text, "\n", 4)
	if len(lines) < 4 || lines[0] == "" {
		return cp, errors.New("checkpoint body: not origin, size, root")
	}
	cp.origin = lines[0]
	if cp.size, err = strconv.ParseInt(lines[1], 10, 64); err != nil || cp.size < 0 {
		return cp, fmt.Errorf("checkpoint size %q", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize {
		return cp, fmt.Errorf("checkpoint root %q", lines[2])
	}
	copy(cp.root[:], root)
	if v.Name() != cp.origin {
		return cp, fmt.Errorf("key %s is not the log's (origin %s)", v.Name(), cp.origin)
	}
	return cp, nil
}

// foldRoot is RFC 6962's MTH over the leaf hashes, computed here.
func foldRoot(leaves []tlog.Hash) tlog.Hash {
	if len(leaves) == 0 {
		return sha256.Sum256(nil)
	}
	if len(leaves) == 1 {
		return leaves[0]
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return tlog.NodeHash(foldRoot(leaves[:k]), foldRoot(leaves[k:]))
}

// expectedFiles lists what the spec requires for a tree of size n.
func expectedFiles(n int64) []string {
	files := []string{"checkpoint"}
	for l := 0; l*height < 64 && n>>(uint(l)*height) > 0; l++ {
		count := n >> (uint(l) * height)
		for i := int64(0); i < count/width; i++ {
			files = append(files, tilePath(tlog.Tile{H: height, L: l, N: i, W: width}))
		}
		if w := int(count % width); w != 0 {
			files = append(files, tilePath(tlog.Tile{H: height, L: l, N: count / width, W: w}))
		}
	}
	for i := int64(0); i < n/width; i++ {
		files = append(files, bundlePath(i, width))
	}
	if w := int(n % width); w != 0 {
		files = append(files, bundlePath(n/width, w))
	}
	sort.Strings(files)
	return files
}

// entries parses one bundle: big-endian uint16 length, then the bytes.
func entries(b []byte) ([][]byte, error) {
	var out [][]byte
	for len(b) > 0 {
		if len(b) < 2 {
			return nil, errors.New("truncated length prefix")
		}
		n := int(b[0])<<8 | int(b[1])
		if len(b) < 2+n {
			return nil, errors.New("truncated entry")
		}
		out = append(out, b[2:2+n])
		b = b[2+n:]
	}
	return out, nil
}

// verify runs every check on e; it returns the first failure.  Without
// fold, the root is not recomputed from the level-0 tiles here, so that
// tampering must be caught by tlog's own authentication of the tiles.
func verify(e *export, cp checkpoint, fold bool, report func(string)) error {
	n := cp.size
	// The level-0 tiles give every leaf hash (unauthenticated here).
	var leaves []tlog.Hash
	for i := int64(0); i*width < n; i++ {
		w := int(n - i*width)
		if w > width {
			w = width
		}
		b, ok := e.files[tilePath(tlog.Tile{H: height, L: 0, N: i, W: w})]
		if !ok || len(b) != w*tlog.HashSize {
			return fmt.Errorf("level-0 tile %d missing or of the wrong length", i)
		}
		for k := 0; k < w; k++ {
			var h tlog.Hash
			copy(h[:], b[k*tlog.HashSize:])
			leaves = append(leaves, h)
		}
	}
	if fold && foldRoot(leaves) != cp.root {
		return errors.New("the root of the level-0 tiles is not the checkpoint's")
	}
	report(fmt.Sprintf("the root of the %d level-0 tile hashes is the checkpoint's", len(leaves)))

	hr := tlog.TileHashReader(tlog.Tree{N: n, Hash: cp.root}, tileReader{e})
	th, err := tlog.TreeHash(n, hr)
	if err != nil {
		return fmt.Errorf("tlog.TreeHash: %v", err)
	}
	if th != cp.root {
		return errors.New("tlog.TreeHash differs from the checkpoint's root")
	}
	report(fmt.Sprintf("tlog.TreeHash(%d) through the tile reader is the checkpoint's root", n))

	// Every entry against its authenticated level-0 hash.
	var records [][]byte
	for i := int64(0); i*width < n; i++ {
		w := int(n - i*width)
		if w > width {
			w = width
		}
		b, ok := e.files[bundlePath(i, w)]
		if !ok {
			return fmt.Errorf("entry bundle %s missing", bundlePath(i, w))
		}
		es, err := entries(b)
		if err != nil {
			return fmt.Errorf("entry bundle %s: %v", bundlePath(i, w), err)
		}
		if len(es) != w {
			return fmt.Errorf("entry bundle %s holds %d entries, not %d", bundlePath(i, w), len(es), w)
		}
		idx := make([]int64, w)
		for k := range idx {
			idx[k] = tlog.StoredHashIndex(0, i*width+int64(k))
		}
		hs, err := hr.ReadHashes(idx)
		if err != nil {
			return fmt.Errorf("leaf hashes of bundle %d: %v", i, err)
		}
		for k, rec := range es {
			if tlog.RecordHash(rec) != hs[k] {
				return fmt.Errorf("entry %d does not hash to its level-0 tile hash", i*width+int64(k))
			}
		}
		records = append(records, es...)
	}
	report(fmt.Sprintf("all %d entries hash (RFC 6962) to their authenticated leaf hashes", len(records)))

	sample := []int64{0, n - 1}
	for i := int64(width / 2); i < n; i += width {
		sample = append(sample, i)
	}
	for _, i := range sample {
		p, err := tlog.ProveRecord(n, i, hr)
		if err != nil {
			return fmt.Errorf("tlog.ProveRecord(%d): %v", i, err)
		}
		if err := tlog.CheckRecord(p, n, cp.root, i, tlog.RecordHash(records[i])); err != nil {
			return fmt.Errorf("tlog.CheckRecord(%d): %v", i, err)
		}
	}
	report(fmt.Sprintf("tlog.ProveRecord/CheckRecord pass for %d leaves", len(sample)))

	var got []string
	for f := range e.files {
		got = append(got, f)
	}
	sort.Strings(got)
	want := expectedFiles(n)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		return fmt.Errorf("files: got %d, want %d (%v ... vs %v ...)", len(got), len(want), got[:min(3, len(got))], want[:min(3, len(want))])
	}
	report(fmt.Sprintf("exactly the %d files the spec requires for size %d", len(want), n))
	return nil
}

func min(a, b int) int {
	if a < b {
		return a
	}
	return b
}

// tampered returns a copy of e with one byte of file flipped.
func tampered(e *export, file string, at int) *export {
	c := &export{files: map[string][]byte{}}
	for k, v := range e.files {
		c.files[k] = v
	}
	b := append([]byte(nil), e.files[file]...)
	b[at%len(b)] ^= 0x01
	c.files[file] = b
	return c
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: tiles_check DIR VERIFIER_KEY_FILE")
		os.Exit(2)
	}
	e, err := load(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
	vkey, err := os.ReadFile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(2)
	}
	cp, err := openCheckpoint(e.files["checkpoint"], string(vkey))
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
	fmt.Printf("ok: checkpoint of %s, size %d, signed by %s\n", cp.origin, cp.size, cp.origin)
	if err := verify(e, cp, true, func(s string) { fmt.Println("ok:", s) }); err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
	// Tampering: a flipped byte in the first and last tile of every level,
	// and in the first and last entry bundle, must fail the checks.
	var targets []string
	for _, f := range expectedFiles(cp.size) {
		if f != "checkpoint" {
			targets = append(targets, f)
		}
	}
	picked := map[string]bool{}
	prefixes := map[string][]string{}
	for _, f := range targets {
		dir := f[:strings.Index(f[len("tile/"):], "/")+len("tile/")]
		prefixes[dir] = append(prefixes[dir], f)
	}
	for _, fs := range prefixes {
		picked[fs[0]] = true
		picked[fs[len(fs)-1]] = true
	}
	var order []string
	for f := range picked {
		order = append(order, f)
	}
	sort.Strings(order)
	for _, f := range order {
		at := len(e.files[f]) / 2
		if bytes.HasPrefix([]byte(f), []byte("tile/entries/")) {
			at = len(e.files[f]) - 1 // the last entry's last byte
		}
		if err := verify(tampered(e, f, at), cp, false, func(string) {}); err == nil {
			fmt.Fprintf(os.Stderr, "FAIL: a byte flipped in %s went undetected\n", f)
			os.Exit(1)
		} else {
			fmt.Printf("ok: a byte flipped in %s is detected (%v)\n", f, err)
		}
	}
}
