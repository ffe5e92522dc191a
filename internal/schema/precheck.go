package schema

import (
	"math"
	"regexp"
	"sync"
	"unicode/utf8"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
)

// patternCache holds compiled patterns, shared by all kinds.
type patternCache struct {
	m sync.Map // pattern → *regexp.Regexp, or nil when it does not compile
}

func (c *patternCache) get(p string) *regexp.Regexp {
	if v, ok := c.m.Load(p); ok {
		re, _ := v.(*regexp.Regexp)
		return re
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = nil
	}
	c.m.Store(p, re)
	return re
}

// precheck reports whether x certainly passes the schema validator's checks of s: types,
// required fields, enums, patterns, lengths, ranges and counts, for the constructs rendered
// objects use. It never decides that an object is invalid: on anything it does not model
// (string formats, combinators other than int-or-string, multipleOf, uniqueItems, nulls, an
// integral number written as a fraction) it answers false, and the caller runs the kube-openapi
// validator, which then reports what is wrong with its own wording. Valid objects, the common
// case, skip that validator, which builds a validator per field on every call and costs most of
// the time of a check.
func precheck(x any, s *node, pc *patternCache) bool {
	if s == nil {
		return true
	}
	if x == nil {
		return s.Type == "" && !s.XIntOrString && s.ValueValidation == nil
	}
	if s.XIntOrString {
		switch x.(type) {
		case int64, string:
		default:
			return false
		}
	} else if !typeMatches(x, s.Type) {
		return false
	}
	if vv := s.ValueValidation; vv != nil && !valueOK(x, vv, s.XIntOrString, pc) {
		return false
	}
	switch x := x.(type) {
	case map[string]any:
		for k, v := range x {
			if c := s.child(k); c != nil && !precheck(v, c, pc) {
				return false
			}
		}
	case []any:
		for _, v := range x {
			if !precheck(v, s.items, pc) {
				return false
			}
		}
	}
	return true
}

func typeMatches(x any, t string) bool {
	switch t {
	case "":
		return true
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "integer":
		_, ok := x.(int64)
		return ok
	case "number":
		switch x.(type) {
		case int64, float64:
			return true
		}
	}
	return false
}

// valueOK checks the value validations of one node; false means "not sure".
func valueOK(x any, vv *structuralschema.ValueValidation, intOrString bool, pc *patternCache) bool {
	if vv.MultipleOf != nil || vv.UniqueItems {
		return false
	}
	if len(vv.AnyOf) > 0 && !intOrStringAnyOf(vv.AnyOf, intOrString) {
		if ok, sure := requiredLogic(x, structuralschema.NestedValueValidation{ValueValidation: structuralschema.ValueValidation{AnyOf: vv.AnyOf}}); !ok || !sure {
			return false
		}
	}
	if len(vv.AllOf)+len(vv.OneOf) > 0 || vv.Not != nil {
		n := structuralschema.NestedValueValidation{ValueValidation: structuralschema.ValueValidation{AllOf: vv.AllOf, OneOf: vv.OneOf, Not: vv.Not}}
		if ok, sure := requiredLogic(x, n); !ok || !sure {
			return false
		}
	}
	if len(vv.Enum) > 0 {
		found := false
		for _, e := range vv.Enum {
			if isScalar(e.Object) && e.Object == x {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	switch x := x.(type) {
	case string:
		if vv.Format != "" && vv.Format != quantityFormat {
			return false
		}
		n := int64(-1)
		if vv.MaxLength != nil || vv.MinLength != nil {
			n = int64(utf8.RuneCountInString(x))
		}
		if (vv.MaxLength != nil && n > *vv.MaxLength) || (vv.MinLength != nil && n < *vv.MinLength) {
			return false
		}
		if vv.Pattern != "" {
			re := pc.get(vv.Pattern)
			if re == nil || !re.MatchString(x) {
				return false
			}
		}
	case int64:
		switch vv.Format {
		case "", "int64", quantityFormat:
		case "int32":
			if x > math.MaxInt32 || x < math.MinInt32 {
				return false
			}
		default:
			return false
		}
		if !inRange(float64(x), vv) {
			return false
		}
	case float64:
		switch vv.Format {
		case "", "double", quantityFormat:
		default:
			return false
		}
		if !inRange(x, vv) {
			return false
		}
	case []any:
		n := int64(len(x))
		if (vv.MaxItems != nil && n > *vv.MaxItems) || (vv.MinItems != nil && n < *vv.MinItems) {
			return false
		}
	case map[string]any:
		n := int64(len(x))
		if (vv.MaxProperties != nil && n > *vv.MaxProperties) || (vv.MinProperties != nil && n < *vv.MinProperties) {
			return false
		}
		for _, r := range vv.Required {
			if _, ok := x[r]; !ok {
				return false
			}
		}
	}
	return true
}

func inRange(f float64, vv *structuralschema.ValueValidation) bool {
	if m := vv.Maximum; m != nil && (f > *m || (vv.ExclusiveMaximum && f == *m)) {
		return false
	}
	if m := vv.Minimum; m != nil && (f < *m || (vv.ExclusiveMinimum && f == *m)) {
		return false
	}
	return true
}

// intOrStringAnyOf recognises anyOf: [{type: integer}, {type: string}] on an int-or-string node,
// which the int-or-string type check already covers.
func intOrStringAnyOf(anyOf []structuralschema.NestedValueValidation, intOrString bool) bool {
	if !intOrString {
		return false
	}
	for _, alt := range anyOf {
		t := alt.ForbiddenGenerics.Type
		if t != "integer" && t != "string" {
			return false
		}
		empty := structuralschema.NestedValueValidation{ForbiddenGenerics: structuralschema.Generic{Type: t}}
		if !nestedEqual(alt, empty) {
			return false
		}
	}
	return true
}

// nestedEqual compares the parts of a nested value validation precheck cares about.
func nestedEqual(a, b structuralschema.NestedValueValidation) bool {
	return a.Format == b.Format && a.Pattern == b.Pattern && a.Maximum == nil && a.Minimum == nil &&
		a.MaxLength == nil && a.MinLength == nil && len(a.Enum) == 0 && len(a.AllOf)+len(a.AnyOf)+len(a.OneOf) == 0 &&
		a.Not == nil && a.Items == nil && len(a.Properties) == 0 && a.AdditionalProperties == nil &&
		len(a.XValidations) == 0 && a.MaxItems == nil && a.MinItems == nil && a.MaxProperties == nil && a.MinProperties == nil &&
		len(a.Required) == 0 && a.MultipleOf == nil && !a.UniqueItems && a.ForbiddenGenerics.Nullable == b.ForbiddenGenerics.Nullable
}

// requiredLogic evaluates a nested value validation made only of required lists combined with
// allOf, anyOf, oneOf and not (Istio's "exactly one of exact, prefix, regex"). sure is false
// when the validation holds anything else.
func requiredLogic(x any, n structuralschema.NestedValueValidation) (ok, sure bool) {
	vv := n.ValueValidation
	if vv.Format != "" || vv.Pattern != "" || vv.Maximum != nil || vv.Minimum != nil || vv.MaxLength != nil ||
		vv.MinLength != nil || vv.MaxItems != nil || vv.MinItems != nil || vv.UniqueItems || vv.MultipleOf != nil ||
		len(vv.Enum) > 0 || vv.MaxProperties != nil || vv.MinProperties != nil || len(n.XValidations) > 0 ||
		n.Items != nil || len(n.Properties) > 0 || n.AdditionalProperties != nil ||
		n.ForbiddenGenerics.Type != "" || n.ForbiddenGenerics.Nullable {
		return false, false
	}
	ok = true
	if m, isObject := x.(map[string]any); isObject {
		for _, r := range vv.Required {
			if _, has := m[r]; !has {
				ok = false
			}
		}
	}
	for _, sub := range vv.AllOf {
		o, s := requiredLogic(x, sub)
		if !s {
			return false, false
		}
		ok = ok && o
	}
	if len(vv.AnyOf) > 0 {
		matched := false
		for _, sub := range vv.AnyOf {
			o, s := requiredLogic(x, sub)
			if !s {
				return false, false
			}
			matched = matched || o
		}
		ok = ok && matched
	}
	if len(vv.OneOf) > 0 {
		count := 0
		for _, sub := range vv.OneOf {
			o, s := requiredLogic(x, sub)
			if !s {
				return false, false
			}
			if o {
				count++
			}
		}
		ok = ok && count == 1
	}
	if vv.Not != nil {
		o, s := requiredLogic(x, *vv.Not)
		if !s {
			return false, false
		}
		ok = ok && !o
	}
	return ok, true
}
