package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-jsonnet/formatter"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/pipeline"
	"github.com/kforge/kforge/internal/project"
)

// generate writes a fixture into a new temporary directory and returns it.
func generate(t testing.TB, c Config) string {
	t.Helper()
	dir := t.TempDir()
	if err := Write(dir, c); err != nil {
		t.Fatal(err)
	}
	return dir
}

// renderer returns a pipeline Renderer for the fixture at dir and its environments.
func renderer(t testing.TB, dir string) (*pipeline.Renderer, []environment.Environment) {
	t.Helper()
	return rendererWith(t, dir, nil)
}

// rendererWith is renderer with evaluator ev (nil: in process).
func rendererWith(t testing.TB, dir string, ev jsonnet.Evaluator) (*pipeline.Renderer, []environment.Environment) {
	t.Helper()
	proj, err := project.Find(dir)
	if err != nil {
		t.Fatal(err)
	}
	r := pipeline.NewRenderer(pipeline.Options{Project: proj, Evaluator: ev})
	envs, err := r.Environments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return r, envs
}

func TestFixtureRenders(t *testing.T) {
	tests := []struct {
		name string
		c    Config
	}{
		{"one service", Config{Envs: 1, Services: 1}},
		{"small", Config{Envs: 3, Services: 4}},
		{"more services than overrides", Config{Envs: 4, Services: 12}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, envs := renderer(t, generate(t, tt.c))
			if len(envs) != tt.c.Envs {
				t.Fatalf("found %d environments, want %d", len(envs), tt.c.Envs)
			}
			for _, env := range envs {
				rendered, err := r.Render(context.Background(), env)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := len(rendered.Manifests), tt.c.ResourcesPerEnv(); got != want {
					t.Errorf("%s: %d resources, want %d", env.Name, got, want)
				}
				kinds := map[string]int{}
				for _, m := range rendered.Manifests {
					kinds[m.Kind()]++
					if m.Kind() != "Namespace" && m.Namespace() != env.Spec.Spec.Namespace {
						t.Errorf("%s: %s in namespace %q, want %q", env.Name, m.ID(), m.Namespace(), env.Spec.Spec.Namespace)
					}
				}
				want := map[string]int{"Namespace": 1}
				for _, k := range []string{"ServiceAccount", "ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"} {
					want[k] = tt.c.Services
				}
				for k, n := range want {
					if kinds[k] != n {
						t.Errorf("%s: %d %s, want %d (all kinds: %v)", env.Name, kinds[k], k, n, kinds)
					}
				}
				if len(rendered.Reads) == 0 {
					t.Errorf("%s: the evaluation recorded no file reads", env.Name)
				}
			}
		})
	}
}

// TestEnvironmentOverrides checks that environments differ where the generator says they do:
// tier defaults, overridden replicas and image tags, and labels.
func TestEnvironmentOverrides(t *testing.T) {
	c := Config{Envs: 3, Services: 6}
	r, envs := renderer(t, generate(t, c))
	svcs := catalogue(c.Services)
	for i, env := range envs {
		e := newEnv(c, i, svcs)
		if env.Tier() != e.tier {
			t.Errorf("%s: tier %q, want %q", env.Name, env.Tier(), e.tier)
		}
		rendered, err := r.Render(context.Background(), env)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range rendered.Manifests {
			if m.Kind() != "Deployment" {
				continue
			}
			labels, _ := m.Object["metadata"].(map[string]any)["labels"].(map[string]any)
			if labels["team"] != e.labels["team"] {
				t.Errorf("%s: %s team label %v, want %s", env.Name, m.ID(), labels["team"], e.labels["team"])
			}
			_, overridden := e.overrides[m.Name()]
			wantTag := strings.HasPrefix(labels["app.kubernetes.io/version"].(string), "v2.")
			if overridden != wantTag {
				t.Errorf("%s: %s version %v, overridden=%v", env.Name, m.ID(), labels["app.kubernetes.io/version"], overridden)
			}
		}
	}
}

func TestDeterministic(t *testing.T) {
	c := Config{Envs: 5, Services: 7}
	a, b := generate(t, c), generate(t, c)
	read := func(root string) map[string][]byte {
		out := map[string][]byte{}
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(root, p)
			out[filepath.ToSlash(rel)] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	fa, fb := read(a), read(b)
	if len(fa) != len(fb) || len(fa) == 0 {
		t.Fatalf("%d files vs %d files", len(fa), len(fb))
	}
	for p, data := range fa {
		if !bytes.Equal(data, fb[p]) {
			t.Errorf("%s differs between two runs with the same flags", p)
		}
	}
	// Rendering is deterministic too: the same environment rendered from both trees.
	ra, ea := renderer(t, a)
	rb, eb := renderer(t, b)
	for i := range ea {
		x, err := ra.Render(context.Background(), ea[i])
		if err != nil {
			t.Fatal(err)
		}
		y, err := rb.Render(context.Background(), eb[i])
		if err != nil {
			t.Fatal(err)
		}
		for j := range x.Manifests {
			yx, _ := x.Manifests[j].YAML()
			yy, _ := y.Manifests[j].YAML()
			if !bytes.Equal(yx, yy) {
				t.Errorf("%s: %s renders differently", ea[i].Name, x.Manifests[j].ID())
			}
		}
	}
}

// TestLibrary checks the vendored library: about 0.7 MB whatever the flags, the same for every
// size, and with the mixins real libraries have.
func TestLibrary(t *testing.T) {
	lib := path.Join("vendor", libDir, "gen.libsonnet")
	var first []byte
	for _, c := range []Config{{Envs: 1, Services: 1}, {Envs: 20, Services: 50}} {
		files, err := Files(c)
		if err != nil {
			t.Fatal(err)
		}
		src := files[lib]
		if n := len(src); n < 650_000 || n > 800_000 {
			t.Errorf("%v: %s is %d bytes, want about 0.7 MB", c, lib, n)
		}
		if first == nil {
			first = src
		} else if !bytes.Equal(first, src) {
			t.Errorf("%v: %s depends on the flags", c, lib)
		}
	}
	for _, want := range []string{
		"withReplicas(replicas): { spec+: { replicas: replicas } },",
		"withContainersMixin(containers): { spec+: { template+: { spec+: { containers+: if std.isArray(v=containers) then containers else [containers] } } } },",
		"horizontalPodAutoscaler: {",
		"httpIngressPath: {",
		"'#withLabels':: d.fn(",
	} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("%s lacks %q", lib, want)
		}
	}
	if n := bytes.Count(first, []byte("d.fn(")); n < 1500 {
		t.Errorf("%s has %d documented functions, want many", lib, n)
	}
}

// TestJsonnetFormatted requires every Jsonnet file of the fixture to be jsonnetfmt-clean, as the
// repository's own Jsonnet is.
func TestJsonnetFormatted(t *testing.T) {
	files, err := Files(Config{Envs: 2, Services: 3})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, p := range sortedKeys(files) {
		if !strings.HasSuffix(p, ".jsonnet") && !strings.HasSuffix(p, ".libsonnet") {
			continue
		}
		t.Run(p, func(t *testing.T) {
			got, err := formatter.Format(p, string(files[p]), formatter.DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if got != string(files[p]) {
				t.Errorf("%s is not jsonnetfmt-clean", p)
			}
		})
		checked++
	}
	if checked < 10 {
		t.Errorf("checked %d Jsonnet files, want every one", checked)
	}
}

func TestCatalogue(t *testing.T) {
	tests := []struct {
		name string
		n    int
	}{
		{"one", 1},
		{"two", 2},
		{"default", 30},
		{"beyond the word lists", 250},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svcs := catalogue(tt.n)
			if len(svcs) != tt.n {
				t.Fatalf("%d services, want %d", len(svcs), tt.n)
			}
			names := map[string]bool{}
			for _, s := range svcs {
				if names[s.name] {
					t.Errorf("duplicate service name %s", s.name)
				}
				names[s.name] = true
			}
			for _, s := range svcs {
				for _, d := range s.dependsOn {
					if !names[d] || d == s.name {
						t.Errorf("%s depends on %q", s.name, d)
					}
				}
			}
		})
	}
}

func TestLowerCamel(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ConfigMap", "configMap"},
		{"HorizontalPodAutoscaler", "horizontalPodAutoscaler"},
		{"HTTPIngressPath", "httpIngressPath"},
		{"IPBlock", "ipBlock"},
		{"OS", "os"},
		{"lower", "lower"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := lowerCamel(tt.in); got != tt.want {
				t.Errorf("lowerCamel(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRun(t *testing.T) {
	nonEmpty := t.TempDir()
	if err := os.WriteFile(filepath.Join(nonEmpty, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"ok", []string{"-envs", "2", "-services", "2", "-out", filepath.Join(t.TempDir(), "fx")}, 0, ""},
		{"no out", []string{"-envs", "2"}, 2, "usage: genfixture"},
		{"bad flag", []string{"-nope"}, 2, "flag provided but not defined"},
		{"zero envs", []string{"-envs", "0", "-out", t.TempDir()}, 1, "-envs 0: want 1 to 9999"},
		{"non-empty dir", []string{"-envs", "1", "-services", "1", "-out", nonEmpty}, 1, "is not empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tt.args, &stdout, &stderr); code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q lacks %q", stderr.String(), tt.stderr)
			}
			if tt.code == 0 && !strings.Contains(stdout.String(), "2 environments x 2 services (13 resources each)") {
				t.Errorf("stdout: %q", stdout.String())
			}
		})
	}
}

// TestSessionsRenderLikeFreshVMs is issue 6's proof on the benchmark fixture: every environment
// rendered by pooled jsonnet sessions (parse once per worker), on one worker and on two, gives
// the same manifests, file names and recorded reads as a fresh VM per environment.
func TestSessionsRenderLikeFreshVMs(t *testing.T) {
	dir := generate(t, Config{Envs: 6, Services: 5})
	renderAll := func(ev jsonnet.Evaluator, parallel int) map[string]string {
		r, envs := rendererWith(t, dir, ev)
		out := map[string]string{}
		err := pipeline.Each(context.Background(), parallel, envs,
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
					b.WriteString("# " + m.FileName() + "\n")
					b.Write(y)
				}
				for _, rd := range rendered.Reads {
					b.WriteString("# read " + rd.SHA256 + " " + rd.Path + "\n")
				}
				return b.String(), nil
			},
			func(env environment.Environment, s string, err error) error {
				if err != nil {
					return err
				}
				out[env.Name] = s
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := renderAll(jsonnet.InProcess{}, 1)
	if len(want) != 6 {
		t.Fatalf("rendered %d environments, want 6", len(want))
	}
	for _, parallel := range []int{1, 2} {
		got := renderAll(jsonnet.NewInProcess(), parallel)
		for name, w := range want {
			if got[name] != w {
				t.Errorf("parallel %d: %s differs from a fresh VM's render", parallel, name)
			}
		}
		if len(got) != len(want) {
			t.Errorf("parallel %d: %d environments, want %d", parallel, len(got), len(want))
		}
	}
}
