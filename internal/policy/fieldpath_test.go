package policy

import (
	"encoding/json"
	"testing"
)

func TestFieldPath(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want string
		ok   bool
	}{
		{"string", "spec.http[0].route[1].weight", "spec.http[0].route[1].weight", true},
		{"array", []any{"spec", "http", json.Number("0"), "route", json.Number("1"), "weight"}, "spec.http[0].route[1].weight", true},
		{"array of float indexes", []any{"spec", "containers", 2.0}, "spec.containers[2]", true},
		{"keys that are not names", []any{"metadata", "labels", "app.kubernetes.io/name"}, "metadata.labels[app.kubernetes.io/name]", true},
		{"keys with brackets", []any{"data", "a]b", ""}, `data["a]b"][""]`, true},
		{"negative index", []any{"spec", json.Number("-1")}, "", false},
		{"fractional index", []any{"spec", 1.5}, "", false},
		{"object", map[string]any{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := fieldPath(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("fieldPath(%v) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}
