package jsonnet

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kforge/kforge/internal/testfs"
)

func TestUTF8Position(t *testing.T) {
	tests := []struct {
		in           string
		line, column int
		ok           bool
	}{
		{"", 0, 0, true},
		{"héllo\nwörld\n", 0, 0, true},
		{"caf\xe9", 1, 4, false},
		{"ok\nné\xff", 2, 3, false}, // characters, not bytes: é is one
		{"a\n\n\xc3", 3, 1, false},
	}
	for _, tc := range tests {
		line, column, ok := utf8Position([]byte(tc.in))
		if line != tc.line || column != tc.column || ok != tc.ok {
			t.Errorf("utf8Position(%q) = %d, %d, %v; want %d, %d, %v", tc.in, line, column, ok, tc.line, tc.column, tc.ok)
		}
	}
}

// TestInvalidUTF8 checks that Jsonnet code and importstr text that are not UTF-8 are refused
// with the file and place of the first bad byte (go-jsonnet would silently turn the bytes into
// U+FFFD), wherever the import is written — a file, a snippet, ext code, a top-level argument,
// the --*-file flags — while importbin still reads any bytes, wherever it is written.
func TestInvalidUTF8(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFiles(t, root, map[string]string{
		"latin1.txt":       "name: caf\xe9\n",
		"latin1.libsonnet": "{ name: 'caf\xe9' }\n",
		"str.jsonnet":      "local s = importstr 'latin1.txt';\ns\n",
		"code.jsonnet":     "(import 'latin1.libsonnet').name\n",
		"entry.jsonnet":    "{ a: 'ok' }\n// caf\xe9\n",
		"bin.jsonnet":      "std.length(importbin 'latin1.txt')\n",
		"assert.jsonnet":   "{ assert std.length(importbin 'latin1.txt') == 11, n: 11 }.n\n",
		"default.jsonnet":  "local f(b=importbin 'latin1.txt') = std.length(b); f()\n",
		"comp.jsonnet":     "[x for x in [11] if std.length(importbin 'latin1.txt') == x][0]\n",
		"ok.jsonnet":       "11\n",
	})
	textErr := func(file string, line, char int) string {
		return fmt.Sprintf("%s is not valid UTF-8 (line %d, character %d)", file, line, char)
	}
	tests := []struct {
		name string
		file string // evaluated when code is empty
		code string // a snippet
		opts func(*Options) error
		kind Kind
		want string // in the first line of Error(); "" for success with output 11
	}{
		{name: "importstr", file: "str.jsonnet", kind: KindImport,
			want: `str.jsonnet:1:11: import "latin1.txt": ` + textErr("latin1.txt", 1, 10)},
		{name: "import of code", file: "code.jsonnet", kind: KindImport,
			want: `code.jsonnet:1:2: import "latin1.libsonnet": ` + textErr("latin1.libsonnet", 1, 13)},
		{name: "entrypoint", file: "entry.jsonnet", kind: KindSyntax,
			want: `entry.jsonnet:2:7: ` + textErr("the file", 2, 7)},
		{name: "snippet importstr", code: "importstr 'latin1.txt'", kind: KindImport,
			want: textErr("latin1.txt", 1, 10)},
		{name: "ext code importstr", file: "ok.jsonnet", kind: KindImport, want: textErr("latin1.txt", 1, 10),
			opts: func(o *Options) error { return o.SetVar(VarExtCode, "v", "importstr 'latin1.txt'") }},
		{name: "ext-str-file", file: "ok.jsonnet", kind: KindImport, want: textErr("latin1.txt", 1, 10),
			opts: func(o *Options) error { return o.AddFile(VarExtStr, "v", "latin1.txt") }},
		{name: "ext-code-file", file: "ok.jsonnet", kind: KindImport, want: textErr("latin1.libsonnet", 1, 13),
			opts: func(o *Options) error { return o.AddFile(VarExtCode, "v", "latin1.libsonnet") }},
		{name: "tla-str-file", file: "ok.jsonnet", kind: KindImport, want: textErr("latin1.txt", 1, 10),
			opts: func(o *Options) error { return o.AddFile(VarTLAStr, "v", "latin1.txt") }},

		{name: "importbin", file: "bin.jsonnet"},
		{name: "importbin in an object assert", file: "assert.jsonnet"},
		{name: "importbin as a default argument", file: "default.jsonnet"},
		{name: "importbin in a comprehension", file: "comp.jsonnet"},
		{name: "snippet importbin", code: "std.length(importbin 'latin1.txt')"},
		{name: "ext code importbin", file: "ok.jsonnet",
			opts: func(o *Options) error { return o.SetVar(VarExtCode, "v", "importbin 'latin1.txt'") }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			opts := Options{Root: root}
			if tc.opts != nil {
				if err := tc.opts(&opts); err != nil {
					t.Fatal(err)
				}
			}
			// ext variables and top-level arguments are evaluated only when used: use them.
			if len(opts.ExtCode) > 0 {
				tc.code = "std.length(std.extVar('v')) * 0 + 11"
			}
			if len(opts.TLACode) > 0 {
				tc.code = "function(v) std.length(v) * 0 + 11"
			}
			session, err := NewSession(root)
			if err != nil {
				t.Fatal(err)
			}
			for name, eval := range map[string]func() (Result, error){
				"vm": func() (Result, error) {
					vm := newTestVM(t, opts)
					if tc.code != "" {
						return vm.EvaluateSnippet("snippet.jsonnet", tc.code)
					}
					return vm.EvaluateFile(tc.file)
				},
				"session": func() (Result, error) {
					if tc.code != "" {
						return session.EvaluateSnippet(opts, "snippet.jsonnet", tc.code)
					}
					return session.EvaluateFile(opts, tc.file)
				},
			} {
				res, err := eval()
				if tc.want == "" {
					if err != nil || strings.TrimSpace(res.JSON) != "11" {
						t.Errorf("%s: got %q, %v; want 11", name, res.JSON, err)
					}
					continue
				}
				if err == nil {
					t.Errorf("%s: rendered %q, want an error", name, res.JSON)
					continue
				}
				e := asError(t, err)
				first, _, _ := strings.Cut(e.Error(), "\n")
				if e.Kind != tc.kind || !strings.Contains(first, tc.want) || !strings.Contains(first, "use importbin for binary data") {
					t.Errorf("%s: got %s error\n  %s\nwant %s error containing\n  %s", name, e.Kind, first, tc.kind, tc.want)
				}
			}
		})
	}
}
