package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

func TestExportUsesTankaImportPathsAndNamespaces(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"jsonnetfile.json":                  `{}`,
		"vendor/k/k.libsonnet":              `{ cm(name): { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: name } } }`,
		"lib/app.libsonnet":                 `local k = import 'k/k.libsonnet'; { app(n): k.cm('%s-config' % n) }`,
		"environments/a/spec.json":          `{"spec": {"namespace": "team-a"}}`,
		"environments/a/main.jsonnet":       `local app = import 'app.libsonnet'; { x: app.app('web'), list: { apiVersion: 'v1', kind: 'List', items: [app.app('api')] }, skip: null }`,
		"environments/b/spec.json":          `{}`,
		"environments/b/main.jsonnet":       `local env = std.extVar('tanka.dev/environment'); { ns: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: env.metadata.name, namespace: 'x' } } }`,
		"environments/b/vendor/unused.json": `{}`,
	})
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-parallel", "2", "-out", out, root}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	want := map[string]string{
		"team-a/team-a/ConfigMap-web-config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: team-a\n",
		"team-a/team-a/ConfigMap-api-config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api-config\n  namespace: team-a\n",
		"default/x/Namespace-environments/b.yaml": "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: environments/b\n  namespace: x\n",
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(got) != content {
			t.Errorf("%s:\n%s\nwant:\n%s", name, got, content)
		}
	}
	if !strings.Contains(stdout.String(), "3 files") {
		t.Errorf("stdout = %q, want 3 files", stdout.String())
	}
}

func TestExportReportsEvaluationErrorsAndWritesNothing(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"environments/a/spec.json":    `{}`,
		"environments/a/main.jsonnet": `{ a: error 'boom' }`,
	})
	out := filepath.Join(t.TempDir(), "out")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"-out", out, root}, &stdout, &stderr); code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	if !strings.Contains(stderr.String(), "boom") {
		t.Errorf("stderr = %q, want the Jsonnet error", stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was created", out)
	}
}
