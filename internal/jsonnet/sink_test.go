package jsonnet

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// sinkEval is one evaluation's outcome for the sink tests.
type sinkEval struct {
	formatEval
	reads []FileRead
	trace string
}

// evalPath evaluates the repository-relative file with opts through the output sink (fast) or
// through go-jsonnet's text (!fast), kforge's evaluator off, and reports whether the sink
// served it.
func evalPath(t testing.TB, opts Options, file string, fast bool) (sinkEval, bool) {
	t.Helper()
	opts.OutputSink = fast
	opts.DisableInterp = true
	out, vm := evalVM(t, opts, file)
	return out, vm.sinkServed.Load() > 0
}

// evalVM evaluates the repository-relative file with opts on a new VM, recording its trace.
func evalVM(t testing.TB, opts Options, file string) (sinkEval, *VM) {
	t.Helper()
	var trace bytes.Buffer
	opts.TraceOut = &trace
	vm, err := NewVM(opts)
	if err != nil {
		t.Fatalf("NewVM: %v", err)
	}
	res, err := vm.EvaluateFile(file)
	return outcome(t, res, err, trace.String()), vm
}

// outcome is the sinkEval of an evaluation that returned res and err and traced trace.
func outcome(t testing.TB, res Result, err error, trace string) sinkEval {
	t.Helper()
	out := sinkEval{trace: trace}
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error is %T, not *Error: %v", err, err)
		}
		out.err = e
	} else {
		out.json, out.reads = res.JSON, res.Reads
	}
	return out
}

// sameEval fails unless both paths gave the same output, reads and trace, or the same error.
func sameEval(t testing.TB, file string, fast, text sinkEval) {
	t.Helper()
	switch {
	case fast.err == nil && text.err == nil:
		if fast.json != text.json {
			t.Errorf("%s: output differs\nsink: %q\ntext: %q", file, fast.json, text.json)
		}
	case fast.err != nil && text.err != nil:
		if fast.err.Error() != text.err.Error() || !reflect.DeepEqual(*fast.err, *text.err) {
			t.Errorf("%s: error differs\nsink: %v\ntext: %v", file, fast.err, text.err)
		}
	default:
		t.Errorf("%s: outcome differs\nsink: %q %v\ntext: %q %v", file, fast.json, fast.err, text.json, text.err)
	}
	if !reflect.DeepEqual(fast.reads, text.reads) {
		t.Errorf("%s: reads differ\nsink: %v\ntext: %v", file, fast.reads, text.reads)
	}
	if fast.trace != text.trace {
		t.Errorf("%s: trace differs\nsink: %q\ntext: %q", file, fast.trace, text.trace)
	}
}

// TestSinkReferenceEnvironments evaluates every environment of the repository this package
// lives in both ways: the same bytes, and every one served by the sink.
func TestSinkReferenceEnvironments(t *testing.T) {
	eachReferenceEnvironment(t, func(t *testing.T, opts Options, file string) {
		fast, served := evalPath(t, opts, file, true)
		text, _ := evalPath(t, opts, file, false)
		sameEval(t, file, fast, text)
		if fast.err == nil && !served {
			t.Errorf("the sink did not serve %s", file)
		}
	})
}

// eachReferenceEnvironment runs check as a subtest for every environment of this repository
// with a main.jsonnet, with the options it renders with.
func eachReferenceEnvironment(t *testing.T, check func(t *testing.T, opts Options, file string)) {
	p, envs := referenceEnvironments(t)
	for _, env := range envs {
		if env.Inline {
			continue
		}
		t.Run(env.Name, func(t *testing.T) {
			check(t, Options{Root: p.Root, JPath: p.JPath(env.Dir), TkEnv: env.TkEnvJSON()}, env.Entrypoint)
		})
	}
}

// TestSinkTestdata evaluates every Jsonnet file of this package's test data both ways,
// errors included (each takes the normal evaluation after the sink gave up).
func TestSinkTestdata(t *testing.T) {
	eachTestdataFile(t, func(t *testing.T, opts Options, file string) {
		fast, _ := evalPath(t, opts, file, true)
		text, _ := evalPath(t, opts, file, false)
		sameEval(t, file, fast, text)
	})
}

// eachTestdataFile runs check as a subtest for every Jsonnet file of this package's test data,
// with Tanka's import path for its directory.
func eachTestdataFile(t *testing.T, check func(t *testing.T, opts Options, file string)) {
	for _, tree := range []string{"order", "repo", "format"} {
		root := testdataRoot(t, tree)
		for _, file := range jsonnetFiles(t, root, ".") {
			t.Run(tree+"/"+file, func(t *testing.T) {
				check(t, Options{Root: root, JPath: tankaJPath(path.Dir(file)), TkEnv: []byte(`{"env": {"metadata": {"name": "test"}}}`)}, file)
			})
		}
	}
}

// writeRoot creates a repository holding files (path: contents).
func writeRoot(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestSinkCases covers what the sink must leave to the normal evaluation (top-level functions,
// top-level arguments, errors) and what it must keep as go-jsonnet does it (std.trace once,
// std.thisFile, empty containers, key order, numbers and strings).
func TestSinkCases(t *testing.T) {
	tests := []evalCase{
		{name: "object", code: `{b: [1, 2.5, -0, 1e21, 1e-7, 0.1 + 0.2], a: {}, c: [], d: null, e: true, f: false}`, served: true},
		{name: "scalar", code: `"text"`, served: true},
		{name: "empty array", code: `[]`, served: true},
		{name: "this file", code: `{file: std.thisFile, nested: {f: std.thisFile}}`, served: true},
		{name: "trace printed once", code: `{a: std.trace("first", 1), b: [std.trace("second", 2)]}`, served: true},
		{name: "trace before an error", code: `{a: std.trace("before", 1), b: error "boom"}`},
		{name: "error in manifestation", code: `{a: {b: error "deep"}}`},
		{name: "function value in the output", code: `{a: function(x) x}`},
		{name: "top-level function", code: `function(x = 3) {x: x}`},
		{name: "top-level function with arguments", code: `function(x) {x: x}`, opts: Options{TLAVars: map[string]string{"x": "given"}}},
		{name: "arguments ignored by an object", code: `{x: 1}`, opts: Options{TLACode: map[string]string{"x": "2"}}},
		{name: "external variables", code: `{v: std.extVar("v")}`, opts: Options{ExtVars: map[string]string{"v": "ext"}}, served: true},
		{name: "stack overflow", code: `local f(n) = if n == 0 then 0 else 1 + f(n - 1); {a: f(10000)}`},
		{name: "the sink is not for programs", code: `std.native("\u0000kforge.outputSink")(1)`},
		{name: "unknown native", code: `{a: std.native("nothing")}`, served: true},
		{name: "imports", code: `{l: import "l.libsonnet", s: importstr "s.txt"}`, served: true},
		{name: "import error", code: `{l: import "missing.libsonnet"}`},
	}
	lib := map[string]string{
		"lib/l.libsonnet": `{k: "%s-%d" % ["a", 1]}`,
		"lib/s.txt":       "line\n\u0085\x7f",
	}
	runEvalCases(t, "the sink", tests, lib, func(t testing.TB, opts Options, file string) (sinkEval, bool) {
		return evalPath(t, opts, file, true)
	})
}

// evalCase is a program (env/main.jsonnet, importing from lib/) evaluated with opts, and
// whether the fast path under test must serve it.
type evalCase struct {
	name   string
	code   string
	opts   Options
	served bool
}

// runEvalCases evaluates each case with eval (named what in messages) and with go-jsonnet's
// text, in a repository of the case's program and the files lib: the same outcome, and served
// as the case says.
func runEvalCases(t *testing.T, what string, tests []evalCase, lib map[string]string, eval func(t testing.TB, opts Options, file string) (sinkEval, bool)) {
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"env/main.jsonnet": tc.code}
			maps.Copy(files, lib)
			root := writeRoot(t, files)
			opts := tc.opts
			opts.Root, opts.JPath = root, []string{"env", "lib"}
			got, served := eval(t, opts, "env/main.jsonnet")
			text, _ := evalPath(t, opts, "env/main.jsonnet", false)
			sameEval(t, tc.code, got, text)
			if served != tc.served {
				t.Errorf("served by %s: %v, want %v (%v)", what, served, tc.served, got.err)
			}
		})
	}
}

// TestGeneratedValues compares the output sink and kforge's evaluator with go-jsonnet's text on
// generated values: numbers of every magnitude and kind (integral, fractional, negative zero,
// subnormal, near the %.0f/%.17g boundary) and strings with every kind of character go-jsonnet
// escapes or keeps. Both must serve every one.
func TestGeneratedValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 7))
	var files = map[string]string{}
	for i := range 60 {
		files[fmt.Sprintf("gen/v%02d.jsonnet", i)] = genValue(rng, 0)
	}
	root := writeRoot(t, files)
	for i := range 60 {
		file := fmt.Sprintf("gen/v%02d.jsonnet", i)
		opts := Options{Root: root}
		text, _ := evalPath(t, opts, file, false)
		fast, sinkServed := evalPath(t, opts, file, true)
		sameEval(t, files[file], fast, text)
		own, interpServed := evalInterp(t, opts, file)
		sameEval(t, files[file], own, text)
		if !sinkServed || !interpServed || fast.err != nil {
			t.Errorf("%s: served by the sink %v, by kforge's evaluator %v, error %v", file, sinkServed, interpServed, fast.err)
		}
	}
}

// genValue is the Jsonnet source of a random value.
func genValue(rng *rand.Rand, depth int) string {
	switch k := rng.IntN(10); {
	case depth < 4 && k < 3:
		n := rng.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = genValue(rng, depth+1)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case depth < 4 && k < 6:
		n := rng.IntN(5)
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf("[%q + %s]: %s", strconv.Itoa(i), genString(rng), genValue(rng, depth+1))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case k < 8:
		return genNumber(rng)
	case k < 9:
		return genString(rng)
	}
	return []string{"null", "true", "false"}[rng.IntN(3)]
}

// genNumber is a Jsonnet expression of a random finite number.
func genNumber(rng *rand.Rand) string {
	var f float64
	switch rng.IntN(6) {
	case 0:
		f = float64(rng.Int64N(1<<53)) * float64(1-2*rng.IntN(2))
	case 1:
		f = math.Float64frombits(rng.Uint64())
	case 2:
		f = math.Ldexp(rng.Float64(), rng.IntN(200)-100)
	case 3:
		f = []float64{0, 1e21, 1e20, 1e22, 0.1, 1e-7, 5e-324, math.MaxFloat64, 1 << 53, 1<<53 + 2, 123456789012345678}[rng.IntN(11)]
	case 4:
		f = float64(rng.IntN(1000)) / 8
	default:
		return "-0"
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		f = 1.5
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if f < 0 {
		return "(" + s + ")"
	}
	return s
}

// genString is a Jsonnet expression of a random string: literal characters, escapes, and code
// points built with std.char (control characters, C1, surrogate-free astral characters).
func genString(rng *rand.Rand) string {
	var parts []string
	for range rng.IntN(6) {
		switch rng.IntN(4) {
		case 0:
			parts = append(parts, fmt.Sprintf("std.char(%d)", rng.IntN(0xa0)))
		case 1:
			parts = append(parts, `"a\"b\\c\n\t\r\b\f/é€😀"`)
		case 2:
			cp := []int{0, 0x1f, 0x7f, 0x85, 0x9f, 0xa0, 0xfffd, 0xfeff, 0x2028, 0x10ffff, 0x1f600}[rng.IntN(11)]
			parts = append(parts, fmt.Sprintf("std.char(%d)", cp))
		default:
			r := rune(rng.IntN(0x10ffff))
			if !utf8.ValidRune(r) {
				r = 'x'
			}
			parts = append(parts, fmt.Sprintf("std.char(%d)", r))
		}
	}
	if len(parts) == 0 {
		return `""`
	}
	return "(" + strings.Join(parts, " + ") + ")"
}

// TestSerializeOutputSize checks that the size computed before writing is the size written, so
// the result string is allocated once.
func TestSerializeOutputSize(t *testing.T) {
	values := []any{
		nil, true, false, 0.0, math.Copysign(0, -1), 1e21, 0.1, "",
		"a\"\\\b\f\n\r\t\x00\x1f\x7f\u0085\u009f\u00a0\uFFFD\xff\xfe😀",
		[]any{}, map[string]any{},
		map[string]any{"z": []any{1.0, map[string]any{"k\n": "v"}, []any{}}, "a": map[string]any{}},
	}
	for _, v := range values {
		out, ok := serializeOutput(v)
		if !ok {
			t.Fatalf("serializeOutput(%#v) refused", v)
		}
		n, _ := jsonSize(v, 0)
		if len(out) != n+1 {
			t.Errorf("serializeOutput(%#v): wrote %d bytes, computed %d", v, len(out), n+1)
		}
	}
	if _, ok := serializeOutput(map[string]any{"a": int64(1)}); ok {
		t.Error("serializeOutput accepted an int64")
	}
}

// addStringNumberSeeds adds the seeds of the fuzz targets that take a string and a number.
func addStringNumberSeeds(f *testing.F) {
	f.Add("plain", 1.0)
	f.Add("\x00\x1f\"\\\u0085\u2028\xff", 0.1)
	f.Add("", 1e21)
	f.Add("😀", -5e-324)
}

// numberLiteral is n as a Jsonnet literal, or false for NaN and infinities (Jsonnet has none).
func numberLiteral(n float64) (string, bool) {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return "", false
	}
	return strconv.FormatFloat(n, 'g', -1, 64), true
}

// FuzzSink compares both paths on a fuzzed string and number inside a small document.
func FuzzSink(f *testing.F) {
	addStringNumberSeeds(f)
	f.Fuzz(func(t *testing.T, s string, n float64) {
		lit, ok := numberLiteral(n)
		if !ok {
			return
		}
		code := fmt.Sprintf("local s = std.extVar('s'); {s: s, n: (%s), a: [s, (%s), -(%s), {[s]: s}], [s + 'k']: []}", lit, lit, lit)
		root := writeRoot(t, map[string]string{"main.jsonnet": code})
		opts := Options{Root: root, ExtVars: map[string]string{"s": s}}
		fast, _ := evalPath(t, opts, "main.jsonnet", true)
		text, _ := evalPath(t, opts, "main.jsonnet", false)
		sameEval(t, code, fast, text)
	})
}
