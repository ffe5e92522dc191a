package golden

import (
	"errors"
	"fmt"
	"os"
	"path"
	"sort"

	"github.com/kforge/kforge/internal/fsutil"
)

// Staging is a new directory tree written beside parent/name one file at a time and then
// swapped in whole ([Staging.Commit]) or dropped ([Staging.Discard]). It lets a caller write
// files as they are produced instead of holding all of them until the end, with the same
// guarantees as [ReplaceDir]: until Commit, parent/name is untouched, and a crash leaves only a
// hidden ".<name>.kforge-tmp-*" directory that [RecoverLeftovers] removes. The caller holds the
// lock of parent ([Lock]) from before [Stage] until Commit or Discard returns, and validates the
// paths it writes ([Validator]). A Staging is not safe for concurrent use.
type Staging struct {
	w            writer
	parent, name string
	// dir is the staging directory and root the handle files are written through.
	dir    string
	root   *os.Root
	files  *stagedFiles
	syncer *treeSyncer
	// made holds the directories that exist below root; paths the files written.
	made  map[string]bool
	paths []string
	done  bool
}

// Stage creates the staging directory of parent/name.
func Stage(parent, name string) (*Staging, error) {
	return writer{}.stage(parent, name)
}

func (w writer) stage(parent, name string) (s *Staging, err error) {
	tmp, err := os.MkdirTemp(parent, "."+name+TempInfix)
	if err != nil {
		return nil, fmt.Errorf("create staging directory: %w", fsutil.OpWithoutPath(err))
	}
	defer func() {
		if err != nil {
			_ = os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, DirMode); err != nil {
		return nil, fmt.Errorf("chmod staging directory: %w", fsutil.OpWithoutPath(err))
	}
	root, err := os.OpenRoot(tmp)
	if err != nil {
		return nil, fmt.Errorf("open staging directory: %w", fsutil.OpWithoutPath(err))
	}
	syncer, err := newTreeSyncer(root)
	if err != nil {
		_ = root.Close()
		return nil, err
	}
	files, err := newStagedFiles(tmp, root)
	if err != nil {
		syncer.close()
		_ = root.Close()
		return nil, err
	}
	return &Staging{w: w, parent: parent, name: name, dir: tmp, root: root, files: files, syncer: syncer, made: map[string]bool{".": true}}, nil
}

// Write writes f (file mode 0644, missing directories 0755) into the staging directory.
func (s *Staging) Write(f File) error {
	if s.done {
		return errors.New("write staged file: staging already committed or discarded")
	}
	if err := s.files.mkdirAll(path.Dir(f.Path), DirMode, s.made); err != nil {
		return err
	}
	if err := s.files.create(f.Path, f.Content, FileMode); err != nil {
		return err
	}
	s.paths = append(s.paths, f.Path)
	return s.w.step(stepFile)
}

// Commit makes what was written durable and puts it in place of parent/name; exists says
// whether parent/name exists now. On failure parent/name is as it was (or, after the swap,
// complete and new). Either way the staging directory is gone afterwards.
func (s *Staging) Commit(exists bool) (err error) {
	if s.done {
		return errors.New("commit staging: staging already committed or discarded")
	}
	s.done = true
	defer func() {
		if rerr := os.RemoveAll(s.dir); rerr != nil && err == nil {
			err = fmt.Errorf("remove old tree: %w", fsutil.OpWithoutPath(rerr))
		}
	}()
	err = s.sync()
	s.close()
	if err != nil {
		return err
	}
	if err := s.w.step(stepWritten); err != nil {
		return err
	}
	return s.w.swap(s.parent, s.name, s.dir, exists)
}

// Discard removes the staging directory; parent/name is untouched. It does nothing after
// Commit or an earlier Discard.
func (s *Staging) Discard() error {
	if s.done {
		return nil
	}
	s.done = true
	s.close()
	if err := os.RemoveAll(s.dir); err != nil {
		return fmt.Errorf("remove staging directory: %w", fsutil.OpWithoutPath(err))
	}
	return nil
}

// sync makes the staged files and directories durable (deepest directories first).
func (s *Staging) sync() error {
	names := make([]string, 0, len(s.made))
	for d := range s.made {
		names = append(names, d)
	}
	sort.Sort(sort.Reverse(sort.StringSlice(names)))
	return s.syncer.sync(s.root, s.paths, names)
}

func (s *Staging) close() {
	s.files.close()
	s.syncer.close()
	_ = s.root.Close()
}

// Validator checks files one at a time exactly as [ValidateFiles] checks them together: the
// first error Add returns for a sequence of files is the error ValidateFiles returns for it.
type Validator struct{ c *collisions }

// NewValidator returns a Validator that has seen no file.
func NewValidator() *Validator { return &Validator{c: newCollisions()} }

// Add checks f.Path alone ([ValidatePath]) and against the paths added before.
func (v *Validator) Add(f File) error {
	if err := ValidatePath(f.Path, f.Resource); err != nil {
		return err
	}
	return v.c.add(f.Path, f.Resource)
}
