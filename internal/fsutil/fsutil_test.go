package fsutil

import (
	"errors"
	"fmt"
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
	_, readErr := os.ReadFile(filepath.Join(dir, "missing"))
	linkErr := os.Rename(filepath.Join(dir, "missing"), filepath.Join(dir, "other"))
	if _, ok := errors.AsType[*os.LinkError](linkErr); !ok {
		t.Fatalf("os.Rename = %#v, want an *os.LinkError", linkErr)
	}
	tests := []struct {
		name      string
		err       error
		want, op  string
		wantCause error
	}{
		{name: "path error", err: readErr, want: "no such file or directory", op: "open: no such file or directory"},
		{name: "wrapped path error", err: fmt.Errorf("read: %w", readErr), want: "no such file or directory", op: "open: no such file or directory"},
		{name: "link error", err: linkErr, want: "no such file or directory", op: "rename: no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, got := range []error{WithoutPath(tt.err), OpWithoutPath(tt.err)} {
				if strings.Contains(got.Error(), dir) || !errors.Is(got, fs.ErrNotExist) {
					t.Errorf("got %v: want the cause without %s", got, dir)
				}
			}
			if got := WithoutPath(tt.err).Error(); got != tt.want {
				t.Errorf("WithoutPath = %q, want %q", got, tt.want)
			}
			if got := OpWithoutPath(tt.err).Error(); got != tt.op {
				t.Errorf("OpWithoutPath = %q, want %q", got, tt.op)
			}
		})
	}
	plain := errors.New("plain")
	//nolint:errorlint // identity is the point: an error without a path comes back as the same value, not wrapped
	if WithoutPath(plain) != plain || OpWithoutPath(plain) != plain {
		t.Fatal("an error without a path was changed")
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
