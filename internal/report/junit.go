package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/finding"
)

// WriteJUnit renders the report as JUnit XML for CI test views: a testsuite
// per environment and, in it, a testcase per rule and resource that has
// findings ("KF-CANARY-003 VirtualService apps/order-service") plus one
// passing testcase per catalogue rule with no finding in the environment.
// An environment that could not be validated has a failing testcase per run failure
// (KF-RUN-*) and its other rules are skipped. Errors are failures; warnings and info are printed in system-out of a
// passing testcase, or are failures too with opts.FailOnWarning (warnings
// only). No timestamps or durations are written, so output is reproducible.
func WriteJUnit(w io.Writer, r Report, opts Options) error {
	r = r.normalized()
	doc := junitSuites{Name: r.Tool}
	for _, e := range r.Environments {
		suite := junitSuite{Name: e.Name}
		if e.Tier != "" {
			suite.Properties = &junitProperties{Property: []junitProperty{{Name: "tier", Value: e.Tier}}}
		}
		groups := map[string][]finding.Finding{}
		var keys []junitKey
		for _, f := range e.all() {
			k := junitKey{rule: f.RuleID, resource: f.Resource}
			id := k.String()
			if _, ok := groups[id]; !ok {
				keys = append(keys, k)
			}
			groups[id] = append(groups[id], f)
		}
		failing := map[string]bool{}
		for _, k := range keys {
			failing[k.rule] = true
		}
		for _, rule := range r.Rules {
			if !failing[rule.ID] && !IsRunFailure(finding.Finding{RuleID: rule.ID}) {
				keys = append(keys, junitKey{rule: rule.ID})
			}
		}
		slices.SortStableFunc(keys, func(a, b junitKey) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			tc := junitCase{ClassName: e.Name, Name: k.String()}
			fs := groups[k.String()]
			if len(fs) == 0 && e.notValidated() {
				// A rule checked nothing in an environment that could not be validated.
				tc.Skipped = &junitSkipped{Message: "environment not validated"}
				suite.Skipped++
			}
			var failure, notes []string
			for _, f := range fs {
				text := junitText(f)
				if f.Severity == finding.SeverityError || (opts.FailOnWarning && f.Severity == finding.SeverityWarning) {
					failure = append(failure, text)
					if tc.Failure == nil {
						tc.Failure = &junitFailure{Type: string(f.Severity), Message: f.Message}
					}
					continue
				}
				notes = append(notes, string(f.Severity)+": "+text)
			}
			if tc.Failure != nil {
				tc.Failure.Text = strings.Join(failure, "\n\n")
				suite.Failures++
			}
			if len(notes) > 0 {
				tc.SystemOut = strings.Join(notes, "\n\n")
			}
			suite.Cases = append(suite.Cases, tc)
		}
		suite.Tests = len(suite.Cases)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Suites = append(doc.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	return nil
}

// junitKey groups findings into one testcase: rule × resource.
type junitKey struct {
	rule     string
	resource finding.ResourceRef
}

func (k junitKey) String() string {
	if s := k.resource.String(); s != "" {
		return k.rule + " " + s
	}
	return k.rule
}

// junitText is the failure body of one finding: title, message, places.
func junitText(f finding.Finding) string {
	var lines []string
	if f.Title != "" {
		lines = append(lines, f.RuleID+": "+f.Title)
	}
	lines = append(lines, f.Message)
	if f.File != "" {
		lines = append(lines, "file: "+f.Location().String())
	}
	if len(f.Environments) > 1 {
		lines = append(lines, "environments: "+environmentsText(f))
	}
	if f.Source != "" {
		lines = append(lines, "policy: "+f.Source)
	}
	return strings.Join(lines, "\n")
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string           `xml:"name,attr"`
	Tests      int              `xml:"tests,attr"`
	Failures   int              `xml:"failures,attr"`
	Errors     int              `xml:"errors,attr"`
	Skipped    int              `xml:"skipped,attr"`
	Properties *junitProperties `xml:"properties,omitempty"`
	Cases      []junitCase      `xml:"testcase"`
}

type junitProperties struct {
	Property []junitProperty `xml:"property"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}
