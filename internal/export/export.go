// Package export writes rendered manifests into a directory the way `tk export` does: file names
// from a Tanka-compatible template, Tanka's merge strategies, and the manifest.json index that
// maps every file to the environment that made it. The files are written through the golden
// store's primitives: a new or replaced directory is swapped in whole, merged files are each
// written atomically, under the lock of the directory's parent. [Stream] does the same while the
// files are still being produced, writing a new directory's files as they arrive.
package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/kforge/kforge/internal/atomicfile"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/golden"
)

// manifestFile is Tanka's index of exported files: a JSON object mapping each file, relative to
// the export directory, to the entrypoint of the environment that made it.
const manifestFile = "manifest.json"

// MergeStrategy says what Export does when the target directory already holds files; the
// values are Tanka's --merge-strategy values.
type MergeStrategy string

// The merge strategies.
const (
	// MergeNone refuses a directory that is not empty.
	MergeNone MergeStrategy = ""
	// MergeFailOnConflicts adds files to a non-empty directory but fails, before writing
	// anything, when one of them exists already.
	MergeFailOnConflicts MergeStrategy = "fail-on-conflicts"
	// MergeReplaceEnvs first drops the files that manifest.json attributes to the exported (or
	// deleted) environments, then adds the new ones, failing on any other existing file.
	MergeReplaceEnvs MergeStrategy = "replace-envs"
)

// ParseMergeStrategy parses a --merge-strategy value ("" and "none" mean MergeNone).
func ParseMergeStrategy(s string) (MergeStrategy, error) {
	switch s {
	case "", "none":
		return MergeNone, nil
	case string(MergeFailOnConflicts), string(MergeReplaceEnvs):
		return MergeStrategy(s), nil
	}
	return "", fmt.Errorf("parse merge strategy %q: want fail-on-conflicts or replace-envs", s)
}

// File is one rendered resource to export.
type File struct {
	// Object is the manifest object: the data of the file name template (.kind, .metadata.name).
	Object map[string]any
	// Content is what is written to the file (the canonical YAML).
	Content []byte
	// Env is the environment object without its data: what {{env.metadata.name}} reads.
	Env map[string]any
	// Entrypoint is the environment's entrypoint as Tanka records it in manifest.json (its
	// metadata.namespace, e.g. "environments/prod/main.jsonnet").
	Entrypoint string
	// Resource identifies the resource in messages.
	Resource string
}

// Options tune [Export].
type Options struct {
	// Format is the file name template; empty means DefaultFormat.
	Format string
	// Extension is the file extension without the dot; empty means "yaml".
	Extension string
	// Merge is what to do when the directory is not empty.
	Merge MergeStrategy
	// Replace replaces the directory's whole content atomically, as Update does; it refuses a
	// directory holding anything but manifests and manifest.json. It excludes Merge.
	Replace bool
	// Envs are the entrypoints of every exported environment, so that replace-envs also drops
	// the old files of one that renders nothing now. Entrypoints of Files are added to them.
	Envs []string
	// DeletedEnvs are entrypoints of environments deleted since the last export whose files are
	// dropped too (Tanka's --merge-deleted-envs).
	DeletedEnvs []string
	// Manifest writes manifest.json mapping every file to its environment's entrypoint.
	Manifest bool
}

// Result says what Export did. Paths are relative to the export directory and sorted.
type Result struct {
	// Written are the files written (manifest.json included).
	Written []string
	// Unchanged are files that already held the exported bytes and were left alone.
	Unchanged []string
	// Deleted are files of re-exported or deleted environments that were removed.
	Deleted []string
	// Warnings say what could not be done as asked, e.g. replace-envs without manifest.json.
	Warnings []string
}

// Export writes files into dir (a path as the user gave it) with Tanka-compatible file names.
//
// Without a merge strategy dir must be missing or empty, and it is filled atomically: the files
// are staged beside it and swapped in, so a failure leaves nothing behind. With Replace, dir's
// old content (only manifests and manifest.json) is swapped out the same way. With a merge
// strategy, conflicts are checked before anything is written, each file is written atomically
// (staged and renamed) and manifest.json is written last; a crash in the middle can leave some
// files new and some old, and manifest.json still describing the previous export.
func Export(dir string, files []File, opts Options) (Result, error) {
	var res Result
	if opts.Replace && opts.Merge != MergeNone {
		return res, fmt.Errorf("export into %s: replace and a merge strategy exclude each other", dir)
	}
	out, index, err := exportNames(files, opts)
	if err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	abs, err := exportDir(dir)
	if err != nil {
		return res, err
	}
	parent, name := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, golden.DirMode); err != nil {
		return res, fmt.Errorf("export into %s: create parent: %w", dir, fsutil.OpWithoutPath(err))
	}
	release, err := golden.Lock(parent)
	if err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	defer release()
	if err := golden.RecoverLeftovers(parent, name); err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	exists, empty, err := dirState(abs)
	if err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	if opts.Merge != MergeNone && exists && !empty {
		return mergeInPlace(dir, abs, out, index, opts)
	}
	switch {
	case opts.Replace && exists && !empty:
		if reason := golden.NotOutput(abs, manifestFile); reason != "" {
			return res, &UnsafeDirError{Dir: dir, Reason: reason}
		}
	case exists && !empty:
		return res, &NotEmptyError{Dir: dir}
	}
	if opts.Manifest && len(index) > 0 {
		content, err := json.MarshalIndent(index, "", "    ")
		if err != nil {
			return res, fmt.Errorf("export into %s: encode %s: %w", dir, manifestFile, err)
		}
		out = append(out, golden.File{Path: manifestFile, Content: content})
	}
	if err := golden.ReplaceDir(parent, name, exists, out); err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	for _, f := range out {
		res.Written = append(res.Written, f.Path)
	}
	sort.Strings(res.Written)
	return res, nil
}

// exportNames names every file with the template and returns them with the manifest.json
// index (file → entrypoint).
func exportNames(files []File, opts Options) ([]golden.File, map[string]string, error) {
	nt, err := newNameTemplate(opts.Format, opts.Extension)
	if err != nil {
		return nil, nil, err
	}
	out := make([]golden.File, 0, len(files))
	index := make(map[string]string, len(files))
	for _, f := range files {
		p, err := nt.name(f.Object, f.Env, f.Resource)
		if err != nil {
			return nil, nil, err
		}
		if p == manifestFile {
			return nil, nil, &golden.PathError{Path: p, Resource: f.Resource, Reason: "reserved for the export index"}
		}
		out = append(out, golden.File{Path: p, Content: f.Content, Resource: f.Resource})
		index[p] = f.Entrypoint
	}
	if err := golden.ValidateFiles(out); err != nil {
		return nil, nil, err
	}
	return out, index, nil
}

// exportDir resolves the export directory: a symbolic link to a directory is followed, so that
// the directory it names is filled rather than the link replaced.
func exportDir(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("export into %s: %w", dir, err)
	}
	if info, err := os.Lstat(abs); err == nil && info.Mode()&fs.ModeSymlink != 0 {
		resolved, err := filepath.EvalSymlinks(abs)
		if err != nil {
			return "", fmt.Errorf("export into %s: %w", dir, fsutil.OpWithoutPath(err))
		}
		abs = resolved
	}
	if strings.Contains(filepath.Base(abs), ".kforge-") {
		return "", fmt.Errorf("export into %s: directory names containing \".kforge-\" are reserved", dir)
	}
	return abs, nil
}

// dirState reports whether dir exists and whether it is empty.
func dirState(dir string) (exists, empty bool, err error) {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return false, true, nil
	}
	if err != nil {
		return false, false, fsutil.OpWithoutPath(err)
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return false, false, fsutil.OpWithoutPath(err)
	}
	if !info.IsDir() {
		return false, false, errors.New("not a directory")
	}
	names, err := f.Readdirnames(1)
	if errors.Is(err, io.EOF) {
		return true, true, nil
	}
	if err != nil {
		return false, false, fsutil.OpWithoutPath(err)
	}
	return true, len(names) == 0, nil
}

// mergeInPlace adds files to a non-empty export directory.
func mergeInPlace(dir, abs string, files []golden.File, index map[string]string, opts Options) (Result, error) {
	var res Result
	root, err := os.OpenRoot(abs)
	if err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, fsutil.OpWithoutPath(err))
	}
	defer func() { _ = root.Close() }()
	old, found, err := readIndex(root)
	if err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	drop := map[string]bool{}
	for _, e := range opts.DeletedEnvs {
		drop[e] = true
	}
	if opts.Merge == MergeReplaceEnvs {
		for _, e := range opts.Envs {
			drop[e] = true
		}
		for _, e := range index {
			drop[e] = true
		}
	}
	if len(drop) > 0 && !found {
		res.Warnings = append(res.Warnings, fmt.Sprintf("no %s in %s: files of earlier exports of these environments cannot be found and were not deleted", manifestFile, dir))
	}
	owned := map[string]bool{}
	for p, e := range old {
		if !drop[e] {
			continue
		}
		if err := golden.ValidatePath(p, ""); err != nil {
			return res, fmt.Errorf("export into %s: %s lists an unsafe path: %w", dir, manifestFile, err)
		}
		owned[p] = true
	}
	var conflicts []string
	for _, f := range files {
		if owned[f.Path] {
			continue
		}
		if clash := occupied(root, f.Path); clash != "" {
			conflicts = append(conflicts, clash)
		}
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		return res, &ConflictError{Dir: dir, Paths: slices.Compact(conflicts)}
	}
	if err := removeStagedFiles(root, files); err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	written := map[string]bool{}
	for _, f := range files {
		written[f.Path] = true
		if owned[f.Path] {
			if cur, err := root.ReadFile(f.Path); err == nil && bytes.Equal(cur, f.Content) {
				res.Unchanged = append(res.Unchanged, f.Path)
				continue
			}
		}
		if err := writeFile(root, f.Path, f.Content); err != nil {
			return res, fmt.Errorf("export into %s: %w", dir, err)
		}
		res.Written = append(res.Written, f.Path)
	}
	for p := range owned {
		if written[p] {
			continue
		}
		if err := root.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return res, fmt.Errorf("export into %s: remove %s: %w", dir, p, fsutil.OpWithoutPath(err))
		}
		res.Deleted = append(res.Deleted, p)
		pruneEmptyDirs(root, path.Dir(p))
	}
	if opts.Manifest {
		merged := map[string]string{}
		for p, e := range old {
			if !owned[p] {
				merged[p] = e
			}
		}
		for p, e := range index {
			merged[p] = e
		}
		content, err := json.MarshalIndent(merged, "", "    ")
		if err != nil {
			return res, fmt.Errorf("export into %s: encode %s: %w", dir, manifestFile, err)
		}
		if err := writeFile(root, manifestFile, content); err != nil {
			return res, fmt.Errorf("export into %s: %w", dir, err)
		}
		res.Written = append(res.Written, manifestFile)
	}
	if err := atomicfile.SyncDirIn(root, "."); err != nil {
		return res, fmt.Errorf("export into %s: %w", dir, err)
	}
	sort.Strings(res.Written)
	sort.Strings(res.Unchanged)
	sort.Strings(res.Deleted)
	return res, nil
}

// readIndex reads manifest.json below root, reporting whether it exists.
func readIndex(root *os.Root) (map[string]string, bool, error) {
	content, err := root.ReadFile(manifestFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read %s: %w", manifestFile, fsutil.OpWithoutPath(err))
	}
	var index map[string]string
	if err := json.Unmarshal(content, &index); err != nil {
		return nil, false, fmt.Errorf("read %s: %w", manifestFile, err)
	}
	return index, true, nil
}

// occupied returns the path (p or one of its directories) that already exists below root in a
// way that writing p would clobber, or "".
func occupied(root *os.Root, p string) string {
	parts := strings.Split(p, "/")
	for i := 1; i < len(parts); i++ {
		d := strings.Join(parts[:i], "/")
		info, err := root.Lstat(d)
		if errors.Is(err, fs.ErrNotExist) {
			return ""
		}
		if err != nil || !info.IsDir() {
			return d
		}
	}
	if _, err := root.Lstat(p); errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return p
}

// writeFile writes content to name below root through a staged file (".<name>.kforge-tmp-*",
// which removeStagedFiles finds after a crash) that is durable before it is renamed into place.
func writeFile(root *os.Root, name string, content []byte) error {
	return atomicfile.WriteIn(root, name, content, atomicfile.Options{
		Temp: "." + path.Base(name) + golden.TempInfix + "*", Perm: golden.FileMode, Sync: true,
	})
}

// pruneEmptyDirs removes dir and its parents below root while they are empty.
func pruneEmptyDirs(root *os.Root, dir string) {
	for ; dir != "." && dir != "/"; dir = path.Dir(dir) {
		if root.Remove(dir) != nil {
			return
		}
	}
}

// removeStagedFiles deletes files staged by an interrupted export (".<name>.kforge-tmp-*")
// in the directories files are written to.
func removeStagedFiles(root *os.Root, files []golden.File) error {
	dirs := map[string]bool{".": true}
	for _, f := range files {
		dirs[path.Dir(f.Path)] = true
	}
	for d := range dirs {
		entries, err := fs.ReadDir(root.FS(), d)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("list %s: %w", d, fsutil.OpWithoutPath(err))
		}
		for _, e := range entries {
			if e.Type().IsRegular() && strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), golden.TempInfix) {
				if err := root.Remove(path.Join(d, e.Name())); err != nil {
					return fmt.Errorf("remove leftover %s: %w", path.Join(d, e.Name()), fsutil.OpWithoutPath(err))
				}
			}
		}
	}
	return nil
}
