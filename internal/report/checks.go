package report

import (
	"strings"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/termtext"
)

// The results of a check in the conftest-style formats (tap, table), as conftest names them.
const (
	checkFailure = "failure"
	checkWarning = "warning"
	checkInfo    = "info"
	checkSuccess = "success"
)

// check is one line of a conftest-style report: a finding, an environment that could not be
// validated, or an environment that passed every check.
type check struct {
	// result is checkFailure, checkWarning, checkInfo or checkSuccess.
	result string
	// file is where the check points: the finding's location, else its environment's entrypoint.
	file string
	// namespace is the Rego package of the finding's rule (the schema and golden checks name
	// their own), as conftest names the package it evaluated; "-" for a success.
	namespace string
	// message is the rule id, subject and message, sanitised; it may span several lines.
	message string
}

// checks lists a normalised report's outcomes grouped by result in the given order, each
// group in report order (environments by name, findings as sorted). Errors and run failures
// are failures; an environment that could not be validated and has no finding is a failure
// too; an environment with no finding at all is a success. A finding several environments
// share is listed once.
func checks(r Report, order ...string) []check {
	packages := map[string]string{}
	for _, rule := range r.Rules {
		packages[rule.ID] = rule.Package
	}
	groups := map[string][]check{}
	for _, e := range r.Environments {
		entry := e.Entrypoint
		if entry == "" {
			entry = e.Name
		}
		for _, f := range e.Findings {
			c := check{result: checkResult(f), file: checkFile(f, entry), namespace: packages[f.RuleID], message: checkMessage(f)}
			if c.namespace == "" {
				c.namespace = "kforge"
			}
			groups[c.result] = append(groups[c.result], c)
		}
		switch {
		case len(e.Findings) > 0 || len(e.shared) > 0:
			// Its outcomes are listed above, or under the environment listed first that shares them.
		case e.notValidated():
			groups[checkFailure] = append(groups[checkFailure], check{result: checkFailure, file: termtext.Sanitize(entry), namespace: "kforge",
				message: termtext.Sanitize(e.Name) + ": not validated (run failed)"})
		default:
			groups[checkSuccess] = append(groups[checkSuccess], check{result: checkSuccess, file: termtext.Sanitize(entry), namespace: "-",
				message: "SUCCESS " + termtext.Sanitize(e.Name) + ": " + plural(e.Resources, "resource")})
		}
	}
	var out []check
	for _, result := range order {
		out = append(out, groups[result]...)
	}
	return out
}

// checkResult maps a finding's severity to a conftest result.
func checkResult(f finding.Finding) string {
	switch {
	case IsRunFailure(f) || f.Severity == finding.SeverityError:
		return checkFailure
	case f.Severity == finding.SeverityWarning:
		return checkWarning
	}
	return checkInfo
}

// checkFile is the finding's location, or the environment's entrypoint.
func checkFile(f finding.Finding, entrypoint string) string {
	if f.File == "" {
		if len(f.Environments) > 1 {
			return "-"
		}
		return termtext.Sanitize(entrypoint)
	}
	return termtext.Sanitize(f.Location().String())
}

// checkMessage is "KF-CANARY-003 VirtualService apps/order-service: canary weight 20 exceeds
// the prod cap of 10", with the environments of a shared outcome appended.
func checkMessage(f finding.Finding) string {
	msg := f.RuleID + " " + subject(f) + ": " + f.Message
	if len(f.Environments) > 1 {
		msg += " (in " + environmentsText(f) + ")"
	}
	return strings.ReplaceAll(termtext.Sanitize(msg), "\t", " ")
}
