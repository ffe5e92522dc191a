package drift

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/golden"
	"github.com/kforge/kforge/internal/golden/goldentest"
	"github.com/kforge/kforge/internal/testfs"
)

func TestCompare(t *testing.T) {
	web, api := deployment("web", "web:1"), deployment("api", "api:1")
	apiV2 := deployment("api", "api:2")
	old := deployment("old", "old:1")
	tests := []struct {
		name    string
		disk    map[string]string // nil: no directory
		setup   func(t *testing.T, dir string)
		files   []golden.File
		want    []string // "<change> <path>"
		diffHas []string
	}{
		{name: "clean", disk: filesMap([]golden.File{web, api}), files: []golden.File{web, api}},
		{name: "missing directory", files: []golden.File{web}, want: []string{"added apps/deployment-web.yaml"}},
		{name: "missing directory, nothing rendered", files: nil},
		{
			name:  "added removed changed",
			disk:  filesMap([]golden.File{web, api, old}),
			files: []golden.File{apiV2, web, deployment("new", "new:1")},
			want:  []string{"changed apps/deployment-api.yaml", "added apps/deployment-new.yaml", "removed apps/deployment-old.yaml"},
			diffHas: []string{
				"--- a/golden/prod/apps/deployment-api.yaml\n+++ b/golden/prod/apps/deployment-api.yaml\n",
				"@@ -7,5 +7,5 @@\n   template:\n     spec:\n       containers:\n-      - image: api:1\n+      - image: api:2\n         name: app\n",
			},
		},
		{
			name: "unexpected entries",
			disk: map[string]string{
				"apps/deployment-web.yaml": string(web.Content),
				"README.md":                "hello",
				"apps/.hidden.yaml":        string(web.Content),
				"apps/x.yml":               "kind: ConfigMap",
				"junk/notes.txt":           "x",
				"junk/deeper/more.txt":     "y",
			},
			setup: func(t *testing.T, dir string) {
				if err := os.Symlink("/etc/passwd", filepath.Join(dir, "apps", "link.yaml")); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(filepath.Join(dir, "empty"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			files: []golden.File{web},
			want: []string{
				"unexpected README.md", "unexpected apps/.hidden.yaml", "unexpected apps/link.yaml",
				"unexpected apps/x.yml", "unexpected empty/", "unexpected junk/",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root, tgt := newRepo(t, tt.disk)
			if tt.setup != nil {
				tt.setup(t, filepath.Join(root, "golden", "prod"))
			}
			d, err := Compare(tgt, tt.files)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var diffs strings.Builder
			for _, e := range d.Entries {
				got = append(got, string(e.Change)+" "+e.Path)
				diffs.WriteString(e.Diff)
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			if d.Clean() != (len(tt.want) == 0) {
				t.Errorf("Clean() = %v", d.Clean())
			}
			for _, s := range tt.diffHas {
				if !strings.Contains(diffs.String(), s) {
					t.Errorf("diff lacks %q:\n%s", s, diffs.String())
				}
			}
		})
	}
}

func TestCompareNamesRemovedResourceFromContent(t *testing.T) {
	cr := golden.File{Path: "_cluster/clusterrole-reader.yaml", Content: goldentest.ManifestYAML("rbac.authorization.k8s.io/v1", "ClusterRole", "", "reader", "")}
	_, tgt := newRepo(t, filesMap([]golden.File{cr, deployment("web", "web:1")}))
	d, err := Compare(tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{d.Entries[0].Resource, d.Entries[1].Resource}
	want := []string{"rbac.authorization.k8s.io/ClusterRole/reader", "apps/Deployment/apps/web"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("resources %v, want %v", got, want)
	}
}

func TestCompareErrors(t *testing.T) {
	t.Run("symlinked environment directory", func(t *testing.T) {
		root := t.TempDir()
		outside := t.TempDir()
		testfs.WriteFiles(t, outside, map[string]string{"secret.yaml": "kind: Secret"})
		if err := os.MkdirAll(filepath.Join(root, "golden"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, filepath.Join(root, "golden", "prod")); err != nil {
			t.Fatal(err)
		}
		_, err := Compare(golden.Target{Root: root, Dir: "golden/prod"}, nil)
		if err == nil || !strings.Contains(err.Error(), "golden/prod is a symbolic link") {
			t.Fatalf("err = %v, want symbolic link error", err)
		}
		if strings.Contains(err.Error(), root) {
			t.Errorf("error %q contains an absolute path", err)
		}
	})
	t.Run("symlinked golden root", func(t *testing.T) {
		root := t.TempDir()
		if err := os.Symlink(t.TempDir(), filepath.Join(root, "golden")); err != nil {
			t.Fatal(err)
		}
		_, err := Compare(golden.Target{Root: root, Dir: "golden/prod"}, nil)
		if err == nil || !strings.Contains(err.Error(), "golden is a symbolic link") {
			t.Fatalf("err = %v, want symbolic link error", err)
		}
	})
	t.Run("environment directory is a file", func(t *testing.T) {
		root := t.TempDir()
		testfs.WriteFiles(t, root, map[string]string{"golden/prod": "x"})
		_, err := Compare(golden.Target{Root: root, Dir: "golden/prod"}, nil)
		if err == nil || !strings.Contains(err.Error(), "not a directory") {
			t.Fatalf("err = %v, want not a directory", err)
		}
	})
	t.Run("invalid rendered path", func(t *testing.T) {
		_, tgt := newRepo(t, nil)
		_, err := Compare(tgt, []golden.File{{Path: "../../etc/x.yaml", Resource: "core/ConfigMap/apps/x"}})
		var pe *golden.PathError
		if !errors.As(err, &pe) || pe.Resource != "core/ConfigMap/apps/x" {
			t.Fatalf("err = %v, want *golden.PathError naming the resource", err)
		}
	})
	t.Run("invalid target", func(t *testing.T) {
		_, err := Compare(golden.Target{Root: t.TempDir(), Dir: "../golden/prod"}, nil)
		if err == nil {
			t.Fatal("want error for a target outside the root")
		}
	})
	t.Run("oversized file", func(t *testing.T) {
		root, tgt := newRepo(t, map[string]string{})
		big := filepath.Join(root, "golden", "prod", "big.yaml")
		if err := os.WriteFile(big, nil, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Truncate(big, golden.MaxFileSize+1); err != nil {
			t.Fatal(err)
		}
		_, err := Compare(tgt, nil)
		if err == nil || !strings.Contains(err.Error(), "golden/prod/big.yaml: file too large") {
			t.Fatalf("err = %v, want file too large", err)
		}
	})
}

func TestDiffSetsNoNewlineAtEnd(t *testing.T) {
	tgt := golden.Target{Dir: "golden/dev"}
	d := DiffSets(tgt, golden.Tree{Files: []golden.File{{Path: "a.yaml", Content: []byte("kind: A\nx: 1")}}}, []golden.File{{Path: "a.yaml", Content: []byte("kind: A\nx: 1\n")}})
	want := "--- a/golden/dev/a.yaml\n+++ b/golden/dev/a.yaml\n@@ -1,3 +1,2 @@\n kind: A\n x: 1\n-\\ No newline at end of file\n"
	if len(d.Entries) != 1 || d.Entries[0].Diff != want {
		t.Errorf("diff:\n%q\nwant:\n%q", d.Entries[0].Diff, want)
	}
}

func TestUnifiedDiffTrimsCommonLines(t *testing.T) {
	var a, b strings.Builder
	for i := range 2000 {
		line := "line " + strings.Repeat("x", i%7) + "\n"
		a.WriteString(line)
		if i == 1500 {
			line = "changed\n"
		}
		b.WriteString(line)
	}
	got := unifiedDiff("a/f", "b/f", []byte(a.String()), []byte(b.String()))
	if !strings.Contains(got, "@@ -1498,7 +1498,7 @@\n") {
		t.Errorf("hunk header not shifted to the real line:\n%s", got)
	}
	if !strings.Contains(got, "\n+changed\n") {
		t.Errorf("diff lacks the change:\n%s", got)
	}
	// One more common line in front moves the hunk by one.
	if got2 := unifiedDiff("a/f", "b/f", []byte("x\n"+a.String()), []byte("x\n"+b.String())); !strings.Contains(got2, "@@ -1499,7 +1499,7 @@") {
		t.Errorf("hunk header with offset wrong:\n%s", got2)
	}
}

func TestUnifiedDiffTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte("x\n"), maxDiffLines)
	got := unifiedDiff("a/f", "b/f", big, append([]byte("y\n"), big...))
	if !strings.Contains(got, "diff omitted") {
		t.Errorf("want summary for an oversized diff, got %q", got)
	}
}
