package jsonnet

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// callNative calls the registered native function name with args.
func callNative(t *testing.T, name string, args ...any) (any, error) {
	t.Helper()
	for _, f := range nativeFunctions(&yamlLimits{maxBytes: DefaultParseYAMLMaxBytes, maxNodes: DefaultParseYAMLMaxNodes}) {
		if f.Name == name {
			if len(f.Params) != len(args) {
				t.Fatalf("%s takes %d arguments, test passes %d", name, len(f.Params), len(args))
			}
			return f.Func(args)
		}
	}
	t.Fatalf("native function %s is not registered", name)
	return nil, nil
}

type nativeCase struct {
	name    string
	args    []any
	want    any
	wantErr string // substring of the error
}

func runNativeCases(t *testing.T, fn string, cases []nativeCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := callNative(t, fn, tc.args...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("got (%#v, %v), want error containing %q", got, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %#v, want %#v", got, tc.want)
			}
		})
	}
}

type obj = map[string]any
type arr = []any

func TestNativeParseJSON(t *testing.T) {
	runNativeCases(t, "parseJson", []nativeCase{
		{"empty object", arr{"{}"}, obj{}, ""},
		{"numbers are float64", arr{`{"a": 47, "b": 1.5e3}`}, obj{"a": 47.0, "b": 1500.0}, ""},
		{"array of kinds", arr{`[1, "x", null, true, {"y": []}]`}, arr{1.0, "x", nil, true, obj{"y": arr{}}}, ""},
		{"scalar", arr{`"str"`}, "str", ""},
		{"empty input", arr{""}, nil, "parseJson: unexpected end of JSON input"},
		{"invalid", arr{"{a: 1}"}, nil, "parseJson: invalid character 'a'"},
		{"trailing data", arr{"{} {}"}, nil, "parseJson: invalid character '{' after top-level value"},
		{"not a string", arr{1.0}, nil, "parseJson: parameter json must be a string, got number"},
	})
}

func TestNativeParseYAML(t *testing.T) {
	runNativeCases(t, "parseYaml", []nativeCase{
		{"empty stream", arr{""}, arr{}, ""},
		{"only a comment", arr{"# nothing\n"}, arr{}, ""},
		{"single document", arr{"a: 47"}, arr{obj{"a": 47.0}}, ""},
		{"multi document", arr{"a: 1\n---\nb: [x, 2]\n"}, arr{obj{"a": 1.0}, obj{"b": arr{"x", 2.0}}}, ""},
		{"leading separator", arr{"---\na: 1\n"}, arr{obj{"a": 1.0}}, ""},
		{"comment before the first separator", arr{"# c\n---\na: 1"}, arr{obj{"a": 1.0}}, ""},
		{"explicitly empty document is null", arr{"---\n"}, arr{nil}, ""},
		{"trailing separator gives null", arr{"a: 1\n---\n"}, arr{obj{"a": 1.0}, nil}, ""},
		{"empty document between", arr{"a: 1\n---\n---\nb: 2\n"}, arr{obj{"a": 1.0}, nil, obj{"b": 2.0}}, ""},
		{"document end marker", arr{"a: 1\n...\n"}, arr{obj{"a": 1.0}}, ""},
		{"explicit nulls", arr{"~\n---\nnull\n"}, arr{nil, nil}, ""},
		{"scalars", arr{"hello\n---\n3\n---\ntrue\n"}, arr{"hello", 3.0, true}, ""},
		{"yaml 1.1 booleans stay strings (yaml.v3)", arr{"a: yes\nb: on\n"}, arr{obj{"a": "yes", "b": "on"}}, ""},
		{"timestamps become RFC 3339 strings", arr{"a: 2001-12-14\n"}, arr{obj{"a": "2001-12-14T00:00:00Z"}}, ""},
		{"binary", arr{"a: !!binary aGVsbG8=\n"}, arr{obj{"a": "hello"}}, ""},
		{"anchors and aliases", arr{"x: &a [1, 2]\ny: *a\n"}, arr{obj{"x": arr{1.0, 2.0}, "y": arr{1.0, 2.0}}}, ""},
		{"merge keys", arr{"base: &b {a: 1}\nd:\n  <<: *b\n  c: 2\n"}, arr{obj{"base": obj{"a": 1.0}, "d": obj{"a": 1.0, "c": 2.0}}}, ""},
		{"block scalar", arr{"s: |\n  line1\n  line2\n"}, arr{obj{"s": "line1\nline2\n"}}, ""},
		{"invalid yaml", arr{"'"}, nil, "parseYaml: document 1: yaml:"},
		{"error names the document", arr{"a: 1\n---\nb: [\n"}, nil, "parseYaml: document 2: yaml:"},
		{"non-string key", arr{"1: a\n"}, nil, "parseYaml: document 1: convert to JSON: json: unsupported type"},
		{"infinity", arr{"a: .inf\n"}, nil, "parseYaml: document 1: convert to JSON: json: unsupported value: +Inf"},
		{"not a string", arr{arr{}}, nil, "parseYaml: parameter yaml must be a string, got array"},
		{"alias bomb", arr{billionLaughs()}, nil, "parseYaml: document 1 takes the input past 1000000 YAML nodes"},
	})
}

// billionLaughs is the classic exponential alias document (10^9 leaves once expanded).
func billionLaughs() string {
	var b strings.Builder
	b.WriteString("a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "a%d: &a%d [", i, i)
		for j := 0; j < 10; j++ {
			if j > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func TestParseYAMLLimits(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		maxBytes int
		maxNodes int
		wantErr  string
	}{
		{"within limits", "a: [1, 2]\n", 100, 10, ""},
		{"input too large", "a: [1, 2]\n", 5, 10, "parseYaml: input is 10 bytes, more than the limit of 5"},
		{"too many nodes", "a: [1, 2, 3, 4]\n", 100, 5, "parseYaml: document 1 takes the input past 5 YAML nodes"},
		{"budget spans documents", "a: [1, 2]\n---\nb: [1, 2]\n", 100, 10, "parseYaml: document 2 takes the input past 10 YAML nodes"},
		{"aliases count when expanded", "x: &x [1, 2, 3]\ny: [*x, *x, *x]\n", 100, 15, "parseYaml: document 1 takes the input past 15 YAML nodes"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseYAMLStream(tc.input, tc.maxBytes, tc.maxNodes)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("got %v, want error containing %q", err, tc.wantErr)
			}
		})
	}
}

// tankaParseYAML restates, independently written, what Tanka's parseYaml does: decode each
// document of the stream with yaml.v3 into an interface value, then round-trip it through
// JSON. kforge's parseYaml (which decodes through yaml.Node to bound alias expansion) must
// give the same documents and fail on the same inputs.
func tankaParseYAML(s string) ([]any, error) {
	dec := yaml.NewDecoder(strings.NewReader(s))
	out := []any{}
	for {
		var doc any
		if err := dec.Decode(&doc); err != nil {
			if errors.Is(err, io.EOF) {
				return out, nil
			}
			return nil, err
		}
		raw, err := json.Marshal(doc)
		if err != nil {
			return nil, err
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
}

func TestParseYAMLMatchesTanka(t *testing.T) {
	inputs := []string{
		"", "---", "---\n---\n", "a: 1\n---\n", "---\na: 1\n---\n\n---\nb: 2\n...\n",
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: |\n    v\n",
		"- 1\n- 1.5\n- -3\n- 0x1F\n- 0o17\n- 1e3\n", "a: 'quoted'\nb: \"dq\\n\"\nc: ~\nd: null\ne: Null\n",
		"x: &x {a: 1}\ny: *x\nz:\n  <<: *x\n  b: 2\n", "t: 2024-01-01T10:00:00Z\nu: 2024-01-01\n", "big: 12345678901234567890\n",
		"'key with spaces': v\n\"k2\": [ ]\nk3: { }\n", "%YAML 1.2\n---\na: 1\n",
	}
	for i, in := range inputs {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			want, wantErr := tankaParseYAML(in)
			got, err := parseYAMLStream(in, DefaultParseYAMLMaxBytes, DefaultParseYAMLMaxNodes)
			if (err != nil) != (wantErr != nil) {
				t.Fatalf("error mismatch: kforge %v, tanka %v", err, wantErr)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("input %q\n got %#v\nwant %#v", in, got, want)
			}
		})
	}
}

func TestNativeManifestJSONFromJSON(t *testing.T) {
	runNativeCases(t, "manifestJsonFromJson", []nativeCase{
		{"empty object", arr{"{}", 4.0}, "{}\n", ""},
		{"reindent", arr{`{ "a": 47}`, 4.0}, "{\n    \"a\": 47\n}\n", ""},
		{"numbers and escapes kept as written", arr{`[1e3, "\u00e9"]`, 2.0}, "[\n  1e3,\n  \"\\u00e9\"\n]\n", ""},
		{"surrounding space trimmed", arr{"\n {\"a\":[]} \n", 1.0}, "{\n \"a\": []\n}\n", ""},
		{"zero indent", arr{`{"a":1,"b":2}`, 0.0}, "{\n\"a\": 1,\n\"b\": 2\n}\n", ""},
		{"fractional indent truncates", arr{`{"a":1}`, 2.9}, "{\n  \"a\": 1\n}\n", ""},
		{"invalid json", arr{"", 4.0}, nil, "manifestJsonFromJson: unexpected end of JSON input"},
		{"negative indent", arr{"{}", -1.0}, nil, "manifestJsonFromJson: indent must be between 0 and 64, got -1"},
		{"huge indent", arr{"{}", 1e9}, nil, "manifestJsonFromJson: indent must be between 0 and 64"},
		{"indent not a number", arr{"{}", "2"}, nil, "manifestJsonFromJson: parameter indent must be a number, got string"},
		{"json not a string", arr{obj{}, 2.0}, nil, "manifestJsonFromJson: parameter json must be a string, got object"},
	})
}

func TestNativeManifestYAMLFromJSON(t *testing.T) {
	runNativeCases(t, "manifestYamlFromJson", []nativeCase{
		{"empty object", arr{"{}"}, "{}\n", ""},
		{"key value", arr{`{ "a": 47}`}, "a: 47\n", ""},
		{"list with four-space indent", arr{`{ "list": ["a", "b", "c"]}`}, "list:\n    - a\n    - b\n    - c\n", ""},
		{"sorted keys, nested, quoted ambiguous strings", arr{`{"b": 1, "a": {"c": "yes", "d": "1.10"}}`}, "a:\n    c: \"yes\"\n    d: \"1.10\"\nb: 1\n", ""},
		{"multi-line strings use block scalars", arr{`{"s": "x\ny\n"}`}, "s: |\n    x\n    y\n", ""},
		{"invalid json", arr{""}, nil, "manifestYamlFromJson: unexpected end of JSON input"},
		{"not a string", arr{nil}, nil, "manifestYamlFromJson: parameter json must be a string, got null"},
	})
}

func TestNativeEscapeStringRegex(t *testing.T) {
	runNativeCases(t, "escapeStringRegex", []nativeCase{
		{"empty", arr{""}, "", ""},
		{"metacharacters", arr{`([0-9]+).*\s`}, `\(\[0-9\]\+\)\.\*\\s`, ""},
		{"unbalanced input is fine", arr{"([0-9]+"}, `\(\[0-9\]\+`, ""},
		{"plain text", arr{"abc"}, "abc", ""},
		{"not a string", arr{true}, nil, "escapeStringRegex: parameter str must be a string, got boolean"},
	})
}

func TestNativeRegexMatch(t *testing.T) {
	runNativeCases(t, "regexMatch", []nativeCase{
		{"empty regex matches", arr{"", "a"}, true, ""},
		{"no match", arr{"a", "b"}, false, ""},
		{"unanchored", arr{"b", "abc"}, true, ""},
		{"anchored", arr{"^a+$", "aaa"}, true, ""},
		{"anchored mismatch", arr{"^a+$", "aab"}, false, ""},
		{"invalid regex", arr{"[0-", "b"}, nil, "regexMatch: error parsing regexp: missing closing ]"},
		{"regex not a string", arr{1.0, "b"}, nil, "regexMatch: parameter regex must be a string, got number"},
		{"string not a string", arr{"a", nil}, nil, "regexMatch: parameter string must be a string, got null"},
	})
}

func TestNativeRegexSubst(t *testing.T) {
	runNativeCases(t, "regexSubst", []nativeCase{
		{"no match", arr{"a", "b", "c"}, "b", ""},
		{"replace", arr{"p[^m]*", "pm", "poe"}, "poem", ""},
		{"all matches", arr{"o", "foo boo", "0"}, "f00 b00", ""},
		{"numbered groups", arr{`(\w+)@(\w+)`, "user@host", "$2:$1"}, "host:user", ""},
		{"named groups", arr{`(?P<x>a)`, "a", "${x}${x}"}, "aa", ""},
		{"$1x names group 1x (Go semantics)", arr{"(a)", "a", "$1x"}, "", ""},
		{"${1}x", arr{"(a)", "a", "${1}x"}, "ax", ""},
		{"literal dollar", arr{"a", "a", "$$"}, "$", ""},
		{"invalid regex", arr{"p[^m*", "pm", "poe"}, nil, "regexSubst: error parsing regexp"},
		{"repl not a string", arr{"a", "a", 1.0}, nil, "regexSubst: parameter repl must be a string, got number"},
	})
}

func TestNativeSHA256(t *testing.T) {
	runNativeCases(t, "sha256", []nativeCase{
		{"foo", arr{"foo"}, "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", ""},
		{"empty", arr{""}, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ""},
		{"utf-8 bytes", arr{"é"}, "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c", ""},
		{"not a string", arr{arr{}}, nil, "sha256: parameter str must be a string, got array"},
	})
}

// TestNativeFromJsonnet calls every function through std.native, the way Jsonnet code does.
func TestNativeFromJsonnet(t *testing.T) {
	vm := newTestVM(t, Options{Root: testdataRoot(t, "repo")})
	tests := []struct {
		code    string
		want    string
		wantErr string
	}{
		{`std.native('parseJson')('{"a": [1, 2]}')`, `{"a": [1, 2]}`, ""},
		{`std.native('parseYaml')('a: 1\n---\nb: [x]\n')`, `[{"a": 1}, {"b": ["x"]}]`, ""},
		{`std.native('manifestJsonFromJson')('{"a":1}', 2)`, `"{\n  \"a\": 1\n}\n"`, ""},
		{`std.native('manifestYamlFromJson')('{"a":[1]}')`, `"a:\n    - 1\n"`, ""},
		{`std.native('escapeStringRegex')('a.b')`, `"a\\.b"`, ""},
		{`std.native('regexMatch')('^v[0-9]+$', 'v12')`, `true`, ""},
		{`std.native('regexSubst')('-(\\w+)', 'a-b-c', '_$1')`, `"a_b_c"`, ""},
		{`std.native('sha256')('foo')`, `"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"`, ""},
		{`std.native('parseJson')(json='[]')`, `[]`, ""},
		{`std.native('kustomizeBuild')('.', {})`, "", "x.jsonnet:1:1: kustomizeBuild: opts.calledFrom is unset or empty"},
		{`std.native('regexMatch')('[', 'x')`, "", "x.jsonnet:1:1: regexMatch: error parsing regexp"},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			res, err := vm.EvaluateSnippet("x.jsonnet", tc.code)
			if tc.wantErr != "" {
				e := asError(t, err)
				if e.Kind != KindRuntime || !strings.HasPrefix(e.Error(), tc.wantErr) {
					t.Errorf("got %s error %q, want runtime error starting %q", e.Kind, e.Error(), tc.wantErr)
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

// TestManifestYAMLFromJSONMatchesYAMLv3 checks that building the node tree with ordered keys
// writes exactly what yaml.v3 writes for the same value, and the same bytes on every run for keys
// whose yaml.v2 order goes round in a circle.
func TestManifestYAMLFromJSONMatchesYAMLv3(t *testing.T) {
	inputs := []string{
		`{}`, `[]`, `null`, `"x"`, `1`, `1.5`, `true`, `{"a": {}, "b": [], "c": null}`,
		`{"name": "web", "replicas": 3, "ratio": 0.25, "big": 1e300, "on": "on", "yes": "yes", "null": "null", "num": "012", "date": "2024-01-01"}`,
		`{"multi": "line one\nline two\n", "trail": "x\n\n", "lead": " x", "colon": "a: b", "hash": "#x", "quote": "'\"", "empty": ""}`,
		`{"list": [1, "two", [3, [4]], {"five": 5}, null, true, 1.0e-7], "nested": {"deeper": {"deepest": {"k": "v"}}}}`,
		`{"10-b": 1, "9-a": 2, "a10": 3, "a9": 4, "A": 5, "a": 6, "é": 7, "-": 8, "1a": 9, "19": 10, "app.kubernetes.io/name": 11}`,
		`{"unicode": "😀 héllo", "ctl": "\u0001", "tab": "a\tb", "long": "` + strings.Repeat("word ", 30) + `"}`,
	}
	for _, in := range inputs {
		got, err := callNative(t, "manifestYamlFromJson", in)
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		var v any
		if err := json.Unmarshal([]byte(in), &v); err != nil {
			t.Fatal(err)
		}
		want, err := yaml.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n got %q\nwant %q", in, got, want)
		}
	}
	cyclic := `{"0": 0, "00001": 1, "000A0001": 2, "001": 3}`
	first, err := callNative(t, "manifestYamlFromJson", cyclic)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		again, _ := callNative(t, "manifestYamlFromJson", cyclic)
		if again != first {
			t.Fatalf("manifestYamlFromJson changed between runs:\n%s\nthen\n%s", first, again)
		}
	}
}
