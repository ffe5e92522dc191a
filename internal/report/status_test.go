package report

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/kforge/kforge/internal/finding"
)

// A run that failed (a KF-RUN-* finding) is never called passed, and never has no findings, in
// any format and with any options: its headline, summary and status say it failed.
func TestFailedRunNeverPasses(t *testing.T) {
	runFailure := func(rule, env string) Report {
		return Report{Tool: "kforge", Version: "v0.1.0", Environments: []EnvironmentResult{{
			Name: env, Tier: "dev", Entrypoint: env + "/main.jsonnet", Status: StatusError,
			Findings: []finding.Finding{{RuleID: rule, Severity: finding.SeverityError, Message: "it broke", File: "lib/a.libsonnet", Line: 2, Column: 3}},
		}}}
	}
	reports := map[string]Report{
		"render":         runFailure("KF-RUN-001", "environments/a"),
		"policy compile": runFailure("KF-RUN-002", "environments/a"),
		"policy runtime": runFailure("KF-RUN-003", "environments/a"),
		"limit":          runFailure("KF-RUN-004", "environments/a"),
		// Status alone: an environment not validated whose finding another one holds.
		"status only": {Tool: "kforge", Environments: []EnvironmentResult{{Name: "environments/b", Status: StatusError}}},
		"shared":      failedReport(),
	}
	passed := regexp.MustCompile(`passed|no findings|"status": "passed"`)
	for name, r := range reports {
		if !r.Failed() {
			t.Errorf("%s: Failed() is false", name)
		}
		for _, format := range Formats() {
			for _, opts := range []Options{{}, {FailOnWarning: true}, {MaxAnnotations: 1, MaxMarkdownBytes: 1500}} {
				var buf bytes.Buffer
				if err := Write(&buf, format, r, opts); err != nil {
					t.Fatal(err)
				}
				if m := passed.Find(buf.Bytes()); m != nil && name != "shared" {
					t.Errorf("%s, %s %+v: output says %q:\n%s", name, format, opts, m, buf.String())
				}
			}
		}
	}
}

// In a report that also holds validated environments, the headlines still say the run failed.
func TestFailedRunHeadlines(t *testing.T) {
	r := failedReport()
	checks := map[string]*regexp.Regexp{
		FormatText:     regexp.MustCompile(`(?m)^4 environments \(3 not validated\), 2 resources: 4 errors$`),
		FormatMarkdown: regexp.MustCompile(`(?m)^## kforge policy report: ❌ failed$`),
		FormatGitHub:   regexp.MustCompile(`(?m)^kforge: 4 environments \(3 not validated\)`),
		FormatSARIF:    regexp.MustCompile(`"executionSuccessful": false`),
		FormatJSON:     regexp.MustCompile(`"notValidated": 3`),
		FormatJUnit:    regexp.MustCompile(`<testsuites name="kforge" tests="11" failures="5">`),
	}
	for format, re := range checks {
		var buf bytes.Buffer
		if err := Write(&buf, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if !re.Match(buf.Bytes()) {
			t.Errorf("%s: no match for %s in:\n%s", format, re, buf.String())
		}
	}
}

// One outcome shared by several environments is printed once, and counted once, in every format.
func TestSharedFindingOnce(t *testing.T) {
	r := failedReport()
	if got := r.Summary().Errors; got != 4 {
		t.Errorf("Summary().Errors = %d, want 4 (the shared finding once)", got)
	}
	once := map[string]*regexp.Regexp{
		FormatText:     regexp.MustCompile(`KF-RUN-001`),
		FormatJSON:     regexp.MustCompile(`"ruleId": "KF-RUN-001"`),
		FormatGitHub:   regexp.MustCompile(`title=KF-RUN-001`),
		FormatSARIF:    regexp.MustCompile(`"ruleId": "KF-RUN-001"`),
		FormatMarkdown: regexp.MustCompile(`\| KF-RUN-001 \|`),
	}
	for format, re := range once {
		var buf bytes.Buffer
		if err := Write(&buf, format, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if n := len(re.FindAll(buf.Bytes(), -1)); n != 1 {
			t.Errorf("%s: %s found %d times, want once:\n%s", format, re, n, buf.String())
		}
	}
	// JUnit has a failing testcase per environment the outcome stopped.
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if n := len(regexp.MustCompile(`name="KF-RUN-001">\s*<failure`).FindAll(buf.Bytes(), -1)); n != 2 {
		t.Errorf("junit: %d failing KF-RUN-001 testcases, want 2 (one per environment):\n%s", n, buf.String())
	}
}

// A schema finding on a resource comes before the policy findings of the same severity on it.
func TestRootCausesFirst(t *testing.T) {
	web := finding.ResourceRef{Kind: "Deployment", Name: "web"}
	db := finding.ResourceRef{Kind: "Deployment", Name: "db"}
	in := []finding.Finding{
		{RuleID: "KF-CANARY-003", Severity: "error", Resource: web},
		{RuleID: "KF-POLICY-001", Severity: "error", Resource: db},
		{RuleID: "KF-SCHEMA-002", Severity: "error", Resource: web},
		{RuleID: "KF-SCHEMA-003", Severity: "warning", Resource: db},
		{RuleID: "KF-ZZZ-001", Severity: "warning", Resource: db},
	}
	got := rootCausesFirst(in)
	want := []string{"KF-SCHEMA-002", "KF-CANARY-003", "KF-POLICY-001", "KF-SCHEMA-003", "KF-ZZZ-001"}
	for i, f := range got {
		if f.RuleID != want[i] {
			t.Fatalf("order = %v, want %v", ids(got), want)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("order = %v, want %v", ids(got), want)
	}
}

func ids(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.RuleID
	}
	return out
}
