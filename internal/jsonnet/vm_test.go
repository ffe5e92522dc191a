package jsonnet

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestVariables(t *testing.T) {
	root := testdataRoot(t, "repo")
	env := map[string]string{"FROM_ENV": "env value"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	const main = "environments/vars/main.jsonnet"
	tests := []struct {
		name      string
		setup     func(o *Options) error
		want      string
		wantReads []string // besides main.jsonnet
	}{
		{
			name: "maps set directly",
			setup: func(o *Options) error {
				o.ExtVars = map[string]string{"ext": "s"}
				o.ExtCode = map[string]string{"extCode": "{ a: 1 + 1 }"}
				o.TLAVars = map[string]string{"tlaStr": "t"}
				o.TLACode = map[string]string{"tlaCode": "[true, null]"}
				return nil
			},
			want: `{"ext": "s", "extCode": {"a": 2}, "tlaStr": "t", "tlaCode": [true, null]}`,
		},
		{
			name: "flags name=value",
			setup: func(o *Options) error {
				for _, f := range []struct {
					kind VarKind
					spec string
				}{
					{VarExtStr, "ext=a=b"}, {VarExtCode, "extCode=std.length('abc')"},
					{VarTLAStr, "tlaStr="}, {VarTLACode, "tlaCode={}"},
				} {
					if err := o.ParseVar(f.kind, f.spec, lookup); err != nil {
						return err
					}
				}
				return nil
			},
			want: `{"ext": "a=b", "extCode": 3, "tlaStr": "", "tlaCode": {}}`,
		},
		{
			name: "bare name reads the environment",
			setup: func(o *Options) error {
				env["ext"], env["extCode"], env["tlaStr"], env["tlaCode"] = "e", "'c'", "t", "1"
				defer func() { delete(env, "ext"); delete(env, "extCode"); delete(env, "tlaStr"); delete(env, "tlaCode") }()
				for kind, name := range map[VarKind]string{VarExtStr: "ext", VarExtCode: "extCode", VarTLAStr: "tlaStr", VarTLACode: "tlaCode"} {
					if err := o.ParseVar(kind, name, lookup); err != nil {
						return err
					}
				}
				return nil
			},
			want: `{"ext": "e", "extCode": "c", "tlaStr": "t", "tlaCode": 1}`,
		},
		{
			name: "later flag replaces the other form",
			setup: func(o *Options) error {
				if err := o.SetVar(VarExtCode, "ext", "error 'replaced'"); err != nil {
					return err
				}
				if err := o.SetVar(VarExtStr, "ext", "string wins"); err != nil {
					return err
				}
				if err := o.SetVar(VarTLAStr, "tlaCode", "replaced"); err != nil {
					return err
				}
				return firstErr(
					o.SetVar(VarExtCode, "extCode", "null"),
					o.SetVar(VarTLAStr, "tlaStr", "x"),
					o.SetVar(VarTLACode, "tlaCode", "2"),
				)
			},
			want: `{"ext": "string wins", "extCode": null, "tlaStr": "x", "tlaCode": 2}`,
		},
		{
			name: "files",
			setup: func(o *Options) error {
				return firstErr(
					o.ParseVarFile(VarExtStr, "ext=environments/vars/value.txt"),
					o.ParseVarFile(VarExtCode, "extCode=environments/vars/code.jsonnet"),
					o.AddFile(VarTLAStr, "tlaStr", filepath.Join(root, "environments/vars/value.txt")),
					o.AddFile(VarTLACode, "tlaCode", "./environments/vars/../vars/code.jsonnet"),
				)
			},
			want:      `{"ext": "from a file\n", "extCode": {"fromFile": [1, 2]}, "tlaStr": "from a file\n", "tlaCode": {"fromFile": [1, 2]}}`,
			wantReads: []string{"environments/vars/code.jsonnet", "environments/vars/value.txt"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: root}
			if err := tc.setup(&opts); err != nil {
				t.Fatal(err)
			}
			res, err := newTestVM(t, opts).EvaluateFile(main)
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, res.JSON, tc.want)
			var reads []string
			for _, r := range res.Reads {
				if r.Path != main {
					reads = append(reads, r.Path)
				}
			}
			if !reflect.DeepEqual(reads, tc.wantReads) {
				t.Errorf("reads = %v, want %v", reads, tc.wantReads)
			}
		})
	}
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func TestVariableFlagErrors(t *testing.T) {
	root := sandboxRepo(t)
	none := func(string) (string, bool) { return "", false }
	tests := []struct {
		name string
		call func(o *Options) error
		want string
	}{
		{"empty name", func(o *Options) error { return o.ParseVar(VarExtStr, "=x", none) }, `parse --ext-str "=x": expected name=value or name`},
		{"unset environment variable", func(o *Options) error { return o.ParseVar(VarTLACode, "NOPE", none) },
			`parse --tla-code "NOPE": no value given and environment variable NOPE is not set`},
		{"no lookup function", func(o *Options) error { return o.ParseVar(VarExtStr, "NOPE", nil) },
			`parse --ext-str "NOPE": no value given and environment variable NOPE is not set`},
		{"file flag without path", func(o *Options) error { return o.ParseVarFile(VarExtStr, "name") }, `parse --ext-str-file "name": expected name=path`},
		{"file outside the root", func(o *Options) error { return o.AddFile(VarExtStr, "x", "../outside.txt") },
			`add --ext-str-file x: ../outside.txt is outside the repository root`},
		{"absolute file outside the root", func(o *Options) error {
			return o.AddFile(VarExtCode, "x", filepath.Join(filepath.Dir(root), "outside.txt"))
		}, `add --ext-code-file x: outside.txt is outside the repository root`},
		{"symlink leaving the root", func(o *Options) error { return o.AddFile(VarTLAStr, "x", "vendor/evil.libsonnet") },
			`add --tla-str-file x: vendor/evil.libsonnet is a symlink to a file outside the repository root`},
		{"missing file", func(o *Options) error { return o.AddFile(VarTLACode, "x", "nowhere.txt") },
			`add --tla-code-file x: nowhere.txt: no such file`},
		{"directory", func(o *Options) error { return o.AddFile(VarExtStr, "x", "lib") },
			`add --ext-str-file x: lib is a directory, not a file`},
		{"unknown kind", func(o *Options) error { return o.SetVar(VarKind(9), "x", "y") }, `set variable: unknown kind VarKind(9)`},
		{"empty variable name", func(o *Options) error { return o.SetVar(VarExtStr, "", "y") }, `set ext-str: empty variable name`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: root}
			err := tc.call(&opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %s", err, tc.want)
			}
		})
	}
	t.Run("root not set", func(t *testing.T) {
		var o Options
		if err := o.AddFile(VarExtStr, "x", "a.txt"); err == nil || !strings.Contains(err.Error(), "Options.Root is not set") {
			t.Errorf("got %v", err)
		}
	})
}

func TestExtCodeFileErrorsPointIntoTheFile(t *testing.T) {
	root := testdataRoot(t, "repo")
	opts := Options{Root: root}
	if err := opts.AddFile(VarExtCode, "cfg", "environments/vars/broken-code.jsonnet"); err != nil {
		t.Fatal(err)
	}
	_, err := newTestVM(t, opts).EvaluateSnippet("x.jsonnet", "std.extVar('cfg')")
	e := asError(t, err)
	if e.Kind != KindSyntax || e.Position() != "environments/vars/broken-code.jsonnet:1:6" {
		t.Errorf("got %s error %s", e.Kind, e.Error())
	}
}

func TestNewVMValidation(t *testing.T) {
	root := testdataRoot(t, "repo")
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no root", Options{}, "create jsonnet vm: repository root must be an absolute path"},
		{"relative root", Options{Root: "testdata/repo"}, "create jsonnet vm: repository root must be an absolute path"},
		{"missing root", Options{Root: filepath.Join(root, "nowhere")}, "create jsonnet vm: resolve repository root: no such file or directory"},
		{"root is a file", Options{Root: filepath.Join(root, "jsonnetfile.json")}, "create jsonnet vm: repository root is not a directory"},
		{"negative max stack", Options{Root: root, MaxStack: -1}, "create jsonnet vm: max stack must be positive, got -1"},
		{"jpath leaving the root", Options{Root: root, JPath: []string{"lib", "../elsewhere"}},
			`create jsonnet vm: jpath entry "../elsewhere" must be a directory inside the repository (repository-relative)`},
		{"absolute jpath", Options{Root: root, JPath: []string{root}},
			fmt.Sprintf(`create jsonnet vm: jpath entry %q must be a directory inside the repository (repository-relative)`, root)},
		{"ext var twice", Options{Root: root, ExtVars: map[string]string{"a": "1"}, ExtCode: map[string]string{"a": "1"}},
			`create jsonnet vm: external variable "a" is given both as a string and as code`},
		{"tla twice", Options{Root: root, TLAVars: map[string]string{"b": "1"}, TLACode: map[string]string{"b": "1"}},
			`create jsonnet vm: top-level argument "b" is given both as a string and as code`},
		{"tk not json", Options{Root: root, TkEnv: []byte("{env: 1}")}, "create jsonnet vm: the value of import 'tk' is not valid JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewVM(tc.opts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("got %v, want %s", err, tc.want)
			}
		})
	}
}

func TestMaxStack(t *testing.T) {
	root := testdataRoot(t, "repo")
	code := "local depth(n) = if n == 0 then 0 else 1 + depth(n - 1);\ndepth(%d)\n"
	tests := []struct {
		name     string
		maxStack int
		depth    int
		wantErr  string
	}{
		{"default allows moderate recursion", 0, 100, ""},
		{"default limit", 0, 1000, "x.jsonnet:1:21: max stack frames exceeded (limit 500): infinite recursion?"},
		{"raised limit", 3000, 1000, ""},
		{"lowered limit", 20, 50, "x.jsonnet:1:21: max stack frames exceeded (limit 20): infinite recursion?"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			vm := newTestVM(t, Options{Root: root, MaxStack: tc.maxStack})
			res, err := vm.EvaluateSnippet("x.jsonnet", fmt.Sprintf(code, tc.depth))
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				assertJSON(t, res.JSON, fmt.Sprint(tc.depth))
				return
			}
			e := asError(t, err)
			if first, _, _ := strings.Cut(e.Error(), "\n"); e.Kind != KindRuntime || first != tc.wantErr {
				t.Errorf("got %s error %q, want %q", e.Kind, first, tc.wantErr)
			}
		})
	}
}

func TestSnippetNames(t *testing.T) {
	root := testdataRoot(t, "repo")
	vm := newTestVM(t, Options{Root: root})
	tests := []struct {
		name     string
		filename string
		want     string
		wantErr  string
	}{
		{"empty name", "", `"<snippet>"`, ""},
		{"relative name", "environments/a/x.jsonnet", `"environments/a/x.jsonnet"`, ""},
		{"unclean name", "./environments//a/x.jsonnet", `"environments/a/x.jsonnet"`, ""},
		{"escaping name", "../x.jsonnet", "", "evaluate snippet: x.jsonnet is outside the repository root"},
		{"absolute name", "/tmp/x.jsonnet", "", "evaluate snippet: x.jsonnet is outside the repository root"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := vm.EvaluateSnippet(tc.filename, "std.thisFile")
			if tc.wantErr != "" {
				e := asError(t, err)
				if e.Kind != KindSandbox || e.Error() != tc.wantErr {
					t.Errorf("got %s error %q, want %q", e.Kind, e.Error(), tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertJSON(t, res.JSON, tc.want)
		})
	}
}

func TestTraceOutput(t *testing.T) {
	var buf bytes.Buffer
	vm := newTestVM(t, Options{Root: testdataRoot(t, "repo"), TraceOut: &buf})
	res, err := vm.EvaluateSnippet("x.jsonnet", "std.trace('hello', 1)")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, res.JSON, "1")
	if got := buf.String(); got != "TRACE: x.jsonnet:1 hello\n" {
		t.Errorf("trace output = %q", got)
	}
	// Without a writer the trace is discarded, never written to the process's stderr.
	if _, err := newTestVM(t, Options{Root: testdataRoot(t, "repo")}).EvaluateSnippet("x.jsonnet", "std.trace('x', 1)"); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentEvaluation(t *testing.T) {
	root := testdataRoot(t, "order")
	const file = "environments/prod/main.jsonnet"
	opts := Options{Root: root, JPath: tankaJPath("environments/prod")}
	ref, err := newTestVM(t, opts).EvaluateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	shared := newTestVM(t, opts)
	const workers = 8
	results := make([]Result, 2*workers)
	errs := make([]error, 2*workers)
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(2)
		go func(i int) { // a VM per goroutine, as the pipeline does
			defer wg.Done()
			vm, err := NewVM(opts)
			if err != nil {
				errs[i] = err
				return
			}
			results[i], errs[i] = vm.EvaluateFile(file)
		}(i)
		go func(i int) { // one VM shared by goroutines
			defer wg.Done()
			results[i], errs[i] = shared.EvaluateFile(file)
		}(workers + i)
	}
	wg.Wait()
	for i := range results {
		if errs[i] != nil {
			t.Fatalf("worker %d: %v", i, errs[i])
		}
		if !reflect.DeepEqual(results[i], ref) {
			t.Errorf("worker %d: result differs\n got %+v\nwant %+v", i, results[i], ref)
		}
	}
}

func TestOptionsMapsAreCopied(t *testing.T) {
	root := testdataRoot(t, "repo")
	opts := Options{Root: root, ExtVars: map[string]string{"x": "before"}}
	vm := newTestVM(t, opts)
	opts.ExtVars["x"] = "after"
	res, err := vm.EvaluateSnippet("x.jsonnet", "std.extVar('x')")
	if err != nil {
		t.Fatal(err)
	}
	assertJSON(t, res.JSON, `"before"`)
}

func TestSymlinkedRoot(t *testing.T) {
	repo := copyTree(t, "repo")
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(repo, link); err != nil {
		t.Skipf("symlinks not supported here: %v", err)
	}
	vm := newTestVM(t, Options{Root: link, JPath: []string{"lib"}})
	for _, p := range []string{"environments/a/main.jsonnet", filepath.Join(link, "environments/a/main.jsonnet"), filepath.Join(repo, "environments/a/main.jsonnet")} {
		res, err := vm.EvaluateFile(p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		assertJSON(t, res.JSON, `{"common": "common", "own": "a"}`)
		if res.Reads[1].Path != "environments/a/main.jsonnet" {
			t.Errorf("%s: reads = %v", p, res.Reads)
		}
	}
}
