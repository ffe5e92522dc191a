package kustomize

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// newRepo writes files into a new repository root and returns a Builder for it.
func newRepo(t *testing.T, files map[string]string) (string, *Builder) {
	t.Helper()
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	testfs.WriteFiles(t, root, files)
	b, err := NewBuilder(root)
	if err != nil {
		t.Fatal(err)
	}
	return root, b
}

const service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: 80\n"

func TestBuildRecordsReadsAndMisses(t *testing.T) {
	_, b := newRepo(t, map[string]string{
		"k/base/kustomization.yaml": "resources:\n  - service.yaml\nconfigMapGenerator:\n  - name: cfg\n    files:\n      - app.conf\n",
		"k/base/service.yaml":       service,
		"k/base/app.conf":           "x=1\n",
		"k/app/kustomization.yaml":  "resources:\n  - ../base\npatches:\n  - path: patch.yaml\n",
		"k/app/patch.yaml":          "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    patched: \"yes\"\n",
		"k/unrelated.yaml":          service,
	})
	out, err := b.Build("k/app")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, r := range out.Reads {
		if len(r.SHA256) != 64 {
			t.Errorf("read %s has hash %q", r.Path, r.SHA256)
		}
		paths = append(paths, r.Path)
	}
	want := []string{"k/app/kustomization.yaml", "k/app/patch.yaml", "k/base/app.conf", "k/base/kustomization.yaml", "k/base/service.yaml"}
	if !reflect.DeepEqual(paths, want) {
		t.Errorf("reads = %v, want %v", paths, want)
	}
	for _, miss := range []string{"k/app/kustomization.yml", "k/app/Kustomization", "k/base/kustomization.yml"} {
		if !contains(out.Misses, miss) {
			t.Errorf("misses %v lack %s", out.Misses, miss)
		}
	}
	if len(out.Objects) != 2 {
		t.Fatalf("got %d objects, want 2", len(out.Objects))
	}
	// Integers stay integers, as yaml.v3 decodes tk's kustomize output.
	svc := out.Objects[1]
	port := svc["spec"].(map[string]any)["ports"].([]any)[0].(map[string]any)["port"]
	if port != 80 {
		t.Errorf("port = %#v, want int 80", port)
	}
}

func TestBuildOnce(t *testing.T) {
	root, b := newRepo(t, map[string]string{
		"k/kustomization.yaml": "resources:\n  - service.yaml\n",
		"k/service.yaml":       service,
	})
	first, err := b.Build("k")
	if err != nil {
		t.Fatal(err)
	}
	// A change after the first build is not seen: one build per directory for the builder's
	// lifetime (one run).
	testfs.WriteFile(t, root, "k/service.yaml", strings.Replace(service, "web", "changed", 1))
	second, err := b.Build("./k/")
	if err != nil {
		t.Fatal(err)
	}
	if &first.Objects[0] != &second.Objects[0] {
		t.Error("the second Build of the same directory built again")
	}
	fresh, err := NewBuilder(root)
	if err != nil {
		t.Fatal(err)
	}
	third, err := fresh.Build("k")
	if err != nil {
		t.Fatal(err)
	}
	if name := third.Objects[0]["metadata"].(map[string]any)["name"]; name != "changed" {
		t.Errorf("a new builder built name %v, want changed", name)
	}
}

func TestBuildRefusals(t *testing.T) {
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte(service), 0o644); err != nil {
		t.Fatal(err)
	}
	root, b := newRepo(t, map[string]string{
		"remote/kustomization.yaml":           "resources:\n  - github.com/example/repo/deploy?ref=v1\n",
		"remote-http/kustomization.yaml":      "resources:\n  - service.yaml\nconfigMapGenerator:\n  - name: c\n    files:\n      - key=https://example.com/x.conf\n",
		"remote-http/service.yaml":            service,
		"inline-gen/kustomization.yaml":       "generators:\n  - |-\n    apiVersion: builtin\n    kind: ConfigMapGenerator\n    metadata:\n      name: c\n    envs:\n      - https://example.com/x.env\n",
		"symlink/kustomization.yaml":          "resources:\n  - secret.yaml\n",
		"outside-kust/app/kustomization.yaml": "resources:\n  - ../other/service.yaml\n",
		"outside-kust/other/service.yaml":     service,
		"exec/kustomization.yaml":             "transformers:\n  - fn.yaml\n",
		"exec/fn.yaml":                        "apiVersion: x/v1\nkind: Fn\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./fn.sh\n",
		// A Go plugin: a configuration of a kind kustomize would look up as
		// $XDG_CONFIG_HOME/kustomize/plugin/<group>/<version>/<kind>/<Kind>.so.
		"goplugin/kustomization.yaml": "transformers:\n  - sed.yaml\n",
		"goplugin/sed.yaml":           "apiVersion: someteam.example.com/v1\nkind: SedTransformer\nmetadata:\n  name: sed\nargsOneLiner: s/a/b/\n",
	})
	testfs.Symlink(t, filepath.Join(outside, "secret.yaml"), filepath.Join(root, "symlink", "secret.yaml"))
	tests := []struct {
		dir  string
		want string // "remote", "outside" or "" for kustomize's own errors
		msg  string
	}{
		{"remote", "remote", `remote/kustomization.yaml: resources entry "github.com/example/repo/deploy?ref=v1" is remote`},
		{"remote-http", "remote", `remote-http/kustomization.yaml: files entry "key=https://example.com/x.conf" is remote`},
		{"inline-gen", "remote", `inline-gen/kustomization.yaml: envs entry "https://example.com/x.env" is remote`},
		{"symlink", "outside", "symlink/secret.yaml leads outside the repository root"},
		{"outside-kust/app", "", "is not in or below"},
		{"exec", "", "exec plugins and container functions are refused"},
		// Refused by the builtins-only policy before any loader runs, so the message is the same
		// whether or not the binary has kustomize's Go-plugin loader
		// (-tags kustomize_disable_go_plugin_support removes it).
		{"goplugin", "", "kustomize build goplugin: external plugins disabled; unable to load external plugin 'SedTransformer' (kforge runs only kustomize's builtin plugins: exec plugins and container functions are refused, as by `kustomize build` without --enable-alpha-plugins)"},
	}
	for _, tc := range tests {
		t.Run(tc.dir, func(t *testing.T) {
			_, err := b.Build(tc.dir)
			var be *BuildError
			if !errors.As(err, &be) || be.Dir != tc.dir {
				t.Fatalf("got %v, want a *BuildError for %s", err, tc.dir)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q lacks %q", err, tc.msg)
			}
			var re *RemoteError
			if wantRemote := tc.want == "remote"; errors.As(err, &re) != wantRemote {
				t.Errorf("error %v: a *RemoteError is %v, want %v", err, !wantRemote, wantRemote)
			}
			var oe *OutsideRootError
			if wantOutside := tc.want == "outside"; errors.As(err, &oe) != wantOutside {
				t.Errorf("error %v: an *OutsideRootError is %v, want %v", err, !wantOutside, wantOutside)
			}
			if strings.Contains(err.Error(), root) || strings.Contains(err.Error(), outside) {
				t.Errorf("error names an absolute path: %v", err)
			}
		})
	}
}

func TestFSIsConfinedAndReadOnly(t *testing.T) {
	root, b := newRepo(t, map[string]string{"a/f.yaml": service})
	fsys := newFS(b.realRoot)
	if _, err := fsys.ReadFile("/../../a/f.yaml"); err != nil {
		t.Errorf("/../../a/f.yaml stays inside the virtual root: %v", err)
	}
	if data, err := fsys.ReadFile(filepath.Join("..", filepath.Base(root), "a", "f.yaml")); err == nil {
		t.Errorf("a relative path climbing out read %q", data)
	}
	if err := fsys.WriteFile("/a/g.yaml", nil); err == nil {
		t.Error("WriteFile succeeded")
	}
	if err := fsys.MkdirAll("/b"); err == nil {
		t.Error("MkdirAll succeeded")
	}
	if _, err := fsys.ReadDir("/a"); err == nil {
		t.Error("ReadDir succeeded: listings are not recorded in the read set")
	}
	d, f, err := fsys.CleanedAbs("/a/f.yaml")
	if err != nil || d != "/a" || f != "f.yaml" {
		t.Errorf("CleanedAbs = %q, %q, %v; want /a, f.yaml", d, f, err)
	}
	if fsys.Exists("/a/nope.yaml") || !contains(fsys.sortedMisses(), "a/nope.yaml") {
		t.Errorf("a missing file: misses %v", fsys.sortedMisses())
	}
}

func TestIsRemoteBase(t *testing.T) {
	for ref, want := range map[string]bool{
		"https://github.com/org/repo//dir?ref=v1": true,
		"HTTP://example.com/x.yaml":               true,
		"git::https://example.com/r.git":          true,
		"ssh://git@example.com/r.git":             true,
		"git@github.com:org/repo.git":             true,
		"GitHub.com/org/repo/dir":                 true,
		"file:///etc/repo":                        true,
		"../base":                                 false,
		"base":                                    false,
		"github.company/x":                        false,
		"dir/with@sign":                           false,
	} {
		if got := isRemoteBase(ref); got != want {
			t.Errorf("isRemoteBase(%q) = %v, want %v", ref, got, want)
		}
	}
}

func TestKeyByNameFormat(t *testing.T) {
	objs := []map[string]any{
		{"kind": "Deployment", "metadata": map[string]any{"name": "web.v2"}},
		{"kind": "ConfigMap", "metadata": map[string]any{"name": "web-config"}},
	}
	got, err := KeyByNameFormat(objs, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"deployment_web.v2", "config_map_web_config"} {
		if _, ok := got[k]; !ok {
			t.Errorf("default keys %v lack %s", keys(got), k)
		}
	}
	if _, err := KeyByNameFormat(objs, "{{ .apiVersion }}"); err == nil || !strings.Contains(err.Error(), `two objects get the key "<no value>"`) {
		t.Errorf("duplicate keys: %v", err)
	}
	if _, err := KeyByNameFormat(objs, "{{ .kind "); err == nil || !strings.Contains(err.Error(), "parse nameFormat") {
		t.Errorf("bad template: %v", err)
	}
}

func TestCallOptions(t *testing.T) {
	root, b := newRepo(t, map[string]string{
		"k/kustomization.yaml": "resources:\n  - service.yaml\n",
		"k/service.yaml":       service,
	})
	for name, tc := range map[string]struct {
		args []any
		want string
	}{
		"relative calledFrom":        {[]any{"../k", map[string]any{"calledFrom": "env/main.jsonnet"}}, ""},
		"absolute calledFrom":        {[]any{"k", map[string]any{"CalledFrom": filepath.Join(root, "main.jsonnet")}}, ""},
		"calledFrom outside":         {[]any{"k", map[string]any{"calledFrom": "/elsewhere/main.jsonnet"}}, "opts.calledFrom: main.jsonnet is outside the repository root"},
		"no calledFrom":              {[]any{"k", nil}, "opts.calledFrom is unset or empty"},
		"calledFrom not a string":    {[]any{"k", map[string]any{"calledFrom": 1.0}}, "parameter opts"},
		"path not a string":          {[]any{1.0, map[string]any{"calledFrom": "main.jsonnet"}}, "parameter path must be a string, got number"},
		"path leaving the root":      {[]any{"../../x", map[string]any{"calledFrom": "env/main.jsonnet"}}, "is outside the repository root"},
		"missing kustomization root": {[]any{"nope", map[string]any{"calledFrom": "main.jsonnet"}}, "kustomize build nope"},
	} {
		t.Run(name, func(t *testing.T) {
			v, reads, _, err := b.Call(root, tc.args)
			if tc.want != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want error containing %q", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := v.(map[string]any)["service_web"]; !ok || len(reads) != 2 {
				t.Errorf("got %v with reads %v", v, reads)
			}
		})
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestBuildConcurrent builds the same and different directories from many goroutines, as the
// environments of one run do in process; run with -race.
func TestBuildConcurrent(t *testing.T) {
	_, b := newRepo(t, map[string]string{
		"a/kustomization.yaml": "resources:\n  - service.yaml\n",
		"a/service.yaml":       service,
		"b/kustomization.yaml": "namePrefix: b-\nresources:\n  - ../a\n",
	})
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			dir := "a"
			if i%2 == 1 {
				dir = "b"
			}
			_, err := b.Build(dir)
			errs <- err
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
