package yamlemit

import (
	"encoding/json"
	"testing"

	yaml "go.yaml.in/yaml/v2"
)

// oracle is yaml.v2's encoding of v.
func oracle(t testing.TB, v any) []byte {
	t.Helper()
	tree, err := V2Tree(v)
	if err != nil {
		t.Fatalf("V2Tree: %v", err)
	}
	out, err := yaml.Marshal(tree)
	if err != nil {
		t.Fatalf("yaml.v2: %v", err)
	}
	return out
}

// check compares Append with yaml.v2 on v and reports whether Append handled v.
func check(t testing.TB, v any) bool {
	t.Helper()
	prefix := []byte("prefix")
	got, ok := Append(prefix, v)
	if !ok {
		if string(got) != "prefix" {
			t.Fatalf("declined but changed dst: %q", got)
		}
		return false
	}
	want := oracle(t, v)
	if string(got[len(prefix):]) != string(want) {
		in, _ := json.Marshal(v)
		t.Fatalf("differs from yaml.v2 for %s\ngot:\n%s\nwant:\n%s", in, got[len(prefix):], want)
	}
	return true
}
