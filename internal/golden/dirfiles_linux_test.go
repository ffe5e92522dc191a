//go:build linux

package golden

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// A FIFO that replaced a listed file is refused at once: opening it for reading would
// otherwise wait for a writer forever.
func TestDirFilesReadFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	_, _, err := openDirFiles(t, dir).read("pipe.yaml")
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("err = %v, want not a regular file", err)
	}
}

// A symbolic link that replaced a listed file is not followed.
func TestDirFilesReadSymlink(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.yaml"), []byte("kind: A\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.yaml", filepath.Join(dir, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	_, _, err := openDirFiles(t, dir).read("link.yaml")
	if !errors.Is(err, syscall.ELOOP) || !strings.HasPrefix(err.Error(), "open: ") {
		t.Fatalf("err = %v, want open: ELOOP", err)
	}
}

// Special files are listed with their type, so that the walker reports them without opening
// them.
func TestDirFilesListSpecial(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.yaml"), 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	got, err := openDirFiles(t, dir).list()
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != (dirEntry{name: "pipe.yaml", typ: fs.ModeNamedPipe}) {
		t.Fatalf("list = %+v, want one named pipe", got)
	}
}

// A file system that leaves d_type unknown gets the type from lstat; both conversions agree.
func TestDirentAndStatModesAgree(t *testing.T) {
	for _, tc := range []struct {
		dt   uint8
		mode uint32
		want fs.FileMode
	}{
		{unix.DT_REG, unix.S_IFREG, 0},
		{unix.DT_DIR, unix.S_IFDIR, fs.ModeDir},
		{unix.DT_LNK, unix.S_IFLNK, fs.ModeSymlink},
		{unix.DT_FIFO, unix.S_IFIFO, fs.ModeNamedPipe},
		{unix.DT_SOCK, unix.S_IFSOCK, fs.ModeSocket},
		{unix.DT_CHR, unix.S_IFCHR, fs.ModeDevice | fs.ModeCharDevice},
		{unix.DT_BLK, unix.S_IFBLK, fs.ModeDevice},
	} {
		if got := direntMode(tc.dt); got != tc.want {
			t.Errorf("direntMode(%d) = %v, want %v", tc.dt, got, tc.want)
		}
		if got := statMode(tc.mode | 0o644); got != tc.want {
			t.Errorf("statMode(%o) = %v, want %v", tc.mode, got, tc.want)
		}
	}
	if got := direntMode(unix.DT_WHT); got != fs.ModeIrregular {
		t.Errorf("direntMode(DT_WHT) = %v, want irregular", got)
	}
}
