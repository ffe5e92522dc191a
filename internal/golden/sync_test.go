package golden

import (
	"os"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// TestSyncEach covers the fsync-per-file path (other systems, and Linux where syncfs is refused):
// every file and directory is opened and synced, and a file that cannot be is named.
func TestSyncEach(t *testing.T) {
	dir := t.TempDir()
	testfs.WriteFiles(t, dir, map[string]string{"apps/a.yaml": "a: 1\n", "b.yaml": "b: 1\n"})
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	if err := syncEach(root, []string{"apps/a.yaml", "b.yaml"}, []string{"apps", "."}); err != nil {
		t.Fatalf("syncEach: %v", err)
	}
	err = syncEach(root, []string{"gone.yaml"}, nil)
	if err == nil || !strings.Contains(err.Error(), "sync gone.yaml") || strings.Contains(err.Error(), dir) {
		t.Errorf("got %v, want an error naming gone.yaml without the absolute path", err)
	}
}

// TestTreeSyncer syncs a written tree the way writeTree does.
func TestTreeSyncer(t *testing.T) {
	dir := t.TempDir()
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = root.Close() }()
	s, err := newTreeSyncer(root)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	testfs.WriteFiles(t, dir, map[string]string{"x/y.yaml": "y: 1\n"})
	if err := s.sync(root, []string{"x/y.yaml"}, []string{"x", "."}); err != nil {
		t.Fatalf("sync: %v", err)
	}
}
