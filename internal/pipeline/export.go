package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/export"
	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/golden"
)

// Export renders every selected environment and writes their resources into dir (a path as the
// user gave it, for messages) with Tanka-compatible file names (export.Export); opts.Envs is set
// to the exported environments. Nothing is written when any environment fails: an export is all
// or nothing.
func (r *Run) Export(ctx context.Context, dir string, opts export.Options) (export.Result, error) {
	var entrypoints []string
	// The files of each environment are written as soon as it is rendered (export.Stream), so
	// writing overlaps with rendering and no environment's files are kept after that.
	stream := export.NewStream(dir, opts)
	failed, err := each(ctx, r, r.exportFiles,
		func(env environment.Environment, fs []export.File) error {
			stream.Add(fs)
			entrypoints = append(entrypoints, env.Spec.Metadata.Namespace)
			return nil
		})
	if err != nil {
		stream.Discard()
		return export.Result{}, err
	}
	if failed != nil {
		stream.Discard()
		return export.Result{}, failed
	}
	return stream.Finish(entrypoints)
}

// exportFiles renders env into the files Export writes.
func (r *Run) exportFiles(ctx context.Context, env environment.Environment) ([]export.File, error) {
	rendered, err := r.renderer.Render(ctx, env)
	if err != nil {
		return nil, err
	}
	var tk struct {
		Env map[string]any `json:"env"`
	}
	if err := json.Unmarshal(env.TkEnvJSON(), &tk); err != nil {
		return nil, fmt.Errorf("export %s: encode environment: %w", env.Name, err)
	}
	out := make([]export.File, len(rendered.Manifests))
	for i, m := range rendered.Manifests {
		content, err := m.YAML()
		if err != nil {
			return nil, fmt.Errorf("export %s: encode %s: %w", env.Name, m.ID(), err)
		}
		out[i] = export.File{
			Object:     m.Object,
			Content:    content,
			Env:        tk.Env,
			Entrypoint: env.Spec.Metadata.Namespace,
			Resource:   m.ID().String(),
		}
	}
	return out, nil
}

// ExportGolden writes each selected environment into root/<slug> with the golden layout and
// the same atomic, lock-protected writer as UpdateGolden, handing each environment's changes to
// emit as it is done. root is created once an environment rendered, so a failed export leaves no
// trace; dir names it in messages. Environments that fail are reported together after the
// others ran.
func (r *Run) ExportGolden(ctx context.Context, root, dir string, emit func(env environment.Environment, c golden.Changes) error) error {
	if err := r.checkSlugs(); err != nil {
		return err
	}
	failed, err := each(ctx, r,
		func(ctx context.Context, env environment.Environment) (golden.Changes, error) {
			files, err := r.renderer.Files(ctx, env)
			if err != nil {
				return golden.Changes{}, err
			}
			if err := os.MkdirAll(root, 0o755); err != nil {
				return golden.Changes{}, fmt.Errorf("export into %s: %w", dir, fsutil.OpWithoutPath(err))
			}
			return golden.Update(golden.Target{Root: root, Dir: env.Slug(), Env: env.Slug()}, files)
		}, emit)
	if err != nil {
		return err
	}
	return failed
}
