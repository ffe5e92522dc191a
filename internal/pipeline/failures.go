package pipeline

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/isolate"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/policy"
	"github.com/kforge/kforge/internal/report"
)

// The rule ids of run failures: outcomes that keep an environment from being validated. They
// are findings like any other, so every report format shows them.
const (
	// RuleRenderFailed: the environment failed to render or evaluate (a Jsonnet error, output
	// that is not manifests, duplicate resources, a golden file that does not parse).
	RuleRenderFailed = "KF-RUN-001"
	// RulePolicyLoadFailed: a policy failed to load or compile.
	RulePolicyLoadFailed = "KF-RUN-002"
	// RulePolicyFailed: a policy failed at run time (an error, or --policy-timeout).
	RulePolicyFailed = "KF-RUN-003"
	// RuleLimitStopped: a limit stopped the environment's evaluation (--eval-timeout,
	// --max-memory, --max-output-bytes).
	RuleLimitStopped = "KF-RUN-004"
)

// RunRules is the catalogue of the run failures (KF-RUN-*).
func RunRules() []finding.Rule {
	rule := func(id, title, description string) finding.Rule { return builtinRule("run", id, title, description) }
	return []finding.Rule{
		rule(RuleRenderFailed, "Environment renders",
			"The environment failed to render or evaluate, so it was not validated: fix the error at the location given."),
		rule(RulePolicyLoadFailed, "Policies compile",
			"A policy failed to load or compile, so no environment was validated against the policies."),
		rule(RulePolicyFailed, "Policies evaluate",
			"A policy failed at run time (an error or the policy time limit), so the environment was not validated."),
		rule(RuleLimitStopped, "Evaluation within its limits",
			"A limit (evaluation time, memory, output size) stopped the environment's evaluation, so it was not validated."),
	}
}

// RunRulesUsed returns the catalogue entries of the run failures results hold, to add to a
// report's rules (a run without failures lists none of them).
func RunRulesUsed(results []report.EnvironmentResult) []finding.Rule {
	used := map[string]bool{}
	for _, res := range results {
		for _, f := range res.Findings {
			used[f.RuleID] = true
		}
	}
	var out []finding.Rule
	for _, r := range RunRules() {
		if used[r.ID] {
			out = append(out, r)
		}
	}
	return out
}

// ruleTitle is the title of a run failure's rule.
func ruleTitle(id string) string {
	for _, r := range RunRules() {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

// failureFinding turns the error that stopped env into a run failure located where the error
// points: the Jsonnet file, line and column of an evaluation error, the policy file of a policy
// error, else the environment's entrypoint.
func failureFinding(envName, entrypoint string, err error) finding.Finding {
	f := finding.Finding{RuleID: RuleRenderFailed, Severity: finding.SeverityError, Environment: envName, File: entrypoint}
	var (
		limit *isolate.LimitError
		perr  *policy.Error
		jerr  *jsonnet.Error
	)
	switch {
	case errors.As(err, &limit):
		f.RuleID = RuleLimitStopped
		if limit.File != "" {
			f.File = limit.File
		}
		f.Message = strings.TrimPrefix(limit.Error(), limit.File+": ")
	case errors.As(err, &perr):
		f.RuleID = RulePolicyFailed
		if perr.Kind == policy.KindLoad || perr.Kind == policy.KindCompile {
			f.RuleID = RulePolicyLoadFailed
		}
		f.Message = perr.Message
		if perr.Resource != "" {
			f.Message = perr.Resource + ": " + f.Message
		}
		if perr.File != "" {
			f.File, f.Line, f.Column, f.Source = perr.File, perr.Line, perr.Column, perr.File
		}
	case errors.As(err, &jerr):
		f.Message = jerr.Message
		switch {
		case strings.HasPrefix(jerr.File, "<"):
			// A pseudo file (<std>, <extvar:name>) is no place in the repository.
			f.Message = jerr.Position() + ": " + jerr.Message
		case jerr.File != "":
			f.File, f.Line, f.Column = jerr.File, jerr.Line, jerr.Column
		}
	default:
		f.Message = withoutEnvPrefix(err.Error(), envName)
	}
	f.Title = ruleTitle(f.RuleID)
	return f
}

// withoutEnvPrefix strips the "render <env>: " (or "validate <env>: ", "<env>: ") an error
// message starts with: a finding names its environment already.
func withoutEnvPrefix(msg, env string) string {
	for _, p := range []string{"render " + env + ": ", "validate " + env + ": ", env + ": "} {
		if s, ok := strings.CutPrefix(msg, p); ok {
			return s
		}
	}
	return msg
}

// envFailure is an environment that could not be validated and why.
type envFailure struct {
	env environment.Environment
	err error
}

// stopsOneEnvironment reports whether err stops one environment only, to be reported as a run
// failure: anything but the run being cancelled.
func stopsOneEnvironment(err error) bool {
	return !errors.Is(err, context.Canceled)
}

// failureGroup is one distinct failure and the environments it stopped, in run order.
type failureGroup struct {
	finding finding.Finding
	first   envFailure
	envs    []string
}

// groupFailures groups the failed environments (in run order) by their run failure: the same
// rule, message and location is one group, whose finding lists every environment
// (Environments) when there are several. byEnv maps each environment to its group.
func groupFailures(fails []envFailure) (groups []*failureGroup, byEnv map[string]*failureGroup) {
	byKey := map[string]*failureGroup{}
	byEnv = map[string]*failureGroup{}
	for _, fl := range fails {
		f := failureFinding(fl.env.Name, fl.env.Entrypoint, fl.err)
		k := report.RunFailureKey(f)
		g := byKey[k]
		if g == nil {
			g = &failureGroup{finding: f, first: fl}
			byKey[k] = g
			groups = append(groups, g)
		}
		g.envs = append(g.envs, fl.env.Name)
		byEnv[fl.env.Name] = g
	}
	for _, g := range groups {
		if len(g.envs) > 1 {
			g.finding.Environments = slices.Sorted(slices.Values(g.envs))
		}
	}
	return groups, byEnv
}

// joinFailures joins the errors of the failed environments, each distinct error once with the
// environments it stopped ([EnvironmentsError]).
func joinFailures(fails []envFailure) error {
	groups, _ := groupFailures(fails)
	errs := make([]error, 0, len(groups))
	for _, g := range groups {
		errs = append(errs, &EnvironmentsError{Environments: g.finding.Environments, First: g.first.env.Name, Err: g.first.err})
	}
	return errors.Join(errs...)
}

// failureResults turns the failed environments (in run order) into report results with status
// error and one run failure each; the same error (rule, message and location) in several
// environments is one finding listing them all (Environments), held by each of them. err joins
// one error per distinct failure, naming all its environments.
func failureResults(fails []envFailure) (map[string]report.EnvironmentResult, error) {
	_, byEnv := groupFailures(fails)
	results := make(map[string]report.EnvironmentResult, len(fails))
	for _, fl := range fails {
		f := byEnv[fl.env.Name].finding
		f.Environment = fl.env.Name
		results[fl.env.Name] = report.EnvironmentResult{
			Name: fl.env.Name, Tier: fl.env.Tier(), Entrypoint: fl.env.Entrypoint,
			Status: report.StatusError, Findings: []finding.Finding{f},
		}
	}
	return results, joinFailures(fails)
}

// EnvironmentsError is one error that stopped one or more environments, printed once with the
// list of the environments.
type EnvironmentsError struct {
	// Environments are the environments the error stopped, sorted; nil when it is one.
	Environments []string
	// First is the environment Err was returned for: its name in Err's text stands for all.
	First string
	// Err is the error of First.
	Err error
}

// Error is Err's text with the first mention of First replaced by the list of environments.
func (e *EnvironmentsError) Error() string {
	msg := e.Err.Error()
	if len(e.Environments) <= 1 {
		return msg
	}
	all := strings.Join(e.Environments, ", ")
	if strings.Contains(msg, e.First) {
		return strings.Replace(msg, e.First, all, 1)
	}
	return all + ": " + msg
}

// Unwrap returns the error of the first environment.
func (e *EnvironmentsError) Unwrap() error { return e.Err }

// PolicyLoadResults reports a policy that failed to load or compile (err, from LoadPolicies)
// for each of envs: not validated (status error), with a KF-RUN-002 finding per policy error
// shared by all of them.
func PolicyLoadResults(envs []environment.Environment, err error) []report.EnvironmentResult {
	names := make([]string, len(envs))
	for i, e := range envs {
		names[i] = e.Name
	}
	return policyLoadResults(names, func(i int) report.EnvironmentResult {
		return report.EnvironmentResult{Name: envs[i].Name, Tier: envs[i].Tier(), Entrypoint: envs[i].Entrypoint}
	}, err)
}

// policyLoadResults builds the results of PolicyLoadResults; base returns the i-th one without
// findings.
func policyLoadResults(names []string, base func(i int) report.EnvironmentResult, err error) []report.EnvironmentResult {
	var perrs []*policy.Error
	var list policy.Errors
	var one *policy.Error
	switch {
	case errors.As(err, &list):
		perrs = list
	case errors.As(err, &one):
		perrs = []*policy.Error{one}
	}
	var fs []finding.Finding
	for _, pe := range perrs {
		f := finding.Finding{RuleID: RulePolicyLoadFailed, Severity: finding.SeverityError, Title: ruleTitle(RulePolicyLoadFailed),
			Message: pe.Message, File: pe.File, Line: pe.Line, Column: pe.Column, Source: pe.File}
		fs = append(fs, f)
	}
	if len(fs) == 0 {
		fs = []finding.Finding{{RuleID: RulePolicyLoadFailed, Severity: finding.SeverityError, Title: ruleTitle(RulePolicyLoadFailed),
			Message: err.Error()}}
	}
	var shared []string
	if len(names) > 1 {
		shared = slices.Sorted(slices.Values(names))
	}
	out := make([]report.EnvironmentResult, len(names))
	for i, name := range names {
		res := base(i)
		res.Status = report.StatusError
		for _, f := range fs {
			f.Environment, f.Environments = name, shared
			res.Findings = append(res.Findings, f)
		}
		out[i] = res
	}
	return out
}

// ManifestsPolicyLoadResult is PolicyLoadResults for --manifests input: one environment named
// ms.EnvName.
func ManifestsPolicyLoadResult(ms Manifests, err error) report.EnvironmentResult {
	return policyLoadResults([]string{ms.EnvName}, func(int) report.EnvironmentResult {
		return report.EnvironmentResult{Name: ms.EnvName, Tier: ms.Tier, Entrypoint: ms.Source}
	}, err)[0]
}

// builtinRule is the catalogue entry of an error rule kforge checks itself (run failures,
// golden drift), in the package and style named by kind.
func builtinRule(kind, id, title, description string) finding.Rule {
	return finding.Rule{ID: id, Severity: finding.SeverityError, Title: title, Description: description,
		Package: kind, Style: kind}
}
