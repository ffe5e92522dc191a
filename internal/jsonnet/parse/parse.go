package parse

import (
	"fmt"
	"unicode/utf8"

	"github.com/google/go-jsonnet/ast"
)

// SyntaxError is why a text was refused: a syntax or static error, or a construct this
// package leaves to go-jsonnet. The message is for kforge's own tests and debugging; users
// see go-jsonnet's.
type SyntaxError struct {
	// Offset is the byte offset in the text where the problem was found.
	Offset  int
	Message string
}

// Error implements error: the offset and the message.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Message)
}

// File parses the Jsonnet text of the file filename into the AST go-jsonnet's SnippetToAST
// gives for it, desugared and checked, without fodder, free variables or locations (the
// root's location names filename, which is where its imports resolve from). The error is a
// *SyntaxError.
func File(filename, text string) (node ast.Node, err error) {
	if !utf8.ValidString(text) {
		return nil, &SyntaxError{Offset: invalidUTF8At(text), Message: "not UTF-8"}
	}
	defer func() {
		if r := recover(); r != nil {
			se, ok := r.(*SyntaxError)
			if !ok {
				panic(r)
			}
			node, err = nil, se
		}
	}()
	p := &parser{lex: lexer{src: text}}
	node = p.parse(maxPrec)
	if t := p.pop(); t.kind != tEOF {
		fail(t.pos, "Did not expect: %s", t.data)
	}
	check(node)
	*node.Loc() = ast.LocationRange{FileName: filename}
	return node, nil
}

func invalidUTF8At(s string) int {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && w == 1 {
			return i
		}
		i += w
	}
	return len(s)
}

// Precedences, as go-jsonnet numbers them: lower binds tighter.
const (
	unaryPrec = 4
	maxPrec   = 16
)

// binaryOps maps each binary operator to its go-jsonnet operator and precedence.
var binaryOps = map[string]struct {
	op   ast.BinaryOp
	prec int
}{
	"*": {ast.BopMult, 5}, "/": {ast.BopDiv, 5}, "%": {ast.BopPercent, 5},
	"+": {ast.BopPlus, 6}, "-": {ast.BopMinus, 6},
	"<<": {ast.BopShiftL, 7}, ">>": {ast.BopShiftR, 7},
	">": {ast.BopGreater, 8}, ">=": {ast.BopGreaterEq, 8}, "<": {ast.BopLess, 8}, "<=": {ast.BopLessEq, 8},
	"==": {ast.BopManifestEqual, 9}, "!=": {ast.BopManifestUnequal, 9},
	"&": {ast.BopBitwiseAnd, 10}, "^": {ast.BopBitwiseXor, 11}, "|": {ast.BopBitwiseOr, 12},
	"&&": {ast.BopAnd, 13}, "||": {ast.BopOr, 14},
}

// inPrec is the precedence of `in`.
const inPrec = 8

// parser is a recursive-descent parser that builds desugared nodes directly.
type parser struct {
	lex lexer
	// ahead holds the tokens peeked at but not consumed yet.
	ahead [2]token
	n     int
	// objDepth is how many object bodies enclose the code being parsed (go-jsonnet's
	// objLevel): only an outermost object binds `$`.
	objDepth int
}

func (p *parser) peek() token {
	if p.n == 0 {
		p.ahead[0] = p.lex.next()
		p.n = 1
	}
	return p.ahead[0]
}

func (p *parser) peek2() token {
	p.peek()
	if p.n == 1 {
		p.ahead[1] = p.lex.next()
		p.n = 2
	}
	return p.ahead[1]
}

func (p *parser) pop() token {
	t := p.peek()
	p.ahead[0] = p.ahead[1]
	p.n--
	return t
}

func (p *parser) expect(k tokKind, what string) token {
	t := p.pop()
	if t.kind != k {
		fail(t.pos, "expected %s", what)
	}
	return t
}

func (p *parser) expectOp(op string) {
	if t := p.pop(); t.kind != tOperator || t.data != op {
		fail(t.pos, "expected operator %s", op)
	}
}

func (p *parser) peekIs(k tokKind) bool { return p.peek().kind == k }

func (p *parser) peekOp(op string) bool {
	t := p.peek()
	return t.kind == tOperator && t.data == op
}

// str is a desugared string literal.
func str(s string) *ast.LiteralString {
	return &ast.LiteralString{Value: s, Kind: ast.StringDouble}
}

// stdCall is the desugared call $std.name(args...).
func stdCall(name string, args ...ast.Node) ast.Node {
	pos := make([]ast.CommaSeparatedExpr, len(args))
	for i, a := range args {
		pos[i].Expr = a
	}
	return &ast.Apply{
		Target:    &ast.Index{Target: &ast.Var{Id: "$std"}, Index: str(name)},
		Arguments: ast.Arguments{Positional: pos},
	}
}

// parse parses an expression whose binary operators have at most precedence prec.
func (p *parser) parse(prec int) ast.Node {
	if n, ok := p.keywordExpr(); ok {
		return n
	}
	lhs := p.unary()
	for {
		t := p.peek()
		var op ast.BinaryOp
		var opPrec int
		switch t.kind {
		case tIn:
			op, opPrec = ast.BopIn, inPrec
		case tOperator:
			if t.data == ":" || t.data == "::" {
				return lhs
			}
			b, ok := binaryOps[t.data]
			if !ok {
				fail(t.pos, "Not a binary operator: %s", t.data)
			}
			op, opPrec = b.op, b.prec
		default:
			return lhs
		}
		if opPrec > prec {
			return lhs
		}
		p.pop()
		if op == ast.BopIn && p.peekIs(tSuper) {
			p.pop()
			lhs = &ast.InSuper{Index: lhs}
			continue
		}
		rhs := p.parse(opPrec - 1)
		switch op {
		case ast.BopPercent:
			lhs = stdCall("mod", lhs, rhs)
		case ast.BopIn:
			lhs = stdCall("objectHasAll", rhs, lhs)
		default:
			lhs = &ast.Binary{Left: lhs, Op: op, Right: rhs}
		}
	}
}

// unary parses a unary expression: operators, then a terminal and its postfixes.
func (p *parser) unary() ast.Node {
	if n, ok := p.keywordExpr(); ok {
		return n
	}
	if t := p.peek(); t.kind == tOperator {
		var op ast.UnaryOp
		switch t.data {
		case "!":
			op = ast.UopNot
		case "~":
			op = ast.UopBitwiseNot
		case "+":
			op = ast.UopPlus
		case "-":
			op = ast.UopMinus
		default:
			fail(t.pos, "Not a unary operator: %s", t.data)
		}
		p.pop()
		return &ast.Unary{Op: op, Expr: p.unary()}
	}
	return p.postfix(p.terminal())
}

// postfix parses the indexes, calls and object extensions after lhs.
func (p *parser) postfix(lhs ast.Node) ast.Node {
	for {
		switch p.peek().kind {
		case tDot:
			p.pop()
			id := p.expect(tIdent, "field name")
			lhs = &ast.Index{Target: lhs, Index: str(id.data)}
		case tBracketL:
			p.pop()
			lhs = p.indexOrSlice(lhs)
		case tParenL:
			p.pop()
			call := &ast.Apply{Target: lhs, Arguments: p.arguments()}
			if p.peekIs(tTailStrict) {
				p.pop()
				call.TailStrict = true
			}
			lhs = call
		case tBraceL:
			p.pop()
			lhs = &ast.Binary{Left: lhs, Op: ast.BopPlus, Right: p.object()}
		default:
			return lhs
		}
	}
}

// isColons reports whether t is what go-jsonnet's slice parsing takes for the colons
// (it looks at the token's data whatever its kind).
func isColons(t token, colons string) bool {
	return (t.kind == tOperator || t.kind == tString) && t.data == colons
}

// indexOrSlice parses target[...] after the '['.
func (p *parser) indexOrSlice(target ast.Node) ast.Node {
	var idx [3]ast.Node
	colons := 0
	ready := true
	for colons < 3 {
		t := p.peek()
		if t.kind == tBracketR {
			p.pop()
			break
		}
		switch {
		case isColons(t, ":"):
			p.pop()
			colons++
			ready = true
		case isColons(t, "::"):
			p.pop()
			colons += 2
			ready = true
		case ready:
			idx[colons] = p.parse(maxPrec)
			ready = false
		default:
			fail(t.pos, "expected ]")
		}
	}
	if colons > 2 {
		fail(p.lex.pos, "Invalid slice: too many colons")
	}
	if colons == 0 {
		if ready {
			fail(p.lex.pos, "ast.Index requires an expression")
		}
		return &ast.Index{Target: target, Index: idx[0]}
	}
	for i := range idx {
		if idx[i] == nil {
			idx[i] = &ast.LiteralNull{}
		}
	}
	return stdCall("slice", target, idx[0], idx[1], idx[2])
}

// arguments parses a call's arguments after the '('.
func (p *parser) arguments() ast.Arguments {
	var args ast.Arguments
	gotComma, first := false, true
	for {
		t := p.peek()
		if t.kind == tParenR {
			p.pop()
			return args
		}
		if !first && !gotComma {
			fail(t.pos, "Expected a comma before next function argument")
		}
		named := t.kind == tIdent
		if named {
			t2 := p.peek2()
			named = t2.kind == tOperator && t2.data == "="
		}
		if named {
			p.pop()
			p.pop()
		}
		expr := p.parse(maxPrec)
		gotComma = p.peekIs(tComma)
		if gotComma {
			p.pop()
		}
		if named {
			args.Named = append(args.Named, ast.NamedArgument{Name: ast.Identifier(t.data), Arg: expr})
		} else {
			if len(args.Named) > 0 {
				fail(t.pos, "Positional argument after a named argument is not allowed")
			}
			args.Positional = append(args.Positional, ast.CommaSeparatedExpr{Expr: expr})
		}
		first = false
	}
}

// parameters parses a function's parameters after the '('. Duplicate names are refused
// (go-jsonnet accepts them; what it then does is left to it).
func (p *parser) parameters() []ast.Parameter {
	var params []ast.Parameter
	gotComma, first := false, true
	for {
		t := p.peek()
		if t.kind == tParenR {
			p.pop()
			return params
		}
		if !first && !gotComma {
			fail(t.pos, "Expected a comma before next function parameter")
		}
		id := p.expect(tIdent, "parameter name")
		for _, q := range params {
			if string(q.Name) == id.data {
				fail(id.pos, "duplicate parameter %s", id.data)
			}
		}
		param := ast.Parameter{Name: ast.Identifier(id.data)}
		if p.peekOp("=") {
			p.pop()
			param.DefaultArg = p.parse(maxPrec)
		}
		gotComma = p.peekIs(tComma)
		if gotComma {
			p.pop()
		}
		params = append(params, param)
		first = false
	}
}

// keywordExpr parses the expressions that start with a keyword and extend as far as they
// can (local, if, function, assert, error, import*), wherever they appear.
func (p *parser) keywordExpr() (ast.Node, bool) {
	t := p.peek()
	switch t.kind {
	case tLocal:
		p.pop()
		return p.local(), true
	case tIf:
		p.pop()
		cond := p.parse(maxPrec)
		p.expect(tThen, "then")
		n := &ast.Conditional{Cond: cond, BranchTrue: p.parse(maxPrec)}
		if p.peekIs(tElse) {
			p.pop()
			n.BranchFalse = p.parse(maxPrec)
		} else {
			n.BranchFalse = &ast.LiteralNull{}
		}
		return n, true
	case tFunction:
		p.pop()
		p.expect(tParenL, "(")
		params := p.parameters()
		return &ast.Function{Parameters: params, Body: p.parse(maxPrec)}, true
	case tAssert:
		p.pop()
		cond := p.parse(maxPrec)
		var msg ast.Node
		if p.peekOp(":") {
			p.pop()
			msg = p.parse(maxPrec)
		}
		p.expect(tSemicolon, ";")
		rest := p.parse(maxPrec)
		if msg == nil {
			msg = str("Assertion failed")
		}
		return &ast.Conditional{Cond: cond, BranchTrue: rest, BranchFalse: &ast.Error{Expr: msg}}, true
	case tError:
		p.pop()
		return &ast.Error{Expr: p.parse(maxPrec)}, true
	case tImport, tImportStr, tImportBin:
		p.pop()
		first := p.peek()
		body := p.parse(maxPrec)
		lit, ok := body.(*ast.LiteralString)
		// The operand is exactly one string token when its first token is a string and it
		// parsed to a string literal: any operator or postfix would have built another node.
		if !ok || first.kind != tString || first.str == sBlock {
			fail(first.pos, "Computed imports are not allowed")
		}
		switch t.kind {
		case tImport:
			return &ast.Import{File: lit}, true
		case tImportStr:
			return &ast.ImportStr{File: lit}, true
		}
		return &ast.ImportBin{File: lit}, true
	}
	return nil, false
}

// local parses `local` binds; body after the keyword.
func (p *parser) local() ast.Node {
	var binds ast.LocalBinds
	for {
		id := p.expect(tIdent, "variable name")
		for _, b := range binds {
			if string(b.Variable) == id.data {
				fail(id.pos, "Duplicate local var: %s", id.data)
			}
		}
		var params []ast.Parameter
		isFunc := p.peekIs(tParenL)
		if isFunc {
			p.pop()
			params = p.parameters()
		}
		p.expectOp("=")
		body := p.parse(maxPrec)
		if isFunc {
			body = &ast.Function{Parameters: params, Body: body}
		}
		binds = append(binds, ast.LocalBind{Variable: ast.Identifier(id.data), Body: body})
		delim := p.pop()
		if delim.kind == tSemicolon {
			break
		}
		if delim.kind != tComma {
			fail(delim.pos, "Expected , or ; but got %s", delim.data)
		}
	}
	return &ast.Local{Binds: binds, Body: p.parse(maxPrec)}
}

// terminal parses a literal, variable, parenthesised expression, array or object.
func (p *parser) terminal() ast.Node {
	t := p.pop()
	switch t.kind {
	case tBraceL:
		return p.object()
	case tBracketL:
		return p.array()
	case tParenL:
		inner := p.parse(maxPrec)
		p.expect(tParenR, ")")
		return inner
	case tNumber:
		return &ast.LiteralNumber{OriginalString: t.data}
	case tString:
		return str(stringValue(t))
	case tTrue:
		return &ast.LiteralBoolean{Value: true}
	case tFalse:
		return &ast.LiteralBoolean{Value: false}
	case tNull:
		return &ast.LiteralNull{}
	case tDollar:
		return &ast.Var{Id: "$"}
	case tIdent:
		return &ast.Var{Id: ast.Identifier(t.data)}
	case tSelf:
		return &ast.Self{}
	case tSuper:
		switch next := p.pop(); next.kind {
		case tDot:
			id := p.expect(tIdent, "field name")
			return &ast.SuperIndex{Index: str(id.data)}
		case tBracketL:
			index := p.parse(maxPrec)
			p.expect(tBracketR, "]")
			return &ast.SuperIndex{Index: index}
		}
		fail(t.pos, "Expected . or [ after super")
	case tEOF:
		fail(t.pos, "Unexpected end of file")
	}
	fail(t.pos, "Unexpected: %s", t.data)
	return nil
}

// array parses an array or array comprehension after the '['.
func (p *parser) array() ast.Node {
	if p.peekIs(tBracketR) {
		p.pop()
		return &ast.Array{}
	}
	first := p.parse(maxPrec)
	gotComma := p.peekIs(tComma)
	if gotComma {
		p.pop()
	}
	if p.peekIs(tFor) {
		p.pop()
		spec := p.forSpecs(tBracketR)
		return forSpecsDesugared(&ast.Array{Elements: []ast.CommaSeparatedExpr{{Expr: first}}}, spec)
	}
	elems := []ast.CommaSeparatedExpr{{Expr: first}}
	for {
		t := p.peek()
		if t.kind == tBracketR {
			p.pop()
			return &ast.Array{Elements: elems}
		}
		if !gotComma {
			fail(t.pos, "Expected a comma before next array element")
		}
		elems = append(elems, ast.CommaSeparatedExpr{Expr: p.parse(maxPrec)})
		gotComma = p.peekIs(tComma)
		if gotComma {
			p.pop()
		}
	}
}

// forSpec is one `for x in e if c ...` clause; outer is the clause before it.
type forSpec struct {
	name  ast.Identifier
	expr  ast.Node
	conds []ast.Node
	outer *forSpec
}

// forSpecs parses comprehension clauses after the first `for`, up to and including end.
func (p *parser) forSpecs(end tokKind) *forSpec {
	var spec *forSpec
	for {
		id := p.expect(tIdent, "variable name")
		p.expect(tIn, "in")
		spec = &forSpec{name: ast.Identifier(id.data), expr: p.parse(maxPrec), outer: spec}
		next := p.pop()
		for next.kind == tIf {
			spec.conds = append(spec.conds, p.parse(maxPrec))
			next = p.pop()
		}
		if next.kind == end {
			return spec
		}
		if next.kind != tFor {
			fail(next.pos, "Expected for, if or end after for clause")
		}
	}
}

// forSpecsDesugared wraps inside (an array) in the clauses, innermost first:
// $std.$flatMapArray(function(x) if conds then inside else [], e).
func forSpecsDesugared(inside ast.Node, spec *forSpec) ast.Node {
	for ; spec != nil; spec = spec.outer {
		body := inside
		if len(spec.conds) > 0 {
			cond := spec.conds[0]
			for _, c := range spec.conds[1:] {
				cond = &ast.Binary{Op: ast.BopAnd, Left: cond, Right: c}
			}
			body = &ast.Conditional{Cond: cond, BranchTrue: inside, BranchFalse: &ast.Array{}}
		}
		fn := &ast.Function{Parameters: []ast.Parameter{{Name: spec.name}}, Body: body}
		inside = stdCall("$flatMapArray", fn, spec.expr)
	}
	return inside
}
