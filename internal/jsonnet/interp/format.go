package interp

// jsonnetFormatField is where the standard library keeps its Jsonnet std.format when a
// Formatter replaces it (a name no program uses: it is not an identifier).
const jsonnetFormatField = "$jsonnet format"

// formatBuiltin is std.format through f: the Go formatter when every value it needs is a
// primitive and it accepts the format, the Jsonnet implementation otherwise.
func formatBuiltin(f Formatter) *builtin {
	return &builtin{name: "format", params: ids("str", "vals"), fn: func(m *machine, a []value) value {
		if s, ok := a[0].(string); ok {
			if out, ok := goFormat(m, f, s, a[1]); ok {
				return out
			}
		}
		return m.callValues(m.fn(m.field(m.std, jsonnetFormatField), "std.format"), a[0], a[1])
	}}
}

// goFormat formats vals with f, or declines.
func goFormat(m *machine, f Formatter, s string, vals value) (string, bool) {
	switch v := vals.(type) {
	case *array:
		out := make([]any, len(v.elems))
		for i, el := range v.elems {
			p, ok := primitive(m.force(el))
			if !ok {
				return "", false
			}
			out[i] = p
		}
		return f.Format(s, out)
	case *object:
		keys, ok := f.Keys(s)
		if !ok {
			return "", false
		}
		out := make(map[string]any, len(keys))
		for _, k := range keys {
			if _, at := v.find(len(v.layers)-1, k); at < 0 {
				return "", false
			}
			p, ok := primitive(m.field(v, k))
			if !ok {
				return "", false
			}
			out[k] = p
		}
		return f.Format(s, out)
	}
	p, ok := primitive(vals)
	if !ok {
		return "", false
	}
	return f.Format(s, []any{p})
}

// primitive is v as a Go value when it is null, a boolean, a number or a string.
func primitive(v value) (any, bool) {
	switch v := v.(type) {
	case nullValue:
		return nil, true
	case bool, float64, string:
		return v, true
	}
	return nil, false
}
