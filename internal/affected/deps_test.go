package affected

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

func TestDependencies(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		env  string
		want []string
	}{
		{
			name: "tk import, jpath lib and vendor, importstr and an unevaluated branch",
			env:  "environments/prod",
			want: []string{
				"environments/prod/main.jsonnet",
				"environments/prod/values.libsonnet",
				"lib/app.libsonnet",
				"lib/config.yaml",
				"lib/debug.libsonnet",
				"lib/k8s/service.libsonnet",
				"vendor/kube/k.libsonnet",
			},
		},
		{
			name: "shared library only",
			env:  "environments/dev",
			want: []string{
				"environments/dev/main.jsonnet",
				"lib/app.libsonnet",
				"lib/config.yaml",
				"lib/debug.libsonnet",
				"vendor/kube/k.libsonnet",
			},
		},
		{
			name: "no imports",
			env:  "environments/flux",
			want: []string{"environments/flux/main.jsonnet"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Dependencies(root, envJPath(tt.env), tt.env+"/main.jsonnet")
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Dependencies = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestDependenciesCoverReads checks against the evaluator: every file an evaluation reads is
// a dependency.
func TestDependenciesCoverReads(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	for _, env := range []string{"environments/prod", "environments/dev", "environments/flux"} {
		t.Run(env, func(t *testing.T) {
			vm, err := jsonnet.NewVM(jsonnet.Options{Root: root, JPath: envJPath(env),
				TkEnv: []byte(`{"env": {"metadata": {"name": "` + env + `"}}}`)})
			if err != nil {
				t.Fatal(err)
			}
			res, err := vm.EvaluateFile(env + "/main.jsonnet")
			if err != nil {
				t.Fatal(err)
			}
			deps, err := Dependencies(root, envJPath(env), env+"/main.jsonnet")
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.Reads {
				if !slices.Contains(deps, r.Path) {
					t.Errorf("evaluation read %s, Dependencies = %q", r.Path, deps)
				}
			}
		})
	}
}

func TestDependenciesSearchOrder(t *testing.T) {
	root := copyRepo(t)
	// Present in lib and vendor: lib comes first in the jpath and wins, as in the evaluator.
	testfs.WriteFile(t, root, "lib/dup.libsonnet", "{ from: 'lib' }\n")
	testfs.WriteFile(t, root, "vendor/dup.libsonnet", "{ from: 'vendor' }\n")
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet", "(import 'dup.libsonnet')\n")
	got, err := Dependencies(root, envJPath("environments/dev"), "environments/dev/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"environments/dev/main.jsonnet", "lib/dup.libsonnet"}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies = %q, want %q", got, want)
	}
}

func TestDependenciesSymlink(t *testing.T) {
	root := copyRepo(t)
	if err := os.Symlink("../vendor/kube/k.libsonnet", filepath.Join(root, "lib", "alias.libsonnet")); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet", "(import 'alias.libsonnet').deployment('x', 1)\n")
	got, err := Dependencies(root, envJPath("environments/dev"), "environments/dev/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"environments/dev/main.jsonnet", "lib/alias.libsonnet", "vendor/kube/k.libsonnet"}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies = %q, want %q", got, want)
	}
}

// TestDependenciesMissingImport: an import that finds nothing does not fail the search; the
// environment's own file is still read (ReadSet records the missing import as a miss).
func TestDependenciesMissingImport(t *testing.T) {
	root := copyRepo(t)
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet", "local a = import 'nowhere.libsonnet';\n{ a: a, k: import 'kube/k.libsonnet' }\n")
	got, err := Dependencies(root, envJPath("environments/dev"), "environments/dev/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"environments/dev/main.jsonnet", "vendor/kube/k.libsonnet"}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies = %q, want %q", got, want)
	}
	_, misses, err := ReadSet(NewScanner(), root, envJPath("environments/dev"), "environments/dev/main.jsonnet", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(misses, "environments/dev/nowhere.libsonnet") {
		t.Errorf("misses = %q, want environments/dev/nowhere.libsonnet among them", misses)
	}
}

// TestImportClosureMissingImport: `tool imports` fails on an import that finds nothing, as tk
// does, naming the import and where it is; Dependencies on the same file does not.
func TestImportClosureMissingImport(t *testing.T) {
	root := copyRepo(t)
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet", "local a = import 'nowhere.libsonnet';\n{ a: a, k: import 'kube/k.libsonnet' }\n")
	_, err := ImportClosure(root, envJPath("environments/dev"), "environments/dev/main.jsonnet")
	if err == nil {
		t.Fatal("ImportClosure succeeded with an import that finds nothing")
	}
	for _, want := range []string{`couldn't open import "nowhere.libsonnet"`, "environments/dev/main.jsonnet:1:11"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	if strings.Contains(err.Error(), root) {
		t.Errorf("error %q contains the absolute root", err)
	}
	got, err := ImportClosure(root, envJPath("environments/prod"), "environments/prod/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	want, err := Dependencies(root, envJPath("environments/prod"), "environments/prod/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("ImportClosure = %q, Dependencies = %q", got, want)
	}
}

func TestDependenciesErrors(t *testing.T) {
	root := copyRepo(t)
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet", "local a = import 'nowhere.libsonnet';\n{ a: a }\n")
	testfs.WriteFile(t, root, "environments/bad/main.jsonnet", "{ a: \n")
	tests := []struct {
		name, root, entry, want string
	}{
		{"syntax error", root, "environments/bad/main.jsonnet", "environments/bad/main.jsonnet"},
		{"missing entrypoint", root, "environments/none/main.jsonnet", "environments/none/main.jsonnet"},
		{"relative root", "testdata/repo", "environments/dev/main.jsonnet", "repository root must be absolute"},
		{"entrypoint outside", root, "../x.jsonnet", "outside the repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Dependencies(tt.root, envJPath("environments/dev"), tt.entry)
			if err == nil {
				t.Fatal("Dependencies succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), root) {
				t.Errorf("error %q contains the absolute root", err)
			}
		})
	}
}

// TestDependenciesObjectAssert covers go-jsonnet's FindDependencies gap: imports inside
// object-level asserts, and what those files import in turn.
func TestDependenciesObjectAssert(t *testing.T) {
	root := copyRepo(t)
	testfs.WriteFile(t, root, "environments/dev/main.jsonnet",
		"{ assert (import 'check.libsonnet').ok, a: 1 }\n")
	testfs.WriteFile(t, root, "lib/check.libsonnet", "{ ok: (import 'kube/k.libsonnet') != null }\n")
	got, err := Dependencies(root, envJPath("environments/dev"), "environments/dev/main.jsonnet")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"environments/dev/main.jsonnet", "lib/check.libsonnet", "vendor/kube/k.libsonnet"}
	if !slices.Equal(got, want) {
		t.Errorf("Dependencies = %q, want %q", got, want)
	}
}

func TestReadSet(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	reads, misses, err := ReadSet(NewScanner(), root, envJPath("environments/flux"), "environments/flux/main.jsonnet",
		[]string{"import 'k8s/service.libsonnet'"})
	if err != nil {
		t.Fatal(err)
	}
	wantReads := []string{"environments/flux/main.jsonnet", "lib/k8s/service.libsonnet"}
	wantMisses := []string{"environments/flux/k8s/service.libsonnet", "k8s/service.libsonnet"}
	if !slices.Equal(reads, wantReads) || !slices.Equal(misses, wantMisses) {
		t.Errorf("ReadSet = %q, %q; want %q, %q", reads, misses, wantReads, wantMisses)
	}
	if _, _, err := ReadSet(NewScanner(), root, nil, "environments/none/main.jsonnet", nil); err == nil {
		t.Error("ReadSet of a missing entrypoint succeeded")
	}
}

func TestCallsFileNatives(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"lib/k.libsonnet":   "{ build(p):: std.native('kustomizeBuild')(p, { calledFrom: std.thisFile }) }\n",
		"lib/h.libsonnet":   "{ t(n, c):: std.native('helmTemplate')(n, c, {}) }\n",
		"lib/plain.jsonnet": "{ a: 1 }\n",
	})
	seen := map[string]bool{}
	for _, tc := range []struct {
		files []string
		want  bool
	}{
		{[]string{"lib/plain.jsonnet"}, false},
		{[]string{"lib/plain.jsonnet", "lib/k.libsonnet"}, true},
		{[]string{"lib/h.libsonnet"}, true},
		{[]string{"lib/gone.jsonnet"}, false},
		// A chart's directory listing (jsonnet.DirRead) is a directory, not a file to read.
		{[]string{"lib/", "lib/plain.jsonnet"}, false},
		{[]string{"lib/", "lib/h.libsonnet"}, true},
	} {
		got, err := CallsFileNatives(root, tc.files, seen)
		if err != nil || got != tc.want {
			t.Errorf("CallsFileNatives(%v) = %v, %v; want %v", tc.files, got, err, tc.want)
		}
	}
	if !seen["lib/k.libsonnet"] || seen["lib/plain.jsonnet"] {
		t.Errorf("memo = %v", seen)
	}
}
