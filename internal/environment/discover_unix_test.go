//go:build unix

package environment

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

// TestDiscoverRefusesUnsafeSpecFiles checks that spec.json is read only when it is a regular
// file inside the repository: a link leading outside would put another file's content into the
// environment and its error messages, and a named pipe would block discovery forever.
func TestDiscoverRefusesUnsafeSpecFiles(t *testing.T) {
	tests := []struct {
		name  string
		setUp func(t *testing.T, spec string)
		want  string
	}{
		{name: "link outside the repository", setUp: func(t *testing.T, spec string) {
			outside := filepath.Join(t.TempDir(), "config.json")
			if err := os.WriteFile(outside, []byte(`{"spec": {"namespace": "s3cr3t"}, "auths": {}}`), 0o644); err != nil {
				t.Fatal(err)
			}
			testfs.Symlink(t, outside, spec)
		}, want: "read environments/x/spec.json: a symbolic link leading outside the repository is not read"},
		{name: "named pipe", setUp: func(t *testing.T, spec string) {
			testfs.Mkfifo(t, spec)
		}, want: "read environments/x/spec.json: not a regular file (a named pipe)"},
		{name: "too large", setUp: func(t *testing.T, spec string) {
			if err := os.WriteFile(spec, []byte(`{}`+strings.Repeat(" ", maxSpecBytes)), 0o644); err != nil {
				t.Fatal(err)
			}
		}, want: "read environments/x/spec.json: 1048578 bytes, more than the 1048576 a spec.json may have"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openRepo(t, "repo")
			dir := p.Abs("environments/x")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "main.jsonnet"), []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
			tt.setUp(t, filepath.Join(dir, SpecFile))
			err := testfs.CallWithTimeout(t, "Discover", func() error {
				_, err := Discover(p, "environments")
				return err
			})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Discover = %v, want an error containing %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cr3t") || strings.Contains(err.Error(), p.Root) {
				t.Errorf("error leaks content or an absolute path: %v", err)
			}
		})
	}
	t.Run("link inside the repository", func(t *testing.T) {
		p := openRepo(t, "repo")
		dir := p.Abs("environments/x")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.jsonnet"), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "shared.json"), []byte(`{"spec": {"namespace": "shared"}}`), 0o644); err != nil {
			t.Fatal(err)
		}
		testfs.Symlink(t, "shared.json", filepath.Join(dir, SpecFile))
		d, err := Discover(p, "environments/x")
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Static) != 1 || d.Static[0].Spec.Spec.Namespace != "shared" {
			t.Errorf("static environments = %+v, want environments/x in namespace shared", d.Static)
		}
	})
}
