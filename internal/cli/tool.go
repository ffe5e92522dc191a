package cli

import "github.com/spf13/cobra"

// newToolCmd groups tk's `tool` utilities under the same names.
func newToolCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tool",
		Short: "Utilities for Jsonnet repositories, as 'tk tool'",
		Example: `  kforge tool imports environments/prod
  kforge tool importers lib/istio/canary.libsonnet
  kforge tool charts init`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("tool needs a subcommand (see kforge tool --help)")
		},
	}
	cmd.AddCommand(newToolChartsCmd(streams), newToolImportsCmd(streams), newToolImportersCmd(streams))
	return cmd
}
