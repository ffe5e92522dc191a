package policy

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// fieldPath reads the path a kforge finding names its field with (data.kforge.lib's
// finding_at): a string as reports write it ("spec.http[0].route[1].weight") or an array of
// keys and indexes (["spec", "http", 0, "route", 1, "weight"]), which it writes the same way.
// Keys that are not plain names go in brackets, Go-quoted when they hold brackets or quotes.
func fieldPath(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []any:
		var b strings.Builder
		for _, e := range v {
			switch e := e.(type) {
			case string:
				writePathKey(&b, e)
			case json.Number:
				i, err := strconv.Atoi(e.String())
				if err != nil || i < 0 {
					return "", false
				}
				b.WriteString("[" + strconv.Itoa(i) + "]")
			case float64:
				if e < 0 || e != float64(int(e)) {
					return "", false
				}
				b.WriteString("[" + strconv.Itoa(int(e)) + "]")
			default:
				return "", false
			}
		}
		return b.String(), true
	}
	return "", false
}

var plainPathKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// writePathKey appends one key to a field path.
func writePathKey(b *strings.Builder, key string) {
	switch {
	case plainPathKey.MatchString(key):
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(key)
	case key == "" || strings.ContainsAny(key, `[]"`):
		b.WriteString("[" + strconv.Quote(key) + "]")
	default:
		b.WriteString("[" + key + "]")
	}
}
