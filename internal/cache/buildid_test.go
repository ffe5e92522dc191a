package cache

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestBuildID(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	id, err := BuildID(exe)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(id, "go:") || len(id) < 10 {
		t.Fatalf("BuildID(test binary) = %q, want the Go build ID", id)
	}
	// The same answer as the Go tool gives, when it is at hand.
	if goTool, err := exec.LookPath("go"); err == nil {
		out, err := exec.Command(goTool, "tool", "buildid", exe).Output()
		if err != nil {
			t.Fatal(err)
		}
		if want := "go:" + strings.TrimSpace(string(out)); id != want {
			t.Errorf("BuildID = %q, go tool buildid = %q", id, want)
		}
	}

	tests := []struct {
		name, content, want string
	}{
		{"a build ID in the header (non-ELF executables)", "MZ....\xff Go build ID: \"abc/def\"\n \xff rest", "go:abc/def"},
		{"no build ID: hash of the file", "#!/bin/sh\necho hi\n", "sha256:" + sha256Hex([]byte("#!/bin/sh\necho hi\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "kforge")
			if err := os.WriteFile(p, []byte(tt.content), 0o755); err != nil {
				t.Fatal(err)
			}
			got, err := BuildID(p)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("BuildID = %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := BuildID(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("BuildID of a missing file succeeded")
	}
}
