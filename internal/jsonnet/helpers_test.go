package jsonnet

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// testdataRoot returns the absolute path of testdata/<name>.
func testdataRoot(t *testing.T, name string) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// tankaJPath is the jpath Tanka uses for an environment whose base is base.
func tankaJPath(base string) []string {
	return []string{base, "lib", base + "/vendor", "vendor"}
}

// newTestVM builds a VM or fails the test.
func newTestVM(t *testing.T, opts Options) *VM {
	t.Helper()
	vm, err := NewVM(opts)
	if err != nil {
		t.Fatalf("NewVM: %v", err)
	}
	return vm
}

// copyTree copies testdata/<name> into a fresh temporary directory and returns its path, so
// a test can add symlinks and special files that git does not keep portably.
func copyTree(t *testing.T, name string) string {
	t.Helper()
	src := testdataRoot(t, name)
	dst := filepath.Join(t.TempDir(), "repo")
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// writeFile creates a file (and its directories) under root.
func writeFile(t *testing.T, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// asError asserts err is a *Error.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		t.Fatal("expected an error, got nil")
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("expected *Error, got %T: %v", err, err)
	}
	return e
}

// decodeJSON decodes s or fails the test.
func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return v
}

// assertJSON compares a JSON document with the JSON text want, ignoring formatting.
func assertJSON(t *testing.T, got, want string) {
	t.Helper()
	if g, w := decodeJSON(t, got), decodeJSON(t, want); !reflect.DeepEqual(g, w) {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", got, want)
	}
}
