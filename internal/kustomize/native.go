package kustomize

import (
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"strings"
)

// nativeOptions are the options of std.native('kustomizeBuild')(path, opts). They are read the
// way Tanka reads them, through encoding/json: keys match without regard to case and unknown
// keys are ignored.
type nativeOptions struct {
	// CalledFrom is the file calling kustomizeBuild; path is resolved against its directory.
	CalledFrom string `json:"calledFrom"`
	// NameFormat keys the result (DefaultNameFormat when empty).
	NameFormat string `json:"nameFormat"`
}

// Call implements std.native('kustomizeBuild')(path, opts) with arguments as go-jsonnet
// passes them: it builds the kustomization at path, relative to the directory of
// opts.calledFrom (repository-relative, as std.thisFile is in kforge, or absolute inside the
// repository root), and returns the objects keyed by opts.nameFormat. reads and misses are what
// the build looked at, returned on failure too, since the error depends on them. root is the
// repository root as kforge was given it, to accept calledFrom values under it.
func (b *Builder) Call(root string, args []any) (value any, reads []FileRead, misses []string, err error) {
	if len(args) != 2 {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: expected 2 arguments (path, opts), got %d", len(args))
	}
	p, ok := args[0].(string)
	if !ok {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: parameter path must be a string, got %s", jsonType(args[0]))
	}
	raw, err := json.Marshal(args[1])
	if err != nil {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: parameter opts: %w", err)
	}
	var opts nativeOptions
	if err := json.Unmarshal(raw, &opts); err != nil {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: parameter opts: %w", err)
	}
	if opts.CalledFrom == "" {
		return nil, nil, nil, errors.New("kustomizeBuild: opts.calledFrom is unset or empty: the path is resolved against the directory of the calling file (tanka-util's kustomize.new(std.thisFile) sets it)")
	}
	caller, err := b.repoRelative(root, opts.CalledFrom)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: opts.calledFrom: %w", err)
	}
	dir := path.Join(path.Dir(caller), filepath.ToSlash(p))
	if !isLocal(dir) {
		return nil, nil, nil, fmt.Errorf("kustomizeBuild: %s (%q from %s) is outside the repository root", dir, p, caller)
	}
	out, err := b.Build(dir)
	if err != nil {
		return nil, out.Reads, out.Misses, fmt.Errorf("kustomizeBuild: %w", err)
	}
	keyed, err := KeyByNameFormat(out.Objects, opts.NameFormat)
	if err != nil {
		return nil, out.Reads, out.Misses, fmt.Errorf("kustomizeBuild: %s: %w", dir, err)
	}
	return keyed, out.Reads, out.Misses, nil
}

// repoRelative turns p (repository-relative, or absolute under root as given or resolved)
// into a clean repository-relative slash path.
func (b *Builder) repoRelative(root, p string) (string, error) {
	if !filepath.IsAbs(p) {
		clean := path.Clean(filepath.ToSlash(p))
		if !isLocal(clean) {
			return "", fmt.Errorf("%s is outside the repository root", clean)
		}
		return clean, nil
	}
	for _, r := range []string{filepath.Clean(root), b.realRoot} {
		if rel, err := filepath.Rel(r, p); err == nil && isLocal(filepath.ToSlash(rel)) {
			return path.Clean(filepath.ToSlash(rel)), nil
		}
	}
	return "", fmt.Errorf("%s is outside the repository root", filepath.Base(p))
}

// isLocal reports whether the clean slash path p stays inside the root.
func isLocal(p string) bool {
	return !path.IsAbs(p) && p != ".." && !strings.HasPrefix(p, "../")
}

// jsonType names the Jsonnet type of a value as go-jsonnet passes it to native functions.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("%T", v)
	}
}
