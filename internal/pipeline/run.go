package pipeline

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/origin"
	"github.com/kforge/kforge/internal/project"
)

// RunOptions configure a Run: how environments are rendered, which ones, how many at once and
// who hears about progress.
type RunOptions struct {
	// Options configure the Renderer.
	Options
	// Cache is the render cache Options.Evaluator goes through, nil when disabled: the affected
	// selection reads the files each environment's last evaluation read from it.
	Cache *cache.CachingEvaluator
	// Selection chooses the environments.
	Selection Selection
	// Parallel is the number of environments rendered at once (0: one per core).
	Parallel int
	// Progress, when not nil, is called at the start of each step over the environments with
	// their number and is told as each one starts and ends.
	Progress func(total int) Progress
	// Warn, when not nil, receives each selected environment's warnings (e.g. unknown spec.json
	// fields), before the affected selection narrows them.
	Warn func(msg string)
}

// Progress follows a step over the selected environments.
type Progress interface {
	// Start is called when an environment starts.
	Start(env environment.Environment)
	// Done is called when an environment is done.
	Done()
	// Finish is called when the step ends.
	Finish()
}

// noProgress is the Progress of a run without one.
type noProgress struct{}

// Start does nothing: a run without progress shows none.
func (noProgress) Start(environment.Environment) {}

// Done does nothing: a run without progress shows none.
func (noProgress) Done() {}

// Finish does nothing: a run without progress shows none.
func (noProgress) Finish() {}

// Run is one command's run: a Renderer and the environments selected for it, built once by Open.
// Its methods are the steps commands are made of (render, validate, check and update golden,
// export, diff); each runs over the selected environments on Parallel workers and hands
// results back in the order of the environments.
type Run struct {
	renderer *Renderer
	// envs are the environments the command works on: those named, or every one with --all,
	// narrowed by --name, --since and --changed-files.
	envs []environment.Environment
	// discovered are all the environments of the repository before any narrowing, when the
	// run discovered them (--all or names); nil when only named paths were loaded. What owns a
	// golden directory is decided on this list, never on envs.
	discovered []environment.Environment
	// all is Selection.All: every environment was asked for, so golden directories that belong
	// to none are stale.
	all bool
	// shard is Selection.Shard: the part of the selection this run works on; selected are the
	// names of the environments selected before the shard was taken.
	shard    Shard
	selected []string
	parallel int
	progress func(total int) Progress
	// affected is the affected selection and the number of environments it chose from, nil
	// without --since or --changed-files.
	affected *affected.Selection
	total    int
	// origins finds the Jsonnet literal behind a finding's value (the "set at" hint); it parses
	// each file the environments read once per run.
	origins *origin.Index
	// warn receives warnings (RunOptions.Warn); warned is set once the target filters that
	// matched nothing were reported.
	warn   func(msg string)
	warned bool
	// cache is RunOptions.Cache, closed by Close.
	cache *cache.CachingEvaluator
}

// Open builds the Renderer of opts and selects the environments of the run.
func Open(ctx context.Context, opts RunOptions) (*Run, error) {
	if opts.Options.Warn == nil {
		opts.Options.Warn = opts.Warn
	}
	r := &Run{
		renderer: NewRenderer(opts.Options),
		origins:  origin.New(opts.Project.Root),
		all:      opts.Selection.All,
		shard:    opts.Selection.Shard,
		parallel: opts.Parallel,
		progress: opts.Progress,
		warn:     opts.Warn,
		cache:    opts.Cache,
	}
	envs, discovered, err := r.selectEnvironments(ctx, opts.Selection)
	if err != nil {
		return nil, err
	}
	if opts.Selection.Single && len(envs) != 1 {
		names := make([]string, len(envs))
		for i, e := range envs {
			names[i] = e.Name
		}
		return nil, &NotOneError{Args: opts.Selection.Args, Names: names}
	}
	if opts.Selection.All && len(discovered) == 0 {
		return nil, &NoEnvironmentsError{Dir: DisplayDir(opts.Selection.WorkDir, opts.Project.Root)}
	}
	if opts.Warn != nil {
		for _, e := range envs {
			for _, w := range e.Warnings {
				opts.Warn(w)
			}
		}
	}
	r.envs, r.discovered, r.total = envs, discovered, len(envs)
	if opts.Selection.affectedOnly() {
		sel, err := r.selectAffected(ctx, opts.Selection, opts.Cache)
		if err != nil {
			return nil, err
		}
		r.affected = &sel
	}
	// The shard is taken last, from the narrowed selection, so that the shards of one
	// selection cover it exactly.
	r.selected = envNames(r.envs)
	if r.envs, err = r.renderer.ShardEnvironments(r.envs, opts.Selection.Shard); err != nil {
		return nil, err
	}
	return r, nil
}

// Close ends the run: it waits until the render cache has pushed the entries the run stored
// to its remote store, or until ctx ends (then the rest is abandoned with a warning). A remote
// failure never fails a run, so Close returns nothing. Close is safe to call more than once.
func (r *Run) Close(ctx context.Context) {
	if r.cache != nil {
		r.cache.Close(ctx)
	}
}

// Project is the repository of the run.
func (r *Run) Project() *project.Project { return r.renderer.project }

// Envs are the selected environments.
func (r *Run) Envs() []environment.Environment { return r.envs }

// Affected is the selection --since or --changed-files made and the number of environments it
// chose from; ok is false without them.
func (r *Run) Affected() (sel affected.Selection, total int, ok bool) {
	if r.affected == nil {
		return affected.Selection{}, 0, false
	}
	return *r.affected, r.total, true
}

// Drainer is an evaluator that can let its worker processes go as soon as the evaluations under
// way end (isolate.Pool, through cache.CachingEvaluator). each drains it once the last
// environment of the run has started, so a worker's memory is returned while the parent decodes,
// checks and writes what it rendered rather than when the run ends.
type Drainer interface {
	SetDraining(draining bool)
}

// each runs work for every selected environment through Each, with the run's workers and
// progress, and hands each result to emit in order. failed joins the errors of work, after
// every environment ran, the same error in several environments once with their list
// ([EnvironmentsError]); err is an error of emit or the context's, which stops the run.
func each[T any](ctx context.Context, r *Run,
	work func(context.Context, environment.Environment) (T, error),
	emit func(environment.Environment, T) error,
) (failed, err error) {
	var p Progress = noProgress{}
	if r.progress != nil {
		p = r.progress(len(r.envs))
	}
	defer p.Finish()
	drainer, _ := r.renderer.evaluator.(Drainer)
	if drainer != nil {
		drainer.SetDraining(false)
	}
	var started atomic.Int64
	var fails []envFailure
	err = Each(ctx, r.parallel, r.envs,
		func(ctx context.Context, env environment.Environment) (T, error) {
			if started.Add(1) == int64(len(r.envs)) && drainer != nil {
				// The last environment is starting: no evaluation will need an idle worker.
				drainer.SetDraining(true)
			}
			p.Start(env)
			defer p.Done()
			return work(ctx, env)
		},
		func(env environment.Environment, v T, err error) error {
			if err != nil {
				fails = append(fails, envFailure{env: env, err: err})
				return nil
			}
			return emit(env, v)
		})
	if err != nil {
		return nil, err
	}
	if len(fails) == 0 {
		r.warnUnmatched()
	}
	return joinFailures(fails), nil
}

// warnUnmatched warns, once per run and once per filter, about each target filter (-t) that
// kept no resource of the selected environments. It says nothing when some environment failed,
// since its resources are unknown.
func (r *Run) warnUnmatched() {
	if r.warned || r.warn == nil {
		return
	}
	r.warned = true
	where := fmt.Sprintf("the %d selected environments", len(r.envs))
	switch len(r.envs) {
	case 0:
		return
	case 1:
		where = r.envs[0].Name
	}
	for _, expr := range r.renderer.targets.Unmatched() {
		r.warn(fmt.Sprintf("-t %s matches no resource in %s", expr, where))
	}
}
