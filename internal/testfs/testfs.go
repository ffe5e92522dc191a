// Package testfs holds the file helpers of tests: copies of testdata repositories that a test
// may change, files written from strings, and golden files compared (or, with the -update
// flag it defines, rewritten) by Golden. Only _test.go files import it.
package testfs

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Copy copies the directory tree src (directories 0755, files 0644; symlinks and special files
// are not expected) into a new temporary directory and returns the copy's absolute path with
// symlinks resolved, so that it compares equal to paths kforge resolves itself.
func Copy(t testing.TB, src string) string {
	t.Helper()
	dst, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dst = filepath.Join(dst, filepath.Base(src))
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
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
		t.Fatalf("copy %s: %v", src, err)
	}
	return dst
}

// WriteFile writes content to the slash path rel below root, creating its directories.
func WriteFile(t testing.TB, root, rel, content string) {
	t.Helper()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// WriteFiles writes every file of files (slash path below root to content).
func WriteFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		WriteFile(t, root, rel, content)
	}
}
