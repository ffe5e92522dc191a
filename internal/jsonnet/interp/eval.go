package interp

import (
	"cmp"
	"math"

	"github.com/google/go-jsonnet/ast"
)

type constExpr struct{ v value }

func (x *constExpr) eval(*machine, *env) value { return x.v }

// errorConstExpr is a number literal go-jsonnet cannot represent.
type errorConstExpr struct{ msg string }

func (x *errorConstExpr) eval(*machine, *env) value {
	fail("%s", x.msg)
	return nil
}

type varExpr struct{ depth, idx int }

func (x *varExpr) eval(m *machine, e *env) value {
	for range x.depth {
		e = e.up
	}
	return m.force(e.vars[x.idx])
}

// slot returns the variable's slot content without forcing it.
func (x *varExpr) slot(e *env) value {
	for range x.depth {
		e = e.up
	}
	return e.vars[x.idx]
}

type selfExpr struct{}

func (selfExpr) eval(_ *machine, e *env) value {
	if e.self == nil {
		fail("Can't use self outside of an object.")
	}
	return e.self
}

// lazy returns what go-jsonnet would bind to code in e: a thunk, or the value itself when
// evaluating it cannot fail nor recurse (a literal, a function, self, an evaluated variable).
func lazy(code expr, e *env) value {
	switch c := code.(type) {
	case *constExpr:
		return c.v
	case *funcExpr:
		return &function{code: c, env: e}
	case selfExpr:
		if e.self != nil {
			return e.self
		}
	case *varExpr:
		v := c.slot(e)
		if t, ok := v.(*thunk); ok {
			if t.val != nil {
				return t.val
			}
		} else {
			return v
		}
	}
	return &thunk{code: code, env: e}
}

type localExpr struct {
	binds []expr
	body  expr
}

func (x *localExpr) eval(m *machine, e *env) value {
	ne := newEnv(len(x.binds), e)
	for i, b := range x.binds {
		ne.vars[i] = lazySibling(b, ne)
	}
	return x.body.eval(m, ne)
}

type funcExpr struct {
	params   []ast.Identifier
	defaults []expr
	required int
	body     expr
}

func (x *funcExpr) eval(_ *machine, e *env) value {
	return &function{code: x, env: e}
}

type namedArg struct {
	name ast.Identifier
	code expr
}

type applyExpr struct {
	target     expr
	pos        []expr
	named      []namedArg
	tailstrict bool
	tail       bool
}

func (x *applyExpr) eval(m *machine, e *env) value {
	f := m.fn(m.force(x.target.eval(m, e)), "call")
	pos := make([]value, len(x.pos))
	for i, a := range x.pos {
		pos[i] = lazy(a, e)
	}
	var named []boundArg
	if len(x.named) > 0 {
		named = make([]boundArg, len(x.named))
		for i, a := range x.named {
			named[i] = boundArg{name: a.name, v: lazy(a.code, e)}
		}
	}
	if x.tail {
		m.tailCall()
	}
	return m.call(f, pos, named, x.tailstrict)
}

type boundArg struct {
	name ast.Identifier
	v    value
}

// params returns f's parameter names and how many of them are required, in go-jsonnet's
// sense (a closure's parameters without default, a builtin's without default value).
func (f *function) params() []ast.Identifier {
	switch {
	case f.code != nil:
		return f.code.params
	case f.builtin != nil:
		return f.builtin.params
	default:
		return f.native.params
	}
}

func (f *function) optional(i int) bool {
	switch {
	case f.code != nil:
		return f.code.defaults[i] != nil
	case f.builtin != nil:
		return i < len(f.builtin.defaults) && f.builtin.defaults[i] != nil
	}
	return false
}

// bind checks a call's arguments as go-jsonnet's checkArguments does and returns one slot per
// parameter (nil where a parameter with a default received nothing). pos must be a slice the
// caller gives up: it may become the result.
func (m *machine) bind(f *function, pos []value, named []boundArg) []value {
	params := f.params()
	if len(pos) > len(params) {
		fail("function expected %d positional argument(s), but got %d", len(params), len(pos))
	}
	if len(pos) == len(params) && len(named) == 0 {
		// Every parameter bound by position: the caller's fresh slice is the frame.
		return pos
	}
	slots := make([]value, len(params))
	copy(slots, pos)
	for _, a := range named {
		found := false
		for i, p := range params {
			if p == a.name {
				if slots[i] != nil {
					fail("Argument %s already provided", a.name)
				}
				slots[i] = a.v
				found = true
				break
			}
		}
		if !found {
			fail("function has no parameter %s", a.name)
		}
	}
	for i := range params {
		if slots[i] == nil && !f.optional(i) {
			fail("Missing argument: %s", params[i])
		}
	}
	return slots
}

// call calls f.
func (m *machine) call(f *function, pos []value, named []boundArg, tailstrict bool) value {
	if f.builtin != nil && f.builtin.declined {
		unsupported("std.%s", f.builtin.name)
	}
	slots := m.bind(f, pos, named)
	switch {
	case f.builtin != nil:
		return m.callBuiltin(f.builtin, slots)
	case f.native != nil:
		return m.callNative(f.native, slots)
	}
	ne := &env{vars: slots, up: f.env, self: f.env.self, layer: f.env.layer}
	for i, v := range slots {
		if v == nil {
			if tailstrict {
				// go-jsonnet forces default arguments before their environment exists.
				unsupported("tailstrict call relying on a default argument")
			}
			slots[i] = lazySibling(f.code.defaults[i], ne)
		}
	}
	if tailstrict {
		for _, v := range slots {
			m.force(v)
		}
	}
	fr := m.push(tailstrict)
	r := f.code.body.eval(m, ne)
	m.pop(fr)
	return r
}

// callValues calls f with positional arguments, as builtins call functions. Callers pass the
// arguments one by one, so args is a fresh slice the call may keep.
func (m *machine) callValues(f *function, args ...value) value {
	return m.call(f, args, nil, false)
}

type arrayExpr struct{ elems []expr }

func (x *arrayExpr) eval(_ *machine, e *env) value {
	elems := make([]value, len(x.elems))
	for i, c := range x.elems {
		elems[i] = lazy(c, e)
	}
	return &array{elems: elems}
}

type andExpr struct{ left, right expr }

func (x *andExpr) eval(m *machine, e *env) value {
	if !m.boolean(m.force(x.left.eval(m, e)), "&&") {
		return false
	}
	return m.boolean(m.force(x.right.eval(m, e)), "&&")
}

type orExpr struct{ left, right expr }

func (x *orExpr) eval(m *machine, e *env) value {
	if m.boolean(m.force(x.left.eval(m, e)), "||") {
		return true
	}
	return m.boolean(m.force(x.right.eval(m, e)), "||")
}

type binaryExpr struct {
	op          ast.BinaryOp
	left, right expr
}

func (x *binaryExpr) eval(m *machine, e *env) value {
	l := m.force(x.left.eval(m, e))
	r := m.force(x.right.eval(m, e))
	return m.binary(x.op, l, r)
}

func (m *machine) binary(op ast.BinaryOp, l, r value) value {
	switch op {
	case ast.BopPlus:
		return m.plus(l, r)
	case ast.BopMinus:
		return checkNumber(m.number(l, "-") - m.number(r, "-"))
	case ast.BopMult:
		return checkNumber(m.number(l, "*") * m.number(r, "*"))
	case ast.BopDiv:
		a, b := m.number(l, "/"), m.number(r, "/")
		if b == 0 {
			fail("Division by zero.")
		}
		return checkNumber(a / b)
	case ast.BopLess:
		return m.compare(l, r) == -1
	case ast.BopLessEq:
		return m.compare(l, r) <= 0
	case ast.BopGreater:
		return m.compare(l, r) == 1
	case ast.BopGreaterEq:
		return m.compare(l, r) >= 0
	case ast.BopManifestEqual:
		return m.equals(l, r)
	case ast.BopManifestUnequal:
		return !m.equals(l, r)
	case ast.BopShiftL, ast.BopShiftR, ast.BopBitwiseAnd, ast.BopBitwiseXor, ast.BopBitwiseOr:
		return m.bitwise(op, l, r)
	}
	unsupported("binary operator %v", op)
	return nil
}

// plus is Jsonnet's +.
func (m *machine) plus(l, r value) value {
	if rs, ok := r.(string); ok {
		return m.toString(l) + rs
	}
	switch lv := l.(type) {
	case float64:
		return checkNumber(lv + m.number(r, "+"))
	case string:
		return lv + m.toString(r)
	case *object:
		ro, ok := r.(*object)
		if !ok {
			fail("+: expected object, got %s", typeName(r))
		}
		return extend(lv, ro)
	case *array:
		ra := m.arr(r, "+")
		elems := make([]value, 0, len(lv.elems)+len(ra.elems))
		elems = append(elems, lv.elems...)
		elems = append(elems, ra.elems...)
		return &array{elems: elems}
	}
	fail("+: unexpected %s", typeName(l))
	return nil
}

// extend is the object l + r.
func extend(l, r *object) *object {
	layers := make([]*layer, 0, len(l.layers)+len(r.layers))
	layers = append(layers, l.layers...)
	layers = append(layers, r.layers...)
	return &object{layers: layers, hasAsserts: l.hasAsserts || r.hasAsserts}
}

// compare is go-jsonnet's valueCmp.
func (m *machine) compare(l, r value) int {
	switch lv := l.(type) {
	case float64:
		return cmp.Compare(lv, m.number(r, "comparison"))
	case string:
		return cmp.Compare(lv, m.str(r, "comparison"))
	case *array:
		ra := m.arr(r, "comparison")
		n := min(len(lv.elems), len(ra.elems))
		for i := range n {
			c := m.compare(m.force(lv.elems[i]), m.force(ra.elems[i]))
			if c != 0 {
				return c
			}
		}
		return cmp.Compare(len(lv.elems), len(ra.elems))
	}
	fail("comparison of %s", typeName(l))
	return 0
}

// equals is go-jsonnet's rawEquals.
func (m *machine) equals(l, r value) bool {
	if typeName(l) != typeName(r) {
		return false
	}
	switch lv := l.(type) {
	case nullValue:
		return true
	case bool:
		return lv == r.(bool)
	case float64:
		return lv == r.(float64)
	case string:
		return lv == r.(string)
	case *array:
		ra := r.(*array)
		if len(lv.elems) != len(ra.elems) {
			return false
		}
		for i := range lv.elems {
			if !m.equals(m.force(lv.elems[i]), m.force(ra.elems[i])) {
				return false
			}
		}
		return true
	case *object:
		ro := r.(*object)
		lf := m.fieldNames(lv, false)
		rf := m.fieldNames(ro, false)
		if len(lf) != len(rf) {
			return false
		}
		for i := range lf {
			if lf[i] != rf[i] {
				return false
			}
		}
		for _, f := range lf {
			if !m.equals(m.field(lv, f), m.field(ro, f)) {
				return false
			}
		}
		return true
	case *function:
		fail("Cannot test equality of functions")
	}
	return false
}

func (m *machine) bitwise(op ast.BinaryOp, l, r value) value {
	a := m.number(l, "bitwise operator")
	b := m.number(r, "bitwise operator")
	if a < -maxSafeInt || a > maxSafeInt || b < -maxSafeInt || b > maxSafeInt {
		// go-jsonnet's integer range checks; leave the details to it.
		unsupported("bitwise operator outside the safe integer range")
	}
	x, y := int64(a), int64(b)
	switch op {
	case ast.BopShiftL:
		if y < 0 {
			fail("Shift by negative exponent.")
		}
		return float64(x << (y % 64))
	case ast.BopShiftR:
		if y < 0 {
			fail("Shift by negative exponent.")
		}
		return float64(x >> (y % 64))
	case ast.BopBitwiseAnd:
		return float64(x & y)
	case ast.BopBitwiseXor:
		return float64(x ^ y)
	}
	return float64(x | y)
}

const maxSafeInt = 1<<53 - 1

type unaryExpr struct {
	op ast.UnaryOp
	x  expr
}

func (x *unaryExpr) eval(m *machine, e *env) value {
	v := m.force(x.x.eval(m, e))
	switch x.op {
	case ast.UopNot:
		return !m.boolean(v, "!")
	case ast.UopMinus:
		return -m.number(v, "unary -")
	case ast.UopPlus:
		return m.number(v, "unary +")
	case ast.UopBitwiseNot:
		n := m.number(v, "~")
		if n < -maxSafeInt || n > maxSafeInt {
			unsupported("~ outside the safe integer range")
		}
		return float64(^int64(n))
	}
	unsupported("unary operator %v", x.op)
	return nil
}

type condExpr struct{ cond, yes, no expr }

func (x *condExpr) eval(m *machine, e *env) value {
	if m.boolean(m.force(x.cond.eval(m, e)), "if") {
		return x.yes.eval(m, e)
	}
	return x.no.eval(m, e)
}

type errorExpr struct{ msg expr }

func (x *errorExpr) eval(m *machine, e *env) value {
	v := m.force(x.msg.eval(m, e))
	if s, ok := v.(string); ok {
		fail("%s", s)
	}
	fail("%s", m.toString(v))
	return nil
}

type indexExpr struct{ target, index expr }

func (x *indexExpr) eval(m *machine, e *env) value {
	t := m.force(x.target.eval(m, e))
	i := m.force(x.index.eval(m, e))
	switch t := t.(type) {
	case *object:
		return m.field(t, m.str(i, "object index"))
	case *array:
		n := int(m.number(i, "array index"))
		if n < 0 || n >= len(t.elems) {
			fail("Index %d out of bounds, not within [0, %d)", n, len(t.elems))
		}
		return m.force(t.elems[n])
	case string:
		return m.stringIndex(t, int(m.number(i, "string index")))
	}
	fail("Value non indexable: %s", typeName(t))
	return nil
}

// stringIndex is the n-th code point of s.
func (m *machine) stringIndex(s string, n int) value {
	if isASCII(s) {
		if n < 0 || n >= len(s) {
			fail("Index %d out of bounds, not within [0, %d)", n, len(s))
		}
		return s[n : n+1]
	}
	rs := []rune(s)
	if n < 0 || n >= len(rs) {
		fail("Index %d out of bounds, not within [0, %d)", n, len(rs))
	}
	return string(rs[n])
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// fieldExpr is an index with a constant string: obj.name.
type fieldExpr struct {
	target expr
	name   string
}

func (x *fieldExpr) eval(m *machine, e *env) value {
	t := m.force(x.target.eval(m, e))
	if o, ok := t.(*object); ok {
		return m.field(o, x.name)
	}
	if _, ok := t.(*array); ok {
		fail("array index: expected number, got string")
	}
	if _, ok := t.(string); ok {
		fail("string index: expected number, got string")
	}
	fail("Value non indexable: %s", typeName(t))
	return nil
}

type superIndexExpr struct{ index expr }

func (x *superIndexExpr) eval(m *machine, e *env) value {
	name := m.str(m.force(x.index.eval(m, e)), "super index")
	if e.self == nil {
		fail("Can't use super outside of an object.")
	}
	return m.lookup(e.self, e.layer-1, name)
}

type inSuperExpr struct{ index expr }

func (x *inSuperExpr) eval(m *machine, e *env) value {
	name := m.str(m.force(x.index.eval(m, e)), "in super")
	if e.self == nil {
		fail("Can't use super outside of an object.")
	}
	_, at := e.self.find(e.layer-1, name)
	return at >= 0
}

type objectField struct {
	name expr
	def  *fieldDef
}

type objectExpr struct {
	fields  []objectField
	static  map[string]*fieldDef
	locals  []expr
	asserts []expr
}

func (x *objectExpr) eval(m *machine, e *env) value {
	l := &layer{fields: x.static, tmpl: x, env: e}
	if l.fields == nil {
		l.fields = make(map[string]*fieldDef, len(x.fields))
		for _, f := range x.fields {
			switch name := m.force(f.name.eval(m, e)).(type) {
			case nullValue:
				continue
			case string:
				if _, dup := l.fields[name]; dup {
					fail("Duplicate field name: %s", name)
				}
				l.fields[name] = f.def
			default:
				fail("Field name must be string, got %s", typeName(name))
			}
		}
	}
	return &object{layers: []*layer{l}, hasAsserts: len(x.asserts) > 0}
}

// numberFloor is math.Floor, named for the builtins that share it.
var numberFloor = math.Floor
