package pipeline

import (
	"context"
	"fmt"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
)

// checkSlugs refuses environment directory names that are unsafe or nest inside each other
// (updating the outer one would replace the inner one).
func (r *Run) checkSlugs() error {
	slugs := make([]string, len(r.envs))
	for i, e := range r.envs {
		slugs[i] = e.Slug()
	}
	return golden.ValidateSlugs(slugs)
}

// ownedSlugs are the directory names of every environment of the repository (the discovered
// ones: a selection narrowed by --name or --since does not make the others' directories stale),
// nil when the run did not discover the repository.
func (r *Run) ownedSlugs() []string {
	if r.discovered == nil {
		return nil
	}
	keep := make([]string, len(r.discovered))
	for i, e := range r.discovered {
		keep[i] = e.Slug()
	}
	return keep
}

// StaleGoldenDirs lists the directories of the golden directory that belong to no environment of
// the repository (golden.Stale); none when the run did not discover the repository.
func (r *Run) StaleGoldenDirs() ([]string, error) {
	keep := r.ownedSlugs()
	if keep == nil {
		return nil, nil
	}
	return golden.Stale(r.renderer.project.Root, r.renderer.project.Config.Golden, keep)
}

// GoldenCheck is what CheckGolden found.
type GoldenCheck struct {
	// Drifts compare each environment with its golden directory, in order.
	Drifts []drift.Drift
	// Stale are the golden directories no environment owns, with Selection.All.
	Stale []string
}

// CheckGolden renders every selected environment and compares it with its golden directory
// (with target filters, only the selected resources); with Selection.All it also lists the stale
// golden directories. Environments that fail to render are reported together, after the others
// ran.
func (r *Run) CheckGolden(ctx context.Context) (GoldenCheck, error) {
	drifts, err := r.drifts(ctx, func(t golden.Target, files []golden.File) (drift.Drift, error) {
		if err := golden.ValidateFiles(files); err != nil {
			return drift.Drift{}, fmt.Errorf("compare %s: %w", t.Dir, err)
		}
		tree, err := golden.ReadDirContent(t)
		if err != nil {
			return drift.Drift{}, err
		}
		selected, _ := r.renderer.ScopeGolden(t, tree)
		return drift.DiffSets(t, selected, files), nil
	})
	if err != nil {
		return GoldenCheck{}, err
	}
	check := GoldenCheck{Drifts: drifts}
	// Of a sharded run only shard 1 lists the stale directories: they are the repository's,
	// and the reports of all shards hold each once.
	if r.all && r.shard.First() {
		if check.Stale, err = r.StaleGoldenDirs(); err != nil {
			return GoldenCheck{}, err
		}
	}
	return check, nil
}

// Diff renders every selected environment and compares it with its golden directory on disk, or
// with base (a git ref, when not empty) as golden/ is there; with target filters, only the
// selected resources.
func (r *Run) Diff(ctx context.Context, base string) ([]drift.Drift, error) {
	return r.drifts(ctx, func(t golden.Target, files []golden.File) (drift.Drift, error) {
		var old golden.Tree
		var err error
		if base != "" {
			old, err = golden.ReadGitTree(ctx, t, base)
		} else {
			old, err = golden.ReadDirContent(t)
		}
		if err != nil {
			return drift.Drift{}, err
		}
		selected, _ := r.renderer.ScopeGolden(t, old)
		return drift.DiffSets(t, selected, files), nil
	})
}

// drifts renders every selected environment and compares it, through compare, with its golden
// directory (on disk, or as another source has it). Environments that fail are reported
// together, after the others ran.
func (r *Run) drifts(ctx context.Context, compare func(golden.Target, []golden.File) (drift.Drift, error)) ([]drift.Drift, error) {
	var drifts []drift.Drift
	failed, err := each(ctx, r,
		func(ctx context.Context, env environment.Environment) (drift.Drift, error) {
			files, err := r.renderer.Files(ctx, env)
			if err != nil {
				return drift.Drift{}, err
			}
			return compare(r.renderer.GoldenTarget(env), files)
		},
		func(_ environment.Environment, d drift.Drift) error {
			drifts = append(drifts, d)
			return nil
		})
	if err != nil {
		return nil, err
	}
	if failed != nil {
		return nil, failed
	}
	return drifts, nil
}

// Drifted is the number of drifts that are not clean.
func Drifted(drifts []drift.Drift) int {
	n := 0
	for _, d := range drifts {
		if !d.Clean() {
			n++
		}
	}
	return n
}

// UpdateGolden renders every selected environment and replaces its golden directory atomically
// (with target filters, only the selected resources' files; the others keep theirs), handing
// each environment's changes to emit as it is done. Environments that fail keep their
// directories and are reported together after the others ran. With Selection.All, the
// directories of environments that no longer exist are then removed (golden.RemoveStale),
// and what was removed or left alone is returned.
func (r *Run) UpdateGolden(ctx context.Context, emit func(t golden.Target, c golden.Changes) error) (golden.StaleReport, error) {
	if err := r.checkSlugs(); err != nil {
		return golden.StaleReport{}, err
	}
	failed, err := each(ctx, r,
		func(ctx context.Context, env environment.Environment) (golden.Changes, error) {
			files, err := r.renderer.Files(ctx, env)
			if err != nil {
				return golden.Changes{}, err
			}
			t := r.renderer.GoldenTarget(env)
			if !r.renderer.targets.Empty() {
				tree, err := golden.ReadDirContent(t)
				if err != nil {
					return golden.Changes{}, err
				}
				_, kept := r.renderer.ScopeGolden(t, tree)
				files = append(files, kept.Files...)
			}
			return golden.Update(t, files)
		},
		func(env environment.Environment, c golden.Changes) error {
			return emit(r.renderer.GoldenTarget(env), c)
		})
	if err != nil {
		return golden.StaleReport{}, err
	}
	if failed != nil {
		return golden.StaleReport{}, failed
	}
	// Of a sharded run only shard 1 removes (and reports) the stale directories.
	if !r.all || r.discovered == nil || !r.shard.First() {
		return golden.StaleReport{}, nil
	}
	// Every environment of the repository keeps its directory, also those --name, --since or
	// --changed-files left out of this run.
	return golden.RemoveStale(r.renderer.project.Root, r.renderer.project.Config.Golden, r.ownedSlugs())
}
