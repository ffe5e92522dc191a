package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/affected"
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

// openRun finds the project and opens the pipeline run of a rendering command: the evaluator,
// render cache and selection its flags ask for. Environment warnings and, with --since or
// --changed-files, why environments were selected go to stderr.
func openRun(ctx context.Context, streams IOStreams, args []string, sel selectFlags, ev evalFlags) (*pipeline.Run, error) {
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
	run, err := pipeline.Open(ctx, pipeline.RunOptions{
		Options: ropts,
		Cache:   ce,
		Selection: pipeline.Selection{
			WorkDir: wd, Args: args, All: sel.all, Name: sel.name,
			Since: sel.cache.since, ChangedFiles: sel.cache.changedFiles,
			PoliciesMatter: sel.policiesMatter, GoldenMatters: sel.goldenMatters,
		},
		Parallel: sel.parallel,
		Progress: func(total int) pipeline.Progress { return newProgress(streams.ErrOut, total) },
		Warn: func(msg string) {
			fmt.Fprintf(streams.ErrOut, "Warning: %s\n", untrustedText(msg))
		},
	})
	if err != nil {
		return nil, err
	}
	if affected, total, ok := run.Affected(); ok {
		describeSelection(streams, affected, total)
	}
	return run, nil
}

// describeSelection says on stderr why environments were selected.
func describeSelection(streams IOStreams, sel affected.Selection, total int) {
	if sel.All {
		fmt.Fprintf(streams.ErrOut, "affected: all %d environments (%s)\n", total, sel.Reason)
		return
	}
	fmt.Fprintf(streams.ErrOut, "affected: %d of %d environments\n", len(sel.Envs), total)
	for _, name := range sel.Envs {
		fmt.Fprintf(streams.ErrOut, "  %s: %s\n", name, strings.Join(sel.Because[name], ", "))
	}
}
