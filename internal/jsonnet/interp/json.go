package interp

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/jsonnet/parse"
)

// JSONImporter is an Importer that can also give an imported file as JSON text. ImportJSON
// returns the text of the file importedPath names (imported from importedFrom) and the name it
// was found under when the importer has that file evaluated as the JSON document it is (ok),
// recording the import as ImportAST would. The evaluator then builds the document's value
// directly, without an AST; a text that is not strict JSON, or that it does not take, is
// imported through ImportAST after all.
type JSONImporter interface {
	ImportJSON(importedFrom, importedPath string) (text, foundAt string, ok bool)
}

// jsonMaxDepth is the deepest nesting of arrays and objects decodeJSON builds; deeper
// documents are imported as code, where go-jsonnet's stack accounting applies.
const jsonMaxDepth = 64

// decodeJSON returns the value of a strict JSON document as go-jsonnet evaluates it when the
// file is imported as code: objects with visible fields, numbers as float64, strings
// unescaped. It declines (false) text that is not strict JSON or not UTF-8, duplicate keys,
// escaped UTF-16 surrogates, control characters in strings, numbers out of range, and nesting
// deeper than jsonMaxDepth.
func decodeJSON(text string) (value, bool) {
	if !utf8.ValidString(text) {
		return nil, false
	}
	d := &jsonDecoder{s: text}
	d.space()
	v, ok := d.value(0)
	if !ok {
		return nil, false
	}
	d.space()
	return v, d.i == len(d.s)
}

// jsonDecoder is decodeJSON's position in its text.
type jsonDecoder struct {
	s string
	i int
}

func (d *jsonDecoder) space() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *jsonDecoder) value(depth int) (value, bool) {
	if d.i >= len(d.s) {
		return nil, false
	}
	switch c := d.s[d.i]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		s, ok := d.str()
		return s, ok
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	case strings.HasPrefix(d.s[d.i:], "true"):
		d.i += 4
		return true, true
	case strings.HasPrefix(d.s[d.i:], "false"):
		d.i += 5
		return false, true
	case strings.HasPrefix(d.s[d.i:], "null"):
		d.i += 4
		return null, true
	}
	return nil, false
}

func (d *jsonDecoder) object(depth int) (value, bool) {
	if depth > jsonMaxDepth {
		return nil, false
	}
	d.i++
	fields := map[string]*fieldDef{}
	d.space()
	if d.i < len(d.s) && d.s[d.i] == '}' {
		d.i++
		return &object{layers: []*layer{{fields: fields}}}, true
	}
	for {
		if d.i >= len(d.s) || d.s[d.i] != '"' {
			return nil, false
		}
		k, ok := d.str()
		if !ok {
			return nil, false
		}
		if _, dup := fields[k]; dup {
			return nil, false
		}
		d.space()
		if d.i >= len(d.s) || d.s[d.i] != ':' {
			return nil, false
		}
		d.i++
		d.space()
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		fields[k] = &fieldDef{hide: ast.ObjectFieldInherit, ready: v}
		done, ok := d.separator('}')
		if !ok {
			return nil, false
		}
		if done {
			return &object{layers: []*layer{{fields: fields}}}, true
		}
	}
}

// separator reads what follows a member: a comma (done false) or closing (done true).
func (d *jsonDecoder) separator(closing byte) (done, ok bool) {
	d.space()
	if d.i >= len(d.s) {
		return false, false
	}
	switch d.s[d.i] {
	case ',':
		d.i++
		d.space()
		return false, true
	case closing:
		d.i++
		return true, true
	}
	return false, false
}

func (d *jsonDecoder) array(depth int) (value, bool) {
	if depth > jsonMaxDepth {
		return nil, false
	}
	d.i++
	var elems []value
	d.space()
	if d.i < len(d.s) && d.s[d.i] == ']' {
		d.i++
		return &array{elems: []value{}}, true
	}
	for {
		v, ok := d.value(depth)
		if !ok {
			return nil, false
		}
		elems = append(elems, v)
		done, ok := d.separator(']')
		if !ok {
			return nil, false
		}
		if done {
			return &array{elems: elems}, true
		}
	}
}

// str reads the string at d.i (its opening quote).
func (d *jsonDecoder) str() (string, bool) {
	d.i++
	start := d.i
	escaped := false
	for d.i < len(d.s) {
		switch c := d.s[d.i]; {
		case c == '"':
			d.i++
			raw := d.s[start : d.i-1]
			if !escaped {
				return raw, true
			}
			return parse.UnescapeJSON(raw)
		case c < 0x20:
			return "", false
		case c == '\\':
			escaped = true
			d.i++
		}
		d.i++
	}
	return "", false
}

// number reads a strict JSON number.
func (d *jsonDecoder) number() (value, bool) {
	neg := d.s[d.i] == '-'
	if neg {
		d.i++
	}
	start := d.i
	digits := func() int {
		n := 0
		for d.i < len(d.s) && d.s[d.i] >= '0' && d.s[d.i] <= '9' {
			d.i++
			n++
		}
		return n
	}
	if d.i < len(d.s) && d.s[d.i] == '0' {
		d.i++
	} else if digits() == 0 {
		return nil, false
	}
	if d.i < len(d.s) && d.s[d.i] == '.' {
		d.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if d.i < len(d.s) && (d.s[d.i] == 'e' || d.s[d.i] == 'E') {
		d.i++
		if d.i < len(d.s) && (d.s[d.i] == '+' || d.s[d.i] == '-') {
			d.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	f, err := strconv.ParseFloat(d.s[start:d.i], 64)
	if err != nil {
		return nil, false
	}
	if neg {
		f = -f
	}
	return f, true
}
