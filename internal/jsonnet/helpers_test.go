package jsonnet

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/kforge/kforge/internal/environment"
	"github.com/kforge/kforge/internal/project"
	"github.com/kforge/kforge/internal/testfs"
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
	return testfs.Copy(t, testdataRoot(t, name))
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

// referenceEnvironments finds the repository this package lives in and lists its environments
// as the pipeline does, evaluating inline candidates with a fresh VM.
func referenceEnvironments(t *testing.T) (*project.Project, []environment.Environment) {
	t.Helper()
	start, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	p, err := project.Find(start)
	if err != nil {
		t.Fatal(err)
	}
	eval := func(entrypoint string) ([]byte, error) {
		base, _, err := p.Entrypoint(p.Abs(entrypoint))
		if err != nil {
			return nil, err
		}
		res, err := freshEval(Options{Root: p.Root, JPath: p.JPath(base)}, entrypoint, "")
		return []byte(res.JSON), err
	}
	envs, err := environment.List(p, p.Config.Environments, eval)
	if err != nil {
		t.Fatal(err)
	}
	if len(envs) == 0 {
		t.Fatal("no environments found")
	}
	return p, envs
}
