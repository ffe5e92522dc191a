package cli

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/kforge/kforge/internal/affected"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/termtext"
)

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
	proj, err := pipeline.FindProject(wd, args)
	if err != nil {
		return nil, "", err
	}
	return proj, wd, nil
}

// openRun finds the project and opens the pipeline run of a rendering command: the evaluator,
// render cache and selection its flags ask for. Environment warnings and, with --since or
// --changed-files, why environments were selected go to stderr.
func openRun(ctx context.Context, streams IOStreams, args []string, sel selectFlags, ev evalFlags) (*pipeline.Run, error) {
	run, err := openQuietRun(ctx, streams, args, sel, ev)
	if err != nil {
		return nil, err
	}
	if affected, total, ok := run.Affected(); ok {
		if err := describeSelection(streams, affected, total); err != nil {
			run.Close(ctx)
			return nil, err
		}
	}
	return run, nil
}

// openQuietRun is openRun without saying why environments were selected.
func openQuietRun(ctx context.Context, streams IOStreams, args []string, sel selectFlags, ev evalFlags) (*pipeline.Run, error) {
	if err := sel.validate(args); err != nil {
		return nil, err
	}
	shard, err := parseShardFlag(sel.shard)
	if err != nil {
		return nil, err
	}
	labels, err := sel.labelSelector()
	if err != nil {
		return nil, err
	}
	proj, wd, err := findProject(streams, args)
	if err != nil {
		return nil, err
	}
	ropts, err := rendererOptions(streams, proj, wd, sel, ev)
	if err != nil {
		return nil, err
	}
	if msg := ropts.Targets.TankaReading(); msg != "" {
		if err := streams.warn(msg); err != nil {
			return nil, err
		}
	}
	ce, err := sel.cache.install(streams, &ropts, sel.targets, proj.Config.CacheURL)
	if err != nil {
		return nil, err
	}
	run, err := pipeline.Open(ctx, pipeline.RunOptions{
		Options: ropts,
		Cache:   ce,
		Selection: pipeline.Selection{
			WorkDir: wd, Args: args, All: sel.all, Name: sel.name,
			Since: sel.cache.since, ChangedFiles: sel.cache.changedFiles,
			PoliciesMatter: sel.policiesMatter, GoldenMatters: sel.goldenMatters,
			Labels: labels, Shard: shard, Single: sel.single, Entrypoints: sel.entrypoints,
		},
		Parallel: sel.parallel,
		Progress: pipeline.TerminalProgress(streams.ErrOut),
		// A warning has no error path: if stderr cannot take it, nothing else can either.
		Warn: func(msg string) { _ = streams.warn(msg) },
	})
	if err != nil {
		if ce != nil {
			ce.Close(ctx)
		}
		return nil, err
	}
	return run, nil
}

// rendererOptions are the Renderer options the flags ask for: Jsonnet's variables, the target
// filters, and the evaluator enforcing kforge.yaml's limits overridden by the limit flags.
func rendererOptions(streams IOStreams, proj *project.Project, wd string, sel selectFlags, ev evalFlags) (pipeline.Options, error) {
	opts := jsonnet.Options{Root: proj.Root, TraceOut: termtext.NewWriter(streams.ErrOut)}
	if err := ev.apply(&opts, streams.lookupEnv, wd); err != nil {
		return pipeline.Options{}, err
	}
	filter, err := manifest.ParseTargets(sel.targets)
	if err != nil {
		return pipeline.Options{}, usageErrorf("%w", err)
	}
	if err := sel.limits.apply(&proj.Config.Limits); err != nil {
		return pipeline.Options{}, err
	}
	evaluator, err := sel.limits.evaluator(streams, proj.Config.Limits, sel.parallel)
	if err != nil {
		return pipeline.Options{}, err
	}
	return pipeline.Options{Project: proj, Jsonnet: opts, Targets: filter, Evaluator: evaluator}, nil
}

// warn prints msg on stderr as a warning, sanitized.
func (s IOStreams) warn(msg string) error {
	_, err := fmt.Fprintf(s.ErrOut, "Warning: %s\n", termtext.Sanitize(msg))
	return err
}

// describeSelection says on stderr why environments were selected.
func describeSelection(streams IOStreams, sel affected.Selection, total int) error {
	if sel.All {
		_, err := fmt.Fprintf(streams.ErrOut, "affected: all %d environments (%s)\n", total, sel.Reason)
		return err
	}
	if _, err := fmt.Fprintf(streams.ErrOut, "affected: %d of %d environments\n", len(sel.Envs), total); err != nil {
		return err
	}
	for _, name := range sel.Envs {
		if _, err := fmt.Fprintf(streams.ErrOut, "  %s: %s\n", name, strings.Join(sel.Because[name], ", ")); err != nil {
			return err
		}
	}
	return nil
}
