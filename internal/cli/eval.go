package cli

import (
	"context"
	"io"

	"github.com/spf13/cobra"
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
		Use:   "eval <env>",
		Short: "Print an environment's raw Jsonnet output as JSON, like 'tk eval'",
		Long: `Eval evaluates the environment's entrypoint and prints the JSON it produces, before any
manifest extraction. -e evaluates an expression against that value (bound to main), so
'-e apps.order_service' prints main.apps.order_service.`,
		Example: `  kforge eval environments/prod
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
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	envs := run.Envs()
	if len(envs) != 1 {
		names := make([]string, len(envs))
		for i, e := range envs {
			names[i] = e.Name
		}
		return usageErrorf("%s names %d environments (%v): pick one, with --name for inline environments", args[0], len(envs), names)
	}
	res, err := run.Eval(ctx, envs[0], opts.expr)
	if err != nil {
		return err
	}
	_, err = io.WriteString(streams.Out, res.JSON)
	return err
}
