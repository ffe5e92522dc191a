package pipeline

import (
	"fmt"
	"path"

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
	files := make([]golden.File, len(ms))
	for i, m := range ms {
		content, err := m.YAML()
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", m.ID(), err)
		}
		files[i] = golden.File{
			Path:     names[i],
			Content:  content,
			Resource: m.ID().String(),
			Kind:     m.Kind(),
			Secret:   m.IsSecret(),
		}
	}
	return files, nil
}

// ReadGolden reads the manifests committed in env's golden directory (none when it does not
// exist yet): what policies see as input.previous.
func (r *Renderer) ReadGolden(env environment.Environment) ([]*manifest.Manifest, error) {
	t := r.GoldenTarget(env)
	tree, err := golden.ReadDir(t)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", t.Dir, err)
	}
	var out []*manifest.Manifest
	for _, f := range tree.Files {
		ms, err := manifest.ParseYAML(f.Content, path.Join(t.Dir, f.Path))
		if err != nil {
			return nil, err
		}
		out = append(out, ms...)
	}
	return out, nil
}
