package jsonnet

import (
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
		{"ok\nné\xff", 2, 4, false},
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
// U+FFFD), while importbin still reads any bytes.
func TestInvalidUTF8(t *testing.T) {
	root := t.TempDir()
	testfs.WriteFile(t, root, "latin1.txt", "name: caf\xe9\n")
	testfs.WriteFile(t, root, "latin1.libsonnet", "{ name: 'caf\xe9' }\n")
	testfs.WriteFile(t, root, "str.jsonnet", "local s = importstr 'latin1.txt';\ns\n")
	testfs.WriteFile(t, root, "code.jsonnet", "(import 'latin1.libsonnet').name\n")
	testfs.WriteFile(t, root, "bin.jsonnet", "std.length(importbin 'latin1.txt')\n")
	testfs.WriteFile(t, root, "entry.jsonnet", "{ a: 'ok' }\n// caf\xe9\n")
	tests := []struct {
		file string
		kind Kind
		want string // the first line of Error(), "" for success
	}{
		{"str.jsonnet", KindImport, `str.jsonnet:1:11: import "latin1.txt": latin1.txt is not valid UTF-8 (line 1, byte 10 of the line)`},
		{"code.jsonnet", KindImport, `code.jsonnet:1:2: import "latin1.libsonnet": latin1.libsonnet is not valid UTF-8 (line 1, byte 13 of the line)`},
		{"entry.jsonnet", KindSyntax, `entry.jsonnet:2:7: the file is not valid UTF-8 (line 2, byte 7 of the line)`},
		{"bin.jsonnet", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			for name, eval := range map[string]func() (Result, error){
				"vm": func() (Result, error) {
					return newTestVM(t, Options{Root: root}).EvaluateFile(tc.file)
				},
				"session": func() (Result, error) {
					s, err := NewSession(root)
					if err != nil {
						t.Fatal(err)
					}
					return s.EvaluateFile(Options{Root: root}, tc.file)
				},
			} {
				res, err := eval()
				if tc.want == "" {
					if err != nil || strings.TrimSpace(res.JSON) != "11" {
						t.Errorf("%s: got %q, %v; want 11", name, res.JSON, err)
					}
					continue
				}
				e := asError(t, err)
				first, _, _ := strings.Cut(e.Error(), "\n")
				if e.Kind != tc.kind || !strings.HasPrefix(first, tc.want) || !strings.Contains(first, "use importbin for binary data") {
					t.Errorf("%s: got %s error\n  %s\nwant %s error starting\n  %s", name, e.Kind, first, tc.kind, tc.want)
				}
			}
		})
	}
}
