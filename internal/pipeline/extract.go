package pipeline

import (
	"fmt"
	"strings"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/manifest"
)

// EnvironmentObjectError is an Environment object among an environment's manifests: a spec.json
// environment whose output also defines an inline environment, or an inline environment's data
// holding another. Tanka refuses to render either ("found a tanka Environment resource"), since
// an Environment is not a Kubernetes object.
type EnvironmentObjectError struct {
	// Env is the environment's name, Entrypoint its entrypoint.
	Env, Entrypoint string
	// Paths are the JSON paths of the Environment objects in the output.
	Paths []string
}

// Error implements error.
func (e *EnvironmentObjectError) Error() string {
	return fmt.Sprintf("render %s: output of %s: found a Tanka Environment object at %s: an environment's resources cannot include an Environment (check that you are not using a spec.json and inline environments together; tk refuses this too)",
		e.Env, e.Entrypoint, strings.Join(e.Paths, ", "))
}

// extract turns env's evaluated output into its manifests by Tanka's rules, with the run's
// target filters applied before duplicates are looked for. It returns one warning for each
// identical duplicate it dropped; an Environment object left among the manifests is an
// *EnvironmentObjectError, as in tk (which looks after the target filters too).
func (r *Renderer) extract(env environment.Environment, output string) ([]*manifest.Manifest, []string, error) {
	x, err := manifest.ExtractFiltered(output, Settings(env), r.targets)
	if err != nil {
		return nil, nil, fmt.Errorf("render %s: output of %s: %w", env.Name, env.Entrypoint, err)
	}
	var envPaths []string
	for _, m := range x.Manifests {
		if strings.EqualFold(m.Kind(), environment.Kind) {
			envPaths = append(envPaths, m.Path)
		}
	}
	if len(envPaths) > 0 {
		return nil, nil, &EnvironmentObjectError{Env: env.Name, Entrypoint: env.Entrypoint, Paths: envPaths}
	}
	warnings := make([]string, 0, len(x.Duplicates))
	for _, d := range x.Duplicates {
		warnings = append(warnings, fmt.Sprintf("%s: %s is defined twice with identical content (%s and %s): kept once",
			env.Name, d.ID, d.Kept, d.Dropped))
	}
	return x.Manifests, warnings, nil
}

// warnOnce hands each message to the run's warning sink the first time it is seen in this run,
// so an environment rendered by several steps warns once. Workers call it concurrently: the
// sink is called by one at a time.
func (r *Renderer) warnOnce(msgs []string) {
	if r.warn == nil || len(msgs) == 0 {
		return
	}
	r.warnMu.Lock()
	defer r.warnMu.Unlock()
	for _, msg := range msgs {
		if !r.warned[msg] {
			r.warned[msg] = true
			r.warn(msg)
		}
	}
}
