package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/testfs"
)

// tkRulesRepo writes a repository with eight static environments that each define a Namespace
// twice, identically, and an inline entrypoint with two environments.
func tkRulesRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{"jsonnetfile.json": "{}"}
	for i := range 8 {
		env := fmt.Sprintf("environments/e%d", i)
		files[env+"/spec.json"] = `{"apiVersion":"tanka.dev/v1alpha1","kind":"Environment","metadata":{},"spec":{"namespace":"ns"}}`
		files[env+"/main.jsonnet"] = `local ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns' } }; { a: ns, b: ns }`
	}
	files["other/inline/main.jsonnet"] = `[
  { apiVersion: 'tanka.dev/v1alpha1', kind: 'Environment', metadata: { name: n }, spec: {}, data: {} }
  for n in ['zeta', 'alpha']
]`
	testfs.WriteFiles(t, dir, files)
	return dir
}

func TestIdenticalDuplicatesWarnOncePerRun(t *testing.T) {
	dir := tkRulesRepo(t)
	var mu sync.Mutex
	var warnings []string
	run, err := pipeline.Open(context.Background(), pipeline.RunOptions{
		Options:   pipeline.Options{Project: projectAt(t, dir)},
		Selection: pipeline.Selection{WorkDir: dir, Args: []string{"environments"}},
		Parallel:  4,
		Warn: func(msg string) {
			mu.Lock()
			defer mu.Unlock()
			warnings = append(warnings, msg)
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Two steps over the same environments: the warnings come once.
	for range 2 {
		if err := run.RenderFiles(context.Background(), func(_ environment.Environment, files []golden.File) error {
			if len(files) != 1 {
				t.Errorf("%d files, want the Namespace once", len(files))
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if _, err := run.RenderManifests(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if len(warnings) != 8 {
		t.Fatalf("%d warnings, want one per environment:\n%s", len(warnings), strings.Join(warnings, "\n"))
	}
	slices.Sort(warnings)
	if want := "environments/e0: core/Namespace/ns is defined twice with identical content (.a and .b): kept once"; warnings[0] != want {
		t.Errorf("warning %q, want %q", warnings[0], want)
	}
}

func TestSeveralInlineEnvironmentsNeedName(t *testing.T) {
	dir := tkRulesRepo(t)
	open := func(sel pipeline.Selection) (*pipeline.Run, error) {
		sel.WorkDir = dir
		return pipeline.Open(context.Background(), pipeline.RunOptions{
			Options: pipeline.Options{Project: projectAt(t, dir)}, Selection: sel,
		})
	}
	_, err := open(pipeline.Selection{Args: []string{"other/inline"}})
	var multi *environment.MultipleInlineError
	if !errors.As(err, &multi) || !slices.Equal(multi.Names, []string{"alpha", "zeta"}) {
		t.Fatalf("err = %v, want a MultipleInlineError listing alpha and zeta", err)
	}
	run, err := open(pipeline.Selection{Args: []string{"other/inline"}, Name: "alpha"})
	if err != nil || len(run.Envs()) != 1 {
		t.Fatalf("--name alpha: %v", err)
	}
	_, err = open(pipeline.Selection{Args: []string{"environments"}, Single: true})
	var notOne *pipeline.NotOneError
	if !errors.As(err, &notOne) || len(notOne.Names) != 8 {
		t.Fatalf("err = %v, want a NotOneError naming the 8 environments", err)
	}
	if _, err := open(pipeline.Selection{Args: []string{"environments/e3"}, Single: true}); err != nil {
		t.Fatal(err)
	}
}

func TestTankaJSON(t *testing.T) {
	got, err := pipeline.TankaJSON(`{"b": [1, 1e21, 0.5], "a": "<&>", "c": {}}`)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"a\": \"\\u003c\\u0026\\u003e\",\n  \"b\": [\n    1,\n    1e+21,\n    0.5\n  ],\n  \"c\": {}\n}"
	if string(got) != want {
		t.Errorf("TankaJSON =\n%s\nwant\n%s", got, want)
	}
	if _, err := pipeline.TankaJSON("{"); err == nil {
		t.Error("invalid JSON was accepted")
	}
}
