package cache

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

const envDir = "environments/prod"

// copyRepo copies testdata/repo to a temporary directory and returns its absolute path with
// symlinks resolved.
func copyRepo(t testing.TB) string {
	t.Helper()
	return testfs.Copy(t, filepath.Join("testdata", "repo"))
}

// readFile reads a repository-relative file under root.
func readFile(t testing.TB, root, rel string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// baseInputs are the inputs of the test environment, as the pipeline would build them.
func baseInputs(t testing.TB, root string) Inputs {
	t.Helper()
	return Inputs{
		Environment: envDir,
		Entrypoint:  envDir + "/main.jsonnet",
		Options: jsonnet.Options{
			Root:  root,
			JPath: []string{envDir, "lib", envDir + "/vendor", "vendor"},
			TkEnv: []byte(`{"env":{"metadata":{"name":"environments/prod"}}}`),
		},
		Spec:           []byte(readFile(t, root, envDir+"/spec.json")),
		KforgeVersion:  "v1.0.0 go:test",
		JsonnetVersion: JsonnetVersion(),
		Format:         "jsonnet-output/1",
	}
}

// render evaluates the environment described by in, as the pipeline does on a miss.
func render(t testing.TB, in Inputs) Entry {
	t.Helper()
	vm, err := jsonnet.NewVM(in.Options)
	if err != nil {
		t.Fatal(err)
	}
	res, err := vm.EvaluateFile(in.Entrypoint)
	if err != nil {
		t.Fatal(err)
	}
	return Entry{Output: []byte(res.JSON), Reads: res.Reads}
}

// openStore opens a Store in a fresh temporary directory.
func openStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}
