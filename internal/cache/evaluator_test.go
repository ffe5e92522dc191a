package cache

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// countingEvaluator evaluates in process and counts its calls.
type countingEvaluator struct {
	calls atomic.Int64
}

func (c *countingEvaluator) Evaluate(_ context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	c.calls.Add(1)
	vm, err := jsonnet.NewVM(opts)
	if err != nil {
		return jsonnet.Result{}, err
	}
	if code != "" {
		return vm.EvaluateSnippet(filename, code)
	}
	return vm.EvaluateFile(filename)
}

func TestCachingEvaluator(t *testing.T) {
	ctx := context.Background()
	root := copyRepo(t)
	testfs.WriteFile(t, root, envDir+"/values.libsonnet", "std.trace('values loaded', { replicas: 3 })\n")
	next := &countingEvaluator{}
	c := NewEvaluator(next, openStore(t), "v1 go:test")
	opts := baseInputs(t, root).Options
	var trace1, trace2 bytes.Buffer
	opts.TraceOut = &trace1
	first, err := c.Evaluate(ctx, opts, envDir+"/main.jsonnet", "")
	if err != nil {
		t.Fatal(err)
	}
	opts.TraceOut = &trace2
	second, err := c.Evaluate(ctx, opts, envDir+"/main.jsonnet", "")
	if err != nil {
		t.Fatal(err)
	}
	if n := next.calls.Load(); n != 1 {
		t.Fatalf("the wrapped evaluator ran %d times, want 1", n)
	}
	if first.JSON != second.JSON || !slices.Equal(first.Reads, second.Reads) {
		t.Errorf("hit differs from the evaluation:\n%s\n%v\nvs\n%s\n%v", first.JSON, first.Reads, second.JSON, second.Reads)
	}
	if !strings.Contains(trace1.String(), "values loaded") || trace1.String() != trace2.String() {
		t.Errorf("std.trace output: evaluation %q, hit %q", trace1.String(), trace2.String())
	}
	e, ok, err := c.Lookup(opts, envDir+"/main.jsonnet")
	if err != nil || !ok || string(e.Output) != first.JSON {
		t.Errorf("Lookup = %v, %v", ok, err)
	}

	// A changed input is evaluated again.
	testfs.WriteFile(t, root, envDir+"/values.libsonnet", "{ replicas: 5 }\n")
	third, err := c.Evaluate(ctx, opts, envDir+"/main.jsonnet", "")
	if err != nil {
		t.Fatal(err)
	}
	if next.calls.Load() != 2 || third.JSON == first.JSON {
		t.Errorf("after a change: %d evaluations, output changed %v; want 2 and true", next.calls.Load(), third.JSON != first.JSON)
	}

	// Snippets pass through; errors are not cached.
	if _, err := c.Evaluate(ctx, opts, envDir+"/<eval>", "(import 'main.jsonnet')"); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFile(t, root, "broken.jsonnet", "{ a: error 'boom' }\n")
	for range 2 {
		if _, err := c.Evaluate(ctx, opts, "broken.jsonnet", ""); err == nil {
			t.Fatal("evaluating broken.jsonnet succeeded")
		}
	}
	got := c.Stats()
	want := Stats{Hits: 1, Misses: 4, Bypassed: 1}
	if got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
	if next.calls.Load() != 5 {
		t.Errorf("the wrapped evaluator ran %d times, want 5", next.calls.Load())
	}
}

func TestCachingEvaluatorUnstored(t *testing.T) {
	root := copyRepo(t)
	opts := baseInputs(t, root).Options
	// The evaluation reads values.libsonnet, which is edited before the result is stored.
	res, err := (&countingEvaluator{}).Evaluate(context.Background(), opts, envDir+"/main.jsonnet", "")
	if err != nil {
		t.Fatal(err)
	}
	editing := &editingEvaluator{result: res, edit: func() { testfs.WriteFile(t, root, envDir+"/values.libsonnet", "{ replicas: 7 }\n") }}
	c := NewEvaluator(editing, openStore(t), "v1 go:test")
	if _, err := c.Evaluate(context.Background(), opts, envDir+"/main.jsonnet", ""); err != nil {
		t.Fatal(err)
	}
	if st := c.Stats(); st.Unstored != 1 || st.LastError != nil {
		t.Errorf("Stats = %+v, want one unstored evaluation and no error to report", st)
	}
	if _, ok, _ := c.Lookup(opts, envDir+"/main.jsonnet"); ok {
		t.Error("an evaluation whose inputs changed meanwhile was cached")
	}
	// A store failure of another kind is reported.
	failing := NewEvaluator(&countingEvaluator{}, openStore(t), "v1 go:test")
	failing.store.dir = "/dev/null/not-a-dir"
	if _, err := failing.Evaluate(context.Background(), opts, envDir+"/main.jsonnet", ""); err != nil {
		t.Fatal(err)
	}
	if st := failing.Stats(); st.Unstored != 1 || st.LastError == nil {
		t.Errorf("Stats = %+v, want one unstored evaluation and its error", st)
	}
}

// editingEvaluator returns a fixed result after editing the repository, like an evaluation
// during which a file is saved.
type editingEvaluator struct {
	result jsonnet.Result
	edit   func()
}

func (e *editingEvaluator) Evaluate(context.Context, jsonnet.Options, string, string) (jsonnet.Result, error) {
	e.edit()
	return e.result, nil
}

func TestStatsLastErrorIsWrapped(t *testing.T) {
	c := NewEvaluator(&countingEvaluator{}, openStore(t), "v")
	c.fail(errors.New("disk full"))
	c.fail(&StaleError{Path: "x"})
	if st := c.Stats(); st.LastError == nil || st.LastError.Error() != "disk full" {
		t.Errorf("LastError = %v, want the last non-stale error", st.LastError)
	}
}
