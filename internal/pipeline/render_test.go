package pipeline_test

import (
	"bytes"
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/manifest"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
)

// renderAll renders every environment of the repository at dir into one YAML stream per
// environment, with the given number of workers.
func renderAll(t *testing.T, dir string, parallel int) map[string][]byte {
	t.Helper()
	proj, err := project.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := pipeline.NewRenderer(pipeline.Options{Project: proj})
	envs, err := r.Environments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) == 0 {
		t.Fatalf("no environments found in %s", dir)
	}
	out := map[string][]byte{}
	err = pipeline.Each(context.Background(), parallel, envs,
		func(_ context.Context, env environment.Environment) ([]byte, error) {
			rendered, err := r.Render(context.Background(), env)
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			if err := manifest.WriteStream(&buf, rendered.Manifests); err != nil {
				return nil, err
			}
			return buf.Bytes(), nil
		},
		func(env environment.Environment, b []byte, err error) error {
			if err != nil {
				return err
			}
			out[env.Name] = b
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRenderIsDeterministic renders the same environments sequentially, then twice at once with
// several workers each, and requires byte-identical output every time.
func TestRenderIsDeterministic(t *testing.T) {
	repos := map[string]string{
		"testdata":  filepath.Join("testdata", "repo"),
		"reference": filepath.Join("..", ".."),
	}
	for name, dir := range repos {
		t.Run(name, func(t *testing.T) {
			want := renderAll(t, dir, 1)
			var wg sync.WaitGroup
			results := make([]map[string][]byte, 2)
			for i := range results {
				wg.Add(1)
				go func() {
					defer wg.Done()
					results[i] = renderAll(t, dir, 4)
				}()
			}
			wg.Wait()
			for i, got := range results {
				if len(got) != len(want) {
					t.Fatalf("run %d rendered %d environments, want %d", i, len(got), len(want))
				}
				for env, w := range want {
					if !bytes.Equal(got[env], w) {
						t.Errorf("run %d: environment %s differs from the sequential render", i, env)
					}
				}
			}
		})
	}
}

func TestEachKeepsOrderAndReportsErrors(t *testing.T) {
	envs := make([]environment.Environment, 20)
	for i := range envs {
		envs[i] = environment.Environment{Name: string(rune('a' + i))}
	}
	var got []string
	err := pipeline.Each(context.Background(), 3, envs,
		func(_ context.Context, env environment.Environment) (string, error) {
			return env.Name + "!", nil
		},
		func(_ environment.Environment, v string, err error) error {
			if err != nil {
				return err
			}
			got = append(got, v)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range got {
		if want := envs[i].Name + "!"; v != want {
			t.Fatalf("result %d = %q, want %q (order lost)", i, v, want)
		}
	}
	if len(got) != len(envs) {
		t.Fatalf("got %d results, want %d", len(got), len(envs))
	}
}

func TestEachStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	envs := make([]environment.Environment, 5)
	err := pipeline.Each(ctx, 2, envs,
		func(context.Context, environment.Environment) (int, error) { return 0, nil },
		func(environment.Environment, int, error) error { return nil })
	if err == nil {
		t.Fatal("Each on a cancelled context returned no error")
	}
}
