package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/kforge/kforge/internal/fsutil"
)

// MaxFileSize bounds one file read from an environment directory or git tree. Kubernetes
// stores objects of at most ~1.5 MiB, so anything larger is not a manifest.
const MaxFileSize = 16 << 20

// Modes of everything kforge writes.
const (
	// FileMode is the mode of every file kforge writes.
	FileMode fs.FileMode = 0o644
	// DirMode is the mode of every directory kforge writes.
	DirMode fs.FileMode = 0o755
)

// ReadDir reads an environment directory: its .yaml files (with Resource, Kind and Secret taken
// from their content) and the entries that do not belong there. Symbolic links are never
// followed: a link anywhere from t.Root down to t.Dir is an error, a link inside is reported
// as unexpected. A missing directory is an empty Tree.
func ReadDir(t Target) (Tree, error) {
	s, err := scanLocked(t)
	if err != nil {
		return Tree{}, err
	}
	for i := range s.tree.Files {
		fillMeta(&s.tree.Files[i])
	}
	return s.tree, nil
}

// ReadDirContent is ReadDir without the metadata: files carry their Path and Content only, for
// callers that parse the files themselves (or mostly need not). DiffSets works on either.
func ReadDirContent(t Target) (Tree, error) {
	s, err := scanLocked(t)
	if err != nil {
		return Tree{}, err
	}
	return s.tree, nil
}

// scanResult is what scan found in an environment directory.
type scanResult struct {
	tree     Tree
	exists   bool            // the directory exists
	badModes map[string]bool // files not 0644, directories ("a/", "." for the top) not 0755
}

// scanLocked scans under the directory's lock when the lock can be taken; a read-only
// checkout, where no lock file can be created, is read without it.
func scanLocked(t Target) (scanResult, error) {
	if err := t.check(); err != nil {
		return scanResult{}, err
	}
	abs := t.osPath()
	l, err := acquireLock(filepath.Dir(abs), lockTimeout)
	switch {
	case err == nil:
		defer l.release()
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist), isReadOnly(err):
		// Nothing can write here either, so there is nothing to wait for.
	default:
		return scanResult{}, fmt.Errorf("read %s: %w", t.Dir, err)
	}
	return scan(t)
}

// scan reads the environment directory without locking.
func scan(t Target) (scanResult, error) {
	res := scanResult{badModes: map[string]bool{}}
	abs := t.osPath()
	ok, err := checkChain(t)
	if err != nil || !ok {
		return res, err
	}
	// Everything below is read through one handle, so it describes one directory even when an
	// update swaps another into its place meanwhile.
	root, err := os.OpenRoot(abs)
	if err != nil {
		return res, fmt.Errorf("read %s: %w", t.Dir, fsutil.OpWithoutPath(err))
	}
	defer func() { _ = root.Close() }()
	info, err := root.Stat(".")
	if err != nil {
		return res, fmt.Errorf("read %s: %w", t.Dir, fsutil.OpWithoutPath(err))
	}
	if info.Mode().Perm() != DirMode {
		res.badModes["."] = true
	}
	res.exists = true
	w := walker{t: t, root: root, res: &res}
	if _, err := w.walk("."); err != nil {
		return res, err
	}
	res.tree.Unexpected = w.unexpected
	return res, nil
}

// checkChain verifies that no component from t.Root down to t.Dir is a symbolic link and that
// all of them are directories. It reports false when the directory does not exist.
func checkChain(t Target) (bool, error) {
	if t.Root == "" {
		info, err := os.Stat(t.osPath())
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read %s: %w", t.Dir, fsutil.OpWithoutPath(err))
		}
		if !info.IsDir() {
			return false, fmt.Errorf("read %s: not a directory", t.Dir)
		}
		return true, nil
	}
	cur := t.Root
	parts := strings.Split(t.Dir, "/")
	for i, part := range parts {
		cur = filepath.Join(cur, part)
		shown := strings.Join(parts[:i+1], "/")
		info, err := os.Lstat(cur)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read %s: %w", shown, fsutil.OpWithoutPath(err))
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return false, fmt.Errorf("read %s: %s is a symbolic link: kforge does not follow links in output directories", t.Dir, shown)
		}
		if !info.IsDir() {
			return false, fmt.Errorf("read %s: %s is not a directory", t.Dir, shown)
		}
	}
	return true, nil
}

// walker collects the files below an environment directory.
type walker struct {
	t          Target
	root       *os.Root
	res        *scanResult
	unexpected []Unexpected
}

// walk reads directory rel and reports whether any .yaml file lives below it. A directory
// without any .yaml file is reported as one unexpected entry instead of entry by entry.
func (w *walker) walk(rel string) (bool, error) {
	d, err := w.root.Open(rel)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", w.t.Display(rel), fsutil.OpWithoutPath(err))
	}
	// d stays open while its entries are listed and read: they are opened relative to it.
	defer func() { _ = d.Close() }()
	files, err := newDirFiles(d, w.root, rel)
	if err != nil {
		return false, fmt.Errorf("read %s: %w", w.t.Display(rel), err)
	}
	entries, err := files.list()
	if err != nil {
		return false, fmt.Errorf("read %s: %w", w.t.Display(rel), err)
	}
	hasYAML := false
	for _, e := range entries {
		p := path.Join(rel, e.name)
		typ := e.typ
		switch {
		case strings.HasPrefix(e.name, "."):
			w.add(p, typ.IsDir(), "hidden entry")
		case typ.IsDir():
			mark := len(w.unexpected)
			sub, err := w.walk(p)
			if err != nil {
				return false, err
			}
			if !sub {
				w.unexpected = w.unexpected[:mark]
				w.add(p, true, "directory without .yaml files")
				continue
			}
			hasYAML = true
			if perm, err := files.dirPerm(e.name); err != nil || perm != DirMode {
				w.res.badModes[p+"/"] = true
			}
		case typ&fs.ModeSymlink != 0:
			w.add(p, false, "symbolic link")
		case !typ.IsRegular():
			w.add(p, false, "special file")
		case !strings.HasSuffix(p, ".yaml"):
			w.add(p, false, "not a .yaml file")
		case pathProblem(p) != "":
			w.add(p, false, "unsafe file name: "+pathProblem(p))
		default:
			content, perm, err := files.read(e.name)
			if err != nil {
				return false, fmt.Errorf("read %s: %w", w.t.Display(p), err)
			}
			if perm != FileMode {
				w.res.badModes[p] = true
			}
			w.res.tree.Files = append(w.res.tree.Files, File{Path: p, Content: content})
			hasYAML = true
		}
	}
	return hasYAML, nil
}

// dirEntry is one entry of a directory: its name and the type bits of its mode.
type dirEntry struct {
	name string
	typ  fs.FileMode
}

func (w *walker) add(p string, dir bool, reason string) {
	if dir {
		p += "/"
	}
	w.unexpected = append(w.unexpected, Unexpected{Path: p, Reason: reason})
}
