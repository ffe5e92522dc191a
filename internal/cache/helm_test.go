package cache

import (
	"context"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// TestCachingEvaluatorSeesChartFiles: the files std.native('helmTemplate') reads are part of an
// environment's entry, so editing one chart's template, or adding a file to it, re-evaluates
// exactly the environments that render that chart.
func TestCachingEvaluatorSeesChartFiles(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	chart := func(name string) map[string]string {
		return map[string]string{
			"charts/" + name + "/Chart.yaml":        "apiVersion: v2\nname: " + name + "\nversion: 1.0.0\n",
			"charts/" + name + "/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: one\n",
		}
	}
	files := map[string]string{
		"environments/a/main.jsonnet": "std.native('helmTemplate')('a', '../../charts/x', { calledFrom: std.thisFile })\n",
		"environments/b/main.jsonnet": "std.native('helmTemplate')('b', '../../charts/y', { calledFrom: std.thisFile })\n",
		"environments/c/main.jsonnet": "std.native('helmTemplate')('c', '../../charts/x', { calledFrom: std.thisFile })\n",
	}
	for _, c := range []string{"x", "y"} {
		for k, v := range chart(c) {
			files[k] = v
		}
	}
	testfs.WriteFiles(t, root, files)
	next := &countingEvaluator{}
	c := NewEvaluator(next, openStore(t), "v1 go:test")
	outputs := map[string]string{}
	renderAll := func() (evaluated []string) {
		t.Helper()
		for _, env := range []string{"a", "b", "c"} {
			before := next.calls.Load()
			opts := jsonnet.Options{Root: root, JPath: []string{"environments/" + env}}
			res, err := c.Evaluate(ctx, opts, "environments/"+env+"/main.jsonnet", "")
			if err != nil {
				t.Fatal(err)
			}
			outputs[env] = res.JSON
			if next.calls.Load() > before {
				evaluated = append(evaluated, env)
			}
		}
		return evaluated
	}
	explain := func(env string) string {
		t.Helper()
		opts := jsonnet.Options{Root: root, JPath: []string{"environments/" + env}}
		reason, err := c.store.Explain(c.Key(opts, "environments/"+env+"/main.jsonnet"), root)
		if err != nil {
			t.Fatal(err)
		}
		return reason
	}
	if got := renderAll(); strings.Join(got, ",") != "a,b,c" {
		t.Fatalf("first run evaluated %v", got)
	}
	if got := renderAll(); len(got) != 0 {
		t.Fatalf("unchanged charts re-evaluated %v", got)
	}

	testfs.WriteFile(t, root, "charts/x/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  v: two\n")
	if got := explain("a"); got != "charts/x/templates/cm.yaml changed" {
		t.Errorf("Explain(a) = %q", got)
	}
	if got := explain("b"); got != "" {
		t.Errorf("Explain(b) = %q, want a hit", got)
	}
	if got := renderAll(); strings.Join(got, ",") != "a,c" {
		t.Errorf("after editing a template of chart x, evaluated %v, want a and c", got)
	}
	if !strings.Contains(outputs["a"], `"v": "two"`) {
		t.Errorf("a's output is stale: %s", outputs["a"])
	}

	testfs.WriteFile(t, root, "charts/x/templates/extra.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Release.Name }}-extra\n")
	if got := explain("c"); got != "charts/x/templates/ changed" {
		t.Errorf("Explain(c) = %q", got)
	}
	if got := renderAll(); strings.Join(got, ",") != "a,c" {
		t.Errorf("after adding a template to chart x, evaluated %v, want a and c", got)
	}
	if !strings.Contains(outputs["c"], "c-extra") {
		t.Errorf("c's output lacks the new template: %s", outputs["c"])
	}
	if got := renderAll(); len(got) != 0 {
		t.Errorf("nothing changed, yet %v were evaluated", got)
	}
}
