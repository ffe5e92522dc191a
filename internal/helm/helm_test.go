package helm

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// chartFS returns a repository holding the chart files under charts/demo.
func chartFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys["charts/demo/"+name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

// demoChart is a small chart: a ConfigMap naming its release, namespace and a value.
func demoChart() map[string]string {
	return map[string]string{
		"Chart.yaml":  "apiVersion: v2\nname: demo\nversion: 0.1.0\n",
		"values.yaml": "size: 3\nlabel: small\n",
		"templates/cm.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cm
data:
  namespace: {{ .Release.Namespace }}
  size: {{ .Values.size | quote }}
  label: {{ .Values.label | default "none" | quote }}
  host: {{ getHostByName "example.org" | quote }}
  found: {{ lookup "v1" "Secret" "default" "x" | toJson | quote }}
`,
	}
}

func renderDemo(t *testing.T, fsys FS, name string, opts Options) (map[string]any, error) {
	t.Helper()
	if opts.CalledFrom == "" {
		opts.CalledFrom = "environments/x/main.jsonnet"
	}
	return NewRenderer().Template(context.Background(), fsys, "charts/demo", name, opts)
}

func TestTemplateRendersLikeHelmTemplate(t *testing.T) {
	got, err := renderDemo(t, chartFS(demoChart()), "rel", Options{IncludeCRDs: true, Values: map[string]any{"size": 1000000.0, "label": nil}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"config_map_rel_cm": map[string]any{
			"apiVersion": "v1",
			"kind":       "ConfigMap",
			"metadata":   map[string]any{"name": "rel-cm"},
			"data": map[string]any{
				"namespace": "default", // tk never passes the environment's namespace
				"size":      "1e+06",   // values travel as floats, as through tk
				"label":     "none",    // null deletes the chart's default
				"host":      "",        // no DNS
				"found":     "{}",      // lookup finds nothing
			},
		},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
}

func TestTemplateOptions(t *testing.T) {
	files := demoChart()
	files["crds/thing.yaml"] = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.org\n"
	files["templates/hook.yaml"] = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-hook\n  annotations:\n    helm.sh/hook: pre-install\n"
	files["templates/test.yaml"] = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    helm.sh/hook: test\n"
	files["templates/NOTES.txt"] = "notes are not rendered"
	files["templates/caps.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version }}\n  custom: {{ .Capabilities.APIVersions.Has \"b.example.org/v1\" | quote }}\n"
	fsys := chartFS(files)
	tests := []struct {
		name string
		opts Options
		keys []string
		kube string
	}{
		{"defaults", Options{IncludeCRDs: true}, []string{"config_map_caps", "config_map_rel_cm", "custom_resource_definition_things.example.org", "job_rel_hook", "pod_rel_test"}, DefaultKubeVersion},
		{"no crds", Options{}, []string{"config_map_caps", "config_map_rel_cm", "job_rel_hook", "pod_rel_test"}, DefaultKubeVersion},
		{"no hooks", Options{NoHooks: true}, []string{"config_map_caps", "config_map_rel_cm"}, DefaultKubeVersion},
		{"skip tests", Options{SkipTests: true}, []string{"config_map_caps", "config_map_rel_cm", "job_rel_hook"}, DefaultKubeVersion},
		{"kube version", Options{KubeVersion: "1.30.1"}, []string{"config_map_caps", "config_map_rel_cm", "job_rel_hook", "pod_rel_test"}, "v1.30.1"},
		{"name format", Options{NameFormat: "{{ .metadata.name }}", NoHooks: true}, []string{"caps", "rel-cm"}, DefaultKubeVersion},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := renderDemo(t, fsys, "rel", tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			var keys []string
			for k := range got {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !reflect.DeepEqual(keys, tc.keys) {
				t.Errorf("keys = %v, want %v", keys, tc.keys)
			}
			for _, v := range got {
				m := v.(map[string]any)
				if md := m["metadata"].(map[string]any); md["name"] == "caps" {
					if kube := m["data"].(map[string]any)["kube"]; kube != tc.kube {
						t.Errorf("kube version = %v, want %s", kube, tc.kube)
					}
				}
			}
		})
	}
	got, err := renderDemo(t, fsys, "rel", Options{APIVersions: []string{"a.example.org/v1,b.example.org/v1"}, NameFormat: "{{ .metadata.name }}"})
	if err != nil {
		t.Fatal(err)
	}
	if custom := got["caps"].(map[string]any)["data"].(map[string]any)["custom"]; custom != "true" {
		t.Errorf("apiVersions entries are comma-separated lists, as --api-versions: custom = %v", custom)
	}
}

func TestTemplateErrors(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(map[string]string)
		opts    Options
		release string
		want    string
	}{
		{"required", func(f map[string]string) {
			f["templates/req.yaml"] = "x: {{ required \"owner must be set\" .Values.owner }}\n"
		}, Options{}, "rel", "execution error at (demo/templates/req.yaml:1:6): owner must be set"},
		{"fail", func(f map[string]string) {
			f["templates/fail.yaml"] = "\n{{ fail \"unsupported\" }}\n"
		}, Options{}, "rel", `demo/templates/fail.yaml:2:3`},
		{"schema", func(f map[string]string) {
			f["values.schema.json"] = `{"type": "object", "properties": {"size": {"type": "string"}}}`
		}, Options{}, "rel", "values don't meet the specifications of the schema(s) in the following chart(s):\ndemo:\n- at '/size': got number, want string"},
		{"schema ref over http", func(f map[string]string) {
			f["values.schema.json"] = `{"$ref": "https://example.org/values.json"}`
		}, Options{}, "rel", "kforge does not load the schema https://example.org/values.json"},
		{"schema ref to a file", func(f map[string]string) {
			f["values.schema.json"] = `{"$ref": "file:///etc/passwd"}`
		}, Options{}, "rel", "kforge does not load the schema file:///etc/passwd"},
		{"missing dependency", func(f map[string]string) {
			f["Chart.yaml"] += "dependencies:\n  - name: sub\n    version: 1.0.0\n    repository: https://charts.example.org\n"
		}, Options{}, "rel", "missing in charts/ directory: sub"},
		{"library chart", func(f map[string]string) {
			f["Chart.yaml"] += "type: library\n"
		}, Options{}, "rel", "library charts are not installable"},
		{"kube version", func(f map[string]string) {
			f["Chart.yaml"] += "kubeVersion: '>=1.40.0'\n"
		}, Options{}, "rel", "chart requires kubeVersion: >=1.40.0 which is incompatible with Kubernetes v1.37.0"},
		{"bad kube version option", nil, Options{KubeVersion: "latest"}, "rel", "invalid kube version 'latest'"},
		{"release name", nil, Options{}, "Not_A_Name", `release name "Not_A_Name"`},
		{"duplicate key", func(f map[string]string) {
			f["templates/again.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-cm\n  namespace: other\n"
		}, Options{}, "rel", "two resources share the same name 'config_map_rel_cm'"},
		{"bad name format", nil, Options{NameFormat: "{{ .kind"}, "rel", "parsing name format"},
		{"not YAML", func(f map[string]string) {
			f["templates/bad.yaml"] = "a: [b\n"
		}, Options{}, "rel", "demo/templates/bad.yaml"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := demoChart()
			if tc.edit != nil {
				tc.edit(files)
			}
			_, err := renderDemo(t, chartFS(files), tc.release, tc.opts)
			var herr *Error
			if !errors.As(err, &herr) {
				t.Fatalf("error %v is not a *helm.Error", err)
			}
			if herr.Chart != "charts/demo" || !strings.HasPrefix(err.Error(), `helmTemplate: chart charts/demo (release "`+tc.release+`"): `) {
				t.Errorf("error does not name the chart and release: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\ndoes not contain %q", err, tc.want)
			}
		})
	}
}

func TestTemplateRemembersResults(t *testing.T) {
	fsys := chartFS(demoChart())
	r := NewRenderer()
	opts := Options{CalledFrom: "environments/a/main.jsonnet", IncludeCRDs: true}
	first, err := r.Template(context.Background(), fsys, "charts/demo", "rel", opts)
	if err != nil {
		t.Fatal(err)
	}
	opts.CalledFrom = "environments/b/main.jsonnet"
	second, err := r.Template(context.Background(), fsys, "charts/demo", "rel", opts)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.ValueOf(first).Pointer() != reflect.ValueOf(second).Pointer() {
		t.Error("the same chart, release and options rendered twice")
	}
	// Other options, other release names and other chart content render again.
	opts.Values = map[string]any{"size": 4.0}
	third, err := r.Template(context.Background(), fsys, "charts/demo", "rel", opts)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.ValueOf(first).Pointer() == reflect.ValueOf(third).Pointer() {
		t.Error("other values were served the first result")
	}
	fsys["charts/demo/values.yaml"] = &fstest.MapFile{Data: []byte("size: 5\n")}
	opts.Values = nil
	fourth, err := r.Template(context.Background(), fsys, "charts/demo", "rel", opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := fourth["config_map_rel_cm"].(map[string]any)["data"].(map[string]any)["size"]; got != "5" {
		t.Errorf("changed chart content served from memory: size = %v", got)
	}
}

func TestHelmIgnoreAndPackagedFiles(t *testing.T) {
	files := demoChart()
	files[".helmignore"] = "# skip backups\n*.bak\n"
	files["templates/old.yaml.bak"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: must-not-render\n"
	files["templates/.hidden.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: hidden-must-not-render\n"
	files["templates/bom.yaml"] = "\xEF\xBB\xBFapiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bom\n"
	got, err := renderDemo(t, chartFS(files), "rel", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got["config_map_must-not-render"]; ok || len(got) != 2 {
		t.Errorf("got %d objects %v, want the ConfigMaps rel-cm and bom", len(got), got)
	}
}

func TestParseOptions(t *testing.T) {
	opts, err := ParseOptions(map[string]any{"CalledFrom": "a/b.jsonnet", "INCLUDECRDS": false, "namespace": "x", "values": map[string]any{"a": 1.0}, "other": true})
	if err != nil {
		t.Fatal(err)
	}
	want := Options{CalledFrom: "a/b.jsonnet", Namespace: "x", Values: map[string]any{"a": 1.0}}
	if !reflect.DeepEqual(opts, want) {
		t.Errorf("got %+v, want %+v", opts, want)
	}
	opts, err = ParseOptions(map[string]any{"calledFrom": "a.jsonnet"})
	if err != nil || !opts.IncludeCRDs {
		t.Errorf("includeCrds defaults to true: %+v, %v", opts, err)
	}
	for _, raw := range []any{map[string]any{}, nil, map[string]any{"calledFrom": ""}} {
		if _, err := ParseOptions(raw); err == nil || !strings.Contains(err.Error(), "opts.calledFrom is unset or empty") {
			t.Errorf("ParseOptions(%v) = %v, want the calledFrom error", raw, err)
		}
	}
	if _, err := ParseOptions(map[string]any{"calledFrom": "a", "noHooks": "yes"}); err == nil || !strings.Contains(err.Error(), "noHooks") {
		t.Errorf("a wrong type is an error naming the option, got %v", err)
	}
}

// TestSubchartAliasesDuplicateCRDs: Helm emits a subchart's CRDs once per alias, so the same
// CRD twice is a duplicate key, as in Tanka.
func TestSubchartAliasesDuplicateCRDs(t *testing.T) {
	files := demoChart()
	files["Chart.yaml"] += "dependencies:\n  - name: sub\n    version: 1.0.0\n    alias: one\n  - name: sub\n    version: 1.0.0\n    alias: two\n"
	files["charts/sub/Chart.yaml"] = "apiVersion: v2\nname: sub\nversion: 1.0.0\n"
	files["charts/sub/crds/crd.yaml"] = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: subs.example.org\n"
	_, err := renderDemo(t, chartFS(files), "rel", Options{IncludeCRDs: true})
	if err == nil || !strings.Contains(err.Error(), "two resources share the same name 'custom_resource_definition_subs.example.org'") {
		t.Errorf("got %v, want the duplicate CRD error", err)
	}
	got, err := renderDemo(t, chartFS(files), "rel", Options{})
	if err != nil || len(got) != 1 {
		t.Errorf("without CRDs: %v, %v", got, err)
	}
}
