package golden

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
)

// TestStagingModesAndUmask stages nested files under several umasks: files are 0644 and
// directories 0755 whatever the umask, and Commit puts exactly the staged tree in place.
func TestStagingModesAndUmask(t *testing.T) {
	for _, mask := range []int{0o022, 0o077, 0o000, 0o027} {
		t.Run(fmt.Sprintf("umask %03o", mask), func(t *testing.T) {
			old := syscall.Umask(mask)
			defer syscall.Umask(old)
			parent := t.TempDir()
			s, err := Stage(parent, "env")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for i := range 150 {
				// More directories than stagedFiles keeps open: descriptors are closed and reopened.
				p := fmt.Sprintf("ns-%d/sub-%d/file-%d.yaml", i%50, i%3, i)
				want[p] = fmt.Sprintf("kind: X%d\n", i)
				if err := s.Write(File{Path: p, Content: []byte(want[p])}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.Commit(false); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(parent, "env")
			got := goldentest.ReadTree(t, dir)
			if len(got) != len(want) {
				t.Fatalf("committed %d files, want %d", len(got), len(want))
			}
			for p, c := range want {
				if got[p] != c {
					t.Errorf("%s = %q, want %q", p, got[p], c)
				}
			}
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				info, err := d.Info()
				if err != nil {
					return err
				}
				wantMode := FileMode
				if d.IsDir() {
					wantMode = DirMode
				}
				if info.Mode().Perm() != wantMode {
					t.Errorf("%s has mode %v, want %v", p, info.Mode().Perm(), wantMode)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if names := goldentest.ListNames(t, parent); strings.Join(names, ",") != "env" {
				t.Errorf("staging left %v", names)
			}
		})
	}
}

// TestStagingRefusesSymlinks: a symbolic link that appeared in the staging directory is not
// followed, neither as a directory of a file nor as the file itself.
func TestStagingRefusesSymlinks(t *testing.T) {
	parent := t.TempDir()
	outside := t.TempDir()
	s, err := Stage(parent, "env")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Discard() }()
	if err := os.Symlink(outside, filepath.Join(s.dir, "ns")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "f.yaml"), filepath.Join(s.dir, "f.yaml")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"ns/a.yaml", "f.yaml"} {
		if err := s.Write(File{Path: p, Content: []byte("kind: X\n")}); err == nil {
			t.Errorf("writing %s through a symbolic link succeeded", p)
		}
	}
	if names := goldentest.ListNames(t, outside); len(names) != 0 {
		t.Errorf("files written outside the staging directory: %v", names)
	}
}

// TestStagingDiscard leaves parent/name untouched and removes the staging directory.
func TestStagingDiscard(t *testing.T) {
	parent := t.TempDir()
	if err := os.Mkdir(filepath.Join(parent, "env"), DirMode); err != nil {
		t.Fatal(err)
	}
	s, err := Stage(parent, "env")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Write(File{Path: "a/b.yaml", Content: []byte("kind: X\n")}); err != nil {
		t.Fatal(err)
	}
	if err := s.Discard(); err != nil {
		t.Fatal(err)
	}
	if names := goldentest.ListNames(t, parent); strings.Join(names, ",") != "env" {
		t.Errorf("after Discard: %v", names)
	}
	if err := s.Write(File{Path: "c.yaml"}); err == nil {
		t.Error("Write after Discard succeeded")
	}
	if err := s.Commit(true); err == nil {
		t.Error("Commit after Discard succeeded")
	}
}
