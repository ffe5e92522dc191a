package interp

import (
	"fmt"
	"strconv"

	"github.com/google/go-jsonnet/ast"
)

// expr is compiled Jsonnet code: a desugared go-jsonnet AST node whose variables are resolved
// to frame slots.
type expr interface {
	eval(m *machine, e *env) value
}

// scope is the compile-time view of one env frame: the slot of each name bound in it.
type scope struct {
	names map[ast.Identifier]int
	up    *scope
}

func newScope(up *scope, names ...ast.Identifier) *scope {
	s := &scope{names: make(map[ast.Identifier]int, len(names)), up: up}
	for i, n := range names {
		s.names[n] = i
	}
	return s
}

// compiler turns the AST of one file (or snippet) into code.
type compiler struct {
	// file is the name imports in this code resolve against: the node's file name, or ""
	// for external code (go-jsonnet parses it with no file name).
	file string
	// constant memoises isConstant for objects and arrays.
	constant map[ast.Node]bool
}

// compileErr reports code this evaluator does not handle.
func compileErr(format string, args ...any) {
	unsupported(format, args...)
}

func (c *compiler) compile(n ast.Node, s *scope, tail bool) expr {
	switch n := n.(type) {
	case *ast.LiteralNull:
		return &constExpr{v: null}
	case *ast.LiteralBoolean:
		return &constExpr{v: n.Value}
	case *ast.LiteralNumber:
		f, err := strconv.ParseFloat(n.OriginalString, 64)
		if err != nil {
			return &errorConstExpr{msg: "overflow"}
		}
		return &constExpr{v: f}
	case *ast.LiteralString:
		return &constExpr{v: validString(n.Value)}
	case *ast.Var:
		return c.variable(n.Id, s)
	case *ast.Self:
		return selfExpr{}
	case *ast.Local:
		names := make([]ast.Identifier, len(n.Binds))
		for i, b := range n.Binds {
			names[i] = b.Variable
		}
		inner := newScope(s, names...)
		x := &localExpr{binds: make([]expr, len(n.Binds))}
		for i, b := range n.Binds {
			if b.Fun != nil {
				compileErr("unexpanded local function")
			}
			x.binds[i] = c.compile(b.Body, inner, true)
		}
		x.body = c.compile(n.Body, inner, tail)
		return x
	case *ast.Function:
		return c.function(n, s)
	case *ast.Apply:
		x := &applyExpr{
			target:     c.compile(n.Target, s, false),
			tailstrict: n.TailStrict,
			tail:       tail,
			pos:        make([]expr, len(n.Arguments.Positional)),
		}
		for i, a := range n.Arguments.Positional {
			x.pos[i] = c.compile(a.Expr, s, true)
		}
		for _, a := range n.Arguments.Named {
			x.named = append(x.named, namedArg{name: a.Name, code: c.compile(a.Arg, s, true)})
		}
		return x
	case *ast.Array:
		if c.isConstant(n) {
			return &constExpr{v: constValue(n)}
		}
		x := &arrayExpr{elems: make([]expr, len(n.Elements))}
		for i, el := range n.Elements {
			x.elems[i] = c.compile(el.Expr, s, true)
		}
		return x
	case *ast.Binary:
		left := c.compile(n.Left, s, false)
		right := c.compile(n.Right, s, tail)
		switch n.Op {
		case ast.BopAnd:
			return &andExpr{left: left, right: right}
		case ast.BopOr:
			return &orExpr{left: left, right: right}
		case ast.BopMult, ast.BopDiv, ast.BopPlus, ast.BopMinus, ast.BopShiftL, ast.BopShiftR,
			ast.BopGreater, ast.BopGreaterEq, ast.BopLess, ast.BopLessEq, ast.BopManifestEqual,
			ast.BopManifestUnequal, ast.BopBitwiseAnd, ast.BopBitwiseXor, ast.BopBitwiseOr:
			return &binaryExpr{op: n.Op, left: left, right: right}
		}
		compileErr("binary operator %v", n.Op)
	case *ast.Unary:
		return &unaryExpr{op: n.Op, x: c.compile(n.Expr, s, tail)}
	case *ast.Conditional:
		return &condExpr{
			cond: c.compile(n.Cond, s, false),
			yes:  c.compile(n.BranchTrue, s, tail),
			no:   c.compile(n.BranchFalse, s, tail),
		}
	case *ast.Error:
		return &errorExpr{msg: c.compile(n.Expr, s, false)}
	case *ast.Index:
		if n.Id != nil {
			compileErr("undesugared index")
		}
		x := &indexExpr{target: c.compile(n.Target, s, false), index: c.compile(n.Index, s, false)}
		if k, ok := x.index.(*constExpr); ok {
			if name, ok := k.v.(string); ok {
				return &fieldExpr{target: x.target, name: name}
			}
		}
		return x
	case *ast.SuperIndex:
		if n.Id != nil {
			compileErr("undesugared super index")
		}
		return &superIndexExpr{index: c.compile(n.Index, s, false)}
	case *ast.InSuper:
		return &inSuperExpr{index: c.compile(n.Index, s, false)}
	case *ast.Import:
		return &importExpr{from: c.file, path: n.File.Value}
	case *ast.ImportStr:
		return &importStrExpr{from: c.file, path: n.File.Value}
	case *ast.ImportBin:
		return &importBinExpr{from: c.file, path: n.File.Value}
	case *ast.DesugaredObject:
		if c.isConstant(n) {
			return &constExpr{v: constValue(n)}
		}
		return c.object(n, s)
	}
	compileErr("AST node %T", n)
	return nil
}

func (c *compiler) variable(id ast.Identifier, s *scope) expr {
	depth := 0
	for sc := s; sc != nil; sc = sc.up {
		if i, ok := sc.names[id]; ok {
			return &varExpr{depth: depth, idx: i}
		}
		depth++
	}
	compileErr("unknown variable %s", id)
	return nil
}

func (c *compiler) function(n *ast.Function, s *scope) *funcExpr {
	names := make([]ast.Identifier, len(n.Parameters))
	for i, p := range n.Parameters {
		names[i] = p.Name
	}
	inner := newScope(s, names...)
	x := &funcExpr{params: names, defaults: make([]expr, len(names))}
	for i, p := range n.Parameters {
		if p.DefaultArg != nil {
			x.defaults[i] = c.compile(p.DefaultArg, inner, true)
		} else {
			x.required++
		}
	}
	x.body = c.deferred(n.Body, inner)
	return x
}

// deferredExpr is code compiled the first time it runs: most of a library (k8s-libsonnet's
// thousands of functions, the fields of large imported JSON documents) never does.
type deferredExpr struct {
	c     *compiler
	node  ast.Node
	scope *scope
	code  expr
}

// deferred returns n (in tail position of s) compiled on first use.
func (c *compiler) deferred(n ast.Node, s *scope) expr {
	switch n.(type) {
	case *ast.LiteralNull, *ast.LiteralBoolean, *ast.LiteralNumber, *ast.LiteralString, *ast.Var, *ast.Self:
		return c.compile(n, s, true)
	}
	return &deferredExpr{c: c, node: n, scope: s}
}

func (x *deferredExpr) eval(m *machine, e *env) value {
	if x.code == nil {
		x.code = x.c.compile(x.node, x.scope, true)
		x.c, x.node, x.scope = nil, nil, nil
	}
	return x.code.eval(m, e)
}

func (c *compiler) object(n *ast.DesugaredObject, s *scope) *objectExpr {
	names := make([]ast.Identifier, len(n.Locals))
	for i, l := range n.Locals {
		names[i] = l.Variable
	}
	inner := newScope(s, names...)
	x := &objectExpr{locals: make([]expr, len(n.Locals))}
	for i, l := range n.Locals {
		if l.Fun != nil {
			compileErr("unexpanded object local function")
		}
		x.locals[i] = c.compile(l.Body, inner, true)
	}
	for _, a := range n.Asserts {
		x.asserts = append(x.asserts, c.compile(a, inner, true))
	}
	static := true
	for _, f := range n.Fields {
		of := objectField{
			name: c.compile(f.Name, s, false),
			def:  &fieldDef{hide: f.Hide, plus: f.PlusSuper, body: c.deferred(f.Body, inner)},
		}
		if k, ok := of.name.(*constExpr); !ok {
			static = false
		} else if _, ok := k.v.(string); !ok {
			static = false
		}
		x.fields = append(x.fields, of)
	}
	if static {
		x.static = make(map[string]*fieldDef, len(x.fields))
		for _, f := range x.fields {
			name := f.name.(*constExpr).v.(string)
			if _, dup := x.static[name]; dup {
				// Leave the duplicate to the evaluation, which fails on it.
				x.static = nil
				break
			}
			x.static[name] = f.def
		}
	}
	return x
}

// isConstant reports whether n is data: literals, and arrays and objects of data (an object
// without assertions or `+:`, whose field names are string literals; its locals, `$` among
// them, are then never used). Its value is the same in every evaluation, so constValue builds
// it once, with every field evaluated: imported JSON documents (kube-prometheus's CRDs are
// 4.5 MB of them) and large literal tables are not evaluated field by field.
func (c *compiler) isConstant(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.LiteralNull, *ast.LiteralBoolean, *ast.LiteralString:
		return true
	case *ast.LiteralNumber:
		_, err := strconv.ParseFloat(n.OriginalString, 64)
		return err == nil
	case *ast.Unary:
		lit, ok := n.Expr.(*ast.LiteralNumber)
		return ok && n.Op == ast.UopMinus && c.isConstant(lit)
	case *ast.Array, *ast.DesugaredObject:
		if known, ok := c.constant[n]; ok {
			return known
		}
		r := c.isConstantContainer(n)
		if c.constant == nil {
			c.constant = map[ast.Node]bool{}
		}
		c.constant[n] = r
		return r
	}
	return false
}

func (c *compiler) isConstantContainer(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.Array:
		for _, el := range n.Elements {
			if !c.isConstant(el.Expr) {
				return false
			}
		}
		return true
	case *ast.DesugaredObject:
		if len(n.Asserts) > 0 {
			return false
		}
		names := make(map[string]bool, len(n.Fields))
		for _, f := range n.Fields {
			name, ok := f.Name.(*ast.LiteralString)
			if !ok || f.PlusSuper || names[name.Value] || !c.isConstant(f.Body) {
				return false
			}
			names[name.Value] = true
		}
		return true
	}
	return false
}

// constValue is the value of a node isConstant accepts.
func constValue(n ast.Node) value {
	switch n := n.(type) {
	case *ast.LiteralNull:
		return null
	case *ast.LiteralBoolean:
		return n.Value
	case *ast.LiteralString:
		return validString(n.Value)
	case *ast.LiteralNumber:
		f, _ := strconv.ParseFloat(n.OriginalString, 64)
		return f
	case *ast.Unary:
		return -constValue(n.Expr).(float64)
	case *ast.Array:
		elems := make([]value, len(n.Elements))
		for i, el := range n.Elements {
			elems[i] = constValue(el.Expr)
		}
		return &array{elems: elems}
	case *ast.DesugaredObject:
		fields := make(map[string]*fieldDef, len(n.Fields))
		for _, f := range n.Fields {
			fields[validString(f.Name.(*ast.LiteralString).Value)] = &fieldDef{hide: f.Hide, ready: constValue(f.Body)}
		}
		return &object{layers: []*layer{{fields: fields}}}
	}
	panic(fmt.Sprintf("interp: constValue of %T", n))
}
