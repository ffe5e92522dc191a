package jsonnet

import (
	"bytes"
	"strings"
	"testing"
)

// evalJSONPath evaluates file with opts in a new Session, with kforge's JSON parser (fast) or
// go-jsonnet's, and returns the outcome and how many JSON files reached go-jsonnet as stand-ins
// (with kforge's evaluator on, which builds the values of JSON documents itself, only those it
// left to go-jsonnet).
func evalJSONPath(t testing.TB, opts Options, file string, fast bool) (sinkEval, int) {
	t.Helper()
	s, err := NewSession(opts.Root)
	if err != nil {
		t.Fatal(err)
	}
	var trace bytes.Buffer
	opts.TraceOut = &trace
	opts.DisableJSONFastPath = !fast
	res, err := s.EvaluateFile(opts, file)
	out := outcome(t, res, err, trace.String())
	installed := 0
	for _, e := range s.engines {
		if e != nil {
			installed += len(e.imp.json.done)
		}
	}
	return out, installed
}

// jsonImportFiles is a repository importing JSON files every way Jsonnet can.
var jsonImportFiles = map[string]string{
	"data/object.json":   "{\n  \"kind\": \"CustomResourceDefinition\",\n  \"spec\": {\"names\": [\"a\", \"b\"], \"n\": -1.5e3, \"ok\": true, \"none\": null}\n}\n",
	"data/array.json":    `[{"x": 1}, [], "s\n\u00e9"]`,
	"data/string.json":   `"just a string"`,
	"data/number.json":   `42`,
	"data/negative.json": `-0.25`,
	"data/bool.json":     `false`,
	"data/null.json":     `null`,
	"data/jsonnet.json":  "// valid Jsonnet, not JSON\n{a: 1, b: self.a + 1}\n",
	"data/shared.json":   `{"text": "imported both ways"}`,
	"data/dollar.json":   `[{"a": {"b": 1}}, {"c": [{"d": 2}]}]`,
	"lib/code.libsonnet": `{
  object: import '../data/object.json',
  array: import '../data/array.json',
  string: import '../data/string.json',
  number: import '../data/number.json',
  negative: import '../data/negative.json',
  bool: import '../data/bool.json',
  'null': import '../data/null.json',
  jsonnet: import '../data/jsonnet.json',
  dollar: import '../data/dollar.json',
}
`,
	// Mentions importstr, so its imports are left to go-jsonnet (and the text must be the file's).
	"lib/text.libsonnet": `{
  code: import '../data/shared.json',
  text: importstr '../data/shared.json',
}
`,
	"main.jsonnet": `local code = import 'lib/code.libsonnet';
local text = import 'lib/text.libsonnet';
code + {
  shared: (import 'data/shared.json') + text,
  merged: code.object + { spec+: { extra: code.array[0] } },
  fields: std.objectFields(code.object.spec),
  patch: std.mergePatch(code.object, { spec: { ok: null } }),
  manifest: std.manifestYamlDoc(code.dollar),
}
`,
	"errors/missing.jsonnet": `(import '../data/object.json').spec.missing`,
	"errors/badjson.jsonnet": `import '../data/bad.json'`,
	"data/bad.json":          `{"a": 1,, "b": 2}`,
	"errors/trace.jsonnet":   `std.trace('json ' + std.toString(import '../data/array.json'), (import '../data/object.json').kind)`,
}

func TestJSONImportsMatchGoJsonnet(t *testing.T) {
	root := writeRoot(t, jsonImportFiles)
	for _, c := range []struct {
		file string
		// installed is the number of stand-ins with go-jsonnet alone; withInterp with kforge's
		// evaluator first (it declines the failing programs, go-jsonnet then evaluates them).
		installed, withInterp int
	}{
		// main imports 9 of the JSON files through lib/code.libsonnet, shared.json directly from
		// main (a stand-in, since main does not mention importstr) and from lib/text.libsonnet
		// (not a stand-in); data/jsonnet.json is not JSON, so 9 in all.
		{"main.jsonnet", 9, 0},
		{"errors/missing.jsonnet", 1, 1},
		{"errors/badjson.jsonnet", 0, 0},
		{"errors/trace.jsonnet", 2, 2},
	} {
		for _, interpOff := range []bool{true, false} {
			opts := Options{Root: root, DisableInterp: interpOff}
			fast, installed := evalJSONPath(t, opts, c.file, true)
			slow, none := evalJSONPath(t, opts, c.file, false)
			sameEval(t, c.file, fast, slow)
			want := c.installed
			if !interpOff {
				want = c.withInterp
			}
			if installed != want || none != 0 {
				t.Errorf("%s (go-jsonnet only: %v): %d stand-ins installed with the fast path (want %d), %d without", c.file, interpOff, installed, want, none)
			}
		}
	}
	out, _ := evalJSONPath(t, Options{Root: root}, "main.jsonnet", true)
	if out.err != nil || !strings.Contains(out.json, `"text": "{\"text\": \"imported both ways\"}"`) {
		t.Errorf("importstr of a file also imported as code lost its text: %v %s", out.err, out.json)
	}
}

// TestJSONImportsInSession evaluates twice in one Session, as workers do: the second
// evaluation finds the installed ASTs in go-jsonnet's cache and gives the same bytes and reads,
// and an evaluation with the fast path off in between is unaffected.
func TestJSONImportsInSession(t *testing.T) {
	root := writeRoot(t, jsonImportFiles)
	s, err := NewSession(root)
	if err != nil {
		t.Fatal(err)
	}
	var outs []Result
	// go-jsonnet with and without the fast path, then kforge's evaluator (JSON values built
	// from the text) in the same session.
	for _, o := range []Options{{DisableInterp: true}, {DisableInterp: true, DisableJSONFastPath: true}, {DisableInterp: true}, {}, {}} {
		o.Root = root
		res, err := s.EvaluateFile(o, "main.jsonnet")
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, res)
	}
	for i, res := range outs[1:] {
		if res.JSON != outs[0].JSON || len(res.Reads) != len(outs[0].Reads) {
			t.Errorf("evaluation %d differs from the first", i+2)
		}
	}
	if n := len(s.engines[0].imp.json.done); n != 9 {
		t.Errorf("%d stand-ins installed in the session, want 9", n)
	}
}

// TestJSONImportsFromExtCode leaves imports from ext and top-level argument code to go-jsonnet
// when that code mentions importstr, and serves them otherwise.
func TestJSONImportsFromExtCode(t *testing.T) {
	root := writeRootWith(t, jsonImportFiles, "main.jsonnet", `std.extVar('x')`)
	for _, c := range []struct {
		code      string
		installed int
	}{
		{`import 'data/object.json'`, 1},
		{`[import 'data/shared.json', importstr 'data/shared.json']`, 0},
	} {
		opts := Options{Root: root, ExtCode: map[string]string{"x": c.code}, DisableInterp: true}
		fast, installed := evalJSONPath(t, opts, "main.jsonnet", true)
		slow, _ := evalJSONPath(t, opts, "main.jsonnet", false)
		sameEval(t, c.code, fast, slow)
		if installed != c.installed {
			t.Errorf("%s: %d stand-ins installed, want %d", c.code, installed, c.installed)
		}
	}
}

// writeRootWith writes files plus one more file name with body.
func writeRootWith(t testing.TB, files map[string]string, name, body string) string {
	t.Helper()
	all := map[string]string{name: body}
	for k, v := range files {
		if k != name {
			all[k] = v
		}
	}
	return writeRoot(t, all)
}

// TestJSONImportsReferenceEnvironments evaluates every environment of the repository this
// package lives in with and without the fast path: the same bytes, reads and errors.
func TestJSONImportsReferenceEnvironments(t *testing.T) {
	p, envs := referenceEnvironments(t)
	for _, env := range envs {
		if env.Inline {
			continue
		}
		opts := Options{Root: p.Root, JPath: p.JPath(env.Dir), TkEnv: env.TkEnvJSON()}
		fast, _ := evalJSONPath(t, opts, env.Entrypoint, true)
		slow, _ := evalJSONPath(t, opts, env.Entrypoint, false)
		sameEval(t, env.Entrypoint, fast, slow)
	}
}
