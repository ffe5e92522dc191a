package pipeline

import (
	"bytes"
	"fmt"
	"path"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/manifest"
)

// GoldenTarget is env's directory under the project's golden directory, e.g. golden/prod.
func (r *Renderer) GoldenTarget(env environment.Environment) golden.Target {
	return golden.Target{
		Root: r.project.Root,
		Dir:  path.Join(r.project.Config.Golden, env.Slug()),
		Env:  env.Slug(),
	}
}

// GoldenFiles turns rendered manifests into the files of an environment directory: one
// canonical YAML file per resource, named by manifest.FileNames.
func GoldenFiles(ms []*manifest.Manifest) ([]golden.File, error) {
	names, err := manifest.FileNames(ms)
	if err != nil {
		return nil, err
	}
	contents, err := encodeYAML(ms)
	if err != nil {
		return nil, err
	}
	files := make([]golden.File, len(ms))
	for i, m := range ms {
		files[i] = golden.File{
			Path:     names[i],
			Content:  contents[i],
			Resource: m.ID().String(),
			Kind:     m.Kind(),
			Secret:   m.IsSecret(),
		}
	}
	return files, nil
}

// parallelYAMLMin is the number of manifests from which encodeYAML uses every core.
const parallelYAMLMin = 16

// encodeYAML returns the canonical YAML of each manifest. Manifests are independent, so a
// large environment is encoded on every core (in a single-environment run the other core is
// otherwise idle); the error, if any, is the first manifest's in order.
func encodeYAML(ms []*manifest.Manifest) ([][]byte, error) {
	out := make([][]byte, len(ms))
	errs := make([]error, len(ms))
	encode := func(i int) {
		out[i], errs[i] = ms[i].YAML()
		if errs[i] != nil {
			errs[i] = fmt.Errorf("encode %s: %w", ms[i].ID(), errs[i])
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(ms)/parallelYAMLMin*2)
	if workers <= 1 {
		for i := range ms {
			encode(i)
		}
	} else {
		var next atomic.Int64
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := int(next.Add(1) - 1); i < len(ms); i = int(next.Add(1) - 1) {
					encode(i)
				}
			})
		}
		wg.Wait()
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Golden is what an environment's golden directory holds.
type Golden struct {
	// Target is the directory.
	Target golden.Target
	// Tree is its files and the entries that do not belong there, as read.
	Tree golden.Tree
	// Manifests are the manifests of Tree.Files, in file order: what policies see as
	// input.previous.
	Manifests []*manifest.Manifest
	// ByFile maps a file's path (relative to the directory) to the manifests it holds.
	ByFile map[string][]*manifest.Manifest
}

// ReadGolden reads env's golden directory (empty when it does not exist yet). rendered, when not
// nil, is env rendered, and files its manifests as golden files (RenderedFiles): a committed file
// whose bytes equal the rendered file of the same path is not parsed, its manifest is the
// rendered one. The canonical encoder reads back to the same object (FuzzYAMLRoundTrip), so
// parsing such a file again would only repeat work (docs/performance.md, stages).
func (r *Renderer) ReadGolden(env environment.Environment, rendered *Rendered, files []golden.File) (Golden, error) {
	t := r.GoldenTarget(env)
	tree, err := golden.ReadDirContent(t)
	if err != nil {
		return Golden{}, fmt.Errorf("read %s: %w", t.Dir, err)
	}
	same := map[string]*manifest.Manifest{}
	if rendered != nil && len(files) == len(rendered.Manifests) {
		for i, f := range files {
			same[f.Path] = rendered.Manifests[i]
		}
	}
	g := Golden{Target: t, Tree: tree, ByFile: make(map[string][]*manifest.Manifest, len(tree.Files))}
	byPath := make(map[string][]byte, len(files))
	for _, f := range files {
		byPath[f.Path] = f.Content
	}
	for _, f := range tree.Files {
		var ms []*manifest.Manifest
		if m, ok := same[f.Path]; ok && bytes.Equal(byPath[f.Path], f.Content) {
			ms = []*manifest.Manifest{m}
		} else {
			ms, err = golden.Parse(t, f)
			if err != nil {
				return Golden{}, err
			}
		}
		g.Manifests = append(g.Manifests, ms...)
		g.ByFile[f.Path] = ms
	}
	return g, nil
}

// ScopeGolden splits tree, the golden directory t as read, by the target filters (-t):
// in holds the files of the resources the filters select, and the entries that do not belong
// there, and is what a filtered render is compared with; out holds the other files, which a
// filtered update must keep as they are. A file that does not parse goes to in, so the
// comparison reports it. Without filters, in is the whole tree.
func (r *Renderer) ScopeGolden(t golden.Target, tree golden.Tree) (in, out golden.Tree) {
	if r.targets.Empty() {
		return tree, golden.Tree{}
	}
	in.Unexpected = tree.Unexpected
	for _, f := range tree.Files {
		ms, err := golden.Parse(t, f)
		selected := err != nil || len(ms) == 0
		for _, m := range ms {
			selected = selected || r.targets.Match(m)
		}
		if selected {
			in.Files = append(in.Files, f)
		} else {
			out.Files = append(out.Files, f)
		}
	}
	return in, out
}

// RenderedFiles is Files for an environment already rendered: its manifests as golden files,
// memoized under its output like Files, without evaluating again.
func (r *Renderer) RenderedFiles(rendered *Rendered) ([]golden.File, error) {
	var files []golden.File
	err := memoize(r, rendered.Output, "rendered-golden-files/v4", rendered.Env,
		func(data []byte) bool {
			var ok bool
			files, _, ok = decodeFilesMemo(data)
			return ok
		},
		func() ([]byte, error) { return encodeFilesMemo(files, nil), nil },
		func() error {
			var err error
			files, err = GoldenFiles(rendered.Manifests)
			if err != nil {
				return fmt.Errorf("render %s: %w", rendered.Env.Name, err)
			}
			return nil
		})
	return files, err
}
