package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
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
  kforge render environments/inline --name eu-west -V cluster=eu1`,
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
	s, err := newSession(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	if opts.output == "json" {
		return renderJSON(ctx, streams, s, opts)
	}
	// YAML: each resource's canonical document, from the render cache's memo when the
	// environment is unchanged.
	var failed []error
	first := true
	err = eachEnv(ctx, streams, s, opts.sel.parallel,
		func(ctx context.Context, env environment.Environment) ([]golden.File, error) {
			return s.renderer.Files(ctx, env)
		},
		func(_ environment.Environment, files []golden.File, err error) error {
			if err != nil {
				failed = append(failed, err)
				return nil
			}
			for _, f := range files {
				if !first {
					if _, err := io.WriteString(streams.Out, "---\n"); err != nil {
						return err
					}
				}
				first = false
				if _, err := streams.Out.Write(f.Content); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	return errors.Join(failed...)
}

// renderJSON prints every selected environment's manifests as one JSON List.
func renderJSON(ctx context.Context, streams IOStreams, s *session, opts *renderOptions) error {
	var all []*manifest.Manifest
	var failed []error
	err := eachEnv(ctx, streams, s, opts.sel.parallel,
		func(ctx context.Context, env environment.Environment) (*pipeline.Rendered, error) {
			return s.renderer.Render(ctx, env)
		},
		func(_ environment.Environment, r *pipeline.Rendered, err error) error {
			if err != nil {
				failed = append(failed, err)
				return nil
			}
			all = append(all, r.Manifests...)
			return nil
		})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return errors.Join(failed...)
	}
	return manifest.WriteJSON(streams.Out, all)
}

// describeEnv is a one-line description of an environment for messages.
func describeEnv(env environment.Environment) string {
	return fmt.Sprintf("%s (%s)", env.Name, env.Entrypoint)
}
