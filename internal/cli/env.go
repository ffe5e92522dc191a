package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/pipeline"
)

func newEnvCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "env",
		Short: "Inspect the repository's environments",
		Example: `  kforge env list
  kforge env affected --since origin/main`,
	}
	cmd.AddCommand(newEnvListCmd(streams), newEnvAffectedCmd(streams))
	return cmd
}

// envListOptions are the flags of `kforge env list`.
type envListOptions struct {
	// json prints Tanka-compatible environment objects instead of a table.
	json bool
	// names prints only the names, one a line, sorted by name, as `tk env list --names` does.
	names bool
	// selector is -l/--selector: a kubectl label selector over metadata.labels.
	selector string
	// shard is --shard I/N: list only that shard of the environments, as the commands that
	// select environments split the same list.
	shard string
	eval  evalFlags
}

func newEnvListCmd(streams IOStreams) *cobra.Command {
	opts := &envListOptions{}
	cmd := &cobra.Command{
		Use:   "list [path]",
		Short: "List the environments below a path (default: the whole repository)",
		Long: `List prints every environment below path: static ones (a directory with spec.json and
main.jsonnet) and inline ones (Environment objects in a main.jsonnet's output). Vendor
directories are never searched. --json prints the environment objects as 'tk env list --json'
does, --names only their names (sorted by name, as tk sorts them). -l/--selector keeps the
environments whose metadata.labels match a kubectl label selector. --shard I/N lists shard I of N
of them: what 'validate --all --shard I/N' (or any other command that selects environments) works
on, when the list is the whole repository.`,
		Example: `  kforge env list
  kforge env list environments/ --json | jq -r '.[].metadata.name'
  kforge env list --names -l 'tier in (prod,canary)'
  kforge env list --shard 1/4`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEnvList(cmd.Context(), streams, args, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the environment objects as JSON")
	cmd.Flags().BoolVar(&opts.names, "names", false, "print only the names, one a line")
	cmd.Flags().StringVarP(&opts.selector, "selector", "l", "", "only environments whose metadata.labels match this kubectl label selector")
	addShardFlag(cmd.Flags(), &opts.shard)
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func runEnvList(ctx context.Context, streams IOStreams, args []string, opts *envListOptions) error {
	shard, err := parseShardFlag(opts.shard)
	if err != nil {
		return err
	}
	if opts.json && opts.names {
		return usageErrorf("--json and --names exclude each other")
	}
	sf := selectFlags{selector: opts.selector}
	labels, err := sf.labelSelector()
	if err != nil {
		return err
	}
	proj, wd, err := findProject(streams, args)
	if err != nil {
		return err
	}
	dir := ""
	if len(args) == 1 {
		rel, isDir, ok := environment.PathResolver(proj, wd)(args[0])
		if !ok || !isDir {
			return usageErrorf("%s is not a directory inside the repository", args[0])
		}
		dir = rel
	}
	// Inline entrypoints are evaluated under kforge.yaml's limits, in worker processes.
	ropts, err := rendererOptions(streams, proj, wd, selectFlags{}, opts.eval)
	if err != nil {
		return err
	}
	renderer := pipeline.NewRenderer(ropts)
	envs, err := renderer.Environments(ctx, dir)
	if err != nil {
		return err
	}
	for _, e := range envs {
		for _, w := range e.Warnings {
			if err := streams.warn(w); err != nil {
				return err
			}
		}
	}
	empty := len(envs) == 0
	envs = labels.Filter(envs)
	if envs, err = renderer.ShardEnvironments(envs, shard); err != nil {
		return err
	}
	if empty {
		where := pipeline.DisplayDir(wd, proj.Root)
		if len(args) == 1 {
			where = args[0]
		}
		if _, err := fmt.Fprintf(streams.ErrOut, "no environments found under %s\n", where); err != nil {
			return err
		}
	}
	if opts.json {
		out, err := environment.ListJSON(envs)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(streams.Out, "%s\n", out)
		return err
	}
	if opts.names {
		return printNames(streams, envs)
	}
	tw := tabwriter.NewWriter(streams.Out, 0, 8, 2, ' ', 0)
	// tabwriter buffers until Flush, whose error is returned.
	_, _ = fmt.Fprintln(tw, "NAME\tSLUG\tPATH\tNAMESPACE\tSERVER\tLABELS")
	for _, e := range envs {
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Name, e.Slug(), e.Entrypoint,
			e.Spec.Spec.Namespace, e.Spec.Spec.APIServer, formatLabels(e.Spec.Metadata.Labels))
	}
	return tw.Flush()
}

// printNames prints the environments' names, one a line, sorted by name as `tk env list
// --names` sorts them.
func printNames(streams IOStreams, envs []environment.Environment) error {
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	slices.Sort(names)
	for _, n := range names {
		if _, err := fmt.Fprintln(streams.Out, n); err != nil {
			return err
		}
	}
	return nil
}

// formatLabels prints labels as sorted key=value pairs.
func formatLabels(labels map[string]string) string {
	pairs := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		pairs = append(pairs, k+"="+labels[k])
	}
	return strings.Join(pairs, ",")
}

// envAffectedOptions are the flags of `kforge env affected`.
type envAffectedOptions struct {
	sel  selectFlags
	eval evalFlags
}

func newEnvAffectedCmd(streams IOStreams) *cobra.Command {
	opts := &envAffectedOptions{}
	cmd := &cobra.Command{
		Use:   "affected --since REF | --changed-files FILE...",
		Short: "Print the environments a change affects, one per line",
		Long: `Affected prints the environments whose inputs include a changed file: every file its
evaluation reads (from the render cache, or found by following the imports), its spec.json, and
any file that would now shadow one of its imports. A change to kforge.yaml, jsonnetfile.json,
go.mod or the policies affects every environment. Reasons are printed on stderr.`,
		Example: `  kforge env affected --since origin/main
  kforge env affected --changed-files lib/istio/canary.libsonnet`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !opts.sel.cache.affectedOnly() {
				return usageErrorf("pass --since REF or --changed-files FILE")
			}
			return runEnvAffected(cmd.Context(), streams, opts)
		},
	}
	opts.sel.policiesMatter = true
	opts.sel.cache.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func runEnvAffected(ctx context.Context, streams IOStreams, opts *envAffectedOptions) error {
	run, err := openRun(ctx, streams, nil, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	for _, e := range run.Envs() {
		if _, err := fmt.Fprintln(streams.Out, e.Name); err != nil {
			return err
		}
	}
	return nil
}
