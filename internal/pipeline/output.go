package pipeline

import (
	"context"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
)

// RenderFiles renders every selected environment into its golden files (Files: each resource's
// canonical document, from the render cache's memo when the environment is unchanged) and hands
// them to emit in order. Environments that fail are reported together after the others ran; an
// error of emit stops the run.
func (r *Run) RenderFiles(ctx context.Context, emit func(env environment.Environment, files []golden.File) error) error {
	failed, err := each(ctx, r, r.renderer.Files, emit)
	if err != nil {
		return err
	}
	return failed
}

// RenderManifests renders every selected environment and returns all their manifests, in order;
// none when any environment fails.
func (r *Run) RenderManifests(ctx context.Context) ([]*manifest.Manifest, error) {
	var all []*manifest.Manifest
	failed, err := each(ctx, r, r.renderer.Render,
		func(_ environment.Environment, rendered *Rendered) error {
			all = append(all, rendered.Manifests...)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, failed
	}
	return all, nil
}

// Eval returns env's raw output, as `tk eval` prints it: the entrypoint's value for a static
// environment, the environment's data for an inline one, or with expr that expression evaluated
// against the entrypoint's value (EvaluateExpression).
func (r *Run) Eval(ctx context.Context, env environment.Environment, expr string) (jsonnet.Result, error) {
	if expr == "" && !env.Inline {
		return r.renderer.Evaluate(ctx, env)
	}
	return r.renderer.EvaluateExpression(ctx, env, expr)
}
