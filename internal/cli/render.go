package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/manifest"
)

// renderOptions are the flags of `kforge render`.
type renderOptions struct {
	sel  selectFlags
	eval evalFlags
	// output is the format: yaml (a document stream) or json (a List).
	output string
}

func newRenderCmd(streams IOStreams) *cobra.Command {
	opts := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render [<env>...] [--all]",
		Short: "Render environments to a YAML stream (or JSON) on stdout",
		Long: `Render evaluates each environment's main.jsonnet and prints its manifests the way
'tk show' does: sorted, with the environment's namespace and labels applied, as YAML documents
separated by '---'. An environment is named by its directory, its main.jsonnet, its name
(environments/prod) or its slug (prod).`,
		Example: `  kforge render environments/prod
  kforge render prod staging -t 'deployment/.*' -t '!deployment/debug-.*'
  kforge render --all -o json
  kforge render prod -V cluster=eu1`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.validate(); err != nil {
				return err
			}
			return runRender(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	cmd.Flags().StringVarP(&opts.output, "output", "o", "yaml", "output format: yaml or json")
	return cmd
}

func (o *renderOptions) validate() error {
	if o.output != "yaml" && o.output != "json" {
		return usageErrorf("unknown output format %q: use yaml or json", o.output)
	}
	return nil
}

func runRender(ctx context.Context, streams IOStreams, args []string, opts *renderOptions) error {
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	if opts.output == "json" {
		all, err := run.RenderManifests(ctx)
		if err != nil {
			return err
		}
		return manifest.WriteJSON(streams.Out, all)
	}
	return run.WriteYAML(ctx, streams.Out)
}
