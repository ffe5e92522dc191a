package interp

import (
	"slices"

	"github.com/google/go-jsonnet/ast"
)

// Objects keep go-jsonnet's inheritance model: self is the whole object, a field found in
// layer L runs with super meaning the layers below L, and a field's value is cached per
// object and per layer it was found in. Layers are a flat list (go-jsonnet keeps a tree of
// the same leaves).

// find returns the definition of name visible from layer start downwards, and the layer it is
// in (-1 when there is none). A std.objectRemoveKey marker hides the fields it removed only
// from a search that starts at the marker itself, as go-jsonnet's restrictedObject does.
func (o *object) find(start int, name string) (*fieldDef, int) {
	for j := start; j >= 0; {
		l := o.layers[j]
		if l.restrict != nil {
			if j == start {
				if _, ok := l.restrict[name]; !ok {
					j -= l.span + 1
					continue
				}
			}
			j--
			continue
		}
		if d, ok := l.fields[name]; ok {
			return d, j
		}
		j--
	}
	return nil, -1
}

// field is obj[name].
func (m *machine) field(o *object, name string) value {
	return m.lookup(o, len(o.layers)-1, name)
}

// lookup is go-jsonnet's objectIndex with self o and super depth pointing at layer start.
func (m *machine) lookup(o *object, start int, name string) value {
	m.checkAssertions(o)
	if start < 0 {
		fail("Attempt to use super when there is no super class.")
	}
	def, at := o.find(start, name)
	if at < 0 {
		fail("Field does not exist: %s", name)
	}
	if def.body == nil {
		// A value known already (a builtin, data): nothing to evaluate or cache.
		return def.ready
	}
	key := fieldKey{name: name, layer: at}
	if v, ok := o.cache[key]; ok {
		return v
	}
	v := m.evalField(o, at, name, def)
	if o.cache == nil {
		o.cache = make(map[fieldKey]value, 4)
	}
	o.cache[key] = v
	return v
}

// plusSuper finishes a `name+: value` field found in layer at.
func (m *machine) plusSuper(o *object, at int, name string, right value) value {
	if _, below := o.find(at-1, name); below < 0 {
		return right
	}
	return m.plus(m.lookup(o, at-1, name), right)
}

// evalField evaluates the field name, def, found in layer at of o, with self o.
func (m *machine) evalField(o *object, at int, name string, def *fieldDef) value {
	if def.body == nil {
		return def.ready
	}
	var plusFrame int
	if def.plus {
		plusFrame = m.push(false)
	}
	e := m.fieldEnv(o, at, def.env)
	f := m.push(false)
	v := def.body.eval(m, e)
	m.pop(f)
	if def.plus {
		v = m.plusSuper(o, at, name, v)
		m.pop(plusFrame)
	}
	return v
}

// fieldEnv is the environment of code in layer at of o: the layer's object locals, bound to
// self o, in a frame of their own (go-jsonnet binds them afresh for every field).
func (m *machine) fieldEnv(o *object, at int, override *env) *env {
	l := o.layers[at]
	up := l.env
	if override != nil {
		up = override
	}
	var locals []expr
	if l.tmpl != nil {
		locals = l.tmpl.locals
	}
	e := newEnv(len(locals), up)
	e.self, e.layer = o, at
	for i, c := range locals {
		e.vars[i] = lazySibling(c, e)
	}
	return e
}

// lazySibling is lazy for code bound in the frame e it is evaluated in, whose slots may not
// all be filled yet.
func lazySibling(code expr, e *env) value {
	if v, ok := code.(*varExpr); ok && v.depth == 0 {
		return &thunk{code: code, env: e}
	}
	return lazy(code, e)
}

// checkAssertions runs o's assertions once, before o is first indexed or manifested.
func (m *machine) checkAssertions(o *object) {
	if !o.hasAsserts || o.asserted {
		return
	}
	o.asserted = true
	for at := len(o.layers) - 1; at >= 0; at-- {
		l := o.layers[at]
		if l.tmpl == nil || len(l.tmpl.asserts) == 0 {
			continue
		}
		for _, a := range l.tmpl.asserts {
			e := m.fieldEnv(o, at, nil)
			f := m.push(false)
			m.force(a.eval(m, e))
			m.pop(f)
		}
	}
}

// visibility is go-jsonnet's objectFieldsVisibility: every field name with its effective
// visibility (the topmost explicit one; ":" inherits).
func (o *object) visibility() map[string]ast.ObjectFieldHide {
	if o.vis != nil {
		return o.vis
	}
	// Segments from the top down: a marker stands for the whole object it restricted.
	var segments []map[string]ast.ObjectFieldHide
	var layers []*layer
	for j := len(o.layers) - 1; j >= 0; {
		l := o.layers[j]
		if l.restrict != nil {
			segments = append(segments, l.restrict)
			layers = append(layers, nil)
			j -= l.span + 1
			continue
		}
		segments = append(segments, nil)
		layers = append(layers, l)
		j--
	}
	r := make(map[string]ast.ObjectFieldHide)
	for i := len(segments) - 1; i >= 0; i-- {
		if layers[i] != nil {
			for name, d := range layers[i].fields {
				merge(r, name, d.hide)
			}
			continue
		}
		for name, h := range segments[i] {
			merge(r, name, h)
		}
	}
	o.vis = r
	return r
}

func merge(r map[string]ast.ObjectFieldHide, name string, h ast.ObjectFieldHide) {
	if h == ast.ObjectFieldInherit {
		if _, ok := r[name]; !ok {
			r[name] = h
		}
		return
	}
	r[name] = h
}

// fieldNames returns o's field names, sorted; hidden ones only when withHidden.
func (m *machine) fieldNames(o *object, withHidden bool) []string {
	if len(o.layers) == 1 && o.layers[0].restrict == nil {
		// One literal: its own visibilities, no map to build.
		fields := o.layers[0].fields
		names := make([]string, 0, len(fields))
		for name, d := range fields {
			if withHidden || d.hide != ast.ObjectFieldHidden {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return names
	}
	vis := o.visibility()
	names := make([]string, 0, len(vis))
	for name, h := range vis {
		if withHidden || h != ast.ObjectFieldHidden {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// readyObject builds an object of evaluated fields, all with visibility hide.
func readyObject(fields map[string]value, hide ast.ObjectFieldHide) *object {
	defs := make(map[string]*fieldDef, len(fields))
	for k, v := range fields {
		defs[k] = &fieldDef{hide: hide, ready: v}
	}
	return &object{layers: []*layer{{fields: defs}}}
}
