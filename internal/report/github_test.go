package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/finding"
)

// With more errors than GitHub annotates, the annotations go to the run failures first, then
// the policy and schema findings, and golden drift gets what is left; a final notice says how
// many were left out and where the full report is.
func TestGitHubAnnotationOrder(t *testing.T) {
	var fs []finding.Finding
	for i := range 11 {
		fs = append(fs, finding.Finding{RuleID: "KF-GOLDEN-001", Severity: "error", Message: fmt.Sprintf("golden/prod/f%02d.yaml is stale", i), File: fmt.Sprintf("golden/prod/f%02d.yaml", i)})
	}
	fs = append(fs,
		finding.Finding{RuleID: "KF-CANARY-003", Severity: "error", Message: "weight 50% exceeds the cap", Resource: vsOrder, File: "golden/prod/apps/virtualservice-order-service.yaml", Line: 14, Column: 13},
		finding.Finding{RuleID: "KF-SCHEMA-001", Severity: "error", Message: "spec.replicas: expected integer", Resource: rollout, File: "golden/prod/apps/rollout-esign-service.yaml", Line: 9},
		finding.Finding{RuleID: "KF-RUN-001", Severity: "error", Message: "RUNTIME ERROR: boom", File: "lib/app.libsonnet", Line: 3, Column: 5},
		finding.Finding{RuleID: "KF-GOLDEN-001", Severity: "warning", Message: "a warning", File: "golden/prod/w.yaml"},
	)
	r := Report{Tool: "kforge", Environments: []EnvironmentResult{{Name: "environments/prod", Entrypoint: "environments/prod/main.jsonnet", Resources: 20, Findings: fs}}}

	var buf bytes.Buffer
	if err := WriteGitHub(&buf, r, Options{ReportFiles: []string{"kforge.sarif"}}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	wantFirst := []string{
		"::error file=lib/app.libsonnet,line=3,col=5,title=KF-RUN-001::environments/prod: RUNTIME ERROR: boom",
		"::error file=golden/prod/apps/rollout-esign-service.yaml,line=9,title=KF-SCHEMA-001::environments/prod: Rollout apps/esign-service: spec.replicas: expected integer",
		"::error file=golden/prod/apps/virtualservice-order-service.yaml,line=14,col=13,title=KF-CANARY-003::environments/prod: VirtualService apps/order-service: weight 50%25 exceeds the cap",
		"::error file=golden/prod/f00.yaml,title=KF-GOLDEN-001::environments/prod: golden/prod/f00.yaml is stale",
	}
	for i, want := range wantFirst {
		if lines[i] != want {
			t.Errorf("annotation %d:\n got %s\nwant %s", i+1, lines[i], want)
		}
	}
	if got := strings.Count(buf.String(), "\n::error ") + 1; got != 10 {
		t.Errorf("%d error annotations, want 10", got)
	}
	if !strings.Contains(buf.String(), "\n::warning file=golden/prod/w.yaml,title=KF-GOLDEN-001::environments/prod: a warning\n") {
		t.Error("the warning is not annotated: errors must not use up the warnings' budget")
	}
	wantEnd := "kforge: 1 environment (1 not validated), 20 resources: 14 errors, 1 warning\n" +
		"::notice::kforge: 4 findings not annotated (GitHub shows 10 annotations of each kind per step): the job log lists them; the full report is in kforge.sarif\n"
	if !strings.HasSuffix(buf.String(), wantEnd) {
		t.Errorf("output does not end with\n%s\ngot:\n%s", wantEnd, buf.String())
	}
	for i := 7; i < 11; i++ {
		if want := fmt.Sprintf("\n  error KF-GOLDEN-001 environments/prod: golden/prod/f%02d.yaml is stale (golden/prod/f%02d.yaml)\n", i, i); !strings.Contains(buf.String(), want) {
			t.Errorf("left-out finding %d not in the log: want %q", i, want)
		}
	}
}

// A message with %, : and a line break reads right in the annotation (escaped as the runner
// unescapes it: %25, %0A; : only in properties) and in the log (as it is).
func TestGitHubMessageBytes(t *testing.T) {
	msg := "weight: 50% of traffic\nsecond line, too"
	r := Report{Tool: "kforge", Environments: []EnvironmentResult{{
		Name: "environments/prod", Entrypoint: "environments/prod/main.jsonnet", Resources: 1,
		Findings: []finding.Finding{
			{RuleID: "KF-A-001", Severity: "error", Title: "Cap: 50%, at most", Message: msg, File: "golden/prod/a:b,c.yaml", Line: 7},
			{RuleID: "KF-B-001", Severity: "error", Message: msg, File: "golden/prod/b.yaml", Line: 2},
		},
	}}}
	var buf bytes.Buffer
	if err := WriteGitHub(&buf, r, Options{MaxAnnotations: 1, PathPrefix: "deploy"}); err != nil {
		t.Fatal(err)
	}
	want := "::error file=deploy/golden/prod/a%3Ab%2Cc.yaml,line=7,title=KF-A-001 Cap%3A 50%25%2C at most::environments/prod: weight: 50%25 of traffic%0Asecond line, too\n" +
		"kforge: 1 error not annotated (annotations are limited to 1 of each kind per step):\n" +
		"::stop-commands::TOKEN\n" +
		"  error KF-B-001 environments/prod: weight: 50% of traffic\n" +
		"    second line, too (deploy/golden/prod/b.yaml:2)\n" +
		"::TOKEN::\n" +
		"kforge: 1 environment, 1 resource: 2 errors\n" +
		"::notice::kforge: 1 finding not annotated (GitHub shows 1 annotation of each kind per step): the job log lists them\n"
	// The stop-commands token is the SHA-256 of the plain lines between it.
	want = strings.ReplaceAll(want, "TOKEN", "ae20514b73b2190573ded97636592d0ccab8e0fdfeadc4005ba113535d353d08")
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// A PathPrefix leads every path in SARIF, annotations and Markdown from the git work tree's root.
func TestPathPrefix(t *testing.T) {
	r := sampleReport()
	r.Environments[0].Findings[0].Related = []finding.Location{{File: "environments/prod/main.jsonnet", Line: 4}}
	opts := Options{PathPrefix: "deploy"}

	var gh bytes.Buffer
	if err := WriteGitHub(&gh, r, opts); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimSuffix(gh.String(), "\n"), "\n") {
		if strings.HasPrefix(l, "::") && !strings.Contains(l, " file=deploy/") {
			t.Errorf("annotation without the prefix: %s", l)
		}
	}

	var sb bytes.Buffer
	if err := WriteSARIF(&sb, r, opts); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]json.RawMessage `json:"originalUriBaseIds"`
			Results            []struct {
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI       string `json:"uri"`
							URIBaseID string `json:"uriBaseId"`
						} `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sb.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if _, ok := log.Runs[0].OriginalURIBaseIDs["%SRCROOT%"]; !ok {
		t.Error("no %SRCROOT% in originalUriBaseIds")
	}
	if len(log.Runs[0].Results) != 5 {
		t.Fatalf("%d results, want 5", len(log.Runs[0].Results))
	}
	for _, res := range log.Runs[0].Results {
		al := res.Locations[0].PhysicalLocation.ArtifactLocation
		if !strings.HasPrefix(al.URI, "deploy/") || al.URIBaseID != "%SRCROOT%" {
			t.Errorf("artifact location %+v: want a deploy/ uri relative to %%SRCROOT%%", al)
		}
	}

	var md bytes.Buffer
	if err := WriteMarkdown(&md, r, opts); err != nil {
		t.Fatal(err)
	}
	if strings.Count(md.String(), "<br>deploy/") != 5 || strings.Contains(md.String(), "<br>golden/") {
		t.Errorf("markdown paths not prefixed:\n%s", md.String())
	}
}

func TestPrefixPath(t *testing.T) {
	for _, tt := range []struct{ prefix, in, want string }{
		{"deploy", "golden/prod/a.yaml", "deploy/golden/prod/a.yaml"},
		{"deploy/k8s", "environments/prod/main.jsonnet", "deploy/k8s/environments/prod/main.jsonnet"},
		{"deploy", "../shared/lib.libsonnet", "shared/lib.libsonnet"},
		{"deploy", "../../outside.rego", "../../outside.rego"},
		{"deploy", "/abs/file.yaml", "/abs/file.yaml"},
		{"deploy", "<stdin>", "<stdin>"},
		{"deploy", "", ""},
		{"", "golden/a.yaml", "golden/a.yaml"},
	} {
		if got := prefixPath(tt.prefix, tt.in); got != tt.want {
			t.Errorf("prefixPath(%q, %q) = %q, want %q", tt.prefix, tt.in, got, tt.want)
		}
	}
}
