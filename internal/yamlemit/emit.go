// Package yamlemit writes a decoded JSON value as YAML, byte for byte as yaml.v2's Marshal
// writes the same tree (maps as yaml.MapSlices in yamlorder.V2 key order, json.Number as
// the int64, uint64 or float64 it holds), without building that tree or running yaml.v2's
// event-driven emitter.
//
// It is kforge's fast path for canonical manifest YAML: internal/manifest calls Append
// first and, where Append declines a document, encodes that document with yaml.v2 itself.
// Append covers what manifests hold (block mappings and sequences, empty ones, plain,
// single-quoted and double-quoted strings with yaml.v2's folding at column 80, literal
// blocks with their indentation and chomping indicators, numbers, booleans, null) and
// declines what it does not reproduce with certainty: invalid UTF-8, keys yaml.v2 would
// write as complex keys, line breaks other than \n outside double quotes, strings that start
// with a byte order mark, scalars as the whole document, numbers that are not finite, and
// values of any other Go type. Its tests compare it with yaml.v2 on generated, fuzzed and
// real manifests.
package yamlemit

import (
	"encoding/json"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/kforge/kforge/internal/yamlorder"
)

// bestWidth is the column after which yaml.v2 folds long strings at a space.
const bestWidth = 80

// spaces is indentation to copy from.
const spaces = "                                                                "

// maxSimpleKey is the longest key, in bytes, that yaml.v2 writes as a simple key.
const maxSimpleKey = 128

// Append appends the YAML document that yaml.v2's Marshal writes for v to dst. v is a
// decoded JSON value: map[string]any, []any, string, json.Number, bool or nil (int, int64,
// uint64 and float64 are accepted as well). The document has no "---" and ends with a line
// break. If v holds anything Append does not reproduce with certainty, it returns dst
// unchanged and false, and the caller encodes v with yaml.v2.
func Append(dst []byte, v any) ([]byte, bool) {
	switch v.(type) {
	case map[string]any, []any:
	default:
		return dst, false // a scalar document
	}
	e := encoder{buf: dst, whitespace: true, indention: true}
	if !e.node(v, -1, false) {
		return dst, false
	}
	e.writeIndent(0)
	return e.buf, true
}

// encoder holds the output and the little state of yaml.v2's emitter that decides spaces
// and line breaks: the column, whether the last thing written was whitespace, and whether
// the line holds only indentation so far.
type encoder struct {
	buf        []byte
	column     int
	whitespace bool
	indention  bool
	// keys is a stack of the sorted keys of the mappings being written.
	keys []string
}

// reserve makes room for n more bytes, doubling the buffer when it grows (append alone
// grows large buffers by a quarter, copying a multi-megabyte stream many times).
func (e *encoder) reserve(n int) {
	if cap(e.buf)-len(e.buf) >= n {
		return
	}
	grown := make([]byte, len(e.buf), max(2*cap(e.buf), len(e.buf)+n, 4096))
	copy(grown, e.buf)
	e.buf = grown
}

// newline starts a new line.
func (e *encoder) newline() {
	e.buf = append(e.buf, '\n')
	e.column = 0
}

// writeIndent moves to column indent, on a new line unless the current one holds only
// indentation up to there.
func (e *encoder) writeIndent(indent int) {
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.newline()
	}
	for e.column < indent {
		n := min(indent-e.column, len(spaces))
		e.buf = append(e.buf, spaces[:n]...)
		e.column += n
	}
	e.whitespace, e.indention = true, true
}

// indicator writes the ASCII indicator s, after a space where one is needed.
func (e *encoder) indicator(s string, needSpace, isSpace, keepsIndention bool) {
	if needSpace && !e.whitespace {
		e.buf = append(e.buf, ' ')
		e.column++
	}
	e.buf = append(e.buf, s...)
	e.column += len(s)
	e.whitespace = isSpace
	e.indention = e.indention && keepsIndention
}

// node writes v, a child of a collection indented by parent (-1 for the document);
// mapValue: v is a mapping's value.
func (e *encoder) node(v any, parent int, mapValue bool) bool {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			e.indicator("{", true, true, false)
			e.indicator("}", false, false, false)
			return true
		}
		return e.mapping(v, childIndent(parent))
	case []any:
		if len(v) == 0 {
			e.indicator("[", true, true, false)
			e.indicator("]", false, false, false)
			return true
		}
		indent := childIndent(parent)
		if mapValue && !e.indention && parent >= 0 {
			indent = parent // sequences in mappings are not indented
		}
		for _, item := range v {
			e.writeIndent(indent)
			e.indicator("-", true, false, true)
			if !e.node(item, indent, false) {
				return false
			}
		}
		return true
	case string:
		return e.str(v, parent+2, false)
	case json.Number:
		return e.number(v)
	case bool:
		if v {
			e.plain("true")
		} else {
			e.plain("false")
		}
		return true
	case nil:
		e.plain("null")
		return true
	case int:
		e.plain(strconv.Itoa(v))
		return true
	case int64:
		e.plain(strconv.FormatInt(v, 10))
		return true
	case uint64:
		e.plain(strconv.FormatUint(v, 10))
		return true
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return false
		}
		e.plain(strconv.FormatFloat(v, 'g', -1, 64))
		return true
	}
	return false
}

// childIndent is the indentation of a block collection inside one indented by parent.
func childIndent(parent int) int {
	if parent < 0 {
		return 0
	}
	return parent + 2
}

// mapping writes the non-empty map m as a block mapping indented by indent, keys in
// yaml.v2's order.
func (e *encoder) mapping(m map[string]any, indent int) bool {
	start := len(e.keys)
	for k := range m {
		e.keys = append(e.keys, k)
	}
	yamlorder.V2.Sort(e.keys[start:])
	for i := start; i < start+len(m); i++ {
		k := e.keys[i] // e.keys may grow (and move) while the values are written
		e.writeIndent(indent)
		if !e.str(k, indent+2, true) {
			return false
		}
		e.indicator(":", false, false, false)
		if !e.node(m[k], indent, true) {
			return false
		}
	}
	e.keys = e.keys[:start]
	return true
}

// number writes a JSON number as yaml.v2 writes the int64, uint64 or float64 that
// internal/manifest converts it to.
func (e *encoder) number(n json.Number) bool {
	v, err := Number(n)
	if err != nil {
		return false
	}
	switch v := v.(type) {
	case int64:
		e.plain(strconv.FormatInt(v, 10))
	case uint64:
		e.plain(strconv.FormatUint(v, 10))
	default:
		e.plain(strconv.FormatFloat(v.(float64), 'g', -1, 64))
	}
	return true
}

// integerLiteral reports whether s is -?[0-9]+.
func integerLiteral(s string) bool {
	if s != "" && s[0] == '-' {
		s = s[1:]
	}
	return s != "" && allDigits(s)
}

// plain writes a short ASCII plain scalar without spaces (a number, a boolean, null).
func (e *encoder) plain(s string) {
	if !e.whitespace {
		e.buf = append(e.buf, ' ')
		e.column++
	}
	e.buf = append(e.buf, s...)
	e.column += len(s)
	e.whitespace, e.indention = false, false
}

// str writes the string s in the style yaml.v2 picks for it; indent is the indentation of
// continuation lines. key: s is a mapping key, which must fit a simple key.
func (e *encoder) str(s string, indent int, key bool) bool {
	e.reserve(len(s) + 64)
	sh := analyze(s)
	if sh.invalid || sh.bom || (key && (sh.multiline || len(s) > maxSimpleKey)) {
		return false
	}
	st := chooseStyle(s, sh, key)
	if sh.otherBreaks && st != doubleQuotedStyle {
		return false // written raw, they start lines yaml.v2 indents in its own way
	}
	switch st {
	case plainStyle:
		e.plainString(s, indent, !key)
	case singleQuotedStyle:
		e.singleQuoted(s, indent, !key)
	case doubleQuotedStyle:
		e.doubleQuoted(s, indent, !key)
	case literalStyle:
		e.literal(s, indent)
	}
	return true
}

// runeAt returns the rune at s[i] and its width.
func runeAt(s string, i int) (rune, int) {
	if s[i] < utf8.RuneSelf {
		return rune(s[i]), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// fits reports whether s, written from the current column, cannot reach a space past
// bestWidth, so that no folding can happen.
func (e *encoder) fits(s string) bool {
	return e.column+len(s) <= bestWidth+1
}

// plainString writes s plain (it has no line breaks); with fold, a space after column 80
// that follows a non-space and precedes one becomes a line break.
func (e *encoder) plainString(s string, indent int, fold bool) {
	if !e.whitespace {
		e.buf = append(e.buf, ' ')
		e.column++
	}
	if !fold || e.fits(s) {
		e.buf = append(e.buf, s...)
		e.column += utf8.RuneCountInString(s)
	} else {
		spaces := false
		for i := 0; i < len(s); {
			_, w := runeAt(s, i)
			if s[i] == ' ' {
				e.space(!spaces && e.column > bestWidth && (i+1 == len(s) || s[i+1] != ' '), indent)
				spaces = true
			} else {
				e.char(s[i : i+w])
				spaces = false
			}
			i += w
		}
	}
	e.whitespace, e.indention = false, false
}

// space writes one space of a folded scalar, or breaks the line in its place when
// breakHere (the caller applies yaml.v2's rule for the style).
func (e *encoder) space(breakHere bool, indent int) {
	if breakHere {
		e.writeIndent(indent)
		return
	}
	e.buf = append(e.buf, ' ')
	e.column++
}

// char writes one character c (one rune's bytes) of a scalar.
func (e *encoder) char(c string) {
	e.buf = append(e.buf, c...)
	e.column++
	e.indention = false
}

// singleQuoted writes s in single quotes, doubling quotes inside (s has no line breaks);
// with fold, inner spaces fold as in plainString.
func (e *encoder) singleQuoted(s string, indent int, fold bool) {
	e.indicator("'", true, false, false)
	spaces := false
	for i := 0; i < len(s); {
		_, w := runeAt(s, i)
		if s[i] == ' ' {
			e.space(fold && !spaces && e.column > bestWidth && i > 0 && i < len(s)-1 && s[i+1] != ' ', indent)
			spaces = true
		} else {
			if s[i] == '\'' {
				e.buf = append(e.buf, '\'')
				e.column++
			}
			e.char(s[i : i+w])
			spaces = false
		}
		i += w
	}
	e.indicator("'", false, false, false)
	e.whitespace, e.indention = false, false
}

// doubleQuoted writes s in double quotes with YAML escapes for line breaks, quotes,
// backslashes and unprintable characters; with fold, inner spaces after column 80 become
// line breaks (a following space then starts the next line escaped).
func (e *encoder) doubleQuoted(s string, indent int, fold bool) {
	e.indicator(`"`, true, false, false)
	spaces := false
	for i := 0; i < len(s); {
		r, w := runeAt(s, i)
		switch {
		case !printable(r) || isBreak(r) || r == '"' || r == '\\':
			e.escape(r)
			spaces = false
		case r == ' ':
			if fold && !spaces && e.column > bestWidth && i > 0 && i < len(s)-1 {
				e.writeIndent(indent)
				if s[i+1] == ' ' {
					e.buf = append(e.buf, '\\')
					e.column++
				}
			} else {
				e.buf = append(e.buf, ' ')
				e.column++
			}
			spaces = true
		default:
			e.buf = append(e.buf, s[i:i+w]...)
			e.column++
			spaces = false
		}
		i += w
	}
	e.indicator(`"`, false, false, false)
	e.whitespace, e.indention = false, false
}

// escape writes the double-quoted escape of r.
func (e *encoder) escape(r rune) {
	var short byte
	switch r {
	case 0:
		short = '0'
	case 0x07:
		short = 'a'
	case 0x08:
		short = 'b'
	case '\t':
		short = 't'
	case '\n':
		short = 'n'
	case 0x0B:
		short = 'v'
	case 0x0C:
		short = 'f'
	case '\r':
		short = 'r'
	case 0x1B:
		short = 'e'
	case '"':
		short = '"'
	case '\\':
		short = '\\'
	case 0x85:
		short = 'N'
	case 0xA0:
		short = '_'
	case 0x2028:
		short = 'L'
	case 0x2029:
		short = 'P'
	}
	if short != 0 {
		e.buf = append(e.buf, '\\', short)
		e.column += 2
		return
	}
	const hex = "0123456789ABCDEF"
	var prefix byte
	var digits int
	switch {
	case r <= 0xFF:
		prefix, digits = 'x', 2
	case r <= 0xFFFF:
		prefix, digits = 'u', 4
	default:
		prefix, digits = 'U', 8
	}
	e.buf = append(e.buf, '\\', prefix)
	for k := digits - 1; k >= 0; k-- {
		e.buf = append(e.buf, hex[(r>>(4*k))&0xF])
	}
	e.column += 2 + digits
}

// literal writes s (whose only line breaks are \n) as a literal block: "|", an indentation
// indicator when s starts with a space or a break, "-" when s does not end with a break or
// "+" when it ends with more than one (or is one), then the lines indented by indent.
func (e *encoder) literal(s string, indent int) {
	e.indicator("|", true, false, false)
	if s[0] == ' ' || s[0] == '\n' {
		e.indicator("2", false, false, false)
	}
	switch n := len(s); {
	case s[n-1] != '\n':
		e.indicator("-", false, false, false)
	case n == 1 || s[n-2] == '\n':
		e.indicator("+", false, false, false)
	}
	e.newline()
	e.indention, e.whitespace = true, true
	lineStart := true
	for i := 0; i < len(s); {
		if s[i] == '\n' {
			e.newline()
			e.indention = true
			lineStart = true
			i++
			continue
		}
		if lineStart {
			e.writeIndent(indent)
			lineStart = false
		}
		j := i
		for j < len(s) && s[j] != '\n' {
			j++
		}
		e.buf = append(e.buf, s[i:j]...)
		e.column += utf8.RuneCountInString(s[i:j])
		e.indention = false
		i = j
	}
}
