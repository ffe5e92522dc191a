package lib

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-jsonnet"

	kjsonnet "github.com/kforge/kforge/internal/jsonnet"
)

// repoImporter resolves imports as kforge does (the importing file's directory first, then the
// import path in order: kjsonnet.SearchImport), reads only inside the repository root and
// names every file by its repository-relative path, so error messages and stack traces are
// repository-relative. go-jsonnet requires the same Contents for the same path every time: the
// importer caches them.
type repoImporter struct {
	root  string
	jpath []string
	cache map[string]jsonnet.Contents
}

func newImporter(root string, jpath ...string) *repoImporter {
	return &repoImporter{root: root, jpath: jpath, cache: map[string]jsonnet.Contents{}}
}

// Import implements jsonnet.Importer with kforge's import search (kjsonnet.SearchImport).
func (im *repoImporter) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	var contents jsonnet.Contents
	found, dirs, err := kjsonnet.SearchImport(path.Dir(importedFrom), importedPath, im.jpath, func(rel string) (bool, error) {
		if c, ok := im.cache[rel]; ok {
			contents = c
			return true, nil
		}
		data, err := os.ReadFile(filepath.Join(im.root, filepath.FromSlash(rel)))
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("read %s: %w", rel, err)
		}
		contents = jsonnet.MakeContentsRaw(data)
		im.cache[rel] = contents
		return true, nil
	})
	if err != nil {
		return jsonnet.Contents{}, "", err
	}
	if found == "" {
		return jsonnet.Contents{}, "", fmt.Errorf("import %s from %s: not found in %s", importedPath, importedFrom, strings.Join(dirs, ", "))
	}
	return contents, found, nil
}

// repoRoot is the repository root: the nearest parent directory holding go.mod.
func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatalf("get working directory: %v", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("find repository root: no go.mod above the test directory")
		}
		dir = parent
	}
}

// newVM returns a VM whose import path is jpath (repository-relative).
func newVM(root string, jpath ...string) *jsonnet.VM {
	vm := jsonnet.MakeVM()
	vm.Importer(newImporter(root, jpath...))
	return vm
}

// evaluateFile evaluates a repository-relative Jsonnet file. Its imports search its own
// directory first, then jpath.
func evaluateFile(root, file string, jpath ...string) (string, error) {
	return newVM(root, jpath...).EvaluateFile(file)
}

// evaluateEnv evaluates environments/<env>/main.jsonnet with Tanka's import path.
func evaluateEnv(t testing.TB, root, env string) any {
	t.Helper()
	dir := "environments/" + env
	out, err := evaluateFile(root, dir+"/main.jsonnet", dir, "lib", "vendor-jsonnet")
	if err != nil {
		t.Fatalf("evaluate %s: %v", dir, err)
	}
	return decode(t, out)
}

func decode(t testing.TB, out string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(out)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode output: %v", err)
	}
	return v
}

// manifest is one rendered object and its JSON path in the output tree.
type manifest struct {
	Path   string
	Object map[string]any
}

func (m manifest) kind() string { return str(m.Object, "kind") }
func (m manifest) name() string { return str(m.Object, "metadata", "name") }
func (m manifest) namespace() string {
	return str(m.Object, "metadata", "namespace")
}

// manifests walks the output tree like Tanka: an object with string apiVersion and kind is a
// manifest; other objects are walked in key order (null values skipped), arrays by index; any
// other leaf is an error.
func manifests(t testing.TB, tree any) []manifest {
	t.Helper()
	var out []manifest
	var walk func(p string, v any)
	walk = func(p string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["apiVersion"].(string); ok {
				if _, ok := v["kind"].(string); ok {
					out = append(out, manifest{Path: p, Object: v})
					return
				}
			}
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				if v[k] != nil {
					walk(p+"."+k, v[k])
				}
			}
		case []any:
			for i, e := range v {
				walk(fmt.Sprintf("%s[%d]", p, i), e)
			}
		default:
			t.Errorf("%s: leaf %v is not a manifest", p, v)
		}
	}
	walk("", tree)
	return out
}

// find returns the manifest of a kind and name (and namespace when not empty).
func find(t testing.TB, ms []manifest, kind, namespace, name string) map[string]any {
	t.Helper()
	for _, m := range ms {
		if m.kind() == kind && m.name() == name && (namespace == "" || m.namespace() == namespace) {
			return m.Object
		}
	}
	t.Fatalf("no %s %s/%s rendered", kind, namespace, name)
	return nil
}

// get follows a path of object keys and array indexes through decoded JSON.
func get(v any, keys ...any) any {
	for _, k := range keys {
		switch k := k.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			a, ok := v.([]any)
			if !ok || k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}

// str returns the string at a path ("" when there is none).
func str(v any, keys ...any) string {
	s, _ := get(v, keys...).(string)
	return s
}

// num returns a JSON number as a float64 (NaN-free: a missing number fails the test).
func num(t testing.TB, v any, keys ...any) float64 {
	t.Helper()
	n, ok := get(v, keys...).(json.Number)
	if !ok {
		t.Fatalf("no number at %v", keys)
	}
	f, err := n.Float64()
	if err != nil {
		t.Fatalf("number at %v: %v", keys, err)
	}
	return f
}

// jsonnetFiles lists the repository-relative Jsonnet files of the directories.
func jsonnetFiles(t testing.TB, root string, dirs ...string) []string {
	t.Helper()
	var files []string
	for _, dir := range dirs {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(p, ".jsonnet") || strings.HasSuffix(p, ".libsonnet")) {
				rel, err := filepath.Rel(root, p)
				if err != nil {
					return err
				}
				files = append(files, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("list Jsonnet files of %s: %v", dir, err)
		}
	}
	sort.Strings(files)
	return files
}
