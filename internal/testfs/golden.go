package testfs

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/pmezard/go-difflib/difflib"
)

// update is the -update flag of every test binary that imports testfs: golden files are
// rewritten from what the tests produce instead of compared with it. It is the one flag of
// its name; test packages ask Updating rather than define their own.
var update = flag.Bool("update", false, "rewrite golden files from what the tests produce instead of comparing with them")

// Updating reports whether the test binary runs with -update.
func Updating() bool { return *update }

// Golden compares got with the golden file at path and fails the test with a unified diff
// when they differ. With -update it writes got to path instead (creating its directory), and
// only when the content changed, so an unchanged file keeps its modification time.
func Golden(t testing.TB, path string, got []byte) {
	t.Helper()
	want, err := os.ReadFile(path)
	if *update {
		if err == nil && bytes.Equal(want, got) {
			return
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err != nil {
		t.Fatalf("read golden file: %v (go test -update creates it)", err)
	}
	if !bytes.Equal(want, got) {
		diff, derr := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: difflib.SplitLines(string(want)), B: difflib.SplitLines(string(got)),
			FromFile: path, ToFile: "got", Context: 3,
		})
		if derr != nil {
			diff = "got:\n" + string(got)
		}
		t.Errorf("output differs from %s (go test -update rewrites it; review the diff):\n%s", path, diff)
	}
}
