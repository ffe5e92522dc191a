package golden

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
)

// Infixes of the hidden names kforge uses beside an environment directory
// (".<env>.kforge-tmp-<random>", ".<env>.kforge-old-<random>").
const (
	// TempInfix marks what a run stages: a new tree, or a file written atomically.
	TempInfix = ".kforge-tmp-"
	oldInfix  = ".kforge-old-"
)

// errNoExchange says that an atomic directory exchange is not available here.
var errNoExchange = errors.New("atomic exchange not supported")

// Steps at which a writer's hook runs (test seams for failure and crash injection).
const (
	stepFile    = "file"    // one more file was written into the staging directory
	stepWritten = "written" // the staging directory is complete; nothing was swapped
	stepAside   = "aside"   // fallback only: the old tree was renamed aside, the new one is not in place
	stepSwapped = "swapped" // the new tree is in place; the old one is not removed yet
)

// writer replaces directories atomically. The zero value is what Update uses; tests set the
// fields to inject failures between steps and to exercise the rename fallback.
type writer struct {
	// hook runs at every step; an error aborts the run there as a real failure would.
	hook func(step string) error
	// noExchange forces the two-rename fallback even where exchange works.
	noExchange bool
}

func (w writer) step(name string) error {
	if w.hook == nil {
		return nil
	}
	return w.hook(name)
}

// Update makes an environment directory hold exactly files, atomically (see the package
// documentation for the sequence and its crash windows). It validates every path first and
// writes nothing when one is unsafe. When the directory already holds exactly these files with
// the right modes and nothing else, it is not touched and the returned Changes are empty; that
// check takes no lock, so unchanged directories are confirmed in parallel. Updates that write
// (and concurrent updates of directories with the same parent) are serialised by a lock.
func Update(t Target, files []File) (Changes, error) {
	return writer{}.update(t, files)
}

func (w writer) update(t Target, files []File) (Changes, error) {
	if err := t.check(); err != nil {
		return Changes{}, err
	}
	if err := ValidateFiles(files); err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	if strings.Contains(path.Base(t.Dir), ".kforge-") {
		return Changes{}, fmt.Errorf("update %s: directory names containing \".kforge-\" are reserved", t.Dir)
	}
	if err := ensureParent(t); err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	abs := t.osPath()
	parent, name := filepath.Dir(abs), filepath.Base(abs)
	if upToDate(t, parent, name, files) {
		return Changes{}, nil
	}
	lock, err := acquireLock(parent, lockTimeout)
	if err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	defer lock.release()
	if err := RecoverLeftovers(parent, name); err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	cur, err := scan(t)
	if err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	ch := plan(cur, files)
	if ch.Empty() {
		return Changes{}, nil
	}
	if err := w.replace(parent, name, cur.exists, files); err != nil {
		return Changes{}, fmt.Errorf("update %s: %w", t.Dir, err)
	}
	return ch, nil
}

// upToDate reports, without taking the parent's lock, whether parent/name already holds exactly
// files and no interrupted update left anything beside it. A match needs no lock: the directory
// is only ever replaced whole, and scan reads one directory through one handle, so what it saw
// was a complete tree that some update put there. Any doubt (an error, a leftover, a
// difference) answers false and the caller takes the locked path, which decides for certain.
func upToDate(t Target, parent, name string, files []File) bool {
	cur, err := scan(t)
	if err != nil || !cur.exists || !plan(cur, files).Empty() {
		return false
	}
	entries, err := os.ReadDir(parent)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "."+name+TempInfix) || strings.HasPrefix(e.Name(), "."+name+oldInfix) {
			return false
		}
	}
	return true
}

// ReplaceDir makes parent/name hold exactly files, atomically, the way [Update] swaps an
// environment directory in; exists says whether parent/name exists now. Unlike Update it neither
// validates nor compares: the caller holds the lock of parent ([Lock]), has recovered leftovers
// ([RecoverLeftovers]) and has validated files ([ValidateFiles]).
func ReplaceDir(parent, name string, exists bool, files []File) error {
	return writer{}.replace(parent, name, exists, files)
}

// replace stages files in a new directory beside parent/name and swaps it in. On failure it
// leaves parent/name as it was (or, after the swap, complete and new) and removes its staging.
func (w writer) replace(parent, name string, exists bool, files []File) error {
	s, err := w.stage(parent, name)
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := s.Write(f); err != nil {
			_ = s.Discard() // the write error says what went wrong
			return err
		}
	}
	return s.Commit(exists)
}

// swap puts the complete staging directory tmp in place of parent/name. After it returns, tmp
// holds the old tree or nothing; the caller removes it.
func (w writer) swap(parent, name, tmp string, exists bool) error {
	target := filepath.Join(parent, name)
	if !exists {
		if err := os.Rename(tmp, target); err != nil {
			return fmt.Errorf("move staging into place: %w", fsutil.OpWithoutPath(err))
		}
		return atomicfile.SyncDir(parent)
	}
	if !w.noExchange {
		err := exchange(tmp, target)
		if err == nil {
			if err := atomicfile.SyncDir(parent); err != nil {
				return err
			}
			return w.step(stepSwapped)
		}
		if !errors.Is(err, errNoExchange) {
			return fmt.Errorf("exchange staging and target: %w", fsutil.OpWithoutPath(err))
		}
	}
	old, err := reserveName(parent, "."+name+oldInfix)
	if err != nil {
		return err
	}
	if err := os.Rename(target, old); err != nil {
		return fmt.Errorf("move old tree aside: %w", fsutil.OpWithoutPath(err))
	}
	restore := func(cause error) error {
		if rerr := os.Rename(old, target); rerr != nil {
			return fmt.Errorf("%w (and restoring the old tree failed: %w; the next update restores it)", cause, fsutil.OpWithoutPath(rerr))
		}
		return cause
	}
	if err := atomicfile.SyncDir(parent); err != nil {
		return restore(err)
	}
	if err := w.step(stepAside); err != nil {
		return restore(err)
	}
	if err := os.Rename(tmp, target); err != nil {
		return restore(fmt.Errorf("move staging into place: %w", fsutil.OpWithoutPath(err)))
	}
	if err := atomicfile.SyncDir(parent); err != nil {
		return err
	}
	if err := w.step(stepSwapped); err != nil {
		return errors.Join(err, removeTree(old))
	}
	return removeTree(old)
}

func removeTree(dir string) error {
	if err := os.RemoveAll(dir); err != nil {
		return fmt.Errorf("remove old tree: %w", fsutil.OpWithoutPath(err))
	}
	return nil
}

// reserveName returns an unused name in dir starting with prefix.
func reserveName(dir, prefix string) (string, error) {
	p, err := os.MkdirTemp(dir, prefix)
	if err != nil {
		return "", fmt.Errorf("reserve name: %w", fsutil.OpWithoutPath(err))
	}
	if err := os.Remove(p); err != nil {
		return "", fmt.Errorf("reserve name: %w", fsutil.OpWithoutPath(err))
	}
	return p, nil
}

// RecoverLeftovers repairs what an interrupted run left beside parent/name: when name is
// missing and exactly one old tree exists, the crash happened between the two renames of the
// fallback, and the old tree goes back; every other staging or old tree is removed. The caller
// holds the lock of parent ([Lock]); [Update] and the exporter call it before writing into
// parent/name, so an interrupted run leaves neither a half-swapped tree nor stray staging
// directories behind.
func RecoverLeftovers(parent, name string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("list leftovers: %w", fsutil.OpWithoutPath(err))
	}
	var olds, rest []string
	for _, e := range entries {
		switch {
		case strings.HasPrefix(e.Name(), "."+name+oldInfix):
			olds = append(olds, e.Name())
		case strings.HasPrefix(e.Name(), "."+name+TempInfix):
			rest = append(rest, e.Name())
		}
	}
	target := filepath.Join(parent, name)
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		if len(olds) > 1 {
			return fmt.Errorf("interrupted updates left %d old trees (%s) and no current one: rename the right one to %s", len(olds), strings.Join(olds, ", "), name)
		}
		if err := os.Rename(filepath.Join(parent, olds[0]), target); err != nil {
			return fmt.Errorf("restore old tree: %w", fsutil.OpWithoutPath(err))
		}
		if err := atomicfile.SyncDir(parent); err != nil {
			return err
		}
		olds = nil
	}
	for _, n := range append(olds, rest...) {
		if err := os.RemoveAll(filepath.Join(parent, n)); err != nil {
			return fmt.Errorf("remove leftover %s: %w", n, fsutil.OpWithoutPath(err))
		}
	}
	return nil
}

// plan lists what replacing the scanned directory with files changes.
func plan(cur scanResult, files []File) Changes {
	if !cur.exists && len(files) == 0 {
		return Changes{}
	}
	var ch Changes
	old := make(map[string][]byte, len(cur.tree.Files))
	for _, f := range cur.tree.Files {
		old[f.Path] = f.Content
	}
	seen := make(map[string]bool, len(files))
	for _, f := range files {
		seen[f.Path] = true
		content, ok := old[f.Path]
		switch {
		case !ok:
			ch.Added = append(ch.Added, f.Path)
		case !bytes.Equal(content, f.Content) || cur.badModes[f.Path]:
			ch.Changed = append(ch.Changed, f.Path)
		}
	}
	for _, f := range cur.tree.Files {
		if !seen[f.Path] {
			ch.Removed = append(ch.Removed, f.Path)
		}
	}
	for _, u := range cur.tree.Unexpected {
		ch.Removed = append(ch.Removed, u.Path)
	}
	for p := range cur.badModes {
		if p == "." || (strings.HasSuffix(p, "/") && dirUsed(p, files)) {
			ch.Changed = append(ch.Changed, p)
		}
	}
	sort.Strings(ch.Added)
	sort.Strings(ch.Changed)
	sort.Strings(ch.Removed)
	return ch
}

// dirUsed reports whether directory dir (ending in "/") holds one of files.
func dirUsed(dir string, files []File) bool {
	for _, f := range files {
		if strings.HasPrefix(f.Path, dir) {
			return true
		}
	}
	return false
}

// ensureParent creates the directories above the target, refusing symbolic links below Root.
func ensureParent(t Target) error {
	if t.Root == "" {
		if err := os.MkdirAll(filepath.Dir(t.osPath()), DirMode); err != nil {
			return fmt.Errorf("create parent: %w", fsutil.OpWithoutPath(err))
		}
		return nil
	}
	cur := t.Root
	parts := strings.Split(t.Dir, "/")
	for i, part := range parts[:len(parts)-1] {
		cur = filepath.Join(cur, part)
		shown := strings.Join(parts[:i+1], "/")
		info, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			if err := os.Mkdir(cur, DirMode); err != nil && !errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("create %s: %w", shown, fsutil.OpWithoutPath(err))
			}
			if err := os.Chmod(cur, DirMode); err != nil {
				return fmt.Errorf("chmod %s: %w", shown, fsutil.OpWithoutPath(err))
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("inspect %s: %w", shown, fsutil.OpWithoutPath(err))
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link: kforge does not follow links in output directories", shown)
		}
		if !info.IsDir() {
			return fmt.Errorf("%s is not a directory", shown)
		}
	}
	return nil
}

// syncEach fsyncs every file of paths, then every directory of dirs (deepest first), below root.
func syncEach(root *os.Root, paths, dirs []string) error {
	for _, p := range paths {
		f, err := root.Open(p)
		if err != nil {
			return fmt.Errorf("sync %s: %w", p, fsutil.OpWithoutPath(err))
		}
		err = f.Sync()
		// Sync has reported the write-back errors; closing the read-only descriptor adds none.
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("sync %s: %w", p, fsutil.OpWithoutPath(err))
		}
	}
	for _, d := range dirs {
		if err := atomicfile.SyncDirIn(root, d); err != nil {
			return err
		}
	}
	return nil
}
