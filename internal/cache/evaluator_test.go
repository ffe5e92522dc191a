package cache

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
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

// TestCachedMemo: a memo of a cached evaluation is served from the entry's record alone (the
// output is not read: a hit survives its blob's removal), with the recorded std.trace output
// and a hit counted; a changed file, a missing or corrupt memo, another memo name or a memo
// the caller rejects are misses that count nothing.
func TestCachedMemo(t *testing.T) {
	ctx := context.Background()
	root := copyRepo(t)
	testfs.WriteFile(t, root, envDir+"/values.libsonnet", "std.trace('values loaded', { replicas: 3 })\n")
	store := openStore(t)
	c := NewEvaluator(&countingEvaluator{}, store, "v1 go:test")
	opts := baseInputs(t, root).Options
	var trace bytes.Buffer
	opts.TraceOut = &trace
	entry := envDir + "/main.jsonnet"
	accept := func(got *[]byte) func([]byte) bool {
		return func(data []byte) bool { *got = data; return true }
	}
	var got []byte
	if _, ok := c.CachedMemo(opts, entry, "yaml/v1", accept(&got)); ok {
		t.Fatal("CachedMemo hit before any evaluation")
	}
	res, err := c.Evaluate(ctx, opts, entry, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.CachedMemo(opts, entry, "yaml/v1", accept(&got)); ok {
		t.Fatal("CachedMemo hit before PutMemo")
	}
	if err := store.PutMemo([]byte(res.JSON), "yaml/v1", []byte("replicas: 3\n")); err != nil {
		t.Fatal(err)
	}
	// The output is not needed: remove every blob.
	if err := os.RemoveAll(filepath.Join(store.dir, blobsDir)); err != nil {
		t.Fatal(err)
	}
	trace.Reset()
	reads, ok := c.CachedMemo(opts, entry, "yaml/v1", accept(&got))
	if !ok || string(got) != "replicas: 3\n" {
		t.Fatalf("CachedMemo = %q, %v; want the memo", got, ok)
	}
	if !slices.ContainsFunc(reads, func(r jsonnet.FileRead) bool { return r.Path == envDir+"/values.libsonnet" }) {
		t.Errorf("reads %v lack %s/values.libsonnet", reads, envDir)
	}
	if !strings.Contains(trace.String(), "values loaded") {
		t.Errorf("std.trace output of a memo hit = %q, want the recorded one", trace.String())
	}
	if s := c.Stats(); s.Hits != 1 || s.Misses != 1 {
		t.Errorf("Stats = %+v, want 1 hit and 1 miss", s)
	}

	misses := map[string]func() (string, func([]byte) bool){
		"another name": func() (string, func([]byte) bool) { return "yaml/v2", accept(&got) },
		"rejected":     func() (string, func([]byte) bool) { return "yaml/v1", func([]byte) bool { return false } },
		"corrupt memo": func() (string, func([]byte) bool) {
			p := store.memoPathOf(memoID([]byte(res.JSON), "yaml/v1"))
			raw, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			raw[len(raw)-1] ^= 1
			if err := os.WriteFile(p, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			return "yaml/v1", accept(&got)
		},
	}
	for _, name := range []string{"another name", "rejected", "corrupt memo"} {
		memoName, use := misses[name]()
		trace.Reset()
		if _, ok := c.CachedMemo(opts, entry, memoName, use); ok {
			t.Errorf("%s: CachedMemo hit", name)
		}
		if trace.Len() != 0 {
			t.Errorf("%s: a miss wrote std.trace output %q", name, trace.String())
		}
	}

	// A changed input makes the entry stale, memo or not.
	if err := store.PutMemo([]byte(res.JSON), "yaml/v1", []byte("replicas: 3\n")); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFile(t, root, envDir+"/values.libsonnet", "{ replicas: 5 }\n")
	if _, ok := c.CachedMemo(opts, entry, "yaml/v1", accept(&got)); ok {
		t.Error("CachedMemo served the memo of an environment whose file changed")
	}
	if s := c.Stats(); s.Hits != 1 || s.Misses != 1 {
		t.Errorf("Stats after the misses = %+v, want them unchanged", s)
	}
}

// drainingEvaluator records the draining hints it is given.
type drainingEvaluator struct {
	countingEvaluator
	hints []bool
}

func (d *drainingEvaluator) SetDraining(draining bool) { d.hints = append(d.hints, draining) }

// TestSetDrainingReachesTheEvaluatorUnderneath checks that the cache passes the pipeline's hint
// on, and ignores it over an evaluator that does not take it.
func TestSetDrainingReachesTheEvaluatorUnderneath(t *testing.T) {
	next := &drainingEvaluator{}
	c := NewEvaluator(next, openStore(t), "v1 go:test")
	c.SetDraining(true)
	c.SetDraining(false)
	if !reflect.DeepEqual(next.hints, []bool{true, false}) {
		t.Errorf("hints %v, want [true false]", next.hints)
	}
	NewEvaluator(&countingEvaluator{}, openStore(t), "v1 go:test").SetDraining(true)
}
