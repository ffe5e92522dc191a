package jsonnet

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeRepo writes files (repository-relative path → content) under a new temporary root.
func writeRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// helmRepo is a repository with one chart and an environment rendering it.
func helmRepo() map[string]string {
	return map[string]string{
		"charts/app/Chart.yaml":           "apiVersion: v2\nname: app\nversion: 1.0.0\n",
		"charts/app/values.yaml":          "replicas: 2\n",
		"charts/app/.helmignore":          "*.bak\n",
		"charts/app/templates/cm.yaml":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: {{ .Values.replicas | quote }}\n",
		"charts/app/templates/x.yaml.bak": "not: read\n",
		"environments/a/main.jsonnet":     "std.native('helmTemplate')('app', '../../charts/app', { calledFrom: std.thisFile, values: { replicas: 3 } })\n",
	}
}

func TestHelmTemplateRecordsChartReads(t *testing.T) {
	root := writeRepo(t, helmRepo())
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Root: root, JPath: tankaJPath("environments/a")}
	first, err := s.EvaluateFile(opts, "environments/a/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, first.JSON, `{"config_map_app": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": {"replicas": "3"}}}`)
	paths := map[string]string{}
	for _, r := range first.Reads {
		paths[r.Path] = r.SHA256
	}
	for _, want := range []string{
		"environments/a/main.jsonnet", "charts/app/Chart.yaml", "charts/app/values.yaml",
		"charts/app/.helmignore", "charts/app/templates/cm.yaml", "charts/app/", "charts/app/templates/",
	} {
		if _, ok := paths[want]; !ok {
			t.Errorf("reads lack %s: %v", want, first.Reads)
		}
	}
	if _, ok := paths["charts/app/templates/x.yaml.bak"]; ok {
		t.Error("a file .helmignore excludes was read")
	}
	if got, want := paths["charts/app/templates/"], DirListingSHA256([]string{"cm.yaml", "x.yaml.bak"}); got != want {
		t.Errorf("listing hash %s, want %s", got, want)
	}
	if sum, err := HashDirListing(filepath.Join(root, "charts", "app")); err != nil || sum != paths["charts/app/"] {
		t.Errorf("HashDirListing = %s, %v; recorded %s", sum, err, paths["charts/app/"])
	}
	// A second evaluation in the session is served the remembered render and still records
	// every chart file.
	second, err := s.EvaluateFile(opts, "environments/a/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first.Reads, second.Reads) || first.JSON != second.JSON {
		t.Errorf("second evaluation differs:\n%v\n%v", first.Reads, second.Reads)
	}
}

func TestHelmTemplateSandbox(t *testing.T) {
	outside := writeRepo(t, map[string]string{
		"chart/Chart.yaml":        "apiVersion: v2\nname: outside\nversion: 1.0.0\n",
		"chart/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: outside\n",
		"secret.yaml":             "apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen\n",
	})
	tests := []struct {
		name  string
		setup func(t *testing.T, root string)
		code  string
		want  string
	}{
		{"chart path escaping the root", nil,
			"std.native('helmTemplate')('x', '../../../chart', { calledFrom: std.thisFile })",
			`helmTemplate: chart "../../../chart" (relative to environments/a) is outside the repository root`},
		{"chart directory symlinked outside", func(t *testing.T, root string) {
			symlink(t, filepath.Join(outside, "chart"), filepath.Join(root, "charts", "linked"))
		}, "std.native('helmTemplate')('x', '../../charts/linked', { calledFrom: std.thisFile })",
			`helmTemplate: chart charts/linked (release "x"): charts/linked is a symlink leading outside the repository root`},
		{"template symlinked outside", func(t *testing.T, root string) {
			symlink(t, filepath.Join(outside, "secret.yaml"), filepath.Join(root, "charts", "app", "templates", "stolen.yaml"))
		}, "std.native('helmTemplate')('x', '../../charts/app', { calledFrom: std.thisFile })",
			`helmTemplate: chart charts/app (release "x"): charts/app/templates/stolen.yaml is a symlink leading outside the repository root`},
		{"calledFrom outside", nil,
			"std.native('helmTemplate')('x', 'charts/app', { calledFrom: '/etc/x.jsonnet' })",
			"helmTemplate: opts.calledFrom: x.jsonnet is outside the repository root"},
		{"calledFrom missing", nil,
			"std.native('helmTemplate')('x', '../../charts/app', {})",
			"helmTemplate: opts.calledFrom is unset or empty"},
		{"chart missing", nil,
			"std.native('helmTemplate')('x', '../../charts/none', { calledFrom: std.thisFile })",
			`helmTemplate: chart charts/none (release "x"): charts/none: file does not exist`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			root := writeRepo(t, helmRepo())
			if tc.setup != nil {
				tc.setup(t, root)
			}
			vm := newTestVM(t, Options{Root: root})
			_, err := vm.EvaluateSnippet("environments/a/x.jsonnet", tc.code)
			e := asError(t, err)
			if e.Kind != KindRuntime || e.Position() != "environments/a/x.jsonnet:1:1" || !strings.HasPrefix(e.Message, tc.want) {
				t.Errorf("got %s error at %s: %q\nwant runtime error at environments/a/x.jsonnet:1:1 starting %q", e.Kind, e.Position(), e.Message, tc.want)
			}
			if strings.Contains(e.Error(), root) || strings.Contains(e.Error(), outside) {
				t.Errorf("the error names an absolute path: %v", e)
			}
		})
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(link), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot create symlinks here: %v", err)
	}
}
