package interp

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/go-jsonnet/ast"
)

// builtin is a standard library function implemented in Go, as go-jsonnet implements it:
// same parameters, same result, and it forces every argument (in order) before it runs, as
// go-jsonnet's builtins do.
type builtin struct {
	name   string
	params []ast.Identifier
	// defaults holds the value of each optional parameter (nil: required). A parameter
	// whose default go-jsonnet leaves unset (minArray's onEmpty) has noValue.
	defaults []value
	fn       func(m *machine, args []value) value
	// declined marks a builtin this evaluator leaves to go-jsonnet.
	declined bool
}

// noValue marks an optional builtin parameter without a default value.
type noValueType struct{}

var noValue value = noValueType{}

// callBuiltin forces the arguments in slots (which it owns) and calls b.
func (m *machine) callBuiltin(b *builtin, slots []value) value {
	for i, s := range slots {
		switch {
		case s != nil:
			slots[i] = m.force(s)
		case i < len(b.defaults) && b.defaults[i] != nil:
			slots[i] = b.defaults[i]
		}
	}
	return b.fn(m, slots)
}

func ids(names ...string) []ast.Identifier {
	out := make([]ast.Identifier, len(names))
	for i, n := range names {
		out[i] = ast.Identifier(n)
	}
	return out
}

// builtinTable lists the builtins by name. Names go-jsonnet implements in Go that are not
// here are declined (the evaluation is left to go-jsonnet) when a program calls them.
func builtinTable() map[string]*builtin {
	t := map[string]*builtin{}
	add := func(name string, params []string, fn func(m *machine, args []value) value, defaults ...value) {
		t[name] = &builtin{name: name, params: ids(params...), defaults: defaults, fn: fn}
	}
	add("id", []string{"x"}, func(_ *machine, a []value) value { return a[0] })
	add("extVar", []string{"x"}, bExtVar)
	add("length", []string{"x"}, bLength)
	add("toString", []string{"a"}, func(m *machine, a []value) value { return m.toString(a[0]) })
	add("trace", []string{"str", "rest"}, func(*machine, []value) value {
		// Its output must come in go-jsonnet's order; go-jsonnet evaluates programs that trace.
		unsupported("std.trace")
		return nil
	})
	add("makeArray", []string{"sz", "func"}, bMakeArray)
	add("flatMap", []string{"func", "arr"}, bFlatMap)
	add("$flatMapArray", []string{"func", "arr"}, func(m *machine, a []value) value {
		if _, ok := a[1].(*array); !ok {
			fail("comprehension over %s", typeName(a[1]))
		}
		return bFlatMap(m, a)
	})
	add("$objectFlatMerge", []string{"x"}, bObjectFlatMerge)
	add("join", []string{"sep", "arr"}, bJoin)
	add("reverse", []string{"arr"}, func(m *machine, a []value) value {
		arr := m.arr(a[0], "std.reverse")
		out := make([]value, len(arr.elems))
		for i, el := range arr.elems {
			out[len(out)-1-i] = el
		}
		return &array{elems: out}
	})
	add("filter", []string{"func", "arr"}, bFilter)
	add("foldl", []string{"func", "arr", "init"}, func(m *machine, a []value) value { return bFold(m, a, true) })
	add("foldr", []string{"func", "arr", "init"}, func(m *machine, a []value) value { return bFold(m, a, false) })
	add("member", []string{"arr", "x"}, bMember)
	add("contains", []string{"arr", "elem"}, func(m *machine, a []value) value {
		for _, el := range m.arr(a[0], "std.contains").elems {
			if m.equals(m.force(el), a[1]) {
				return true
			}
		}
		return false
	})
	add("remove", []string{"arr", "elem"}, func(m *machine, a []value) value {
		arr := m.arr(a[0], "std.remove")
		for i, el := range arr.elems {
			if m.equals(m.force(el), a[1]) {
				return removeAt(arr, i)
			}
		}
		return arr
	})
	add("removeAt", []string{"arr", "i"}, func(m *machine, a []value) value {
		arr := m.arr(a[0], "std.removeAt")
		i := m.int32(a[1])
		if i < 0 || i >= len(arr.elems) {
			unsupported("std.removeAt out of range")
		}
		return removeAt(arr, i)
	})
	add("range", []string{"from", "to"}, func(m *machine, a []value) value {
		from, to := m.int32(a[0]), m.int32(a[1])
		if to < from {
			return &array{}
		}
		out := make([]value, to-from+1)
		for i := range out {
			out[i] = float64(from + i)
		}
		return &array{elems: out}
	})
	add("primitiveEquals", []string{"x", "y"}, bPrimitiveEquals)
	add("equals", []string{"x", "y"}, func(m *machine, a []value) value { return m.equals(a[0], a[1]) })
	add("objectFieldsEx", []string{"obj", "hidden"}, func(m *machine, a []value) value {
		names := m.fieldNames(m.obj(a[0], "std.objectFieldsEx"), m.boolean(a[1], "std.objectFieldsEx"))
		out := make([]value, len(names))
		for i, n := range names {
			out[i] = n
		}
		return &array{elems: out}
	})
	add("objectHasEx", []string{"obj", "fname", "hidden"}, func(m *machine, a []value) value {
		o := m.obj(a[0], "std.objectHasEx")
		name := m.str(a[1], "std.objectHasEx")
		hidden := m.boolean(a[2], "std.objectHasEx")
		h, ok := o.visibility()[name]
		return ok && (hidden || h != ast.ObjectFieldHidden)
	})
	add("objectRemoveKey", []string{"obj", "key"}, func(m *machine, a []value) value {
		o := m.obj(a[0], "std.objectRemoveKey")
		key := m.str(a[1], "std.objectRemoveKey")
		retained := make(map[string]ast.ObjectFieldHide, len(o.visibility()))
		for k, h := range o.visibility() {
			if k != key {
				retained[k] = h
			}
		}
		layers := make([]*layer, 0, len(o.layers)+1)
		layers = append(layers, o.layers...)
		layers = append(layers, &layer{restrict: retained, span: len(o.layers)})
		return &object{layers: layers, hasAsserts: o.hasAsserts}
	})
	add("type", []string{"x"}, func(_ *machine, a []value) value { return typeName(a[0]) })
	add("char", []string{"n"}, func(m *machine, a []value) value {
		n := m.number(a[0], "std.char")
		if n > 0x10FFFF {
			fail("Invalid unicode codepoint, got %v", n)
		} else if n < 0 {
			fail("Codepoints must be >= 0, got %v", n)
		}
		return validString(string(rune(n)))
	})
	add("codepoint", []string{"str"}, func(m *machine, a []value) value {
		s := m.str(a[0], "std.codepoint")
		r, size := utf8.DecodeRuneInString(s)
		if size == 0 || size != len(s) {
			fail("codepoint takes a string of length 1")
		}
		return float64(r)
	})
	add("floor", []string{"x"}, num1(math.Floor))
	add("ceil", []string{"x"}, num1(math.Ceil))
	add("sqrt", []string{"x"}, num1(math.Sqrt))
	add("sin", []string{"x"}, num1(math.Sin))
	add("cos", []string{"x"}, num1(math.Cos))
	add("tan", []string{"x"}, num1(math.Tan))
	add("asin", []string{"x"}, num1(math.Asin))
	add("acos", []string{"x"}, num1(math.Acos))
	add("atan", []string{"x"}, num1(math.Atan))
	add("log", []string{"x"}, num1(math.Log))
	add("exp", []string{"x"}, num1(math.Exp))
	add("round", []string{"x"}, num1(math.Round))
	add("pow", []string{"x", "n"}, num2(math.Pow))
	add("hypot", []string{"x", "y"}, num2(math.Hypot))
	add("atan2", []string{"y", "x"}, num2(math.Atan2))
	add("modulo", []string{"x", "y"}, func(m *machine, a []value) value {
		x, y := m.number(a[0], "std.modulo"), m.number(a[1], "std.modulo")
		if y == 0 {
			fail("Division by zero.")
		}
		return checkNumber(math.Mod(x, y))
	})
	add("substr", []string{"str", "from", "len"}, bSubstr)
	add("splitLimit", []string{"str", "c", "maxsplits"}, bSplitLimit)
	add("strReplace", []string{"str", "from", "to"}, func(m *machine, a []value) value {
		s, from, to := m.str(a[0], "std.strReplace"), m.str(a[1], "std.strReplace"), m.str(a[2], "std.strReplace")
		if from == "" {
			fail("'from' string must not be zero length.")
		}
		return strings.ReplaceAll(s, from, to)
	})
	add("isEmpty", []string{"str"}, func(m *machine, a []value) value { return m.str(a[0], "std.isEmpty") == "" })
	add("trim", []string{"str"}, func(m *machine, a []value) value { return strings.TrimSpace(m.str(a[0], "std.trim")) })
	add("xor", []string{"x", "y"}, func(m *machine, a []value) value {
		return m.boolean(a[0], "std.xor") != m.boolean(a[1], "std.xor")
	})
	add("xnor", []string{"x", "y"}, func(m *machine, a []value) value {
		return m.boolean(a[0], "std.xnor") == m.boolean(a[1], "std.xnor")
	})
	add("isNull", []string{"x"}, func(_ *machine, a []value) value { _, ok := a[0].(nullValue); return ok })
	add("native", []string{"x"}, func(m *machine, a []value) value {
		name := m.str(a[0], "std.native")
		if f, ok := m.cfg.natives[name]; ok {
			return &function{native: f}
		}
		return null
	})
	add("encodeUTF8", []string{"str"}, func(m *machine, a []value) value {
		s := m.str(a[0], "std.encodeUTF8")
		out := make([]value, len(s))
		for i := 0; i < len(s); i++ {
			out[i] = float64(s[i])
		}
		return &array{elems: out}
	})
	add("sort", []string{"arr", "keyF"}, bSort, nil, idFunction)
	add("sum", []string{"arr"}, func(m *machine, a []value) value {
		sum := 0.0
		for _, el := range m.arr(a[0], "std.sum").elems {
			sum += m.number(m.force(el), "std.sum")
		}
		if math.IsInf(sum, 0) || math.IsNaN(sum) {
			// go-jsonnet does not check the sum: it goes on with an infinite number.
			unsupported("std.sum overflows")
		}
		return sum
	})
	moreBuiltins(add)
	return t
}

// idFunction is the default key function of std.sort.
var idFunction = &function{builtin: &builtin{name: "id", params: ids("x"), fn: func(_ *machine, a []value) value { return a[0] }}}

func num1(f func(float64) float64) func(m *machine, a []value) value {
	return func(m *machine, a []value) value { return checkNumber(f(m.number(a[0], "math"))) }
}

func num2(f func(float64, float64) float64) func(m *machine, a []value) value {
	return func(m *machine, a []value) value {
		return checkNumber(f(m.number(a[0], "math"), m.number(a[1], "math")))
	}
}

// int32 is go-jsonnet's getInt: a number that is an int32.
func (m *machine) int32(v value) int {
	n := m.number(v, "integer")
	i := int(int32(n))
	if float64(i) != n {
		fail("Expected an integer, but got %v", n)
	}
	return i
}

func removeAt(arr *array, i int) *array {
	out := make([]value, 0, len(arr.elems)-1)
	out = append(out, arr.elems[:i]...)
	out = append(out, arr.elems[i+1:]...)
	return &array{elems: out}
}

func bExtVar(m *machine, a []value) value {
	name := m.str(a[0], "std.extVar")
	t, ok := m.extVars[name]
	if !ok {
		fail("Undefined external variable: %s", name)
	}
	return m.force(t)
}

func bLength(_ *machine, a []value) value {
	switch x := a[0].(type) {
	case *object:
		n := 0
		for _, h := range x.visibility() {
			if h != ast.ObjectFieldHidden {
				n++
			}
		}
		return float64(n)
	case *array:
		return float64(len(x.elems))
	case string:
		return float64(utf8.RuneCountInString(x))
	case *function:
		n := 0
		for i := range x.params() {
			if !x.optional(i) {
				n++
			}
		}
		return float64(n)
	}
	fail("length operates on strings, objects, and arrays, got %s", typeName(a[0]))
	return nil
}

// elementCall is go-jsonnet's makeArray element: func(i), evaluated when first forced.
type elementCall struct {
	f *function
	i int
}

func (x *elementCall) eval(m *machine, _ *env) value {
	return m.callValues(x.f, float64(x.i))
}

func bMakeArray(m *machine, a []value) value {
	n := m.int32(a[0])
	f := m.fn(a[1], "std.makeArray")
	if n < 0 {
		n = 0
	}
	out := make([]value, n)
	// The elements' thunks and calls come in blocks: two allocations per block instead of
	// two per element (std.map, std.mapWithIndex and comprehensions over ranges go through here).
	const block = 256
	var thunks []thunk
	var calls []elementCall
	for i := range out {
		if i%block == 0 {
			size := min(block, n-i)
			thunks, calls = make([]thunk, size), make([]elementCall, size)
		}
		c := &calls[i%block]
		c.f, c.i = f, i
		t := &thunks[i%block]
		t.code = c
		out[i] = t
	}
	return &array{elems: out}
}

func bFlatMap(m *machine, a []value) value {
	f := m.fn(a[0], "std.flatMap")
	switch x := a[1].(type) {
	case *array:
		out := make([]value, 0, len(x.elems))
		for _, el := range x.elems {
			r := m.arr(m.callValues(f, el), "std.flatMap")
			out = append(out, r.elems...)
		}
		return &array{elems: out}
	case string:
		var b strings.Builder
		for _, r := range x {
			b.WriteString(m.str(m.callValues(f, string(r)), "std.flatMap"))
		}
		return b.String()
	}
	fail("std.flatMap second param must be array / string, got %s", typeName(a[1]))
	return nil
}

func bObjectFlatMerge(m *machine, a []value) value {
	fields := map[string]*fieldDef{}
	for _, el := range m.arr(a[0], "object comprehension").elems {
		o := m.obj(m.force(el), "object comprehension")
		if len(o.layers) != 1 || o.layers[0].tmpl == nil || len(o.layers[0].tmpl.locals) > 0 {
			unsupported("object comprehension element of an unexpected shape")
		}
		l := o.layers[0]
		for name, d := range l.fields {
			if _, dup := fields[name]; dup {
				fail("Duplicate field name: %s", name)
			}
			fields[name] = &fieldDef{hide: d.hide, plus: d.plus, body: d.body, env: l.env}
		}
	}
	return &object{layers: []*layer{{fields: fields}}}
}

func bJoin(m *machine, a []value) value {
	arr := m.arr(a[1], "std.join")
	switch sep := a[0].(type) {
	case string:
		var b strings.Builder
		first := true
		for _, el := range arr.elems {
			switch v := m.force(el).(type) {
			case nullValue:
				continue
			case string:
				if !first {
					b.WriteString(sep)
				}
				b.WriteString(v)
			default:
				fail("std.join: expected string, got %s", typeName(v))
			}
			first = false
		}
		return b.String()
	case *array:
		var out []value
		first := true
		for _, el := range arr.elems {
			switch v := m.force(el).(type) {
			case nullValue:
				continue
			case *array:
				if !first {
					out = append(out, sep.elems...)
				}
				out = append(out, v.elems...)
			default:
				fail("std.join: expected array, got %s", typeName(v))
			}
			first = false
		}
		return &array{elems: out}
	}
	fail("join first parameter should be string or array, got %s", typeName(a[0]))
	return nil
}

func bFilter(m *machine, a []value) value {
	arr := m.arr(a[1], "std.filter")
	f := m.fn(a[0], "std.filter")
	out := make([]value, 0, len(arr.elems))
	for _, el := range arr.elems {
		if m.boolean(m.callValues(f, el), "std.filter") {
			out = append(out, el)
		}
	}
	return &array{elems: out}
}

func bFold(m *machine, a []value, left bool) value {
	f := m.fn(a[0], "std.fold")
	var elems []value
	switch x := a[1].(type) {
	case string:
		for _, r := range x {
			elems = append(elems, string(r))
		}
	case *array:
		elems = x.elems
	default:
		fail("fold second parameter should be string or array, got %s", typeName(a[1]))
	}
	acc := a[2]
	if left {
		for _, el := range elems {
			acc = m.callValues(f, acc, el)
		}
		return acc
	}
	for i := len(elems) - 1; i >= 0; i-- {
		acc = m.callValues(f, elems[i], acc)
	}
	return acc
}

func bMember(m *machine, a []value) value {
	switch x := a[0].(type) {
	case string:
		return strings.Contains(x, m.str(a[1], "std.member"))
	case *array:
		for _, el := range x.elems {
			if m.equals(m.force(el), a[1]) {
				return true
			}
		}
		return false
	}
	fail("std.member first argument must be an array or a string")
	return nil
}

func bPrimitiveEquals(_ *machine, a []value) value {
	x, y := a[0], a[1]
	if typeName(x) != typeName(y) {
		return false
	}
	switch x := x.(type) {
	case bool, float64, string:
		return x == y
	case nullValue:
		return true
	case *function:
		fail("Cannot test equality of functions")
	}
	fail("primitiveEquals operates on primitive types, got %s", typeName(x))
	return nil
}

func bSubstr(m *machine, a []value) value {
	s := m.str(a[0], "std.substr")
	from := m.number(a[1], "std.substr")
	if math.Mod(from, 1) != 0 || from < 0 {
		fail("substr second parameter should be a non-negative integer")
	}
	n := m.int32(m.number(a[2], "std.substr"))
	if n < 0 {
		fail("substr third parameter should be greater than zero")
	}
	start := int(from)
	if isASCII(s) {
		if start > len(s) {
			return ""
		}
		end := min(start+n, len(s))
		return s[start:end]
	}
	rs := []rune(s)
	if start > len(rs) {
		return ""
	}
	end := min(start+n, len(rs))
	return string(rs[start:end])
}

// splitArgs checks the arguments of std.splitLimit and std.splitLimitR (name).
func splitArgs(m *machine, a []value, name string) (s, c string, limit int) {
	s, c = m.str(a[0], name), m.str(a[1], name)
	limit = m.int32(a[2])
	if limit < -1 {
		fail("%s third parameter should be -1 or non-negative", name)
	}
	if c == "" {
		fail("%s second parameter should have length 1 or greater", name)
	}
	return s, c, limit
}

func bSplitLimit(m *machine, a []value) value {
	s, c, limit := splitArgs(m, a, "std.splitLimit")
	n := -1
	if limit != -1 {
		n = limit + 1
	}
	parts := strings.SplitN(s, c, n)
	out := make([]value, len(parts))
	for i, p := range parts {
		out[i] = p
	}
	return &array{elems: out}
}

func bSort(m *machine, a []value) value {
	arr := m.arr(a[0], "std.sort")
	f := m.fn(a[1], "std.sort")
	type item struct {
		el, key value
	}
	items := make([]item, len(arr.elems))
	for i, el := range arr.elems {
		items[i] = item{el: el, key: m.callValues(f, el)}
	}
	slices.SortStableFunc(items, func(x, y item) int { return m.compare(x.key, y.key) })
	out := make([]value, len(items))
	for i, it := range items {
		out[i] = it.el
	}
	return &array{elems: out}
}

func sortStrings(s []string) { slices.Sort(s) }
