package cli

import (
	"context"
	"os"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/pipeline"
)

// evalOptions are the flags of `kforge eval`.
type evalOptions struct {
	sel  selectFlags
	eval evalFlags
	// expr is evaluated against the entrypoint's value, bound to main.
	expr string
}

func newEvalCmd(streams IOStreams) *cobra.Command {
	opts := &evalOptions{}
	cmd := &cobra.Command{
		Use:   "eval <file|dir|env>",
		Short: "Print the JSON a Jsonnet file evaluates to, like 'tk eval'",
		Long: `Eval evaluates a Jsonnet file of the repository (a directory means its main.jsonnet) and
prints the JSON it produces, byte for byte as 'tk eval' prints it: two-space indentation, keys
sorted, Go's escaping of <, > and & (\u003c), no final newline. A file whose directory (or the
nearest one above holding a file of that name) has spec.json is evaluated as that environment,
with 'import "tk"'; any other file with that directory's import path. An environment may also be
named by its name or slug (kforge), and --name picks one inline environment. -e evaluates
an expression against the value (bound to main), so '-e apps.order_service' prints
main.apps.order_service.`,
		Example: `  kforge eval environments/prod
  kforge eval lib/config/tiers.libsonnet -e 'prod'
  kforge eval prod -e 'apps.order_service.virtual_service.spec.http'
  kforge eval prod -e "['apps']['order_service'].stable.deployment.spec.replicas"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEval(cmd.Context(), streams, args, opts)
		},
	}
	cmd.Flags().StringVarP(&opts.expr, "eval", "e", "", "evaluate this expression against the output (bound to main)")
	cmd.Flags().StringVar(&opts.sel.name, "name", "", "select an inline environment by metadata.name")
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func runEval(ctx context.Context, streams IOStreams, args []string, opts *evalOptions) error {
	res, err := evalResult(ctx, streams, args, opts)
	if err != nil {
		return err
	}
	out, err := pipeline.TankaJSON(res.JSON)
	if err != nil {
		return err
	}
	_, err = streams.Out.Write(out)
	return err
}

// evalResult evaluates the file or directory args[0] names, as tk does, or else (and with
// --name) the one environment it selects.
func evalResult(ctx context.Context, streams IOStreams, args []string, opts *evalOptions) (jsonnet.Result, error) {
	if opts.sel.name == "" {
		proj, wd, err := findProject(streams, args)
		if err != nil {
			return jsonnet.Result{}, err
		}
		if p := absPath(wd, args[0]); proj.Contains(p) {
			if _, err := os.Stat(p); err == nil {
				ropts, err := rendererOptions(streams, proj, wd, opts.sel, opts.eval)
				if err != nil {
					return jsonnet.Result{}, err
				}
				return pipeline.NewRenderer(ropts).EvaluatePath(ctx, p, opts.expr)
			}
		}
	}
	opts.sel.single = true
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return jsonnet.Result{}, err
	}
	defer run.Close(ctx)
	return run.Eval(ctx, run.Envs()[0], opts.expr)
}
