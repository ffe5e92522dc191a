package yamlemit

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"

	yaml "go.yaml.in/yaml/v2"

	"github.com/kforge/kforge/internal/yamlorder"
)

// v2Tree converts a decoded JSON value into the tree internal/manifest hands to yaml.v2:
// yaml.MapSlices in yamlorder.V2 key order, json.Numbers as int64, uint64 or float64.
func v2Tree(v any) any {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		yamlorder.V2.Sort(keys)
		out := make(yaml.MapSlice, len(keys))
		for i, k := range keys {
			out[i] = yaml.MapItem{Key: k, Value: v2Tree(v[k])}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, c := range v {
			out[i] = v2Tree(c)
		}
		return out
	case json.Number:
		s := string(v)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil && integerLiteral(s) {
			return i
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil && integerLiteral(s) {
			return u
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return s
		}
		if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
			return int64(f)
		}
		return f
	}
	return v
}

// oracle is yaml.v2's encoding of v.
func oracle(t testing.TB, v any) []byte {
	t.Helper()
	out, err := yaml.Marshal(v2Tree(v))
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
