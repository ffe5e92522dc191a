package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/schema"
)

// policyFlags choose the policies and how they are evaluated.
type policyFlags struct {
	// policies are extra policy directories, added to the repository's (kforge.yaml `policies`).
	policies []string
	// data are extra JSON or YAML data files mounted at the root of data.
	data []string
	// namespaces select conftest-style packages (default main).
	namespaces []string
	// allNamespaces evaluates every conftest-style package.
	allNamespaces bool
	// noBuiltin skips the repository's own policy directories.
	noBuiltin bool
}

func (f *policyFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringArrayVar(&f.policies, "policy", nil, "extra Rego policy directory (repeatable), added to the repository's policies/")
	fs.StringArrayVar(&f.data, "data", nil, "extra data file (JSON or YAML) for the policies (repeatable)")
	fs.StringArrayVar(&f.namespaces, "namespace", nil, "conftest-style package to evaluate (repeatable; default main)")
	fs.BoolVar(&f.allNamespaces, "all-namespaces", false, "evaluate every conftest-style package")
	fs.BoolVar(&f.noBuiltin, "no-builtin-policies", false, "skip the repository's own policy directories")
}

// load compiles the policies. proj may be nil (validating manifests outside a repository).
func (f *policyFlags) load(ctx context.Context, proj *project.Project, wd string) (*policy.Engine, error) {
	var dirs []string
	opts := policy.Options{Namespaces: f.namespaces, AllNamespaces: f.allNamespaces}
	if proj != nil {
		opts.Root = proj.Root
		opts.Timeout = proj.Config.Limits.PolicyTimeout
		if !f.noBuiltin {
			for _, d := range proj.Config.Policies {
				if fi, err := os.Stat(proj.Abs(d)); err == nil && fi.IsDir() {
					dirs = append(dirs, proj.Abs(d))
				}
			}
		}
	}
	if proj == nil {
		// Outside a repository, paths are reported relative to the working directory.
		opts.Root = wd
	}
	for _, d := range f.policies {
		dirs = append(dirs, absPath(wd, d))
	}
	data := make([]string, len(f.data))
	for i, d := range f.data {
		data[i] = absPath(wd, d)
	}
	if len(dirs) == 0 {
		if f.noBuiltin {
			return nil, usageErrorf("no policies to evaluate: --no-builtin-policies needs --policy DIR")
		}
		return nil, usageErrorf("no policies to evaluate: the repository has no policies/ directory; pass --policy DIR")
	}
	return policy.Load(ctx, dirs, data, opts)
}

func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(wd, p)
}

// reportFlags choose how a report is printed.
type reportFlags struct {
	// output is the format printed on stdout.
	output string
	// files are extra reports written to files, as format=path.
	files []string
	// failOn is the lowest severity that fails the run: error or warning.
	failOn string
}

func (f *reportFlags) addFlags(fs *pflag.FlagSet) {
	fs.StringVarP(&f.output, "output", "o", report.FormatText, "report format on stdout: "+strings.Join(report.Formats(), ", "))
	fs.StringArrayVar(&f.files, "report", nil, "also write a report to a file, as format=path (repeatable), e.g. sarif=kforge.sarif")
	fs.StringVar(&f.failOn, "fail-on", policy.SeverityError, "lowest severity that makes the run fail (exit 1): error or warning")
}

func (f *reportFlags) validate() error {
	if !validFormat(f.output) {
		return usageErrorf("unknown output format %q: use one of %s", f.output, strings.Join(report.Formats(), ", "))
	}
	for _, spec := range f.files {
		format, file, ok := strings.Cut(spec, "=")
		if !ok || file == "" || !validFormat(format) {
			return usageErrorf("--report %q: want format=path with a format among %s", spec, strings.Join(report.Formats(), ", "))
		}
	}
	if f.failOn != policy.SeverityError && f.failOn != policy.SeverityWarning {
		return usageErrorf("--fail-on %q: use error or warning", f.failOn)
	}
	return nil
}

func validFormat(format string) bool {
	for _, f := range report.Formats() {
		if f == format {
			return true
		}
	}
	return false
}

// write prints r on streams.Out and into every --report file, then turns the counts into the
// command's result: a findings error (exit 1) when anything at or above --fail-on was found.
func (f *reportFlags) write(streams IOStreams, wd string, r report.Report) error {
	opts := report.Options{Color: streams.useColor(streams.Out), FailOnWarning: f.failOn == policy.SeverityWarning}
	if err := report.Write(streams.Out, f.output, r, opts); err != nil {
		return fmt.Errorf("write %s report: %w", f.output, err)
	}
	for _, spec := range f.files {
		format, file, _ := strings.Cut(spec, "=")
		if err := writeFileAtomic(absPath(wd, file), func(w io.Writer) error {
			return report.Write(w, format, r, report.Options{FailOnWarning: opts.FailOnWarning})
		}); err != nil {
			return fmt.Errorf("write %s report %s: %w", format, file, withoutPath(err))
		}
	}
	s := r.Summary()
	if s.Errors > 0 || (f.failOn == policy.SeverityWarning && s.Warnings > 0) {
		return findingsErrorf("%s and %s in %s", count(s.Errors, "error", "errors"), count(s.Warnings, "warning", "warnings"), count(s.Environments, "environment", "environments"))
	}
	return nil
}

// withoutPath drops the absolute path an *fs.PathError carries (e.g. of the temporary file), so
// that the message names only the path the user gave.
func withoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// writeFileAtomic writes a file through a temporary file in the same directory, renamed into
// place only when write succeeded.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// validateOptions are the flags of `kforge validate`.
type validateOptions struct {
	sel    selectFlags
	eval   evalFlags
	policy policyFlags
	schema schemaFlags
	report reportFlags
	// manifests validates already-rendered YAML (file, directory or - for stdin) instead of
	// rendering environments.
	manifests string
	// envName and tier describe --manifests input to the policies.
	envName, tier string
	// golden also compares each environment with its golden directory (KF-GOLDEN-* findings).
	golden bool
}

func newValidateCmd(streams IOStreams) *cobra.Command {
	opts := &validateOptions{}
	opts.sel.policiesMatter = true
	// input.previous (and --golden) read golden/<env>: a change there affects the environment.
	opts.sel.goldenMatters = true
	cmd := &cobra.Command{
		Use:   "validate [<env>...] [--all] | --manifests <file|dir|->",
		Short: "Render environments and check them against their schemas and the Rego policies (and golden/ with --golden)",
		Long: `Validate renders each environment and evaluates the policies of the repository (kforge.yaml
'policies', default policies/) plus any --policy directory against it. kforge-style packages
(package kforge.*) see one environment at a time as input: {environment, resources, previous},
where previous is what golden/<env> holds now. conftest-style packages (package main, or those
named with --namespace) see one manifest at a time, exactly as conftest does.

--golden also compares each environment with golden/<env>, in the same pass: a changed, missing
or orphaned golden file, or one that does not belong there, is a finding (KF-GOLDEN-001..004, with
--all also KF-GOLDEN-005 for directories of environments that no longer exist). One command then
gives a pull-request pipeline every check with one render per environment.

--manifests validates already-rendered YAML from any source (helm template, kustomize build) with
--env-name and --tier as the environment's context.

Exit codes: 0 clean (warnings allowed unless --fail-on warning), 1 findings, 2 invalid input or a
policy that does not compile.`,
		Example: `  kforge validate --all
  kforge validate prod -o github --report sarif=kforge.sarif
  kforge validate --all -o markdown > comment.md
  kforge validate --all --golden -o github --report sarif=kforge.sarif
  helm template ./chart | kforge validate --manifests - --tier prod --policy ~/conftest-policies`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.report.validate(); err != nil {
				return err
			}
			if opts.manifests != "" {
				if len(args) > 0 || opts.sel.all {
					return usageErrorf("--manifests validates files: do not name environments too")
				}
				if opts.golden {
					return usageErrorf("--golden compares rendered environments with golden/: it does not apply to --manifests")
				}
				return runValidateManifests(cmd.Context(), streams, opts)
			}
			return runValidate(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.addFlags(cmd.Flags())
	opts.eval.addFlags(cmd.Flags())
	opts.policy.addFlags(cmd.Flags())
	opts.schema.addFlags(cmd.Flags())
	opts.report.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&opts.manifests, "manifests", "", "validate rendered YAML from a file, a directory or - (stdin) instead of rendering")
	cmd.Flags().StringVar(&opts.envName, "env-name", "manifests", "with --manifests: the environment name the policies see")
	cmd.Flags().StringVar(&opts.tier, "tier", "", "with --manifests: the environment tier the policies see (dev, staging, prod)")
	cmd.Flags().BoolVar(&opts.golden, "golden", false, "also fail when golden/ differs from what the sources render (KF-GOLDEN-* findings), in the same render")
	return cmd
}

func runValidate(ctx context.Context, streams IOStreams, args []string, opts *validateOptions) error {
	s, err := newSession(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	engine, err := opts.policy.load(ctx, s.project, wd)
	if err != nil {
		return err
	}
	schemas, err := opts.schema.load(s.project, wd)
	if err != nil {
		return err
	}
	rep := newReport(engine, schemas)
	if opts.golden {
		if err := checkSlugs(s.envs); err != nil {
			return err
		}
		rep.Rules = append(rep.Rules, goldenRules()...)
	}
	var failed []error
	err = eachEnv(ctx, streams, s, opts.sel.parallel,
		func(ctx context.Context, env environment.Environment) (report.EnvironmentResult, error) {
			return validateEnvironment(ctx, s.renderer, engine, schemas, env, opts.golden)
		},
		func(_ environment.Environment, res report.EnvironmentResult, err error) error {
			if err != nil {
				failed = append(failed, err)
				return nil
			}
			rep.Environments = append(rep.Environments, res)
			return nil
		})
	if err != nil {
		return err
	}
	if opts.golden && opts.sel.all {
		stale, err := staleGoldenDirs(s)
		if err != nil {
			return err
		}
		if len(stale) > 0 {
			dir := s.project.Config.Golden
			rep.Environments = append(rep.Environments, report.EnvironmentResult{Name: dir, Findings: staleDirFindings(dir, stale)})
		}
	}
	if len(failed) > 0 {
		// The environments that could not be validated make the run invalid; the report of the
		// others is still printed so one broken environment does not hide the rest.
		if len(rep.Environments) > 0 {
			if werr := opts.report.write(streams, wd, rep); werr != nil && ExitCode(werr) != ExitFindings {
				failed = append(failed, werr)
			}
		}
		return errors.Join(failed...)
	}
	return opts.report.write(streams, wd, rep)
}

// validateEnvironment renders one environment and evaluates the schemas and policies against it,
// and with checkGolden compares it with its golden directory too.
func validateEnvironment(ctx context.Context, r *pipeline.Renderer, engine *policy.Engine, schemas *schema.Validator, env environment.Environment, checkGolden bool) (report.EnvironmentResult, error) {
	rendered, err := r.Render(ctx, env)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	// The rendered files let ReadGolden skip parsing the committed files that did not change.
	files, err := r.RenderedFiles(rendered)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	committed, err := r.ReadGolden(env, rendered, files)
	if err != nil {
		return report.EnvironmentResult{}, fmt.Errorf("validate %s: %w", env.Name, err)
	}
	in, err := r.PolicyInput(rendered, committed.Manifests)
	if err != nil {
		return report.EnvironmentResult{}, fmt.Errorf("validate %s: %w", env.Name, err)
	}
	// Schema findings depend only on the output and the schemas: an unchanged environment's come
	// from the render cache.
	var findings []policy.Finding
	if schemas != nil {
		err = pipeline.Memoize(r, rendered.Output, "schema-findings/v1 "+schemas.Fingerprint(), env, &findings, func() error {
			findings, err = validateSchemas(ctx, schemas, env.Name, in.Resources, in.Files)
			return err
		})
		if err != nil {
			return report.EnvironmentResult{}, err
		}
	}
	policyFindings, err := engine.Evaluate(ctx, in)
	if err != nil {
		// The engine's errors already start with the environment's name.
		return report.EnvironmentResult{}, err
	}
	findings = append(findings, policyFindings...)
	if checkGolden {
		drift, err := goldenFindings(rendered, files, committed, r)
		if err != nil {
			return report.EnvironmentResult{}, err
		}
		findings = append(findings, drift...)
	}
	policy.SortFindings(findings)
	return report.EnvironmentResult{
		Name:       env.Name,
		Tier:       env.Tier(),
		Entrypoint: env.Entrypoint,
		Resources:  len(rendered.Manifests),
		Findings:   findings,
	}, nil
}

func runValidateManifests(ctx context.Context, streams IOStreams, opts *validateOptions) error {
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	// The repository, when there is one, contributes its policies; manifests from elsewhere are
	// validated against --policy directories alone.
	proj, err := project.Find(wd)
	var notFound *project.RootNotFoundError
	if errors.As(err, &notFound) {
		proj = nil
	} else if err != nil {
		return err
	}
	if proj != nil {
		// --policy-timeout and the other limit flags override kforge.yaml here too.
		if err := opts.sel.limits.apply(&proj.Config.Limits); err != nil {
			return err
		}
	}
	ms, files, err := readManifests(streams, wd, opts.manifests)
	if err != nil {
		return err
	}
	engine, err := opts.policy.load(ctx, proj, wd)
	if err != nil {
		return err
	}
	in := policy.Input{
		Environment: policy.EnvInfo{Name: opts.envName, Tier: opts.tier},
		Resources:   pipeline.Objects(ms),
		Files:       files,
		Entrypoint:  opts.manifests,
	}
	schemas, err := opts.schema.load(proj, wd)
	if err != nil {
		return err
	}
	findings, err := validateSchemas(ctx, schemas, opts.envName, in.Resources, in.Files)
	if err != nil {
		return err
	}
	policyFindings, err := engine.Evaluate(ctx, in)
	if err != nil {
		return err
	}
	findings = append(findings, policyFindings...)
	policy.SortFindings(findings)
	rep := newReport(engine, schemas)
	rep.Environments = []report.EnvironmentResult{{
		Name: opts.envName, Tier: opts.tier, Entrypoint: opts.manifests,
		Resources: len(ms), Findings: findings,
	}}
	return opts.report.write(streams, wd, rep)
}

// readManifests reads YAML manifests from a file, every .yaml/.yml/.json file below a directory
// (in lexical order), or standard input for "-". It returns each manifest with its file.
func readManifests(streams IOStreams, wd, src string) ([]*manifest.Manifest, []string, error) {
	type input struct {
		name string
		data []byte
	}
	var inputs []input
	switch {
	case src == "-":
		data, err := io.ReadAll(streams.In)
		if err != nil {
			return nil, nil, fmt.Errorf("read manifests from stdin: %w", err)
		}
		inputs = append(inputs, input{name: "<stdin>", data: data})
	default:
		root := absPath(wd, src)
		fi, err := os.Stat(root)
		if err != nil {
			return nil, nil, usageErrorf("read manifests %s: %w", src, withoutPath(err))
		}
		if !fi.IsDir() {
			data, err := os.ReadFile(root)
			if err != nil {
				return nil, nil, fmt.Errorf("read manifests %s: %w", src, withoutPath(err))
			}
			inputs = append(inputs, input{name: src, data: data})
			break
		}
		var names []string
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			switch strings.ToLower(filepath.Ext(p)) {
			case ".yaml", ".yml", ".json":
				if !d.IsDir() {
					names = append(names, p)
				}
			}
			return nil
		})
		if err != nil {
			return nil, nil, fmt.Errorf("read manifests in %s: %w", src, withoutPath(err))
		}
		sort.Strings(names)
		for _, p := range names {
			rel, _ := filepath.Rel(root, p)
			data, err := os.ReadFile(p)
			if err != nil {
				return nil, nil, fmt.Errorf("read manifests %s: %w", filepath.ToSlash(filepath.Join(src, rel)), withoutPath(err))
			}
			inputs = append(inputs, input{name: filepath.ToSlash(filepath.Join(src, rel)), data: data})
		}
	}
	var all []*manifest.Manifest
	var files []string
	seen := map[manifest.ID]string{}
	for _, in := range inputs {
		ms, err := manifest.ParseYAML(in.data, in.name)
		if err != nil {
			return nil, nil, err
		}
		for _, m := range ms {
			// Objects named only by generateName are never duplicates of each other.
			if prev, dup := seen[m.ID()]; dup && !hasGenerateNameOnly(m) {
				return nil, nil, fmt.Errorf("%s: duplicate resource %s, already defined in %s", in.name, m.ID(), prev)
			}
			seen[m.ID()] = in.name
			all = append(all, m)
			files = append(files, in.name)
		}
	}
	return all, files, nil
}

// hasGenerateNameOnly reports whether m has no metadata.name, only a generateName.
func hasGenerateNameOnly(m *manifest.Manifest) bool {
	meta, _ := m.Object["metadata"].(map[string]any)
	_, named := meta["name"].(string)
	return !named
}

// newReport starts a report whose rule catalogue holds the policies' rules and, when schemas are
// validated, the schema finding ids.
func newReport(engine *policy.Engine, schemas *schema.Validator) report.Report {
	rules := engine.Rules()
	if schemas != nil {
		rules = append(rules, schemaRules()...)
	}
	return report.Report{Tool: "kforge", Version: kforgeVersion(), Rules: rules}
}
