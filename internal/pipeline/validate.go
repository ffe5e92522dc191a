package pipeline

import (
	"path"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/policy"
)

// EnvInfo describes env to the policies (input.environment).
func EnvInfo(env environment.Environment) policy.EnvInfo {
	return policy.EnvInfo{
		Name:      env.Name,
		Tier:      env.Tier(),
		Namespace: env.Spec.Spec.Namespace,
		Labels:    env.Spec.Metadata.Labels,
	}
}

// PolicyInput builds the policies' input for one rendered environment: its manifests, each with
// the golden file it is written to, and the manifests committed before (input.previous).
func (r *Renderer) PolicyInput(rendered *Rendered, previous []*manifest.Manifest) (policy.Input, error) {
	in := policy.Input{
		Environment: EnvInfo(rendered.Env),
		Resources:   Objects(rendered.Manifests),
		Previous:    Objects(previous),
		Entrypoint:  rendered.Env.Entrypoint,
	}
	names, err := manifest.FileNames(rendered.Manifests)
	if err != nil {
		return policy.Input{}, err
	}
	dir := r.GoldenTarget(rendered.Env).Dir
	in.Files = make([]string, len(names))
	for i, n := range names {
		in.Files[i] = path.Join(dir, n)
	}
	return in, nil
}

// Objects returns the decoded objects of ms, in order.
func Objects(ms []*manifest.Manifest) []map[string]any {
	out := make([]map[string]any, len(ms))
	for i, m := range ms {
		out[i] = m.Object
	}
	return out
}
