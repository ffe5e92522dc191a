// Package cli holds kforge's cobra commands: one file per command, each doing no work of its own
// beyond flags, wiring and exit codes.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/gctune"
	"github.com/kforge/kforge/internal/termtext"
)

// IOStreams are the standard streams and process environment a command may use. Commands never
// touch os.Stdout, os.Stderr or os.Getenv directly, so they can be tested.
type IOStreams struct {
	// In is standard input (manifests from `-`).
	In io.Reader
	// Out receives data: manifests, reports, diffs.
	Out io.Writer
	// ErrOut receives progress, warnings and errors.
	ErrOut io.Writer
	// LookupEnv reads the process environment; nil means an empty environment.
	LookupEnv func(key string) (string, bool)
	// Environ lists the process environment as key=value; nil means an empty environment.
	Environ func() []string
	// WorkDir is the directory relative paths are resolved against; empty means the process's.
	WorkDir string
	// GC sets the process's GC percent from its live heap (nil: left alone); an evaluation
	// worker gives it each evaluation's memory budget.
	GC *gctune.Tracker
}

func (s IOStreams) lookupEnv(key string) (string, bool) {
	if s.LookupEnv == nil {
		return "", false
	}
	return s.LookupEnv(key)
}

func (s IOStreams) environ() []string {
	if s.Environ == nil {
		return nil
	}
	return s.Environ()
}

// Main runs kforge with args, prints any error once to ErrOut and returns the process exit code.
func Main(ctx context.Context, streams IOStreams, args []string) int {
	err := Run(ctx, streams, args)
	var quiet *quietExitError
	if err != nil && !errors.As(err, &quiet) {
		printError(streams.ErrOut, err)
	}
	return ExitCode(err)
}

// Run runs kforge with args and returns the command's error, if any.
func Run(ctx context.Context, streams IOStreams, args []string) error {
	root := newRootCmd(streams)
	root.SetArgs(args)
	return root.ExecuteContext(ctx)
}

func newRootCmd(streams IOStreams) *cobra.Command {
	root := &cobra.Command{
		Use:   "kforge",
		Short: "Render, validate and freeze a Jsonnet GitOps repository",
		Long: `kforge renders the environments of a Jsonnet repository in Grafana Tanka's layout into
Kubernetes manifests, validates them with Rego policies and keeps the rendered output under golden/
for Argo CD or Flux to deploy.

Exit codes:
  0  clean
  1  findings (policy or schema) or golden drift
  2  invalid input, usage error, evaluation error or a policy that does not compile
  16 kforge fmt --test: files are not formatted (tk fmt's status)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(streams.In)
	root.SetOut(streams.Out)
	root.SetErr(streams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%w", err)
	})
	root.AddCommand(
		newVersionCmd(streams),
		newEnvCmd(streams),
		newRenderCmd(streams),
		newEvalCmd(streams),
		newValidateCmd(streams),
		newReportCmd(streams),
		newPolicyCmd(streams),
		newGoldenCmd(streams),
		newExportCmd(streams),
		newDiffCmd(streams),
		newArgoCDPluginCmd(streams),
		newToolCmd(streams),
		newFmtCmd(streams),
		newWorkerCmd(streams),
	)
	addVersionFlag(root)
	addCompletions(root, streams)
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			c.Example = "  source <(kforge completion bash)\n  kforge completion zsh > \"${fpath[1]}/_kforge\""
			for _, shell := range c.Commands() {
				shell.Example = "  kforge completion " + shell.Name() + " > kforge-completion." + shell.Name()
			}
		}
	}
	return root
}

func printError(w io.Writer, err error) {
	// The error is already on its way to the exit code; a failed write to stderr has nowhere to go.
	_, _ = fmt.Fprintf(w, "Error: %s\n", termtext.Sanitize(err.Error()))
}
