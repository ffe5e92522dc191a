// Package atomicfile writes files so that a reader, or a run that crashes, sees a file's old
// content or its new content and never a part of either: the content goes to a staged file in
// the same directory, which is renamed over the target only when everything was written.
//
// It also holds the few primitives the golden store builds its whole-directory swaps from:
// creating a new file below an [os.Root], creating directories with an exact mode, and fsyncing
// directories.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/kforge/kforge/internal/fsutil"
)

// Options say how a file is written.
type Options struct {
	// Temp is the name pattern of the staged file, in the target's directory, as
	// [os.CreateTemp] takes it: the last "*" is replaced by a random string. Empty means
	// "." + the target's base name + ".tmp-*".
	Temp string
	// Perm is the mode the file ends with, whatever the umask; zero leaves the 0600 of a new
	// staged file.
	Perm fs.FileMode
	// Sync makes the content durable (fsync) before the file takes the target's name, so that
	// a crash leaves the old or the new content, never an empty file.
	Sync bool
}

// pattern returns the staged file's name pattern for target base name base.
func (o Options) pattern(base string) string {
	if o.Temp != "" {
		return o.Temp
	}
	return "." + base + ".tmp-*"
}

// Write writes the file at path atomically: write fills a staged file beside it, which replaces
// path only when write, and everything after it, succeeded; otherwise it is removed and path
// is left as it was. Errors are those of the failing call (an *fs.PathError or *os.LinkError
// names the absolute staged path; callers strip it with fsutil.WithoutPath).
func Write(path string, opts Options, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), opts.pattern(filepath.Base(path)))
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := finish(f, opts, write); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// finish writes and closes the staged file f.
func finish(f *os.File, opts Options, write func(io.Writer) error) error {
	err := write(f)
	if err == nil && opts.Perm != 0 {
		err = f.Chmod(opts.Perm)
	}
	if err == nil && opts.Sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteIn writes content to the slash path name below root atomically, creating missing
// directories on the way with mode 0755 (see [MkdirAllIn]). Errors name the file by name, not
// by an absolute path.
func WriteIn(root *os.Root, name string, content []byte, opts Options) error {
	if err := MkdirAllIn(root, path.Dir(name), 0o755, map[string]bool{".": true}); err != nil {
		return err
	}
	var suffix [6]byte
	if _, err := rand.Read(suffix[:]); err != nil {
		return fmt.Errorf("stage %s: %w", name, err)
	}
	pattern := opts.pattern(path.Base(name))
	staged := pattern + hex.EncodeToString(suffix[:])
	if i := strings.LastIndex(pattern, "*"); i >= 0 {
		staged = pattern[:i] + hex.EncodeToString(suffix[:]) + pattern[i+1:]
	}
	tmp := path.Join(path.Dir(name), staged)
	if err := CreateIn(root, tmp, content, opts); err != nil {
		_ = root.Remove(tmp)
		return err
	}
	if err := root.Rename(tmp, name); err != nil {
		_ = root.Remove(tmp)
		return fmt.Errorf("move %s into place: %w", name, fsutil.OpWithoutPath(err))
	}
	return nil
}

// CreateIn creates the new file name below root (it must not exist yet) holding content, with
// mode opts.Perm (0644 when zero) and fsynced when opts.Sync is set. opts.Temp is not used: the
// file is written in place, for callers that stage whole directories.
func CreateIn(root *os.Root, name string, content []byte, opts Options) error {
	perm := opts.Perm
	if perm == 0 {
		perm = 0o644
	}
	f, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("create %s: %w", name, fsutil.OpWithoutPath(err))
	}
	opts.Perm = perm
	if err := finish(f, opts, func(w io.Writer) error { _, err := w.Write(content); return err }); err != nil {
		return fmt.Errorf("write %s: %w", name, fsutil.OpWithoutPath(err))
	}
	return nil
}

// MkdirAllIn creates the slash path dir and its missing parents below root with mode perm,
// whatever the umask. made remembers the directories known to exist ("." must be in it) and
// gains the ones created or found.
func MkdirAllIn(root *os.Root, dir string, perm fs.FileMode, made map[string]bool) error {
	if made[dir] {
		return nil
	}
	if err := MkdirAllIn(root, path.Dir(dir), perm, made); err != nil {
		return err
	}
	if err := root.Mkdir(dir, perm); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create directory %s: %w", dir, fsutil.OpWithoutPath(err))
	}
	if err := root.Chmod(dir, perm); err != nil {
		return fmt.Errorf("chmod %s: %w", dir, fsutil.OpWithoutPath(err))
	}
	made[dir] = true
	return nil
}

// SyncDirIn fsyncs directory name below root so that its entries are durable.
func SyncDirIn(root *os.Root, name string) error {
	d, err := root.Open(name)
	if err != nil {
		return fmt.Errorf("sync %s: %w", name, fsutil.OpWithoutPath(err))
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil && !syncIgnorable(err) {
		return fmt.Errorf("sync %s: %w", name, fsutil.OpWithoutPath(err))
	}
	return nil
}

// SyncDir fsyncs the directory dir so that its entries are durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("sync directory: %w", fsutil.OpWithoutPath(err))
	}
	defer func() { _ = d.Close() }()
	if err := d.Sync(); err != nil && !syncIgnorable(err) {
		return fmt.Errorf("sync directory: %w", fsutil.OpWithoutPath(err))
	}
	return nil
}

// syncIgnorable reports an fsync error that only says directories cannot be synced here.
func syncIgnorable(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
