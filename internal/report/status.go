package report

import (
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// The statuses of an environment in a report (EnvironmentResult.Status).
const (
	// StatusPassed: the environment was validated and nothing fails the run.
	StatusPassed = "passed"
	// StatusFailed: the environment was validated and has findings that fail the run.
	StatusFailed = "failed"
	// StatusError: the environment could not be validated (a KF-RUN-* finding): it did not
	// render, a policy did not compile or failed, or a limit stopped it.
	StatusError = "error"
)

// RunRulePrefix starts the rule id of every run failure (KF-RUN-001..004): an outcome that
// kept an environment from being validated, as opposed to a finding about its output.
const RunRulePrefix = "KF-RUN-"

// IsRunFailure reports whether f is a run failure (a KF-RUN-* finding).
func IsRunFailure(f finding.Finding) bool { return strings.HasPrefix(f.RuleID, RunRulePrefix) }

// all is every finding of the environment: those listed under it and those it shares with an
// environment listed earlier, where they are printed.
func (e EnvironmentResult) all() []finding.Finding {
	if len(e.shared) == 0 {
		return e.Findings
	}
	return append(slices.Clone(e.Findings), e.shared...)
}

// notValidated reports whether the environment could not be validated: its Status says so or
// one of its findings is a run failure.
func (e EnvironmentResult) notValidated() bool {
	return e.Status == StatusError || slices.ContainsFunc(e.all(), IsRunFailure)
}

// status is the environment's status: Status when set, else derived from its findings.
// Warnings fail the environment with failOnWarning (kforge validate --fail-on warning).
func (e EnvironmentResult) status(failOnWarning bool) string {
	if e.notValidated() {
		return StatusError
	}
	if e.Status != "" {
		return e.Status
	}
	c := e.Counts()
	if c.Errors > 0 || (failOnWarning && c.Warnings > 0) {
		return StatusFailed
	}
	return StatusPassed
}

// Failed reports whether the run failed to validate some environment: a run failure
// (KF-RUN-*) or an environment whose status is "error". Such a run never exits 0, and no
// format calls it passed.
func (r Report) Failed() bool {
	return slices.ContainsFunc(r.Environments, EnvironmentResult.notValidated)
}

// environmentsText names the environments a finding affects: its Environments, or its
// Environment alone.
func environmentsText(f finding.Finding) string {
	if len(f.Environments) > 1 {
		return strings.Join(f.Environments, ", ")
	}
	return f.Environment
}

// sharedKey identifies one outcome that several environments share.
func sharedKey(f finding.Finding) string {
	return strings.Join([]string{f.RuleID, string(f.Severity), f.Message, f.Location().String(), f.Source,
		strings.Join(f.Environments, "\x00")}, "\x01")
}

// dedupeShared keeps each finding that stands for several environments (Environments) only in
// the first environment that lists it, envs being in report order; the later ones keep it in
// their shared list, so that their counts and statuses still see it while every format prints
// it once.
func dedupeShared(envs []EnvironmentResult) {
	seen := map[string]bool{}
	for i := range envs {
		e := &envs[i]
		kept := e.Findings[:0:0]
		for _, f := range e.Findings {
			if len(f.Environments) > 1 {
				k := sharedKey(f)
				if seen[k] {
					e.shared = append(e.shared, f)
					continue
				}
				seen[k] = true
			}
			kept = append(kept, f)
		}
		e.Findings = kept
	}
}

// rootCausesFirst moves the schema findings about a resource in front of the other findings of
// the same severity about that resource: a schema violation on a field is the root cause of
// the policy findings it sets off. Everything else keeps the order of finding.Compare.
func rootCausesFirst(fs []finding.Finding) []finding.Finding {
	type key struct {
		env      string
		resource finding.ResourceRef
		severity finding.Severity
	}
	schemaOf := map[key][]finding.Finding{}
	for _, f := range fs {
		if isSchema(f) && !f.Resource.IsZero() {
			k := key{f.Environment, f.Resource, f.Severity}
			schemaOf[k] = append(schemaOf[k], f)
		}
	}
	if len(schemaOf) == 0 {
		return fs
	}
	out := make([]finding.Finding, 0, len(fs))
	placed := map[key]bool{}
	for _, f := range fs {
		k := key{f.Environment, f.Resource, f.Severity}
		causes, ok := schemaOf[k]
		switch {
		case !ok:
			out = append(out, f)
		case !placed[k]:
			placed[k] = true
			out = append(out, causes...)
			if !isSchema(f) {
				out = append(out, f)
			}
		case !isSchema(f):
			out = append(out, f)
		}
	}
	return out
}

// isSchema reports whether f is a schema finding (KF-SCHEMA-*).
func isSchema(f finding.Finding) bool { return strings.HasPrefix(f.RuleID, "KF-SCHEMA-") }

// resourcesText is "212 resources", or "not validated" for an environment that could not be.
func resourcesText(e EnvironmentResult) string {
	if e.notValidated() {
		return "not validated"
	}
	return plural(e.Resources, "resource")
}

// jsonEnvironments is the "environments" of a JSON finding: every environment it affects.
func jsonEnvironments(f finding.Finding) []string {
	if len(f.Environments) > 0 {
		return f.Environments
	}
	return []string{f.Environment}
}

// mdNotValidated marks an environment that could not be validated in the markdown summary table.
func mdNotValidated(e EnvironmentResult) string {
	if e.notValidated() {
		return " ❌ not validated"
	}
	return ""
}

// envCountsText is countsText of the environment's findings, or "run failed" for an
// environment that could not be validated and has no finding to show for it.
func envCountsText(e EnvironmentResult) string {
	c := e.Counts()
	if c.Total() == 0 && e.notValidated() {
		return "run failed"
	}
	return countsText(c)
}
