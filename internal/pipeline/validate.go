package pipeline

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/schema"
)

// EnvInfo describes env to the policies (input.environment).
func EnvInfo(env environment.Environment) policy.EnvInfo {
	return policy.EnvInfo{
		Name:      env.Name,
		Tier:      env.Tier(),
		Namespace: env.Spec.Spec.Namespace,
		Labels:    env.Spec.Metadata.Labels,
	}
}

// PolicyInput builds the policies' input for one rendered environment: its manifests, each with
// the golden file it is written to, and the manifests committed before (input.previous).
func (r *Renderer) PolicyInput(rendered *Rendered, previous []*manifest.Manifest) (policy.Input, error) {
	in := policy.Input{
		Environment: EnvInfo(rendered.Env),
		Resources:   Objects(rendered.Manifests),
		Previous:    Objects(previous),
		Entrypoint:  rendered.Env.Entrypoint,
	}
	names, err := manifest.FileNames(rendered.Manifests)
	if err != nil {
		return policy.Input{}, err
	}
	dir := r.GoldenTarget(rendered.Env).Dir
	in.Files = make([]string, len(names))
	for i, n := range names {
		in.Files[i] = path.Join(dir, n)
	}
	return in, nil
}

// Objects returns the decoded objects of ms, in order.
func Objects(ms []*manifest.Manifest) []map[string]any {
	out := make([]map[string]any, len(ms))
	for i, m := range ms {
		out[i] = m.Object
	}
	return out
}

// ValidateOptions choose what Validate checks besides rendering.
type ValidateOptions struct {
	// Policies are the compiled policies.
	Policies *policy.Engine
	// Schemas validate the objects' structure; nil skips schema validation.
	Schemas *schema.Validator
	// Golden also compares each environment with its golden directory (the KF-GOLDEN-*
	// findings), and with Selection.All reports the golden directories no environment owns.
	Golden bool
}

// Validate renders every selected environment and checks it against the schemas and the
// policies (and with opts.Golden its golden directory), in one pass. It returns a result per
// environment, in order. An environment that could not be validated (it did not render, a
// limit stopped it, a policy failed on it) has status error and a run failure (KF-RUN-*) as its
// finding, and makes err the join of the errors, each distinct error once with the
// environments it stopped ([EnvironmentsError]); the results are returned with it so that one
// broken environment does not hide the rest. Any other error returns no result.
func (r *Run) Validate(ctx context.Context, opts ValidateOptions) ([]report.EnvironmentResult, error) {
	if opts.Golden {
		if err := r.checkSlugs(); err != nil {
			return nil, err
		}
	}
	type outcome struct {
		res report.EnvironmentResult
		err error
	}
	var outcomes []outcome
	var fails []envFailure
	failed, err := each(ctx, r,
		func(ctx context.Context, env environment.Environment) (outcome, error) {
			res, err := r.validateEnvironment(ctx, env, opts)
			if err != nil && !stopsOneEnvironment(err) {
				return outcome{}, err
			}
			return outcome{res: res, err: err}, nil
		},
		func(env environment.Environment, o outcome) error {
			if o.err != nil {
				fails = append(fails, envFailure{env: env, err: o.err})
				o.res.Name = env.Name
			}
			outcomes = append(outcomes, o)
			return nil
		})
	if err != nil {
		return nil, err
	}
	failedResults, runErr := failureResults(fails)
	failed = errors.Join(failed, runErr)
	results := make([]report.EnvironmentResult, 0, len(outcomes))
	for _, o := range outcomes {
		if o.err != nil {
			o.res = failedResults[o.res.Name]
		}
		results = append(results, o.res)
	}
	// Expired exceptions, and with every environment evaluated the ones that waived nothing.
	// These findings, and the stale golden directories below, are about the repository, not an
	// environment: of a sharded run only shard 1 reports them, so that the reports of all
	// shards hold each once. A shard evaluates only part of the environments, so no shard can
	// tell that an exception waived nothing.
	if fs := opts.Policies.SettingsFindings(r.all && !r.shard.Sharded()); r.shard.First() && len(fs) > 0 {
		for i := range fs {
			fs[i].Environment = project.ConfigFile
		}
		results = append(results, report.EnvironmentResult{Name: project.ConfigFile, Findings: fs})
	}
	if opts.Golden && r.all && r.shard.First() {
		stale, err := r.StaleGoldenDirs()
		if err != nil {
			return nil, err
		}
		if len(stale) > 0 {
			dir := r.renderer.project.Config.Golden
			results = append(results, report.EnvironmentResult{Name: dir, Findings: staleDirFindings(dir, stale)})
		}
	}
	return results, failed
}

// validateEnvironment renders one environment and evaluates the schemas and policies against it,
// and with opts.Golden compares it with its golden directory too.
func (r *Run) validateEnvironment(ctx context.Context, env environment.Environment, opts ValidateOptions) (report.EnvironmentResult, error) {
	rendered, err := r.renderer.Render(ctx, env)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	// The rendered files let ReadGolden skip parsing the committed files that did not change.
	files, err := r.renderer.RenderedFiles(rendered)
	if err != nil {
		return report.EnvironmentResult{}, err
	}
	committed, err := r.renderer.ReadGolden(env, rendered, files)
	if err != nil {
		return report.EnvironmentResult{}, fmt.Errorf("validate %s: %w", env.Name, err)
	}
	in, err := r.renderer.PolicyInput(rendered, committed.Manifests)
	if err != nil {
		return report.EnvironmentResult{}, fmt.Errorf("validate %s: %w", env.Name, err)
	}
	// Schema findings depend only on the output and the schemas: an unchanged environment's come
	// from the render cache.
	var findings []finding.Finding
	if opts.Schemas != nil {
		err = Memoize(r.renderer, rendered.Output, "schema-findings/v2 "+opts.Schemas.Fingerprint(), env, &findings, func() error {
			findings, err = SchemaFindings(ctx, opts.Schemas, env.Name, in.Resources, in.Files)
			return err
		})
		if err != nil {
			return report.EnvironmentResult{}, err
		}
	}
	policyFindings, err := opts.Policies.Evaluate(ctx, in)
	if err != nil {
		// The engine's errors already start with the environment's name.
		return report.EnvironmentResult{}, err
	}
	findings = append(findings, policyFindings...)
	locateFindings(findings, rendered, r.renderer.GoldenTarget(env).Dir, files, r.origins)
	if opts.Golden {
		drift, err := r.renderer.goldenFindings(rendered, files, committed)
		if err != nil {
			return report.EnvironmentResult{}, err
		}
		findings = append(findings, drift...)
	}
	finding.Sort(findings)
	return report.EnvironmentResult{
		Name:       env.Name,
		Tier:       env.Tier(),
		Entrypoint: env.Entrypoint,
		Resources:  len(rendered.Manifests),
		Findings:   findings,
	}, nil
}

// Rules is the rule catalogue of a validation: the policies' rules, the schema finding ids when
// schemas are validated and the golden ones when golden/ is compared.
func Rules(policies *policy.Engine, schemas, golden bool) []finding.Rule {
	rules := policies.Rules()
	if schemas {
		rules = append(rules, schema.Rules()...)
	}
	if golden {
		rules = append(rules, GoldenRules()...)
	}
	return rules
}

// SchemaFindings checks objects against their schemas, with the CRDs among them added, and
// returns the findings in the report's shape. files holds each object's file (may be nil).
func SchemaFindings(ctx context.Context, v *schema.Validator, envName string, objs []map[string]any, files []string) ([]finding.Finding, error) {
	if v == nil {
		return nil, nil
	}
	ev, err := v.AddCRDs(envName, objs)
	if err != nil {
		return nil, fmt.Errorf("validate %s: %w", envName, err)
	}
	var out []finding.Finding
	for i, fs := range ev.ValidateAll(ctx, objs) {
		file := ""
		if i < len(files) {
			file = files[i]
		}
		for _, f := range fs {
			out = append(out, f.Outcome(envName, file))
		}
	}
	return out, nil
}
