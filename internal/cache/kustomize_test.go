package cache

import (
	"context"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// TestCachingEvaluatorKustomize: what std.native('kustomizeBuild') reads joins the key, so
// editing one kustomize file re-evaluates exactly the environments that build it, and a file
// created where kustomize looked in vain invalidates the entry too.
func TestCachingEvaluatorKustomize(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	deployment := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
	testfs.WriteFiles(t, root, map[string]string{
		"jsonnetfile.json":                  "{}",
		"environments/a/main.jsonnet":       "std.native('kustomizeBuild')('../../kustomize/a', { calledFrom: std.thisFile })\n",
		"environments/b/main.jsonnet":       "std.native('kustomizeBuild')('../../kustomize/b', { calledFrom: std.thisFile })\n",
		"environments/c/main.jsonnet":       "{ plain: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } }\n",
		"kustomize/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
		"kustomize/base/deployment.yaml":    deployment,
		"kustomize/a/kustomization.yaml":    "namePrefix: a-\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n",
		"kustomize/a/patch.yaml":            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n",
		"kustomize/b/kustomization.yaml":    "namePrefix: b-\nresources:\n  - ../base\n",
	})
	store := openStore(t)
	envs := []string{"a", "b", "c"}
	// run evaluates every environment as one kforge run does (a fresh in-process evaluator: its
	// sessions assume files do not change while it lives) and returns the cache's counts.
	run := func() Stats {
		t.Helper()
		c := NewEvaluator(jsonnet.NewInProcess(), store, "v1 go:test")
		for _, env := range envs {
			if _, err := c.Evaluate(ctx, jsonnet.Options{Root: root}, "environments/"+env+"/main.jsonnet", ""); err != nil {
				t.Fatalf("environments/%s: %v", env, err)
			}
		}
		return c.Stats()
	}
	check := func(step string, got Stats, hits, misses int64) {
		t.Helper()
		if got.Hits != hits || got.Misses != misses || got.Unstored != 0 {
			t.Errorf("%s: %d hits, %d misses, %d unstored; want %d hits, %d misses", step, got.Hits, got.Misses, got.Unstored, hits, misses)
		}
	}
	check("cold", run(), 0, 3)
	check("warm", run(), 3, 0)

	testfs.WriteFile(t, root, "kustomize/a/patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n")
	check("patch of a edited", run(), 2, 1)

	testfs.WriteFile(t, root, "kustomize/base/deployment.yaml", deployment+"  minReadySeconds: 5\n")
	check("shared base edited", run(), 1, 2)

	testfs.WriteFile(t, root, "kustomize/b/kustomization.yml", "resources: []\n")
	c := NewEvaluator(jsonnet.NewInProcess(), store, "v1 go:test")
	if _, err := c.Evaluate(ctx, jsonnet.Options{Root: root}, "environments/b/main.jsonnet", ""); err == nil {
		t.Error("environments/b with two kustomization files: served from the cache, want kustomize's error")
	}
	if got := c.Stats(); got.Hits != 0 {
		t.Errorf("second kustomization file: %d hits, want 0", got.Hits)
	}
}
