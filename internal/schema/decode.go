package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
)

// decodeJSONValue decodes JSON keeping numbers as json.Number.
func decodeJSONValue(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// decodeStructuralJSON decodes a JSON schema (a CustomResourceDefinition's openAPIV3Schema, or a
// resolved built-in schema) straight into the structural form the API server validates with, as
// NewStructural would build it from the internal form: the same fields, the same rejection of the
// keywords structural schemas do not allow. Skipping the intermediate forms, and visiting each
// schema object's keys once, makes preparing a large definition several times cheaper.
func decodeStructuralJSON(data []byte) (*structuralschema.Structural, error) {
	v, err := decodeJSONValue(data)
	if err != nil {
		return nil, err
	}
	return decodeStructural(v, nil, nil)
}

// schemaPath names a schema object inside the one being decoded, for error messages only; it is
// turned into a string when an error needs it.
type schemaPath struct {
	parent *schemaPath
	name   string
}

func (p *schemaPath) child(name string) *schemaPath { return &schemaPath{parent: p, name: name} }

func (p *schemaPath) String() string {
	if p == nil {
		return "(root)"
	}
	var parts []string
	for q := p; q != nil; q = q.parent {
		parts = append(parts, q.name)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, ".")
}

// errUnsupported marks the keywords structural schemas reject (NewStructural's
// validateUnsupportedFields).
func unsupported(key string, v any) error {
	empty := v == nil
	switch x := v.(type) {
	case string:
		empty = x == ""
	case map[string]any:
		empty = len(x) == 0
	}
	if key == "additionalItems" && v != nil {
		empty = false
	}
	if empty {
		return nil
	}
	return fmt.Errorf("OpenAPIV3Schema '%s' is not supported", key)
}

func fieldError(at *schemaPath, key string, err error) error {
	return fmt.Errorf("schema %s: field %s: %w", at, key, err)
}

// structCache remembers the structural schema decoded from each schema object, by the object's
// identity: a resolved built-in schema shares the objects of common definitions (a PodSpec in
// Deployment, StatefulSet and DaemonSet, a Container three times in a PodSpec), which are then
// decoded once. The objects must stay alive, and unchanged, as long as the cache.
type structCache map[uintptr]*structuralschema.Structural

// decodeStructural builds one structural schema node and its children; cache may be nil.
func decodeStructural(v any, at *schemaPath, cache structCache) (*structuralschema.Structural, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s must be an object", at)
	}
	var id uintptr
	if cache != nil {
		id = reflect.ValueOf(m).Pointer()
		if s, ok := cache[id]; ok {
			return s, nil
		}
	}
	s := &structuralschema.Structural{ValueValidation: &structuralschema.ValueValidation{}}
	for k, x := range m {
		var err error
		switch k {
		case "items":
			if _, isList := x.([]any); isList {
				return nil, errors.New("OpenAPIV3Schema 'items' must be a schema, but is an array")
			}
			if x != nil {
				if s.Items, err = decodeStructural(x, at.child("items"), cache); err != nil {
					return nil, err
				}
			}
		case "properties":
			props, ok := x.(map[string]any)
			if !ok && x != nil {
				return nil, fieldError(at, k, errors.New("must be an object"))
			}
			if len(props) > 0 {
				s.Properties = make(map[string]structuralschema.Structural, len(props))
				for name, p := range props {
					ps, err := decodeStructural(p, at.child("properties").child(name), cache)
					if err != nil {
						return nil, err
					}
					s.Properties[name] = *ps
				}
			}
		case "additionalProperties":
			switch ap := x.(type) {
			case nil:
			case bool:
				s.AdditionalProperties = &structuralschema.StructuralOrBool{Bool: ap}
			default:
				aps, err := decodeStructural(ap, at.child("additionalProperties"), cache)
				if err != nil {
					return nil, err
				}
				s.AdditionalProperties = &structuralschema.StructuralOrBool{Structural: aps, Bool: true}
			}
		default:
			var handled bool
			if handled, err = setGeneric(&s.Generic, k, x); !handled && err == nil {
				if handled, err = setExtension(&s.Extensions, k, x); !handled && err == nil {
					if handled, err = setRules(&s.ValidationExtensions, k, x); !handled && err == nil {
						_, err = setValueValidation(s.ValueValidation, k, x, at)
					}
				}
			}
		}
		if err != nil {
			return nil, fieldError(at, k, err)
		}
	}
	if cache != nil {
		cache[id] = s
	}
	return s, nil
}

// decodeNested builds a value validation inside allOf, anyOf, oneOf or not, as
// newNestedValueValidation does: types and extensions there are kept as "forbidden" so that
// structural validation could report them.
func decodeNested(v any, at *schemaPath) (*structuralschema.NestedValueValidation, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s must be an object", at)
	}
	n := &structuralschema.NestedValueValidation{}
	for k, x := range m {
		var err error
		switch k {
		case "items":
			if _, isList := x.([]any); isList {
				return nil, errors.New("OpenAPIV3Schema 'items' must be a schema, but is an array")
			}
			if x != nil {
				if n.Items, err = decodeNested(x, at.child("items")); err != nil {
					return nil, err
				}
			}
		case "properties":
			props, ok := x.(map[string]any)
			if !ok && x != nil {
				return nil, fieldError(at, k, errors.New("must be an object"))
			}
			n.Properties = make(map[string]structuralschema.NestedValueValidation, len(props))
			for name, p := range props {
				pn, err := decodeNested(p, at.child("properties").child(name))
				if err != nil {
					return nil, err
				}
				n.Properties[name] = *pn
			}
		case "additionalProperties":
			switch ap := x.(type) {
			case nil:
			case bool:
				if ap {
					n.AdditionalProperties = &structuralschema.NestedValueValidation{}
				}
			default:
				if n.AdditionalProperties, err = decodeNested(ap, at.child("additionalProperties")); err != nil {
					return nil, err
				}
			}
		default:
			var handled bool
			if handled, err = setGeneric(&n.ForbiddenGenerics, k, x); !handled && err == nil {
				if handled, err = setExtension(&n.ForbiddenExtensions, k, x); !handled && err == nil {
					if handled, err = setRules(&n.ValidationExtensions, k, x); !handled && err == nil {
						_, err = setValueValidation(&n.ValueValidation, k, x, at)
					}
				}
			}
		}
		if err != nil {
			return nil, fieldError(at, k, err)
		}
	}
	return n, nil
}

func setGeneric(g *structuralschema.Generic, k string, x any) (bool, error) {
	var err error
	switch k {
	case "type":
		g.Type, err = asString(x)
	case "nullable":
		g.Nullable, err = asBool(x)
	case "default":
		var d any
		if d, err = normalize(x); err == nil {
			g.Default = structuralschema.JSON{Object: d}
		}
	default:
		return false, nil
	}
	return true, err
}

func setExtension(e *structuralschema.Extensions, k string, x any) (bool, error) {
	var err error
	switch k {
	case "x-kubernetes-preserve-unknown-fields":
		var b bool
		if b, err = asBool(x); err == nil && x != nil && !b {
			err = errors.New("internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined")
		}
		e.XPreserveUnknownFields = b
	case "x-kubernetes-embedded-resource":
		e.XEmbeddedResource, err = asBool(x)
	case "x-kubernetes-int-or-string":
		e.XIntOrString, err = asBool(x)
	case "x-kubernetes-list-map-keys":
		e.XListMapKeys, err = asStrings(x)
	case "x-kubernetes-list-type":
		e.XListType, err = asStringPtr(x)
	case "x-kubernetes-map-type":
		e.XMapType, err = asStringPtr(x)
	default:
		return false, nil
	}
	return true, err
}

// oldSelfRef finds rules that read the previous object.
var oldSelfRef = regexp.MustCompile(`\boldSelf\b`)

// setRules reads x-kubernetes-validations, leaving out the transition rules: those that compare
// with the previous object (oldSelf, not optional) run on updates only, and kforge checks
// objects as if they were created.
func setRules(v *structuralschema.ValidationExtensions, k string, x any) (bool, error) {
	if k != "x-kubernetes-validations" {
		return false, nil
	}
	list, ok := x.([]any)
	if !ok {
		if x == nil {
			return true, nil
		}
		return true, errors.New("must be a list of rules")
	}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return true, errors.New("must be a list of rules")
		}
		var r apiextv1.ValidationRule
		var err error
		for rk, rv := range m {
			switch rk {
			case "rule":
				r.Rule, err = asString(rv)
			case "message":
				r.Message, err = asString(rv)
			case "messageExpression":
				r.MessageExpression, err = asString(rv)
			case "fieldPath":
				r.FieldPath, err = asString(rv)
			case "reason":
				var s *string
				if s, err = asStringPtr(rv); s != nil {
					reason := apiextv1.FieldValueErrorReason(*s)
					r.Reason = &reason
				}
			case "optionalOldSelf":
				var b bool
				if b, err = asBool(rv); rv != nil {
					r.OptionalOldSelf = &b
				}
			}
			if err != nil {
				return true, fmt.Errorf("rule %s: %w", rk, err)
			}
		}
		if oldSelfRef.MatchString(r.Rule) && (r.OptionalOldSelf == nil || !*r.OptionalOldSelf) {
			continue
		}
		v.XValidations = append(v.XValidations, r)
	}
	return true, nil
}

func setValueValidation(vv *structuralschema.ValueValidation, k string, x any, at *schemaPath) (bool, error) {
	var err error
	switch k {
	case "format":
		vv.Format, err = asString(x)
	case "pattern":
		vv.Pattern, err = asString(x)
	case "maximum":
		vv.Maximum, err = asFloat(x)
	case "minimum":
		vv.Minimum, err = asFloat(x)
	case "multipleOf":
		vv.MultipleOf, err = asFloat(x)
	case "exclusiveMaximum":
		vv.ExclusiveMaximum, err = asBool(x)
	case "exclusiveMinimum":
		vv.ExclusiveMinimum, err = asBool(x)
	case "uniqueItems":
		vv.UniqueItems, err = asBool(x)
	case "maxLength":
		vv.MaxLength, err = asInt(x)
	case "minLength":
		vv.MinLength, err = asInt(x)
	case "maxItems":
		vv.MaxItems, err = asInt(x)
	case "minItems":
		vv.MinItems, err = asInt(x)
	case "maxProperties":
		vv.MaxProperties, err = asInt(x)
	case "minProperties":
		vv.MinProperties, err = asInt(x)
	case "required":
		vv.Required, err = asStrings(x)
	case "enum":
		list, ok := x.([]any)
		if !ok && x != nil {
			return true, errors.New("must be a list")
		}
		for _, e := range list {
			n, err := normalize(e)
			if err != nil {
				return true, err
			}
			vv.Enum = append(vv.Enum, structuralschema.JSON{Object: n})
		}
	case "allOf", "anyOf", "oneOf":
		list, ok := x.([]any)
		if !ok && x != nil {
			return true, errors.New("must be a list of schemas")
		}
		clauses := make([]structuralschema.NestedValueValidation, len(list))
		for i, c := range list {
			n, err := decodeNested(c, at.child(fmt.Sprintf("%s[%d]", k, i)))
			if err != nil {
				return true, err
			}
			clauses[i] = *n
		}
		switch k {
		case "allOf":
			vv.AllOf = clauses
		case "anyOf":
			vv.AnyOf = clauses
		default:
			vv.OneOf = clauses
		}
	case "not":
		if x != nil {
			vv.Not, err = decodeNested(x, at.child("not"))
		}
	case "id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions":
		err = unsupported(k, x)
	default:
		// Documentation (description, title, example, externalDocs) and extensions that do
		// not affect validation.
		return false, nil
	}
	return true, err
}

func asString(x any) (string, error) {
	if x == nil {
		return "", nil
	}
	s, ok := x.(string)
	if !ok {
		return "", errors.New("must be a string")
	}
	return s, nil
}

func asStringPtr(x any) (*string, error) {
	if x == nil {
		return nil, nil
	}
	s, err := asString(x)
	return &s, err
}

func asBool(x any) (bool, error) {
	if x == nil {
		return false, nil
	}
	b, ok := x.(bool)
	if !ok {
		return false, errors.New("must be a boolean")
	}
	return b, nil
}

func asFloat(x any) (*float64, error) { return asNumber(x, json.Number.Float64, "a number") }

func asInt(x any) (*int64, error) { return asNumber(x, json.Number.Int64, "an integer") }

// asNumber decodes a JSON number with parse; what names the kind of number errors ask for.
func asNumber[T any](x any, parse func(json.Number) (T, error), what string) (*T, error) {
	if x == nil {
		return nil, nil
	}
	if n, ok := x.(json.Number); ok {
		if v, err := parse(n); err == nil {
			return &v, nil
		}
	}
	return nil, errors.New("must be " + what)
}

func asStrings(x any) ([]string, error) {
	if x == nil {
		return nil, nil
	}
	list, ok := x.([]any)
	if !ok {
		return nil, errors.New("must be a list of strings")
	}
	out := make([]string, len(list))
	for i, e := range list {
		s, ok := e.(string)
		if !ok {
			return nil, errors.New("must be a list of strings")
		}
		out[i] = s
	}
	return out, nil
}
