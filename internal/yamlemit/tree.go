package yamlemit

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	yaml "go.yaml.in/yaml/v2"

	"github.com/kforge/kforge/internal/yamlorder"
)

// V2Tree copies a decoded JSON value into the tree whose yaml.v2 encoding is kforge's
// canonical YAML, the bytes Append reproduces: maps become yaml.MapSlices in yamlorder.V2 key
// order, which the emitter keeps, and json.Numbers the values Number gives. It fails on a
// number that is not a finite JSON number.
func V2Tree(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		yamlorder.V2.Sort(keys)
		out := make(yaml.MapSlice, len(keys))
		for i, k := range keys {
			c, err := V2Tree(v[k])
			if err != nil {
				return nil, err
			}
			out[i] = yaml.MapItem{Key: k, Value: c}
		}
		return out, nil
	case []any:
		out := make([]any, len(v))
		for i, child := range v {
			c, err := V2Tree(child)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case json.Number:
		return Number(v)
	default:
		return v, nil
	}
}

// Number converts a (canonical) JSON number to the Go value yaml.v2 writes the same way:
// int64 or uint64 for an integer literal that fits, int64 for an integral float in its range,
// float64 otherwise. It fails on a number that is not a finite JSON number.
func Number(n json.Number) (any, error) {
	s := string(n)
	if integerLiteral(s) {
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return i, nil
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u, nil
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return nil, fmt.Errorf("number %q is not a finite JSON number", s)
	}
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		return int64(f), nil
	}
	return f, nil
}
