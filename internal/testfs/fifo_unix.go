//go:build unix

package testfs

import (
	"syscall"
	"testing"
)

// Mkfifo creates a named pipe at path: a file every reader of repository files must refuse,
// since reading it blocks until another process writes.
func Mkfifo(t testing.TB, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
}
