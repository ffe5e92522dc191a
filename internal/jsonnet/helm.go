package jsonnet

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/helm"
)

// helmTemplateFunction is std.native('helmTemplate')(name, chart, opts): internal/helm renders
// the chart at chart (relative to the directory of opts.calledFrom) in process, reading it
// through the sandbox; every file and directory listing it reads joins the evaluation's
// read set. Results are shared by the evaluations of one sandbox (see helm.Renderer).
func helmTemplateFunction(imp *importer) *gojsonnet.NativeFunction {
	return &gojsonnet.NativeFunction{
		Name:   "helmTemplate",
		Params: ast.Identifiers{"name", "chart", "opts"},
		Func: func(args []any) (any, error) {
			name, err := stringArg("helmTemplate", "name", args, 0)
			if err != nil {
				return nil, err
			}
			chartArg, err := stringArg("helmTemplate", "chart", args, 1)
			if err != nil {
				return nil, err
			}
			opts, err := helm.ParseOptions(args[2])
			if err != nil {
				return nil, fmt.Errorf("helmTemplate: %w", err)
			}
			calledFrom, err := imp.sb.relPath(opts.CalledFrom)
			if err != nil {
				return nil, fmt.Errorf("helmTemplate: opts.calledFrom: %w", err)
			}
			chart := path.Join(path.Dir(calledFrom), chartArg)
			if !isLocal(chart) {
				return nil, fmt.Errorf("helmTemplate: chart %q (relative to %s) is outside the repository root", chartArg, path.Dir(calledFrom))
			}
			out, err := imp.sb.helm.Template(context.Background(), chartFS{imp}, chart, name, opts)
			if err != nil {
				return nil, err
			}
			return out, nil
		},
	}
}

// DirRead is the read-set path of the listing of the repository-relative directory dir: the
// directory with a trailing slash. Its FileRead.SHA256 is DirListingSHA256 of the names in
// it, so a file added to or removed from a directory a native function listed changes the
// read set (see HashDirListing).
func DirRead(dir string) string {
	return path.Clean(dir) + "/"
}

// IsDirRead reports whether the read-set path p is a directory listing (DirRead).
func IsDirRead(p string) bool {
	return strings.HasSuffix(p, "/")
}

// DirListingSHA256 is the lower-case hex sha256 of a directory listing: the names, sorted as
// os.ReadDir sorts them, each followed by a newline.
func DirListingSHA256(names []string) string {
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n))
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// HashDirListing returns DirListingSHA256 of the directory abs (symlinks followed).
func HashDirListing(abs string) (string, error) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		return "", err
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	return DirListingSHA256(names), nil
}

// chartFS is helm.FS over an evaluation's sandbox: files are read (and cached) by the
// sandbox, and every file and directory listing is recorded in the evaluation's reads.
type chartFS struct {
	imp *importer
}

// resolve follows the symlinks of the repository-relative rel and returns the resolved
// absolute and repository-relative paths, refusing a path that leaves the root.
func (c chartFS) resolve(rel string) (abs, resolvedRel string, err error) {
	sb := c.imp.sb
	resolved, err := filepath.EvalSymlinks(filepath.Join(sb.root, filepath.FromSlash(rel)))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			return "", "", fmt.Errorf("%s: %w", rel, fs.ErrNotExist)
		}
		return "", "", fmt.Errorf("cannot resolve %s: %w", rel, fsutil.WithoutPath(err))
	}
	r, err := filepath.Rel(sb.realRoot, resolved)
	if err != nil || !isLocal(filepath.ToSlash(r)) {
		return "", "", fmt.Errorf("%s is a symlink leading outside the repository root", rel)
	}
	return resolved, filepath.ToSlash(r), nil
}

// Stat implements helm.FS.
func (c chartFS) Stat(rel string) (fs.FileInfo, error) {
	abs, _, err := c.resolve(rel)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", rel, fsutil.WithoutPath(err))
	}
	return info, nil
}

// ReadFile implements helm.FS.
func (c chartFS) ReadFile(rel string) ([]byte, error) {
	e := c.imp.sb.file(rel)
	switch {
	case e.failMsg != "":
		return nil, errors.New(e.failMsg)
	case !e.exists:
		return nil, fmt.Errorf("%s: %w", rel, fs.ErrNotExist)
	}
	c.imp.record(rel, e)
	return []byte(e.contents.String()), nil
}

// ReadDir implements helm.FS.
func (c chartFS) ReadDir(rel string) ([]fs.DirEntry, error) {
	abs, resolvedRel, err := c.resolve(rel)
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("read directory %s: %w", rel, fsutil.WithoutPath(err))
	}
	names := make([]string, len(entries))
	for i, e := range entries {
		names[i] = e.Name()
	}
	sum := DirListingSHA256(names)
	c.imp.reads[DirRead(rel)] = sum
	c.imp.reads[DirRead(resolvedRel)] = sum
	return entries, nil
}
