package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/cache"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
)

// selectFlags choose the environments and resources a command works on.
type selectFlags struct {
	// all selects every environment of the repository.
	all bool
	// name picks inline environments by metadata.name (exact match beats substring).
	name string
	// targets are -t kind/name filters; a leading ! excludes.
	targets []string
	// parallel is the number of environments rendered at once (0: one per core).
	parallel int
	// limits bound each environment's evaluation (flags_limits.go).
	limits limitFlags
	// cache controls the render cache and --since/--changed-files (cache.go).
	cache cacheFlags
	// policiesMatter makes a change to the policies affect every environment (validate).
	policiesMatter bool
	// goldenMatters makes a change to an environment's golden directory affect it (golden, diff).
	goldenMatters bool
}

func (f *selectFlags) addFlags(fs *pflag.FlagSet) {
	fs.BoolVar(&f.all, "all", false, "select every environment of the repository")
	fs.StringVar(&f.name, "name", "", "select inline environments by metadata.name (exact match wins over substring)")
	fs.StringArrayVarP(&f.targets, "target", "t", nil, "only resources matching kind/name (case-insensitive regular expression); !kind/name excludes")
	fs.IntVar(&f.parallel, "parallel", 0, "environments rendered at once (default: one per core)")
	f.limits.addFlags(fs)
	f.cache.addFlags(fs)
}

// validate checks that args and --all agree.
func (f *selectFlags) validate(args []string) error {
	switch {
	case f.all && len(args) > 0:
		return usageErrorf("pass either environments or --all, not both")
	case !f.all && len(args) == 0 && f.name == "" && !f.cache.affectedOnly():
		return usageErrorf("name at least one environment (a directory, main.jsonnet path, name or slug) or pass --all")
	}
	return nil
}

// session is what every rendering command starts from: the project, a renderer configured from
// the flags, and the selected environments.
type session struct {
	project  *project.Project
	renderer *pipeline.Renderer
	// envs are the environments the command works on: those named, or every one with --all,
	// narrowed by --name, --since and --changed-files.
	envs []environment.Environment
	// discovered are all the environments of the repository before any narrowing, when the
	// command discovered them (--all or names); nil when only named paths were loaded. What
	// owns a golden directory is decided on this list, never on envs.
	discovered []environment.Environment
	// cache is the render cache, nil when disabled.
	cache *cache.CachingEvaluator
}

// workDir returns the directory relative paths are resolved against.
func (s IOStreams) workDir() (string, error) {
	if s.WorkDir != "" {
		return s.WorkDir, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("find working directory: %w", err)
	}
	return wd, nil
}

// findProject locates the repository from the first argument that is an existing path, else from
// the working directory.
func findProject(streams IOStreams, args []string) (*project.Project, string, error) {
	wd, err := streams.workDir()
	if err != nil {
		return nil, "", err
	}
	start := wd
	for _, arg := range args {
		p := arg
		if !filepath.IsAbs(p) {
			p = filepath.Join(wd, p)
		}
		if _, err := os.Stat(p); err == nil {
			start = p
			break
		}
	}
	proj, err := project.Find(start)
	if err != nil {
		return nil, "", err
	}
	return proj, wd, nil
}

// newSession finds the project, builds the renderer and selects the environments named by args
// (every environment with --all).
func newSession(ctx context.Context, streams IOStreams, args []string, sel selectFlags, ev evalFlags) (*session, error) {
	if err := sel.validate(args); err != nil {
		return nil, err
	}
	proj, wd, err := findProject(streams, args)
	if err != nil {
		return nil, err
	}
	opts := jsonnet.Options{Root: proj.Root, TraceOut: untrustedWriter{streams.ErrOut}}
	if err := ev.apply(&opts, streams.lookupEnv, wd); err != nil {
		return nil, err
	}
	filter, err := manifest.ParseTargets(sel.targets)
	if err != nil {
		return nil, usageErrorf("%w", err)
	}
	if err := sel.limits.apply(&proj.Config.Limits); err != nil {
		return nil, err
	}
	evaluator, err := sel.limits.evaluator(streams, proj.Config.Limits, sel.parallel)
	if err != nil {
		return nil, err
	}
	ropts := pipeline.Options{Project: proj, Jsonnet: opts, Targets: filter, Evaluator: evaluator}
	ce := sel.cache.install(streams, &ropts, sel.targets)
	r := pipeline.NewRenderer(ropts)
	if len(args) == 0 && !sel.all && sel.name == "" {
		sel.all = true // --since or --changed-files alone: every affected environment
	}
	envs, discovered, err := selectEnvironments(ctx, r, proj, wd, args, sel.name)
	if err != nil {
		return nil, err
	}
	for _, e := range envs {
		for _, w := range e.Warnings {
			fmt.Fprintf(streams.ErrOut, "Warning: %s\n", untrustedText(w))
		}
	}
	s := &session{project: proj, renderer: r, envs: envs, discovered: discovered, cache: ce}
	if sel.cache.affectedOnly() {
		total := len(s.envs)
		selection, err := selectAffected(ctx, s, &sel.cache, wd, sel.policiesMatter, sel.goldenMatters)
		if err != nil {
			return nil, err
		}
		describeSelection(streams, selection, total)
	}
	return s, nil
}

// selectEnvironments resolves the environment arguments. When every argument is a path inside an
// environment, only those environments are loaded, as `tk show <path>` does, so a broken
// environment elsewhere does not stop this one. Otherwise (--all, names, slugs, directories
// holding several environments) the whole repository is discovered and filtered; discovered is
// then every environment found, else nil.
func selectEnvironments(ctx context.Context, r *pipeline.Renderer, proj *project.Project, wd string, args []string, name string) (selected, discovered []environment.Environment, err error) {
	resolve := environment.PathResolver(proj, wd)
	if loaded, ok, err := loadByPath(ctx, r, proj, resolve, args); ok || err != nil {
		if err != nil {
			return nil, nil, err
		}
		if name == "" {
			return loaded, nil, nil
		}
		selected, err := environment.Select(loaded, nil, name, nil)
		return selected, nil, err
	}
	all, err := r.Environments(ctx, "")
	if err != nil {
		return nil, nil, err
	}
	selected, err = environment.Select(all, args, name, resolve)
	return selected, all, err
}

// loadByPath loads the environments of args when every one is a path with an entrypoint; ok is
// false when some argument is not.
func loadByPath(ctx context.Context, r *pipeline.Renderer, proj *project.Project, resolve environment.Resolver, args []string) ([]environment.Environment, bool, error) {
	if len(args) == 0 {
		return nil, false, nil
	}
	paths := make([]string, len(args))
	for i, arg := range args {
		rel, _, ok := resolve(arg)
		if !ok {
			return nil, false, nil
		}
		if _, _, err := proj.Entrypoint(proj.Abs(rel)); err != nil {
			return nil, false, nil
		}
		paths[i] = proj.Abs(rel)
	}
	var envs []environment.Environment
	seen := map[string]bool{}
	for _, p := range paths {
		loaded, err := r.Load(ctx, p)
		if err != nil {
			return nil, true, err
		}
		for _, e := range loaded {
			if !seen[e.Name] {
				seen[e.Name] = true
				envs = append(envs, e)
			}
		}
	}
	return envs, true, nil
}
