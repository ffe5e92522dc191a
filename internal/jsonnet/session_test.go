package jsonnet

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	gojsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/testfs"
)

// sessionCase is one evaluation: a file, or a snippet when code is set.
type sessionCase struct {
	name       string
	opts       Options
	file, code string
}

// sessionOutcome is everything an evaluation returns: output, reads, error and std.trace
// output.
type sessionOutcome struct {
	json  string
	reads []FileRead
	err   *Error
	text  string // err.Error(), or the text of an error that is not an *Error
	trace string
}

// outcomeOf evaluates c with eval, capturing std.trace output.
func outcomeOf(t *testing.T, c sessionCase, eval func(Options, string, string) (Result, error)) sessionOutcome {
	t.Helper()
	var trace bytes.Buffer
	opts := c.opts
	opts.TraceOut = &trace
	res, err := eval(opts, c.file, c.code)
	out := sessionOutcome{json: res.JSON, reads: res.Reads, trace: trace.String()}
	if err != nil {
		out.text = err.Error()
		var e *Error
		if errors.As(err, &e) {
			out.err = e
		}
	}
	return out
}

// freshEval evaluates on a new VM, as kforge did before sessions.
func freshEval(opts Options, file, code string) (Result, error) {
	vm, err := NewVM(opts)
	if err != nil {
		return Result{}, err
	}
	if code != "" {
		return vm.EvaluateSnippet(file, code)
	}
	return vm.EvaluateFile(file)
}

// sameAsFresh evaluates cases on one Session in the order given, each case with native
// formatting on and then off, and compares every outcome with that of a fresh VM.
func sameAsFresh(t *testing.T, root string, order []sessionCase) {
	t.Helper()
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]sessionOutcome{}
	for i, c := range order {
		for _, native := range []bool{true, false} {
			c.opts.DisableNativeFormat = !native
			key := fmt.Sprintf("%s (native format %v)", c.name, native)
			w, ok := want[key]
			if !ok {
				w = outcomeOf(t, c, freshEval)
				want[key] = w
			}
			got := outcomeOf(t, c, s.Evaluate)
			if !reflect.DeepEqual(got, w) {
				t.Errorf("evaluation %d, %s: session and fresh VM differ\nsession: json %.200q reads %v error %v trace %q\nfresh:   json %.200q reads %v error %v trace %q",
					i, key, got.json, got.reads, got.text, got.trace, w.json, w.reads, w.text, w.trace)
			}
		}
	}
}

// orders returns the sequences a session is checked with: forward, backward, then forward
// again (A,B,…,B,A,A,B,…), and every case evaluated twice in a row.
func orders(cases []sessionCase) [][]sessionCase {
	back := slices.Clone(cases)
	slices.Reverse(back)
	var twice []sessionCase
	for _, c := range cases {
		twice = append(twice, c, c)
	}
	return [][]sessionCase{
		slices.Concat(cases, back, cases),
		twice,
	}
}

// referenceCases lists an evaluation of every environment of the repository this package
// lives in, as the pipeline makes it, plus an expression snippet per environment.
func referenceCases(t *testing.T) (string, []sessionCase) {
	t.Helper()
	p, envs := referenceEnvironments(t)
	var cases []sessionCase
	for _, env := range envs {
		opts := Options{Root: p.Root, JPath: p.JPath(env.Dir), TkEnv: env.TkEnvJSON()}
		if env.Inline {
			opts.TkEnv = nil
		}
		cases = append(cases,
			sessionCase{name: env.Name, opts: opts, file: env.Entrypoint},
			sessionCase{name: env.Name + " expression", opts: opts, file: path.Join(env.Dir, "<eval>"),
				code: fmt.Sprintf("local main = (import %q);\nstd.objectFields(main)\n", path.Base(env.Entrypoint))},
		)
	}
	return p.Root, cases
}

func TestSessionReferenceEnvironments(t *testing.T) {
	root, cases := referenceCases(t)
	for i, order := range orders(cases) {
		t.Run(fmt.Sprintf("order %d", i), func(t *testing.T) { sameAsFresh(t, root, order) })
	}
}

func TestSessionTestdata(t *testing.T) {
	// Top-level arguments a function does not take are an error that names one of them, which
	// one depends on go-jsonnet's map order: give each tree only those its files take.
	tlas := map[string][2]map[string]string{
		"order":  {nil, nil},
		"repo":   {{"tlaStr": "s"}, {"tlaCode": "[1, 2]"}},
		"format": {nil, {"label": "'tla'"}},
	}
	for _, tree := range []string{"order", "repo", "format"} {
		t.Run(tree, func(t *testing.T) {
			root := testdataRoot(t, tree)
			var cases []sessionCase
			for _, file := range jsonnetFiles(t, root, ".") {
				base := path.Dir(file)
				cases = append(cases, sessionCase{name: file, file: file, opts: Options{
					Root: root, JPath: tankaJPath(base),
					// A different `import 'tk'` per file.
					TkEnv:   []byte(fmt.Sprintf(`{"env": {"metadata": {"name": %q}}}`, file)),
					ExtVars: map[string]string{"ext": "x-" + file},
					ExtCode: map[string]string{"extCode": fmt.Sprintf("{file: %q}", file), "label": "(import 'lib/helper.libsonnet').label"},
					TLAVars: tlas[tree][0],
					TLACode: tlas[tree][1],
				}})
			}
			for i, order := range orders(cases) {
				t.Run(fmt.Sprintf("order %d", i), func(t *testing.T) { sameAsFresh(t, root, order) })
			}
		})
	}
}

// shadowRepo writes a repository in which the same import resolves to a different file for
// each environment: lib/app.libsonnet imports 'settings.libsonnet', found in the base of a,
// in the vendor directory of b's base and in the root vendor directory for c, and
// 'version.txt' likewise. Environment d imports a file whose name shadows a lib file.
func shadowRepo(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "repo")
	files := map[string]string{
		"jsonnetfile.json": "{}",
		"lib/app.libsonnet": `local s = import 'settings.libsonnet';
{ name: '%s-%s' % [s.name, std.extVar('suffix')], version: importstr 'version.txt', bytes: std.length(importbin 'blob.bin'), file: std.thisFile }`,
		"lib/common.libsonnet":                            `{ origin: 'lib' }`,
		"environments/a/main.jsonnet":                     `{ app: import 'app.libsonnet', common: import 'common.libsonnet', tk: (import 'tk').env.name }`,
		"environments/a/settings.libsonnet":               `{ name: 'a' }`,
		"environments/a/version.txt":                      "1.0-a",
		"environments/a/blob.bin":                         "aaa",
		"environments/b/main.jsonnet":                     `{ app: import 'app.libsonnet', common: import 'common.libsonnet', tk: (import 'tk').env.name }`,
		"environments/b/vendor/settings.libsonnet":        `{ name: 'b' }`,
		"environments/b/vendor/version.txt":               "1.0-b",
		"environments/b/vendor/blob.bin":                  "bbbb",
		"environments/c/main.jsonnet":                     `{ app: import 'app.libsonnet', common: import 'common.libsonnet', tk: (import 'tk').env.name }`,
		"vendor/settings.libsonnet":                       `{ name: 'root-vendor' }`,
		"vendor/version.txt":                              "1.0-root",
		"vendor/blob.bin":                                 "r",
		"environments/d/main.jsonnet":                     `{ app: import 'app.libsonnet', common: import 'common.libsonnet', tk: (import 'tk').env.name }`,
		"environments/d/common.libsonnet":                 `{ origin: 'd' }`,
		"environments/d/settings.libsonnet":               `{ name: 'd' }`,
		"environments/d/version.txt":                      "1.0-d",
		"environments/d/blob.bin":                         "dd",
		"environments/e/main.jsonnet":                     `{ app: import 'app.libsonnet', broken: import 'broken.libsonnet' }`,
		"environments/e/broken.libsonnet":                 `{ a: }`,
		"environments/f/main.jsonnet":                     `local app = import 'app.libsonnet'; std.trace('name ' + app.name, { missing: (import 'tk').env.nothing })`,
		"environments/f/vendor/settings.libsonnet":        `{ name: 'f' }`,
		"environments/f/vendor/version.txt":               "1.0-f",
		"environments/f/vendor/blob.bin":                  "ffffff",
		"environments/g/main.jsonnet":                     `{ app: import 'app.libsonnet' }`,
		"environments/g/settings.libsonnet":               `error 'settings of g'`,
		"environments/h/main.jsonnet":                     `{ app: import 'app.libsonnet', common: import 'common.libsonnet' }`,
		"environments/h/vendor/common.libsonnet":          `{ origin: 'h vendor, shadowed by lib' }`,
		"environments/h/vendor/vendor/settings.libsonnet": `{ name: 'never' }`,
	}
	for rel, content := range files {
		testfs.WriteFile(t, root, rel, content)
	}
	return root
}

func TestSessionShadowedImports(t *testing.T) {
	root := shadowRepo(t)
	var cases []sessionCase
	for _, env := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		base := "environments/" + env
		opts := Options{Root: root, JPath: tankaJPath(base),
			TkEnv:   []byte(fmt.Sprintf(`{"env": {"name": %q}}`, env)),
			ExtVars: map[string]string{"suffix": "s-" + env},
		}
		cases = append(cases, sessionCase{name: env, opts: opts, file: base + "/main.jsonnet"})
		// The same environment with another external variable and without `import 'tk'`.
		other := opts
		other.ExtVars = map[string]string{"suffix": "other"}
		other.TkEnv = nil
		cases = append(cases, sessionCase{name: env + " other vars", opts: other, file: base + "/main.jsonnet"})
		cases = append(cases, sessionCase{name: env + " snippet", opts: opts, file: base + "/<eval>",
			code: "(import 'app.libsonnet').name + (import 'tk').env.name"})
	}
	for i, order := range orders(cases) {
		t.Run(fmt.Sprintf("order %d", i), func(t *testing.T) { sameAsFresh(t, root, order) })
	}
	// The resolutions really differ, so a value of lib/app.libsonnet reused across
	// environments would show.
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for _, env := range []string{"a", "b", "c", "d", "a"} {
		c := cases[0]
		for _, cc := range cases {
			if cc.name == env {
				c = cc
			}
		}
		res, err := s.EvaluateFile(c.opts, c.file)
		if err != nil {
			t.Fatal(err)
		}
		names[env] = res.JSON
	}
	for env, want := range map[string]string{"a": `"a-s-a"`, "b": `"b-s-b"`, "c": `"root-vendor-s-c"`, "d": `"d-s-d"`} {
		if !strings.Contains(names[env], want) {
			t.Errorf("environment %s: output lacks %s:\n%s", env, want, names[env])
		}
	}
}

func TestSessionOptionErrors(t *testing.T) {
	root := testdataRoot(t, "repo")
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	other := testdataRoot(t, "order")
	tests := []struct {
		name string
		opts Options
	}{
		{"negative stack", Options{Root: root, MaxStack: -1}},
		{"negative parseYaml size", Options{Root: root, ParseYAMLMaxBytes: -1}},
		{"negative parseYaml nodes", Options{Root: root, ParseYAMLMaxNodes: -1}},
		{"jpath outside", Options{Root: root, JPath: []string{"../x"}}},
		{"ext both forms", Options{Root: root, ExtVars: map[string]string{"a": "1"}, ExtCode: map[string]string{"a": "1"}}},
		{"tla both forms", Options{Root: root, TLAVars: map[string]string{"a": "1"}, TLACode: map[string]string{"a": "1"}}},
		{"invalid tk", Options{Root: root, TkEnv: []byte("{")}},
		{"relative root", Options{Root: "repo"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, want := NewVM(tc.opts)
			if want == nil {
				t.Fatal("NewVM accepted the options")
			}
			_, got := s.EvaluateFile(tc.opts, "environments/a/main.jsonnet")
			if got == nil || got.Error() != want.Error() {
				t.Errorf("session error %v, want %v", got, want)
			}
		})
	}
	t.Run("another root", func(t *testing.T) {
		_, err := s.EvaluateFile(Options{Root: other}, "environments/prod/main.jsonnet")
		if err == nil || strings.Contains(err.Error(), other) {
			t.Errorf("got %v, want an error without the absolute path", err)
		}
	})
	t.Run("root of NewSession", func(t *testing.T) {
		if _, err := NewSession("relative"); err == nil {
			t.Error("NewSession accepted a relative root")
		}
		if got := s.Root(); got != root {
			t.Errorf("Root() = %q, want %q", got, root)
		}
	})
	t.Run("usable after errors", func(t *testing.T) {
		opts := Options{Root: root, JPath: tankaJPath("environments/a")}
		got := outcomeOf(t, sessionCase{opts: opts, file: "environments/a/main.jsonnet"}, s.Evaluate)
		want := outcomeOf(t, sessionCase{opts: opts, file: "environments/a/main.jsonnet"}, freshEval)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})
}

// TestSessionTkNames checks that each distinct `import 'tk'` gets its own name in an engine
// (go-jsonnet panics when one name yields two contents) and that errors show every one of
// them as "<tk>".
func TestSessionTkNames(t *testing.T) {
	root := testdataRoot(t, "repo")
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Root: root, JPath: tankaJPath("environments/tk")}
	for i, name := range []string{"one", "two", "one", "three"} {
		opts.TkEnv = []byte(fmt.Sprintf(`{"env": {"metadata": {"name": %q}}}`, name))
		res, err := s.EvaluateFile(opts, "environments/tk/main.jsonnet")
		if err != nil {
			t.Fatalf("evaluation %d: %v", i, err)
		}
		assertJSON(t, res.JSON, fmt.Sprintf(`{"name": %q, "viaExtVar": %q}`, name, name))
	}
	e := s.engines[0]
	var got []string
	for _, tk := range e.tk {
		got = append(got, tk.foundAt)
	}
	slices.Sort(got)
	if want := []string{"<tk#2>", "<tk#3>", "<tk>"}; !reflect.DeepEqual(got, want) {
		t.Errorf("names %v, want %v", got, want)
	}
	for _, tc := range []struct {
		name string
		is   bool
	}{{"<tk>", true}, {"<tk#2>", true}, {"<tk#12>", true}, {"<tk#>", false}, {"<tk#x>", false}, {"<tk#2", false}, {"tk", false}, {"lib/<tk>", false}} {
		if got := isTkName(tc.name); got != tc.is {
			t.Errorf("isTkName(%q) = %v, want %v", tc.name, got, tc.is)
		}
		loc := ast.LocationRange{FileName: tc.name, File: &ast.Source{DiagnosticFileName: ast.DiagnosticFileName(tc.name)},
			Begin: ast.Location{Line: 1, Column: 1}}
		want := tc.name
		if tc.is {
			want = tkFoundAt
		}
		if got := locationFile(loc); got != want {
			t.Errorf("locationFile(%q) = %q, want %q", tc.name, got, want)
		}
	}
}

// TestSessionRecoversFromCrash breaks an engine's promise to go-jsonnet (another contents for
// a name it served before), which makes go-jsonnet crash, and checks that the Session then
// replaces the engine instead of evaluating on inconsistent caches.
func TestSessionRecoversFromCrash(t *testing.T) {
	root := testdataRoot(t, "repo")
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Root: root, JPath: tankaJPath("environments/tk"), TkEnv: []byte(`{"env": {"metadata": {"name": "x"}}}`)}
	if _, err := s.EvaluateFile(opts, "environments/tk/main.jsonnet"); err != nil {
		t.Fatal(err)
	}
	broken := s.engines[0]
	broken.tk[string(opts.TkEnv)].contents = gojsonnet.MakeContents(string(opts.TkEnv))
	_, err = s.EvaluateFile(opts, "environments/tk/main.jsonnet")
	if e := asError(t, err); !strings.Contains(e.Message, "the jsonnet evaluator crashed") {
		t.Fatalf("got %v, want a crash", err)
	}
	res, err := s.EvaluateFile(opts, "environments/tk/main.jsonnet")
	if err != nil {
		t.Fatalf("after the crash: %v", err)
	}
	assertJSON(t, res.JSON, `{"name": "x", "viaExtVar": "x"}`)
	if s.engines[0] == broken {
		t.Error("the crashed engine was kept")
	}
}

// TestSessionReusesASTs checks the point of a Session: a file shared by two evaluations is
// parsed once. go-jsonnet's AST cache is observed through VM.ImportAST, which returns the
// cached node itself.
func TestSessionReusesASTs(t *testing.T) {
	root := shadowRepo(t)
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	var nodes []ast.Node
	for _, env := range []string{"a", "b"} {
		opts := Options{Root: root, JPath: tankaJPath("environments/" + env), TkEnv: []byte(`{"env": {"name": "x"}}`),
			ExtVars: map[string]string{"suffix": env}}
		if _, err := s.EvaluateFile(opts, "environments/"+env+"/main.jsonnet"); err != nil {
			t.Fatal(err)
		}
		node, foundAt, err := s.engines[0].g.ImportAST("environments/"+env+"/main.jsonnet", "app.libsonnet")
		if err != nil || foundAt != "lib/app.libsonnet" {
			t.Fatalf("ImportAST: %s, %v", foundAt, err)
		}
		nodes = append(nodes, node)
	}
	if nodes[0] != nodes[1] {
		t.Error("lib/app.libsonnet was parsed again for the second environment")
	}
	if n := s.formatCalls.calls.Load(); n == 0 {
		t.Error("the rewritten AST of lib/app.libsonnet did not call the Go formatter")
	}
}

// TestParseYAMLLimitsFromOptions checks that Options.ParseYAMLMaxBytes and ParseYAMLMaxNodes
// bound std.native('parseYaml') in a VM and in a Session, where one evaluation's limits must
// not leak into the next.
func TestParseYAMLLimitsFromOptions(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFile(t, root, "docs.yaml", "a: &a [1, 2, 3, 4]\nb: [*a, *a]\n")
	testfs.WriteFile(t, root, "main.jsonnet", "std.native('parseYaml')(importstr 'docs.yaml')")
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		bytes   int
		nodes   int
		wantErr string
	}{
		{"defaults", 0, 0, ""},
		{"size limit", 20, 0, "parseYaml: input is 31 bytes, more than the limit of 20 (limits.parseYamlMaxBytes; --parse-yaml-max-bytes)"},
		{"defaults again", 0, 0, ""},
		{"node limit counts aliases expanded", 0, 12, "parseYaml: document 1 takes the input past 12 YAML nodes with aliases and merge keys expanded (limits.parseYamlMaxNodes; --parse-yaml-max-nodes)"},
		{"enough nodes", 0, 30, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: root, ParseYAMLMaxBytes: tc.bytes, ParseYAMLMaxNodes: tc.nodes}
			vm, err := NewVM(opts)
			if err != nil {
				t.Fatal(err)
			}
			results := map[string]func() (Result, error){
				"vm":      func() (Result, error) { return vm.EvaluateFile("main.jsonnet") },
				"session": func() (Result, error) { return s.EvaluateFile(opts, "main.jsonnet") },
			}
			for name, eval := range results {
				res, err := eval()
				if tc.wantErr == "" {
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					if !strings.Contains(res.JSON, "[\n         1,") {
						t.Errorf("%s: output %s lacks the expanded alias", name, res.JSON)
					}
					continue
				}
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("%s: got %v, want an error containing %q", name, err, tc.wantErr)
				}
			}
		})
	}
}
