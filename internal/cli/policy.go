package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
)

func newPolicyCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Inspect the Rego policies",
		Example: `  kforge policy list
  kforge policy test --coverage`,
	}
	cmd.AddCommand(newPolicyListCmd(streams), newPolicyTestCmd(streams))
	return cmd
}

// policyListOptions are the flags of `kforge policy list`.
type policyListOptions struct {
	policy policyFlags
	// json prints the catalogue as JSON.
	json bool
}

func newPolicyListCmd(streams IOStreams) *cobra.Command {
	opts := &policyListOptions{}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Print the rule catalogue (id, severity, state, source, title) from the policies' METADATA",
		Long: `List prints every rule the validation would load: the built-in pack (source builtin), the
repository's policy directories and --policy directories, then the schema checks. SEVERITY is
the severity findings get (kforge.yaml policy.severity applied); STATE is enabled, disabled
(policy.disable), "severity overridden", or hygiene (an opinion: a warning unless the
environment's tier sets strict_hygiene in the policy data).`,
		Example: `  kforge policy list
  kforge policy list --policy ./conftest-policies --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runPolicyList(cmd.Context(), streams, opts)
		},
	}
	opts.policy.addFlags(cmd.Flags())
	cmd.Flags().BoolVar(&opts.json, "json", false, "print the catalogue as JSON")
	return cmd
}

func runPolicyList(ctx context.Context, streams IOStreams, opts *policyListOptions) error {
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	proj, _, err := findProject(streams, nil)
	if err != nil {
		return err
	}
	engine, err := opts.policy.load(ctx, proj, wd)
	if err != nil {
		return err
	}
	rules := engine.Catalogue()
	for _, r := range pipeline.Rules(nil, true, false) {
		rules = append(rules, policy.RuleState{Rule: r, Source: "kforge", State: "enabled"})
	}
	if opts.json {
		out, err := json.MarshalIndent(rules, "", "  ")
		if err != nil {
			return fmt.Errorf("encode rules: %w", err)
		}
		_, err = fmt.Fprintf(streams.Out, "%s\n", out)
		return err
	}
	tw := tabwriter.NewWriter(streams.Out, 0, 8, 2, ' ', 0)
	// tabwriter buffers until Flush, whose error is returned.
	_, _ = fmt.Fprintln(tw, "ID\tSEVERITY\tSTATE\tSOURCE\tTITLE\tPOLICY")
	for _, r := range rules {
		where := fmt.Sprintf("%s:%d", r.File, r.Line)
		if r.File == "" {
			where = "(built into kforge: " + r.Package + ")"
		}
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.State, r.Source, r.Title, where)
	}
	return tw.Flush()
}
