package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileType(t *testing.T) {
	tests := []struct {
		mode fs.FileMode
		want string
	}{
		{fs.ModeDir, "a directory"},
		{fs.ModeNamedPipe, "a named pipe"},
		{fs.ModeSocket, "a socket"},
		{fs.ModeDevice, "a device"},
		{fs.ModeIrregular, "a special file"},
	}
	for _, tt := range tests {
		if got := FileType(tt.mode); got != tt.want {
			t.Errorf("FileType(%v) = %q, want %q", tt.mode, got, tt.want)
		}
	}
}

func TestWithoutPath(t *testing.T) {
	dir := t.TempDir()
	_, err := os.ReadFile(filepath.Join(dir, "missing"))
	got := WithoutPath(err)
	if strings.Contains(got.Error(), dir) || !errors.Is(got, fs.ErrNotExist) {
		t.Fatalf("WithoutPath = %v: want the cause without %s", got, dir)
	}
	plain := errors.New("plain")
	if WithoutPath(plain) != plain {
		t.Fatal("WithoutPath changed an error without a path")
	}
}

func TestWithoutPathLinkError(t *testing.T) {
	dir := t.TempDir()
	err := os.Rename(filepath.Join(dir, "missing"), filepath.Join(dir, "other"))
	got := WithoutPath(err)
	if strings.Contains(got.Error(), dir) || !errors.Is(got, fs.ErrNotExist) {
		t.Fatalf("WithoutPath = %v: want the cause without %s", got, dir)
	}
}
