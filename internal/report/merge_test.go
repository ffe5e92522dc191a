package report

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kforge/kforge/internal/finding"
)

// formatOptions are the formats and options every merge and round-trip test renders, with
// limits small enough that the annotation budget and the Markdown truncation apply.
var formatOptions = []struct {
	format string
	opts   Options
}{
	{FormatText, Options{}},
	{FormatText, Options{Color: true}},
	{FormatJSON, Options{}},
	{FormatJSON, Options{FailOnWarning: true}},
	{FormatGitHub, Options{}},
	{FormatGitHub, Options{MaxAnnotations: 1, ReportFiles: []string{"kforge.sarif"}, PathPrefix: "deploy"}},
	{FormatSARIF, Options{}},
	{FormatSARIF, Options{PathPrefix: "deploy"}},
	{FormatJUnit, Options{}},
	{FormatJUnit, Options{FailOnWarning: true}},
	{FormatMarkdown, Options{}},
	{FormatMarkdown, Options{MaxMarkdownBytes: 1500, PathPrefix: "deploy"}},
	{FormatTAP, Options{}},
	{FormatTable, Options{}},
}

// render writes r in format, failing the test on error.
func render(t *testing.T, format string, r Report, opts Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, format, r, opts); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// roundTrip writes r as JSON and reads it back.
func roundTrip(t *testing.T, r Report, name string) Report {
	t.Helper()
	data := render(t, FormatJSON, r, Options{})
	got, err := ReadJSON(bytes.NewReader(data), name)
	if err != nil {
		t.Fatalf("ReadJSON: %v\n%s", err, data)
	}
	return got
}

// TestReadJSONRoundTrip checks that the report ReadJSON reads back from WriteJSON renders to
// the same bytes as the original in every format.
func TestReadJSONRoundTrip(t *testing.T) {
	withRun := failedReport()
	withRun.Run = &RunInfo{Selection: NewSelection([]string{"environments/prod"}), Environments: []string{"environments/prod"},
		FailOn: finding.SeverityWarning, PathPrefix: "deploy", Checks: RulesDigest(catalogue),
		UnusedExceptions: []finding.Finding{{RuleID: "KF-POLICY-002", Severity: "warning", Message: "unused", Environment: "kforge.yaml", File: "kforge.yaml", Line: 3}}}
	for name, r := range map[string]Report{
		"sample": sampleReport(), "hostile": hostileReport(), "empty": emptyReport(), "failed": failedReport(), "run": withRun,
	} {
		back := roundTrip(t, r, name+".json")
		for _, fo := range formatOptions {
			t.Run(fmt.Sprintf("%s/%s/%+v", name, fo.format, fo.opts), func(t *testing.T) {
				want, got := render(t, fo.format, r, fo.opts), render(t, fo.format, back, fo.opts)
				if !bytes.Equal(got, want) {
					t.Errorf("after a JSON round trip:\n%s\nwant:\n%s", got, want)
				}
			})
		}
	}
}

// The findings of shardedRun.
var (
	libFailure = finding.Finding{RuleID: "KF-RUN-001", Severity: "error", Title: "Environment renders",
		Message: "replicas must be a number", File: "lib/app.libsonnet", Line: 3, Column: 5}
	expired = finding.Finding{RuleID: "KF-POLICY-001", Severity: "error", Title: "Exceptions are current",
		Message: "the exception for KF-X expired", Environment: "kforge.yaml", File: "kforge.yaml", Line: 2, Source: "kforge.yaml"}
	unusedX = finding.Finding{RuleID: "KF-POLICY-002", Severity: "warning", Title: "Exceptions match a finding",
		Message: "the exception for KF-X matches no finding: remove it", Environment: "kforge.yaml", File: "kforge.yaml", Line: 5, Source: "kforge.yaml"}
	unusedY = finding.Finding{RuleID: "KF-POLICY-002", Severity: "warning", Title: "Exceptions match a finding",
		Message: "the exception for KF-Y matches no finding: remove it", Environment: "kforge.yaml", File: "kforge.yaml", Line: 9, Source: "kforge.yaml"}
)

// shardedRun is a run over environments/{a,b,c,d}, whole (shard 0) or as shard i of 2 (a, c
// in 1; b, d in 2), built the way the pipeline builds it: a library failure stops a, b and c
// and is one finding listing the environments of the shard it stopped; many findings in d;
// exception X is used nowhere, Y only in shard 2; kforge.yaml's expired exception is reported
// by shard 1; an unused exception is reported only by the whole run.
func shardedRun(shard int) Report {
	names := map[int][]string{0: {"a", "b", "c", "d"}, 1: {"a", "c"}, 2: {"b", "d"}}[shard]
	var envs, failing []string
	for _, n := range names {
		envs = append(envs, "environments/"+n)
		if n != "d" {
			failing = append(failing, "environments/"+n)
		}
	}
	r := Report{Tool: "kforge", Version: "v0.2.0", Rules: catalogue, Run: &RunInfo{
		Selection:    NewSelection([]string{"environments/a", "environments/b", "environments/c", "environments/d"}),
		Environments: envs, Complete: true, Checks: RulesDigest(catalogue), FailOn: finding.SeverityError, PathPrefix: "deploy",
		UnusedExceptions: []finding.Finding{unusedX, unusedY},
	}}
	if shard > 0 {
		r.Run.Shard = Shard{Index: shard, Count: 2}
	}
	if shard == 2 {
		r.Run.UnusedExceptions = []finding.Finding{unusedX}
	}
	for _, env := range envs {
		e := EnvironmentResult{Name: env, Tier: "dev", Entrypoint: env + "/main.jsonnet"}
		if env == "environments/d" {
			e.Resources = 40
			for i := range 30 {
				e.Findings = append(e.Findings, finding.Finding{RuleID: "KF-CANARY-003", Severity: "error", Title: "Canary weight within the tier cap",
					Message: fmt.Sprintf("canary weight %d exceeds the cap", 11+i), Environment: env,
					Resource: finding.ResourceRef{APIVersion: "networking.istio.io/v1", Kind: "VirtualService", Namespace: "apps", Name: fmt.Sprintf("vs-%02d", i)},
					File:     fmt.Sprintf("golden/d/apps/virtualservice-vs-%02d.yaml", i), Line: 12, Column: 9, Source: "policies/canary/canary.rego",
					Related: []finding.Location{{File: env + "/main.jsonnet", Line: 4 + i, Column: 3, Message: "set at"}}})
			}
			e.Findings = append(e.Findings, finding.Finding{RuleID: "KF-SAMPLING-005", Severity: "warning", Message: "bare sampler", Environment: env, Source: "policies/sampling/sampling.rego"})
		} else {
			f := libFailure
			f.Environment = env
			if len(failing) > 1 {
				f.Environments = failing
			}
			e.Status, e.Findings = StatusError, []finding.Finding{f}
		}
		r.Environments = append(r.Environments, e)
	}
	if shard <= 1 {
		yaml := EnvironmentResult{Name: "kforge.yaml", Findings: []finding.Finding{expired}}
		if shard == 0 {
			yaml.Findings = append(yaml.Findings, unusedX)
			r.Run.UnusedExceptions = []finding.Finding{unusedX}
		}
		r.Environments = append(r.Environments, yaml)
	}
	return r
}

// TestMerge merges the JSON reports of the two shards of shardedRun, in either order, and
// checks every format against the whole run's.
func TestMerge(t *testing.T) {
	whole := roundTrip(t, shardedRun(0), "whole.json")
	one, two := roundTrip(t, shardedRun(1), "shard-1.json"), roundTrip(t, shardedRun(2), "shard-2.json")
	for name, shards := range map[string][]ShardReport{
		"in order":  {{File: "shard-1.json", Report: one}, {File: "shard-2.json", Report: two}},
		"reversed":  {{File: "shard-2.json", Report: two}, {File: "shard-1.json", Report: one}},
		"unsharded": {{File: "whole.json", Report: whole}},
	} {
		merged, err := Merge(shards, "v0.2.0")
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, fo := range formatOptions {
			t.Run(fmt.Sprintf("%s/%s/%+v", name, fo.format, fo.opts), func(t *testing.T) {
				want, got := render(t, fo.format, whole, fo.opts), render(t, fo.format, merged, fo.opts)
				if !bytes.Equal(got, want) {
					t.Errorf("merged:\n%s\nwant (unsharded):\n%s", got, want)
				}
			})
		}
	}
	// The fixture means what it says: the library failure lists all three environments once
	// merged, the unused exception is X alone, and the comment is truncated.
	merged, err := Merge([]ShardReport{{File: "1", Report: one}, {File: "2", Report: two}}, "")
	if err != nil {
		t.Fatal(err)
	}
	text := string(render(t, FormatText, merged, Options{}))
	for _, want := range []string{"in environments/a, environments/b, environments/c", "KF-X matches no finding", "KF-POLICY-001"} {
		if !strings.Contains(text, want) {
			t.Errorf("merged text report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "KF-Y") {
		t.Errorf("exception Y, used by shard 2, is reported unused:\n%s", text)
	}
	if md := string(render(t, FormatMarkdown, merged, Options{MaxMarkdownBytes: 1500})); !strings.Contains(md, "Truncated:") {
		t.Errorf("markdown not truncated:\n%s", md)
	}
}

// TestMergeRefuses checks that reports that do not make up one run are refused, naming why.
func TestMergeRefuses(t *testing.T) {
	shard := func(i int, change func(r *Report)) ShardReport {
		r := shardedRun(i)
		if change != nil {
			change(&r)
		}
		return ShardReport{File: fmt.Sprintf("shard-%d.json", i), Report: r}
	}
	whole := ShardReport{File: "whole.json", Report: shardedRun(0)}
	for _, tc := range []struct {
		name   string
		shards []ShardReport
		want   string
	}{
		{"nothing", nil, "no report to merge"},
		{"no run", []ShardReport{shard(1, func(r *Report) { r.Run = nil }), shard(2, nil)}, `shard-1.json has no run information ("run": null)`},
		{"other kforge", []ShardReport{shard(1, func(r *Report) { r.Version = "v0.1.0" }), shard(2, nil)},
			"shard-1.json was written by kforge v0.1.0, this is kforge v0.2.0: merge with the version that wrote the reports"},
		{"unsharded among shards", []ShardReport{whole, shard(1, nil)}, "whole.json is the report of an unsharded run"},
		{"other count", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Shard.Count = 3 })},
			"shard-1.json is shard 1/2 but shard-2.json is shard 2/3: merge the shards of one run"},
		{"duplicate", []ShardReport{shard(1, nil), shard(1, nil)}, "shard-1.json and shard-1.json are both shard 1/2"},
		{"missing", []ShardReport{shard(2, nil)}, "shard 1/2 missing: merge the reports of all 2 shards"},
		{"fail-on", []ShardReport{shard(1, func(r *Report) { r.Run.FailOn = finding.SeverityWarning }), shard(2, nil)},
			"--fail-on differs between shard-1.json (warning) and shard-2.json (error)"},
		{"path prefix", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.PathPrefix = "" })}, "--path-prefix differs"},
		{"no-fail", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.NoFail = true })}, "--no-fail differs"},
		{"checks", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Checks = RulesDigest(nil) })}, "the checks (policies, severities, schemas, --golden) differ"},
		{"all", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Complete = false })}, "--all differs"},
		{"selection", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Selection = NewSelection([]string{"environments/b"}) })},
			"the selection of environments (before --shard) differs"},
		{"environment twice", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Environments = append(r.Run.Environments, "environments/a") })},
			"environments/a is in both shard-1.json and shard-2.json"},
		{"environment missing", []ShardReport{shard(1, nil), shard(2, func(r *Report) { r.Run.Environments = r.Run.Environments[:1] })},
			"the reports hold 3 of the 4 selected environments"},
		{"rule differs", []ShardReport{shard(1, nil), shard(2, func(r *Report) {
			r.Rules = append([]finding.Rule{}, r.Rules...)
			r.Rules[0].Title = "changed"
		})}, "rule KF-CANARY-003 differs between shard-1.json and shard-2.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Merge(tc.shards, "v0.2.0")
			var merr *MergeError
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Merge error = %v, want one containing %q", err, tc.want)
			}
			if !errors.As(err, &merr) {
				t.Errorf("error %v is not a *MergeError", err)
			}
		})
	}
}

// TestReadJSONErrors checks that what is not a kforge JSON report is refused with its place.
func TestReadJSONErrors(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"syntax", "{\n  \"schemaVersion\": 1,\n  oops\n}", "r.json:3:3: not a kforge JSON report: invalid character 'o'"},
		{"type", "{\n  \"schemaVersion\": \"one\"\n}", "r.json:2:24: not a kforge JSON report: json: cannot unmarshal string"},
		{"empty", "", "r.json:1:1: not a kforge JSON report: unexpected end of JSON input"},
		{"schema version", `{"schemaVersion": 2, "tool": {"name": "kforge"}}`, "r.json: schemaVersion 2: not a kforge JSON report of schema version 1"},
		{"no tool", `{"schemaVersion": 1}`, "r.json: tool.name is empty: not a kforge JSON report"},
		{"severity", `{"schemaVersion": 1, "tool": {"name": "kforge"}, "environments": [{"name": "e", "findings": [{"ruleId": "X", "severity": "fatal"}]}]}`,
			`r.json: environments[0].findings[0]: severity "fatal": want error, warning or info`},
		{"duplicate environment", `{"schemaVersion": 1, "tool": {"name": "kforge"}, "environments": [{"name": "e"}, {"name": "e"}]}`,
			"r.json: environments[1]: e is listed twice"},
		{"shard", `{"schemaVersion": 1, "tool": {"name": "kforge"}, "run": {"shard": {"index": 3, "count": 2}, "failOn": "error"}}`,
			"r.json: run: shard 3/2: want 1 ≤ index ≤ count"},
		{"fail on", `{"schemaVersion": 1, "tool": {"name": "kforge"}, "run": {"shard": {"index": 0, "count": 0}, "failOn": "info"}}`,
			`r.json: run: failOn "info": want error or warning`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tc.data), "r.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("ReadJSON error = %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// FuzzJSONRoundTrip checks that a report read back from its JSON renders to the same bytes as
// the original in every format, whatever text its findings carry. Text that is not valid UTF-8
// is outside the domain: JSON cannot carry it (encoding/json writes U+FFFD in its place), and
// kforge's findings come from Jsonnet and Rego, whose strings are Unicode.
func FuzzJSONRoundTrip(f *testing.F) {
	addFuzzSeeds(f)
	f.Fuzz(func(t *testing.T, env, rule, title, msg, file, kind, name string, sev uint8) {
		for _, s := range []string{env, rule, title, msg, file, kind, name} {
			if !utf8.ValidString(s) {
				return
			}
		}
		for _, n := range []int{1, 12} {
			r := fuzzReport(env, rule, title, msg, file, kind, name, sev, n)
			var data bytes.Buffer
			if err := WriteJSON(&data, r, Options{}); err != nil {
				t.Fatal(err)
			}
			back, err := ReadJSON(bytes.NewReader(data.Bytes()), "r.json")
			if err != nil {
				if r.Environments[0].Name == "" || rule == "" {
					return // ReadJSON refuses a report without names, as it should.
				}
				t.Fatalf("ReadJSON of WriteJSON's output: %v\n%s", err, data.Bytes())
			}
			for _, fo := range formatOptions {
				want, got := render(t, fo.format, r, fo.opts), render(t, fo.format, back, fo.opts)
				if !bytes.Equal(got, want) {
					t.Fatalf("%s %+v after a JSON round trip:\n%q\nwant:\n%q", fo.format, fo.opts, got, want)
				}
			}
		}
	})
}
