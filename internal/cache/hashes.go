package cache

import (
	"bytes"
	"encoding/gob"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/kforge/kforge/internal/jsonnet"
)

// settleTime is how old a file's modification time must be before its hash is remembered. A
// file written within the same tick of the file system clock as the hash was taken could change
// again without changing its size or time ("racy" files, as git calls them); older files are
// re-hashed only when their size, time or inode change.
const settleTime = 2 * time.Second

// fileHashes remembers the sha256 of the repository files the Store has verified, so that a run
// over many environments that all read the same library hashes each file once, not once per
// environment. With a file (the Store's statFile) it also remembers them across runs, the way
// git's index does: a warm run then stats the files an entry read instead of reading and
// hashing them all again. A file is hashed again whenever its size, modification time, device,
// inode or (on Linux) change time differ from what was remembered, and only files whose
// modification time had settled are remembered at all.
type fileHashes struct {
	mu     sync.Mutex
	byPath map[string]hashedFile
	// file persists byPath between runs ("" for none); loaded says it was read, dirty that
	// byPath has entries it does not have.
	file          string
	loaded, dirty bool
}

// hashedFile is a remembered hash and the file's state when it was taken. Its fields are
// exported for gob, which persists them.
type hashedFile struct {
	Size    int64
	ModTime int64 // nanoseconds since the epoch
	Sys     fileIdentity
	Sum     string
}

// hashFileVersion names the format of the persisted hashes; a file of another version is ignored.
const hashFileVersion = "kforge-file-hashes/1"

// persistedHashes is the persisted form of fileHashes.byPath.
type persistedHashes struct {
	Version string
	ByPath  map[string]hashedFile
}

// load reads the persisted hashes once; a missing or unreadable file leaves the memory empty.
// h.mu must be held.
func (h *fileHashes) load() {
	if h.loaded {
		return
	}
	h.loaded = true
	if h.file == "" {
		return
	}
	data, err := os.ReadFile(h.file)
	if err != nil {
		return
	}
	var p persistedHashes
	if gob.NewDecoder(bytes.NewReader(data)).Decode(&p) != nil || p.Version != hashFileVersion {
		return
	}
	if h.byPath == nil {
		h.byPath = make(map[string]hashedFile, len(p.ByPath))
	}
	for k, v := range p.ByPath {
		if _, ok := h.byPath[k]; !ok {
			h.byPath[k] = v
		}
	}
}

// save writes the remembered hashes when they have new entries, replacing the file atomically.
// Failing to is harmless: the next run hashes the files again.
func (h *fileHashes) save() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.dirty || h.file == "" {
		return
	}
	var buf bytes.Buffer
	if gob.NewEncoder(&buf).Encode(persistedHashes{Version: hashFileVersion, ByPath: h.byPath}) != nil {
		return
	}
	if writeAtomic(h.file, buf.Bytes()) == nil {
		h.dirty = false
	}
}

// hash returns the sha256 hex of root/rel, from memory when the file has not changed since.
// A directory listing (jsonnet.IsDirRead: a path ending in "/") hashes the names in it.
func (h *fileHashes) hash(root, rel string) (string, error) {
	p := filepath.Join(root, filepath.FromSlash(rel))
	if jsonnet.IsDirRead(rel) {
		return jsonnet.HashDirListing(p)
	}
	info, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	id := identityOf(info)
	h.mu.Lock()
	h.load()
	known, ok := h.byPath[p]
	h.mu.Unlock()
	if ok && known.Size == info.Size() && known.ModTime == info.ModTime().UnixNano() && known.Sys == id {
		return known.Sum, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", err
	}
	sum := sha256Hex(data)
	if int64(len(data)) == info.Size() && time.Since(info.ModTime()) > settleTime {
		h.mu.Lock()
		if h.byPath == nil {
			h.byPath = map[string]hashedFile{}
		}
		h.byPath[p] = hashedFile{Size: info.Size(), ModTime: info.ModTime().UnixNano(), Sys: id, Sum: sum}
		h.dirty = true
		h.mu.Unlock()
	}
	return sum, nil
}
