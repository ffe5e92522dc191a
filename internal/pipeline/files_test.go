package pipeline_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/pipeline"
)

// TestReadGoldenReusesUnchangedFiles checks that ReadGolden takes the rendered manifest for a
// committed file whose bytes are the rendered file's, parses every other file, and parses all of
// them without a render to compare with; the manifests are the same values either way.
func TestReadGoldenReusesUnchangedFiles(t *testing.T) {
	dir := testdataRepo(t, map[string]string{})
	r := pipeline.NewRenderer(pipeline.Options{Project: projectAt(t, dir)})
	ctx := context.Background()
	envs, err := r.Environments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	env := envs[0]
	rendered, err := r.Render(ctx, env)
	if err != nil {
		t.Fatal(err)
	}
	files, err := r.RenderedFiles(rendered)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 2 {
		t.Fatalf("%s renders %d files, the test needs two", env.Name, len(files))
	}
	target := r.GoldenTarget(env)
	if _, err := golden.Update(target, files); err != nil {
		t.Fatal(err)
	}
	// One committed file drifts: a changed value.
	changed := files[1]
	edited := strings.Replace(string(changed.Content), "name: ", "name: x", 1)
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(target.Dir), filepath.FromSlash(changed.Path)), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}

	reused, err := r.ReadGolden(env, rendered, files)
	if err != nil {
		t.Fatal(err)
	}
	parsed, err := r.ReadGolden(env, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := reused.ByFile[files[0].Path]; len(got) != 1 || got[0] != rendered.Manifests[0] {
		t.Errorf("the unchanged file %s was parsed again instead of reusing the rendered manifest", files[0].Path)
	}
	if got := reused.ByFile[changed.Path]; len(got) != 1 || got[0] == rendered.Manifests[1] || !strings.HasPrefix(got[0].Name(), "x") {
		t.Errorf("the changed file %s was not read from disk: %v", changed.Path, got)
	}
	if len(reused.Manifests) != len(parsed.Manifests) {
		t.Fatalf("%d manifests with reuse, %d parsed", len(reused.Manifests), len(parsed.Manifests))
	}
	for i := range parsed.Manifests {
		a, err := reused.Manifests[i].YAML()
		if err != nil {
			t.Fatal(err)
		}
		b, err := parsed.Manifests[i].YAML()
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("manifest %d differs between reuse and parsing:\n%s\n%s", i, a, b)
		}
	}
}
