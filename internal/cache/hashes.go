package cache

import (
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
// environment.
type fileHashes struct {
	mu     sync.Mutex
	byPath map[string]hashedFile
}

// hashedFile is a remembered hash and the file's state when it was taken.
type hashedFile struct {
	size    int64
	modTime time.Time
	sys     fileIdentity
	sum     string
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
	known, ok := h.byPath[p]
	h.mu.Unlock()
	if ok && known.size == info.Size() && known.modTime.Equal(info.ModTime()) && known.sys == id {
		return known.sum, nil
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
		h.byPath[p] = hashedFile{size: info.Size(), modTime: info.ModTime(), sys: id, sum: sum}
		h.mu.Unlock()
	}
	return sum, nil
}
