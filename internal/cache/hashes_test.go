package cache

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/testfs"
)

// TestFileHashes checks the remembered hashes: a settled file is read once, and every change
// that git would see (content with a new time, a replaced file with the old time) is hashed again;
// a file changed within the settle time is never remembered.
func TestFileHashes(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFile(t, root, "lib/a.libsonnet", "{ a: 1 }\n")
	p := filepath.Join(root, "lib", "a.libsonnet")
	old := time.Now().Add(-time.Hour)
	settle := func() {
		t.Helper()
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	settle()
	var h fileHashes
	first, err := h.hash(root, "lib/a.libsonnet")
	if err != nil {
		t.Fatal(err)
	}
	if first != sha256Hex([]byte("{ a: 1 }\n")) {
		t.Fatalf("hash %s is not the content's", first)
	}
	if _, ok := h.byPath[p]; !ok {
		t.Fatal("a settled file's hash was not remembered")
	}

	// Same size, new content and a new time: hashed again.
	testfs.WriteFile(t, root, "lib/a.libsonnet", "{ a: 2 }\n")
	if got, _ := h.hash(root, "lib/a.libsonnet"); got != sha256Hex([]byte("{ a: 2 }\n")) {
		t.Errorf("a changed file kept its old hash")
	}
	if _, ok := h.byPath[p]; ok && time.Since(time.Unix(0, h.byPath[p].ModTime)) < settleTime {
		t.Error("a file modified just now was remembered")
	}

	// Replaced by a rename with the old size and time: another inode, hashed again.
	settle()
	if _, err := h.hash(root, "lib/a.libsonnet"); err != nil {
		t.Fatal(err)
	}
	testfs.WriteFile(t, root, "lib/b.tmp", "{ a: 3 }\n")
	tmp := filepath.Join(root, "lib", "b.tmp")
	if err := os.Chtimes(tmp, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := h.hash(root, "lib/a.libsonnet"); got != sha256Hex([]byte("{ a: 3 }\n")) && identityOf(mustStat(t, p)) != (fileIdentity{}) {
		t.Errorf("a file replaced by a rename kept the old file's hash")
	}

	// A file that is gone is an error.
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if _, err := h.hash(root, "lib/a.libsonnet"); err == nil {
		t.Error("a removed file still has a hash")
	}
}

func mustStat(t *testing.T, p string) os.FileInfo {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info
}

// TestFileHashesPersisted checks that remembered hashes survive into another run through the
// hashes file, and that a file changed since is hashed again.
func TestFileHashesPersisted(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFile(t, root, "lib/a.libsonnet", "{ a: 1 }\n")
	p := filepath.Join(root, "lib", "a.libsonnet")
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "file-hashes")
	first := &fileHashes{file: file}
	if _, err := first.hash(root, "lib/a.libsonnet"); err != nil {
		t.Fatal(err)
	}
	first.save()

	second := &fileHashes{file: file}
	second.mu.Lock()
	second.load()
	known, ok := second.byPath[p]
	second.mu.Unlock()
	if !ok || known.Sum != sha256Hex([]byte("{ a: 1 }\n")) {
		t.Fatalf("the next run does not remember the hash: %+v, %v", known, ok)
	}
	// A remembered sum that no longer matches the content shows whether the file was read.
	second.byPath[p] = hashedFile{Size: known.Size, ModTime: known.ModTime, Sys: known.Sys, Sum: "remembered"}
	if got, _ := second.hash(root, "lib/a.libsonnet"); got != "remembered" {
		t.Fatalf("an unchanged file was hashed again: %s", got)
	}
	// Same size and modification time, new content: the change time (Linux) or the rewrite
	// tells it apart.
	testfs.WriteFile(t, root, "lib/a.libsonnet", "{ a: 2 }\n")
	if err := os.Chtimes(p, old, old); err != nil {
		t.Fatal(err)
	}
	if got, _ := second.hash(root, "lib/a.libsonnet"); got == "remembered" && runtime.GOOS == "linux" {
		t.Fatal("a rewritten file with its old size and modification time kept its remembered hash")
	}

	// A file of another format is ignored.
	if err := os.WriteFile(file, []byte("not gob"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := &fileHashes{file: file}
	third.mu.Lock()
	third.load()
	third.mu.Unlock()
	if len(third.byPath) != 0 {
		t.Fatalf("a corrupt hashes file was used: %v", third.byPath)
	}
}
