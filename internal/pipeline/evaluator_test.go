package pipeline_test

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/testfs"
)

var benchFixture = flag.String("fixture", "", "a repository (e.g. written by hack/genfixture) that BenchmarkRenderAll renders besides the reference repository")

// projectAt is the project rooted at dir. project.Find would climb from a tree inside this
// repository to the repository's own kforge.yaml.
func projectAt(t testing.TB, dir string) *project.Project {
	t.Helper()
	root, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Find(root)
	if err != nil {
		t.Fatal(err)
	}
	if p.Root != root {
		p = &project.Project{Root: root, Config: project.DefaultConfig(), Marker: project.JsonnetFile}
	}
	return p
}

// renderWith renders every environment of the repository at dir with ev on parallel workers
// and returns, by environment name, everything the render produced: each manifest's file name
// and canonical YAML and the recorded reads, or the error.
func renderWith(t testing.TB, dir string, ev jsonnet.Evaluator, parallel int) map[string]string {
	t.Helper()
	proj := projectAt(t, dir)
	r := pipeline.NewRenderer(pipeline.Options{Project: proj, Evaluator: ev})
	ctx := context.Background()
	envs, err := r.Environments(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) == 0 {
		t.Fatalf("no environments in %s", dir)
	}
	out := map[string]string{}
	err = pipeline.Each(ctx, parallel, envs,
		func(ctx context.Context, env environment.Environment) (string, error) {
			rendered, err := r.Render(ctx, env)
			if err != nil {
				return "", err
			}
			var b strings.Builder
			for _, m := range rendered.Manifests {
				y, err := m.YAML()
				if err != nil {
					return "", err
				}
				fmt.Fprintf(&b, "# %s\n%s", m.FileName(), y)
			}
			b.WriteString("# reads\n")
			for _, rd := range rendered.Reads {
				fmt.Fprintf(&b, "%s %s\n", rd.SHA256, rd.Path)
			}
			return b.String(), nil
		},
		func(env environment.Environment, s string, err error) error {
			if err != nil {
				s = "error: " + err.Error()
			}
			out[env.Name] = s
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// testdataRepo copies testdata/repo into a temporary directory, adds files and returns the
// copy's path.
func testdataRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	dst := testfs.Copy(t, filepath.Join("testdata", "repo"))
	testfs.WriteFiles(t, dst, files)
	return dst
}

// brokenFiles are two more environments for testdataRepo: one whose evaluation fails in a
// shared library file, and one that shadows the file the library imports with its own.
func brokenFiles() map[string]string {
	spec := `{"apiVersion": "tanka.dev/v1alpha1", "kind": "Environment", "metadata": {}, "spec": {"namespace": "ns"}}`
	main := `{ cm: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: (import 'shared.libsonnet').value } }`
	return map[string]string{
		"lib/shared.libsonnet":                      `{ value: import 'value.libsonnet' }`,
		"environments/broken/spec.json":             spec,
		"environments/broken/main.jsonnet":          main,
		"environments/broken/value.libsonnet":       `error 'no value for ' + (import 'tk').env.metadata.name`,
		"environments/shadowing/spec.json":          spec,
		"environments/shadowing/main.jsonnet":       main,
		"environments/shadowing/value.libsonnet":    `{ a: 'shadowing' }`,
		"environments/shadowing/vendor/x.libsonnet": `{}`,
	}
}

// TestSessionsRenderLikeFreshVMs renders every environment of the reference repository and of
// the test repositories with a fresh VM per evaluation and with pooled sessions, one worker
// and several at once, and requires the same YAML, file names, reads and errors.
func TestSessionsRenderLikeFreshVMs(t *testing.T) {
	repos := []struct{ name, dir string }{
		{"reference", filepath.Join("..", "..")},
		{"testdata", testdataRepo(t, map[string]string{})},
		{"broken", testdataRepo(t, brokenFiles())},
	}
	for _, repo := range repos {
		t.Run(repo.name, func(t *testing.T) {
			want := renderWith(t, repo.dir, jsonnet.InProcess{}, 1)
			check := func(t *testing.T, got map[string]string) {
				t.Helper()
				names := make([]string, 0, len(want))
				for name := range want {
					names = append(names, name)
				}
				sort.Strings(names)
				for _, name := range names {
					if got[name] != want[name] {
						t.Errorf("environment %s differs from a fresh VM's render\nsessions:\n%.2000s\nfresh:\n%.2000s", name, got[name], want[name])
					}
				}
				if len(got) != len(want) {
					t.Errorf("rendered %d environments, want %d", len(got), len(want))
				}
			}
			t.Run("sequential", func(t *testing.T) {
				ev := jsonnet.NewInProcess()
				check(t, renderWith(t, repo.dir, ev, 1))
				check(t, renderWith(t, repo.dir, ev, 1)) // the sessions again, warm
			})
			t.Run("concurrent", func(t *testing.T) {
				ev := jsonnet.NewInProcess()
				results := make([]map[string]string, 3)
				var wg sync.WaitGroup
				for i := range results {
					wg.Go(func() { results[i] = renderWith(t, repo.dir, ev, 4) })
				}
				wg.Wait()
				for _, got := range results {
					check(t, got)
				}
			})
		})
	}
	// The cases the comparison relies on really occur: an error, a shadowed import and the
	// inline environments.
	broken := renderWith(t, repos[2].dir, jsonnet.InProcess{}, 1)
	for env, want := range map[string]string{
		"environments/broken":    "no value for environments/broken",
		"environments/shadowing": "a: shadowing",
		"inline-eu":              "environments/inline/main.jsonnet",
	} {
		if !strings.Contains(broken[env], want) {
			t.Errorf("environment %s rendered %q, want it to contain %q", env, broken[env], want)
		}
	}
}

// BenchmarkRenderAll renders (evaluates and extracts) every environment of the reference
// repository, and of -fixture when given, with a fresh VM per evaluation and with pooled
// sessions, on one worker and on one per core, in wall time and in CPU time (where the
// platform tells it) per environment. Each iteration uses a new Renderer and
// evaluator, so it starts cold, as one CLI run does.
//
//	go run ./hack/genfixture -envs 20 -services 30 -out /tmp/fixture
//	go test -run '^$' -bench RenderAll ./internal/pipeline -fixture /tmp/fixture
func BenchmarkRenderAll(b *testing.B) {
	repos := []struct{ name, dir string }{{"reference", filepath.Join("..", "..")}}
	if *benchFixture != "" {
		repos = append(repos, struct{ name, dir string }{"fixture", *benchFixture})
	}
	evaluators := []struct {
		name string
		new  func() jsonnet.Evaluator
	}{
		{"fresh", func() jsonnet.Evaluator { return jsonnet.InProcess{} }},
		{"session", func() jsonnet.Evaluator { return jsonnet.NewInProcess() }},
	}
	for _, repo := range repos {
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			for _, ev := range evaluators {
				b.Run(fmt.Sprintf("%s/workers=%d/%s", repo.name, workers, ev.name), func(b *testing.B) {
					proj := projectAt(b, repo.dir)
					ctx := context.Background()
					envs, err := pipeline.NewRenderer(pipeline.Options{Project: proj}).Environments(ctx, "")
					if err != nil {
						b.Fatal(err)
					}
					cpu0, cpuOK := processCPU()
					for b.Loop() {
						r := pipeline.NewRenderer(pipeline.Options{Project: proj, Evaluator: ev.new()})
						err := pipeline.Each(ctx, workers, envs,
							func(ctx context.Context, env environment.Environment) (*pipeline.Rendered, error) {
								return r.Render(ctx, env)
							},
							func(_ environment.Environment, _ *pipeline.Rendered, err error) error { return err })
						if err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(envs)), "ms/env")
					// CPU time is less disturbed than wall time by other work on the machine.
					if cpu1, ok := processCPU(); ok && cpuOK {
						b.ReportMetric(float64((cpu1-cpu0).Milliseconds())/float64(b.N*len(envs)), "cpu-ms/env")
					}
				})
			}
		}
	}
}
