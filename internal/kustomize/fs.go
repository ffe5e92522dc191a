package kustomize

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"sigs.k8s.io/kustomize/api/konfig"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// FileRead is one file a build read.
type FileRead struct {
	// Path is repository-relative, slash separated.
	Path string
	// SHA256 is the lower-case hex sha256 of the file's content.
	SHA256 string
}

// FS is the file system kustomize builds on: the repository root presented as "/", read-only,
// confined to the root after following symlinks. It records what it read and what it looked
// for in vain, and refuses kustomization files that name remote content (see RemoteError).
// An FS serves one build; it is not safe for concurrent use.
type FS struct {
	// realRoot is the repository root with symlinks resolved.
	realRoot string
	// reads maps repository-relative paths to the sha256 of their content.
	reads map[string]string
	// misses are the repository-relative paths looked for that did not exist.
	misses map[string]bool
	// refused is the first refusal of the build: a remote reference or a path leaving the
	// root. Kustomize rewrites or swallows some file-system errors (a kustomization file that
	// cannot be read counts as absent), so the builder reports this one instead.
	refused error
}

var _ filesys.FileSystem = (*FS)(nil)

// newFS returns an FS over the resolved repository root realRoot.
func newFS(realRoot string) *FS {
	return &FS{realRoot: realRoot, reads: map[string]string{}, misses: map[string]bool{}}
}

// virtual cleans p into an absolute slash path of the virtual tree; relative paths start at
// "/". Cleaning keeps every path inside the tree ("/.." is "/").
func virtual(p string) string {
	p = filepath.ToSlash(p)
	if !path.IsAbs(p) {
		p = "/" + p
	}
	return path.Clean(p)
}

// repoPath turns the virtual path v into a repository-relative path ("." for the root).
func repoPath(v string) string {
	if v == "/" {
		return "."
	}
	return strings.TrimPrefix(v, "/")
}

// OutsideRootError is a path that leads, through a symlink, outside the repository root.
type OutsideRootError struct {
	// Path is the repository-relative path as kustomize asked for it.
	Path string
}

func (e *OutsideRootError) Error() string {
	return fmt.Sprintf("%s leads outside the repository root (through a symlink); kforge's kustomize reads only inside the repository", e.Path)
}

// resolve follows the symlinks of the virtual path v and returns the virtual path it leads
// to and its file information. A path that does not exist is an *fs.PathError wrapping
// fs.ErrNotExist (and recorded as a miss); one that leaves the root an *OutsideRootError.
func (f *FS) resolve(v string) (string, os.FileInfo, error) {
	host := filepath.Join(f.realRoot, filepath.FromSlash(v))
	resolved, err := filepath.EvalSymlinks(host)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			f.misses[repoPath(v)] = true
			return "", nil, &fs.PathError{Op: "stat", Path: v, Err: fs.ErrNotExist}
		}
		return "", nil, &fs.PathError{Op: "stat", Path: v, Err: unwrapPathError(err)}
	}
	rel, err := filepath.Rel(f.realRoot, resolved)
	if err != nil || rel == ".." || strings.HasPrefix(filepath.ToSlash(rel), "../") {
		refusal := &OutsideRootError{Path: repoPath(v)}
		f.refuse(refusal)
		return "", nil, refusal
	}
	info, err := os.Stat(resolved)
	if err != nil {
		return "", nil, &fs.PathError{Op: "stat", Path: v, Err: unwrapPathError(err)}
	}
	return virtual(rel), info, nil
}

// unwrapPathError drops the host path of an *fs.PathError so messages name no path outside
// the repository.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refuse remembers the first refusal of the build.
func (f *FS) refuse(err error) {
	if f.refused == nil {
		f.refused = err
	}
}

// readOnly is the error of every operation that would change the tree.
func readOnly(op, p string) error {
	return &fs.PathError{Op: op, Path: virtual(p), Err: errors.New("kforge's kustomize file system is read-only")}
}

// unsupported is the error of the operations a build does not need (listing directories).
// They fail rather than read something the read set would not record.
func unsupported(op, p string) error {
	return &fs.PathError{Op: op, Path: virtual(p), Err: errors.New("not supported by kforge's kustomize file system")}
}

// Create implements filesys.FileSystem; the tree is read-only.
func (f *FS) Create(p string) (filesys.File, error) { return nil, readOnly("create", p) }

// Mkdir implements filesys.FileSystem; the tree is read-only.
func (f *FS) Mkdir(p string) error { return readOnly("mkdir", p) }

// MkdirAll implements filesys.FileSystem; the tree is read-only.
func (f *FS) MkdirAll(p string) error { return readOnly("mkdir", p) }

// RemoveAll implements filesys.FileSystem; the tree is read-only.
func (f *FS) RemoveAll(p string) error { return readOnly("remove", p) }

// WriteFile implements filesys.FileSystem; the tree is read-only.
func (f *FS) WriteFile(p string, _ []byte) error { return readOnly("write", p) }

// Open implements filesys.FileSystem; builds read whole files through ReadFile.
func (f *FS) Open(p string) (filesys.File, error) { return nil, unsupported("open", p) }

// ReadDir implements filesys.FileSystem; builds do not list directories.
func (f *FS) ReadDir(p string) ([]string, error) { return nil, unsupported("readdir", p) }

// Glob implements filesys.FileSystem; builds do not list directories.
func (f *FS) Glob(pattern string) ([]string, error) { return nil, unsupported("glob", pattern) }

// Walk implements filesys.FileSystem; builds do not list directories.
func (f *FS) Walk(p string, _ filepath.WalkFunc) error { return unsupported("walk", p) }

// IsDir implements filesys.FileSystem.
func (f *FS) IsDir(p string) bool {
	_, info, err := f.resolve(virtual(p))
	return err == nil && info.IsDir()
}

// Exists implements filesys.FileSystem.
func (f *FS) Exists(p string) bool {
	_, _, err := f.resolve(virtual(p))
	return err == nil
}

// CleanedAbs implements filesys.FileSystem as kustomize's on-disk file system does, on the
// virtual tree: symlinks resolved, a directory returned as itself, a file as its directory
// and name.
func (f *FS) CleanedAbs(p string) (filesys.ConfirmedDir, string, error) {
	v, info, err := f.resolve(virtual(p))
	if err != nil {
		return "", "", err
	}
	if info.IsDir() {
		return filesys.ConfirmedDir(v), "", nil
	}
	return filesys.ConfirmedDir(path.Dir(v)), path.Base(v), nil
}

// ReadFile implements filesys.FileSystem: it reads a regular file inside the root, records it,
// and refuses a kustomization file or builtin plugin configuration naming remote content.
func (f *FS) ReadFile(p string) ([]byte, error) {
	v := virtual(p)
	resolved, info, err := f.resolve(v)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: v, Err: errors.New("not a regular file")}
	}
	data, err := os.ReadFile(filepath.Join(f.realRoot, filepath.FromSlash(resolved)))
	if err != nil {
		return nil, &fs.PathError{Op: "read", Path: v, Err: unwrapPathError(err)}
	}
	sum := sha256.Sum256(data)
	hexSum := hex.EncodeToString(sum[:])
	f.reads[repoPath(v)] = hexSum
	f.reads[repoPath(resolved)] = hexSum
	var refusal *RemoteError
	if isKustomizationFile(resolved) {
		refusal = scanKustomization(repoPath(v), data)
	} else {
		refusal = scanPluginConfigs(repoPath(v), data)
	}
	if refusal != nil {
		f.refuse(refusal)
		return nil, refusal
	}
	return data, nil
}

// isKustomizationFile reports whether the virtual path names a kustomization file.
func isKustomizationFile(v string) bool {
	base := path.Base(v)
	for _, name := range konfig.RecognizedKustomizationFileNames() {
		if base == name {
			return true
		}
	}
	return false
}

// sortedReads lists the recorded reads by path.
func (f *FS) sortedReads() []FileRead {
	out := make([]FileRead, 0, len(f.reads))
	for p, sum := range f.reads {
		out = append(out, FileRead{Path: p, SHA256: sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// sortedMisses lists the recorded misses.
func (f *FS) sortedMisses() []string {
	out := make([]string, 0, len(f.misses))
	for p := range f.misses {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
