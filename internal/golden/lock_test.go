package golden

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kforge/kforge/internal/golden/goldentest"
)

func TestLocks(t *testing.T) {
	kinds := []struct {
		name    string
		acquire func(dir string, timeout time.Duration) (*fileLock, error)
	}{
		{"platform", acquireLock},
		{"excl", func(dir string, timeout time.Duration) (*fileLock, error) {
			return exclLock(filepath.Join(dir, lockName), timeout, time.Hour)
		}},
	}
	for _, k := range kinds {
		t.Run(k.name+"/mutual exclusion", func(t *testing.T) {
			dir := t.TempDir()
			var inside, maxInside atomic.Int32
			var wg sync.WaitGroup
			for range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for range 20 {
						l, err := k.acquire(dir, time.Minute)
						if err != nil {
							t.Error(err)
							return
						}
						n := inside.Add(1)
						if n > maxInside.Load() {
							maxInside.Store(n)
						}
						time.Sleep(100 * time.Microsecond)
						inside.Add(-1)
						l.release()
					}
				}()
			}
			wg.Wait()
			if maxInside.Load() != 1 {
				t.Errorf("%d holders at once", maxInside.Load())
			}
			if names := goldentest.ListNames(t, dir); len(names) != 0 {
				t.Errorf("lock file left behind: %v", names)
			}
		})
		t.Run(k.name+"/timeout", func(t *testing.T) {
			dir := t.TempDir()
			l, err := k.acquire(dir, time.Second)
			if err != nil {
				t.Fatal(err)
			}
			defer l.release()
			if _, err := k.acquire(dir, 20*time.Millisecond); !errors.Is(err, errLockBusy) {
				t.Errorf("second acquire = %v, want errLockBusy", err)
			}
		})
	}
}

func TestExclLockTakesOverStaleLock(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, lockName)
	if err := os.WriteFile(path, []byte("12345\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	l, err := exclLock(path, 50*time.Millisecond, time.Minute)
	if err != nil {
		t.Fatalf("stale lock not taken over: %v", err)
	}
	l.release()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock file left behind: %v", err)
	}
}

func TestReadWithoutLockOnReadOnlyParent(t *testing.T) {
	if os.Geteuid() == 0 {
		// root ignores directory permissions; use a parent that does not exist instead.
		tree, err := ReadDir(Target{Root: t.TempDir(), Dir: "golden/prod"})
		if err != nil || len(tree.Files) != 0 {
			t.Fatalf("ReadDir of a missing directory = %v, %v", tree, err)
		}
		return
	}
	root, tgt := newRepo(t, filesMap([]File{deployment("web", "web:1")}))
	golden := filepath.Join(root, "golden")
	if err := os.Chmod(golden, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := os.Chmod(golden, 0o755); err != nil {
			t.Error(err)
		}
	})
	tree, err := ReadDir(tgt)
	if err != nil || len(tree.Files) != 1 {
		t.Fatalf("ReadDir in a read-only golden/ = %v, %v", tree, err)
	}
}
