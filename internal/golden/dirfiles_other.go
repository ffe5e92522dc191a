//go:build !linux

package golden

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/fsutil"
)

// dirFiles lists and reads the entries of one directory that the walker opened through its
// root (Linux works on the directory's descriptor instead, see dirfiles_linux.go).
type dirFiles struct {
	dir  *os.File
	root *os.Root
	rel  string
}

// newDirFiles prepares reads of the entries of d, the directory rel below root.
func newDirFiles(d *os.File, root *os.Root, rel string) (dirFiles, error) {
	return dirFiles{dir: d, root: root, rel: rel}, nil
}

// list returns the entries of the directory sorted by name.
func (df dirFiles) list() ([]dirEntry, error) {
	des, err := df.dir.ReadDir(-1)
	if err != nil {
		return nil, fsutil.OpWithoutPath(err)
	}
	entries := make([]dirEntry, 0, len(des))
	for _, de := range des {
		entries = append(entries, dirEntry{name: de.Name(), typ: de.Type()})
	}
	slices.SortFunc(entries, func(a, b dirEntry) int { return strings.Compare(a.name, b.name) })
	return entries, nil
}

// dirPerm returns the permission bits of the entry name, without following a symbolic link.
func (df dirFiles) dirPerm(name string) (fs.FileMode, error) {
	info, err := df.root.Lstat(path.Join(df.rel, name))
	if err != nil {
		return 0, fsutil.OpWithoutPath(err)
	}
	return info.Mode().Perm(), nil
}

// read returns the content and permission bits of the regular file name (one path element)
// in the directory, at most MaxFileSize bytes.
func (df dirFiles) read(name string) ([]byte, fs.FileMode, error) {
	return readLimited(df.root, path.Join(df.rel, name))
}

// readLimited reads a regular file of at most MaxFileSize bytes below root.
func readLimited(root *os.Root, p string) ([]byte, fs.FileMode, error) {
	f, err := root.Open(p)
	if err != nil {
		return nil, 0, fsutil.OpWithoutPath(err)
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, fsutil.OpWithoutPath(err)
	}
	if !info.Mode().IsRegular() {
		return nil, 0, errors.New("not a regular file")
	}
	if info.Size() > MaxFileSize {
		return nil, 0, fmt.Errorf("file too large (%d bytes, limit %d)", info.Size(), MaxFileSize)
	}
	var buf bytes.Buffer
	buf.Grow(int(info.Size()) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, 0, fsutil.OpWithoutPath(err)
	}
	content := buf.Bytes()
	if len(content) > MaxFileSize {
		return nil, 0, fmt.Errorf("file too large (more than %d bytes)", MaxFileSize)
	}
	return content, info.Mode().Perm(), nil
}
