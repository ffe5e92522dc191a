package jsonnet

import (
	"strings"
	"unicode/utf8"

	"github.com/google/go-jsonnet/ast"

	"github.com/kforge/kforge/internal/jsonnet/parse"
)

// Parsing imported JSON files without go-jsonnet's parser.
//
// Real Jsonnet imports large JSON documents as code (kube-prometheus imports 4.5 MB of
// CustomResourceDefinitions with `import 'x-crd.json'`), and go-jsonnet lexes, parses,
// desugars and analyses them like any Jsonnet: in kube-prometheus that was most of the parse
// time and 32 MB of AST, most of it formatting fodder the evaluator never reads. jsonAST
// builds, in one pass over the bytes, the AST go-jsonnet's SnippetToAST returns for such a
// document (the same nodes, values, locations, contexts and free variables) except the fodder
// (comments and whitespace, which only go-jsonnet's formatter reads). TestJSONASTMatchesGoJsonnet
// and FuzzJSONAST compare the two. It declines (ok false) whatever it does not handle exactly:
// text that is not strict JSON, invalid UTF-8, a byte order mark, duplicate keys, escaped
// UTF-16 surrogates, nesting deeper than jsonASTMaxDepth. go-jsonnet then parses the file
// itself, with its own errors.

// jsonASTMaxDepth is the deepest nesting of arrays and objects jsonAST builds.
const jsonASTMaxDepth = 1000

// Contexts go-jsonnet's parser gives the nodes (parser.addContext): the top level is "$", the
// field bodies of an object "object <anonymous>", and the elements of an array
// "thunk from <C>" where C is the array's own context.
const (
	jsonTopContext    = "$"
	jsonObjectContext = "object <anonymous>"
)

// jsonAST returns the AST of the JSON document text as go-jsonnet parses it under filename
// (SnippetToAST(filename, text)), without fodder; ok is false when the text is outside what
// it builds exactly.
func jsonAST(filename, text string) (node ast.Node, ok bool) {
	if !utf8.ValidString(text) {
		return nil, false
	}
	b := &jsonASTBuilder{
		text:     text,
		line:     1,
		fileName: filename,
		source:   jsonSource(filename, text),
		contexts: map[string]*string{},
		noVars:   ast.Identifiers{},
	}
	b.skipSpace()
	node, ok = b.value(b.context(jsonTopContext), 0, 0)
	if !ok {
		return nil, false
	}
	b.skipSpace()
	if b.pos != len(text) {
		return nil, false
	}
	return node, true
}

// jsonSource is ast.BuildSource(filename, text) for valid UTF-8 text: the lines keep their
// "\n", and the last (possibly empty) line gets one.
func jsonSource(filename, text string) *ast.Source {
	lines := make([]string, 0, strings.Count(text, "\n")+1)
	rest := text
	for {
		i := strings.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		lines = append(lines, rest[:i+1])
		rest = rest[i+1:]
	}
	lines = append(lines, rest+"\n")
	return &ast.Source{DiagnosticFileName: ast.DiagnosticFileName(filename), Lines: lines}
}

// jsonASTBuilder reads one JSON document and builds its nodes.
type jsonASTBuilder struct {
	text string
	// pos is the byte offset of the next byte; line and lineStart locate it as go-jsonnet's
	// lexer does (columns count bytes from 1).
	pos, line, lineStart int
	fileName             string
	source               *ast.Source
	// contexts shares one string per distinct context.
	contexts map[string]*string
	// noVars is the empty, non-nil free-variable list the static analyser gives every node.
	noVars ast.Identifiers
}

// context returns the shared pointer to the context s.
func (b *jsonASTBuilder) context(s string) *string {
	if p, ok := b.contexts[s]; ok {
		return p
	}
	p := &s
	b.contexts[s] = p
	return p
}

// location is the position of the next byte.
func (b *jsonASTBuilder) location() ast.Location {
	return ast.Location{Line: b.line, Column: b.pos - b.lineStart + 1}
}

// base is the NodeBase of a node from begin to the current position.
func (b *jsonASTBuilder) base(begin ast.Location, ctx *string) ast.NodeBase {
	return ast.NodeBase{LocRange: b.rangeFrom(begin), Ctx: ctx, FreeVars: b.noVars}
}

// rangeFrom is the location range from begin to the current position.
func (b *jsonASTBuilder) rangeFrom(begin ast.Location) ast.LocationRange {
	return ast.LocationRange{File: b.source, FileName: b.fileName, Begin: begin, End: b.location()}
}

// skipSpace skips the whitespace JSON and Jsonnet share (space, tab, CR, LF).
func (b *jsonASTBuilder) skipSpace() {
	for b.pos < len(b.text) {
		switch b.text[b.pos] {
		case '\n':
			b.pos++
			b.line++
			b.lineStart = b.pos
		case ' ', '\t', '\r':
			b.pos++
		default:
			return
		}
	}
}

// value builds the value at the current position in context ctx, inside objLevel objects and
// depth arrays and objects.
func (b *jsonASTBuilder) value(ctx *string, objLevel, depth int) (ast.Node, bool) {
	if b.pos >= len(b.text) || depth > jsonASTMaxDepth {
		return nil, false
	}
	switch c := b.text[b.pos]; {
	case c == '{':
		return b.object(ctx, objLevel, depth)
	case c == '[':
		return b.array(ctx, objLevel, depth)
	case c == '"':
		return b.str(ctx)
	case c == '-' || (c >= '0' && c <= '9'):
		return b.number(ctx)
	case b.literal("true"):
		return &ast.LiteralBoolean{NodeBase: b.base(b.advance(4), ctx), Value: true}, true
	case b.literal("false"):
		return &ast.LiteralBoolean{NodeBase: b.base(b.advance(5), ctx), Value: false}, true
	case b.literal("null"):
		return &ast.LiteralNull{NodeBase: b.base(b.advance(4), ctx)}, true
	}
	return nil, false
}

// literal reports whether the keyword word starts at the current position and is not the
// start of a longer identifier.
func (b *jsonASTBuilder) literal(word string) bool {
	if !strings.HasPrefix(b.text[b.pos:], word) {
		return false
	}
	end := b.pos + len(word)
	return end == len(b.text) || !isIdentifierByte(b.text[end])
}

// isIdentifierByte reports whether c may continue a Jsonnet identifier.
func isIdentifierByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

// advance moves n bytes (none of them a newline) forward and returns where it started.
func (b *jsonASTBuilder) advance(n int) ast.Location {
	begin := b.location()
	b.pos += n
	return begin
}

// object builds the object at the current '{' as go-jsonnet desugars it: a DesugaredObject
// whose field names are string literals in the object's context, whose bodies are in the
// context "object <anonymous>", and which binds $ when it is not inside another object.
func (b *jsonASTBuilder) object(ctx *string, objLevel, depth int) (ast.Node, bool) {
	begin := b.advance(1)
	bodyCtx := b.context(jsonObjectContext)
	fields := ast.DesugaredObjectFields{}
	b.skipSpace()
	if b.pos < len(b.text) && b.text[b.pos] == '}' {
		b.pos++
	} else {
		for {
			if b.pos >= len(b.text) || b.text[b.pos] != '"' {
				return nil, false
			}
			name, ok := b.str(ctx)
			if !ok {
				return nil, false
			}
			b.skipSpace()
			if b.pos >= len(b.text) || b.text[b.pos] != ':' {
				return nil, false
			}
			b.pos++
			b.skipSpace()
			body, ok := b.value(bodyCtx, objLevel+1, depth+1)
			if !ok {
				return nil, false
			}
			fields = append(fields, ast.DesugaredObjectField{
				Hide:     ast.ObjectFieldInherit,
				Name:     name,
				Body:     body,
				LocRange: b.rangeFrom(name.LocRange.Begin),
			})
			done, ok := b.separator('}')
			if !ok {
				return nil, false
			}
			if done {
				break
			}
		}
	}
	if hasDuplicateName(fields) {
		return nil, false
	}
	locals := ast.LocalBinds{}
	if objLevel == 0 {
		locals = append(locals, ast.LocalBind{
			Variable: "$",
			Body:     &ast.Self{NodeBase: ast.NodeBase{FreeVars: b.noVars}},
		})
	}
	return &ast.DesugaredObject{
		NodeBase: b.base(begin, ctx),
		Asserts:  ast.Nodes{},
		Locals:   locals,
		Fields:   fields,
	}, true
}

// separator reads what follows an element of an array or object: the closing byte ends it
// (done), a comma announces the next element; anything else fails (ok false).
func (b *jsonASTBuilder) separator(closing byte) (done, ok bool) {
	b.skipSpace()
	if b.pos >= len(b.text) {
		return false, false
	}
	c := b.text[b.pos]
	b.pos++
	switch c {
	case closing:
		return true, true
	case ',':
		b.skipSpace()
		return false, true
	}
	return false, false
}

// hasDuplicateName reports whether two fields have the same name (go-jsonnet rejects the
// object when it is evaluated; jsonAST leaves that to go-jsonnet).
func hasDuplicateName(fields ast.DesugaredObjectFields) bool {
	if len(fields) < 2 {
		return false
	}
	if len(fields) <= 8 {
		for i := range fields {
			for j := i + 1; j < len(fields); j++ {
				if fields[i].Name.(*ast.LiteralString).Value == fields[j].Name.(*ast.LiteralString).Value {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]bool, len(fields))
	for i := range fields {
		name := fields[i].Name.(*ast.LiteralString).Value
		if seen[name] {
			return true
		}
		seen[name] = true
	}
	return false
}

// array builds the array at the current '['; its elements are in the context
// "thunk from <C>", C being the array's context.
func (b *jsonASTBuilder) array(ctx *string, objLevel, depth int) (ast.Node, bool) {
	begin := b.advance(1)
	elemCtx := b.context("thunk from <" + *ctx + ">")
	var elements []ast.CommaSeparatedExpr
	b.skipSpace()
	if b.pos < len(b.text) && b.text[b.pos] == ']' {
		b.pos++
	} else {
		for {
			elem, ok := b.value(elemCtx, objLevel, depth+1)
			if !ok {
				return nil, false
			}
			elements = append(elements, ast.CommaSeparatedExpr{Expr: elem})
			done, ok := b.separator(']')
			if !ok {
				return nil, false
			}
			if done {
				break
			}
		}
	}
	return &ast.Array{NodeBase: b.base(begin, ctx), Elements: elements}, true
}

// str builds the string literal at the current '"', unescaped as go-jsonnet's desugarer
// unescapes it.
func (b *jsonASTBuilder) str(ctx *string) (*ast.LiteralString, bool) {
	begin := b.advance(1)
	start := b.pos
	escaped := false
	for {
		if b.pos >= len(b.text) {
			return nil, false
		}
		c := b.text[b.pos]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return nil, false // JSON has no raw control characters in strings
		}
		if c == '\\' {
			escaped = true
			b.pos++
			if b.pos >= len(b.text) {
				return nil, false
			}
		}
		b.pos++
	}
	raw := b.text[start:b.pos]
	b.pos++
	value := raw
	if escaped {
		var ok bool
		if value, ok = parse.UnescapeJSON(raw); !ok {
			return nil, false
		}
	}
	return &ast.LiteralString{NodeBase: b.base(begin, ctx), Value: value, Kind: ast.StringDouble}, true
}

// number builds the JSON number at the current position: a numeric literal with the digits
// as written, under a unary minus when it is negative (Jsonnet has no negative literals).
func (b *jsonASTBuilder) number(ctx *string) (ast.Node, bool) {
	begin := b.location()
	negative := b.text[b.pos] == '-'
	if negative {
		b.pos++
	}
	digitsBegin := b.location()
	start := b.pos
	if !b.jsonNumber() {
		return nil, false
	}
	lit := &ast.LiteralNumber{NodeBase: b.base(digitsBegin, ctx), OriginalString: b.text[start:b.pos]}
	if !negative {
		return lit, true
	}
	return &ast.Unary{NodeBase: b.base(begin, ctx), Op: ast.UopMinus, Expr: lit}, true
}

// jsonNumber moves over an unsigned JSON number: int [frac] [exp]. It fails on anything
// go-jsonnet's lexer would read differently: a leading zero followed by a digit, a number
// running into a letter or an underscore.
func (b *jsonASTBuilder) jsonNumber() bool {
	t := b.text
	digits := func() int {
		n := 0
		for b.pos < len(t) && t[b.pos] >= '0' && t[b.pos] <= '9' {
			b.pos++
			n++
		}
		return n
	}
	if b.pos >= len(t) {
		return false
	}
	if t[b.pos] == '0' {
		b.pos++
	} else if digits() == 0 {
		return false
	}
	if b.pos < len(t) && t[b.pos] == '.' {
		b.pos++
		if digits() == 0 {
			return false
		}
	}
	if b.pos < len(t) && (t[b.pos] == 'e' || t[b.pos] == 'E') {
		b.pos++
		if b.pos < len(t) && (t[b.pos] == '+' || t[b.pos] == '-') {
			b.pos++
		}
		if digits() == 0 {
			return false
		}
	}
	return b.pos == len(t) || !isIdentifierByte(t[b.pos]) && t[b.pos] != '.'
}
