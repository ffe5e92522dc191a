package manifest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"
)

// TestYAMLMatchesJSONToYAML checks that the canonical encoder writes exactly
// what sigs.k8s.io/yaml's JSON-to-YAML path writes for the same (canonical)
// JSON: the style of tk show / tk export.
func TestYAMLMatchesJSONToYAML(t *testing.T) {
	output, err := os.ReadFile(filepath.Join("testdata", "platform", "output.json"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := Extract(output, Settings{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	ms = append(ms, mustExtract(t, `{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "style"}, "data": {
		"ambiguous": ["yes", "on", "n", "0123", "1.10", "2024-01-01", "null", "~", "", "1:20", "0x1F"],
		"multiline": ["a\nb\n", "a\nb", "a\n\n", "  x\ny\n", "a\tb\nc", "a \nb", "a\r\nb"],
		"long": "word word word word word word word word word word word word word word word word word word word word",
		"unicode": ["x😀y", "é ü 日本"],
		"numbers": [1000000, 1e6, 3.0, 9007199254740993, 18446744073709551615, -42, 0.10000000000000001, 1.5e-7, 1234567.5],
		"empty": [{}, [], [[]], null, true],
		"keys": {"item10": 1, "item2": 2, "item02": 3, "item1": 4, "B": 5, "_": 6, "yes": 7}
	}}`)...)
	for _, m := range ms {
		t.Run(m.Path, func(t *testing.T) {
			j, err := json.Marshal(m.Object)
			if err != nil {
				t.Fatal(err)
			}
			want, err := sigsyaml.JSONToYAML(j)
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.YAML()
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("YAML() differs from JSONToYAML\ngot:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
