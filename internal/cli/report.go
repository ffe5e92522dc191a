package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/fsutil"
	"github.com/kforge/kforge/internal/report"
)

func newReportCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Work with kforge's JSON reports (merge the reports of a sharded run)",
		Long: `kforge validate -o json (or --report json=FILE) writes a report that holds everything the
other formats print. 'report merge' turns the JSON reports of the shards of one run (--shard I/N,
one per job of a CI matrix) into the report of the whole run, in any format.`,
		Example: `  kforge validate --all --shard 1/2 -o json > shard-1.json
  kforge validate --all --shard 2/2 -o json > shard-2.json
  kforge report merge shard-1.json shard-2.json -o markdown`,
		// TestExamples runs the lines in order in one repository: the last merges the first two's reports.
		Annotations: map[string]string{"examples": "sequence"},
	}
	cmd.AddCommand(newReportMergeCmd(streams))
	return cmd
}

// reportMergeOptions are the flags of `kforge report merge`.
type reportMergeOptions struct {
	report reportFlags
}

func newReportMergeCmd(streams IOStreams) *cobra.Command {
	opts := &reportMergeOptions{}
	cmd := &cobra.Command{
		Use:   "merge FILE...",
		Short: "Merge the JSON reports of the shards of a validate run (--shard I/N) into one report, in any format",
		Long: `Merge reads the JSON reports of the shards 1…N of one kforge validate run (--shard I/N -o json,
or --report json=FILE) and prints the report the same run without --shard would have printed, in
any format, byte for byte: the summary and counts, the order of environments and findings, a run
failure several environments share listed once with all of them (across shards), GitHub's
annotation budget and the Markdown comment's truncation. Findings about the repository
(kforge.yaml, stale golden directories) come from shard 1. An exception that waived nothing in a
run over every environment (--all), KF-POLICY-002, is one that no shard used: each shard records
the exceptions it left unused and merge reports those all of them left unused.

The reports must belong together: written by this version of kforge, the same selection of
environments and the same checks (policies, severities, schemas, --golden), the same --fail-on,
--no-fail and --path-prefix (which merge takes from them), all N shards exactly once and every
environment in exactly one of them. Anything else is refused (exit 2). One report of an
unsharded run merges to itself, so merge also turns a JSON report into another format.

Exit codes, those of the unsharded run: 0 clean, 1 findings at or above --fail-on (0 with
--no-fail), 2 when an environment could not be validated (a KF-RUN-* finding; the report is
printed all the same), or reports that cannot be read or do not belong together.`,
		Example: `  kforge validate --all --shard 1/2 -o json > shard-1.json
  kforge validate --all --shard 2/2 -o json > shard-2.json
  kforge report merge shard-1.json shard-2.json -o markdown > comment.md
  kforge report merge shard-1.json shard-2.json -o github --report sarif=kforge.sarif`,
		// TestExamples runs the lines in order in one repository: the last two merge the first two's reports.
		Annotations: map[string]string{"examples": "sequence"},
		Args:        cobra.ArbitraryArgs,
		RunE: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageErrorf("kforge report merge needs the JSON reports of the shards (FILE...)")
			}
			if err := opts.report.validate(); err != nil {
				return err
			}
			return runReportMerge(streams, args, opts)
		},
	}
	opts.report.addOutputFlags(cmd.Flags())
	return cmd
}

func runReportMerge(streams IOStreams, files []string, opts *reportMergeOptions) error {
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	shards := make([]report.ShardReport, 0, len(files))
	for _, file := range files {
		rep, err := readReport(absPath(wd, file), file)
		if err != nil {
			return err
		}
		shards = append(shards, report.ShardReport{File: file, Report: rep})
	}
	merged, err := report.Merge(shards, kforgeVersion())
	if err != nil {
		return err
	}
	run := merged.Run
	err = opts.report.writeWith(streams, wd, merged, reportSettings{failOn: run.FailOn, noFail: run.NoFail, pathPrefix: run.PathPrefix})
	if !merged.Failed() {
		return err
	}
	// As in kforge validate, a run that could not validate every environment exits 2.
	failed := fmt.Errorf("%s not validated (run failures KF-RUN-*: see the report)",
		count(merged.Summary().NotValidated, "environment", "environments"))
	if err != nil && ExitCode(err) != ExitFindings {
		return errors.Join(failed, err)
	}
	return failed
}

// readReport reads the JSON report at path, named file in errors.
func readReport(path, file string) (report.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return report.Report{}, fmt.Errorf("read report %s: %w", file, fsutil.OpWithoutPath(err))
	}
	defer func() { _ = f.Close() }()
	return report.ReadJSON(f, file)
}
