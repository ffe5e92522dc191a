package project

import (
	"os"
	"path/filepath"
)

// WorkTreeRoot returns the root of the git work tree holding dir: the nearest
// directory at or above dir with a .git entry (a directory, or the file a
// linked work tree or submodule has). It reads no git configuration and runs
// no git; ok is false when no such directory exists.
func WorkTreeRoot(dir string) (root string, ok bool) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// PathPrefix returns dir relative to the root of its git work tree, with
// forward slashes ("deploy" for a kforge root in a monorepo's deploy/), or ""
// when dir is that root or in no work tree. Reports prefix their
// repository-relative paths with it, so that code scanning, annotations and
// links, which resolve paths from the work tree's root, find the files.
func PathPrefix(dir string) string {
	root, ok := WorkTreeRoot(dir)
	if !ok {
		return ""
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == "." {
		return ""
	}
	return filepath.ToSlash(rel)
}
