package parse

import (
	"strings"
	"unicode/utf16"

	"github.com/google/go-jsonnet/ast"
)

// fieldKind is what one member of an object literal is.
type fieldKind uint8

const (
	fieldID     fieldKind = iota // name: body
	fieldString                  // "name": body
	fieldExpr                    // [name]: body
	fieldLocal                   // local name = body
	fieldAssert                  // assert body : msg
)

// member is one member of an object literal as written.
type member struct {
	kind fieldKind
	hide ast.ObjectFieldHide
	plus bool
	// name is the field name (fieldString, fieldExpr); id the identifier (fieldID, fieldLocal).
	name ast.Node
	id   string
	body ast.Node
	msg  ast.Node
}

// object parses an object or object comprehension after the '{' and desugars it.
func (p *parser) object() ast.Node {
	var members []member
	var literal, locals map[string]bool
	gotComma, first := false, true
	next := p.pop()
	for {
		if next.kind == tBraceR {
			return p.desugarObject(members)
		}
		if next.kind == tFor {
			return p.comprehension(members, next)
		}
		if !gotComma && !first {
			fail(next.pos, "Expected a comma before next field")
		}
		var m member
		switch next.kind {
		case tBracketL, tIdent, tString:
			m = p.field(next)
			// go-jsonnet compares the names as the lexer read them.
			if m.kind != fieldExpr && !addNew(&literal, next.data) {
				fail(next.pos, "Duplicate field: %s", next.data)
			}
		case tLocal:
			m = p.objectLocal()
			if !addNew(&locals, m.id) {
				fail(next.pos, "Duplicate local var: %s", m.id)
			}
		case tAssert:
			p.objDepth++
			m = member{kind: fieldAssert, body: p.parse(maxPrec)}
			if p.peekOp(":") {
				p.pop()
				m.msg = p.parse(maxPrec)
			}
			p.objDepth--
		default:
			fail(next.pos, "Unexpected: %s (parsing field definition)", next.data)
		}
		members = append(members, m)
		next = p.pop()
		gotComma = next.kind == tComma
		if gotComma {
			next = p.pop()
		}
		first = false
	}
}

// addNew adds name to *set (made on first use) and reports whether it was not there yet.
func addNew(set *map[string]bool, name string) bool {
	if *set == nil {
		*set = map[string]bool{}
	}
	if (*set)[name] {
		return false
	}
	(*set)[name] = true
	return true
}

// field parses a field whose first token is name.
func (p *parser) field(name token) member {
	var m member
	switch name.kind {
	case tIdent:
		m.kind, m.id = fieldID, name.data
	case tString:
		m.kind, m.name = fieldString, str(stringValue(name))
	default:
		m.kind, m.name = fieldExpr, p.parse(maxPrec)
		p.expect(tBracketR, "]")
	}
	params, isMethod := p.memberParams()
	op := p.expect(tOperator, "field operator")
	colons := op.data
	if colons[0] == '+' {
		m.plus = true
		colons = colons[1:]
	}
	switch colons {
	case ":":
		m.hide = ast.ObjectFieldInherit
	case "::":
		m.hide = ast.ObjectFieldHidden
	case ":::":
		m.hide = ast.ObjectFieldVisible
	default:
		fail(op.pos, "Expected one of :, ::, :::, +:, +::, +:::, got: %s", op.data)
	}
	if m.plus && isMethod {
		fail(op.pos, "Cannot use +: syntax sugar in a method")
	}
	m.body = p.memberBody(params, isMethod)
	return m
}

// memberParams parses the parameters of a method or object-local function, if any. They
// belong to its body: their defaults are inside the object.
func (p *parser) memberParams() ([]ast.Parameter, bool) {
	if !p.peekIs(tParenL) {
		return nil, false
	}
	p.pop()
	p.objDepth++
	defer func() { p.objDepth-- }()
	return p.parameters(), true
}

// memberBody parses the body of an object member (inside the object), as a function of
// params when isFunc.
func (p *parser) memberBody(params []ast.Parameter, isFunc bool) ast.Node {
	p.objDepth++
	body := p.parse(maxPrec)
	p.objDepth--
	if isFunc {
		return &ast.Function{Parameters: params, Body: body}
	}
	return body
}

// objectLocal parses an object's `local` after the keyword.
func (p *parser) objectLocal() member {
	id := p.expect(tIdent, "variable name")
	params, isFunc := p.memberParams()
	p.expectOp("=")
	body := p.memberBody(params, isFunc)
	return member{kind: fieldLocal, id: id.data, body: body}
}

// desugarObject builds the desugared object of members, as go-jsonnet's desugarer does:
// assertions become conditionals, an outermost object binds `$` to itself last.
func (p *parser) desugarObject(members []member) *ast.DesugaredObject {
	obj := &ast.DesugaredObject{}
	for _, m := range members {
		switch m.kind {
		case fieldAssert:
			msg := m.msg
			if msg == nil {
				msg = str("Object assertion failed.")
			}
			obj.Asserts = append(obj.Asserts, &ast.Conditional{
				Cond:        m.body,
				BranchTrue:  &ast.LiteralBoolean{Value: true},
				BranchFalse: &ast.Error{Expr: msg},
			})
		case fieldLocal:
			obj.Locals = append(obj.Locals, ast.LocalBind{Variable: ast.Identifier(m.id), Body: m.body})
		default:
			name := m.name
			if m.kind == fieldID {
				name = str(m.id)
			}
			obj.Fields = append(obj.Fields, ast.DesugaredObjectField{Hide: m.hide, Name: name, Body: m.body, PlusSuper: m.plus})
		}
	}
	if p.objDepth == 0 {
		obj.Locals = append(obj.Locals, ast.LocalBind{Variable: "$", Body: &ast.Self{}})
	}
	return obj
}

// comprehension parses the clauses of an object comprehension (members are what came before
// the `for`) and desugars it to $std.$objectFlatMerge over the clauses.
func (p *parser) comprehension(members []member, forTok token) ast.Node {
	fields := 0
	var field member
	for _, m := range members {
		switch m.kind {
		case fieldLocal:
		case fieldAssert:
			fail(forTok.pos, "Object comprehension cannot have asserts")
		default:
			fields++
			field = m
		}
	}
	if fields != 1 {
		fail(forTok.pos, "Object comprehension can only have one field")
	}
	if field.hide != ast.ObjectFieldInherit {
		fail(forTok.pos, "Object comprehensions cannot have hidden fields")
	}
	if field.kind != fieldExpr {
		fail(forTok.pos, "Object comprehensions can only have [e] fields")
	}
	spec := p.forSpecs(tBraceR)
	obj := p.desugarObject(members)
	if len(obj.Locals) > 0 {
		f := &obj.Fields[0]
		f.Body = &ast.Local{Binds: obj.Locals, Body: f.Body}
		obj.Locals = nil
	}
	return stdCall("$objectFlatMerge", forSpecsDesugared(&ast.Array{Elements: []ast.CommaSeparatedExpr{{Expr: obj}}}, spec))
}

// stringValue is the value of a string token.
func stringValue(t token) string {
	if t.str != sEscaped || strings.IndexByte(t.data, '\\') < 0 {
		return t.data
	}
	s, ok := unescape(t.data, true)
	if !ok {
		fail(t.pos, "invalid escape sequence in string literal")
	}
	return s
}

// UnescapeJSON resolves the escapes of the text between a JSON string's quotes. ok is false
// for an escape JSON does not have and for an escaped UTF-16 surrogate (go-jsonnet combines
// pairs and replaces lone halves; kforge leaves those strings to it).
func UnescapeJSON(raw string) (string, bool) { return unescape(raw, false) }

// unescape resolves the escapes of a "..." string as go-jsonnet does, and of a '...' string
// too when jsonnet is set (Jsonnet adds \'). A \u escape of a UTF-16 surrogate is refused.
func unescape(s string, jsonnet bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i >= len(s) {
			return "", false
		}
		switch s[i] {
		case '"', '\\', '/':
			b.WriteByte(s[i])
		case '\'':
			if !jsonnet {
				return "", false
			}
			b.WriteByte('\'')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if i+5 > len(s) {
				return "", false
			}
			code, ok := hex4(s[i+1 : i+5])
			if !ok || utf16.IsSurrogate(code) {
				return "", false
			}
			b.WriteRune(code)
			i += 4
		default:
			return "", false
		}
	}
	return b.String(), true
}

// hex4 decodes four hexadecimal digits.
func hex4(s string) (rune, bool) {
	var r rune
	for i := range 4 {
		c := s[i]
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}
