// Package jsonnetfmt formats Jsonnet files the way `tk fmt` does: go-jsonnet's formatter with
// its default options, over the .jsonnet and .libsonnet files found below the given paths,
// leaving out hidden files and vendor directories unless told otherwise.
package jsonnetfmt

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/gobwas/glob"
	"github.com/google/go-jsonnet/formatter"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
)

// DefaultExcludes are tk fmt's default exclusions, matched against the slash path of each file
// found below a directory argument: hidden files and directories, and vendor directories.
func DefaultExcludes() []string {
	return []string{"**/.*", ".*", "**/vendor/**", "vendor/**"}
}

// Options choose what Run does.
type Options struct {
	// Excludes are glob patterns (gobwas/glob syntax, as tk takes them) of files to leave out
	// when walking a directory; a file named directly is always formatted.
	Excludes []string
	// Write replaces each file that is not formatted with its formatted content, atomically.
	Write bool
}

// Result is one file's outcome.
type Result struct {
	// Path is the file as found: the argument itself, or the argument joined with the path
	// below it.
	Path string
	// Changed reports that the file is not formatted.
	Changed bool
	// Formatted is the file's formatted content.
	Formatted string
}

// Run formats the .jsonnet and .libsonnet files of paths (files are taken as they are,
// directories walked in lexical order) and returns one Result per file, in order. With
// opts.Write the files that change are rewritten. The first file that does not parse stops the
// run with an error naming its file, line and column.
func Run(paths []string, opts Options) ([]Result, error) {
	excludes := make([]*glob.Pattern, len(opts.Excludes))
	for i, e := range opts.Excludes {
		g, err := glob.Compile(e)
		if err != nil {
			return nil, fmt.Errorf("parse exclude pattern %q: %w", e, err)
		}
		excludes[i] = g
	}
	var files []string
	for _, p := range paths {
		found, err := find(p, excludes)
		if err != nil {
			return nil, err
		}
		files = append(files, found...)
	}
	results := make([]Result, 0, len(files))
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f, fsutil.WithoutPath(err))
		}
		formatted, err := Format(f, string(content))
		if err != nil {
			return nil, err
		}
		r := Result{Path: f, Changed: formatted != string(content), Formatted: formatted}
		if r.Changed && opts.Write {
			if err := write(f, formatted); err != nil {
				return nil, err
			}
		}
		results = append(results, r)
	}
	return results, nil
}

// Format returns content, the Jsonnet file name, formatted with go-jsonnet's default options
// (two-space indentation, single quotes, as jsonnetfmt and tk fmt).
func Format(name, content string) (string, error) {
	out, err := formatter.Format(name, content, formatter.DefaultOptions())
	if err != nil {
		return "", fmt.Errorf("format %w", err)
	}
	return out, nil
}

// find lists the Jsonnet files of target: target itself when it is a file, else every
// .jsonnet and .libsonnet file below it that no exclusion matches.
func find(target string, excludes []*glob.Pattern) ([]string, error) {
	fi, err := os.Stat(target)
	if err != nil {
		return nil, fmt.Errorf("find Jsonnet files in %s: %w", target, fsutil.WithoutPath(err))
	}
	if !fi.IsDir() {
		return []string{target}, nil
	}
	var files []string
	err = filepath.WalkDir(target, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		slash := filepath.ToSlash(p)
		for _, g := range excludes {
			if g.Match(slash) {
				return nil
			}
		}
		if ext := filepath.Ext(p); ext == ".jsonnet" || ext == ".libsonnet" {
			files = append(files, slash)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find Jsonnet files in %s: %w", target, fsutil.WithoutPath(err))
	}
	return files, nil
}

// write replaces file with content atomically, keeping its mode.
func write(file, content string) error {
	fi, err := os.Stat(file)
	if err != nil {
		return fmt.Errorf("write %s: %w", file, fsutil.WithoutPath(err))
	}
	err = atomicfile.Write(file, atomicfile.Options{Perm: fi.Mode().Perm()}, func(w io.Writer) error {
		_, err := io.WriteString(w, content)
		return err
	})
	if err != nil {
		return fmt.Errorf("write %s: %w", file, fsutil.WithoutPath(err))
	}
	return nil
}
