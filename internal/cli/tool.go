package cli

import "github.com/spf13/cobra"

// newToolCmd groups tk's `tool` commands.
func newToolCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "tool",
		Short:   "Handy utilities for working with a Tanka repository (tk tool)",
		Example: "  kforge tool charts init",
		Args:    cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return usageErrorf("tool needs a subcommand (see kforge tool --help)")
		},
	}
	cmd.AddCommand(newToolChartsCmd(streams))
	return cmd
}
