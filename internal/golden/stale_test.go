package golden

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/testfs"
)

func TestRemoveStale(t *testing.T) {
	manifest := string(goldentest.ManifestYAML("v1", "ConfigMap", "apps", "x", ""))
	root := t.TempDir()
	golden := filepath.Join(root, "golden")
	testfs.WriteFiles(t, golden, map[string]string{
		"prod/apps/configmap-x.yaml":             manifest,
		"staging/apps/configmap-x.yaml":          manifest,
		"old-env/apps/configmap-x.yaml":          manifest,
		"old-env/_cluster/namespace-apps.yaml":   manifest,
		"inline/team-a/apps/configmap-x.yaml":    manifest,
		"inline/team-b/apps/configmap-x.yaml":    manifest,
		"gone-parent/team/apps/configmap-x.yaml": manifest,
		"notes/README.md":                        "not kforge output",
		"handmade/apps/thing.yaml":               "just: yaml\n",
		"README.md":                              "top-level file",
		".prod.kforge-tmp-1/apps/x.yaml":         manifest,
		".old-env.kforge-old-2/apps/x.yaml":      manifest,
		".inline-stuff/x":                        "hidden, not ours",
	})
	if err := os.MkdirAll(filepath.Join(golden, "empty-env"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(golden, "linked", "apps"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/etc/passwd", filepath.Join(golden, "linked", "apps", "x.yaml")); err != nil {
		t.Fatal(err)
	}
	rep, err := RemoveStale(root, "golden", []string{"prod", "staging", "inline/team-a"})
	if err != nil {
		t.Fatal(err)
	}
	wantRemoved := []string{"golden/.old-env.kforge-old-2", "golden/empty-env", "golden/gone-parent", "golden/inline/team-b", "golden/old-env"}
	if strings.Join(rep.Removed, ",") != strings.Join(wantRemoved, ",") {
		t.Errorf("removed %v, want %v", rep.Removed, wantRemoved)
	}
	wantIgnored := []string{
		"golden/handmade: holds apps/thing.yaml, which is not a Kubernetes manifest",
		"golden/linked: holds symbolic link apps/x.yaml",
		"golden/notes: holds README.md, which is not a .yaml file",
	}
	if strings.Join(rep.Ignored, "\n") != strings.Join(wantIgnored, "\n") {
		t.Errorf("ignored:\n%s\nwant:\n%s", strings.Join(rep.Ignored, "\n"), strings.Join(wantIgnored, "\n"))
	}
	got := goldentest.ListNames(t, golden)
	want := []string{".inline-stuff", ".prod.kforge-tmp-1", "README.md", "handmade", "inline", "linked", "notes", "prod", "staging"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("golden/ holds %v, want %v", got, want)
	}
	if got := goldentest.ListNames(t, filepath.Join(golden, "inline")); strings.Join(got, ",") != "team-a" {
		t.Errorf("golden/inline holds %v", got)
	}
	again, err := RemoveStale(root, "golden", []string{"prod", "staging", "inline/team-a"})
	if err != nil || len(again.Removed) != 0 {
		t.Errorf("second run removed %v (%v)", again.Removed, err)
	}
}

func TestRemoveStaleErrors(t *testing.T) {
	tests := []struct {
		name string
		keep []string
		want string
	}{
		{"nested slugs", []string{"team", "team/prod"}, `"team/prod" lies inside environment directory "team"`},
		{"escaping slug", []string{"../x"}, `contains ".."`},
		{"duplicate", []string{"a", "a"}, "used twice"},
		{"reserved", []string{"a.kforge-tmp-1"}, "reserved"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := RemoveStale(t.TempDir(), "golden", tt.keep)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	t.Run("missing golden root", func(t *testing.T) {
		rep, err := RemoveStale(t.TempDir(), "golden", []string{"prod"})
		if err != nil || len(rep.Removed)+len(rep.Ignored) != 0 {
			t.Errorf("RemoveStale on a missing root = %+v, %v", rep, err)
		}
	})
	t.Run("symlinked golden root", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Symlink(t.TempDir(), filepath.Join(root, "golden")); err != nil {
			t.Fatal(err)
		}
		if _, err := RemoveStale(root, "golden", nil); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("err = %v, want symbolic link error", err)
		}
	})
}

func TestStale(t *testing.T) {
	manifest := string(goldentest.ManifestYAML("v1", "ConfigMap", "apps", "x", ""))
	root := t.TempDir()
	if got, err := Stale(root, "golden", []string{"prod"}); err != nil || got != nil {
		t.Fatalf("missing golden root: got %v, %v; want nothing", got, err)
	}
	testfs.WriteFiles(t, filepath.Join(root, "golden"), map[string]string{
		"prod/apps/configmap-x.yaml":          manifest,
		"old-env/apps/configmap-x.yaml":       manifest,
		"inline/team-a/apps/configmap-x.yaml": manifest,
		"inline/team-b/apps/configmap-x.yaml": manifest,
		"inline-b/apps/configmap-x.yaml":      manifest,
		"notes/README.md":                     "not kforge output",
		"README.md":                           "top-level file",
		".old-env.kforge-old-2/apps/x.yaml":   manifest,
	})
	got, err := Stale(root, "golden", []string{"prod", "inline/team-a"})
	if err != nil {
		t.Fatal(err)
	}
	// What RemoveStale removes or ignores: not environment directories, nor hidden entries.
	want := []string{"golden/inline-b", "golden/inline/team-b", "golden/notes", "golden/old-env"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("Stale = %v, want %v", got, want)
	}
}
