// Package goldentest holds the fixtures and tree helpers shared by the tests of the golden
// store, drift, export and their printers: manifests as the canonical encoder writes them, and
// directory trees read back as maps.
package goldentest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// ManifestYAML returns the YAML of a simple manifest as the canonical encoder writes it, with
// extra appended.
func ManifestYAML(apiVersion, kind, namespace, name string, extra string) []byte {
	s := "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
	if namespace != "" {
		s += "  namespace: " + namespace + "\n"
	}
	return []byte(s + extra)
}

// Deployment returns the golden file path, resource identity and content of a Deployment name
// in namespace apps running image.
func Deployment(name, image string) (path, resource string, content []byte) {
	return "apps/deployment-" + name + ".yaml", "apps/Deployment/apps/" + name,
		ManifestYAML("apps/v1", "Deployment", "apps", name, "spec:\n  template:\n    spec:\n      containers:\n      - image: "+image+"\n        name: app\n")
}

// Fixture is one golden file of a generated environment.
type Fixture struct {
	// Path, Resource and Kind are as in golden.File.
	Path, Resource, Kind string
	// Content is the file's canonical YAML.
	Content []byte
}

// ConfigMaps returns an environment of n ConfigMaps of about 40 lines each, spread over three
// namespaces, for benchmarks.
func ConfigMaps(n int) []Fixture {
	out := make([]Fixture, 0, n)
	for i := range n {
		ns := []string{"apps", "data", "observability"}[i%3]
		name := fmt.Sprintf("svc-%03d", i)
		extra := "data:\n  config.yaml: |\n"
		for j := range 40 {
			extra += fmt.Sprintf("    key%02d: value %d of %s\n", j, j, name)
		}
		out = append(out, Fixture{
			Path:     ns + "/configmap-" + name + ".yaml",
			Content:  ManifestYAML("v1", "ConfigMap", ns, name, extra),
			Resource: "core/ConfigMap/" + ns + "/" + name,
			Kind:     "ConfigMap",
		})
	}
	return out
}

// NewRepo makes a repository root whose golden/prod holds files (path → content); nil files
// leave golden/prod missing.
func NewRepo(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	if files != nil {
		if err := os.MkdirAll(filepath.Join(root, "golden", "prod"), 0o755); err != nil {
			t.Fatal(err)
		}
		testfs.WriteFiles(t, filepath.Join(root, "golden", "prod"), files)
	}
	return root
}

// ReadTree returns every regular file below dir as slash path → content (symbolic links as
// "symlink to <target>") and fails the test on special files.
func ReadTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			out[filepath.ToSlash(rel)] = "symlink to " + target
			return nil
		}
		if !d.Type().IsRegular() {
			t.Fatalf("unexpected non-regular entry %s", rel)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// ListNames returns the sorted names in dir.
func ListNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	return names
}

// Keys returns the sorted keys of m, comma-separated.
func Keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

// CheckModes fails when a file below dir is not 0644 or a directory not 0755, the modes of
// everything kforge writes.
func CheckModes(t *testing.T, dir string) {
	t.Helper()
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := fs.FileMode(0o644)
		if info.IsDir() {
			want = 0o755
		}
		if info.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
