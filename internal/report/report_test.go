package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/testfs"
)

// assertGolden compares got with testdata/<name> (testfs.Golden).
func assertGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	testfs.Golden(t, filepath.Join("testdata", name), got)
}

var (
	vsOrder = finding.ResourceRef{APIVersion: "networking.istio.io/v1", Kind: "VirtualService", Namespace: "apps", Name: "order-service"}
	rollout = finding.ResourceRef{APIVersion: "argoproj.io/v1alpha1", Kind: "Rollout", Namespace: "apps", Name: "esign-service"}
	ns      = finding.ResourceRef{APIVersion: "v1", Kind: "Namespace", Name: "apps"}
)

var catalogue = []finding.Rule{
	{ID: "KF-CANARY-003", Severity: "error", Title: "Canary weight within the tier cap", Description: "The canary's share of traffic stays under the tier's cap.", Package: "kforge.canary", File: "policies/canary/canary.rego", Line: 202, Style: "kforge"},
	{ID: "KF-CANARY-004", Severity: "error", Title: "Rollout first canary step within the tier cap", Package: "kforge.canary", File: "policies/canary/canary.rego", Line: 224, Style: "kforge"},
	{ID: "KF-SAMPLING-005", Severity: "warning", Title: "Bare traceidratio sampler", Description: "Use parentbased_traceidratio so traces stay whole.", Package: "kforge.sampling", File: "policies/sampling/sampling.rego", Line: 168, Style: "kforge"},
	{ID: "KF-K8S-010", Severity: "info", Title: "Recommended labels", Package: "kforge.kubernetes", File: "policies/kubernetes/kubernetes.rego", Line: 40, Style: "kforge"},
	{ID: "main.deny", Severity: "error", Package: "main", File: "policy/deny.rego", Line: 3, Style: "conftest"},
}

// sampleReport has a clean environment, one with every severity and one
// whose finding names no resource and no file. Environments and findings
// are deliberately out of order: writers sort.
func sampleReport() Report {
	return Report{
		Tool:    "kforge",
		Version: "v0.1.0",
		Rules:   catalogue,
		Environments: []EnvironmentResult{
			{
				Name: "environments/prod", Tier: "prod", Entrypoint: "environments/prod/main.jsonnet", Resources: 212,
				Findings: []finding.Finding{
					{RuleID: "KF-SAMPLING-005", Severity: "warning", Title: "Bare traceidratio sampler", Message: "OTEL_TRACES_SAMPLER is traceidratio; use parentbased_traceidratio", Environment: "environments/prod", Resource: rollout, File: "golden/prod/apps/rollout-esign-service.yaml", Line: 31, Source: "policies/sampling/sampling.rego"},
					{RuleID: "KF-CANARY-003", Severity: "error", Title: "Canary weight within the tier cap", Message: "canary weight 20 exceeds the prod cap of 10", Environment: "environments/prod", Resource: vsOrder, File: "golden/prod/apps/virtualservice-order-service.yaml", Line: 23, Column: 9, Source: "policies/canary/canary.rego", Related: []finding.Location{{File: "environments/prod/main.jsonnet", Line: 4, Column: 5, Message: "set at"}}},
					{RuleID: "KF-K8S-010", Severity: "info", Title: "Recommended labels", Message: "missing label app.kubernetes.io/part-of", Environment: "environments/prod", Resource: ns, File: "golden/prod/_cluster/namespace-apps.yaml", Source: "policies/kubernetes/kubernetes.rego"},
					{RuleID: "KF-CANARY-004", Severity: "error", Title: "Rollout first canary step within the tier cap", Message: "first setWeight 25 exceeds the prod cap of 10", Environment: "environments/prod", Resource: rollout, File: "golden/prod/apps/rollout-esign-service.yaml", Source: "policies/canary/canary.rego"},
				},
			},
			{Name: "environments/dev", Tier: "dev", Entrypoint: "environments/dev/main.jsonnet", Resources: 180},
			{
				Name: "environments/staging", Tier: "staging", Entrypoint: "environments/staging/main.jsonnet", Resources: 200,
				Findings: []finding.Finding{
					{RuleID: "main.deny", Severity: "error", Message: "environment has no tier label", Environment: "environments/staging", Source: "policy/deny.rego"},
				},
			},
		},
	}
}

// hostileReport carries text that must not break any format: workflow
// command syntax, property delimiters, percent signs, CR/LF, Markdown table
// pipes, HTML, backticks, backslashes, XML specials and a terminal escape.
func hostileReport() Report {
	return Report{
		Tool: "kforge", Version: "v0.1.0",
		Environments: []EnvironmentResult{{
			Name: "environments/edge", Tier: "dev", Entrypoint: "environments/edge/main.jsonnet", Resources: 2,
			Findings: []finding.Finding{
				{RuleID: "KF-EDGE-001", Severity: "error", Title: "Title: with, delimiters 100%",
					Message:     "50% done\r\n::error::injected | <script>alert(1)</script> `code` back\\slash & \"quotes\" \x1b[31mred\x1b[0m",
					Environment: "environments/edge", Resource: finding.ResourceRef{APIVersion: "v1", Kind: "ConfigMap", Namespace: "a|b", Name: "c<d>"},
					File: "golden/edge/a,b/config:map.yaml", Source: "policies/edge.rego"},
				{RuleID: "KF-EDGE-002", Severity: "warning", Message: "line one\nline two\\|still a cell",
					Environment: "environments/edge", Source: "policies/edge.rego"},
			},
		}},
	}
}

// failedReport has run failures: a Jsonnet error in a library that two environments share
// (one finding with both environments, listed under each of them), a policy that failed at
// run time in a third, and a schema finding printed before the policy finding it sets off.
func failedReport() Report {
	lib := finding.Finding{RuleID: "KF-RUN-001", Severity: "error", Title: "Environment renders",
		Message: "replicas must be a number", File: "lib/app.libsonnet", Line: 3, Column: 5,
		Environments: []string{"environments/prod", "environments/dev"}}
	dev, prod := lib, lib
	dev.Environment, prod.Environment = "environments/dev", "environments/prod"
	deploy := finding.ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "apps", Name: "web"}
	return Report{
		Tool: "kforge", Version: "v0.1.0",
		Environments: []EnvironmentResult{
			{Name: "environments/prod", Tier: "prod", Entrypoint: "environments/prod/main.jsonnet", Status: StatusError, Findings: []finding.Finding{prod}},
			{Name: "environments/dev", Tier: "dev", Entrypoint: "environments/dev/main.jsonnet", Status: StatusError, Findings: []finding.Finding{dev}},
			{Name: "environments/staging", Tier: "staging", Entrypoint: "environments/staging/main.jsonnet", Status: StatusError, Findings: []finding.Finding{
				{RuleID: "KF-RUN-003", Severity: "error", Title: "Policies evaluate", Message: "eval_conflict_error: rule data.kforge.x.kind produced conflicting values",
					Environment: "environments/staging", File: "policies/x/x.rego", Line: 5, Column: 1, Source: "policies/x/x.rego"},
			}},
			{Name: "environments/qa", Tier: "dev", Entrypoint: "environments/qa/main.jsonnet", Resources: 2, Findings: []finding.Finding{
				{RuleID: "KF-CANARY-003", Severity: "error", Message: "replicas exceed the cap", Environment: "environments/qa", Resource: deploy, File: "golden/qa/apps/deployment-web.yaml"},
				{RuleID: "KF-SCHEMA-002", Severity: "error", Message: "spec.replicas: expected integer, got string", Environment: "environments/qa", Resource: deploy, File: "golden/qa/apps/deployment-web.yaml", Line: 9, Column: 13},
			}},
		},
	}
}

func emptyReport() Report {
	return Report{Tool: "kforge", Version: "v0.1.0"}
}

func TestWriters(t *testing.T) {
	reports := []struct {
		name   string
		report Report
	}{
		{"sample", sampleReport()},
		{"hostile", hostileReport()},
		{"empty", emptyReport()},
		{"failed", failedReport()},
	}
	formats := []struct {
		format string
		ext    string
		opts   Options
		suffix string
	}{
		{FormatText, "txt", Options{}, ""},
		{FormatText, "txt", Options{Color: true}, "-color"},
		{FormatJSON, "json", Options{}, ""},
		{FormatGitHub, "txt", Options{}, ""},
		{FormatSARIF, "sarif", Options{}, ""},
		{FormatJUnit, "xml", Options{}, ""},
		{FormatJUnit, "xml", Options{FailOnWarning: true}, "-failonwarning"},
		{FormatGitHub, "txt", Options{MaxAnnotations: 1}, "-limit1"},
		{FormatMarkdown, "md", Options{}, ""},
		{FormatMarkdown, "md", Options{MaxMarkdownBytes: 1500}, "-truncated"},
		{FormatTAP, "tap", Options{}, ""},
		{FormatTable, "txt", Options{}, ""},
	}
	for _, r := range reports {
		for _, f := range formats {
			name := fmt.Sprintf("%s.%s%s.%s", r.name, f.format, f.suffix, f.ext)
			t.Run(name, func(t *testing.T) {
				var buf bytes.Buffer
				if err := Write(&buf, f.format, r.report, f.opts); err != nil {
					t.Fatal(err)
				}
				assertGolden(t, name, buf.Bytes())

				// Rendering is deterministic.
				var again bytes.Buffer
				if err := Write(&again, f.format, r.report, f.opts); err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(buf.Bytes(), again.Bytes()) {
					t.Error("second rendering differs")
				}
			})
		}
	}
}

// Every format, for every report and option, ends with exactly one newline.
func TestWritersEndWithOneNewline(t *testing.T) {
	reports := map[string]Report{"sample": sampleReport(), "hostile": hostileReport(), "empty": emptyReport()}
	options := map[string]Options{
		"default":         {},
		"color":           {Color: true},
		"fail on warning": {FailOnWarning: true},
		"limits":          {MaxAnnotations: 1, MaxMarkdownBytes: 1500},
	}
	for _, format := range Formats() {
		for rname, r := range reports {
			for oname, opts := range options {
				t.Run(format+"/"+rname+"/"+oname, func(t *testing.T) {
					var buf bytes.Buffer
					if err := Write(&buf, format, r, opts); err != nil {
						t.Fatal(err)
					}
					out := buf.String()
					if !strings.HasSuffix(out, "\n") || strings.HasSuffix(out, "\n\n") {
						t.Errorf("output does not end with exactly one newline: %q", out[max(0, len(out)-40):])
					}
				})
			}
		}
	}
}

func TestWriteUnknownFormat(t *testing.T) {
	err := Write(&bytes.Buffer{}, "yaml", sampleReport(), Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown output format "yaml"`) {
		t.Errorf("error = %v", err)
	}
}

func TestTextHasNoEscapesWithoutColor(t *testing.T) {
	for _, r := range []Report{sampleReport(), hostileReport()} {
		var buf bytes.Buffer
		if err := WriteText(&buf, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if bytes.ContainsRune(buf.Bytes(), 0x1b) {
			t.Errorf("plain text output contains an escape character:\n%s", buf.String())
		}
	}
}

func TestJSONSchema(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, sampleReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		SchemaVersion int `json:"schemaVersion"`
		Summary       struct {
			Environments, Resources, Findings, Errors, Warnings, Infos int
		} `json:"summary"`
		Environments []struct {
			Name     string
			Findings []map[string]any
		} `json:"environments"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Summary
	if doc.SchemaVersion != JSONSchemaVersion || s.Environments != 3 || s.Resources != 592 || s.Findings != 5 || s.Errors != 3 || s.Warnings != 1 || s.Infos != 1 {
		t.Errorf("summary = %+v (schema %d)", s, doc.SchemaVersion)
	}
	for _, e := range doc.Environments {
		for _, f := range e.Findings {
			for _, key := range []string{"ruleId", "severity", "title", "message", "resource", "file", "policy"} {
				if _, ok := f[key]; !ok {
					t.Errorf("%s: finding without %q: %v", e.Name, key, f)
				}
			}
		}
	}
}

func TestGitHubLimits(t *testing.T) {
	r := Report{Tool: "kforge", Environments: []EnvironmentResult{{Name: "environments/prod", Resources: 30}}}
	for i := range 13 {
		r.Environments[0].Findings = append(r.Environments[0].Findings,
			finding.Finding{RuleID: "KF-E", Severity: "error", Message: fmt.Sprintf("error %02d", i), File: "golden/prod/e.yaml"},
			finding.Finding{RuleID: "KF-W", Severity: "warning", Message: fmt.Sprintf("warning %02d", i)})
	}
	r.Environments[0].Findings = append(r.Environments[0].Findings, finding.Finding{RuleID: "KF-I", Severity: "info", Message: "info"})

	tests := []struct {
		name                      string
		max                       int
		errors, warnings, notices int
		all, notice               string
	}{
		{name: "default limit of 10", max: 0, errors: 10, warnings: 10, notices: 1,
			all:    "kforge: 3 errors, 3 warnings not annotated (annotations are limited to 10 of each kind per step):\n",
			notice: "::notice::kforge: 6 findings not annotated (GitHub shows 10 annotations of each kind per step): the job log lists them\n"},
		{name: "limit of 2", max: 2, errors: 2, warnings: 2, notices: 1,
			all:    "kforge: 11 errors, 11 warnings not annotated (annotations are limited to 2 of each kind per step):\n",
			notice: "::notice::kforge: 22 findings not annotated (GitHub shows 2 annotations of each kind per step): the job log lists them\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteGitHub(&buf, r, Options{MaxAnnotations: tt.max}); err != nil {
				t.Fatal(err)
			}
			out := buf.String()
			for cmd, want := range map[string]int{"::error ": tt.errors, "::warning ": tt.warnings, "::notice ": tt.notices} {
				if got := strings.Count(out, "\n"+cmd) + boolInt(strings.HasPrefix(out, cmd)); got != want {
					t.Errorf("%d %q annotations, want %d", got, cmd, want)
				}
			}
			if !strings.Contains(out, tt.all) {
				t.Errorf("no summary of the rest %q in:\n%s", tt.all, out)
			}
			if !strings.HasSuffix(out, "kforge: 1 environment, 30 resources: 13 errors, 13 warnings, 1 info\n"+tt.notice) {
				t.Errorf("no summary line and final notice in:\n%s", out)
			}
			// Every finding is in the output, annotated or listed.
			for i := range 13 {
				for _, s := range []string{fmt.Sprintf("error %02d", i), fmt.Sprintf("warning %02d", i)} {
					if !strings.Contains(out, s) {
						t.Errorf("%q missing", s)
					}
				}
			}
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		in, data, property string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"a\r\nb", "a%0D%0Ab", "a%0D%0Ab"},
		{"k: v, w", "k: v, w", "k%3A v%2C w"},
		{"%0A", "%250A", "%250A"},
		{"::error::x", "::error::x", "%3A%3Aerror%3A%3Ax"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := githubData(tt.in); got != tt.data {
				t.Errorf("githubData(%q) = %q, want %q", tt.in, got, tt.data)
			}
			if got := githubProperty(tt.in); got != tt.property {
				t.Errorf("githubProperty(%q) = %q, want %q", tt.in, got, tt.property)
			}
		})
	}
	// Each finding is one line; nothing a message holds starts a new command.
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, hostileReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	want := []string{"::error file=", "::warning file=", "kforge: "}
	if len(lines) != len(want) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), len(want), buf.String())
	}
	for i, line := range lines {
		if !strings.HasPrefix(line, want[i]) {
			t.Errorf("line %d = %q, want prefix %q", i+1, line, want[i])
		}
	}
}

func TestSARIFValidates(t *testing.T) {
	for name, r := range map[string]Report{"sample": sampleReport(), "hostile": hostileReport(), "empty": emptyReport()} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSARIF(&buf, r, Options{}); err != nil {
				t.Fatal(err)
			}
			log, err := sarif.FromBytes(buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if err := log.Validate(); err != nil {
				t.Errorf("SARIF does not validate against the 2.1.0 schema: %v", err)
			}
			if log.Version != "2.1.0" {
				t.Errorf("version %q", log.Version)
			}
		})
	}
}

func TestSARIFFingerprints(t *testing.T) {
	f := finding.Finding{RuleID: "KF-CANARY-003", Environment: "environments/prod", Resource: vsOrder, Message: "canary weight 20"}
	moved := f
	moved.Message, moved.File = "canary weight 30", "elsewhere.yaml"
	other := f
	other.Environment = "environments/staging"
	if fingerprint(f) != fingerprint(moved) {
		t.Error("fingerprint changes with message or file")
	}
	if fingerprint(f) == fingerprint(other) {
		t.Error("fingerprint ignores the environment")
	}
	if got := fingerprint(f); len(got) != 64 || strings.Trim(got, "0123456789abcdef") != "" {
		t.Errorf("fingerprint %q is not a hex SHA-256", got)
	}
	// Without a resource the file tells two findings of one rule apart.
	stray := finding.Finding{RuleID: "KF-GOLDEN-004", Environment: "environments/prod", File: "golden/prod/a.txt"}
	other = stray
	other.File = "golden/prod/b.txt"
	if fingerprint(stray) == fingerprint(other) {
		t.Error("two findings about no resource in different files share a fingerprint")
	}
}

func TestJUnitWellFormed(t *testing.T) {
	for name, r := range map[string]Report{"sample": sampleReport(), "hostile": hostileReport()} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJUnit(&buf, r, Options{}); err != nil {
				t.Fatal(err)
			}
			var doc junitSuites
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatalf("invalid XML: %v\n%s", err, buf.String())
			}
			if len(doc.Suites) != len(r.Environments) {
				t.Errorf("%d suites for %d environments", len(doc.Suites), len(r.Environments))
			}
		})
	}
}

func TestMarkdownTruncation(t *testing.T) {
	big := Report{Tool: "kforge", Rules: catalogue}
	for e := range 3 {
		env := EnvironmentResult{Name: fmt.Sprintf("environments/env-%d", e), Tier: "prod", Resources: 2000}
		for i := range 1000 {
			env.Findings = append(env.Findings, finding.Finding{
				RuleID: "KF-CANARY-003", Severity: "error", Title: "Canary weight within the tier cap",
				Message:  fmt.Sprintf("canary weight %d exceeds the prod cap of 10 | <b>%d</b>", 11+i, i),
				Resource: finding.ResourceRef{Kind: "VirtualService", Namespace: "apps", Name: fmt.Sprintf("svc-%04d", i)},
				File:     fmt.Sprintf("golden/env-%d/apps/virtualservice-svc-%04d.yaml", e, i),
			})
		}
		big.Environments = append(big.Environments, env)
	}
	tests := []struct {
		name  string
		limit int
	}{
		{"github limit", 0},
		{"small limit", 4000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteMarkdown(&buf, big, Options{MaxMarkdownBytes: tt.limit}); err != nil {
				t.Fatal(err)
			}
			limit := tt.limit
			if limit == 0 {
				limit = 65536
			}
			out := buf.String()
			if len(out) > limit {
				t.Errorf("%d bytes, limit %d", len(out), limit)
			}
			if !strings.Contains(out, "> Truncated: ") || !strings.Contains(out, "of 3000 findings are not shown") {
				t.Errorf("no truncation notice in:\n%s", out[max(0, len(out)-600):])
			}
			if strings.Count(out, "<details") != strings.Count(out, "</details>") {
				t.Error("unbalanced <details>")
			}
			// The summary table is complete even when details are cut.
			for e := range 3 {
				if !strings.Contains(out, fmt.Sprintf("| environments/env-%d | prod | 2000 | 1000 | 0 | 0 |", e)) {
					t.Errorf("summary row of env-%d missing", e)
				}
			}
		})
	}
}

func TestMarkdownCellEscaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a|b", `a\|b`},
		{"<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"},
		{"`code`", "&#96;code&#96;"},
		{`back\|slash`, `back&#92;\|slash`},
		{"a & b", "a &amp; b"},
		{"one\ntwo\r\n", "one<br>two<br>"},
		{"tab\there\x1b[0m", "tab here[0m"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := mdCell(tt.in); got != tt.want {
				t.Errorf("mdCell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSummaryCounts(t *testing.T) {
	s := sampleReport().Summary()
	want := Summary{Environments: 3, Resources: 592, Counts: Counts{Errors: 3, Warnings: 1, Infos: 1}}
	if s != want {
		t.Errorf("Summary() = %+v, want %+v", s, want)
	}
	if got := summaryText(s); got != "3 environments, 592 resources: 3 errors, 1 warning, 1 info" {
		t.Errorf("summaryText = %q", got)
	}
}
