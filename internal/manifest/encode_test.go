package manifest

import (
	"bytes"
	"strings"
	"testing"
)

// mustExtract extracts output with no settings and fails the test on error.
func mustExtract(t testing.TB, output string) []*Manifest {
	t.Helper()
	ms, err := Extract([]byte(output), Settings{})
	if err != nil {
		t.Fatalf("Extract: %v", err)
	}
	return ms
}

// configMapYAML wraps a data section as the YAML of ConfigMap "x".
func configMapYAML(data string) string {
	return "apiVersion: v1\ndata:\n" + data + "kind: ConfigMap\nmetadata:\n  name: x\n"
}

func TestYAMLStyle(t *testing.T) {
	long := strings.Repeat("word ", 30) + "end"
	tests := []struct {
		name  string
		value string // JSON value of data.k
		want  string // YAML of the data section
	}{
		{"plain string", `"plain"`, "  k: plain\n"},
		{"yes", `"yes"`, "  k: \"yes\"\n"},
		{"on", `"on"`, "  k: \"on\"\n"},
		{"n", `"n"`, "  k: \"n\"\n"},
		{"Y upper", `"Y"`, "  k: \"Y\"\n"},
		{"True", `"True"`, "  k: \"True\"\n"},
		{"null string", `"null"`, "  k: \"null\"\n"},
		{"tilde", `"~"`, "  k: \"~\"\n"},
		{"empty string", `""`, "  k: \"\"\n"},
		{"leading zero", `"0123"`, "  k: \"0123\"\n"},
		{"version-like float", `"1.10"`, "  k: \"1.10\"\n"},
		{"date", `"2024-01-01"`, "  k: \"2024-01-01\"\n"},
		{"integer string", `"8080"`, "  k: \"8080\"\n"},
		{"exponent string", `"1e3"`, "  k: \"1e3\"\n"},
		{"hex string", `"0x1F"`, "  k: \"0x1F\"\n"},
		{"sexagesimal", `"1:20"`, "  k: \"1:20\"\n"},
		{"colon space", `"a: b"`, "  k: 'a: b'\n"},
		{"comment start", `"#x"`, "  k: '#x'\n"},
		{"leading space", `" lead"`, "  k: ' lead'\n"},
		{"trailing space", `"trail "`, "  k: 'trail '\n"},
		{"url", `"http://otel-collector.observability:4317"`, "  k: http://otel-collector.observability:4317\n"},
		{"multi-line", `"line1\nline2\n"`, "  k: |\n    line1\n    line2\n"},
		{"multi-line without final newline", `"line1\nline2"`, "  k: |-\n    line1\n    line2\n"},
		{"multi-line keeping blank lines", `"a\n\n"`, "  k: |+\n    a\n\n"},
		{"multi-line indented first line", `"  x\ny\n"`, "  k: |2\n      x\n    y\n"},
		{"multi-line with tab", `"a\tb\nc"`, "  k: \"a\\tb\\nc\"\n"},
		{"multi-line with trailing space", `"a \nb"`, "  k: \"a \\nb\"\n"},
		{"multi-line with carriage return", `"a\r\nb"`, "  k: \"a\\r\\nb\"\n"},
		{"tab in single line", `"a\tb"`, "  k: \"a\\tb\"\n"},
		{"long string folded", `"` + long + `"`, "  k: " + strings.Repeat("word ", 15) + "word\n    " + strings.Repeat("word ", 14) + "end\n"},
		{"long string without spaces", `"` + strings.Repeat("x", 100) + `"`, "  k: " + strings.Repeat("x", 100) + "\n"},
		{"emoji escaped", `"x😀y"`, "  k: \"x\\U0001F600y\"\n"},
		{"BMP non-ASCII plain", `"é ü 日本"`, "  k: é ü 日本\n"},
		{"integer", `8080`, "  k: 8080\n"},
		{"million stays integer", `1000000`, "  k: 1000000\n"},
		{"integral float syntax", `1e6`, "  k: 1000000\n"},
		{"integral with fraction zero", `3.0`, "  k: 3\n"},
		{"gigabyte", `1073741824`, "  k: 1073741824\n"},
		{"beyond 2^53", `9007199254740993`, "  k: 9007199254740993\n"},
		{"max uint64", `18446744073709551615`, "  k: 18446744073709551615\n"},
		{"beyond 64 bits", `100000000000000000000000`, "  k: 1e+23\n"},
		{"negative", `-42`, "  k: -42\n"},
		{"negative zero", `-0`, "  k: 0\n"},
		{"jsonnet float", `0.10000000000000001`, "  k: 0.1\n"},
		{"float", `2.5`, "  k: 2.5\n"},
		{"small float", `1.5e-7`, "  k: 1.5e-07\n"},
		{"large non-integral float", `1234567.5`, "  k: 1.2345675e+06\n"},
		{"true", `true`, "  k: true\n"},
		{"null", `null`, "  k: null\n"},
		{"empty map", `{}`, "  k: {}\n"},
		{"empty list", `[]`, "  k: []\n"},
		{"list not indented", `["a", "b"]`, "  k:\n  - a\n  - b\n"},
		{"nested lists", `[[1, 2], [], [[]]]`, "  k:\n  - - 1\n    - 2\n  - []\n  - - []\n"},
		{"list of maps", `[{"name": "a", "value": "1"}, {}]`, "  k:\n  - name: a\n    value: \"1\"\n  - {}\n"},
		{"natural key order", `{"item10": 1, "item2": 2, "item02": 3, "item1": 4, "b": 5, "B": 6, "_": 7, "a-b": 8, "a.b": 9}`,
			"  k:\n    _: 7\n    B: 6\n    a-b: 8\n    a.b: 9\n    b: 5\n    item1: 4\n    item2: 2\n    item02: 3\n    item10: 1\n"},
		{"ambiguous keys quoted", `{"yes": 1, "n": 2, "on": 3, "1": 4}`, "  k:\n    \"1\": 4\n    \"n\": 2\n    \"on\": 3\n    \"yes\": 1\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := mustExtract(t, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"k": `+tt.value+`}}`)
			got, err := ms[0].YAML()
			if err != nil {
				t.Fatal(err)
			}
			if want := configMapYAML(tt.want); string(got) != want {
				t.Errorf("YAML mismatch\ngot:\n%s\nwant:\n%s\ngot  %q\nwant %q", got, want, got, want)
			}
		})
	}
}

func TestYAMLEndsWithOneNewline(t *testing.T) {
	ms := mustExtract(t, `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}}`)
	got, err := ms[0].YAML()
	if err != nil {
		t.Fatal(err)
	}
	const want = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestYAMLDoesNotChangeObject(t *testing.T) {
	ms := mustExtract(t, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"n": 1e6}}`)
	if _, err := ms[0].YAML(); err != nil {
		t.Fatal(err)
	}
	if got := ms[0].Object["data"].(map[string]any)["n"]; got != jsonNumber("1000000") {
		t.Errorf("data.n = %#v, want json.Number(\"1000000\")", got)
	}
}

func TestWriteStream(t *testing.T) {
	tests := []struct {
		name   string
		output string
		want   string
	}{
		{"none", `null`, ""},
		{"one", `{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "apps"}}`,
			"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n"},
		{"two", `[{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "b"}}, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "a"}}]`,
			"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteStream(&buf, mustExtract(t, tt.output)); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got %q, want %q", buf.String(), tt.want)
			}
		})
	}
}

func TestWriteJSON(t *testing.T) {
	tests := []struct {
		name   string
		output string
		want   string
	}{
		{"none", `null`, "{\n  \"apiVersion\": \"v1\",\n  \"items\": [],\n  \"kind\": \"List\"\n}\n"},
		{"numbers, order and HTML characters", `{"metadata": {"name": "a&b"}, "kind": "ConfigMap", "apiVersion": "v1", "data": {"z": 1e6, "a": 0.10000000000000001, "h": "<tag>"}}`,
			`{
  "apiVersion": "v1",
  "items": [
    {
      "apiVersion": "v1",
      "data": {
        "a": 0.1,
        "h": "<tag>",
        "z": 1000000
      },
      "kind": "ConfigMap",
      "metadata": {
        "name": "a&b"
      }
    }
  ],
  "kind": "List"
}
`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteJSON(&buf, mustExtract(t, tt.output)); err != nil {
				t.Fatal(err)
			}
			if buf.String() != tt.want {
				t.Errorf("got:\n%s\nwant:\n%s", buf.String(), tt.want)
			}
		})
	}
}

// TestYAMLDeterministicKeys: keys on which yaml.v2's comparison goes round in a circle (found by
// FuzzYAMLRoundTrip) encode to the same bytes every time.
func TestYAMLDeterministicKeys(t *testing.T) {
	data := map[string]any{}
	for i, k := range []string{"0", "00001", "000A0001", "001", "110"} {
		data[k] = i
	}
	m := &Manifest{Object: map[string]any{"apiVersion": "v1", "kind": "ConfigMap", "metadata": map[string]any{"name": "c"}, "data": data}}
	first, err := m.YAML()
	if err != nil {
		t.Fatal(err)
	}
	for range 100 {
		again, err := m.YAML()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again, first) {
			t.Fatalf("the same manifest encoded differently:\n%s\nthen\n%s", first, again)
		}
	}
}
