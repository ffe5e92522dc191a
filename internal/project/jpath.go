package project

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
)

// DefaultEntrypoint is the file Tanka evaluates when given a directory.
const DefaultEntrypoint = "main.jsonnet"

// Entrypoint resolves a path the way Tanka resolves an environment argument.
// path is a file or a directory, absolute or relative to the working
// directory, and must lie inside the repository. For a directory the entry
// file name is main.jsonnet, for a file its own name. The base is the nearest
// directory from the path up to the root that holds a file of that name;
// entrypoint is that file. Both are returned repository-relative. A
// *NoBaseError reports that no such directory exists.
func (p *Project) Entrypoint(pathArg string) (base, entrypoint string, err error) {
	abs, err := filepath.Abs(pathArg)
	if err != nil {
		return "", "", fmt.Errorf("resolve %s: %w", pathArg, err)
	}
	rel := p.Rel(abs)
	if escapes(rel) {
		return "", "", fmt.Errorf("resolve environment %s: the path is outside the repository", rel)
	}
	fi, err := os.Stat(p.Abs(rel))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("resolve environment %s: no such file or directory", rel)
		}
		return "", "", fmt.Errorf("resolve environment %s: %w", rel, err)
	}
	dir, name := rel, DefaultEntrypoint
	if !fi.IsDir() {
		dir, name = path.Dir(rel), path.Base(rel)
	}
	for d := dir; ; d = path.Dir(d) {
		fi, err := os.Stat(p.Abs(path.Join(d, name)))
		if err == nil && !fi.IsDir() {
			return d, path.Join(d, name), nil
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", "", fmt.Errorf("resolve environment %s: %w", rel, err)
		}
		if d == "." {
			return "", "", &NoBaseError{Path: dir, File: name}
		}
	}
}

// JPath returns the Jsonnet import directories for an environment whose base
// directory is base (repository-relative), in Tanka's search order after the
// importing file's own directory: the base, the configured lib directory,
// base/vendor, then the configured vendor directory. All entries are
// repository-relative and slash separated; duplicates are dropped.
func (p *Project) JPath(base string) []string {
	base = path.Clean(filepath.ToSlash(base))
	dirs := []string{base, p.Config.Lib, path.Join(base, "vendor"), p.Config.Vendor}
	out := make([]string, 0, len(dirs))
	for _, d := range dirs {
		d = path.Clean(d)
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}
