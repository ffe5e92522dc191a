package testfs

import (
	"os"
	"path/filepath"
	"testing"
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
