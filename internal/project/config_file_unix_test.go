//go:build unix

package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// TestFindRefusesUnsafeConfigFiles checks that kforge.yaml is read only when it is a regular
// file inside the repository: never through a link leading outside it (whose keys would show
// in errors) and never a named pipe (reading would block forever).
func TestFindRefusesUnsafeConfigFiles(t *testing.T) {
	tests := []struct {
		name  string
		setUp func(t *testing.T, dir string)
		want  string
	}{
		{name: "link outside the repository", setUp: func(t *testing.T, dir string) {
			outside := filepath.Join(t.TempDir(), "config.yaml")
			if err := os.WriteFile(outside, []byte("auths:\n  token: s3cr3t\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			testfs.Symlink(t, outside, filepath.Join(dir, ConfigFile))
		}, want: "kforge.yaml: must not be a symbolic link leading outside the repository"},
		{name: "named pipe", setUp: func(t *testing.T, dir string) {
			testfs.Mkfifo(t, filepath.Join(dir, ConfigFile))
		}, want: "kforge.yaml: must be a regular file, found a named pipe"},
		{name: "too large", setUp: func(t *testing.T, dir string) {
			big := append([]byte("lib: lib\n#"), make([]byte, maxConfigBytes)...)
			if err := os.WriteFile(filepath.Join(dir, ConfigFile), big, 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: "kforge.yaml: is 1048586 bytes, more than a configuration file may be (1048576)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTestdata(t, "plain")
			tt.setUp(t, dir)
			err := testfs.CallWithTimeout(t, "Find", func() error {
				_, err := Find(dir)
				return err
			})
			if err == nil || err.Error() != tt.want {
				t.Fatalf("Find = %v, want %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), dir) {
				t.Errorf("error leaks content or an absolute path: %v", err)
			}
		})
	}
	t.Run("link inside the repository", func(t *testing.T) {
		dir := copyTestdata(t, "plain")
		if err := os.WriteFile(filepath.Join(dir, "config.yaml"), []byte("lib: shared\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		testfs.Symlink(t, "config.yaml", filepath.Join(dir, ConfigFile))
		p, err := Find(dir)
		if err != nil {
			t.Fatal(err)
		}
		if p.Config.Lib != "shared" {
			t.Errorf("lib = %q, want shared", p.Config.Lib)
		}
	})
}

func TestRel(t *testing.T) {
	dir := copyTestdata(t, "plain")
	p := &Project{Root: dir, Config: DefaultConfig()}
	tests := []struct {
		name string
		path string
		want string
	}{
		{name: "root", path: dir, want: "."},
		{name: "file", path: filepath.Join(dir, "environments", "prod", "main.jsonnet"), want: "environments/prod/main.jsonnet"},
		{name: "outside", path: filepath.Dir(dir), want: ".."},
		{name: "unclean", path: dir + "/environments/../lib/", want: "lib"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.Rel(tt.path); got != tt.want {
				t.Errorf("Rel(%s) = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
	t.Run("relative to working directory", func(t *testing.T) {
		t.Chdir(filepath.Join(dir, "environments"))
		if got := p.Rel("dev"); got != "environments/dev" {
			t.Errorf("Rel(dev) = %q", got)
		}
	})
	t.Run("through a symbolic link", func(t *testing.T) {
		link := filepath.Join(t.TempDir(), "link")
		if err := os.Symlink(dir, link); err != nil {
			t.Skipf("symlink: %v", err)
		}
		if got := p.Rel(filepath.Join(link, "lib")); got != "lib" {
			t.Errorf("Rel via link = %q, want lib", got)
		}
	})
	t.Run("abs round trip", func(t *testing.T) {
		if got := p.Rel(p.Abs("environments/prod")); got != "environments/prod" {
			t.Errorf("Rel(Abs(x)) = %q", got)
		}
		if !p.Contains(p.Abs("lib")) || p.Contains(filepath.Dir(dir)) {
			t.Errorf("Contains wrong")
		}
	})
}
