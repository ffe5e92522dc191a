package golden

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// manifestYAML returns the YAML of a simple manifest as the canonical encoder writes it.
func manifestYAML(apiVersion, kind, namespace, name string, extra string) []byte {
	s := "apiVersion: " + apiVersion + "\nkind: " + kind + "\nmetadata:\n  name: " + name + "\n"
	if namespace != "" {
		s += "  namespace: " + namespace + "\n"
	}
	return []byte(s + extra)
}

// deployment is a File for a Deployment in namespace apps.
func deployment(name, image string) File {
	return File{
		Path:     "apps/deployment-" + name + ".yaml",
		Content:  manifestYAML("apps/v1", "Deployment", "apps", name, "spec:\n  template:\n    spec:\n      containers:\n      - image: "+image+"\n        name: app\n"),
		Resource: "apps/Deployment/apps/" + name,
		Kind:     "Deployment",
	}
}

// readTree returns every regular file below dir as slash path → content (symbolic links as
// "symlink to <target>") and fails the test on special files.
func readTree(t *testing.T, dir string) map[string]string {
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

// filesMap turns files into path → content.
func filesMap(files []File) map[string]string {
	out := map[string]string{}
	for _, f := range files {
		out[f.Path] = string(f.Content)
	}
	return out
}

// listNames returns the sorted names in dir.
func listNames(t *testing.T, dir string) []string {
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

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func keys(m map[string]string) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}
