package schema_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/finding"
	"github.com/kforge/kforge/internal/schema"
)

const widgetYAML = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
  namespace: apps
spec:
  size: small
`

func TestLoadErrors(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		opts    schema.Options
		check   func(error) bool
		message string
	}{
		{"unknown Kubernetes version", schema.Options{KubernetesVersion: "1.20"},
			func(err error) bool { var e *schema.VersionError; return errors.As(err, &e) },
			"no schemas for Kubernetes 1.20: kforge has 1.29, 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36, 1.37 (set kubernetesVersion in kforge.yaml or --kube-version)"},
		{"missing CRD directory", schema.Options{CRDDirs: []string{filepath.Join(root, "testdata", "nope")}, Root: root},
			func(err error) bool { var e *schema.CRDError; return errors.As(err, &e) },
			"testdata/nope: no such file or directory"},
		{"v1beta1 definition", schema.Options{CRDDirs: []string{filepath.Join(root, "testdata", "badcrds")}, Root: root},
			func(err error) bool { var e *schema.CRDError; return errors.As(err, &e) },
			"testdata/badcrds/v1beta1.yaml: CustomResourceDefinition gadgets.example.com: apiextensions.k8s.io/v1beta1 is not supported, only apiextensions.k8s.io/v1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := schema.Load(tc.opts)
			if err == nil || !tc.check(err) {
				t.Fatalf("got %v (%T)", err, err)
			}
			if err.Error() != tc.message {
				t.Errorf("message\n got: %s\nwant: %s", err, tc.message)
			}
			if strings.Contains(err.Error(), root) {
				t.Errorf("message shows an absolute path: %s", err)
			}
		})
	}
}

func TestKubernetesVersions(t *testing.T) {
	versions, err := schema.SupportedKubernetesVersions()
	if err != nil {
		t.Fatal(err)
	}
	if len(versions) == 0 || versions[0] != "1.29" || versions[len(versions)-1] != "1.37" {
		t.Fatalf("supported versions %v, want 1.29 to 1.37", versions)
	}
	for _, ver := range append(versions, "v1.34", "") {
		t.Run("version "+ver, func(t *testing.T) {
			v, err := schema.Load(schema.Options{KubernetesVersion: ver})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(v.KubernetesRelease(), "v1.") {
				t.Errorf("release %q", v.KubernetesRelease())
			}
			checkFindings(t, v.Validate(loadObject(t, "deployment")), nil)
			bad := loadObject(t, "deployment")
			set("spec.replica", "2")(t, bad)
			checkFindings(t, v.Validate(bad), []want{{schema.RuleUnknownField, "spec.replica", "unknown field"}})
		})
	}
}

// TestVersionsDiffer checks that each version validates against its own schemas: pod-level
// resources (PodSpec.resources) exist since Kubernetes 1.32.
func TestVersionsDiffer(t *testing.T) {
	obj := loadObject(t, "deployment")
	set("spec.template.spec.resources", map[string]any{"limits": map[string]any{"cpu": "1"}})(t, obj)
	old := loadValidator(t, schema.Options{KubernetesVersion: "1.29"})
	if old.KubernetesRelease() != "v1.29.6" {
		t.Errorf("1.29 release %q", old.KubernetesRelease())
	}
	checkFindings(t, old.Validate(obj), []want{{schema.RuleUnknownField, "spec.template.spec.resources", "unknown field"}})
	checkFindings(t, loadValidator(t, schema.Options{KubernetesVersion: "1.37"}).Validate(obj), nil)
	if old.Fingerprint() == loadValidator(t, schema.Options{KubernetesVersion: "1.37"}).Fingerprint() {
		t.Error("1.29 and 1.37 have one fingerprint")
	}
}

func TestNoSchema(t *testing.T) {
	cases := []struct {
		name     string
		strict   bool
		object   string
		severity finding.Severity
		message  string
	}{
		{"unknown group", false, "apiVersion: example.org/v1\nkind: Thing\nmetadata: {name: t}\n", finding.SeverityWarning,
			"no schema for example.org/v1 Thing: add its CustomResourceDefinition with --crds DIR or render it in the environment"},
		{"unknown group, strict", true, "apiVersion: example.org/v1\nkind: Thing\nmetadata: {name: t}\n", finding.SeverityError,
			"no schema for example.org/v1 Thing"},
		{"misspelt kind of a known CRD group", false, "apiVersion: networking.istio.io/v1\nkind: VirtualServce\nmetadata: {name: t}\n", finding.SeverityWarning,
			"no schema for networking.istio.io/v1 VirtualServce (did you mean VirtualService?)"},
		{"unknown kind of a known CRD group", false, "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: t}\n", finding.SeverityWarning,
			"(the known kinds of argoproj.io are AnalysisRun, AnalysisTemplate, AppProject, Application, ApplicationSet, ClusterAnalysisTemplate, Experiment, Rollout; add the CustomResourceDefinition with --crds DIR)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := loadValidator(t, schema.Options{Strict: tc.strict})
			got := v.Validate(decodeYAML(t, []byte(tc.object)))
			if len(got) != 1 {
				t.Fatalf("got %d findings, want 1: %+v", len(got), got)
			}
			f := got[0]
			if f.RuleID != schema.RuleNoSchema || f.Severity != tc.severity || !strings.Contains(f.Message, tc.message) {
				t.Errorf("got %s %s %q, want %s %s %q", f.RuleID, f.Severity, f.Message, schema.RuleNoSchema, tc.severity, tc.message)
			}
		})
	}
}

func TestUserCRDs(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	v := loadValidator(t, schema.Options{CRDDirs: []string{filepath.Join(root, "testdata", "crds")}, Root: root})
	cases := []struct {
		name   string
		object string
		change []mutation
		want   []want
	}{
		{"valid, defaults applied before CEL", widgetYAML, nil, nil},
		{"enum", widgetYAML, []mutation{set("spec.size", "huge")},
			[]want{{schema.RuleInvalidValue, "spec.size", `string "huge" is not one of "small", "large"`}}},
		{"required", widgetYAML, []mutation{del("spec.size")},
			[]want{{schema.RuleRequired, "spec.size", "required field is missing"}}},
		{"CEL", widgetYAML, []mutation{set("spec.min", int64(20))},
			[]want{{schema.RuleCEL, "spec", "min must not exceed max"}}},
		{"int-or-string without anyOf", widgetYAML, []mutation{set("spec.port", true)},
			[]want{{schema.RuleWrongType, "spec.port", "must be an integer or a string, found boolean true"}}},
		{"CEL rule at the root", widgetYAML, []mutation{set("metadata.name", "forbidden")},
			[]want{{schema.RuleCEL, "", "(object): the name forbidden is reserved"}}},
		{"deprecated version", strings.Replace(widgetYAML, "example.com/v1", "example.com/v1beta1", 1), nil,
			[]want{{schema.RuleDeprecated, "apiVersion", "example.com/v1beta1 Widget is deprecated; use example.com/v1"}}},
		{"unserved version", strings.Replace(widgetYAML, "example.com/v1", "example.com/v1alpha1", 1), nil,
			[]want{{schema.RuleNotServed, "", "it is served as example.com/v1, example.com/v1beta1"}}},
		{"user definition replaces the embedded one", "", nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var obj map[string]any
			if tc.object == "" {
				obj = loadObject(t, "tidbcluster")
				set("spec.somethingNew", "x")(t, obj)
			} else {
				obj = decodeYAML(t, []byte(tc.object))
			}
			for _, m := range tc.change {
				m(t, obj)
			}
			got := v.Validate(obj)
			checkFindings(t, got, tc.want)
			for _, f := range got {
				if f.RuleID != schema.RuleNotServed && f.Schema != "testdata/crds/widgets.yaml" {
					t.Errorf("finding schema source %q, want the repository-relative file", f.Schema)
				}
			}
		})
	}
}

func TestAddCRDs(t *testing.T) {
	base := loadValidator(t, schema.Options{})
	data, err := os.ReadFile(filepath.Join("testdata", "crds", "widgets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	crd := decodeYAML(t, data[:strings.Index(string(data), "\n---\n")+1])
	widget := decodeYAML(t, []byte(widgetYAML))
	set("spec.colour", "red")(t, widget)

	same, err := base.AddCRDs("environments/dev", []map[string]any{widget})
	if err != nil || same != base {
		t.Fatalf("without definitions AddCRDs must return the validator itself: %v", err)
	}
	env, err := base.AddCRDs("environments/dev", []map[string]any{crd, widget})
	if err != nil {
		t.Fatal(err)
	}
	got := env.Validate(widget)
	checkFindings(t, got, []want{{schema.RuleUnknownField, "spec.colour", `unknown field "colour"`}})
	if want := "CustomResourceDefinition widgets.example.com rendered by environments/dev"; len(got) == 1 && got[0].Schema != want {
		t.Errorf("schema source %q, want %q", got[0].Schema, want)
	}
	// A rendered definition is itself checked against the built-in schema (whose recursive
	// JSONSchemaProps is cut below the first levels).
	checkFindings(t, base.Validate(crd), nil)
	typo := decodeYAML(t, data[:strings.Index(string(data), "\n---\n")+1])
	set("spec.versions[0].schema.openAPIV3Schema.propertiez", map[string]any{})(t, typo)
	checkFindings(t, base.Validate(typo), []want{{schema.RuleUnknownField, "spec.versions[0].schema.openAPIV3Schema.propertiez", `did you mean "properties"`}})
	// The base validator does not see the environment's definitions.
	if got := base.Validate(widget); len(got) != 1 || got[0].RuleID != schema.RuleNoSchema {
		t.Errorf("base validator changed: %+v", got)
	}
	// Built-in kinds are shared.
	checkFindings(t, env.Validate(loadObject(t, "deployment")), nil)

	nonStructural := decodeYAML(t, []byte(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  names: {kind: Gadget, plural: gadgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        patternProperties:
          "^x-": {type: string}
`))
	gadgets, err := base.AddCRDs("environments/dev", []map[string]any{nonStructural})
	if err != nil {
		t.Fatal(err)
	}
	gadget := decodeYAML(t, []byte("apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\n"))
	if got := gadgets.Validate(gadget); len(got) != 1 || got[0].RuleID != schema.RuleNoSchema || got[0].Severity != finding.SeverityError ||
		!strings.Contains(got[0].Message, "OpenAPIV3Schema 'patternProperties' is not supported") {
		t.Errorf("non-structural definition: %+v", got)
	}

	broken := decodeYAML(t, []byte("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x.example.com}\nspec: {group: example.com}\n"))
	_, err = base.AddCRDs("environments/dev", []map[string]any{broken})
	var crdErr *schema.CRDError
	if !errors.As(err, &crdErr) || !strings.Contains(err.Error(), "CustomResourceDefinition x.example.com rendered by environments/dev: CustomResourceDefinition x.example.com: spec.group, spec.names.kind and spec.versions are required") {
		t.Errorf("got %v", err)
	}
}

func TestMetadata(t *testing.T) {
	v := loadValidator(t, schema.Options{})
	cases := []struct {
		name   string
		change []mutation
		want   []want
	}{
		{"generateName instead of name", []mutation{del("metadata.name"), set("metadata.generateName", "cm-")}, nil},
		{"no name", []mutation{del("metadata.name")},
			[]want{{schema.RuleRequired, "metadata.name", "required field is missing"}}},
		{"metadata is not an object", []mutation{set("metadata", "cm")},
			[]want{{schema.RuleWrongType, "metadata", `must be an object, found string "cm"`}}},
		{"namespace", []mutation{set("metadata.namespace", "Apps")},
			[]want{{schema.RuleInvalidValue, "metadata.namespace", `"Apps"`}}},
		{"annotation key", []mutation{set("metadata.annotations[bad key]", "x")},
			[]want{{schema.RuleInvalidValue, "metadata.annotations", "bad key"}}},
		{"label value type", []mutation{set("metadata.labels.replicas", int64(3))},
			[]want{{schema.RuleWrongType, "metadata.labels.replicas", "must be a string, found integer 3"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obj := loadObject(t, "configmap")
			for _, m := range tc.change {
				m(t, obj)
			}
			checkFindings(t, v.Validate(obj), tc.want)
		})
	}
	t.Run("no apiVersion", func(t *testing.T) {
		got := v.Validate(map[string]any{"kind": "ConfigMap"})
		checkFindings(t, got, []want{{schema.RuleRequired, "", "apiVersion and kind are required"}})
	})
}

// TestConcurrentValidate validates the same objects from several goroutines with a fresh
// validator (so the per-kind validators are built concurrently) and expects the sequential
// results.
func TestConcurrentValidate(t *testing.T) {
	names := []string{"deployment", "service", "hpa", "statefulset", "virtualservice", "destinationrule", "rollout", "kustomization", "tidbcluster", "vitesscluster"}
	objs := make([]map[string]any, len(names))
	for i, n := range names {
		objs[i] = loadObject(t, n)
		set("spec.typo", "x")(t, objs[i])
	}
	want := make([][]schema.Finding, len(objs))
	seq := loadValidator(t, schema.Options{})
	for i, o := range objs {
		want[i] = seq.Validate(o)
	}
	v := loadValidator(t, schema.Options{})
	var wg sync.WaitGroup
	got := make([][][]schema.Finding, 6)
	for g := range got {
		got[g] = make([][]schema.Finding, len(objs))
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range objs {
				j := (i + g) % len(objs)
				got[g][j] = v.Validate(objs[j])
			}
		}()
	}
	wg.Wait()
	for g := range got {
		if !reflect.DeepEqual(got[g], want) {
			t.Errorf("goroutine %d: results differ from the sequential run", g)
		}
	}
	for i, fs := range want {
		if len(fs) != 1 || fs[0].RuleID != schema.RuleUnknownField {
			t.Errorf("%s: %+v", names[i], fs)
		}
	}
}

func TestRules(t *testing.T) {
	rules := schema.Rules()
	ids := []string{schema.RuleUnknownField, schema.RuleWrongType, schema.RuleRequired, schema.RuleInvalidValue, schema.RuleCEL,
		schema.RuleDuplicate, schema.RuleNoSchema, schema.RuleQuantity, schema.RuleNotServed, schema.RuleDeprecated}
	if len(rules) != len(ids) {
		t.Fatalf("%d rules, %d ids", len(rules), len(ids))
	}
	for i, r := range rules {
		if r.ID != ids[i] || r.Title == "" || r.Description == "" || (r.Severity != finding.SeverityError && r.Severity != finding.SeverityWarning) {
			t.Errorf("rule %d: %+v", i, r)
		}
	}
}

func TestFingerprint(t *testing.T) {
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	base := loadValidator(t, schema.Options{})
	if again := loadValidator(t, schema.Options{}); again.Fingerprint() != base.Fingerprint() {
		t.Error("the same options give another fingerprint")
	}
	others := map[string]*schema.Validator{
		"strict":  loadValidator(t, schema.Options{Strict: true}),
		"version": loadValidator(t, schema.Options{KubernetesVersion: "1.34"}),
		"--crds":  loadValidator(t, schema.Options{CRDDirs: []string{filepath.Join(root, "testdata", "crds")}, Root: root}),
	}
	data, err := os.ReadFile(filepath.Join("testdata", "crds", "widgets.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	env, err := base.AddCRDs("environments/dev", []map[string]any{decodeYAML(t, data[:strings.Index(string(data), "\n---\n")+1])})
	if err != nil {
		t.Fatal(err)
	}
	others["rendered CRD"] = env
	for name, v := range others {
		if v.Fingerprint() == base.Fingerprint() {
			t.Errorf("%s: same fingerprint as the defaults", name)
		}
	}
}

func TestDuplicateFields(t *testing.T) {
	res := finding.ResourceRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "apps", Name: "web"}
	cases := []struct {
		name string
		doc  string
		want []string
	}{
		{"none", "spec:\n  replicas: 2\n", nil},
		{"two", "spec:\n  replicas: 2\n  template: {}\n  replicas: 3\nspec: {}\n", []string{
			`line 4: field "replicas" is set twice in the same object`,
			`line 5: field "spec" is set twice in the same object`,
		}},
		{"json", `{"a": 1, "a": 2}`, []string{`line 1: field "a" is set twice`}},
		{"syntax error is not a duplicate", "a: [\n", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := schema.DuplicateFields([]byte(tc.doc), res)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d: %+v", len(got), len(tc.want), got)
			}
			for i, f := range got {
				if f.RuleID != schema.RuleDuplicate || f.Resource != res || !strings.Contains(f.Message, tc.want[i]) {
					t.Errorf("finding %d: %+v, want %q", i, f, tc.want[i])
				}
			}
		})
	}
}

func TestValidateAll(t *testing.T) {
	names := []string{"deployment", "service", "hpa", "statefulset", "virtualservice", "destinationrule", "rollout", "kustomization", "tidbcluster", "vitesscluster", "deployment", "configmap"}
	objs := make([]map[string]any, len(names))
	for i, n := range names {
		objs[i] = loadObject(t, n)
		if i%2 == 0 {
			set("spec.typo", "x")(t, objs[i])
		}
	}
	seq := loadValidator(t, schema.Options{})
	got := loadValidator(t, schema.Options{}).ValidateAll(context.Background(), objs)
	if len(got) != len(objs) {
		t.Fatalf("%d results for %d objects", len(got), len(objs))
	}
	for i, o := range objs {
		if want := seq.Validate(o); !reflect.DeepEqual(got[i], want) {
			t.Errorf("%s (%d): ValidateAll %+v, Validate %+v", names[i], i, got[i], want)
		}
	}
	if got := seq.ValidateAll(context.Background(), nil); len(got) != 0 {
		t.Errorf("no objects: %v", got)
	}
}
