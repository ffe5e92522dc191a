package golden

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// openDirFiles opens dir through a root, the way the walker does, and returns its reader.
func openDirFiles(t *testing.T, dir string) dirFiles {
	t.Helper()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = root.Close() })
	d, err := root.Open(".")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = d.Close() })
	df, err := newDirFiles(d, root, ".")
	if err != nil {
		t.Fatal(err)
	}
	return df
}

func TestDirFilesRead(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("kind: A\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "empty.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	// Larger than the first read's buffer would be if the size were misjudged.
	long := strings.Repeat("x", 3*4096+17)
	if err := os.WriteFile(filepath.Join(dir, "long.yaml"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(big, MaxFileSize+1); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "sub.yaml"), 0o755); err != nil {
		t.Fatal(err)
	}
	df := openDirFiles(t, dir)

	for _, tc := range []struct {
		name, want string
		perm       fs.FileMode
	}{
		{"a.yaml", "kind: A\n", 0o600},
		{"empty.yaml", "", 0o644},
		{"long.yaml", long, 0o644},
	} {
		content, perm, err := df.read(tc.name)
		if err != nil {
			t.Fatalf("read %s: %v", tc.name, err)
		}
		if string(content) != tc.want || perm != tc.perm {
			t.Errorf("read %s = %d bytes, mode %v; want %d bytes, mode %v", tc.name, len(content), perm, len(tc.want), tc.perm)
		}
	}
	for _, tc := range []struct{ name, want string }{
		{"big.yaml", "file too large"},
		{"sub.yaml", "not a regular file"},
		{"missing.yaml", "open: "},
	} {
		_, _, err := df.read(tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("read %s: err = %v, want %q", tc.name, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), dir) {
			t.Errorf("read %s: err = %v names the absolute path", tc.name, err)
		}
	}
	if _, _, err := df.read("missing.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v, want fs.ErrNotExist", err)
	}
}

func TestDirFilesList(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.yaml", "a.yaml", ".hidden"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	df := openDirFiles(t, dir)
	got, err := df.list()
	if err != nil {
		t.Fatal(err)
	}
	want := []dirEntry{
		{name: ".hidden", typ: 0},
		{name: "a.yaml", typ: 0},
		{name: "b.yaml", typ: 0},
		{name: "link.yaml", typ: fs.ModeSymlink},
		{name: "sub", typ: fs.ModeDir},
	}
	if len(got) != len(want) {
		t.Fatalf("list = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if perm, err := df.dirPerm("sub"); err != nil || perm != 0o700 {
		t.Errorf("dirPerm(sub) = %v, %v; want 0700", perm, err)
	}
	if _, err := df.dirPerm("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("dirPerm(missing) err = %v, want not exist", err)
	}
}

// A directory whose listing does not fit in one read of the directory is listed whole.
func TestDirFilesListLarge(t *testing.T) {
	dir := t.TempDir()
	const n = 1200 // names of 60 bytes: about 96 KiB of directory records
	for i := n - 1; i >= 0; i-- {
		name := fmt.Sprintf("%04d-%s.yaml", i, strings.Repeat("n", 50))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := openDirFiles(t, dir).list()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != n {
		t.Fatalf("listed %d entries, want %d", len(got), n)
	}
	for i, e := range got {
		if want := fmt.Sprintf("%04d-%s.yaml", i, strings.Repeat("n", 50)); e.name != want || e.typ != 0 {
			t.Fatalf("entry %d = %+v, want regular file %s", i, e, want)
		}
	}
}
