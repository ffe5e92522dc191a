package jsonnet

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

// Limits of the parseYaml fuzz target: small, so that every execution is fast and a bypass of
// the node budget shows quickly.
const (
	fuzzYAMLMaxBytes = 64 << 10
	fuzzYAMLMaxNodes = 5000
)

// countValues counts the JSON values of v: every object, array and scalar.
func countValues(v any) int {
	n := 1
	switch v := v.(type) {
	case map[string]any:
		for _, c := range v {
			n += countValues(c)
		}
	case []any:
		for _, c := range v {
			n += countValues(c)
		}
	}
	return n
}

// FuzzParseYAML feeds arbitrary text to std.native('parseYaml'): it never panics, fails only
// with a "parseYaml: " error, never returns more values than its node budget allows (aliases
// and merge keys included: that is what stops alias bombs), and returns plain JSON values. For
// valid UTF-8, evaluating through a VM gives the same value as the function itself.
func FuzzParseYAML(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb: [x, y]\n", "---\n---\na: b\n", "", "# only a comment\n", "a: &x [1, 2]\nb: *x\n",
		"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n",
		"base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  c: 3\n", "a: 1\na: 2\n", "? [a, b]\n: c\n", "1: x\ntrue: y\n",
		"t: 2024-01-02T03:04:05Z\nd: 2024-01-02\n", "b: !!binary aGVsbG8=\n", "x: .nan\ny: -.inf\n", "a: 0o17\nb: 0x1F\nc: 1_000\n",
		strings.Repeat("[", 200) + strings.Repeat("]", 200), "a: \"\\xff\"\n", "a: |\n  line\n  line\n", "%YAML 1.2\n---\na: b\n",
		"a: &a\n  b: *a\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		docs, err := parseYAMLStream(s, fuzzYAMLMaxBytes, fuzzYAMLMaxNodes)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "parseYaml: ") {
				t.Fatalf("error without the function's name: %v", err)
			}
			return
		}
		if n := countValues(docs) - 1; n > fuzzYAMLMaxNodes {
			t.Fatalf("%d values from a budget of %d nodes", n, fuzzYAMLMaxNodes)
		}
		raw, err := json.Marshal(docs)
		if err != nil {
			t.Fatalf("result is not JSON: %v", err)
		}
		if !utf8.ValidString(s) || len(s) > 4096 {
			return
		}
		vm, err := NewVM(Options{Root: t.TempDir(), ExtVars: map[string]string{"y": s}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := vm.EvaluateSnippet("fuzz.jsonnet", "std.native('parseYaml')(std.extVar('y'))")
		if err != nil {
			// The function accepted the text; only Jsonnet's own limits may refuse its value.
			var je *Error
			if !errors.As(err, &je) || !strings.Contains(je.Message, "max stack frames exceeded") {
				t.Fatalf("evaluation failed where the function succeeded: %v", err)
			}
			return
		}
		var want, got any
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(res.JSON), &got); err != nil {
			t.Fatalf("VM output is not JSON: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("VM gives %s, the function %s", res.JSON, raw)
		}
	})
}
