package parse

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tBraceL
	tBraceR
	tBracketL
	tBracketR
	tComma
	tDot
	tParenL
	tParenR
	tSemicolon
	tNumber
	tString
	tIdent
	tOperator
	tDollar
	// Keywords.
	tAssert
	tElse
	tError
	tFalse
	tFor
	tFunction
	tIf
	tImport
	tImportStr
	tImportBin
	tIn
	tLocal
	tNull
	tSelf
	tSuper
	tTailStrict
	tThen
	tTrue
)

// strKind is how a string token's data becomes its value.
type strKind uint8

const (
	// sEscaped: a "..." or '...' string; data is the text between the quotes, escapes and all.
	sEscaped strKind = iota
	// sBlock: a ||| text block; data is its value.
	sBlock
	// sVerbatim: an @"..." or @'...' string; data is its value.
	sVerbatim
)

// token is one token. data is what go-jsonnet's lexer keeps as the token's data: the
// identifier, keyword or operator text, the number without underscores, the string data
// (see strKind).
type token struct {
	kind tokKind
	str  strKind
	data string
	pos  int
}

// keywords maps each keyword to its kind.
var keywords = map[string]tokKind{
	"assert": tAssert, "else": tElse, "error": tError, "false": tFalse, "for": tFor,
	"function": tFunction, "if": tIf, "import": tImport, "importstr": tImportStr,
	"importbin": tImportBin, "in": tIn, "local": tLocal, "null": tNull, "self": tSelf,
	"super": tSuper, "tailstrict": tTailStrict, "then": tThen, "true": tTrue,
}

// punctuation maps each one-character token to its kind (tEOF for every other byte).
var punctuation = [256]tokKind{
	'{': tBraceL, '}': tBraceR, '[': tBracketL, ']': tBracketR, ',': tComma, '.': tDot,
	'(': tParenL, ')': tParenR, ';': tSemicolon,
}

// lexer reads tokens from src on demand.
type lexer struct {
	src string
	pos int
}

// fail stops parsing with a *SyntaxError at byte offset pos.
func fail(pos int, format string, args ...any) {
	panic(&SyntaxError{Offset: pos, Message: fmt.Sprintf(format, args...)})
}

func isIdentFirst(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentRest(c byte) bool { return isIdentFirst(c) || c >= '0' && c <= '9' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isSymbol(c byte) bool {
	switch c {
	case '!', '$', ':', '~', '+', '-', '&', '|', '^', '=', '<', '>', '*', '/', '%':
		return true
	}
	return false
}

// skipSpace skips whitespace and comments.
func (l *lexer) skipSpace() {
	src := l.src
	for l.pos < len(src) {
		switch c := src[l.pos]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			l.pos++
		case c == '#' || c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '/':
			if i := strings.IndexByte(src[l.pos:], '\n'); i >= 0 {
				l.pos += i + 1
			} else {
				l.pos = len(src)
			}
		case c == '/' && l.pos+1 < len(src) && src[l.pos+1] == '*':
			i := strings.Index(src[l.pos+2:], "*/")
			if i < 0 {
				fail(l.pos, "Multi-line comment has no terminating */")
			}
			l.pos += 2 + i + 2
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() token {
	l.skipSpace()
	src := l.src
	start := l.pos
	if start >= len(src) {
		return token{kind: tEOF, pos: start}
	}
	c := src[start]
	if k := punctuation[c]; k != tEOF {
		l.pos++
		return token{kind: k, pos: start}
	}
	switch c {
	case '"', '\'':
		return l.quoted(c)
	case '@':
		return l.verbatim()
	}
	switch {
	case isDigit(c):
		return l.number()
	case isIdentFirst(c):
		i := start + 1
		for i < len(src) && isIdentRest(src[i]) {
			i++
		}
		l.pos = i
		word := src[start:i]
		if k, ok := keywords[word]; ok {
			return token{kind: k, data: word, pos: start}
		}
		return token{kind: tIdent, data: word, pos: start}
	case isSymbol(c):
		return l.symbol()
	}
	fail(start, "Could not lex the character %q", c)
	return token{}
}

// quoted lexes a "..." or '...' string: go-jsonnet keeps the text between the quotes and
// unescapes it later.
func (l *lexer) quoted(quote byte) token {
	src := l.src
	start := l.pos
	for i := start + 1; i < len(src); i++ {
		switch src[i] {
		case quote:
			l.pos = i + 1
			return token{kind: tString, str: sEscaped, data: src[start+1 : i], pos: start}
		case '\\':
			i++
		}
	}
	fail(start, "Unterminated String")
	return token{}
}

// verbatim lexes an @"..." or @'...' string, in which a doubled quote stands for one.
func (l *lexer) verbatim() token {
	src := l.src
	start := l.pos
	if start+1 >= len(src) || src[start+1] != '"' && src[start+1] != '\'' {
		fail(start, "Couldn't lex verbatim string")
	}
	quote := src[start+1]
	var b strings.Builder
	from := start + 2
	for i := from; i < len(src); i++ {
		if src[i] != quote {
			continue
		}
		if i+1 < len(src) && src[i+1] == quote {
			b.WriteString(src[from : i+1])
			i++
			from = i + 1
			continue
		}
		l.pos = i + 1
		data := src[from:i]
		if b.Len() > 0 {
			b.WriteString(data)
			data = b.String()
		}
		return token{kind: tString, str: sVerbatim, data: data, pos: start}
	}
	fail(start, "Unterminated String")
	return token{}
}

// number lexes a number as go-jsonnet's state machine does (JSON numbers with underscores
// between digits); the data drops the underscores.
func (l *lexer) number() token {
	src := l.src
	start := l.pos
	i := start
	digits := func() {
		for i < len(src) && isDigit(src[i]) {
			i++
			if i+1 < len(src) && src[i] == '_' && isDigit(src[i+1]) {
				i++
			}
		}
	}
	junkAfter := func(what string) {
		if i < len(src) && src[i] == '_' {
			fail(i, "Couldn't lex number, junk after %s", what)
		}
	}
	if src[i] == '0' {
		i++
		if i < len(src) && src[i] == '_' {
			fail(i, "Couldn't lex number, _ not allowed after leading 0")
		}
	} else {
		digits()
		junkAfter("'_'")
	}
	if i < len(src) && src[i] == '.' {
		i++
		if i >= len(src) || !isDigit(src[i]) {
			fail(i, "Couldn't lex number, junk after decimal point")
		}
		digits()
		junkAfter("'_'")
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		i++
		if i < len(src) && (src[i] == '+' || src[i] == '-') {
			i++
		}
		if i >= len(src) || !isDigit(src[i]) {
			fail(i, "Couldn't lex number, junk after exponent")
		}
		digits()
		junkAfter("'_'")
	}
	l.pos = i
	data := src[start:i]
	if strings.IndexByte(data, '_') >= 0 {
		data = strings.ReplaceAll(data, "_", "")
	}
	return token{kind: tNumber, data: data, pos: start}
}

// symbol lexes an operator, `$` or a ||| text block. As in go-jsonnet, a run of symbol
// characters is one operator, stopped before any '/' and before "||"; a run of more than
// one character that ends in + - ~ ! or $ is cut back to its first character.
func (l *lexer) symbol() token {
	src := l.src
	start := l.pos
	if src[start] == '|' && strings.HasPrefix(src[start+1:], "||") {
		return l.textBlock()
	}
	i := start + 1
	for i < len(src) && isSymbol(src[i]) {
		if src[i] == '/' || src[i] == '|' && i+1 < len(src) && src[i+1] == '|' {
			break
		}
		i++
	}
	if i-start > 1 {
		switch src[i-1] {
		case '+', '-', '~', '!', '$':
			i = start + 1
		}
	}
	l.pos = i
	op := src[start:i]
	if op == "$" {
		return token{kind: tDollar, data: op, pos: start}
	}
	return token{kind: tOperator, data: op, pos: start}
}

// textBlock lexes a ||| text block (the lexer is at its first '|'): the lines up to the
// closing |||, each without the first line's indentation.
func (l *lexer) textBlock() token {
	src := l.src
	start := l.pos
	i := start + 3
	chomp := false
	if i < len(src) && src[i] == '-' {
		chomp = true
		i++
	}
	for i < len(src) && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r') {
		i++
	}
	if i >= len(src) || src[i] != '\n' {
		fail(start, "Text block requires new line after |||.")
	}
	i++
	var b strings.Builder
	for i < len(src) && src[i] == '\n' {
		b.WriteByte('\n')
		i++
	}
	ws := i
	for ws < len(src) && (src[ws] == ' ' || src[ws] == '\t') {
		ws++
	}
	indent := src[i:ws]
	if indent == "" {
		fail(start, "Text block's first line must start with whitespace")
	}
	for {
		i += len(indent)
		nl := strings.IndexByte(src[i:], '\n')
		if nl < 0 {
			fail(start, "Unexpected EOF")
		}
		b.WriteString(src[i : i+nl+1])
		i += nl + 1
		for i < len(src) && src[i] == '\n' {
			b.WriteByte('\n')
			i++
		}
		if strings.HasPrefix(src[i:], indent) {
			continue
		}
		for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		if !strings.HasPrefix(src[i:], "|||") {
			fail(start, "Text block not terminated with |||")
		}
		l.pos = i + 3
		s := b.String()
		if chomp {
			s = s[:len(s)-1]
		}
		return token{kind: tString, str: sBlock, data: s, pos: start}
	}
}
