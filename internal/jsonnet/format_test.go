package jsonnet

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// formatCase is one call of std.format: a format string and a Jsonnet expression for the
// values.
type formatCase struct {
	name   string
	format string
	vals   string
	// native says the Go formatter must produce the result itself (no fallback).
	native bool
}

// formatSpecCases are the cases of Jsonnet's specification test for std.format (the
// test_suite of the C++ implementation) and of go-jsonnet's % operator tests, re-expressed
// as a table.
var formatSpecCases = []formatCase{
	// Literal text and %%.
	{"no directives", "No format chars\n", "[]", true},
	{"empty", "", "[]", true},
	{"percent with flags", "%#%", "[]", true},
	{"percent with width", "%# +05.3%", "[]", true},
	{"percent left aligned", "%# -+05.3%", "[]", true},
	// %s
	{"s string", "%s", `["test"]`, true},
	{"s boolean", "%s", "[true]", true},
	{"s width", "%5s", `["test"]`, true},
	// %c
	{"c string", "%c", `["a"]`, true},
	{"c flags ignored", "%# +05.3c", `["a"]`, true},
	{"c code point", "%c", `[std.codepoint("a")]`, true},
	// %d %i %u
	{"d", "thing-%d", "[10]", true},
	{"d alt and length modifier", "thing-%#ld", "[10]", true},
	{"d negative", "thing-%d", "[-10]", true},
	{"d width", "thing-%4d", "[10]", true},
	{"d zero padded", "thing-%04d", "[10]", true},
	{"d blank", "thing-% d", "[10]", true},
	{"d blank left", "thing-%- 4d", "[10]", true},
	{"d blank negative", "thing-% d", "[-10]", true},
	{"d precision truncates", "thing-%4.4d", "[10.3]", true},
	{"d plus", "thing-%+4.4d", "[10.3]", true},
	{"d plus left", "thing-%+-4.4d", "[10.3]", true},
	{"d left", "thing-%-4.4d", "[10.3]", true},
	{"d alt left", "thing-%#-4.4d", "[10.3]", true},
	{"i", "thing-%#-4.4i", "[10.3]", true},
	{"u", "thing-%#-4.4u", "[10.3]", true},
	// %o
	{"o", "thing-%o", "[10]", true},
	{"o length modifier", "thing-%lo", "[10]", true},
	{"o negative", "thing-%o", "[-10]", true},
	{"o width", "thing-%4o", "[10]", true},
	{"o zero padded", "thing-%04o", "[10]", true},
	{"o blank", "thing-% o", "[10]", true},
	{"o blank left", "thing-%- 4o", "[10]", true},
	{"o blank negative", "thing-% o", "[-10]", true},
	{"o precision", "thing-%4.4o", "[10.3]", true},
	{"o plus", "thing-%+4.4o", "[10.3]", true},
	{"o plus left", "thing-%+-4.4o", "[10.3]", true},
	{"o left", "thing-%-4.4o", "[10.3]", true},
	{"o alt", "thing-%#o", "[10]", true},
	{"o alt length modifier", "thing-%#lo", "[10]", true},
	{"o alt negative", "thing-%#o", "[-10]", true},
	{"o alt width", "thing-%#4o", "[10]", true},
	{"o alt zero padded", "thing-%#04o", "[10]", true},
	{"o alt blank", "thing-%# o", "[10]", true},
	{"o alt blank left", "thing-%#- 4o", "[10]", true},
	{"o alt blank negative", "thing-%# o", "[-10]", true},
	{"o alt precision", "thing-%#4.4o", "[10.3]", true},
	{"o alt plus", "thing-%#+4.4o", "[10.3]", true},
	{"o alt plus left", "thing-%#+-4.4o", "[10.3]", true},
	{"o alt left", "thing-%#-4.4o", "[10.3]", true},
	// %x
	{"x", "thing-%x", "[910]", true},
	{"x length modifier", "thing-%lx", "[910]", true},
	{"x negative", "thing-%x", "[-910]", true},
	{"x width", "thing-%5x", "[910]", true},
	{"x zero padded", "thing-%05x", "[910]", true},
	{"x blank", "thing-% x", "[910]", true},
	{"x blank left", "thing-%- 5x", "[910]", true},
	{"x blank negative", "thing-% x", "[-910]", true},
	{"x precision", "thing-%5.4x", "[910.3]", true},
	{"x plus", "thing-%+5.4x", "[910.3]", true},
	{"x plus left", "thing-%+-5.4x", "[910.3]", true},
	{"x left", "thing-%-5.4x", "[910.3]", true},
	{"x alt", "thing-%#x", "[910]", true},
	{"x alt length modifier", "thing-%#lx", "[910]", true},
	{"x alt negative", "thing-%#x", "[-910]", true},
	{"x alt width", "thing-%#7x", "[910]", true},
	{"x alt zero padded", "thing-%#07x", "[910]", true},
	{"x alt blank", "thing-%# x", "[910]", true},
	{"x alt blank left", "thing-%#- 7x", "[910]", true},
	{"x alt blank negative", "thing-%# x", "[-910]", true},
	{"x alt precision", "thing-%#7.4x", "[910.3]", true},
	{"x alt plus", "thing-%#+7.4x", "[910.3]", true},
	{"x alt plus left", "thing-%#+-7.4x", "[910.3]", true},
	{"x alt left", "thing-%#-7.4x", "[910.3]", true},
	// %X
	{"X", "thing-%X", "[910]", true},
	{"X length modifier", "thing-%lX", "[910]", true},
	{"X negative", "thing-%X", "[-910]", true},
	{"X width", "thing-%5X", "[910]", true},
	{"X zero padded", "thing-%05X", "[910]", true},
	{"X blank", "thing-% X", "[910]", true},
	{"X blank left", "thing-%- 5X", "[910]", true},
	{"X blank negative", "thing-% X", "[-910]", true},
	{"X precision", "thing-%5.4X", "[910.3]", true},
	{"X plus", "thing-%+5.4X", "[910.3]", true},
	{"X plus left", "thing-%+-5.4X", "[910.3]", true},
	{"X left", "thing-%-5.4X", "[910.3]", true},
	{"X alt", "thing-%#X", "[910]", true},
	{"X alt length modifier", "thing-%#lX", "[910]", true},
	{"X alt negative", "thing-%#X", "[-910]", true},
	{"X alt width", "thing-%#7X", "[910]", true},
	{"X alt zero padded", "thing-%#07X", "[910]", true},
	{"X alt blank", "thing-%# X", "[910]", true},
	{"X alt blank left", "thing-%#- 7X", "[910]", true},
	{"X alt blank negative", "thing-%# X", "[-910]", true},
	{"X alt precision", "thing-%#7.4X", "[910.3]", true},
	{"X alt plus", "thing-%#+7.4X", "[910.3]", true},
	{"X alt plus left", "thing-%#+-7.4X", "[910.3]", true},
	{"X alt left", "thing-%#-7.4X", "[910.3]", true},
	// %e %E
	{"e", "%e", "[910]", true},
	{"e no digits", "%.0le", "[910]", true},
	{"e alt negative", "%#e", "[-910]", true},
	{"e width", "%16e", "[910]", true},
	{"e zero padded", "%016e", "[910]", true},
	{"e blank", "% e", "[910]", true},
	{"e blank left", "%- 16e", "[910]", true},
	{"e blank negative", "% e", "[-910]", true},
	{"e precision", "%16.4e", "[910.3]", true},
	{"e plus", "%+16.4e", "[910.3]", true},
	{"e plus left", "%+-16.4e", "[910.3]", true},
	{"e left", "%-16.4e", "[910.3]", true},
	{"e alt no digits", "%#.0e", "[910.3]", true},
	{"e alt no digits whole", "%#.0e", "[900]", true},
	{"E", "%E", "[910]", true},
	{"E no digits", "%.0lE", "[910]", true},
	{"E alt negative", "%#E", "[-910]", true},
	{"E width", "%16E", "[910]", true},
	{"E zero padded", "%016E", "[910]", true},
	{"E blank", "% E", "[910]", true},
	{"E blank left", "%- 16E", "[910]", true},
	{"E blank negative", "% E", "[-910]", true},
	{"E precision", "%16.4E", "[910.3]", true},
	{"E plus", "%+16.4E", "[910.3]", true},
	{"E plus left", "%+-16.4E", "[910.3]", true},
	{"E left", "%-16.4E", "[910.3]", true},
	{"E alt no digits", "%#.0E", "[910.3]", true},
	{"E alt no digits whole", "%#.0E", "[900]", true},
	// %f %F
	{"f", "%f", "[910]", true},
	{"f no digits", "%.0lf", "[910]", true},
	{"f alt negative", "%#f", "[-910]", true},
	{"f width", "%12f", "[910]", true},
	{"f zero padded", "%012f", "[910]", true},
	{"f blank", "% f", "[910]", true},
	{"f blank left", "%- 12f", "[910]", true},
	{"f blank negative", "% f", "[-910]", true},
	{"f precision", "%12.4f", "[910.3]", true},
	{"f plus", "%+12.4f", "[910.3]", true},
	{"f plus left", "%+-12.4f", "[910.3]", true},
	{"f left", "%-12.4f", "[910.3]", true},
	{"f alt no digits", "%#.0f", "[910.3]", true},
	{"f alt no digits whole", "%#.0f", "[910]", true},
	{"F", "%F", "[910.25]", true},
	// %g %G
	{"g exponent", "%.3g", "[1000000001]", true},
	{"g exponent small", "%.3g", "[1001]", true},
	{"g fraction", "%.3g", "[0.001]", true},
	{"G", "%G", "[1e-10]", true},
	// Together, and the % operator's own cases.
	{"many", "%s[%05d]-%2x%2x%2x%c", `["foo", 3991, 17, 18, 17, 100]`, true},
	{"star width", "%*d", "[10, 8]", true},
	{"star width and precision", "%*.*f", "[10, 3, 1/3]", true},
	{"percent float", "%f", "0", true},
	{"percent str", "x %s", `["y"]`, true},
	{"percent str single", "x %s", `"y"`, true},
	{"percent two", "x %s %s", `["y", "z"]`, true},
	{"percent too many", "x %s", `["y", "z"]`, false},
	{"percent not enough", "x %s %s", `["y"]`, false},
	{"percent not enough single", "x %s %s", `"y"`, false},
	{"percent d of string", "x %d", `["y"]`, false},
	{"percent mapping", "x %(a)s %(b)s", `{a: "y", b: "z"}`, true},
	{"percent too many single", "x", "42", false},
	{"mod string", "abcd %s %03d", `["xxx", 42]`, true},
}

// formatMoreCases cover what the specification's cases do not: rounding, signs, limits,
// laziness and the error messages of every error.
var formatMoreCases = []formatCase{
	// Values of every type with %s.
	{"s null", "%s", "[null]", true},
	{"s false", "%s", "[false]", true},
	{"s integer", "%s", "[42]", true},
	{"s negative zero", "%s", "[-0]", true},
	{"s fraction", "%s", "[0.1]", true},
	{"s large", "%s", "[1e300]", true},
	{"s small", "%s", "[1e-300]", true},
	{"s third", "%s", "[1/3]", true},
	{"s array", "%s", "[[1, 'a', {b: null}]]", false},
	{"s object", "%s", "[{b: [1, 2], a: 'x'}]", false},
	{"s empty object", "%s", "[{}]", false},
	{"s function", "%s", "[function(x) x]", false},
	{"s unicode padding", "%6s|%-6s", `["héllo", "日本"]`, true},
	{"s astral padding", "%4s", `["😀"]`, true},
	{"text unicode", "ünï %s cödé", `["ö"]`, true},
	{"s precision ignored", "%.2s", `["abcdef"]`, true},
	// Integers.
	{"d zero", "%d", "[0]", true},
	{"d negative zero", "%d", "[-0]", true},
	{"d minus half", "%d", "[-0.5]", true},
	{"d minus one and a half", "%d", "[-1.5]", true},
	{"d big", "%d", "[999999999999999]", true},
	{"d too big for native", "%d", "[1e15]", false},
	{"d huge", "%d", "[1e300]", false},
	{"d precision zero pads", "%.5d", "[42]", true},
	{"d width and precision", "%8.5d", "[-42]", true},
	{"d zero flag with precision", "%08.3d", "[42]", true},
	{"d zero flag left ignored", "%-08d", "[42]", true},
	{"d plus and blank", "%+ d", "[42]", true},
	{"o alt zero", "%#o", "[0]", true},
	{"o big", "%o", "[123456789012]", true},
	{"x zero alt", "%#x", "[0]", true},
	{"x minus half floors", "%x", "[-0.5]", true},
	{"x minus two and a half", "%x", "[-2.5]", true},
	{"x big", "%X", "[999999999999999]", true},
	// Floats.
	{"f rounding half", "%.0f", "[0.5]", true},
	{"f rounding one and a half", "%.0f", "[1.5]", true},
	{"f rounding carries", "%.2f", "[9.999]", true},
	{"f negative small", "%f", "[-0.0000001]", true},
	{"f negative zero", "%f", "[-0]", true},
	{"f precision 20", "%.20f", "[0.1]", true},
	{"f precision too big for native", "%.21f", "[0.1]", false},
	{"f big", "%f", "[123456789012345.6]", true},
	{"f zero padded negative", "%010.2f", "[-3.14159]", true},
	{"f plus zero padded", "%+010.2f", "[3.14159]", true},
	{"e zero", "%e", "[0]", true},
	{"e carry", "%.2e", "[9.999]", true},
	{"e tiny", "%e", "[1e-300]", true},
	{"e smallest", "%e", "[5e-324]", true},
	{"e negative tiny", "%.3E", "[-2.5e-310]", true},
	{"g default", "%g", "[123.456]", true},
	{"g zero", "%g", "[0]", true},
	{"g alt", "%#g", "[1.5]", true},
	{"g large", "%g", "[123456789]", true},
	{"g small", "%g", "[0.00001234]", true},
	{"g precision zero", "%.0g", "[123.456]", true},
	{"g precision zero fraction", "%.0g", "[0.05]", true},
	{"G exponent", "%G", "[1e20]", false},
	{"G exponent in range", "%G", "[1e14]", true},
	// %c
	{"c zero", "%c", "[0]", true},
	{"c astral", "%c", "[128512]", true},
	{"c max", "%c", "[1114111]", true},
	{"c surrogate", "%c", "[55296]", true},
	{"c fraction", "%c", "[65.7]", true},
	{"c too big", "%c", "[1114112]", false},
	{"c negative", "%c", "[-1]", false},
	{"c long string", "%c", `["ab"]`, false},
	{"c empty string", "%c", `[""]`, false},
	{"c boolean", "%c", "[true]", false},
	{"c width", "%3c|%-3c", `["x", 121]`, true},
	// * width and precision.
	{"star width negative", "%*d|", "[-5, 3]", true},
	{"star width fraction", "%*d|", "[2.5, 3]", true},
	{"star width zero flag", "%0*d", "[6, -42]", true},
	{"star width on percent", "%*%", "[3]", true},
	{"star width on percent single", "%*%", "3", true},
	{"star width left on percent", "%-*%|", "[3]", true},
	{"star width string", "%*d", `["5", 3]`, false},
	{"star width too big for native", "%*d", "[65, 3]", false},
	{"star width at the native limit", "%*d", "[-64, 3]", true},
	{"width at the native limit", "%64s|%-64d|%064x", `["a", 1, 255]`, true},
	{"width beyond the native limit", "%65s", `["a"]`, false},
	{"width beyond max stack", "%300s", `["a"]`, false},
	{"star precision", "%.*f", "[2, 3.14159]", true},
	{"star precision d", "%.*d", "[4, 7]", true},
	{"star precision fraction", "%.*f", "[1.5, 3.14159]", false},
	{"star precision negative", "%.*d", "[-3, 7]", false},
	{"star precision string", "%.*f", `["2", 3.14159]`, false},
	{"star precision ignored by s", "%.*s", `[error "never evaluated", "x"]`, true},
	{"star precision ignored by c", "%.*c", `[{}, "x"]`, true},
	{"star precision on percent", "%.*%", "[{}]", true},
	{"star precision on percent missing", "%.*%", "[]", false},
	{"star both", "%-*.*e|", "[12, 2, 12345.678]", true},
	{"star not enough", "%*d", "[5]", false},
	{"star not enough single", "%*d", "5", false},
	// Mapping keys.
	{"mapping", "%(name)s-%(n)03d", `{name: "svc", n: 7}`, true},
	{"mapping repeated", "%(a)s%(a)s", `{a: "x"}`, true},
	{"mapping hidden field", "%(a)s", `{a:: "hidden"}`, true},
	{"mapping inherited", "%(a)s", `{a: 1} + {b: 2}`, true},
	{"mapping with percent", "%(a)d%%", `{a: 50}`, true},
	{"mapping percent with width", "%5%", `{a: 50}`, true},
	{"mapping other fields lazy", "%(a)s", `{a: "x", b: error "never evaluated"}`, true},
	{"mapping key with parenthesis text", "%(a b)s", `{"a b": "x"}`, true},
	{"mapping in array mode ignored", "%(a)s", `["x"]`, true},
	{"mapping missing field", "%(a)s", `{b: 1}`, false},
	{"mapping required", "%s", `{a: 1}`, false},
	{"mapping star width", "%(a)*d", `{a: 1}`, false},
	{"mapping star precision", "%(a).*f", `{a: 1}`, false},
	{"mapping star precision ignored", "%(a).*s", `{a: "x"}`, true},
	{"mapping type error", "%(a)d", `{a: "x"}`, false},
	{"mapping composite", "%(a)s", `{a: [1]}`, false},
	{"mapping empty object", "x", `{}`, true},
	{"mapping object assertion", "%(a)s", `{a: 1, assert false : "object assertion"}`, false},
	// Error ordering: the first error in evaluation order wins.
	{"error in value", "%s", `[error "boom"]`, false},
	{"error after type error", "%d %s", `["x", error "boom"]`, false},
	{"error before type error", "%s %d", `[error "boom", "x"]`, false},
	{"error in width", "%*d", `[error "boom", "x"]`, false},
	{"error in precision after value", "%.*d", `[error "boom", "x"]`, false},
	{"error in unused value", "%s", `["x", error "boom"]`, false},
	{"error in mapping", "%(a)d %(b)s", `{a: "x", b: error "boom"}`, false},
	{"error as values", "%s", `error "boom"`, false},
	{"error in element of single", "%s", `[error "boom"]`, false},
	// Malformed format strings.
	{"truncated", "%", "[]", false},
	{"truncated flags", "%-", "[1]", false},
	{"truncated width", "%5", "[1]", false},
	{"truncated precision", "%.5", "[1]", false},
	{"truncated mapping key", "%(a", "{a: 1}", false},
	{"truncated length modifier", "%l", "[1]", false},
	{"unknown conversion", "%y", "[1]", false},
	{"unknown conversion r", "%r", "[1]", false},
	{"precision without digits", "%.f", "[1.5]", true},
	{"double length modifier", "%lld", "[1]", false},
	// Other argument shapes.
	{"single number", "%d", "42", true},
	{"single boolean", "%s", "true", true},
	{"single null", "%s", "null", true},
	{"single function", "%s", "function() 1", false},
	{"array variable", "%s-%s", `local a = ["a", "b"]; a`, true},
	{"array of wrong length", "%s", `local a = ["a", "b"]; a`, false},
	{"empty array variable", "x", `local a = []; a`, true},
	{"object variable", "%(x)s", `local o = {x: 1}; o`, true},
	{"string variable", "%s", `local s = "str"; s`, true},
	{"array from comprehension", "%d,%d", `[i * 2 for i in [1, 2]]`, true},
}

// formatEval is the outcome of one evaluation.
type formatEval struct {
	json string
	err  *Error
}

// evalFormat evaluates code as x.jsonnet with native formatting on or off and returns the
// outcome and the number of Go formatter calls that produced the result.
func evalFormat(t *testing.T, root, code string, native bool) (formatEval, int64) {
	t.Helper()
	vm := newTestVM(t, Options{Root: root, DisableNativeFormat: !native})
	res, err := vm.EvaluateSnippet("x.jsonnet", code)
	served := vm.formatCalls.calls.Load() - vm.formatCalls.declined.Load()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error is %T, not *Error: %v", err, err)
		}
		return formatEval{err: e}, served
	}
	return formatEval{json: res.JSON}, served
}

// sameOutcome fails the test unless got (native) and want (Jsonnet) are the same result or
// the same error: kind, message and position.
func sameOutcome(t *testing.T, code string, got, want formatEval) {
	t.Helper()
	switch {
	case want.err == nil && got.err == nil:
		if got.json != want.json {
			t.Errorf("%s\nnative:  %s\njsonnet: %s", code, got.json, want.json)
		}
	case want.err != nil && got.err != nil:
		g, w := *got.err, *want.err
		if g.Kind != w.Kind || g.Message != w.Message || g.Position() != w.Position() {
			t.Errorf("%s\nnative error:  %s: %s (%s)\njsonnet error: %s: %s (%s)",
				code, g.Position(), g.Message, g.Kind, w.Position(), w.Message, w.Kind)
		}
	default:
		t.Errorf("%s\nnative:  %q %v\njsonnet: %q %v", code, got.json, got.err, want.json, want.err)
	}
}

// jsonnetString renders s as a Jsonnet string literal.
func jsonnetString(s string) string {
	b, err := json.Marshal(s)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestNativeFormatMatchesJsonnet(t *testing.T) {
	root := t.TempDir()
	cases := append(append([]formatCase{}, formatSpecCases...), formatMoreCases...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lit := jsonnetString(tc.format)
			for _, code := range []string{
				"std.format(" + lit + ", " + tc.vals + ")",
				lit + " % (" + tc.vals + ")",
				// A format string that is not a literal takes the run-time plan.
				"local f = " + lit + "; std.format(f, " + tc.vals + ")",
				"local f = " + lit + "; f % (" + tc.vals + ")",
			} {
				got, served := evalFormat(t, root, code, true)
				want, _ := evalFormat(t, root, code, false)
				sameOutcome(t, code, got, want)
				if tc.native && served != 1 {
					t.Errorf("%s: the Go formatter served %d calls, want 1", code, served)
				}
				if !tc.native && served != 0 {
					t.Errorf("%s: the Go formatter served %d calls, want 0 (the case must fall back)", code, served)
				}
			}
		})
	}
}

func TestNativeFormatPositions(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name       string
		code       string
		line, col  int
		wantSubstr string
	}{
		{
			name: "percent type error",
			code: "local x = 1;\n{\n  a: 'n=%d' % ['x'],\n}\n",
			line: 3, col: 6,
			wantSubstr: "Format required number at 0, got string",
		},
		{
			name: "std.format missing field",
			code: "{\n  b: [\n    std.format('%(a)s', {b: 1}),\n  ],\n}\n",
			line: 3, col: 5,
			wantSubstr: "No such field: a",
		},
		{
			name: "error in a value points at the value",
			code: "local v = 'x';\n'%s-%s' % [v, error 'bad value']\n",
			line: 2, col: 15,
			wantSubstr: "bad value",
		},
		{
			name: "non-string left operand",
			code: "\n  {} % 1\n",
			line: 2, col: 3,
			wantSubstr: "Operator % cannot be used on types object and number.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, native := range []bool{true, false} {
				got, _ := evalFormat(t, root, tc.code, native)
				if got.err == nil {
					t.Fatalf("native=%v: no error, output %s", native, got.json)
				}
				if got.err.File != "x.jsonnet" || got.err.Line != tc.line || got.err.Column != tc.col {
					t.Errorf("native=%v: error at %s, want x.jsonnet:%d:%d", native, got.err.Position(), tc.line, tc.col)
				}
				if !strings.Contains(got.err.Message, tc.wantSubstr) {
					t.Errorf("native=%v: message %q, want it to contain %q", native, got.err.Message, tc.wantSubstr)
				}
			}
		})
	}
}

func TestNativeFormatScopes(t *testing.T) {
	root := t.TempDir()
	tests := []struct {
		name   string
		code   string
		served int64
	}{
		{"user std shadows format", `local std = {format(a, b): "mine"}; std.format("%s", 1)`, 0},
		{"user std still leaves %", `local std = {mod(a, b): "mine"}; "%s" % 1`, 1},
		{"parameter named std", `(function(std) std.format("%s", 1))({format(a, b): "param"})`, 0},
		{"object local named std", `{local std = {format(a, b): "obj"}, a: std.format("%s", 1)}`, 0},
		{"std outside the shadowing scope", `[local std = {format(a, b): "x"}; std.format("%s", 1), std.format("%s", 2)]`, 1},
		{"std.mod with a string", `std.mod("%s", [1])`, 1},
		{"named arguments are left alone", `std.format(str="%s", vals=[1])`, 0},
		{"tailstrict calls are left alone", `std.format("%s", [1]) tailstrict`, 0},
		{"non-literal format string", `local f = "%s"; f % 1`, 1},
		{"computed format string", `[std.format("%." + p + "f", [1 / 3]) for p in [1, 2, 3]]`, 3},
		{"format string parameter", `local fmt(f, v) = f % v; [fmt("%s-%s", ["a", "b"]), fmt("%(x)d", {x: 1}), fmt(7, 4)]`, 2},
		{"non-string left operand", `local x = 7; [x % 4, std.format(x, 1)]`, 0},
		{"numeric modulo by zero", `local x = 7; x % 0`, 0},
		{"numeric modulo of a string", `local x = 7; x % "a"`, 0},
		{"numeric modulo of mixed types", `local x = 7.5; local y = -2; [x % y, -x % y]`, 0},
		{"std.format evaluates its values first", `local f = error "format"; std.format(f, error "values")`, 0},
		{"% evaluates its format first", `local f = error "format"; f % error "values"`, 0},
		{"std.format of an array format", `local f = ["%", "s", "!"]; std.format(f, ["x"])`, 0},
		{"numeric modulo", `[7 % 3, 7.5 % 2, -7 % 3]`, 0},
		{"nested", `"<%s>" % ["(%s)" % ["%d" % 1]]`, 3},
		{"in a function called twice", `local f(x) = "%s!" % x; [f(1), f("a")]`, 2},
		{"in object fields with self", `{a: "x", b: "%s-%s" % [self.a, $.a]}`, 1},
		{"format string used twice", `local f = std.format; [f("%s", 1), std.format("%s", 2)]`, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, served := evalFormat(t, root, tc.code, true)
			want, _ := evalFormat(t, root, tc.code, false)
			sameOutcome(t, tc.code, got, want)
			if served != tc.served {
				t.Errorf("the Go formatter served %d calls, want %d", served, tc.served)
			}
		})
	}
}
