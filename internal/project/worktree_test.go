package project

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPathPrefix(t *testing.T) {
	top := t.TempDir()
	deploy := filepath.Join(top, "deploy", "k8s")
	if err := os.MkdirAll(deploy, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := PathPrefix(deploy); got != "" {
		t.Errorf("outside a work tree: PathPrefix = %q, want empty", got)
	}
	// A linked work tree or submodule has a .git file.
	if err := os.WriteFile(filepath.Join(top, ".git"), []byte("gitdir: /elsewhere\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := PathPrefix(deploy); got != "deploy/k8s" {
		t.Errorf("PathPrefix = %q, want deploy/k8s", got)
	}
	if got := PathPrefix(top); got != "" {
		t.Errorf("at the work tree's root: PathPrefix = %q, want empty", got)
	}
	// The nearest .git wins (a nested repository).
	if err := os.Mkdir(filepath.Join(top, "deploy", ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got := PathPrefix(deploy); got != "k8s" {
		t.Errorf("nested repository: PathPrefix = %q, want k8s", got)
	}
}
