//go:build linux

package golden

import (
	"errors"
	"fmt"
	"os"

	"github.com/kforge/kforge/internal/fsutil"
	"golang.org/x/sys/unix"
)

// treeSyncer makes a staged tree durable. On Linux one syncfs(2) of the staging directory's file
// system does it: an fsync per file waits for the disk once per file, where syncfs costs one
// flush of what was written.
type treeSyncer struct {
	// dir is the staging directory, opened before the first file is written: syncfs reports
	// the write-back errors recorded after the descriptor was opened (Linux 5.8 and later;
	// older kernels report none).
	dir *os.File
}

// newTreeSyncer opens root's directory for sync; call it before writing.
func newTreeSyncer(root *os.Root) (*treeSyncer, error) {
	d, err := root.Open(".")
	if err != nil {
		return nil, fmt.Errorf("open staging directory: %w", fsutil.OpWithoutPath(err))
	}
	return &treeSyncer{dir: d}, nil
}

// sync makes the files (paths) and directories (dirs) written below root durable, falling back
// to an fsync of each where syncfs is unavailable or refused (seccomp sandboxes, some file
// systems).
func (s *treeSyncer) sync(root *os.Root, paths, dirs []string) error {
	err := unix.Syncfs(int(s.dir.Fd()))
	switch {
	case err == nil:
		return nil
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EPERM), errors.Is(err, unix.EINVAL), errors.Is(err, unix.EOPNOTSUPP):
		return syncEach(root, paths, dirs)
	default:
		return fmt.Errorf("sync staging directory: %w", err)
	}
}

// close releases the directory.
func (s *treeSyncer) close() { _ = s.dir.Close() }
