package cli

import (
	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/isolate"
)

// workerCommand is the hidden command a Pool starts: `kforge __worker`.
const workerCommand = "__worker"

// newWorkerCmd is the evaluation worker: kforge re-executed by the isolating evaluator, reading
// requests on standard input and answering on standard output (internal/isolate). It is not
// meant to be run by hand. Its exit status is 0 when its input ends and 2 when an evaluation
// went over limits.maxMemory (the parent has then already been told and kills it).
func newWorkerCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:    workerCommand,
		Short:  "Evaluate Jsonnet for another kforge process (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return isolate.Serve(cmd.Context(), streams.In, streams.Out, streams.GC)
		},
	}
}
