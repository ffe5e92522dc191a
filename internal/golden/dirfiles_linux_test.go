//go:build linux

package golden

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A FIFO that replaced a listed file is refused at once: opening it for reading would
// otherwise wait for a writer forever.
func TestDirFilesReadFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	_, _, err := openDirFiles(t, dir).read("pipe.yaml")
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v, want not a regular file", err)
	}
}

// A symbolic link that replaced a listed file is not followed.
func TestDirFilesReadSymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("kind: A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	_, _, err := openDirFiles(t, dir).read("link.yaml")
	if !errors.Is(err, syscall.ELOOP) || !strings.HasPrefix(err.Error(), "open: ") {
		t.Fatalf("err = %v, want open: ELOOP", err)
	}
}
