//go:build unix

package jsonnet

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestSandboxRejectsSpecialFilesInsideRoot(t *testing.T) {
	root := copyTree(t, "repo")
	if err := syscall.Mkfifo(filepath.Join(root, "lib", "pipe"), 0o644); err != nil {
		t.Skipf("cannot create a fifo here: %v", err)
	}
	vm := newTestVM(t, Options{Root: root, JPath: []string{"lib"}})
	// Reading a fifo would block; the importer must refuse it without opening it.
	_, err := vm.EvaluateSnippet("environments/a/x.jsonnet", "\n  importstr 'pipe'")
	e := asError(t, err)
	want := `environments/a/x.jsonnet:2:3: import "pipe": lib/pipe is not a regular file`
	if first, _, _ := strings.Cut(e.Error(), "\n"); e.Kind != KindSandbox || first != want {
		t.Errorf("got %s error %q, want sandbox error %q", e.Kind, first, want)
	}
}
