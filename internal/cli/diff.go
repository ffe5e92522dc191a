package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/report"
)

// diffOptions are the flags of `kforge diff`.
type diffOptions struct {
	sel  selectFlags
	eval evalFlags
	// base is a git ref whose golden/ is the old side; empty means golden/ on disk.
	base string
	// output is text or markdown.
	output string
	// exitZero exits 0 even when there are differences.
	exitZero bool
	// pathPrefix is --path-prefix, for -o markdown.
	pathPrefix pathPrefixFlag
}

func newDiffCmd(streams IOStreams) *cobra.Command {
	opts := &diffOptions{}
	opts.sel.goldenMatters = true
	cmd := &cobra.Command{
		Use:   "diff [<env>...] [--all] [--base REF]",
		Short: "Show what the working tree renders compared with golden/ (on disk or at a git ref)",
		Long: `Diff renders the environments and compares them, resource by resource, with golden/ as it is
on disk, or as it is at the git ref --base (e.g. origin/main in a pull request). Secret values
are masked. -o markdown writes a pull-request comment that stays within GitHub's 65,536
characters. Exits 1 when there are differences (0 with --exit-zero).`,
		Example: `  kforge diff prod
  kforge diff --all --base origin/main -o markdown > diff.md`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.output != "text" && opts.output != "markdown" {
				return usageErrorf("unknown output format %q: use text or markdown", opts.output)
			}
			return runDiff(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.base, "base", "", "compare with golden/ at this git ref instead of the working tree's golden/")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "text", "output format: text or markdown")
	cmd.Flags().BoolVar(&opts.exitZero, "exit-zero", false, "exit 0 even when there are differences")
	opts.pathPrefix.addFlag(cmd.Flags(), "-o markdown")
	return cmd
}

func runDiff(ctx context.Context, streams IOStreams, args []string, opts *diffOptions) error {
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	drifts, err := run.Diff(ctx, opts.base)
	if err != nil {
		return err
	}
	if opts.output == "markdown" {
		title := "kforge diff"
		if opts.base != "" {
			title = fmt.Sprintf("kforge diff against %s", opts.base)
		}
		err = report.WriteDriftMarkdown(streams.Out, drifts, report.DriftMarkdownOptions{Title: title, PathPrefix: opts.pathPrefix.resolve(run.Project().Root)})
	} else {
		err = report.WriteDriftText(streams.Out, drifts, report.DriftTextOptions{ShowClean: true})
	}
	if err != nil {
		return err
	}
	changed := pipeline.Drifted(drifts)
	if changed > 0 && !opts.exitZero {
		return findingsErrorf("%s", count(changed, "environment differs", "environments differ"))
	}
	return nil
}
