package testfs

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestCopyAndWrite(t *testing.T) {
	src := t.TempDir()
	WriteFiles(t, src, map[string]string{"a.txt": "a", "dir/sub/b.txt": "b"})
	dst := Copy(t, src)
	if dst == src {
		t.Fatal("Copy returned the source")
	}
	if resolved, err := filepath.EvalSymlinks(dst); err != nil || resolved != dst {
		t.Errorf("Copy returned %s, which resolves to %s (%v)", dst, resolved, err)
	}
	for rel, want := range map[string]string{"a.txt": "a", "dir/sub/b.txt": "b"} {
		got, err := os.ReadFile(filepath.Join(dst, filepath.FromSlash(rel)))
		if err != nil || string(got) != want {
			t.Errorf("%s = %q, %v; want %q", rel, got, err, want)
		}
	}
	// The copy is independent of the source.
	WriteFile(t, dst, "a.txt", "changed")
	if got, _ := os.ReadFile(filepath.Join(src, "a.txt")); string(got) != "a" {
		t.Errorf("writing the copy changed the source: %q", got)
	}
}

func TestGolden(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "out.txt")
	set := func(v bool) { *update = v }
	t.Cleanup(func() { set(false) })

	set(true)
	Golden(t, path, []byte("one\n"))
	if got, err := os.ReadFile(path); err != nil || string(got) != "one\n" {
		t.Fatalf("-update wrote %q, %v", got, err)
	}
	// An unchanged file is not rewritten.
	old := time.Unix(1, 0)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	Golden(t, path, []byte("one\n"))
	if info, err := os.Stat(path); err != nil || !info.ModTime().Equal(old) {
		t.Errorf("-update rewrote an unchanged file: %v", err)
	}

	set(false)
	Golden(t, path, []byte("one\n")) // equal: passes
}
