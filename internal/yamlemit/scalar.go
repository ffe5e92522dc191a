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
	// otherBreaks: a line break other than \n.
	otherBreaks bool
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

// analyze finds the shape of the valid UTF-8 string s: indicator characters that forbid the
// plain style, leading and trailing spaces and breaks, spaces next to breaks, characters
// that must be escaped.
func analyze(s string) shape {
	var sh shape
	if s == "" {
		sh.plainOK, sh.singleOK = true, true
		return sh
	}
	indicators := len(s) >= 3 && (s[:3] == "---" || s[:3] == "...")
	var (
		special, leadingSpace, leadingBreak, trailingSpace, trailingBreak bool
		breakSpace, spaceBreak, prevSpace, prevBreak                      bool
	)
	afterBlank := true // the previous character was a blank, a break or NUL
	for i := 0; i < len(s); {
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		beforeBlank := i+w >= len(s) || s[i+w] == ' ' || s[i+w] == '\t'
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				indicators = true
			case '?', ':', '-':
				if beforeBlank {
					indicators = true
				}
			}
		} else {
			switch r {
			case ':':
				if beforeBlank {
					indicators = true
				}
			case '#':
				if afterBlank {
					indicators = true
				}
			}
		}
		if !printable(r) {
			special = true
		}
		switch {
		case r == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = i+w == len(s)
			breakSpace = breakSpace || prevBreak
			prevSpace, prevBreak = true, false
		case isBreak(r):
			sh.multiline = true
			if r != '\n' {
				sh.otherBreaks = true
			}
			leadingBreak = leadingBreak || i == 0
			trailingBreak = i+w == len(s)
			spaceBreak = spaceBreak || prevSpace
			prevSpace, prevBreak = false, true
		default:
			prevSpace, prevBreak = false, false
		}
		afterBlank = r == ' ' || r == '\t' || r == 0 || isBreak(r)
		i += w
	}
	sh.bom = len(s) >= 3 && s[:3] == "\xEF\xBB\xBF"
	sh.plainOK = !(leadingSpace || leadingBreak || trailingSpace || trailingBreak ||
		breakSpace || spaceBreak || special || sh.multiline || indicators)
	sh.singleOK = !(breakSpace || spaceBreak || special)
	sh.blockOK = !(trailingSpace || spaceBreak || special)
	return sh
}

// chooseStyle picks the style yaml.v2 writes the string s in, in block context: a literal
// block for multi-line strings, plain where the string reads back as itself, else double
// quotes, each replaced by the next safer style when the shape forbids it. key: s is a
// simple mapping key.
func chooseStyle(s string, sh shape, key bool) style {
	st := doubleQuotedStyle
	switch {
	case hasNewline(s):
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

// hasNewline reports whether s holds a "\n".
func hasNewline(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return true
		}
	}
	return false
}
