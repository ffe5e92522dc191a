package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/kforge/kforge/internal/finding"
)

// sarifFingerprintKey names kforge's partial fingerprint in SARIF results.
const sarifFingerprintKey = "kforgeFinding/v1"

// WriteSARIF renders the report as a SARIF 2.1.0 log with one run, for
// GitHub code scanning and other SARIF consumers.
//
//   - The driver's rules are the rule catalogue: ruleId is the rule's stable
//     id, shortDescription its title, fullDescription its description, and
//     defaultConfiguration.level its severity (error → error,
//     warning → warning, info → note).
//   - Each finding is a result with that ruleId, its level, the message
//     "environment: resource: message", a location whose artifact is the
//     resource's golden file or the environment's entrypoint (relative to
//     %SRCROOT%, the root of the git work tree: opts.PathPrefix leads from
//     there to kforge's root), a logical location naming the resource, and a partial
//     fingerprint: a SHA-256 of rule id, environment and resource, so a
//     finding keeps its identity while its message or file changes.
//
// When an environment could not be validated (a KF-RUN-* finding), the run has an invocation
// with executionSuccessful false and a toolExecutionNotification per run failure, so a
// consumer does not take the missing results of that environment for fixed alerts.
//
// The document ends with a newline, like every format.
func WriteSARIF(w io.Writer, r Report, opts Options) error {
	r = r.normalized().withPathPrefix(opts.PathPrefix)
	run := sarif.NewRun().WithOriginalUriBaseIds(sarifBaseIDs())
	driver := sarif.NewToolComponent().WithName(r.Tool)
	if r.Version != "" {
		driver.WithVersion(r.Version)
	}
	run.WithTool(sarif.NewTool().WithDriver(driver))
	for _, rule := range r.Rules {
		d := run.AddRule(rule.ID).
			WithName(rule.ID).
			WithShortDescription(sarif.NewMultiformatMessageString().WithText(firstNonEmpty(rule.Title, rule.ID))).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(rule.Severity)))
		if rule.Description != "" {
			d.WithFullDescription(sarif.NewMultiformatMessageString().WithText(rule.Description))
		}
		props := sarif.NewPropertyBag()
		if rule.Package != "" {
			props.Add("package", rule.Package)
		}
		if rule.File != "" {
			props.Add("policy", rule.File)
		}
		if len(props.Properties) > 0 {
			d.WithProperties(props)
		}
	}
	for _, e := range r.Environments {
		for _, f := range e.Findings {
			res := run.CreateResultForRule(f.RuleID).
				WithLevel(sarifLevel(f.Severity)).
				WithMessage(sarif.NewTextMessage(githubMessage(f))).
				WithPartialFingerprints(map[string]string{sarifFingerprintKey: fingerprint(f)})
			loc := sarif.NewLocation()
			if f.File != "" {
				loc.WithPhysicalLocation(sarif.NewPhysicalLocation().
					WithArtifactLocation(sarif.NewSimpleArtifactLocation(f.File).WithURIBaseID("%SRCROOT%")).
					WithRegion(sarifRegion(f)))
			}
			ll := sarif.NewLogicalLocation().WithKind("resource").WithFullyQualifiedName(logicalName(f))
			if f.Resource.Name != "" {
				ll.WithName(f.Resource.Name)
			}
			loc.AddLogicalLocation(ll)
			res.AddLocation(loc)
			if related := sarifRelated(f); len(related) > 0 {
				res.WithRelatedLocations(related)
			}
		}
	}
	if inv := sarifInvocation(r); inv != nil {
		run.AddInvocation(inv)
	}
	log := sarif.NewReport()
	log.AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	// PrettyWrite ends with the closing brace; every format ends with one newline.
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func sarifLevel(severity finding.Severity) string {
	switch severity {
	case finding.SeverityError:
		return sarif.LevelError
	case finding.SeverityWarning:
		return sarif.LevelWarning
	}
	return sarif.LevelNote
}

// logicalName is "<environment>/<apiVersion>/<kind>/<namespace>/<name>",
// or the environment alone for findings about no resource.
func logicalName(f finding.Finding) string {
	if f.Resource.IsZero() {
		return f.Environment
	}
	return fmt.Sprintf("%s/%s/%s/%s/%s", f.Environment, f.Resource.APIVersion, f.Resource.Kind, f.Resource.Namespace, f.Resource.Name)
}

// fingerprint is a stable hash of rule id, environment and resource; for a finding about no
// resource (a stray file in a golden directory, an environment-wide rule) the file stands in for
// it, so that two such findings of one rule stay two alerts.
func fingerprint(f finding.Finding) string {
	parts := []string{f.RuleID, f.Environment, f.Resource.APIVersion, f.Resource.Kind, f.Resource.Namespace, f.Resource.Name}
	if f.Resource.IsZero() {
		parts = append(parts, f.File)
	}
	if IsRunFailure(f) {
		// Two errors of one broken policy file are two alerts.
		parts = append(parts, f.Location().String(), f.Message)
	}
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

func firstNonEmpty(s ...string) string {
	for _, x := range s {
		if x != "" {
			return x
		}
	}
	return ""
}
