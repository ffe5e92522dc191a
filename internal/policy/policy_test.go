package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/finding"
)

// testRoot is the absolute testdata directory, the "repository root" of these tests.
func testRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

func load(t testing.TB, dirs, data []string, opts Options) *Engine {
	t.Helper()
	opts.Root = testRoot(t)
	e, err := Load(context.Background(), dirs, data, opts)
	if err != nil {
		t.Fatalf("Load(%v): %v", dirs, err)
	}
	return e
}

// decode reads manifests the way the pipeline hands them over: JSON with json.Number.
func decode(t testing.TB, js string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(js))
	dec.UseNumber()
	var out []map[string]any
	if err := dec.Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func virtualService(name string, weights ...int) string {
	routes := make([]string, len(weights))
	for i, w := range weights {
		subset := "stable"
		if i > 0 {
			subset = "canary"
		}
		routes[i] = fmt.Sprintf(`{"destination": {"host": %q, "subset": %q}, "weight": %d}`, name, subset, w)
	}
	return fmt.Sprintf(`{"apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
	  "metadata": {"name": %q, "namespace": "apps", "labels": {"app.kubernetes.io/name": %q}},
	  "spec": {"http": [{"name": "primary", "route": [%s]}]}}`, name, name, strings.Join(routes, ", "))
}

const secret = `{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds", "namespace": "apps"}, "data": {"password": "eA=="}}`

func TestEvaluateKforge(t *testing.T) {
	e := load(t, []string{"kforge"}, nil, Options{})
	resources := decode(t, "["+virtualService("order-service", 80, 20)+","+virtualService("esign-service", 90, 5)+","+secret+"]")
	files := []string{"golden/prod/apps/virtualservice-order-service.yaml", "", "golden/prod/apps/secret-creds.yaml"}
	vsOrder := finding.ResourceRef{APIVersion: "networking.istio.io/v1", Kind: "VirtualService", Namespace: "apps", Name: "order-service"}
	vsEsign := finding.ResourceRef{APIVersion: "networking.istio.io/v1", Kind: "VirtualService", Namespace: "apps", Name: "esign-service"}
	creds := finding.ResourceRef{APIVersion: "v1", Kind: "Secret", Namespace: "apps", Name: "creds"}
	const canary, labels = "kforge/canary/canary.rego", "kforge/labels/labels.rego"

	tests := []struct {
		name string
		env  EnvInfo
		want []finding.Finding
	}{
		{
			name: "prod caps the canary at 10",
			env:  EnvInfo{Name: "environments/prod", Tier: "prod", Namespace: "apps", Labels: map[string]string{"tier": "prod"}},
			want: []finding.Finding{
				{RuleID: "KF-T-001", Severity: "error", Title: "Canary weight exceeds the tier cap", Message: "canary weight 20 exceeds the prod cap of 10", Resource: vsOrder, File: files[0], Source: canary},
				{RuleID: "KF-T-002", Severity: "error", Title: "Route weights must sum to 100", Message: "route primary weights sum to 95", Resource: vsEsign, File: "environments/prod/main.jsonnet", Source: canary},
				{RuleID: "KF-T-011", Severity: "error", Title: "No plaintext Secrets", Message: "plaintext Secret rendered", Resource: creds, File: files[2], Source: labels},
				{RuleID: "KF-T-003", Severity: "warning", Title: "Canary without a header route", Message: "no header-matched route to the canary", Resource: vsEsign, File: "environments/prod/main.jsonnet", Source: canary},
				{RuleID: "KF-T-003", Severity: "warning", Title: "Canary without a header route", Message: "no header-matched route to the canary", Resource: vsOrder, File: files[0], Source: canary},
				{RuleID: "KF-T-010", Severity: "info", Title: "Recommended labels", Message: "missing label app.kubernetes.io/name", Resource: creds, File: files[2], Source: labels},
			},
		},
		{
			name: "staging allows 20 and a missing tier label is reported",
			env:  EnvInfo{Name: "environments/staging", Tier: "staging"},
			want: []finding.Finding{
				{RuleID: "KF-T-002", Severity: "error", Title: "Route weights must sum to 100", Message: "route primary weights sum to 95", Resource: vsEsign, File: "environments/staging/main.jsonnet", Source: canary},
				{RuleID: "KF-T-011", Severity: "error", Title: "No plaintext Secrets", Message: "plaintext Secret rendered", Resource: creds, File: files[2], Source: labels},
				{RuleID: "kforge.labels.deny", Severity: "error", Message: "environment has no tier label", File: "environments/staging/main.jsonnet", Source: labels},
				{RuleID: "KF-T-003", Severity: "warning", Title: "Canary without a header route", Message: "no header-matched route to the canary", Resource: vsEsign, File: "environments/staging/main.jsonnet", Source: canary},
				{RuleID: "KF-T-003", Severity: "warning", Title: "Canary without a header route", Message: "no header-matched route to the canary", Resource: vsOrder, File: files[0], Source: canary},
				{RuleID: "KF-T-010", Severity: "info", Title: "Recommended labels", Message: "missing label app.kubernetes.io/name", Resource: creds, File: files[2], Source: labels},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entry := strings.Replace("environments/x/main.jsonnet", "environments/x", tt.env.Name, 1)
			got, err := e.Evaluate(context.Background(), Input{Environment: tt.env, Resources: resources, Files: files, Entrypoint: entry})
			if err != nil {
				t.Fatal(err)
			}
			for i := range tt.want {
				tt.want[i].Environment = tt.env.Name
			}
			assertFindings(t, got, tt.want)
		})
	}
}

func TestEvaluateEmptyEnvironment(t *testing.T) {
	e := load(t, []string{"kforge"}, nil, Options{})
	got, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/dev", Tier: "dev", Labels: map[string]string{"tier": "dev"}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("findings for an empty environment: %+v", got)
	}
}

func TestRules(t *testing.T) {
	e := load(t, []string{"kforge", "conftest/policy"}, nil, Options{})
	want := []finding.Rule{
		{ID: "KF-T-001", Severity: "error", Title: "Canary weight exceeds the tier cap", Description: "The canary route may carry at most the tier's cap.", Package: "kforge.canary", File: "kforge/canary/canary.rego", Line: 11, Style: StyleKforge},
		{ID: "KF-T-002", Severity: "error", Title: "Route weights must sum to 100", Package: "kforge.canary", File: "kforge/canary/canary.rego", Line: 29, Style: StyleKforge},
		{ID: "KF-T-003", Severity: "warning", Title: "Canary without a header route", Description: "A header route lets testers reach the canary on purpose.", Package: "kforge.canary", File: "kforge/canary/canary.rego", Line: 48, Style: StyleKforge},
		{ID: "KF-T-010", Severity: "info", Title: "Recommended labels", Package: "kforge.labels", File: "kforge/labels/labels.rego", Line: 8, Style: StyleKforge},
		{ID: "KF-T-011", Severity: "error", Title: "No plaintext Secrets", Package: "kforge.labels", File: "kforge/labels/labels.rego", Line: 29, Style: StyleKforge},
		{ID: "kforge.labels.deny", Severity: "error", Package: "kforge.labels", File: "kforge/labels/labels.rego", Line: 18, Style: StyleKforge},
		{ID: "main.deny", Severity: "error", Package: "main", File: "conftest/policy/deployment.rego", Line: 3, Style: StyleConftest},
		{ID: "main.deny_file", Severity: "error", Package: "main", File: "conftest/policy/deployment.rego", Line: 34, Style: StyleConftest},
		{ID: "main.deny_latest", Severity: "error", Package: "main", File: "conftest/policy/deployment.rego", Line: 9, Style: StyleConftest},
		{ID: "main.violation_labels", Severity: "error", Package: "main", File: "conftest/policy/deployment.rego", Line: 15, Style: StyleConftest},
		{ID: "main.warn_quiet", Severity: "warning", Package: "main", File: "conftest/policy/deployment.rego", Line: 30, Style: StyleConftest},
		{ID: "main.warn_replicas", Severity: "warning", Title: "Few replicas", Package: "main", File: "conftest/policy/deployment.rego", Line: 23, Style: StyleConftest},
	}
	if got := e.Rules(); !reflect.DeepEqual(got, want) {
		t.Errorf("Rules():\n%s\nwant:\n%s", dump(got), dump(want))
	}
}

// conftestManifests exercise every conftest rule shape: see testdata/conftest.
const conftestManifests = `[
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "apps"},
   "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "web", "image": "nginx:latest"}]}}}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "legacy", "namespace": "apps"},
   "spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "app", "image": "app:latest"}]}}}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "root-ok", "namespace": "apps", "labels": {"app": "root-ok"}},
   "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "agent", "image": "agent:latest"}]}}}},
  {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "good", "namespace": "apps", "labels": {"app": "good"}},
   "spec": {"replicas": 2, "template": {"spec": {"securityContext": {"runAsNonRoot": true}, "containers": [{"name": "good", "image": "good:1.0"}]}}}},
  {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "svc", "namespace": "apps"}, "spec": {"type": "NodePort"}}
]`

func TestEvaluateConftest(t *testing.T) {
	resources := decode(t, conftestManifests)
	files := []string{"golden/dev/apps/deployment-web.yaml", "golden/dev/apps/deployment-legacy.yaml", "golden/dev/apps/deployment-root-ok.yaml", "golden/dev/apps/deployment-good.yml", "golden/dev/apps/service-svc.yaml"}
	dep := func(name string) finding.ResourceRef {
		return finding.ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "apps", Name: name}
	}
	svc := finding.ResourceRef{APIVersion: "v1", Kind: "Service", Namespace: "apps", Name: "svc"}
	const deployment, helpers, other = "conftest/policy/deployment.rego", "conftest/policy/helpers.rego", "conftest/other/other.rego"

	// What conftest reports for these manifests, one finding per FAIL/WARN line:
	// "legacy" is excepted from deny_latest and violation_labels, "root-ok"
	// from the bare deny (exception ""), "good" is clean but for its .yml file.
	mainFindings := []finding.Finding{
		{RuleID: "main.deny", Severity: "error", Message: "legacy: containers must not run as root", Resource: dep("legacy"), File: files[1], Source: deployment},
		{RuleID: "main.deny", Severity: "error", Message: "web: containers must not run as root", Resource: dep("web"), File: files[0], Source: deployment},
		{RuleID: "main.deny", Severity: "error", Message: "Service svc must not be a NodePort", Resource: svc, File: files[4], Source: helpers},
		{RuleID: "main.deny_file", Severity: "error", Message: "golden/dev/apps/deployment-good.yml: use the .yaml extension", Resource: dep("good"), File: files[3], Source: deployment},
		{RuleID: "main.deny_latest", Severity: "error", Message: "agent uses a latest tag", Resource: dep("root-ok"), File: files[2], Source: deployment},
		{RuleID: "main.deny_latest", Severity: "error", Message: "web uses a latest tag", Resource: dep("web"), File: files[0], Source: deployment},
		{RuleID: "main.violation_labels", Severity: "error", Message: "Deployment has no app label", Resource: dep("web"), File: files[0], Source: deployment},
		{RuleID: "main.warn_replicas", Severity: "warning", Title: "Few replicas", Message: "only 1 replica", Resource: dep("legacy"), File: files[1], Source: deployment},
		{RuleID: "main.warn_replicas", Severity: "warning", Title: "Few replicas", Message: "only 1 replica", Resource: dep("web"), File: files[0], Source: deployment},
	}
	otherFinding := finding.Finding{RuleID: "other.deny", Severity: "error", Message: "Service svc is checked by package other", Resource: svc, File: files[4], Source: other}
	// Errors before warnings, then by rule id.
	withOther := slices.Concat(mainFindings[:7], []finding.Finding{otherFinding}, mainFindings[7:])

	tests := []struct {
		name string
		opts Options
		want []finding.Finding
	}{
		{name: "default namespace main", opts: Options{}, want: mainFindings},
		{name: "namespace other only", opts: Options{Namespaces: []string{"other"}}, want: []finding.Finding{otherFinding}},
		{name: "namespaces main and other", opts: Options{Namespaces: []string{"main", "other"}}, want: withOther},
		{name: "all namespaces", opts: Options{AllNamespaces: true}, want: withOther},
		{name: "unknown namespace", opts: Options{Namespaces: []string{"nothing"}}, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := load(t, []string{"conftest/policy", "conftest/other"}, nil, tt.opts)
			got, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/dev", Tier: "dev"}, Resources: resources, Files: files})
			if err != nil {
				t.Fatal(err)
			}
			want := make([]finding.Finding, len(tt.want))
			for i, f := range tt.want {
				f.Environment = "environments/dev"
				want[i] = f
			}
			assertFindings(t, got, want)
		})
	}
}

func TestConftestMessageWithoutMsg(t *testing.T) {
	e := load(t, []string{"conftest_nomsg"}, nil, Options{})
	_, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/dev"}, Resources: decode(t, `[{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}}]`)})
	pe := asError(t, err, KindRuntime)
	if pe.File != "conftest_nomsg/nomsg.rego" || pe.Line != 3 || !strings.Contains(pe.Message, "needs a string msg field") || pe.Resource != "ConfigMap cm" {
		t.Errorf("error = %+v", pe)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name     string
		dirs     []string
		data     []string
		kind     ErrorKind
		file     string
		line     int
		contains []string
	}{
		{name: "compile error", dirs: []string{"compile_error"}, kind: KindCompile, file: "compile_error/bad.rego", line: 9,
			contains: []string{"compile_error/bad.rego:9:9: rego_type_error: undefined function undefined_helper"}},
		{name: "rego v0 syntax", dirs: []string{"parse_error"}, kind: KindCompile, file: "parse_error/old.rego", line: 3,
			contains: []string{"rego_parse_error", "opa fmt --v0-v1"}},
		{name: "http.send is not available", dirs: []string{"network"}, kind: KindCompile, file: "network/fetch.rego", line: 8,
			contains: []string{"undefined function http.send", "may not use network", "net.lookup_ip_addr", "opa.runtime"}},
		{name: "boolean deny", dirs: []string{"bool_deny"}, kind: KindCompile, file: "bool_deny/bool.rego", line: 3,
			contains: []string{"deny uses `if` without `contains`"}},
		{name: "kforge deny must be a set", dirs: []string{"kforge_complete"}, kind: KindCompile, file: "kforge_complete/complete.rego", line: 3,
			contains: []string{"deny in package kforge.complete must be a partial set rule"}},
		{name: "invalid severity", dirs: []string{"bad_metadata"}, kind: KindCompile, file: "bad_metadata/meta.rego", line: 3,
			contains: []string{`custom.severity must be "error", "warning" or "info", not critical`}},
		{name: "unsafe variable in a rule head", dirs: []string{"unsafe_head"}, kind: KindCompile, file: "unsafe_head/unsafe.rego", line: 7,
			contains: []string{"unsafe_head/unsafe.rego:7:15: rego_unsafe_var_error: var x is unsafe in rule deny"}},
		{name: "missing directory", dirs: []string{"nowhere"}, kind: KindLoad,
			contains: []string{"policy directory nowhere does not exist"}},
		{name: "missing directory given absolute under the root", dirs: []string{filepath.Join(testRoot(t), "nowhere")}, kind: KindLoad,
			contains: []string{"policy directory nowhere does not exist"}},
		{name: "no policies", dirs: []string{"extra_data"}, kind: KindLoad,
			contains: []string{"no .rego files in extra_data"}},
		{name: "one of several directories has no policies", dirs: []string{"kforge", "extra_data"}, kind: KindLoad,
			contains: []string{"no .rego files in extra_data"}},
		{name: "conflicting data", dirs: []string{"data/policies"}, data: []string{"extra_data/conflict.json"}, kind: KindLoad,
			contains: []string{"extra_data/conflict.json", "data/policies/limits/data.yaml", "data.limits.replicas.prod"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), tt.dirs, tt.data, Options{Root: testRoot(t)})
			pe := asError(t, err, tt.kind)
			if pe.File != tt.file || pe.Line != tt.line {
				t.Errorf("error at %s:%d, want %s:%d (%v)", pe.File, pe.Line, tt.file, tt.line, err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not mention %q", err, s)
				}
			}
			if strings.Contains(err.Error(), testRoot(t)) {
				t.Errorf("error %q names an absolute path", err)
			}
		})
	}
}

// The engine compiles a private copy of every reporting rule body; a problem in
// a body must still be reported once, under the rule name the policy uses.
func TestCompileErrorsOncePerProblem(t *testing.T) {
	tests := []struct {
		name string
		dirs []string
		want string
	}{
		{name: "unsafe head of a kforge deny", dirs: []string{"unsafe_head"},
			want: "unsafe_head/unsafe.rego:7:15: rego_unsafe_var_error: var x is unsafe in rule deny"},
		{name: "unsafe bodies of a kforge warn and a conftest deny_image", dirs: []string{"unsafe_body"},
			want: "unsafe_body/main.rego:4:2: rego_unsafe_var_error: var image is unsafe in rule deny_image\n" +
				"unsafe_body/unsafe.rego:9:9: rego_unsafe_var_error: var undefined_var is unsafe in rule warn"},
		{name: "undefined function", dirs: []string{"compile_error"},
			want: "compile_error/bad.rego:9:9: rego_type_error: undefined function undefined_helper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), tt.dirs, nil, Options{Root: testRoot(t)})
			if err == nil {
				t.Fatal("no error")
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", got, tt.want)
			}
			if KindOf(err) != KindCompile {
				t.Errorf("kind %q, want %q", KindOf(err), KindCompile)
			}
		})
	}
}

func TestLoadDirectoryNames(t *testing.T) {
	root := testRoot(t)
	outside := filepath.Join(t.TempDir(), "conftest-policies")
	tests := []struct {
		name  string
		root  string
		dirs  []string
		given map[string]string
		want  string
	}{
		{name: "relative to the root", root: root, dirs: []string{"nowhere", "extra_data"},
			want: "policy directory nowhere does not exist"},
		{name: "absolute under the root", root: root, dirs: []string{filepath.Join(root, "extra_data")},
			want: "no .rego files in extra_data"},
		{name: "no root: as given", dirs: []string{"testdata/extra_data"},
			want: "no .rego files in testdata/extra_data"},
		{name: "no root: missing, as given", dirs: []string{"testdata/nowhere", "./testdata/gone/"},
			want: "policy directory testdata/nowhere does not exist\npolicy directory testdata/gone does not exist"},
		{name: "outside the root: absolute, not ../..", root: root, dirs: []string{outside},
			want: "policy directory " + filepath.ToSlash(outside) + " does not exist"},
		{name: "outside the root: as the user gave it", root: root, dirs: []string{outside},
			given: map[string]string{outside: "~/conftest-policies"},
			want:  "policy directory ~/conftest-policies does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), tt.dirs, nil, Options{Root: tt.root, Given: tt.given})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if KindOf(err) != KindLoad {
				t.Errorf("kind %q, want %q", KindOf(err), KindLoad)
			}
		})
	}
}

func TestRuleJSON(t *testing.T) {
	e := load(t, []string{"kforge"}, nil, Options{})
	b, err := json.Marshal(e.Rules())
	if err != nil {
		t.Fatal(err)
	}
	var rules []map[string]any
	if err := json.Unmarshal(b, &rules); err != nil {
		t.Fatal(err)
	}
	for _, r := range rules {
		for _, key := range []string{"id", "severity", "title", "description", "package", "file", "line", "style"} {
			if _, ok := r[key]; !ok {
				t.Errorf("rule %v has no %q", r["id"], key)
			}
		}
	}
	// kforge.labels.deny has no METADATA: its title and description are empty strings.
	if !bytes.Contains(b, []byte(`"id":"kforge.labels.deny","severity":"error","title":"","description":""`)) {
		t.Errorf("unannotated rule without empty title and description:\n%s", b)
	}
}

func TestRuntimeError(t *testing.T) {
	e := load(t, []string{"runtime_error"}, nil, Options{})
	resources := decode(t, `[{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "a"}}, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "a"}}]`)
	_, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/prod"}, Resources: resources})
	pe := asError(t, err, KindRuntime)
	if pe.File != "runtime_error/conflict.rego" || pe.Line != 4 || pe.Environment != "environments/prod" || !strings.Contains(pe.Message, "eval_conflict_error") {
		t.Errorf("error = %+v", pe)
	}
	if !strings.HasPrefix(err.Error(), "environments/prod: runtime_error/conflict.rego:4:1: eval_conflict_error") {
		t.Errorf("Error() = %q", err)
	}
	// One kind, one value: no conflict.
	if _, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/prod"}, Resources: resources[:1]}); err != nil {
		t.Errorf("single kind: %v", err)
	}
}

func TestTimeout(t *testing.T) {
	e := load(t, []string{"timeout"}, nil, Options{Timeout: 100 * time.Millisecond})
	start := time.Now()
	_, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/prod"}})
	pe := asError(t, err, KindTimeout)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(pe.Error(), "exceeded the time limit of 100ms") {
		t.Errorf("error = %v", err)
	}
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("evaluation stopped after %s", elapsed)
	}
}

func TestCancel(t *testing.T) {
	e := load(t, []string{"timeout"}, nil, Options{Timeout: -1})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	_, err := e.Evaluate(ctx, Input{Environment: EnvInfo{Name: "environments/prod"}})
	if !errors.Is(err, context.Canceled) || KindOf(err) != "" {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestData(t *testing.T) {
	e := load(t, []string{"data/policies"}, []string{"extra_data/owner.json"}, Options{})
	resources := decode(t, `[{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "api", "namespace": "apps"}, "spec": {"replicas": 1}}]`)
	tests := []struct {
		tier string
		want []string
	}{
		{tier: "prod", want: []string{"1 replicas, prod needs 2 (platform-team)"}},
		{tier: "dev", want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.tier, func(t *testing.T) {
			got, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/" + tt.tier, Tier: tt.tier}, Resources: resources})
			if err != nil {
				t.Fatal(err)
			}
			var msgs []string
			for _, f := range got {
				msgs = append(msgs, f.Message)
			}
			if !reflect.DeepEqual(msgs, tt.want) {
				t.Errorf("messages = %q, want %q", msgs, tt.want)
			}
		})
	}
}

func TestConcurrentEvaluate(t *testing.T) {
	e := load(t, []string{"kforge", "conftest/policy"}, nil, Options{})
	inputs := []Input{
		{Environment: EnvInfo{Name: "environments/dev", Tier: "dev", Labels: map[string]string{"tier": "dev"}}, Resources: decode(t, "["+virtualService("a", 50, 50)+"]")},
		{Environment: EnvInfo{Name: "environments/staging", Tier: "staging"}, Resources: decode(t, "["+virtualService("b", 60, 30)+","+secret+"]")},
		{Environment: EnvInfo{Name: "environments/prod", Tier: "prod", Labels: map[string]string{"tier": "prod"}}, Resources: decode(t, conftestManifests)},
	}
	want := make([][]finding.Finding, len(inputs))
	for i, in := range inputs {
		fs, err := e.Evaluate(context.Background(), in)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 0 {
			t.Fatalf("input %d has no findings; the test needs some", i)
		}
		want[i] = fs
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 32 {
		wg.Go(func() {
			for j := range 4 {
				i := (g + j) % len(inputs)
				got, err := e.Evaluate(context.Background(), inputs[i])
				if err != nil {
					errs <- err
					return
				}
				if !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Errorf("goroutine %d, input %d: findings differ from the sequential run", g, i)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Load(context.Background(), []string{"parse_error"}, nil, Options{Root: testRoot(t)})
	var list Errors
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("want two parse errors, got %v", err)
	}
	if KindOf(err) != KindCompile {
		t.Errorf("KindOf = %q", KindOf(err))
	}
	if got := strings.Count(err.Error(), "\n"); got != 1 {
		t.Errorf("want one error per line, got %q", err)
	}
}

func BenchmarkEvaluate(b *testing.B) {
	e := load(b, []string{"kforge"}, nil, Options{})
	var parts []string
	for i := range 200 {
		switch i % 4 {
		case 0:
			parts = append(parts, virtualService(fmt.Sprintf("svc-%d", i), 95, 5))
		default:
			parts = append(parts, fmt.Sprintf(`{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "app-%d", "namespace": "apps", "labels": {"app.kubernetes.io/name": "app-%d"}},
			  "spec": {"replicas": 2, "template": {"spec": {"containers": [{"name": "app", "image": "app:1.%d", "env": [{"name": "OTEL_TRACES_SAMPLER_ARG", "value": "0.1"}]}]}}}}`, i, i, i))
		}
	}
	in := Input{Environment: EnvInfo{Name: "environments/prod", Tier: "prod", Labels: map[string]string{"tier": "prod"}}, Resources: decode(b, "["+strings.Join(parts, ",")+"]")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Evaluate(context.Background(), in); err != nil {
			b.Fatal(err)
		}
	}
}

func asError(t *testing.T, err error, kind ErrorKind) *Error {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want a %s error", kind)
	}
	pe, ok := errors.AsType[*Error](err)
	if !ok {
		t.Fatalf("error %v (%T) is not a *policy.Error", err, err)
	}
	if pe.Kind != kind {
		t.Fatalf("error kind %q, want %q: %v", pe.Kind, kind, err)
	}
	return pe
}

func assertFindings(t *testing.T, got, want []finding.Finding) {
	t.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", dump(got), dump(want))
	}
}

func dump(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
	return b.String()
}

// TestEvaluatePreviousSharedWithResources checks that a previous object which is one of the
// resources (the pipeline passes the rendered object for every unchanged golden file, and the
// engine converts it once) reads exactly as a separate copy of it does.
func TestEvaluatePreviousSharedWithResources(t *testing.T) {
	e := load(t, []string{"previous"}, nil, Options{})
	const deployment = `{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": %q, "namespace": "apps"}, "spec": {"replicas": %d}}`
	resources := decode(t, "["+fmt.Sprintf(deployment, "web", 3)+","+fmt.Sprintf(deployment, "api", 5)+"]")
	copies := decode(t, "["+fmt.Sprintf(deployment, "web", 3)+","+fmt.Sprintf(deployment, "api", 2)+"]")
	env := EnvInfo{Name: "environments/prod", Tier: "prod"}
	// web is shared (unchanged), api is a separate, older object.
	shared, err := e.Evaluate(context.Background(), Input{Environment: env, Resources: resources, Previous: []map[string]any{resources[0], copies[1]}})
	if err != nil {
		t.Fatal(err)
	}
	separate, err := e.Evaluate(context.Background(), Input{Environment: env, Resources: resources, Previous: copies})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range shared {
		msgs = append(msgs, f.Message)
	}
	if got := strings.Join(msgs, "; "); got != "replicas 2 -> 5; replicas 3 -> 3" {
		t.Errorf("findings with a shared previous object: %q", got)
	}
	assertFindings(t, shared, separate)
}

// TestConfigDocsMatchRego checks that the configuration files kforge parses in Go for
// input.config_docs are exactly what Rego's yaml.is_valid and yaml.unmarshal make of the same
// ConfigMap data, for every kind of text a ConfigMap holds.
func TestConfigDocsMatchRego(t *testing.T) {
	e := load(t, []string{"configdocs"}, nil, Options{})
	data := map[string]any{
		"app.yaml":    "server:\n  port: 8080\n  ratio: 0.25\n  big: 123456789012345678901234567890\n  tls: true\n  none: null\n  when: 2024-01-02\nlist: [1, two, {three: 3}]\n",
		"anchors.yml": "base: &b {a: 1}\nderived:\n  <<: *b\n  c: 2\n",
		"json":        `{"a": [1, 2.5e3, "x"], "b": {"c": null}}`,
		"invalid":     "a: [1, 2\n",
		"scalar":      "just some text",
		"list":        "- a\n- b\n",
		"multi":       "a: 1\n---\nb: 2\n",
		"empty":       "",
		"number":      json.Number("3"),
	}
	resources := []map[string]any{
		{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "a", "namespace": "apps"}, "data": data},
		{"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s", "namespace": "apps"}, "data": map[string]any{"x.yaml": "a: 1\n"}},
		{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "b", "namespace": "apps"}, "data": map[string]any{"other.yaml": "k: v\n"}},
	}
	got, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/x"}, Resources: resources})
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, f := range got {
		msgs = append(msgs, f.RuleID+": "+f.Message)
	}
	if joined := strings.Join(msgs, "\n"); joined != "KF-CD-002: 5 documents" {
		t.Errorf("findings:\n%s\nwant only KF-CD-002: 5 documents", joined)
	}
}
