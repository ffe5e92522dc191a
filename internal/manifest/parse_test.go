package manifest

import (
	"strings"
	"testing"
)

func TestParseYAML(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []string // IDs in order
		wantErr string
	}{
		{
			name: "stream with empty documents and a List",
			in: `---
apiVersion: v1
kind: ConfigMap
metadata: {name: b, namespace: x}
---
---
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata: {name: x}
`,
			want: []string{"core/Namespace/x", "core/ConfigMap/x/b"},
		},
		{
			name:    "syntax error names source and document",
			in:      "apiVersion: v1\nkind: [\n",
			wantErr: "in.yaml: document 1:",
		},
		{
			name:    "missing name names the document path",
			in:      "apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n",
			wantErr: "in.yaml: .[0]: ",
		},
		{
			name:    "duplicate",
			in:      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {x: y}}\n",
			wantErr: "duplicate resource",
		},
		{
			name:    "non-string key",
			in:      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {1: x}\n",
			wantErr: "not a string",
		},
		{name: "empty input", in: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms, err := ParseYAML([]byte(tt.in), "in.yaml")
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) != len(tt.want) {
				t.Fatalf("got %d manifests, want %d", len(ms), len(tt.want))
			}
			for i, m := range ms {
				if got := m.ID().String(); got != tt.want[i] {
					t.Errorf("manifest %d = %s, want %s", i, got, tt.want[i])
				}
			}
		})
	}
}

// TestParseYAMLRoundTrip parses the canonical encoding back to the same bytes.
func TestParseYAMLRoundTrip(t *testing.T) {
	in := `{"a":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"n"},"data":{"n":"0123","big":"x","f":"1.10","yes":"on"},"spec":{"replicas":1000000,"ratio":0.1,"list":[1,2.5,"three",null,true]}}}`
	ms, err := Extract([]byte(in), Settings{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ms[0].YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseYAML(want, "x.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := back[0].YAML()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatalf("round trip changed the YAML:\n%s\nwant:\n%s", got, want)
	}
}
