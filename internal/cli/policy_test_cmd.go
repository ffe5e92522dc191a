package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/termtext"
)

// policyTestOptions are the flags of `kforge policy test`.
type policyTestOptions struct {
	// regoVersion is the Rego syntax of the policies: v1 (default) or v0.
	regoVersion string
	// coverage also prints each file's test coverage.
	coverage bool
	// output is text or json.
	output string
}

func newPolicyTestCmd(streams IOStreams) *cobra.Command {
	opts := &policyTestOptions{}
	cmd := &cobra.Command{
		Use:   "test [DIR...]",
		Short: "Run the Rego unit tests (test_ rules) of the policies, like opa test or conftest verify",
		Long: `Test runs every test_ rule in the .rego files under each DIR (default: the repository's
policy directories, kforge.yaml 'policies'), with the data.json and data.yaml files found there
as data, and prints each test's result and a summary. todo_test_ rules are skipped. The policies
are compiled as kforge validate compiles them (the same built-ins, Rego v1 unless
--rego-version v0).

Exit codes: 0 every test passed, 1 a test failed or errored, 2 a policy that does not compile or
invalid input.`,
		Example: `  kforge policy test
  kforge policy test policies --coverage
  kforge policy test policies --rego-version v0 -o json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPolicyTest(cmd.Context(), streams, args, opts)
		},
	}
	addRegoVersionFlag(cmd.Flags(), &opts.regoVersion)
	cmd.Flags().BoolVar(&opts.coverage, "coverage", false, "also print the share of each policy file's lines the tests evaluated")
	cmd.Flags().StringVarP(&opts.output, "output", "o", "text", "output format: text or json")
	return cmd
}

func runPolicyTest(ctx context.Context, streams IOStreams, dirs []string, opts *policyTestOptions) error {
	if opts.output != "text" && opts.output != "json" {
		return usageErrorf("unknown output format %q: use text or json", opts.output)
	}
	if err := checkRegoVersion(opts.regoVersion); err != nil {
		return err
	}
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		if dirs, err = repositoryPolicyDirs(wd); err != nil {
			return err
		}
	}
	rep, err := policy.RunTests(ctx, dirs, policy.TestOptions{Root: wd, RegoVersion: opts.regoVersion, Coverage: opts.coverage})
	if err != nil {
		return err
	}
	if len(rep.Results) == 0 {
		return usageErrorf("no Rego tests (test_ rules) in %s", strings.Join(dirs, ", "))
	}
	if opts.output == "json" {
		out, err := json.MarshalIndent(rep, "", "  ")
		if err != nil {
			return fmt.Errorf("encode test results: %w", err)
		}
		if _, err := fmt.Fprintf(streams.Out, "%s\n", out); err != nil {
			return err
		}
	} else if err := writePolicyTests(streams, rep); err != nil {
		return err
	}
	if passed, failed, _ := rep.Counts(); failed > 0 {
		return findingsErrorf("%d of %s failed", failed, count(passed+failed, "test", "tests"))
	}
	return nil
}

// repositoryPolicyDirs are the repository's policy directories (kforge.yaml `policies`) that
// exist, relative to wd.
func repositoryPolicyDirs(wd string) ([]string, error) {
	proj, err := pipeline.FindProject(wd, nil)
	if err != nil {
		return nil, usageErrorf("no policy directory to test: name one (kforge policy test DIR) or run inside a repository: %w", err)
	}
	var dirs []string
	for _, d := range proj.Config.Policies {
		abs := proj.Abs(d)
		if fi, err := os.Stat(abs); err == nil && fi.IsDir() {
			if rel, err := filepath.Rel(wd, abs); err == nil {
				abs = rel
			}
			dirs = append(dirs, abs)
		}
	}
	if len(dirs) == 0 {
		return nil, usageErrorf("the repository has no policy directory (kforge.yaml 'policies'): name one, kforge policy test DIR")
	}
	return dirs, nil
}

// writePolicyTests prints one line per test, what a failing test printed, the coverage when
// asked for, and a summary:
//
//	PASS   kforge.canary.test_weights_sum_to_100  policies/canary/canary_test.rego:12
//	FAIL   main_test.test_latest_tag               policy/deny_test.rego:9
//
//	3 tests: 2 passed, 1 failed
func writePolicyTests(streams IOStreams, rep policy.TestReport) error {
	width := 0
	for _, r := range rep.Results {
		width = max(width, len(r.Package)+1+len(r.Name))
	}
	w := bufio.NewWriter(streams.Out)
	for _, r := range rep.Results {
		name := r.Package + "." + r.Name
		fmt.Fprintf(w, "%-5s  %-*s  %s:%d\n", strings.ToUpper(r.Status), width, name, r.File, r.Line)
		if r.Status == policy.TestPass || r.Status == policy.TestSkip {
			continue
		}
		for _, text := range []string{r.Message, r.Output} {
			for line := range strings.SplitSeq(strings.TrimRight(text, "\n"), "\n") {
				if line != "" {
					fmt.Fprintf(w, "       %s\n", termtext.Sanitize(line))
				}
			}
		}
	}
	if rep.Coverage != nil {
		fmt.Fprintln(w, "\ncoverage:")
		fileWidth := len("total")
		for _, c := range rep.Coverage {
			fileWidth = max(fileWidth, len(c.File))
		}
		for _, c := range rep.Coverage {
			line := fmt.Sprintf("  %-*s  %6.2f%%", fileWidth, c.File, c.Percent)
			if len(c.NotCoveredLines) > 0 {
				line += "  not covered: " + strings.Join(c.NotCoveredLines, ", ")
			}
			fmt.Fprintln(w, line)
		}
		fmt.Fprintf(w, "  %-*s  %6.2f%%\n", fileWidth, "total", rep.CoveragePercent)
	}
	passed, failed, skipped := rep.Counts()
	summary := fmt.Sprintf("\n%s: %d passed", count(len(rep.Results), "test", "tests"), passed)
	if failed > 0 {
		summary += fmt.Sprintf(", %d failed", failed)
	}
	if skipped > 0 {
		summary += fmt.Sprintf(", %d skipped", skipped)
	}
	fmt.Fprintln(w, summary)
	return w.Flush()
}
