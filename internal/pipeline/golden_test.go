package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/drift"
	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/report"
	"github.com/kforge/kforge/internal/testfs"
)

// TestGolden renders every environment of the reference repository and compares it byte for
// byte with golden/, failing with the per-resource diff, so CI fails on drift. With -update
// (testfs.Updating) it rewrites golden/ instead: go test ./internal/pipeline -run TestGolden
// -update, or make golden.
func TestGolden(t *testing.T) {
	proj, err := project.Find(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	r := pipeline.NewRenderer(pipeline.Options{Project: proj})
	envs, err := r.Environments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range envs {
		t.Run(env.Slug(), func(t *testing.T) {
			rendered, err := r.Render(context.Background(), env)
			if err != nil {
				t.Fatal(err)
			}
			files, err := pipeline.GoldenFiles(rendered.Manifests)
			if err != nil {
				t.Fatal(err)
			}
			target := r.GoldenTarget(env)
			if testfs.Updating() {
				if _, err := golden.Update(target, files); err != nil {
					t.Fatal(err)
				}
				return
			}
			d, err := drift.Compare(target, files)
			if err != nil {
				t.Fatal(err)
			}
			if !d.Clean() {
				var b strings.Builder
				if err := report.WriteDriftText(&b, []drift.Drift{d}, report.DriftTextOptions{Hint: true}); err != nil {
					t.Fatal(err)
				}
				t.Errorf("%s differs from what %s renders:\n%s", target.Dir, env.Entrypoint, b.String())
			}
		})
	}
	// Every directory under golden/ belongs to an environment.
	entries, err := os.ReadDir(proj.Abs(proj.Config.Golden))
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	for _, env := range envs {
		known[strings.SplitN(env.Slug(), "/", 2)[0]] = true
	}
	for _, e := range entries {
		if !known[e.Name()] {
			t.Errorf("%s/%s belongs to no environment: run 'make golden'", proj.Config.Golden, e.Name())
		}
	}
}
