package cache

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestMemoMaps: memo files are mapped while the budget lasts and read after it; either way the
// content is the file's, an empty file is read, and a missing one is an error.
func TestMemoMaps(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) (string, []byte) {
		data := bytes.Repeat([]byte{name[0]}, size)
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p, data
	}
	offered := mappingOffered(t, dir)
	m := &memoMaps{budget: 10 << 10}
	read := func(p string, want []byte, wantMapped int64) {
		t.Helper()
		got, err := m.read(p)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read %s = %d bytes, %v; want its %d bytes", filepath.Base(p), len(got), err, len(want))
		}
		if !offered {
			wantMapped = 0
		}
		if m.mapped != wantMapped {
			t.Errorf("after %s: %d bytes mapped, want %d", filepath.Base(p), m.mapped, wantMapped)
		}
	}
	small, smallData := write("small", 6<<10)
	read(small, smallData, 6<<10)
	large, largeData := write("large", 5<<10)
	read(large, largeData, 6<<10) // beyond the budget: read
	fits, fitsData := write("fits", 4<<10)
	read(fits, fitsData, 10<<10)
	empty, _ := write("empty", 0)
	read(empty, []byte{}, 10<<10)
	if _, err := m.read(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("read of a missing file: %v, want fs.ErrNotExist", err)
	}

	// A mapping survives the file's removal and its replacement by a rename, as pruning and
	// storing do to cache files.
	m = &memoMaps{budget: memoMapBudget}
	got, err := m.read(small)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(fits, small); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(small); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, smallData) {
		t.Error("a mapped memo changed when its file was replaced and removed")
	}
}

// mappingOffered reports whether mapFile maps files on this system.
func mappingOffered(t *testing.T, dir string) bool {
	t.Helper()
	p := filepath.Join(dir, "probe")
	if err := os.WriteFile(p, []byte("probe"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	_, err = mapFile(f, 5)
	if err != nil && !errors.Is(err, errors.ErrUnsupported) {
		t.Fatalf("mapFile: %v", err)
	}
	return err == nil
}
