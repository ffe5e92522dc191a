package manifest

import (
	"slices"
	"strings"
	"testing"
)

func TestParseFieldPath(t *testing.T) {
	tests := []struct {
		in   string
		want FieldPath
	}{
		{"", nil},
		{"metadata.name", FieldPath{"metadata", "name"}},
		{".metadata.name", FieldPath{"metadata", "name"}},
		{"spec.http[0].route[1].weight", FieldPath{"spec", "http", "0", "route", "1", "weight"}},
		{"metadata.labels[app.kubernetes.io/name]", FieldPath{"metadata", "labels", "app.kubernetes.io/name"}},
		{`data["config.yaml"]`, FieldPath{"data", "config.yaml"}},
		{`data["a]\"b"].x`, FieldPath{"data", `a]"b`, "x"}},
		{"[0]", FieldPath{"0"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseFieldPath(tt.in)
			if err != nil {
				t.Fatalf("ParseFieldPath: %v", err)
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("ParseFieldPath(%q) = %q, want %q", tt.in, got, tt.want)
			}
			back, err := ParseFieldPath(got.String())
			if err != nil || !slices.Equal(back, got) {
				t.Fatalf("ParseFieldPath(%q.String() = %q) = %q, %v", tt.in, got.String(), back, err)
			}
		})
	}
	for _, bad := range []string{"a[0", `a["x]`, "a..b", "a.[0]"} {
		if _, err := ParseFieldPath(bad); err == nil {
			t.Errorf("ParseFieldPath(%q): no error", bad)
		}
	}
}

// TestYAMLPositions locates fields in the encoder's own output: each case names a path and the
// text the located line must show from the located column on.
func TestYAMLPositions(t *testing.T) {
	ms := mustExtract(t, `{
	  "vs": {
	    "apiVersion": "networking.istio.io/v1", "kind": "VirtualService",
	    "metadata": {"name": "order", "namespace": "apps", "labels": {"app.kubernetes.io/name": "order", "on": "x", "y": "z"}},
	    "spec": {
	      "hosts": ["order", "order.apps.svc"],
	      "http": [
	        {"name": "canary", "route": [
	          {"destination": {"host": "order", "subset": "stable"}, "weight": 60},
	          {"destination": {"host": "order", "subset": "canary"}, "weight": 40}
	        ]},
	        {"route": [{"destination": {"host": "order"}}]}
	      ],
	      "script": "line one\nline two\n",
	      "after": {"nested": {"deep": [[1, 2], [3]]}}
	    }
	  }
	}`)
	doc, pos, err := ms[0].YAMLPositions()
	if err != nil {
		t.Fatalf("YAMLPositions: %v", err)
	}
	enc, err := ms[0].YAML()
	if err != nil || string(enc) != string(doc) {
		t.Fatalf("YAMLPositions bytes differ from YAML:\n%s\n%s", doc, enc)
	}
	lines := strings.Split(string(doc), "\n")
	tests := []struct {
		path      string
		wantText  string // the located line from the located column on starts with this
		wantDepth int    // len(path) unless part of the path is missing
	}{
		{"metadata.name", "name: order", 2},
		{"metadata", "metadata:", 1},
		{"metadata.labels[app.kubernetes.io/name]", "app.kubernetes.io/name: order", 3},
		{"metadata.labels.on", `"on": x`, 3},
		{"metadata.labels.y", `"y": z`, 3},
		{"spec.hosts[1]", "order.apps.svc", 3},
		{"spec.http[0]", "name: canary", 3},
		{"spec.http[0].route[1]", "destination:", 5},
		{"spec.http[0].route[1].weight", "weight: 40", 6},
		{"spec.http[0].route[0].weight", "weight: 60", 6},
		{"spec.http[1].route[0].destination.host", "host: order", 7},
		{"spec.script", "script: |", 2},
		{"spec.after.nested.deep[0][1]", "2", 6},
		{"spec.after.nested.deep[1][0]", "3", 6},
		// Missing fields fall back to the deepest ancestor that exists.
		{"spec.http[0].route[1].mirror.host", "destination:", 5},
		{"spec.http[7]", "http:", 2},
		{"spec.hosts[0].x", "order", 3},
		{"nothing.here", "apiVersion:", 0},
		{"", "apiVersion:", 0},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := ParseFieldPath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			got, depth := pos.Locate(p)
			if depth != tt.wantDepth {
				t.Errorf("depth = %d, want %d", depth, tt.wantDepth)
			}
			if got.Line < 1 || got.Line > len(lines) || got.Column < 1 || got.Column > len(lines[got.Line-1]) {
				t.Fatalf("Locate = %+v, outside the document:\n%s", got, doc)
			}
			if text := lines[got.Line-1][got.Column-1:]; !strings.HasPrefix(text, tt.wantText) {
				t.Fatalf("Locate = %+v, which shows %q, want %q; document:\n%s", got, text, tt.wantText, doc)
			}
		})
	}
	// The multi-line string's block follows its key.
	script, _ := pos.Locate(FieldPath{"spec", "script"})
	if got := strings.TrimSpace(lines[script.Line]); got != "line one" {
		t.Errorf("the line after spec.script is %q, want the block's first line", got)
	}
}

func TestParsePositionsEmpty(t *testing.T) {
	p, err := ParsePositions(nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, depth := p.Locate(FieldPath{"metadata"}); got != (Position{}) || depth != 0 {
		t.Errorf("Locate in an empty document = %+v, %d", got, depth)
	}
	if _, err := ParsePositions([]byte("a: [")); err == nil {
		t.Error("ParsePositions of broken YAML: no error")
	}
}
