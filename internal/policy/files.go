package policy

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kforge/kforge/internal/fsutil"
)

// checkFiles vets every file the loader would read from the policy directories and every data
// file before anything is read: each must be a regular file, and a symbolic link must lead to
// a file inside the repository (or, for a policy directory outside the repository, inside that
// directory). A named pipe or device would block the loader forever, and a link leading
// outside would make kforge read, for example, a credentials file as policy data, whose values
// a policy could then copy into a report.
func (e *Engine) checkFiles(policyPaths, dataFiles []string) error {
	var errs Errors
	bad := func(p, msg string) {
		errs = append(errs, &Error{Kind: KindLoad, File: e.rel(p), Message: msg})
	}
	for _, dir := range policyPaths {
		allowed := e.allowedBase(dir)
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p == dir {
				return nil
			}
			if d.IsDir() {
				if strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if !loadedByName(d.Name()) {
				return nil
			}
			if msg := vetFile(p, allowed); msg != "" {
				bad(p, msg)
			}
			return nil
		})
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, &Error{Kind: KindLoad, Message: fmt.Sprintf("read policy directory %s: %v", e.rel(dir), fsutil.WithoutPath(err)), Err: err})
		}
	}
	for _, p := range dataFiles {
		if msg := vetFile(p, ""); msg != "" {
			bad(p, msg)
		}
	}
	if len(errs) > 0 {
		return errs.simplify()
	}
	return nil
}

// allowedBase is where the links of a policy directory may lead: the repository when the
// directory is inside it, else the directory itself. Both are resolved.
func (e *Engine) allowedBase(dir string) string {
	base := dir
	if e.root != "" {
		if rel, err := filepath.Rel(e.root, dir); err == nil && filepath.IsLocal(rel) {
			base = e.root
		}
	}
	if resolved, err := filepath.EvalSymlinks(base); err == nil {
		return resolved
	}
	return base
}

// loadedByName reports whether the loader reads a file of this name (see policyFileFilter).
func loadedByName(name string) bool {
	return strings.HasSuffix(name, ".rego") || name == "data.json" || name == "data.yaml" || name == "data.yml"
}

// vetFile explains why p must not be read, or returns "". A non-empty allowed is the resolved
// directory a symbolic link must lead into.
func vetFile(p, allowed string) string {
	fi, err := os.Lstat(p)
	if err != nil {
		return fsutil.WithoutPath(err).Error()
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(p)
		if err != nil {
			return "a symbolic link that cannot be followed: " + fsutil.WithoutPath(err).Error()
		}
		if allowed != "" {
			if rel, err := filepath.Rel(allowed, resolved); err != nil || !filepath.IsLocal(rel) {
				return "a symbolic link leading outside the repository is not read"
			}
		}
		if fi, err = os.Stat(resolved); err != nil {
			return fsutil.WithoutPath(err).Error()
		}
	}
	if !fi.Mode().IsRegular() {
		return "not a regular file (" + fsutil.FileType(fi.Mode()) + ")"
	}
	return ""
}
