//go:build !linux

package golden

import "os"

// treeSyncer makes a staged tree durable: each file and directory is fsynced (Linux syncs the
// whole file system once instead, see sync_linux.go).
type treeSyncer struct{}

// newTreeSyncer returns the syncer; call it before writing.
func newTreeSyncer(*os.Root) (*treeSyncer, error) { return &treeSyncer{}, nil }

// sync fsyncs the files (paths) and directories (dirs) written below root.
func (*treeSyncer) sync(root *os.Root, paths, dirs []string) error {
	return syncEach(root, paths, dirs)
}

// close releases nothing.
func (*treeSyncer) close() {}
