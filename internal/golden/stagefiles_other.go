//go:build !linux

package golden

import (
	"io/fs"
	"os"

	"github.com/kforge/kforge/internal/atomicfile"
)

// stagedFiles creates the directories and files of a staging tree through its os.Root (Linux
// uses directory descriptors instead, see stagefiles_linux.go).
type stagedFiles struct{ root *os.Root }

// newStagedFiles prepares writes below root, the staging directory dir.
func newStagedFiles(_ string, root *os.Root) (*stagedFiles, error) {
	return &stagedFiles{root: root}, nil
}

// mkdirAll creates dir and its missing parents with mode perm (see atomicfile.MkdirAllIn).
func (s *stagedFiles) mkdirAll(dir string, perm fs.FileMode, made map[string]bool) error {
	return atomicfile.MkdirAllIn(s.root, dir, perm, made)
}

// create writes a new file p (its directory exists) with content and mode perm.
func (s *stagedFiles) create(p string, content []byte, perm fs.FileMode) error {
	return atomicfile.CreateIn(s.root, p, content, atomicfile.Options{Perm: perm})
}

// close releases nothing.
func (*stagedFiles) close() {}
