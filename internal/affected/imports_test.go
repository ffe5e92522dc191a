package affected

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
	"github.com/kforge/kforge/internal/testfs"
)

func TestImports(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"none", "{ a: 1 }", nil},
		{"keyword only in a comment", "// import 'x.libsonnet'\n{ a: 1 }", nil},
		{"all three kinds", "[import 'a.libsonnet', importstr 'b.txt', importbin 'c.bin']",
			[]string{"a.libsonnet", "b.txt", "c.bin"}},
		{"duplicates once", "[import 'a.libsonnet', import 'a.libsonnet']", []string{"a.libsonnet"}},
		{"nested in functions, objects, comprehensions and branches",
			"local f(x) = if x then import 'a.libsonnet' else { [k]: importstr 'b.txt' for k in ['x'] };\n" +
				"{ g():: { h: [import 'c/d.libsonnet'] }, assert (import 'e.libsonnet') != null }",
			[]string{"a.libsonnet", "b.txt", "c/d.libsonnet", "e.libsonnet"}},
		{"string forms", `[import "double.libsonnet", import @'verbatim''s.libsonnet', import 'esc\u0061ped.libsonnet']`,
			[]string{"double.libsonnet", "verbatim's.libsonnet", "escaped.libsonnet"}},
		{"tk is listed like any import", "local tk = import 'tk'; tk", []string{"tk"}},
		{"not Jsonnet", "important: yes\nlist:\n  - a\n", nil},
	}
	s := NewScanner()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for range 2 { // the second call is served from the memo
				got := s.Imports("x.jsonnet", []byte(tt.src))
				if !slices.Equal(got, tt.want) {
					t.Fatalf("Imports = %q, want %q", got, tt.want)
				}
			}
		})
	}
}

func TestProbe(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	prodReads := []string{
		"environments/prod/main.jsonnet", "environments/prod/values.libsonnet", "lib/app.libsonnet",
		"lib/config.yaml", "lib/k8s/service.libsonnet", "vendor/kube/k.libsonnet",
	}
	tests := []struct {
		name      string
		env       string
		files     []string
		code      []string
		wantFiles []string
		want      []string
	}{
		{
			name:  "prod",
			env:   "environments/prod",
			files: prodReads,
			// The closure adds the import in the branch the evaluation does not take.
			wantFiles: append([]string{"lib/debug.libsonnet"}, prodReads...),
			want: []string{
				"environments/prod/app.libsonnet",
				"environments/prod/k8s/service.libsonnet",
				"environments/prod/kube/k.libsonnet",
				"environments/prod/vendor/kube/k.libsonnet",
				"lib/kube/k.libsonnet",
			},
		},
		{
			name:      "the closure of the entrypoint alone",
			env:       "environments/dev",
			files:     []string{"environments/dev/main.jsonnet"},
			wantFiles: []string{"environments/dev/main.jsonnet", "lib/app.libsonnet", "lib/config.yaml", "lib/debug.libsonnet", "vendor/kube/k.libsonnet"},
			want: []string{
				"environments/dev/app.libsonnet",
				"environments/dev/kube/k.libsonnet",
				"environments/dev/vendor/kube/k.libsonnet",
				"lib/kube/k.libsonnet",
			},
		},
		{
			name:      "code imports search from the root",
			env:       "environments/flux",
			files:     []string{"environments/flux/main.jsonnet"},
			code:      []string{"(import 'tk').env", "importstr 'lib/config.yaml'", "import 'app.libsonnet'"},
			wantFiles: []string{"environments/flux/main.jsonnet", "lib/app.libsonnet", "lib/config.yaml", "lib/debug.libsonnet", "vendor/kube/k.libsonnet"},
			want: []string{
				"app.libsonnet",
				"environments/flux/app.libsonnet",
				"environments/flux/kube/k.libsonnet",
				"environments/flux/vendor/kube/k.libsonnet",
				"lib/kube/k.libsonnet",
			},
		},
		{
			name:      "an unreadable file contributes nothing",
			env:       "environments/dev",
			files:     []string{"environments/dev/gone.libsonnet"},
			wantFiles: []string{"environments/dev/gone.libsonnet"},
			want:      []string{},
		},
	}
	s := NewScanner()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := s.Probe(root, envJPath(tt.env), tt.files, tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p.Misses, tt.want) {
				t.Errorf("Misses = %q, want %q", p.Misses, tt.want)
			}
			var files []string
			for f := range p.Files {
				files = append(files, f)
			}
			slices.Sort(files)
			wantFiles := slices.Sorted(slices.Values(tt.wantFiles))
			if !slices.Equal(files, wantFiles) {
				t.Errorf("Files = %q, want %q", files, wantFiles)
			}
			for _, f := range wantFiles {
				want := ""
				if data, err := os.ReadFile(filepath.Join(root, f)); err == nil {
					sum := sha256.Sum256(data)
					want = hex.EncodeToString(sum[:])
				}
				if got := p.Files[f]; got != want {
					t.Errorf("Files[%s] = %q, want %q", f, got, want)
				}
			}
		})
	}
}

// TestMissesShadow checks the replayed search against the evaluator: a copy of the file an
// import found, created at any miss, is what the evaluation reads next.
func TestMissesShadow(t *testing.T) {
	base, err := filepath.Abs(filepath.Join("testdata", "repo"))
	if err != nil {
		t.Fatal(err)
	}
	const env = "environments/prod"
	opts := jsonnet.Options{Root: base, JPath: envJPath(env), TkEnv: []byte(`{"env": {"metadata": {"name": "prod"}}}`)}
	res := evaluate(t, opts, env+"/main.jsonnet")
	var reads []string
	for _, r := range res.Reads {
		reads = append(reads, r.Path)
	}
	p, err := NewScanner().Probe(base, envJPath(env), reads, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Misses) == 0 {
		t.Fatal("no misses")
	}
	// Which file each miss stands in front of: the same import path below a later directory.
	source := map[string]string{
		"environments/prod/app.libsonnet":           "lib/app.libsonnet",
		"environments/prod/k8s/service.libsonnet":   "lib/k8s/service.libsonnet",
		"environments/prod/kube/k.libsonnet":        "vendor/kube/k.libsonnet",
		"environments/prod/vendor/kube/k.libsonnet": "vendor/kube/k.libsonnet",
		"lib/kube/k.libsonnet":                      "vendor/kube/k.libsonnet",
	}
	for _, miss := range p.Misses {
		t.Run(miss, func(t *testing.T) {
			src, ok := source[miss]
			if !ok {
				t.Fatalf("unexpected miss %s", miss)
			}
			root := copyRepo(t)
			data, err := os.ReadFile(filepath.Join(root, src))
			if err != nil {
				t.Fatal(err)
			}
			testfs.WriteFile(t, root, miss, string(data))
			opts.Root = root
			res := evaluate(t, opts, env+"/main.jsonnet")
			if !slices.ContainsFunc(res.Reads, func(r jsonnet.FileRead) bool { return r.Path == miss }) {
				t.Errorf("evaluation did not read %s after it was created: %v", miss, res.Reads)
			}
			ok, first, err := StillMissing(root, p.Misses)
			if err != nil || ok || first != miss {
				t.Errorf("StillMissing = %v, %q, %v; want false, %q", ok, first, err, miss)
			}
		})
	}
	ok, first, err := StillMissing(base, p.Misses)
	if err != nil || !ok || first != "" {
		t.Errorf("StillMissing on the unchanged tree = %v, %q, %v; want true", ok, first, err)
	}
}
