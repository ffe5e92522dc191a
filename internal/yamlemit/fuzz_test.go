package yamlemit

import (
	"encoding/json"
	"testing"
)

// FuzzAppend compares Append with yaml.v2 on a fuzzed key and value placed in a small tree
// at a fuzzed depth, as a mapping value, a sequence item and a key.
func FuzzAppend(f *testing.F) {
	for i, s := range wholeStrings {
		f.Add(s, trickyParts[i%len(trickyParts)], uint8(i))
	}
	f.Add("description", "A long description that yaml.v2 folds at column eighty, after the word that crosses it.", uint8(3))
	f.Add("data", "line one\nline two\n\n", uint8(1))
	f.Fuzz(func(t *testing.T, key, value string, depth uint8) {
		v := nest(map[string]any{
			key:    value,
			"list": []any{value, map[string]any{key: []any{value}}, json.Number("1")},
			"map":  map[string]any{value: key, "e": map[string]any{}},
		}, int(depth%24))
		check(t, v)
	})
}
