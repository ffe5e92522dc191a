package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/jsonnet"
)

// Directory layout and record format; bump layoutVersion when either changes.
const (
	layoutVersion = "v1"
	entriesDir    = "entries"
	blobsDir      = "blobs"
	memoDir       = "memo"
	// hashesFile remembers the hashes of repository files between runs (fileHashes).
	hashesFile  = "file-hashes"
	recordMagic = "kforge-render-cache-entry/2"
	tempPrefix  = ".tmp-"
)

// Entry is one environment's cached render.
type Entry struct {
	// Output is the rendered output, stored as given (kforge stores the evaluated JSON).
	Output []byte
	// Reads are the files the evaluation read, with the sha256 of their content
	// (jsonnet.Result.Reads). Get returns them extended with every file reachable from them
	// through imports (the static closure, which adds imports in branches the evaluation did
	// not take), sorted by path.
	Reads []jsonnet.FileRead
	// Misses are the repository-relative paths the evaluation looked for in vain, sorted: the
	// ones its import search tried, which Put computes from the files in Reads, and those
	// native functions probed (jsonnet.Result.Misses, e.g. kustomizeBuild), which Put adds from
	// this field. Get fills them in.
	Misses []string
	// Trace is what the evaluation wrote with std.trace, replayed on a hit.
	Trace []byte
}

// record is the JSON body of an entry file.
type record struct {
	Key    string `json:"key"`
	Output string `json:"output"` // sha256 hex of the blob, its name
	Size   int64  `json:"size"`
	// CRC32C checks the blob on every hit: it only has to catch a damaged file (the name, a
	// sha256, already ties the blob to its content), and costs a tenth of re-hashing it.
	CRC32C uint32             `json:"crc32c"`
	Reads  []jsonnet.FileRead `json:"reads"`
	Misses []string           `json:"misses"`
	Trace  []byte             `json:"trace,omitempty"`
}

// Store is a render cache in one directory. It is safe for concurrent use, also by several
// processes sharing the directory.
type Store struct {
	dir     string
	scanner *affected.Scanner
	// hashes remembers the hashes of repository files verified by lookups.
	hashes *fileHashes
	// remote is the shared store behind the directory, nil without one (WithRemote).
	remote *remoteTier
	// memoMaps maps the memos a warm run serves.
	memoMaps *memoMaps
}

// Open returns the Store in dir, creating the directory if needed.
func Open(dir string) (*Store, error) {
	if dir == "" {
		return nil, errors.New("open render cache: no directory given")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("open render cache: %w", err)
	}
	base := filepath.Join(abs, layoutVersion)
	for _, d := range []string{entriesDir, blobsDir, memoDir} {
		if err := os.MkdirAll(filepath.Join(base, d), 0o755); err != nil {
			return nil, fmt.Errorf("open render cache: %w", fsutil.WithoutPath(err))
		}
	}
	return &Store{dir: base, scanner: affected.NewScanner(), hashes: &fileHashes{file: filepath.Join(base, hashesFile)}, memoMaps: &memoMaps{budget: memoMapBudget}}, nil
}

// Get returns the entry of k when it is still exact for the repository at root (absolute):
// every recorded file has the recorded content and no recorded miss exists. A missing,
// outdated, corrupt or truncated entry is a miss (false, nil); the error reports only a cache
// directory that cannot be read.
func (s *Store) Get(k Key, root string) (Entry, bool, error) {
	e, reason, err := s.lookup(k, root)
	return e, reason == "", err
}

// Explain says why Get misses for k ("" when it would hit): "no entry", "corrupt entry",
// "lib/x.libsonnet changed", "environments/prod/x.libsonnet now shadows an import", ...
func (s *Store) Explain(k Key, root string) (string, error) {
	_, reason, err := s.lookup(k, root)
	return reason, err
}

func (s *Store) lookup(k Key, root string) (Entry, string, error) {
	defer s.hashes.save()
	e, reason, err := s.lookupLocal(k, root)
	if reason == "" || s.remote == nil || k.id == "" {
		return e, reason, err
	}
	// Any local miss may be a remote hit: the remote may hold the entry of the current files
	// where the local directory holds an older one.
	if re, ok := s.fetchRemote(k, root); ok {
		return re, "", nil
	}
	return e, reason, err
}

func (s *Store) lookupLocal(k Key, root string) (Entry, string, error) {
	rec, reason, err := s.lookupRecord(k, root)
	if reason != "" {
		return Entry{}, reason, err
	}
	blobPath := s.blobPath(rec.Output)
	out, err := os.ReadFile(blobPath)
	if err != nil || int64(len(out)) != rec.Size || checksum(out) != rec.CRC32C {
		return Entry{}, "missing or corrupt output", nil
	}
	touch(s.entryPath(k.id), blobPath)
	return Entry{Output: out, Reads: rec.Reads, Misses: rec.Misses, Trace: rec.Trace}, "", nil
}

// lookupRecord returns the local record of k when it is still exact for the repository at root,
// without reading its output; the reason and error are lookupLocal's.
func (s *Store) lookupRecord(k Key, root string) (record, string, error) {
	if k.id == "" {
		return record{}, "no entry", nil
	}
	data, err := os.ReadFile(s.entryPath(k.id))
	if errors.Is(err, fs.ErrNotExist) {
		return record{}, "no entry", nil
	}
	if err != nil {
		return record{}, "unreadable entry", fmt.Errorf("read render cache entry %s: %w", k.id, fsutil.WithoutPath(err))
	}
	rec, ok := decodeRecord(data, k.id)
	if !ok {
		return record{}, "corrupt entry", nil
	}
	if reason := s.stillExact(rec, root); reason != "" {
		return record{}, reason, nil
	}
	return rec, "", nil
}

// touch refreshes the modification times Prune evicts by; failing to is harmless.
func touch(paths ...string) {
	now := time.Now()
	for _, p := range paths {
		_ = os.Chtimes(p, now, now)
	}
}

// stillExact says why rec no longer describes the repository at root ("" when it does): a
// recorded file changed or is gone, or a recorded import-search miss now exists.
func (s *Store) stillExact(rec record, root string) string {
	for _, r := range rec.Reads {
		sum, err := s.hashes.hash(root, r.Path)
		if err != nil {
			return r.Path + " is gone"
		}
		if sum != r.SHA256 {
			return r.Path + " changed"
		}
	}
	still, first, err := affected.StillMissing(root, rec.Misses)
	if err != nil {
		return first + " cannot be checked"
	}
	if !still {
		return first + " now shadows an import"
	}
	return ""
}

// Put stores e under k. root is the absolute repository root the evaluation read: Put reads
// the files of e.Reads again, follows their imports to the static closure and the
// import-search misses, and refuses, with a *StaleError, an entry whose files changed since
// the evaluation. e.Reads must hold at least the entrypoint; the closure supplies whatever
// else an incomplete record leaves out (files bound with jsonnet.Options.AddFile are reached
// through the external code in the key).
func (s *Store) Put(k Key, root string, e Entry) error {
	if k.id == "" {
		return errors.New("store render cache entry: zero Key (use NewKey)")
	}
	files := make([]string, len(e.Reads))
	for i, r := range e.Reads {
		files[i] = r.Path
	}
	probe, err := s.scanner.Probe(root, k.jpath, files, k.code)
	if err != nil {
		return fmt.Errorf("store render cache entry: %w", err)
	}
	for _, r := range e.Reads {
		if probe.Files[r.Path] != r.SHA256 {
			return &StaleError{Path: r.Path}
		}
	}
	// Record the static import closure too: it costs a few more hashes per lookup and keeps
	// the entry exact even if an evaluator reports only part of what it read.
	reads := make([]jsonnet.FileRead, 0, len(probe.Files))
	for p, sum := range probe.Files {
		reads = append(reads, jsonnet.FileRead{Path: p, SHA256: sum})
	}
	sort.Slice(reads, func(i, j int) bool { return reads[i].Path < reads[j].Path })
	misses := mergeSorted(probe.Misses, e.Misses)
	sum := sha256Hex(e.Output)
	// Always (re)write the blob: this also repairs a corrupt one of the same name.
	if err := writeAtomic(s.blobPath(sum), e.Output); err != nil {
		return fmt.Errorf("store render cache output: %w", err)
	}
	body, err := json.Marshal(record{Key: k.id, Output: sum, Size: int64(len(e.Output)), CRC32C: checksum(e.Output), Reads: reads, Misses: misses, Trace: e.Trace})
	if err != nil {
		return fmt.Errorf("encode render cache entry: %w", err)
	}
	encoded := encodeRecord(body)
	if err := writeAtomic(s.entryPath(k.id), encoded); err != nil {
		return fmt.Errorf("store render cache entry: %w", err)
	}
	s.pushRemote(pushJob{key: k.id, bundle: Bundle{Record: encoded, Output: e.Output}})
	return nil
}

// mergeSorted returns the sorted union of a and b, without duplicates.
func mergeSorted(a, b []string) []string {
	if len(b) == 0 {
		return a
	}
	out := append(append(make([]string, 0, len(a)+len(b)), a...), b...)
	sort.Strings(out)
	return slices.Compact(out)
}

// encodeRecord prefixes body with the magic and its checksum.
func encodeRecord(body []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(recordMagic) + 66 + len(body))
	b.WriteString(recordMagic)
	b.WriteByte(' ')
	b.WriteString(sha256Hex(body))
	b.WriteByte('\n')
	b.Write(body)
	return b.Bytes()
}

// decodeRecord checks the magic, the checksum and the key of an entry file.
func decodeRecord(data []byte, id string) (record, bool) {
	header, body, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return record{}, false
	}
	magic, sum, ok := bytes.Cut(header, []byte(" "))
	if !ok || string(magic) != recordMagic || string(sum) != sha256Hex(body) {
		return record{}, false
	}
	var rec record
	if err := json.Unmarshal(body, &rec); err != nil || rec.Key != id || len(rec.Output) != 2*sha256.Size {
		return record{}, false
	}
	return rec, true
}

func (s *Store) entryPath(id string) string {
	return filepath.Join(s.dir, entriesDir, id[:2], id)
}

func (s *Store) blobPath(sum string) string {
	return filepath.Join(s.dir, blobsDir, sum[:2], sum)
}

// writeAtomic writes data to a staged file (tempPrefix*, which Prune removes when a crash left
// it) next to p and renames it to p.
func writeAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fsutil.WithoutPath(err)
	}
	err := atomicfile.Write(p, atomicfile.Options{Temp: tempPrefix + "*"}, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return fsutil.WithoutPath(err)
}

// castagnoli is the CRC-32C table (hardware-accelerated on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// checksum is the CRC-32C of b: the integrity check of blobs and memos, whose names are sha256.
func checksum(b []byte) uint32 { return crc32.Checksum(b, castagnoli) }

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
