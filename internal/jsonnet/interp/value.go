package interp

import (
	"github.com/google/go-jsonnet/ast"
)

// Values are Go values of these types:
//
//	nullValue        null
//	bool             a boolean
//	float64          a number
//	string           a string (always valid UTF-8: invalid bytes become U+FFFD on entry,
//	                 as go-jsonnet's rune strings make them)
//	*array           an array
//	*object          an object
//	*function        a function
//
// Wherever go-jsonnet keeps a lazily evaluated thunk (array elements, local bindings, call
// arguments) a slot may also hold a *thunk, which force turns into its value.
type value = any

// nullValue is the type of null.
type nullValue struct{}

// null is the null value.
var null value = nullValue{}

// thunk is a lazily evaluated value: code in env, evaluated once, the first time it is forced.
type thunk struct {
	val  value
	code expr
	env  *env
	busy bool
}

// array is a Jsonnet array. Elements are values or *thunk.
type array struct {
	elems []value
}

// env is one frame of variables. Code reaches a variable by a static (depth, index) pair:
// depth frames up, then the index-th slot. Every frame also carries the self binding of the
// code running in it: the object self refers to and the layer of that object the code
// belongs to (what super refers to is every layer below it).
type env struct {
	vars  []value
	up    *env
	self  *object
	layer int
}

// function is a Jsonnet function: a closure, a builtin or a native function.
type function struct {
	// closure
	code *funcExpr
	env  *env
	// builtin
	builtin *builtin
	// native
	native *nativeFunc
}

// fieldDef is one field of an object layer.
type fieldDef struct {
	hide ast.ObjectFieldHide
	plus bool
	// body is the field's code; nil when ready holds its value.
	body  expr
	ready value
	// env, when set, is the environment body runs in instead of the layer's (fields an object
	// comprehension collected from its elements).
	env *env
}

// layer is one object literal (or other leaf) of an object's inheritance chain.
type layer struct {
	fields map[string]*fieldDef
	// tmpl holds the locals and assertions of an object literal; nil for other leaves.
	tmpl *objectExpr
	// env is the environment the literal was evaluated in.
	env *env
	// restrict, when set, makes this a std.objectRemoveKey marker: the span layers below it
	// are the object it restricted, and retained its visible field set.
	restrict map[string]ast.ObjectFieldHide
	span     int
}

// fieldKey is a cached field value's name and the layer it was found in.
type fieldKey struct {
	name  string
	layer int
}

// object is a Jsonnet object: its layers, left (bottom) to right (top).
type object struct {
	layers []*layer
	cache  map[fieldKey]value
	// asserted is 0 before the object's assertions ran, 1 while and after.
	asserted bool
	// vis caches fieldVisibility.
	vis map[string]ast.ObjectFieldHide
	// hasAsserts is set when a layer has assertions.
	hasAsserts bool
}

func typeName(v value) string {
	switch v.(type) {
	case nullValue:
		return "null"
	case bool:
		return "boolean"
	case float64:
		return "number"
	case string:
		return "string"
	case *array:
		return "array"
	case *object:
		return "object"
	case *function:
		return "function"
	}
	return "unknown"
}

// Frames of one to four variables are allocated with their slots in one block.
type (
	env1 struct {
		env
		slots [1]value
	}
	env2 struct {
		env
		slots [2]value
	}
	env3 struct {
		env
		slots [3]value
	}
	env4 struct {
		env
		slots [4]value
	}
)

// newEnv returns a frame of n empty slots below up, with up's self binding.
func newEnv(n int, up *env) *env {
	var e *env
	switch n {
	case 0:
		e = &env{}
	case 1:
		b := &env1{}
		b.vars = b.slots[:]
		e = &b.env
	case 2:
		b := &env2{}
		b.vars = b.slots[:]
		e = &b.env
	case 3:
		b := &env3{}
		b.vars = b.slots[:]
		e = &b.env
	case 4:
		b := &env4{}
		b.vars = b.slots[:]
		e = &b.env
	default:
		e = &env{vars: make([]value, n)}
	}
	e.up, e.self, e.layer = up, up.self, up.layer
	return e
}
