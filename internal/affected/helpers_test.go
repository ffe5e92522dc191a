package affected

import (
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

// copyRepo copies the miniature repository testdata/repo to a temporary directory, so a test
// may change it, and returns the copy's absolute path with symlinks resolved.
func copyRepo(t *testing.T) string {
	t.Helper()
	return testfs.Copy(t, filepath.Join("testdata", "repo"))
}

// envJPath is the project's import path for an environment directory with the default layout
// (project.Project.JPath).
func envJPath(dir string) []string {
	return []string{dir, "lib", dir + "/vendor", "vendor"}
}

// evaluate renders the repository-relative file with a fresh VM, failing the test on an error.
func evaluate(t *testing.T, opts jsonnet.Options, file string) jsonnet.Result {
	t.Helper()
	vm, err := jsonnet.NewVM(opts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := vm.EvaluateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return res
}
