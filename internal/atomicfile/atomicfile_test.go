package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "out.json")
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	if err := Write(p, Options{Perm: 0o644, Sync: true}, write("one")); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := Write(p, Options{Perm: 0o644}, func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("failed write returned %v, want boom", err)
	}
	got, err := os.ReadFile(p)
	if err != nil || string(got) != "one" {
		t.Fatalf("after a failed write the file holds %q (%v), want the old content", got, err)
	}
	info, err := os.Stat(p)
	if err != nil || info.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v (%v), want 0644", info.Mode(), err)
	}
	if err := Write(filepath.Join(dir, "private"), Options{Temp: ".tmp-*"}, write("x")); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(filepath.Join(dir, "private")); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v (%v), want the 0600 of a staged file", info.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Fatalf("staged files left behind: %v", entries)
	}
	err = Write(filepath.Join(dir, "missing", "x"), Options{}, write("x"))
	var pe *os.PathError
	if !errors.As(err, &pe) || pe.Op != "open" {
		t.Fatalf("write into a missing directory: %v, want the *fs.PathError of open", err)
	}
}

func TestWriteIn(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	for _, content := range []string{"old", "new"} {
		if err := WriteIn(root, "a/b/c.yaml", []byte(content), Options{Temp: ".c.yaml.kforge-tmp-*", Perm: 0o644, Sync: true}); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := os.ReadFile(filepath.Join(dir, "a/b/c.yaml")); err != nil || string(got) != "new" {
		t.Fatalf("got %q (%v)", got, err)
	}
	for _, d := range []string{"a", "a/b"} {
		if info, err := os.Stat(filepath.Join(dir, d)); err != nil || info.Mode().Perm() != 0o755 {
			t.Fatalf("%s: mode %v (%v), want 0755", d, info.Mode(), err)
		}
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "a/b"))
	if len(entries) != 1 {
		t.Fatalf("staged files left behind: %v", entries)
	}
	err = CreateIn(root, "a/b/c.yaml", []byte("x"), Options{})
	if err == nil || !strings.HasPrefix(err.Error(), "create a/b/c.yaml: ") || strings.Contains(err.Error(), dir) {
		t.Fatalf("CreateIn over an existing file: %v, want an error naming a/b/c.yaml only", err)
	}
	if err := SyncDirIn(root, "a"); err != nil {
		t.Fatal(err)
	}
	if err := SyncDir(dir); err != nil {
		t.Fatal(err)
	}
	if err := SyncDirIn(root, "gone"); err == nil || strings.Contains(err.Error(), dir) {
		t.Fatalf("SyncDirIn of a missing directory: %v", err)
	}
}
