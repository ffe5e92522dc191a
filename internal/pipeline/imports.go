package pipeline

import (
	"fmt"
	"slices"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/project"
)

// Imports lists the files the Jsonnet file (or directory's main.jsonnet) at pathArg depends on,
// as `tk tool imports` does: the entrypoint and every file reachable through its imports,
// repository-relative and sorted, without evaluating anything. An import that finds no file
// is an error, as in tk.
func Imports(p *project.Project, pathArg string) ([]string, error) {
	base, entry, err := p.Entrypoint(pathArg)
	if err != nil {
		return nil, err
	}
	deps, err := affected.ImportClosure(p.Root, p.JPath(base), entry)
	if err != nil {
		return nil, fmt.Errorf("imports of %s: %w", entry, err)
	}
	return deps, nil
}

// Entrypoints are the absolute paths of the selected environments' entrypoints, sorted, each
// once (a file defining several inline environments is listed once): what `tk tool importers`
// prints.
func (r *Run) Entrypoints() []string {
	out := make([]string, 0, len(r.envs))
	for _, e := range r.envs {
		out = append(out, r.renderer.project.Abs(e.Entrypoint))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
