package affected

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

	gojsonnet "github.com/google/go-jsonnet"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/jsonnet"
)

// Dependencies lists the files the Jsonnet program entrypoint depends on, without evaluating
// it: entrypoint itself and every file reachable through import, importstr and importbin, in
// branches the evaluation takes or not, found with go-jsonnet's FindDependencies. root is the
// absolute repository root; jpath and entrypoint are repository-relative, jpath in kforge's
// search order (first wins: the importing file's directory, then jpath[0], jpath[1], ...).
// Paths are repository-relative and sorted; a symlink adds the file it leads to. Files outside
// root (which the sandboxed evaluation refuses anyway) are left out. `import 'tk'` is served
// as an empty object, since Tanka's environment import names no file.
//
// go-jsonnet v0.22.0's FindDependencies skips imports inside object-level asserts (its AST
// walk does not visit them); Dependencies closes the set with its own scan of every file found,
// replaying kforge's import search, so those files are included too.
//
// Imports that external variable or top-level argument code makes are not included: pass that
// code to Scanner.Misses, or rely on a recorded read set.
//
// An import that finds no file does not fail Dependencies (see below); ImportClosure does.
func Dependencies(root string, jpath []string, entrypoint string) ([]string, error) {
	return dependencies(root, jpath, entrypoint, false)
}

// ImportClosure is Dependencies for `tool imports`: as tk's, it fails when an import reachable
// from entrypoint finds no file, with go-jsonnet's message naming the import.
func ImportClosure(root string, jpath []string, entrypoint string) ([]string, error) {
	return dependencies(root, jpath, entrypoint, true)
}

// dependencies implements Dependencies, and ImportClosure when strict.
func dependencies(root string, jpath []string, entrypoint string, strict bool) ([]string, error) {
	root = filepath.Clean(root)
	if !filepath.IsAbs(root) {
		return nil, fmt.Errorf("find dependencies of %s: repository root must be absolute", entrypoint)
	}
	entry := path.Clean(filepath.ToSlash(entrypoint))
	if !isLocal(entry) {
		return nil, fmt.Errorf("find dependencies of %s: the path is outside the repository", entry)
	}
	// go-jsonnet's FileImporter searches JPaths from the last to the first entry.
	jp := make([]string, len(jpath))
	for i, d := range jpath {
		jp[len(jpath)-1-i] = filepath.Join(root, filepath.FromSlash(d))
	}
	vm := gojsonnet.MakeVM()
	vm.Importer(&tkImporter{files: &gojsonnet.FileImporter{JPaths: jp}, tk: gojsonnet.MakeContents("{}")})
	abs := filepath.Join(root, filepath.FromSlash(entry))
	if _, err := os.Stat(abs); err != nil {
		return nil, fmt.Errorf("find dependencies of %s: %w", entry, fsutil.WithoutPath(err))
	}
	found, err := vm.FindDependencies("", []string{abs})
	if err != nil && (strict || !isMissingImport(err)) {
		return nil, fmt.Errorf("find dependencies of %s: %w", entry, relativeError(err, root))
	}
	// An import that finds nothing stops FindDependencies; closeImports below follows every
	// import that does find a file and records the others as misses, so the read set stays
	// exact (creating the missing file is a change that selects the environment).
	out := []string{entry}
	for _, f := range found {
		if f == tkFoundAt || !filepath.IsAbs(f) {
			continue
		}
		if rel, ok := relTo(root, f); ok && rel != entry {
			out = append(out, rel)
		}
	}
	out, err = closeImports(root, jpath, out)
	if err != nil {
		return nil, fmt.Errorf("find dependencies of %s: %w", entry, err)
	}
	// The jsonnet package records the target of a symlink too.
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("find dependencies of %s: resolve repository root: %w", entry, fsutil.WithoutPath(err))
	}
	seen := make(map[string]bool, len(out))
	for _, f := range out {
		seen[f] = true
	}
	for _, f := range out {
		resolved, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(f)))
		if err != nil {
			continue
		}
		if rel, ok := relTo(realRoot, resolved); ok && !seen[rel] {
			seen[rel] = true
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out, nil
}

// closeImports adds to files every file reachable from them through imports that
// FindDependencies did not follow. An import that finds nothing is left alone: it sits in a
// branch that FindDependencies did not check either, and the evaluation reports it if taken.
func closeImports(root string, jpath, files []string) ([]string, error) {
	p, err := NewScanner().Probe(root, jpath, files, nil)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(p.Files))
	for f := range p.Files {
		out = append(out, f)
	}
	return out, nil
}

// isMissingImport reports whether err is go-jsonnet's "couldn't open import" error.
func isMissingImport(err error) bool {
	return strings.Contains(err.Error(), "couldn't open import")
}

// relTo returns the repository-relative slash form of the absolute p, and false when p is not
// inside root.
func relTo(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "", false
	}
	rel = filepath.ToSlash(rel)
	return rel, isLocal(rel) && rel != "."
}

// relativeError rewrites the absolute paths go-jsonnet puts in its messages.
func relativeError(err error, root string) error {
	return errors.New(strings.ReplaceAll(err.Error(), root+string(filepath.Separator), ""))
}

// tkFoundAt is the name tkImporter gives `import 'tk'`; it is not an absolute path, so no file
// found by FindDependencies can take it.
const tkFoundAt = "<tk>"

// tkImporter is go-jsonnet's FileImporter plus Tanka's virtual `import 'tk'`, which would
// otherwise fail the whole dependency search. Contents for tk is created once, as go-jsonnet
// requires the same value for the same foundAt.
type tkImporter struct {
	files *gojsonnet.FileImporter
	tk    gojsonnet.Contents
}

// Import implements gojsonnet.Importer.
func (i *tkImporter) Import(importedFrom, importedPath string) (gojsonnet.Contents, string, error) {
	if importedPath == jsonnet.TkImport {
		return i.tk, tkFoundAt, nil
	}
	return i.files.Import(importedFrom, importedPath)
}

// ReadSet returns a complete read set for an environment that has no recorded one: the
// Dependencies of entrypoint, the files that external variable and top-level argument code
// (jsonnet.Options.ExtCode and TLACode values) import, the Helm charts a literal in them
// names (chartReads), and the misses of all their import searches. It fills an Env with MissesKnown set. s may be shared by calls for many
// environments.
func ReadSet(s *Scanner, root string, jpath []string, entrypoint string, code []string) (reads, misses []string, err error) {
	deps, err := Dependencies(root, jpath, entrypoint)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Probe(root, jpath, deps, code)
	if err != nil {
		return nil, nil, fmt.Errorf("find dependencies of %s: %w", entrypoint, err)
	}
	reads = make([]string, 0, len(p.Files))
	for f := range p.Files {
		reads = append(reads, f)
	}
	charts, err := s.chartReads(root, reads)
	if err != nil {
		return nil, nil, fmt.Errorf("find the charts %s renders: %w", entrypoint, err)
	}
	reads = append(reads, charts...)
	sort.Strings(reads)
	return reads, p.Misses, nil
}

// Native functions that read repository files no import names (the kustomization files,
// bases and patches of kustomizeBuild; the chart files of helmTemplate).
const (
	nativeKustomizeBuild = "kustomizeBuild"
	nativeHelmTemplate   = "helmTemplate"
)

// CallsFileNatives reports whether one of files (repository-relative, under root) mentions a
// native function that reads files no import names. A static read set (ReadSet) of such an
// environment is incomplete: only an evaluation records what the function read. The check is
// textual, so a mention in a comment counts too, which only costs an evaluation. seen, when not
// nil, remembers the answer per file across calls (environments share their libraries).
func CallsFileNatives(root string, files []string, seen map[string]bool) (bool, error) {
	for _, f := range files {
		if jsonnet.IsDirRead(f) {
			continue // a directory listing (a Helm chart's): names only, no code
		}
		mentions, known := seen[f]
		if !known {
			data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f)))
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return false, fmt.Errorf("read %s: %w", f, fsutil.WithoutPath(err))
			}
			mentions = bytes.Contains(data, []byte(nativeKustomizeBuild)) || bytes.Contains(data, []byte(nativeHelmTemplate))
			if seen != nil {
				seen[f] = mentions
			}
		}
		if mentions {
			return true, nil
		}
	}
	return false, nil
}
