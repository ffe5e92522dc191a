package schema_test

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/schema"
)

// renderedEnv is one rendered environment of the reference repository.
type renderedEnv struct {
	name    string
	objects []map[string]any
}

// renderReference renders the environments of the reference repository (the kforge repository
// itself) whose name contains filter.
func renderReference(tb testing.TB, filter string) []renderedEnv {
	tb.Helper()
	proj, err := project.Find(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	r := pipeline.NewRenderer(pipeline.Options{Project: proj})
	envs, err := r.Environments(context.Background(), "")
	if err != nil {
		tb.Fatal(err)
	}
	var out []renderedEnv
	for _, env := range envs {
		if !strings.Contains(env.Name, filter) {
			continue
		}
		rendered, err := r.Render(context.Background(), env)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, renderedEnv{name: env.Name, objects: pipeline.Objects(rendered.Manifests)})
	}
	if len(out) == 0 {
		tb.Fatalf("no environment matches %q", filter)
	}
	return out
}

// TestReferenceRepositoryValidatesClean checks every object of every environment of the
// reference repository, strictly: every kind has a schema and nothing is reported.
func TestReferenceRepositoryValidatesClean(t *testing.T) {
	v, err := schema.Load(schema.Options{KubernetesVersion: "1.33", Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, env := range renderReference(t, "") {
		ev, err := v.AddCRDs(env.name, env.objects)
		if err != nil {
			t.Fatal(err)
		}
		for _, obj := range env.objects {
			for _, f := range ev.Validate(obj) {
				t.Errorf("%s: %s %s/%s: %s %s", env.name, f.Resource.Kind, f.Resource.Namespace, f.Resource.Name, f.RuleID, f.Message)
			}
			kinds[obj["apiVersion"].(string)+" "+obj["kind"].(string)]++
		}
	}
	var names []string
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	t.Logf("validated %d kinds: %s", len(names), strings.Join(names, ", "))
	if len(names) < 20 {
		t.Errorf("only %d kinds rendered, expected the whole stack", len(names))
	}
}
