package project

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// copyTestdata copies testdata/<name> into a fresh temporary directory, so
// that no marker file above the source tree (this repository's own
// kforge.yaml) takes part in root detection, and returns the copy's
// symlink-free absolute path.
func copyTestdata(t *testing.T, name string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatalf("copy testdata/%s: %v", name, err)
	}
	resolved, err := filepath.EvalSymlinks(dst)
	if err != nil {
		t.Fatal(err)
	}
	return resolved
}

func TestFind(t *testing.T) {
	tests := []struct {
		name       string
		tree       string
		start      string // relative to the copied tree
		wantRoot   string // relative to the copied tree
		wantMarker string
		wantConfig bool
		wantVendor string
	}{
		{name: "plain Tanka repository from its root", tree: "plain", start: ".", wantRoot: ".", wantMarker: JsonnetFile, wantVendor: "vendor"},
		{name: "plain Tanka repository from an environment", tree: "plain", start: "environments/prod", wantRoot: ".", wantMarker: JsonnetFile, wantVendor: "vendor"},
		{name: "start at a file", tree: "plain", start: "environments/prod/main.jsonnet", wantRoot: ".", wantMarker: JsonnetFile, wantVendor: "vendor"},
		{name: "tkrc.yaml above jsonnetfile.json wins", tree: "tkrc", start: "repo/environments/app", wantRoot: ".", wantMarker: TkrcFile, wantVendor: "vendor"},
		{name: "kforge.yaml wins over nearer tkrc.yaml and jsonnetfile.json", tree: "kforge", start: "sub/team", wantRoot: ".", wantMarker: ConfigFile, wantConfig: true, wantVendor: "vendor-jsonnet"},
		{name: "kforge.yaml renames vendor", tree: "kforge", start: "environments/prod", wantRoot: ".", wantMarker: ConfigFile, wantConfig: true, wantVendor: "vendor-jsonnet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyTestdata(t, tt.tree)
			p, err := Find(filepath.Join(dir, filepath.FromSlash(tt.start)))
			if err != nil {
				t.Fatalf("Find: %v", err)
			}
			if want := filepath.Join(dir, tt.wantRoot); p.Root != want {
				t.Errorf("Root = %s, want %s", p.Root, want)
			}
			if p.Marker != tt.wantMarker {
				t.Errorf("Marker = %q, want %q", p.Marker, tt.wantMarker)
			}
			if p.HasConfigFile != tt.wantConfig {
				t.Errorf("HasConfigFile = %v, want %v", p.HasConfigFile, tt.wantConfig)
			}
			if p.Config.Vendor != tt.wantVendor {
				t.Errorf("Config.Vendor = %q, want %q", p.Config.Vendor, tt.wantVendor)
			}
		})
	}
}

func TestFindRelativeStart(t *testing.T) {
	dir := copyTestdata(t, "plain")
	t.Chdir(filepath.Join(dir, "environments"))
	p, err := Find("prod")
	if err != nil {
		t.Fatalf("Find: %v", err)
	}
	if p.Root != dir {
		t.Errorf("Root = %s, want %s", p.Root, dir)
	}
}

func TestFindConfigValues(t *testing.T) {
	dir := copyTestdata(t, "kforge")
	p, err := Find(dir)
	if err != nil {
		t.Fatalf("Find: %v", err)
	}
	if p.Config.Limits.MaxStack != 800 || p.Config.Limits.EvalTimeout != 45*time.Second {
		t.Errorf("Limits = %+v, want maxStack 800 and evalTimeout 45s", p.Config.Limits)
	}
	if p.Config.Lib != DefaultLib || !slices.Equal(p.Config.Policies, []string{DefaultPolicies}) {
		t.Errorf("absent keys not defaulted: %+v", p.Config)
	}
}

func TestFindErrors(t *testing.T) {
	t.Run("no marker", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "a", "b"), 0o755); err != nil {
			t.Fatal(err)
		}
		// A temporary directory has no marker above it on a sane system;
		// make sure of it before asserting.
		for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
			for _, m := range []string{ConfigFile, TkrcFile, JsonnetFile} {
				if _, err := os.Stat(filepath.Join(d, m)); err == nil {
					t.Skipf("marker %s found above the temporary directory", filepath.Join(d, m))
				}
			}
			if filepath.Dir(d) == d {
				break
			}
		}
		t.Chdir(dir)
		_, err := Find(filepath.Join("a", "b"))
		var nr *RootNotFoundError
		if !errors.As(err, &nr) {
			t.Fatalf("err = %v, want *RootNotFoundError", err)
		}
		want := "no repository root found above a/b: add kforge.yaml or jsonnetfile.json"
		if err.Error() != want {
			t.Errorf("err = %q, want %q", err, want)
		}
	})
	t.Run("missing start", func(t *testing.T) {
		dir := copyTestdata(t, "plain")
		t.Chdir(dir)
		_, err := Find("nope")
		if err == nil || err.Error() != "find repository root: nope does not exist" {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("invalid kforge.yaml", func(t *testing.T) {
		dir := copyTestdata(t, "plain")
		if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte("lib: lib\nvendr: x\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Find(dir)
		var ce *ConfigError
		if !errors.As(err, &ce) {
			t.Fatalf("err = %v, want *ConfigError", err)
		}
		if ce.File != "kforge.yaml" || ce.Key != "vendr" || ce.Line != 2 {
			t.Errorf("ConfigError = %+v, want kforge.yaml line 2 key vendr", ce)
		}
	})
}
