package yamlemit

import "unicode/utf8"

// style is a scalar's presentation.
type style int

const (
	plainStyle style = iota
	singleQuotedStyle
	doubleQuotedStyle
	literalStyle
)

// shape is what the presentation of a string depends on, found in one pass.
type shape struct {
	// multiline: the string holds a line break (\n, \r, U+0085, U+2028 or U+2029).
	multiline bool
	// plainOK, singleOK and blockOK: the string may be written plain (in block context),
	// single-quoted, or as a literal block.
	plainOK, singleOK, blockOK bool
	// newline: the string holds a \n; otherBreaks: a line break other than \n.
	newline, otherBreaks bool
	// invalid: the string is not valid UTF-8.
	invalid bool
	// bom: the string starts with a byte order mark.
	bom bool
}

// printable reports whether r may appear unescaped in YAML output: \n, printable ASCII, and
// the rest of the Basic Multilingual Plane except the C1 controls, surrogates, U+FEFF,
// U+FFFE and U+FFFF.
func printable(r rune) bool {
	switch {
	case r == '\n' || (r >= 0x20 && r <= 0x7E):
		return true
	case r >= 0xA0 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	}
	return false
}

// isBreak reports whether r is a YAML line break.
func isBreak(r rune) bool {
	return r == '\n' || r == '\r' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// analyze finds the shape of the string s: indicator characters that forbid the plain
// style, leading and trailing spaces and breaks, spaces next to breaks, characters that
// must be escaped, and whether s is valid UTF-8 at all.
func analyze(s string) shape {
	var sh shape
	if s == "" {
		sh.plainOK, sh.singleOK = true, true
		return sh
	}
	indicators := len(s) >= 3 && (s[:3] == "---" || s[:3] == "...")
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		indicators = true
	case '?', ':', '-':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' {
			indicators = true
		}
	}
	var (
		special, leadingSpace, leadingBreak, trailingSpace, trailingBreak bool
		breakSpace, spaceBreak, prevSpace, prevBreak                      bool
	)
	afterBlank := true // the previous character was a blank, a break or NUL
	for i := 0; i < len(s); {
		c := s[i]
		r, w := rune(c), 1
		if c < utf8.RuneSelf {
			// The common characters, without decoding: printable ASCII, space, \n.
			handled := true
			switch {
			case c > ' ' && c < 0x7F:
				if i > 0 && ((c == ':' && (i+1 == len(s) || s[i+1] == ' ' || s[i+1] == '\t')) || (c == '#' && afterBlank)) {
					indicators = true
				}
				prevSpace, prevBreak, afterBlank = false, false, false
				// Skip the run of such characters that follows, up to the next that matters.
				for i+1 < len(s) {
					if d := s[i+1]; d <= ' ' || d >= 0x7F || d == ':' || d == '#' {
						break
					}
					i++
				}
			case c == ' ':
				leadingSpace = leadingSpace || i == 0
				trailingSpace = i+1 == len(s)
				breakSpace = breakSpace || prevBreak
				prevSpace, prevBreak, afterBlank = true, false, true
			case c == '\n':
				sh.multiline, sh.newline = true, true
				leadingBreak = leadingBreak || i == 0
				trailingBreak = i+1 == len(s)
				spaceBreak = spaceBreak || prevSpace
				prevSpace, prevBreak, afterBlank = false, true, true
			default:
				handled = false
			}
			if handled {
				i++
				continue
			}
		} else {
			r, w = utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && w == 1 {
				sh.invalid = true
				return sh
			}
		}
		// The rest: tab, \r, control characters, and everything beyond ASCII.
		if !printable(r) {
			special = true
		}
		if isBreak(r) {
			sh.multiline, sh.otherBreaks = true, true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = i+w == len(s)
			spaceBreak = spaceBreak || prevSpace
			prevSpace, prevBreak = false, true
		} else {
			prevSpace, prevBreak = false, false
		}
		afterBlank = r == '\t' || r == 0 || isBreak(r)
		i += w
	}
	sh.bom = len(s) >= 3 && s[:3] == "\xEF\xBB\xBF"
	// Each style is ruled out by any of these.
	notPlain := leadingSpace || leadingBreak || trailingSpace || trailingBreak ||
		breakSpace || spaceBreak || special || sh.multiline || indicators
	notSingle := breakSpace || spaceBreak || special
	notBlock := trailingSpace || spaceBreak || special
	sh.plainOK, sh.singleOK, sh.blockOK = !notPlain, !notSingle, !notBlock
	return sh
}

// chooseStyle picks the style yaml.v2 writes the string s in, in block context: a literal
// block for multi-line strings, plain where the string reads back as itself, else double
// quotes, each replaced by the next safer style when the shape forbids it. key: s is a
// simple mapping key.
func chooseStyle(s string, sh shape, key bool) style {
	st := doubleQuotedStyle
	switch {
	case sh.newline:
		st = literalStyle
	case plainIsString(s):
		st = plainStyle
	}
	if key && sh.multiline {
		st = doubleQuotedStyle
	}
	if st == plainStyle && (!sh.plainOK || (s == "" && key)) {
		st = singleQuotedStyle
	}
	if st == singleQuotedStyle && !sh.singleOK {
		st = doubleQuotedStyle
	}
	if st == literalStyle && (!sh.blockOK || key) {
		st = doubleQuotedStyle
	}
	return st
}
