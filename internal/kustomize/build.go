package kustomize

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	yaml "go.yaml.in/yaml/v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/api/types"
)

// buildMu serialises builds within the process: kustomize keeps the OpenAPI schema a build
// uses (kustomization field openapi) in package-level state of kyaml, so two builds running at
// once could see each other's schema.
var buildMu sync.Mutex

// Output is what one build produced.
type Output struct {
	// Objects are the built resources in kustomize's output order, decoded from its YAML the
	// way Tanka decodes `kustomize build`'s output (yaml.v3: integers stay integers).
	// They are shared by every caller and must not be modified.
	Objects []map[string]any
	// Reads are the files the build read, sorted by path.
	Reads []FileRead
	// Misses are the repository-relative paths the build looked for in vain, sorted.
	Misses []string
}

// BuildError is a kustomization that failed to build.
type BuildError struct {
	// Dir is the repository-relative directory of the kustomization.
	Dir string
	// Err is kustomize's error, or the sandbox's refusal (*RemoteError, *OutsideRootError).
	Err error
}

func (e *BuildError) Error() string {
	return fmt.Sprintf("kustomize build %s: %v%s", e.Dir, e.Err, hint(e.Err))
}

// hint explains the refusals that come from kustomize's own options rather than from the
// sandbox: kforge builds as a plain `kustomize build` (what tk runs) does.
func hint(err error) string {
	msg := err.Error()
	switch {
	case types.IsErrOnlyBuiltinPluginsAllowed(err) || strings.Contains(msg, "external plugins disabled"):
		return " (kforge runs only kustomize's builtin plugins: exec plugins and container functions are refused, as by `kustomize build` without --enable-alpha-plugins)"
	case strings.Contains(msg, "must specify --enable-helm"):
		return " (helmCharts needs Helm inflation, which `kustomize build` leaves off unless --enable-helm is given, and tk does not give it; render the chart with std.native('helmTemplate') instead)"
	}
	return ""
}

func (e *BuildError) Unwrap() error { return e.Err }

// Builder builds the kustomizations of one repository, each directory once: files are assumed
// not to change during its lifetime (one run), like the Jsonnet sandbox's. It is safe for
// concurrent use.
type Builder struct {
	realRoot string

	mu   sync.Mutex
	memo map[string]*memoEntry
}

// memoEntry is the build of one directory, made once.
type memoEntry struct {
	once sync.Once
	out  Output
	err  error
}

// NewBuilder returns a Builder for the repository at root, an absolute path to a directory.
func NewBuilder(root string) (*Builder, error) {
	if !filepath.IsAbs(root) {
		return nil, errors.New("kustomize builder: repository root must be an absolute path")
	}
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("kustomize builder: resolve repository root: %w", unwrapPathError(err))
	}
	info, err := os.Stat(resolved)
	if err != nil || !info.IsDir() {
		return nil, errors.New("kustomize builder: repository root is not a directory")
	}
	return &Builder{realRoot: resolved, memo: map[string]*memoEntry{}}, nil
}

// Build runs `kustomize build` on the repository-relative directory dir, or returns the
// result of the first Build of dir. A failed build is a *BuildError; its Output still holds
// the reads and misses the error depends on.
func (b *Builder) Build(dir string) (Output, error) {
	key := repoPath(virtual(dir))
	b.mu.Lock()
	e, ok := b.memo[key]
	if !ok {
		e = &memoEntry{}
		b.memo[key] = e
	}
	b.mu.Unlock()
	e.once.Do(func() { e.out, e.err = b.build(key) })
	return e.out, e.err
}

// build runs kustomize on the repository-relative directory dir with the options of a plain
// `kustomize build DIR`.
func (b *Builder) build(dir string) (Output, error) {
	fsys := newFS(b.realRoot)
	opts := krusty.MakeDefaultOptions()
	// `kustomize build` without --reorder leaves the order to the kustomization's sortOptions
	// (legacy order when it has none).
	opts.Reorder = krusty.ReorderOptionUnspecified
	buildMu.Lock()
	m, err := krusty.MakeKustomizer(opts).Run(fsys, virtual(dir))
	buildMu.Unlock()
	out := Output{Reads: fsys.sortedReads(), Misses: fsys.sortedMisses()}
	if fsys.refused != nil {
		return out, &BuildError{Dir: dir, Err: fsys.refused}
	}
	if err != nil {
		return out, &BuildError{Dir: dir, Err: err}
	}
	text, err := m.AsYaml()
	if err != nil {
		return out, &BuildError{Dir: dir, Err: fmt.Errorf("encode output: %w", err)}
	}
	out.Objects, err = decodeStream(text)
	if err != nil {
		return out, &BuildError{Dir: dir, Err: err}
	}
	return out, nil
}

// decodeStream decodes kustomize's YAML output, one object per document.
func decodeStream(text []byte) ([]map[string]any, error) {
	var objects []map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(text))
	for {
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			if errors.Is(err, io.EOF) {
				return objects, nil
			}
			return nil, fmt.Errorf("decode output: %w", err)
		}
		objects = append(objects, obj)
	}
}
