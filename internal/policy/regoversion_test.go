package policy

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestRegoV0(t *testing.T) {
	e := load(t, []string{"rego_v0"}, nil, Options{RegoVersion: RegoV0})
	fs, err := e.Evaluate(context.Background(), Input{Environment: EnvInfo{Name: "environments/dev"}, Resources: decode(t, `[
		{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
		{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "settings"}}]`)})
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.RuleID+" "+string(f.Severity)+" "+f.Message)
	}
	want := []string{"main.deny error web: v0 syntax runs unchanged", "main.warn warning no owner label"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRegoVersionErrors(t *testing.T) {
	tests := []struct {
		name, version, contains string
		kind                    ErrorKind
	}{
		{name: "v0 policy read as v1", version: "", kind: KindCompile, contains: "rego_v0/old.rego:5:1: rego_parse_error"},
		{name: "unknown version", version: "v2", kind: KindLoad, contains: `rego version "v2": use v1 or v0`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(context.Background(), []string{"rego_v0"}, nil, Options{Root: testRoot(t), RegoVersion: tt.version})
			if err == nil {
				t.Fatal("Load succeeded")
			}
			_ = asError(t, err, tt.kind)
			if !strings.Contains(err.Error(), tt.contains) {
				t.Errorf("error %q does not contain %q", err, tt.contains)
			}
		})
	}
}

func TestParseRegoVersion(t *testing.T) {
	for _, v := range append(RegoVersions(), "") {
		if _, err := ParseRegoVersion(v); err != nil {
			t.Errorf("ParseRegoVersion(%q): %v", v, err)
		}
	}
}

// TestRegoV0BesideV1 loads a v0 directory next to kforge-style v1 policies with RegoV0: each
// file is read in the syntax it parses in.
func TestRegoV0BesideV1(t *testing.T) {
	e := load(t, []string{"kforge", "rego_v0"}, nil, Options{RegoVersion: RegoV0})
	var ids []string
	for _, r := range e.Rules() {
		ids = append(ids, r.ID)
	}
	if !slices.Contains(ids, "main.deny") || len(ids) < 2 {
		t.Errorf("rules = %v, want main.deny and the kforge rules", ids)
	}
}
