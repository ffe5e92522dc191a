package manifest

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// rootPath is the JSON path of the whole output.
const rootPath = "."

// keyPath appends an object key to a JSON path: ".key" for identifiers,
// `["key"]` (Go-quoted) for anything else; at the root `.["key"]`, as jq
// writes it.
func keyPath(parent, key string) string {
	if isIdentifier(key) {
		if parent == rootPath {
			return "." + key
		}
		return parent + "." + key
	}
	return parent + "[" + strconv.Quote(key) + "]"
}

// indexPath appends an array index to a JSON path (".[0]" at the root).
func indexPath(parent string, i int) string {
	return parent + "[" + strconv.Itoa(i) + "]"
}

// isIdentifier reports whether key is [A-Za-z_][A-Za-z0-9_]*.
func isIdentifier(key string) bool {
	if key == "" {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// describe names the JSON type of a decoded value, with a short preview of
// scalars, for error messages: `string "foo"`, "number 5", "array".
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean " + strconv.FormatBool(x)
	case string:
		const shown = 40
		if len(x) > shown {
			return "string " + strconv.Quote(truncate(x, shown)) + "..."
		}
		return "string " + strconv.Quote(x)
	case json.Number:
		return "number " + x.String()
	case []any:
		return "array"
	case map[string]any:
		return "object"
	default:
		return fmt.Sprintf("value of Go type %T", v)
	}
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
