package jsonnet

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// TestKustomizeBuildReads: std.native('kustomizeBuild') is on by default, and what kustomize
// read and looked for in vain is part of the evaluation's Result.
func TestKustomizeBuildReads(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	testfs.WriteFiles(t, root, map[string]string{
		"env/main.jsonnet":             "std.native('kustomizeBuild')('../k', { calledFrom: std.thisFile })\n",
		"k/kustomization.yaml":         "resources:\n  - cm.yaml\n",
		"k/cm.yaml":                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  replicas: \"3\"\n",
		"k/not-read.yaml":              "{}\n",
		"elsewhere/kustomization.yaml": "resources: []\n",
	})
	vm := newTestVM(t, Options{Root: root})
	for i := range 2 { // the second evaluation is served by the builder's memo
		res, err := vm.EvaluateFile("env/main.jsonnet")
		if err != nil {
			t.Fatal(err)
		}
		const want = "{\n   \"config_map_settings\": {\n      \"apiVersion\": \"v1\",\n      \"data\": {\n         \"replicas\": \"3\"\n      },\n      \"kind\": \"ConfigMap\",\n      \"metadata\": {\n         \"name\": \"settings\"\n      }\n   }\n}\n"
		if res.JSON != want {
			t.Errorf("evaluation %d: got\n%s", i, res.JSON)
		}
		var paths []string
		for _, r := range res.Reads {
			paths = append(paths, r.Path)
		}
		if !slices.Equal(paths, []string{"env/main.jsonnet", "k/cm.yaml", "k/kustomization.yaml"}) {
			t.Errorf("evaluation %d: reads %v", i, paths)
		}
		if !slices.Contains(res.Misses, "k/kustomization.yml") || !slices.Contains(res.Misses, "k/Kustomization") {
			t.Errorf("evaluation %d: misses %v", i, res.Misses)
		}
	}
}
