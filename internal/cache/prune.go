package cache

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/kforge/kforge/internal/fsutil"
)

// staleTemp is the age after which a temporary file is taken for the leftover of a killed
// writer and removed by Prune.
const staleTemp = time.Hour

// PruneStats tells what Prune found and removed.
type PruneStats struct {
	// Files and Bytes count the entries, blobs and memos before pruning.
	Files int
	Bytes int64
	// Removed and Freed count what was deleted (stale temporary files included).
	Removed int
	Freed   int64
}

// Prune removes the least recently used entries, blobs and memos until the cache holds at most
// maxBytes (no limit when maxBytes <= 0), and temporary files older than an hour. Removing a
// file another process is reading is harmless: that lookup becomes a miss.
func (s *Store) Prune(maxBytes int64) (PruneStats, error) {
	type file struct {
		path  string
		size  int64
		mtime time.Time
	}
	var files []file
	var st PruneStats
	now := time.Now()
	for _, d := range []string{entriesDir, blobsDir, memoDir} {
		err := filepath.WalkDir(filepath.Join(s.dir, d), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil // removed by a concurrent Prune
				}
				return err
			}
			if de.IsDir() {
				return nil
			}
			info, err := de.Info()
			if err != nil {
				return nil // gone meanwhile
			}
			if strings.HasPrefix(de.Name(), tempPrefix) {
				if now.Sub(info.ModTime()) > staleTemp && os.Remove(p) == nil {
					st.Removed++
					st.Freed += info.Size()
				}
				return nil
			}
			files = append(files, file{path: p, size: info.Size(), mtime: info.ModTime()})
			st.Files++
			st.Bytes += info.Size()
			return nil
		})
		if err != nil {
			return st, fmt.Errorf("prune render cache: %w", fsutil.WithoutPath(err))
		}
	}
	if maxBytes <= 0 || st.Bytes <= maxBytes {
		return st, nil
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mtime.Before(files[j].mtime) })
	total := st.Bytes
	for _, f := range files {
		if total <= maxBytes {
			break
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return st, fmt.Errorf("prune render cache: %w", fsutil.WithoutPath(err))
		}
		total -= f.size
		st.Removed++
		st.Freed += f.size
	}
	return st, nil
}
