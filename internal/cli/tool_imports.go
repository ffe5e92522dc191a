package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/pipeline"
)

func newToolImportsCmd(streams IOStreams) *cobra.Command {
	return &cobra.Command{
		Use:   "imports <file|dir>",
		Short: "Print every file an environment (or any Jsonnet file) imports, as a JSON array, like 'tk tool imports'",
		Long: `Imports prints, as one JSON array on one line, the entrypoint and every file it imports
transitively (import, importstr, importbin, in every branch), repository-relative and sorted,
as 'tk tool imports' does. Nothing is evaluated.`,
		Example: `  kforge tool imports environments/prod
  kforge tool imports environments/prod/main.jsonnet | jq -r '.[]'`,
		Args: cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			proj, wd, err := findProject(streams, args)
			if err != nil {
				return err
			}
			deps, err := pipeline.Imports(proj, absPath(wd, args[0]))
			if err != nil {
				return err
			}
			out, err := json.Marshal(deps)
			if err != nil {
				return fmt.Errorf("encode imports: %w", err)
			}
			_, err = fmt.Fprintf(streams.Out, "%s\n", out)
			return err
		},
	}
}

// toolImportersOptions are the flags of `kforge tool importers`.
type toolImportersOptions struct {
	// root narrows the environments searched to those below this directory.
	root string
	eval evalFlags
}

func newToolImportersCmd(streams IOStreams) *cobra.Command {
	opts := &toolImportersOptions{}
	cmd := &cobra.Command{
		Use:   "importers <file|dir|deleted:file>...",
		Short: "Print the entrypoints of the environments that import any of the files, like 'tk tool importers'",
		Long: `Importers prints the absolute path of the entrypoint (main.jsonnet) of every environment
that reads one of the files, directly or through other files, one per line and sorted (an empty line when there is none), as
'tk tool importers' prints them. A directory stands for every file below it; a file that was deleted
is given as deleted:<path>. It uses the same exact read sets as 'kforge env affected': a change
to kforge.yaml, jsonnetfile.json or go.mod affects every environment, and a file no environment
reads selects none. --root searches only the environments below a directory (default: the whole
repository). A file that does not exist (without deleted:) is an error (exit 2).`,
		Example: `  kforge tool importers lib/istio/canary.libsonnet
  kforge tool importers lib/ --root environments/
  kforge tool importers deleted:lib/old.libsonnet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runToolImporters(cmd.Context(), streams, args, opts)
		},
	}
	cmd.Flags().StringVar(&opts.root, "root", "", "only environments below this directory (default: the whole repository)")
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func runToolImporters(ctx context.Context, streams IOStreams, args []string, opts *toolImportersOptions) error {
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	files := make([]string, len(args))
	for i, arg := range args {
		if deleted, ok := strings.CutPrefix(arg, "deleted:"); ok {
			files[i] = deleted
			continue
		}
		if _, err := os.Stat(absPath(wd, arg)); errors.Is(err, fs.ErrNotExist) {
			return usageErrorf("file %q does not exist (name a deleted file deleted:%s)", arg, arg)
		}
		files[i] = arg
	}
	sel := selectFlags{all: true, entrypoints: true}
	var envArgs []string
	if opts.root != "" {
		sel.all, envArgs = false, []string{opts.root}
	}
	sel.cache.changedFiles = files
	run, err := openQuietRun(ctx, streams, envArgs, sel, opts.eval)
	if err != nil {
		return err
	}
	// One line per entrypoint, and like tk an empty line when there is none.
	_, err = fmt.Fprintln(streams.Out, strings.Join(run.Entrypoints(), "\n"))
	return err
}
