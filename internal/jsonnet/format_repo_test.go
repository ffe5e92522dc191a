package jsonnet

import (
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
)

// evalFile evaluates the repository-relative file with opts, native formatting on or off.
func evalFile(t *testing.T, opts Options, file string, native bool) (formatEval, []FileRead, int64) {
	t.Helper()
	opts.DisableNativeFormat = !native
	vm := newTestVM(t, opts)
	res, err := vm.EvaluateFile(file)
	served := vm.formatCalls.calls.Load() - vm.formatCalls.declined.Load()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error is %T, not *Error: %v", err, err)
		}
		return formatEval{err: e}, nil, served
	}
	return formatEval{json: res.JSON}, res.Reads, served
}

func TestNativeFormatImports(t *testing.T) {
	root := testdataRoot(t, "format")
	tests := []struct {
		name   string
		file   string
		opts   Options
		served int64
		errAt  string
	}{
		{name: "imported files are rewritten", file: "main.jsonnet", served: 6},
		{name: "error inside an imported file", file: "error.jsonnet", errAt: "lib/names.libsonnet:6:12"},
		{name: "files read with importstr", file: "strings.jsonnet", served: 1},
		{
			name:   "imports of external code are rewritten",
			file:   "ext.jsonnet",
			opts:   Options{ExtCode: map[string]string{"label": "(import 'lib/helper.libsonnet').label"}},
			served: 1,
		},
		{
			name:   "imports of top-level argument code are rewritten",
			file:   "tla.jsonnet",
			opts:   Options{TLACode: map[string]string{"label": "(import 'lib/helper.libsonnet').label"}},
			served: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := tc.opts
			opts.Root = root
			opts.JPath = []string{"lib"}
			got, gotReads, served := evalFile(t, opts, tc.file, true)
			want, wantReads, _ := evalFile(t, opts, tc.file, false)
			sameOutcome(t, tc.file, got, want)
			if !reflect.DeepEqual(gotReads, wantReads) {
				t.Errorf("reads differ\nnative:  %v\njsonnet: %v", gotReads, wantReads)
			}
			for _, r := range gotReads {
				if r.Path == "never.libsonnet" {
					t.Errorf("reads include never.libsonnet, which the evaluation never imports")
				}
			}
			if tc.errAt == "" && got.err != nil {
				t.Errorf("unexpected error %v", got.err)
			}
			if served != tc.served {
				t.Errorf("the Go formatter served %d calls, want %d", served, tc.served)
			}
			if tc.errAt != "" {
				if got.err == nil || got.err.Position() != tc.errAt {
					t.Errorf("error %v, want one at %s", got.err, tc.errAt)
				}
			}
		})
	}
}

func TestNativeFormatRewriteIsIdempotent(t *testing.T) {
	tests := []struct {
		name  string
		code  string
		sites int
	}{
		{"nested sites", `{a: "%s-%s" % ["x", "%d" % 1], b: std.format("%(k)s", {k: 1})}`, 3},
		{"root site", `"%s/%s" % ["a", "b"]`, 1},
		{"no sites", `{a: 1 % 2}`, 0},
		{"dynamic sites", `local f = "%s"; local n = 7; [f % 1, std.format(f, [2]), n % 4]`, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			node, err := gojsonnet.SnippetToAST("x.jsonnet", tc.code)
			if err != nil {
				t.Fatal(err)
			}
			first := &formatRewriter{}
			first.rewriteInPlace(node)
			if first.sites != tc.sites {
				t.Errorf("first rewrite: %d sites, want %d", first.sites, tc.sites)
			}
			again := &formatRewriter{}
			again.rewriteInPlace(node)
			if again.sites != 0 {
				t.Errorf("second rewrite rewrote %d sites, want 0", again.sites)
			}
			g := gojsonnet.MakeVM()
			g.NativeFunction(nativeFormatFunction(&formatStats{}))
			g.NativeFunction(nativeFormatPlanFunction())
			got, err := g.Evaluate(node)
			if err != nil {
				t.Fatal(err)
			}
			want, err := gojsonnet.MakeVM().EvaluateAnonymousSnippet("x.jsonnet", tc.code)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("rewritten twice: %s, want %s", got, want)
			}
		})
	}
}

// jsonnetFiles lists the .jsonnet files below dir (repository-relative to root).
func jsonnetFiles(t *testing.T, root, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".jsonnet") {
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return err
			}
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestNativeFormatTestdataIdentical(t *testing.T) {
	for _, tree := range []string{"order", "repo", "format"} {
		root := testdataRoot(t, tree)
		for _, file := range jsonnetFiles(t, root, ".") {
			t.Run(tree+"/"+file, func(t *testing.T) {
				base := path.Dir(file)
				opts := Options{Root: root, JPath: tankaJPath(base), TkEnv: []byte(`{"env": {"metadata": {"name": "test"}}}`)}
				got, gotReads, _ := evalFile(t, opts, file, true)
				want, wantReads, _ := evalFile(t, opts, file, false)
				sameOutcome(t, file, got, want)
				if !reflect.DeepEqual(gotReads, wantReads) {
					t.Errorf("reads differ\nnative:  %v\njsonnet: %v", gotReads, wantReads)
				}
			})
		}
	}
}

// TestNativeFormatReferenceEnvironments renders every environment of the repository this
// package lives in, as the pipeline does, with and without native formatting.
func TestNativeFormatReferenceEnvironments(t *testing.T) {
	p, envs := referenceEnvironments(t)
	var served int64
	for _, env := range envs {
		if env.Inline {
			continue
		}
		t.Run(env.Name, func(t *testing.T) {
			opts := Options{Root: p.Root, JPath: p.JPath(env.Dir), TkEnv: env.TkEnvJSON()}
			got, gotReads, n := evalFile(t, opts, env.Entrypoint, true)
			want, wantReads, _ := evalFile(t, opts, env.Entrypoint, false)
			sameOutcome(t, env.Entrypoint, got, want)
			if !reflect.DeepEqual(gotReads, wantReads) {
				t.Errorf("reads differ\nnative:  %v\njsonnet: %v", gotReads, wantReads)
			}
			served += n
		})
	}
	if served == 0 {
		t.Error("the Go formatter served no call in the reference environments")
	}
}
