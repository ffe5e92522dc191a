package jsonnet

import (
	"errors"
	"strings"
	"testing"
)

func TestErrorPositions(t *testing.T) {
	root := testdataRoot(t, "repo")
	vm := newTestVM(t, Options{Root: root, JPath: tankaJPath("environments/errors"), MaxStack: 40})
	tests := []struct {
		file      string
		kind      Kind
		pos       string
		message   string
		traceHas  []string // substrings of Error() after the first line
		traceNone bool
	}{
		{
			file:    "environments/errors/runtime.jsonnet",
			kind:    KindRuntime,
			pos:     "lib/fail.libsonnet:3:19",
			message: "value 5 is too large",
			traceHas: []string{
				"\tlib/fail.libsonnet:3:19\tfunction <anonymous>",
				"\tenvironments/errors/runtime.jsonnet:4:8\tobject <anonymous>",
				"\tField \"bad\"",
				"\tDuring manifestation",
			},
		},
		{
			file:      "environments/errors/syntax.jsonnet",
			kind:      KindSyntax,
			pos:       "environments/errors/syntax.jsonnet:4:1",
			message:   `Unexpected: "}" while parsing terminal`,
			traceNone: true,
		},
		{
			file:      "environments/errors/unknown-variable.jsonnet",
			kind:      KindSyntax,
			pos:       "environments/errors/unknown-variable.jsonnet:2:6",
			message:   "Unknown variable: missing",
			traceNone: true,
		},
		{
			file:     "environments/errors/broken-import.jsonnet",
			kind:     KindSyntax,
			pos:      "lib/broken.libsonnet:3:6",
			message:  `Unexpected: "," while parsing terminal`,
			traceHas: []string{"\tenvironments/errors/broken-import.jsonnet:2:7\n\tField \"x\""},
		},
		{
			file:    "environments/errors/not-found.jsonnet",
			kind:    KindImport,
			pos:     "environments/errors/not-found.jsonnet:2:6",
			message: `import "nowhere.libsonnet" not found (searched environments/errors, lib, environments/errors/vendor, vendor)`,
		},
		{
			file:     "environments/errors/recursion.jsonnet",
			kind:     KindRuntime,
			pos:      "environments/errors/recursion.jsonnet:1:17",
			message:  "max stack frames exceeded (limit 40): infinite recursion?",
			traceHas: []string{"\tenvironments/errors/recursion.jsonnet:1:17\tfunction <loop>", "frames omitted)", "\tenvironments/errors/recursion.jsonnet:3:6\tobject <anonymous>"},
		},
		{
			file:    "environments/errors/directory.jsonnet",
			kind:    KindImport,
			pos:     "environments/errors/directory.jsonnet:1:1",
			message: `import "subdir": environments/errors/subdir is a directory, not a file`,
		},
		{
			file:     "environments/errors/function.jsonnet",
			kind:     KindRuntime,
			pos:      "environments/errors/function.jsonnet",
			message:  "couldn't manifest function as JSON",
			traceHas: []string{"\tField \"f\""},
		},
		{
			file:    "environments/errors/native.jsonnet",
			kind:    KindRuntime,
			pos:     "environments/errors/native.jsonnet:2:6",
			message: "parseJson: unexpected end of JSON input",
		},
		{
			file:    "environments/errors/helm.jsonnet",
			kind:    KindRuntime,
			pos:     "environments/errors/helm.jsonnet:1:1",
			message: "helmTemplate: opts.calledFrom is unset or empty: it names the file calling helmTemplate, whose directory the chart path is relative to (pass std.thisFile)",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := vm.EvaluateFile(tc.file)
			e := asError(t, err)
			if e.Kind != tc.kind {
				t.Errorf("kind = %s, want %s", e.Kind, tc.kind)
			}
			if e.Position() != tc.pos || e.Message != tc.message {
				t.Errorf("got %s: %s\nwant %s: %s", e.Position(), e.Message, tc.pos, tc.message)
			}
			text := e.Error()
			first, rest, _ := strings.Cut(text, "\n")
			if want := tc.pos + ": " + tc.message; first != want {
				t.Errorf("first line = %q, want %q", first, want)
			}
			for _, s := range tc.traceHas {
				if !strings.Contains(rest, s) {
					t.Errorf("trace lacks %q:\n%s", s, text)
				}
			}
			if tc.traceNone && rest != "" {
				t.Errorf("unexpected trace:\n%s", text)
			}
			for _, bad := range []string{root, "goroutine ", ".go:"} {
				if strings.Contains(text, bad) {
					t.Errorf("error contains %q:\n%s", bad, text)
				}
			}
		})
	}
}

func TestErrorPositionSkipsStdlib(t *testing.T) {
	vm := newTestVM(t, Options{Root: testdataRoot(t, "repo"), ExtCode: map[string]string{"e": "\nerror 'in ext code'"}})
	tests := []struct {
		name  string
		code  string
		want  string // first line of Error()
		trace string // a frame that must be listed
	}{
		{"error inside a std function written in jsonnet", "{\n  a: std.assertEqual(1, 2),\n}", "x.jsonnet:2:6: Assertion failed. 1 != 2", "\t<std>:"},
		{"error in a builtin", "{\n  a: std.parseInt('x'),\n}", "x.jsonnet:2:6: x is not a base 10 integer", "\tField \"a\""},
		{"error in ext code points into it", "local x = std.extVar('e');\n{ a: x }", "<extvar:e>:2:1: in ext code", "\tx.jsonnet:1:11\tthunk <x> from <$>"},
		{"assert", "assert 1 == 2 : 'nope';\n1", "x.jsonnet:1:1: nope", "\tDuring evaluation"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := vm.EvaluateSnippet("x.jsonnet", tc.code)
			e := asError(t, err)
			first, rest, _ := strings.Cut(e.Error(), "\n")
			if e.Kind != KindRuntime || first != tc.want {
				t.Errorf("got %s error %q, want runtime error %q", e.Kind, first, tc.want)
			}
			if !strings.Contains(rest, tc.trace) {
				t.Errorf("trace lacks %q:\n%s", tc.trace, e.Error())
			}
		})
	}
}

func TestConvertErrorWithoutPosition(t *testing.T) {
	imp := newImporter(nil)
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"go-jsonnet crash drops the Go stack", errors.New("(CRASH) index out of range\n\ngoroutine 1 [running]:\nruntime/debug.Stack()\n\t/usr/lib/go/src/runtime/debug/stack.go:26"),
			"x.jsonnet: the jsonnet evaluator crashed: index out of range"},
		{"other errors keep their message", errors.New("something odd"), "x.jsonnet: something odd"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := imp.convertError(tc.err, "x.jsonnet", DefaultMaxStack)
			if e.Kind != KindRuntime || e.Error() != tc.want {
				t.Errorf("got %s error %q, want %q", e.Kind, e.Error(), tc.want)
			}
		})
	}
}

func TestErrorFormat(t *testing.T) {
	long := make([]Frame, 30)
	for i := range long {
		long[i] = Frame{File: "a.jsonnet", Line: i + 1, Column: 1, Name: "function <f>"}
	}
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"message only", &Error{Message: "boom"}, "boom"},
		{"file only", &Error{File: "a.jsonnet", Message: "boom"}, "a.jsonnet: boom"},
		{"position and trace", &Error{File: "a.jsonnet", Line: 2, Column: 3, Message: "boom",
			Trace: []Frame{{File: "a.jsonnet", Line: 2, Column: 3, Name: "object <anonymous>"}, {Name: "During manifestation"}}},
			"a.jsonnet:2:3: boom\n\ta.jsonnet:2:3\tobject <anonymous>\n\tDuring manifestation"},
		{"frame without name", &Error{File: "a.jsonnet", Line: 1, Column: 1, Message: "boom",
			Trace: []Frame{{File: "a.jsonnet", Line: 1, Column: 1}}},
			"a.jsonnet:1:1: boom\n\ta.jsonnet:1:1"},
		{"long trace is shortened in the middle", &Error{File: "a.jsonnet", Line: 1, Column: 1, Message: "deep", Trace: long},
			"a.jsonnet:1:1: deep" +
				"\n\ta.jsonnet:1:1\tfunction <f>\n\ta.jsonnet:2:1\tfunction <f>\n\ta.jsonnet:3:1\tfunction <f>\n\ta.jsonnet:4:1\tfunction <f>\n\ta.jsonnet:5:1\tfunction <f>" +
				"\n\ta.jsonnet:6:1\tfunction <f>\n\ta.jsonnet:7:1\tfunction <f>\n\ta.jsonnet:8:1\tfunction <f>\n\ta.jsonnet:9:1\tfunction <f>\n\ta.jsonnet:10:1\tfunction <f>" +
				"\n\t... (10 frames omitted)" +
				"\n\ta.jsonnet:21:1\tfunction <f>\n\ta.jsonnet:22:1\tfunction <f>\n\ta.jsonnet:23:1\tfunction <f>\n\ta.jsonnet:24:1\tfunction <f>\n\ta.jsonnet:25:1\tfunction <f>" +
				"\n\ta.jsonnet:26:1\tfunction <f>\n\ta.jsonnet:27:1\tfunction <f>\n\ta.jsonnet:28:1\tfunction <f>\n\ta.jsonnet:29:1\tfunction <f>\n\ta.jsonnet:30:1\tfunction <f>"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}
