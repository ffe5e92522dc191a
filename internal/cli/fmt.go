package cli

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/jsonnetfmt"
)

// fmtOptions are the flags of `kforge fmt`, tk fmt's.
type fmtOptions struct {
	// test only checks: exit 16 when some file is not formatted.
	test bool
	// stdout prints the formatted files instead of writing them.
	stdout bool
	// excludes are globs of files left out when walking directories.
	excludes []string
	// verbose prints every file checked.
	verbose bool
}

func newFmtCmd(streams IOStreams) *cobra.Command {
	opts := &fmtOptions{}
	cmd := &cobra.Command{
		Use:   "fmt <file|dir>... | -",
		Short: "Format Jsonnet files in place, like 'tk fmt'",
		Long: `Fmt formats the .jsonnet and .libsonnet files below the given directories (and the files
given) with go-jsonnet's formatter, as 'tk fmt' and jsonnetfmt do, and writes back the ones that
change. Hidden files and directories and vendor directories are left out (--exclude replaces
those globs). '-' formats standard input to standard output. Messages are tk fmt's.

Exit codes: 0 formatted (or nothing to do); 16 with --test when some file is not formatted
(tk fmt's status; the files are listed on stderr); 2 when a file does not parse.`,
		Example: `  kforge fmt lib/ environments/
  kforge fmt --test lib/ environments/ # example: exit 0
  kforge fmt --stdout lib/config/tiers.libsonnet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			return runFmt(streams, args, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.test, "test", "t", false, "only check: exit 16 when some file is not formatted")
	cmd.Flags().BoolVar(&opts.stdout, "stdout", false, "print the formatted files instead of writing them")
	cmd.Flags().StringSliceVarP(&opts.excludes, "exclude", "e", jsonnetfmt.DefaultExcludes(), "globs of files to leave out when walking a directory")
	cmd.Flags().BoolVarP(&opts.verbose, "verbose", "v", false, "print each file checked")
	return cmd
}

func runFmt(streams IOStreams, args []string, opts *fmtOptions) error {
	if len(args) == 1 && args[0] == "-" {
		return fmtStdin(streams, opts.test)
	}
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	paths := make([]string, len(args))
	for i, a := range args {
		paths[i] = a
		if streams.WorkDir != "" {
			paths[i] = absPath(wd, a)
		}
	}
	results, err := jsonnetfmt.Run(paths, jsonnetfmt.Options{
		Excludes: opts.excludes,
		Write:    !opts.test && !opts.stdout,
	})
	if err != nil {
		return err
	}
	var changed []string
	for _, r := range results {
		name := displayPath(wd, streams.WorkDir, r.Path)
		if r.Changed {
			changed = append(changed, name)
		}
		if opts.verbose {
			status := "ok "
			if r.Changed {
				status = "fmt"
			}
			if _, err := fmt.Fprintln(streams.Out, status, name); err != nil {
				return err
			}
		}
		if opts.stdout && !opts.test {
			if _, err := fmt.Fprintf(streams.Out, "// %s\n%s", name, r.Formatted); err != nil {
				return err
			}
			if _, err := fmt.Fprintln(streams.ErrOut); err != nil {
				return err
			}
		}
	}
	if opts.verbose {
		if _, err := fmt.Fprintln(streams.ErrOut); err != nil {
			return err
		}
	}
	switch {
	case opts.test && len(changed) > 0:
		if _, err := fmt.Fprintln(streams.ErrOut, "The following files are not properly formatted:"); err != nil {
			return err
		}
		for _, c := range changed {
			if _, err := fmt.Fprintln(streams.ErrOut, c); err != nil {
				return err
			}
		}
		return &quietExitError{code: ExitNotFormatted}
	case len(changed) == 0:
		_, err = fmt.Fprintln(streams.ErrOut, "All discovered files are already formatted. No changes were made")
	default:
		_, err = fmt.Fprintf(streams.ErrOut, "Formatted %d files\n", len(changed))
	}
	return err
}

// displayPath shows p as the user gave it: relative to the working directory when the command
// runs with an injected one (tests), as it is otherwise.
func displayPath(wd, injected, p string) string {
	if injected == "" {
		return p
	}
	if rel, err := filepath.Rel(wd, p); err == nil {
		return filepath.ToSlash(rel)
	}
	return p
}

// fmtStdin formats standard input to standard output; with test, input that is not formatted
// exits 16, as tk fmt does.
func fmtStdin(streams IOStreams, test bool) error {
	in, err := io.ReadAll(streams.In)
	if err != nil {
		return fmt.Errorf("read standard input: %w", err)
	}
	out, err := jsonnetfmt.Format("<stdin>", string(in))
	if err != nil {
		return err
	}
	if _, err := io.WriteString(streams.Out, out); err != nil {
		return err
	}
	if test && out != string(in) {
		return &quietExitError{code: ExitNotFormatted}
	}
	return nil
}
