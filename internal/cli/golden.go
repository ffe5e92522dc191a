package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/report"
)

func newGoldenCmd(streams IOStreams) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "golden",
		Short: "Compare or update the committed output under golden/",
		Example: `  kforge golden check --all
  kforge golden update --all`,
		Long: `golden/<env>/ holds each environment's rendered manifests, one file per resource
(<namespace>/<kind>-<name>.yaml, _cluster/ for cluster-scoped objects), and is what Argo CD or
Flux deploys. 'golden check' fails when the sources render something else; 'golden update'
rewrites the directories atomically.`,
	}
	cmd.AddCommand(newGoldenCheckCmd(streams), newGoldenUpdateCmd(streams))
	return cmd
}

// goldenOptions are the flags of `kforge golden check` and `kforge golden update`.
type goldenOptions struct {
	sel  selectFlags
	eval evalFlags
}

func newGoldenCheckCmd(streams IOStreams) *cobra.Command {
	opts := &goldenOptions{}
	opts.sel.goldenMatters = true
	cmd := &cobra.Command{
		Use:   "check [<env>...] [--all]",
		Short: "Fail (exit 1) when golden/ differs from what the sources render, with a diff per resource",
		Example: `  kforge golden check --all
  kforge golden check prod`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGoldenCheck(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

func newGoldenUpdateCmd(streams IOStreams) *cobra.Command {
	opts := &goldenOptions{}
	opts.sel.goldenMatters = true
	cmd := &cobra.Command{
		Use:   "update [<env>...] [--all]",
		Short: "Rewrite golden/ from the sources, atomically per environment",
		Long: `Update renders each environment into a temporary directory beside golden/<env> and swaps
it in only when the environment rendered completely: an environment that fails keeps its golden
directory byte-identical. Files of removed resources disappear; with --all, directories of
environments that no longer exist are removed too. A second run changes nothing.`,
		Example: `  kforge golden update --all
  kforge golden update prod staging`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runGoldenUpdate(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	return cmd
}

// checkSlugs refuses environment directory names that are unsafe or nest inside each other
// (updating the outer one would replace the inner one).
func checkSlugs(envs []environment.Environment) error {
	slugs := make([]string, len(envs))
	for i, e := range envs {
		slugs[i] = e.Slug()
	}
	return golden.ValidateSlugs(slugs)
}

func runGoldenCheck(ctx context.Context, streams IOStreams, args []string, opts *goldenOptions) error {
	s, err := newSession(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	drifts, err := renderDrifts(ctx, streams, s, opts.sel.parallel,
		func(t golden.Target, files []golden.File) (drift.Drift, error) {
			if err := golden.ValidateFiles(files); err != nil {
				return drift.Drift{}, fmt.Errorf("compare %s: %w", t.Dir, err)
			}
			tree, err := golden.ReadDirContent(t)
			if err != nil {
				return drift.Drift{}, err
			}
			// With -t only the selected resources are compared.
			selected, _ := s.renderer.ScopeGolden(t, tree)
			return drift.DiffSets(t, selected, files), nil
		})
	if err != nil {
		return err
	}
	var stale []string
	if opts.sel.all {
		if stale, err = staleGoldenDirs(s); err != nil {
			return err
		}
	}
	drifted := countDrifted(drifts)
	if drifted == 0 && len(stale) == 0 {
		fmt.Fprintf(streams.ErrOut, "golden: %s up to date\n", count(len(drifts), "environment", "environments"))
		return nil
	}
	if err := report.WriteDriftText(streams.Out, drifts, report.DriftTextOptions{Hint: true}); err != nil {
		return err
	}
	for _, dir := range stale {
		fmt.Fprintf(streams.Out, "- %s: no environment renders it any more (run 'kforge golden update --all')\n", dir)
	}
	msg := "golden drift in " + count(drifted, "environment", "environments")
	if len(stale) > 0 {
		msg += ", " + count(len(stale), "stale golden directory", "stale golden directories")
	}
	return findingsErrorf("%s", msg)
}

// staleGoldenDirs lists the top-level directories of the golden directory that belong to no
// environment of the repository (s.discovered: the selection may be narrowed by --name or
// --since, which does not make the other environments' directories stale).
func staleGoldenDirs(s *session) ([]string, error) {
	if s.discovered == nil {
		return nil, nil
	}
	root := s.project.Config.Golden
	entries, err := os.ReadDir(s.project.Abs(root))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", root, err)
	}
	owned := map[string]bool{}
	for _, e := range s.discovered {
		owned[strings.SplitN(e.Slug(), "/", 2)[0]] = true
	}
	var stale []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && !owned[e.Name()] {
			stale = append(stale, path.Join(root, e.Name()))
		}
	}
	sort.Strings(stale)
	return stale, nil
}

func runGoldenUpdate(ctx context.Context, streams IOStreams, args []string, opts *goldenOptions) error {
	s, err := newSession(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	if err := checkSlugs(s.envs); err != nil {
		return err
	}
	var failed []error
	err = eachEnv(ctx, streams, s, opts.sel.parallel,
		func(ctx context.Context, env environment.Environment) (golden.Changes, error) {
			files, err := s.renderer.Files(ctx, env)
			if err != nil {
				return golden.Changes{}, err
			}
			t := s.renderer.GoldenTarget(env)
			if len(opts.sel.targets) > 0 {
				// -t updates the selected resources only: the others keep their files.
				tree, err := golden.ReadDirContent(t)
				if err != nil {
					return golden.Changes{}, err
				}
				_, kept := s.renderer.ScopeGolden(t, tree)
				files = append(files, kept.Files...)
			}
			return golden.Update(t, files)
		},
		func(env environment.Environment, c golden.Changes, err error) error {
			if err != nil {
				failed = append(failed, err)
				return nil
			}
			dir := s.renderer.GoldenTarget(env).Dir
			if c.Empty() {
				fmt.Fprintf(streams.ErrOut, "%s: unchanged\n", dir)
				return nil
			}
			fmt.Fprintf(streams.ErrOut, "%s: %d added, %d changed, %d removed\n", dir, len(c.Added), len(c.Changed), len(c.Removed))
			return nil
		})
	if err != nil {
		return err
	}
	if len(failed) > 0 {
		return errors.Join(failed...)
	}
	if opts.sel.all && s.discovered != nil {
		// Every environment of the repository keeps its directory, also those --name, --since or
		// --changed-files left out of this run.
		keep := make([]string, len(s.discovered))
		for i, e := range s.discovered {
			keep[i] = e.Slug()
		}
		rep, err := golden.RemoveStale(s.project.Root, s.project.Config.Golden, keep)
		if err != nil {
			return err
		}
		for _, dir := range rep.Removed {
			fmt.Fprintf(streams.ErrOut, "%s: removed (no environment renders it)\n", dir)
		}
		for _, msg := range rep.Ignored {
			fmt.Fprintf(streams.ErrOut, "Warning: %s\n", msg)
		}
	}
	return nil
}

// renderDrifts renders every environment of s and compares it, through compare, with its golden
// directory (on disk, or as another source has it). Environments that fail to render are
// reported together, after the others ran.
func renderDrifts(ctx context.Context, streams IOStreams, s *session, parallel int,
	compare func(golden.Target, []golden.File) (drift.Drift, error),
) ([]drift.Drift, error) {
	var drifts []drift.Drift
	var failed []error
	err := eachEnv(ctx, streams, s, parallel,
		func(ctx context.Context, env environment.Environment) (drift.Drift, error) {
			files, err := s.renderer.Files(ctx, env)
			if err != nil {
				return drift.Drift{}, err
			}
			return compare(s.renderer.GoldenTarget(env), files)
		},
		func(_ environment.Environment, d drift.Drift, err error) error {
			if err != nil {
				failed = append(failed, err)
				return nil
			}
			drifts = append(drifts, d)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return drifts, errors.Join(failed...)
}

// countDrifted is the number of drifts that are not clean.
func countDrifted(drifts []drift.Drift) int {
	n := 0
	for _, d := range drifts {
		if !d.Clean() {
			n++
		}
	}
	return n
}
