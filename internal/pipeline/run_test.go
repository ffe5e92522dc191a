package pipeline_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/testfs"
)

// open opens a run over the repository at dir, in process, without a cache.
func open(t *testing.T, dir string, sel pipeline.Selection) *pipeline.Run {
	t.Helper()
	sel.WorkDir = dir
	run, err := pipeline.Open(context.Background(), pipeline.RunOptions{
		Options:   pipeline.Options{Project: projectAt(t, dir)},
		Selection: sel,
		Parallel:  2,
	})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func TestOpenSelects(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		sel  pipeline.Selection
		want []string
	}{
		{"all", pipeline.Selection{All: true}, []string{"environments/a", "environments/b", "inline-eu", "inline-us"}},
		{"path", pipeline.Selection{Args: []string{"environments/b"}}, []string{"environments/b"}},
		{"slug", pipeline.Selection{Args: []string{"a"}}, []string{"environments/a"}},
		{"inline by name", pipeline.Selection{Args: []string{"environments/inline"}, Name: "us"}, []string{"inline-us"}},
		{"changed file", pipeline.Selection{ChangedFiles: []string{"environments/b/main.jsonnet"}}, []string{"environments/b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			run := open(t, dir, tt.sel)
			var got []string
			for _, e := range run.Envs() {
				got = append(got, e.Name)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("selected %v, want %v", got, tt.want)
			}
			if _, _, ok := run.Affected(); ok != (tt.sel.ChangedFiles != nil) {
				t.Errorf("Affected ok = %v", ok)
			}
		})
	}
}

// TestGoldenSteps updates golden/, checks it, and finds the directories no environment owns,
// nested ones too, as golden.Stale and golden.RemoveStale see them.
func TestGoldenSteps(t *testing.T) {
	dir := testfs.Copy(t, filepath.Join("testdata", "repo"))
	ctx := context.Background()
	run := open(t, dir, pipeline.Selection{All: true})
	var updated []string
	if _, err := run.UpdateGolden(ctx, func(tg golden.Target, _ golden.Changes) error {
		updated = append(updated, tg.Dir)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	want := []string{"golden/a", "golden/b", "golden/inline/inline-eu", "golden/inline/inline-us"}
	if !reflect.DeepEqual(updated, want) {
		t.Errorf("updated %v, want %v", updated, want)
	}
	check, err := run.CheckGolden(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := pipeline.Drifted(check.Drifts); n != 0 || len(check.Stale) != 0 || len(check.Drifts) != 4 {
		t.Errorf("after update: %d of %d drifted, stale %v", n, len(check.Drifts), check.Stale)
	}
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"
	testfs.WriteFiles(t, dir, map[string]string{
		"golden/old/ns/configmap-x.yaml":           manifest,
		"golden/inline/gone/ns/configmap-x.yaml":   manifest,
		"golden/inline/inline-eu/ns/handmade.yaml": manifest,
	})
	check, err = run.CheckGolden(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"golden/inline/gone", "golden/old"}; !reflect.DeepEqual(check.Stale, want) {
		t.Errorf("stale %v, want %v", check.Stale, want)
	}
	if n := pipeline.Drifted(check.Drifts); n != 1 {
		t.Errorf("%d environments drifted, want 1 (inline-eu)", n)
	}
	stale, err := run.UpdateGolden(ctx, func(golden.Target, golden.Changes) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"golden/inline/gone", "golden/old"}; !reflect.DeepEqual(stale.Removed, want) {
		t.Errorf("removed %v, want %v", stale.Removed, want)
	}
}

// drainRecorder is an in-process evaluator that records the draining hints (pipeline.Drainer)
// and how many evaluations had started when each came.
type drainRecorder struct {
	mu      sync.Mutex
	started int
	hints   []string
}

func (d *drainRecorder) Evaluate(ctx context.Context, opts jsonnet.Options, filename, code string) (jsonnet.Result, error) {
	d.mu.Lock()
	d.started++
	d.mu.Unlock()
	return jsonnet.NewInProcess().Evaluate(ctx, opts, filename, code)
}

func (d *drainRecorder) SetDraining(draining bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.hints = append(d.hints, fmt.Sprintf("%v after %d", draining, d.started))
}

// TestRunDrainsTheEvaluator checks that a step tells the evaluator no more evaluations are
// coming as soon as the last environment starts, and takes it back when the next step starts.
func TestRunDrainsTheEvaluator(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	rec := &drainRecorder{}
	run, err := pipeline.Open(context.Background(), pipeline.RunOptions{
		Options:   pipeline.Options{Project: projectAt(t, dir), Evaluator: rec},
		Selection: pipeline.Selection{WorkDir: dir, Args: []string{"environments/a", "environments/b"}},
		Parallel:  1,
	})
	if err != nil {
		t.Fatal(err)
	}
	rec.hints = nil // discovery may evaluate entrypoints; only the steps matter here
	rec.started = 0
	for range 2 {
		if _, err := run.RenderManifests(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	// One worker: environment a is evaluated, then b starts (the hint) and is evaluated.
	want := []string{"false after 0", "true after 1", "false after 2", "true after 3"}
	if !reflect.DeepEqual(rec.hints, want) {
		t.Errorf("hints %q, want %q", rec.hints, want)
	}
}
