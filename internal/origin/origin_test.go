package origin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/kforge/kforge/internal/jsonnet"
)

// writeFiles writes files below a new directory and returns it with the reads naming them.
func writeFiles(t *testing.T, files map[string]string) (string, []jsonnet.FileRead) {
	t.Helper()
	root := t.TempDir()
	var reads []jsonnet.FileRead
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(content))
		reads = append(reads, jsonnet.FileRead{Path: name, SHA256: hex.EncodeToString(sum[:])})
	}
	return root, reads
}

func TestSetAt(t *testing.T) {
	root, reads := writeFiles(t, map[string]string{
		"environments/prod/main.jsonnet": `local lib = import 'lib/canary.libsonnet';
lib.new('order') + {
  canary+: {
    weight: 40,
    replicas: 3,
    'max-surge': "25%",
    enabled: true,
    note: null,
    offset: -2,
  },
  stable: { replicas: 3.0 },
  computed: { weight: 100 - 40 },
}
`,
		"lib/canary.libsonnet": `{
  new(name):: {
    name: name,
    ratio: 0.10,
    "quoted\tkey": 'x',
  },
}
`,
		"lib/data.yaml": "timeout: 30s\n",
	})
	x := New(root)
	tests := []struct {
		name  string
		field string
		value any
		want  string // "file:line:column", "" for no hint
	}{
		{"set once", "weight", json.Number("40"), "environments/prod/main.jsonnet:4:5"},
		{"number by value", "weight", json.Number("40.0"), "environments/prod/main.jsonnet:4:5"},
		{"float literal", "ratio", json.Number("0.1"), "lib/canary.libsonnet:4:5"},
		{"quoted name", "max-surge", "25%", "environments/prod/main.jsonnet:6:5"},
		{"escaped name", "quoted\tkey", "x", "lib/canary.libsonnet:5:5"},
		{"boolean", "enabled", true, "environments/prod/main.jsonnet:7:5"},
		{"null", "note", nil, "environments/prod/main.jsonnet:8:5"},
		{"negative", "offset", json.Number("-2"), "environments/prod/main.jsonnet:9:5"},
		{"set twice", "replicas", json.Number("3"), ""},
		{"set by no literal", "weight", json.Number("60"), ""},
		{"other name", "weights", json.Number("40"), ""},
		{"wrong type", "enabled", "true", ""},
		{"not a scalar", "weight", map[string]any{}, ""},
		{"named in a file that is not Jsonnet", "timeout", "30s", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site, ok := x.SetAt(reads, tt.field, tt.value)
			got := ""
			if ok {
				got = site.File + ":" + itoa(site.Line) + ":" + itoa(site.Column)
			}
			if got != tt.want {
				t.Errorf("SetAt(%q, %v) = %q, want %q", tt.field, tt.value, got, tt.want)
			}
		})
	}
}

func TestSetAtChangedOrMissingFile(t *testing.T) {
	root, reads := writeFiles(t, map[string]string{"a.jsonnet": "{ weight: 40 }\n"})
	x := New(root)
	changed := []jsonnet.FileRead{{Path: "a.jsonnet", SHA256: "00"}}
	if _, ok := x.SetAt(changed, "weight", json.Number("40")); ok {
		t.Error("a file whose content is not what the evaluation read gave a hint")
	}
	missing := append([]jsonnet.FileRead{{Path: "gone.jsonnet"}}, reads...)
	if _, ok := x.SetAt(missing, "weight", json.Number("40")); ok {
		t.Error("a hint although a read file cannot be read")
	}
	if site, ok := x.SetAt(reads, "weight", 40.0); !ok || site.String() != "a.jsonnet:1" {
		t.Errorf("SetAt = %v, %v; want a.jsonnet:1", site, ok)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }
