package cli

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/report"
)

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
		Long: `Validate renders each environment and evaluates kforge's built-in policy pack, the policies of
the repository (kforge.yaml 'policies', default policies/) and any --policy directory against
it; kforge.yaml 'policy' configures the pack and the rules. With no policy at all (or
--no-policies) it checks schemas only. kforge-style packages
(package kforge.*) see one environment at a time as input: {environment, resources, previous},
where previous is what golden/<env> holds now. conftest-style packages (package main, or those
named with --namespace) see one manifest at a time, exactly as conftest does.

--golden also compares each environment with golden/<env>, in the same pass: a changed, missing
or orphaned golden file, or one that does not belong there, is a finding (KF-GOLDEN-001..004, with
--all also KF-GOLDEN-005 for directories of environments that no longer exist). One command then
gives a pull-request pipeline every check with one render per environment.

--manifests validates already-rendered YAML from any source (helm template, kustomize build) with
--env-name and --tier as the environment's context.

An environment that cannot be validated — it does not render, a limit stops it, a policy does
not compile or fails at run time — is a run failure (KF-RUN-001..004) in every report format,
located at the Jsonnet or policy line, and the report is printed all the same. The same error in
several environments (a shared library) is reported once, with the list of environments.

--shard I/N validates one part of the selection (a job of a CI matrix); write each shard's report
with -o json (or --report json=FILE) and 'kforge report merge' prints the whole run's report from
them, in any format, exactly as one run without --shard would.

conftest's flags mean what they mean there: -p/--policy, -d/--data, -n/--namespace,
--all-namespaces, --fail-on-warn, --no-fail, --rego-version v0|v1, -o tap and -o table.

Exit codes: 0 clean (warnings allowed unless --fail-on warning or --fail-on-warn; any findings
with --no-fail), 1 findings, 2 invalid input or a run failure (an environment that does not
render, a policy that does not compile or fails, a limit).`,
		Example: `  kforge validate --all
  kforge validate prod -o github --report sarif=kforge.sarif
  kforge validate --all -o markdown > comment.md
  kforge validate --all --golden -o github --report sarif=kforge.sarif
  kforge validate --all -o tap --fail-on-warn
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
				if opts.sel.shard != "" {
					return usageErrorf("--shard splits the selected environments: it does not apply to --manifests")
				}
				return runValidateManifests(cmd.Context(), streams, opts)
			}
			return runValidate(cmd.Context(), streams, args, opts)
		},
	}
	opts.sel.pIsPolicy = true
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
	run, err := openRun(ctx, streams, args, opts.sel, opts.eval)
	if err != nil {
		return err
	}
	defer run.Close(ctx)
	wd, err := streams.workDir()
	if err != nil {
		return err
	}
	engine, err := opts.policy.load(ctx, run.Project(), wd)
	if isPolicyLoadFailure(err) && len(run.Envs()) > 0 {
		// No environment can be validated: the report says so for each of them.
		rep := report.Report{Tool: "kforge", Version: kforgeVersion(), Environments: pipeline.PolicyLoadResults(run.Envs(), err),
			Run: run.ReportInfo(nil, nil)}
		return writeFailedReport(streams, wd, opts, rep, err)
	}
	if err != nil {
		return err
	}
	schemas, err := opts.schema.load(run.Project(), wd)
	if err != nil {
		return err
	}
	opts.report.root = run.Project().Root
	rep := report.Report{Tool: "kforge", Version: kforgeVersion(), Rules: pipeline.Rules(engine, schemas != nil, opts.golden)}
	rep.Environments, err = run.Validate(ctx, pipeline.ValidateOptions{Policies: engine, Schemas: schemas, Golden: opts.golden})
	rep.Run = run.ReportInfo(engine, rep.Rules)
	if err != nil {
		// The environments that could not be validated are in the report as run failures (and
		// make the run invalid); the others are reported as usual, so one broken environment
		// does not hide the rest.
		if len(rep.Environments) > 0 {
			return writeFailedReport(streams, wd, opts, rep, err)
		}
		return err
	}
	return opts.report.write(streams, wd, rep)
}

// isPolicyLoadFailure reports whether err is a policy that failed to load or compile, which the
// report shows as a run failure (KF-RUN-002), rather than a usage error such as no policies.
func isPolicyLoadFailure(err error) bool {
	kind := policy.KindOf(err)
	return kind == policy.KindLoad || kind == policy.KindCompile
}

// writeFailedReport prints the report of a run that could not validate everything and returns
// err, the run's error (exit 2), joined with any error writing the report.
func writeFailedReport(streams IOStreams, wd string, opts *validateOptions, rep report.Report, err error) error {
	rep.Rules = append(rep.Rules, pipeline.RunRulesUsed(rep.Environments)...)
	if werr := opts.report.write(streams, wd, rep); werr != nil && ExitCode(werr) != ExitFindings {
		err = errors.Join(err, werr)
	}
	return err
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
	ms, files, err := pipeline.ReadManifests(streams.In, wd, opts.manifests)
	if err != nil {
		return err
	}
	input := pipeline.Manifests{Manifests: ms, Files: files, Source: opts.manifests, EnvName: opts.envName, Tier: opts.tier}
	engine, err := opts.policy.load(ctx, proj, wd)
	if isPolicyLoadFailure(err) {
		rep := report.Report{Tool: "kforge", Version: kforgeVersion(),
			Environments: []report.EnvironmentResult{pipeline.ManifestsPolicyLoadResult(input, err)}, Run: manifestsRunInfo(input, nil)}
		return writeFailedReport(streams, wd, opts, rep, err)
	}
	if err != nil {
		return err
	}
	schemas, err := opts.schema.load(proj, wd)
	if err != nil {
		return err
	}
	res, err := pipeline.ValidateManifests(ctx, input, engine, schemas)
	rep := report.Report{Tool: "kforge", Version: kforgeVersion(), Rules: pipeline.Rules(engine, schemas != nil, false)}
	rep.Environments = []report.EnvironmentResult{res}
	rep.Run = manifestsRunInfo(input, rep.Rules)
	if err != nil {
		if res.Name != "" {
			return writeFailedReport(streams, wd, opts, rep, err)
		}
		return err
	}
	return opts.report.write(streams, wd, rep)
}

// manifestsRunInfo describes a --manifests run for its report: one environment, not sharded.
func manifestsRunInfo(input pipeline.Manifests, rules []finding.Rule) *report.RunInfo {
	names := []string{input.EnvName}
	return &report.RunInfo{Selection: report.NewSelection(names), Environments: names, Checks: report.RulesDigest(rules)}
}
