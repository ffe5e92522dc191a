package manifest

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxFastDepth is the deepest nesting decodeFast handles; deeper documents go to encoding/json,
// whose own limit and error apply.
const maxFastDepth = 1000

// decodeFast parses b into the values encoding/json gives with UseNumber (map[string]any,
// []any, string, json.Number, bool, nil; a repeated key keeps its last value) in one pass over
// b, without the decoder's reflection and buffer copy. It handles the JSON go-jsonnet writes;
// for anything else (malformed input, invalid UTF-8, lone surrogates, very deep nesting) it
// reports false and the caller uses encoding/json, so results and errors are always
// encoding/json's. From a string, strings without escapes are shared with b, not copied.
func decodeFast[T jsonText](b T) (any, bool) {
	p := fastParser[T]{b: b}
	p.space()
	v, ok := p.value(0)
	if !ok {
		return nil, false
	}
	p.space()
	return v, p.i == len(p.b)
}

// jsonText is the JSON text an environment's output comes as.
type jsonText interface{ string | []byte }

// fastParser is decodeFast's position in its input.
type fastParser[T jsonText] struct {
	b T
	i int
}

func (p *fastParser[T]) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *fastParser[T]) value(depth int) (any, bool) {
	if p.i >= len(p.b) {
		return nil, false
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, false
}

func (p *fastParser[T]) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		return false
	}
	p.i += len(word)
	return true
}

func (p *fastParser[T]) object(depth int) (any, bool) {
	if depth > maxFastDepth {
		return nil, false
	}
	p.i++ // {
	m := map[string]any{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return m, true
	}
	for {
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			return nil, false
		}
		k, ok := p.str()
		if !ok {
			return nil, false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return nil, false
		}
		p.i++
		p.space()
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		m[k.(string)] = v
		p.space()
		if p.i >= len(p.b) {
			return nil, false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
			p.space()
		case '}':
			p.i++
			return m, true
		default:
			return nil, false
		}
	}
}

func (p *fastParser[T]) array(depth int) (any, bool) {
	if depth > maxFastDepth {
		return nil, false
	}
	p.i++ // [
	a := []any{}
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return a, true
	}
	for {
		v, ok := p.value(depth)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		p.space()
		if p.i >= len(p.b) {
			return nil, false
		}
		switch p.b[p.i] {
		case ',':
			p.i++
			p.space()
		case ']':
			p.i++
			return a, true
		default:
			return nil, false
		}
	}
}

// str parses a string at p.i (its opening quote).
func (p *fastParser[T]) str() (any, bool) {
	p.i++
	start := p.i
	// The common case: no escapes, ASCII or valid UTF-8.
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			s := string(p.b[start:p.i])
			p.i++
			return s, true
		case c == '\\':
			return p.escaped(start)
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			p.i++
		default:
			r, size := decodeRune(p.b[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false // encoding/json replaces it; leave that to encoding/json
			}
			p.i += size
		}
	}
	return nil, false
}

// escaped continues a string that has an escape, copying from start.
func (p *fastParser[T]) escaped(start int) (any, bool) {
	buf := make([]byte, 0, p.i-start+16)
	buf = append(buf, p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(buf), true
		case c == '\\':
			if p.i+1 >= len(p.b) {
				return nil, false
			}
			e := p.b[p.i+1]
			p.i += 2
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				if p.i+4 > len(p.b) {
					return nil, false
				}
				n, err := strconv.ParseUint(string(p.b[p.i:p.i+4]), 16, 32)
				if err != nil {
					return nil, false
				}
				r := rune(n)
				if utf16.IsSurrogate(r) {
					return nil, false // pairs and lone halves: encoding/json's rules
				}
				p.i += 4
				buf = utf8.AppendRune(buf, r)
			default:
				return nil, false
			}
		case c < 0x20:
			return nil, false
		case c < utf8.RuneSelf:
			buf = append(buf, c)
			p.i++
		default:
			r, size := decodeRune(p.b[p.i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false
			}
			buf = append(buf, p.b[p.i:p.i+size]...)
			p.i += size
		}
	}
	return nil, false
}

// number parses a JSON number and keeps its text, as UseNumber does.
func (p *fastParser[T]) number() (any, bool) {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	digits := func() int {
		n := 0
		for p.i < len(p.b) && p.b[p.i] >= '0' && p.b[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.i < len(p.b) && p.b[p.i] == '0' {
		p.i++
	} else if digits() == 0 {
		return nil, false
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if digits() == 0 {
			return nil, false
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			return nil, false
		}
	}
	return json.Number(p.b[start:p.i]), true
}

// decodeRune is utf8.DecodeRune of a string or a byte slice.
func decodeRune[T jsonText](b T) (rune, int) {
	switch b := any(b).(type) {
	case string:
		return utf8.DecodeRuneInString(b)
	case []byte:
		return utf8.DecodeRune(b)
	}
	panic("unreachable")
}
