package cli

import (
	"context"
	"fmt"
	"path"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/export"
	"github.com/kforge/kforge/internal/golden"
)

// exportOptions are the flags of `kforge export`.
type exportOptions struct {
	sel  selectFlags
	eval evalFlags
	// format is the Tanka file name template.
	format string
	// extension is the file extension.
	extension string
	// manifest is the old opt-in for manifest.json, now the default; kept so scripts that pass it
	// still work.
	manifest bool
	// skipManifest does not write manifest.json (Tanka's --skip-manifest).
	skipManifest bool
	// recursive is Tanka's -r: accepted, since kforge always finds the environments below a
	// directory.
	recursive bool
	// merge is Tanka's --merge-strategy.
	merge string
	// replace swaps the directory's whole content atomically.
	replace bool
	// deletedEnvs are entrypoints of deleted environments whose files are dropped.
	deletedEnvs []string
	// layout is tanka (file names from --format) or golden (kforge's golden/ layout, one
	// directory per environment).
	layout string
}

func newExportCmd(streams IOStreams) *cobra.Command {
	opts := &exportOptions{}
	cmd := &cobra.Command{
		Use:   "export <dir> [<env>...] [--all]",
		Short: "Write environments' manifests into a directory, one file per resource, like 'tk export'",
		Long: `Export writes every resource of the environments into dir with Tanka-compatible file names
(--format, default '` + export.DefaultFormat + `'; the environment is available as
{{env.metadata.name}}, {{env.spec.namespace}}, ...), so a Tanka pipeline can switch without other
changes. As with Tanka, environments exported together need a --format that tells them apart
(with {{env.metadata.name}}), or --layout golden. Tanka's manifest.json (file → entrypoint) is
written unless --skip-manifest (--manifest, its former opt-in, is still accepted). -r/--recursive
is accepted for Tanka's command lines: kforge always exports every environment below a directory.

Without --merge-strategy the directory must be empty or missing; it is filled atomically. With
--replace its old content is swapped out atomically. replace-envs replaces only the files of the
exported environments (it needs manifest.json from an earlier export).`,
		Example: `  kforge export dist prod
  kforge export dist prod --format '{{.metadata.namespace}}/{{.kind}}-{{.metadata.name}}' --skip-manifest
  kforge export dist -r environments/ --format '{{env.metadata.name}}/{{.kind}}-{{.metadata.name}}' --merge-strategy replace-envs
  kforge export dist --all --layout golden`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExport(cmd.Context(), streams, args[0], args[1:], opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.format, "format", export.DefaultFormat, "file name template (Go text/template over each manifest; env holds the environment)")
	cmd.Flags().StringVar(&opts.extension, "extension", "yaml", "file extension")
	cmd.Flags().BoolVar(&opts.manifest, "manifest", false, "write manifest.json (the default; kept for older command lines)")
	cmd.Flags().BoolVar(&opts.skipManifest, "skip-manifest", false, "do not write manifest.json, which maps each file to its environment's entrypoint")
	cmd.Flags().BoolVarP(&opts.recursive, "recursive", "r", false, "accepted for Tanka compatibility: environments below a directory are always exported")
	cmd.Flags().StringVar(&opts.merge, "merge-strategy", "", "what to do when dir is not empty: fail-on-conflicts or replace-envs")
	cmd.Flags().BoolVar(&opts.replace, "replace", false, "replace dir's whole content atomically (it may hold only manifests and manifest.json)")
	cmd.Flags().StringVar(&opts.layout, "layout", "tanka", "tanka (file names from --format) or golden (<dir>/<env>/<namespace>/<kind>-<name>.yaml, each environment replaced atomically)")
	cmd.Flags().StringArrayVar(&opts.deletedEnvs, "merge-deleted-envs", nil, "with replace-envs: entrypoint of a deleted environment whose files are dropped (repeatable)")
	return cmd
}

// runExport writes the environments into dir: with the tanka layout through export.Options, with
// the golden layout into <dir>/<slug> by the same atomic, lock-protected writer as `kforge golden
// update`.
func runExport(ctx context.Context, streams IOStreams, dir string, args []string, opts *exportOptions) error {
	if opts.manifest && opts.skipManifest {
		return usageErrorf("--manifest and --skip-manifest exclude each other")
	}
	var merge export.MergeStrategy
	switch opts.layout {
	case "tanka":
		var err error
		if merge, err = export.ParseMergeStrategy(opts.merge); err != nil {
			return usageErrorf("%w", err)
		}
		if opts.replace && merge != export.MergeNone {
			return usageErrorf("--replace and --merge-strategy exclude each other")
		}
	case "golden":
	default:
		return usageErrorf("unknown --layout %q: use tanka or golden", opts.layout)
	}
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	if opts.layout == "golden" {
		return run.ExportGolden(ctx, absPath(wd, dir), dir, func(env environment.Environment, c golden.Changes) error {
			_, err := fmt.Fprintf(streams.ErrOut, "%s: %d added, %d changed, %d removed\n", path.Join(dir, env.Slug()), len(c.Added), len(c.Changed), len(c.Removed))
			return err
		})
	}
	// Export names its directory in messages as it is given: pass the user's relative path when
	// it resolves against the process's directory, so that no message shows an absolute path.
	target := dir
	if streams.WorkDir != "" {
		target = absPath(wd, dir)
	}
	res, err := run.Export(ctx, target, export.Options{
		Format:      opts.format,
		Extension:   opts.extension,
		Merge:       merge,
		Replace:     opts.replace,
		DeletedEnvs: opts.deletedEnvs,
		Manifest:    !opts.skipManifest,
	})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		if _, err := fmt.Fprintf(streams.ErrOut, "Warning: %s\n", w); err != nil {
			return err
		}
	}
	_, err = fmt.Fprintf(streams.ErrOut, "%s: %d written, %d unchanged, %d deleted\n", dir, len(res.Written), len(res.Unchanged), len(res.Deleted))
	return err
}
