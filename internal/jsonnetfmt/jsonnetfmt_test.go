package jsonnetfmt

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"lib/ugly.libsonnet":        "{a:1}\n",
		"lib/ok.libsonnet":          "{ a: 1 }\n",
		"lib/data.json":             "{a:1}\n",
		"vendor/v.libsonnet":        "{a:1}\n",
		"env/vendor/v.libsonnet":    "{a:1}\n",
		"env/.hidden/h.jsonnet":     "{a:1}\n",
		"env/main.jsonnet":          "{b:'x'}\n",
		"env/nested/deep/d.jsonnet": "{ d: 1 }\n",
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o640); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)

	for _, tc := range []struct {
		name     string
		paths    []string
		excludes []string
		want     []string // path, with a * when changed
	}{
		{"walk skips vendor and hidden", []string{"."}, DefaultExcludes(),
			[]string{"env/main.jsonnet*", "env/nested/deep/d.jsonnet", "lib/ok.libsonnet", "lib/ugly.libsonnet*"}},
		{"a named file is always taken", []string{"vendor/v.libsonnet"}, DefaultExcludes(), []string{"vendor/v.libsonnet*"}},
		{"no excludes", []string{"env"}, nil,
			[]string{"env/.hidden/h.jsonnet*", "env/main.jsonnet*", "env/nested/deep/d.jsonnet", "env/vendor/v.libsonnet*"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(tc.paths, Options{Excludes: tc.excludes})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range res {
				s := r.Path
				if r.Changed {
					s += "*"
				}
				got = append(got, s)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}

	// Write rewrites only the changed files, keeping their mode.
	if _, err := Run([]string{"lib"}, Options{Excludes: DefaultExcludes(), Write: true}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("lib/ugly.libsonnet")
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "{ a: 1 }\n" {
		t.Errorf("lib/ugly.libsonnet = %q", b)
	}
	if fi, err := os.Stat("lib/ugly.libsonnet"); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after write: %v, %v", fi.Mode(), err)
	}

	if _, err := Run([]string{"nope"}, Options{}); err == nil {
		t.Error("a missing path was accepted")
	}
	if _, err := Run(nil, Options{Excludes: []string{"["}}); err == nil {
		t.Error("a bad exclude pattern was accepted")
	}
}

func TestFormatError(t *testing.T) {
	_, err := Format("x.jsonnet", "{a:")
	if err == nil || err.Error() != "format x.jsonnet:1:4 Unexpected end of file" {
		t.Errorf("err = %v", err)
	}
}
