package interp

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// manifest turns v into the Go value go-jsonnet's manifestJSON gives: nil, bool, float64,
// string, []any or map[string]any (visible fields only), forcing everything in it. Like
// go-jsonnet it runs every value in a frame of its own and checks an object's assertions
// before its fields.
func (m *machine) manifest(v value) any {
	f := m.push(false)
	defer m.pop(f)
	switch v := v.(type) {
	case nullValue:
		return nil
	case bool:
		return v
	case float64:
		return v
	case string:
		return v
	case *array:
		out := make([]any, len(v.elems))
		for i, el := range v.elems {
			out[i] = m.manifest(m.force(el))
		}
		return out
	case *object:
		names := m.fieldNames(v, false)
		m.checkAssertions(v)
		out := make(map[string]any, len(names))
		for _, name := range names {
			out[name] = m.manifest(m.field(v, name))
		}
		return out
	case *function:
		fail("couldn't manifest function as JSON")
	}
	fail("manifesting %T", v)
	return nil
}

// writeManifest writes v as manifest and writeJSON (multiline, at indent) together would:
// the same forcing, frames and assertion checks, in the same order, without the manifested
// copy.
func (m *machine) writeManifest(b *strings.Builder, v value, indent string) {
	f := m.push(false)
	defer m.pop(f)
	// Builder.Grow doubles the buffer where appending grows a large one by a quarter: the
	// text is megabytes, copied five times over otherwise.
	if b.Cap()-b.Len() < 1024+len(indent) {
		b.Grow(1024 + len(indent))
	}
	switch v := v.(type) {
	case nullValue:
		b.WriteString("null")
	case bool:
		writeJSON(b, v, true, indent)
	case float64:
		var buf [32]byte
		b.Write(appendNumber(buf[:0], v))
	case string:
		if b.Cap()-b.Len() < len(v)+2 {
			b.Grow(len(v) + 2)
		}
		writeQuoted(b, v)
	case *array:
		writeContainer(b, "[", "]", len(v.elems), true, indent, func(i int, inner string) {
			m.writeManifest(b, m.force(v.elems[i]), inner)
		})
	case *object:
		names := m.fieldNames(v, false)
		m.checkAssertions(v)
		writeContainer(b, "{", "}", len(names), true, indent, func(i int, inner string) {
			writeQuoted(b, names[i])
			b.WriteString(": ")
			m.writeManifest(b, m.field(v, names[i]), inner)
		})
	case *function:
		fail("couldn't manifest function as JSON")
	default:
		fail("manifesting %T", v)
	}
}

// toString is std.toString: a string as is, anything else manifested as one-line JSON.
func (m *machine) toString(v value) string {
	if s, ok := v.(string); ok {
		return s
	}
	var b strings.Builder
	writeJSON(&b, m.manifest(v), false, "")
	return b.String()
}

// writeJSON writes v as go-jsonnet's serializeJSON does: multiline with three-space
// indentation, or on one line with ", " between elements.
func writeJSON(b *strings.Builder, v any, multiline bool, indent string) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		if v {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case float64:
		var buf [32]byte
		b.Write(appendNumber(buf[:0], v))
	case string:
		writeQuoted(b, v)
	case []any:
		writeContainer(b, "[", "]", len(v), multiline, indent, func(i int, inner string) {
			writeJSON(b, v[i], multiline, inner)
		})
	case map[string]any:
		keys := sortedKeys(v)
		writeContainer(b, "{", "}", len(keys), multiline, indent, func(i int, inner string) {
			writeQuoted(b, keys[i])
			b.WriteString(": ")
			writeJSON(b, v[keys[i]], multiline, inner)
		})
	}
}

// writeContainer writes n elements between opening and closing as serializeJSON does ("[ ]" or
// "{ }" when empty); item writes the i-th element, whose lines are indented by inner.
func writeContainer(b *strings.Builder, opening, closing string, n int, multiline bool, indent string, item func(i int, inner string)) {
	if n == 0 {
		b.WriteString(opening + " " + closing)
		return
	}
	inner, first, sep := indent, opening, ", "
	if multiline {
		inner, first, sep = indent+"   ", opening+"\n", ",\n"
	}
	for i := range n {
		if i == 0 {
			b.WriteString(first)
		} else {
			b.WriteString(sep)
		}
		b.WriteString(inner)
		item(i, inner)
	}
	if multiline {
		b.WriteByte('\n')
	}
	b.WriteString(indent)
	b.WriteString(closing)
}

// appendNumber appends v as go-jsonnet writes numbers: an integral value with no fraction,
// any other with 17 significant digits.
func appendNumber(b []byte, v float64) []byte {
	if v == numberFloor(v) {
		return strconv.AppendFloat(b, v, 'f', 0, 64)
	}
	return strconv.AppendFloat(b, v, 'g', 17, 64)
}

// writeQuoted writes s as go-jsonnet's unparseString does.
func writeQuoted(b *strings.Builder, s string) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < 0x7f {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= 0x80 {
			r, size = utf8.DecodeRuneInString(s[i:])
			if r > 0x9f {
				i += size
				continue
			}
		}
		b.WriteString(s[start:i])
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			const hex = "0123456789abcdef"
			b.WriteString(`\u00`)
			b.WriteByte(hex[r>>4])
			b.WriteByte(hex[r&0xf])
		}
		i += size
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

func sortedKeys(v map[string]any) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return keys
}
