package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/report"
)

func newGoldenCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "golden",
		Short: "Compare or update the committed output under golden/",
		Example: `  kforge golden check --all
  kforge golden update --all`,
		Long: `golden/<env>/ holds each environment's rendered manifests, one file per resource
(<namespace>/<kind>-<name>.yaml, _cluster/ for cluster-scoped objects), and is what Argo CD or
Flux deploys. 'golden check' fails when the sources render something else; 'golden update'
rewrites the directories atomically.`,
	}
	cmd.AddCommand(newGoldenCheckCmd(streams), newGoldenUpdateCmd(streams))
	return cmd
}

// goldenOptions are the flags of `kforge golden check` and `kforge golden update`.
type goldenOptions struct {
	sel  selectFlags
	eval evalFlags
}

func newGoldenCheckCmd(streams IOStreams) *cobra.Command {
	return newGoldenStepCmd(streams, runGoldenCheck, &cobra.Command{
		Use:   "check [<env>...] [--all]",
		Short: "Fail (exit 1) when golden/ differs from what the sources render, with a diff per resource",
		Example: `  kforge golden check --all
  kforge golden check prod`,
	})
}

func newGoldenUpdateCmd(streams IOStreams) *cobra.Command {
	return newGoldenStepCmd(streams, runGoldenUpdate, &cobra.Command{
		Use:   "update [<env>...] [--all]",
		Short: "Rewrite golden/ from the sources, atomically per environment",
		Long: `Update renders each environment into a temporary directory beside golden/<env> and swaps
it in only when the environment rendered completely: an environment that fails keeps its golden
directory byte-identical. Files of removed resources disappear; with --all, directories of
environments that no longer exist are removed too. A second run changes nothing.`,
		Example: `  kforge golden update --all
  kforge golden update prod staging`,
	})
}

// newGoldenStepCmd completes cmd, `golden check` or `golden update`, with the selection and
// evaluation flags and run.
func newGoldenStepCmd(streams IOStreams, run func(context.Context, IOStreams, []string, *goldenOptions) error, cmd *cobra.Command) *cobra.Command {
	opts := &goldenOptions{}
	opts.sel.goldenMatters = true
	cmd.RunE = func(c *cobra.Command, args []string) error {
		return run(c.Context(), streams, args, opts)
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func runGoldenCheck(ctx context.Context, streams IOStreams, args []string, opts *goldenOptions) error {
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	check, err := run.CheckGolden(ctx)
	if err != nil {
		return err
	}
	drifted := pipeline.Drifted(check.Drifts)
	if drifted == 0 && len(check.Stale) == 0 {
		_, err := fmt.Fprintf(streams.ErrOut, "golden: %s up to date\n", count(len(check.Drifts), "environment", "environments"))
		return err
	}
	if err := report.WriteDriftText(streams.Out, check.Drifts, report.DriftTextOptions{Hint: true}); err != nil {
		return err
	}
	for _, dir := range check.Stale {
		if _, err := fmt.Fprintf(streams.Out, "- %s: no environment renders it any more (run 'kforge golden update --all')\n", dir); err != nil {
			return err
		}
	}
	msg := "golden drift in " + count(drifted, "environment", "environments")
	if len(check.Stale) > 0 {
		msg += ", " + count(len(check.Stale), "stale golden directory", "stale golden directories")
	}
	return findingsErrorf("%s", msg)
}

func runGoldenUpdate(ctx context.Context, streams IOStreams, args []string, opts *goldenOptions) error {
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	stale, err := run.UpdateGolden(ctx, func(t golden.Target, c golden.Changes) error {
		if c.Empty() {
			_, err := fmt.Fprintf(streams.ErrOut, "%s: unchanged\n", t.Dir)
			return err
		}
		_, err := fmt.Fprintf(streams.ErrOut, "%s: %d added, %d changed, %d removed\n", t.Dir, len(c.Added), len(c.Changed), len(c.Removed))
		return err
	})
	if err != nil {
		return err
	}
	for _, dir := range stale.Removed {
		if _, err := fmt.Fprintf(streams.ErrOut, "%s: removed (no environment renders it)\n", dir); err != nil {
			return err
		}
	}
	for _, msg := range stale.Ignored {
		if _, err := fmt.Fprintf(streams.ErrOut, "Warning: %s\n", msg); err != nil {
			return err
		}
	}
	return nil
}
