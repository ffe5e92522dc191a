package jsonnet

import (
	"fmt"
	"strings"
	"testing"
)

// evalInterp evaluates the repository-relative file with opts as evaluation workers do
// (kforge's evaluator first, the output sink next) and reports whether kforge's evaluator
// served it.
func evalInterp(t testing.TB, opts Options, file string) (sinkEval, bool) {
	t.Helper()
	opts.OutputSink = true
	opts.DisableInterp = false
	out, vm := evalVM(t, opts, file)
	return out, vm.interpServed.Load() > 0
}

// TestInterpReferenceEnvironments evaluates every environment of this repository with kforge's
// evaluator and with go-jsonnet alone: the same bytes and reads, and every one served by
// kforge's evaluator.
func TestInterpReferenceEnvironments(t *testing.T) {
	eachReferenceEnvironment(t, func(t *testing.T, opts Options, file string) {
		got, served := evalInterp(t, opts, file)
		want, _ := evalPath(t, opts, file, false)
		sameEval(t, file, got, want)
		if got.err == nil && !served {
			t.Errorf("kforge's evaluator did not serve %s", file)
		}
	})
}

// TestInterpTestdata evaluates every Jsonnet file of this package's test data both ways,
// errors included (go-jsonnet reports them after kforge's evaluator gave up).
func TestInterpTestdata(t *testing.T) {
	eachTestdataFile(t, func(t *testing.T, opts Options, file string) {
		got, _ := evalInterp(t, opts, file)
		want, _ := evalPath(t, opts, file, false)
		sameEval(t, file, got, want)
	})
}

// TestInterpCases covers what kforge's evaluator leaves to go-jsonnet (errors, std.trace,
// top-level arguments, a function as the result) and what it must do exactly as go-jsonnet
// (a top-level function without arguments, std.thisFile, imports, natives, external
// variables, inheritance, assertions, std.objectRemoveKey, tail calls near the stack limit).
func TestInterpCases(t *testing.T) {
	tests := []evalCase{
		{name: "object", code: `{b: [1, 2.5, -0, 1e21, 1e-7, 0.1 + 0.2], a: {}, c: [], d: null, e: true, f: false}`, served: true},
		{name: "scalar", code: `"text"`, served: true},
		{name: "this file", code: `{file: std.thisFile, nested: {f: std.thisFile}, lib: (import "l.libsonnet").f}`, served: true},
		{name: "trace", code: `{a: std.trace("first", 1), b: [std.trace("second", 2)]}`},
		{name: "error", code: `{a: {b: error "deep"}}`},
		{name: "function value in the output", code: `{a: function(x) x}`},
		{name: "top-level function", code: `function(x = 3) {x: x}`, served: true},
		{name: "top-level function without its argument", code: `function(x) {x: x}`},
		{name: "top-level arguments", code: `function(x) {x: x}`, opts: Options{TLAVars: map[string]string{"x": "given"}}},
		{name: "external variables", code: `{v: std.extVar("v"), c: std.extVar("c")}`, opts: Options{ExtVars: map[string]string{"v": "ext"}, ExtCode: map[string]string{"c": "{f: std.thisFile, l: import 'lib/l.libsonnet'}"}}, served: true},
		{name: "stack overflow", code: `local f(n) = if n == 0 then 0 else 1 + f(n - 1); {a: f(10000)}`},
		{name: "deep but within the limit", code: `local f(n) = if n == 0 then 0 else 1 + f(n - 1); {a: f(150)}`, served: true},
		{name: "tail calls", code: `local f(n, acc) = if n == 0 then acc else f(n - 1, acc + 1) tailstrict; {a: f(10000, 0)}`, served: true},
		{name: "unknown native", code: `{a: std.native("nothing")}`, served: true},
		{name: "the sink's native is a function", code: `{t: std.type(std.native("\u0000kforge.outputSink"))}`, served: true},
		{name: "the sink's native is not for programs", code: `std.native("\u0000kforge.outputSink")(1)`},
		{name: "native", code: `{a: std.native("parseYaml")("a: [1, 2]\nb: x")}`, served: true},
		{name: "imports", code: `{l: import "l.libsonnet", s: importstr "s.txt", b: importbin "s.txt"}`, served: true},
		{name: "import error", code: `{l: import "missing.libsonnet"}`},
		{name: "inheritance", code: `local base = {a: 1, h:: 2, v::: 3, o: {x: 1}, f(x):: x + self.a};
			local mid = base + {a+: 10, o+: {y: super.x}, h: 5, g: super.f(1), has: "a" in super, not: "z" in super};
			mid + {a: super.a * 2, v:: 4, o+: {z: self.y}, top: $.a}`, served: true},
		{name: "assertions hold", code: `{assert self.a > 0 : "positive", a: 1} + {b: 2}`, served: true},
		{name: "assertion fails", code: `{assert self.a > 0 : "positive", a: 1} + {a: -1}`},
		{name: "remove key", code: `local o = std.objectRemoveKey({a: 1, b:: 2, c: 3}, "a"); {o: o, f: std.objectFieldsAll(o), plus: o + {d: 4}, again: (o + {a: 9}).a}`, served: true},
		{name: "comprehensions", code: `{[k]: {v: k, s: self.v + "!"} for k in ["x", "y"]} + {arr: [x * y for x in [1, 2] for y in [3, 4] if x != y]}`, served: true},
		{name: "format", code: `{a: "%s-%05.2f-%x" % ["a", 3.14159, 255], b: std.format("%(k)s", {k: "v"})}`, served: true},
		{name: "std functions", code: `{m: std.mergePatch({a: {b: 1, c: 2}}, {a: {b: null, d: 3}}), s: std.sort([3, 1, 2]), u: std.uniq([1, 1, 2]), y: std.manifestJsonEx({a: [1, "x"]}, "  "), j: std.join(",", ["a", "b"]), sp: std.split("a,b", ","), l: std.asciiLower("ABC"), r: std.range(1, 3), fl: std.foldl(function(a, b) a + b, [1, 2, 3], 0)}`, served: true},
		{name: "data", code: `local d = {a:: 1, b: [2, -0, 1e-7, -(3)], c::: {x: null, y: "é"}, "k\u0000": true};
			{d: d, j: import "d.json", all: std.objectFieldsAll(d), vis: std.objectFields(d), plus: d + {a: 5, b+: [4]}, eq: d == {b: [2, 0, 1e-7, -3], c: {x: null, y: "é"}, "k\u0000": true}}`, served: true},
		{name: "equality", code: `{a: {x: [1, {y: 2}]} == {x: [1, {y: 2}]}, b: [1] != [2], c: "a" < "b", d: [1, 2] < [1, 3]}`, served: true},
		{name: "division by zero", code: `{a: 1 / 0}`},
		{name: "overflow", code: `{a: 1e308 * 10}`},
		{name: "invalid utf-8 is refused as before", code: `{s: importstr "bad.txt"}`},
		{name: "kforge's parser refuses the program (surrogate escapes)", code: `{s: "\ud83d\ude00", l: import "sur.libsonnet"}`, served: true},
		{name: "a lone surrogate escape is go-jsonnet's static error", code: `{lone: "\ud83d"}`},
		{name: "JSON deeper than the direct decoder takes", code: `{d: import "deep.json"}`, served: true},
		{name: "JSON with a repeated key", code: `{d: import "dupkeys.json"}`},
		{name: "JSON that is Jsonnet", code: `{d: import "code.json"}`, served: true},
	}
	lib := map[string]string{
		"lib/l.libsonnet":   `{k: "%s-%d" % ["a", 1], f: std.thisFile}`,
		"lib/s.txt":         "line\n\u0085\x7f",
		"lib/bad.txt":       "a\xffb\xc3",
		"lib/d.json":        `{"z": [1, {"y": -0.5}], "a": "\u00e9\ud83d\ude00", "n": null}`,
		"lib/sur.libsonnet": `{t: "\udbff\udfff"}`,
		"lib/deep.json":     strings.Repeat("[", 70) + `{"a": 1}` + strings.Repeat("]", 70),
		"lib/dupkeys.json":  `{"a": 1, "a": 2}`,
		"lib/code.json":     `{a: 1, b: self.a + 1}`,
	}
	runEvalCases(t, "kforge's evaluator", tests, lib, evalInterp)
}

// FuzzInterp compares kforge's evaluator with go-jsonnet on a fuzzed string and number used
// in a small program (as a value, a field name, in string building and comparisons).
func FuzzInterp(f *testing.F) {
	addStringNumberSeeds(f)
	f.Fuzz(func(t *testing.T, s string, n float64) {
		lit, ok := numberLiteral(n)
		if !ok {
			return
		}
		code := fmt.Sprintf(`local s = std.extVar('s'); local n = (%s);
			{s: s, n: n, a: [s, -n, n * 2, n / 3, std.floor(n), s < "m", std.length(s), s + n, [s] + [n]],
			 [s + 'k']: {[s]: s}, t: std.toString({a: [s, n]}), sub: std.substr(s, 1, 2), up: std.asciiUpper(s),
			 sp: std.split(s + ",x", ","), f: "%%s/%%d" %% [s, n], c: std.stringChars(s), e: std.escapeStringJson(s)}`, lit)
		root := writeRoot(t, map[string]string{"main.jsonnet": code})
		opts := Options{Root: root, ExtVars: map[string]string{"s": s}}
		got, _ := evalInterp(t, opts, "main.jsonnet")
		want, _ := evalPath(t, opts, "main.jsonnet", false)
		sameEval(t, code, got, want)
	})
}
