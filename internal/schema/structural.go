package schema

import (
	"errors"
	"fmt"

	apiextv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
)

// decodeStructuralJSON decodes a CustomResourceDefinition's openAPIV3Schema straight into the
// structural form the API server validates with, as NewStructural would build it from the
// internal form: the same fields, the same rejection of keywords structural schemas do not
// allow. Skipping the internal form halves the cost of preparing a large definition.
func decodeStructuralJSON(data []byte) (*structuralschema.Structural, error) {
	v, err := decodeJSONValue(data)
	if err != nil {
		return nil, err
	}
	return decodeStructural(v, "")
}

// unsupportedKeywords are rejected in structural schemas (NewStructural's
// validateUnsupportedFields).
var unsupportedKeywords = []string{"id", "$schema", "$ref", "patternProperties", "dependencies", "additionalItems", "definitions"}

func checkSupported(d *schemaDecoder) error {
	for _, k := range unsupportedKeywords {
		if v, ok := d.m[k]; ok && v != nil && !isEmptyValue(v) {
			return fmt.Errorf("OpenAPIV3Schema '%s' is not supported (at %s)", k, trimPath(d.path))
		}
	}
	return nil
}

func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case string:
		return x == ""
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func decodeStructural(v any, path string) (*structuralschema.Structural, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s must be an object", trimPath(path))
	}
	d := &schemaDecoder{m: m, path: path}
	if err := checkSupported(d); err != nil {
		return nil, err
	}
	s := &structuralschema.Structural{
		Generic:              d.generic(),
		Extensions:           d.extensions(),
		ValidationExtensions: structuralschema.ValidationExtensions{XValidations: d.v1Rules("x-kubernetes-validations")},
	}
	vv, err := d.valueValidation()
	if err != nil {
		return nil, err
	}
	s.ValueValidation = vv
	if items, ok := m["items"]; ok && items != nil {
		if _, isList := items.([]any); isList {
			return nil, errors.New("OpenAPIV3Schema 'items' must be a schema, but is an array")
		}
		if s.Items, err = decodeStructural(items, path+"items."); err != nil {
			return nil, err
		}
	}
	if props, ok := m["properties"].(map[string]any); ok && len(props) > 0 {
		s.Properties = make(map[string]structuralschema.Structural, len(props))
		for k, p := range props {
			ps, err := decodeStructural(p, path+"properties."+k+".")
			if err != nil {
				return nil, err
			}
			s.Properties[k] = *ps
		}
	}
	if ap, ok := m["additionalProperties"]; ok && ap != nil {
		if b, isBool := ap.(bool); isBool {
			s.AdditionalProperties = &structuralschema.StructuralOrBool{Bool: b}
		} else {
			aps, err := decodeStructural(ap, path+"additionalProperties.")
			if err != nil {
				return nil, err
			}
			s.AdditionalProperties = &structuralschema.StructuralOrBool{Structural: aps, Bool: true}
		}
	}
	return s, d.err
}

func (d *schemaDecoder) generic() structuralschema.Generic {
	g := structuralschema.Generic{Type: d.str("type"), Nullable: d.boolean("nullable")}
	if def := d.value("default"); def != nil {
		g.Default = structuralschema.JSON{Object: *def}
	}
	return g
}

func (d *schemaDecoder) extensions() structuralschema.Extensions {
	x := structuralschema.Extensions{
		XEmbeddedResource: d.boolean("x-kubernetes-embedded-resource"),
		XIntOrString:      d.boolean("x-kubernetes-int-or-string"),
		XListMapKeys:      d.strings("x-kubernetes-list-map-keys"),
		XListType:         d.strPtr("x-kubernetes-list-type"),
		XMapType:          d.strPtr("x-kubernetes-map-type"),
	}
	if p := d.boolPtr("x-kubernetes-preserve-unknown-fields"); p != nil {
		if !*p && d.err == nil {
			d.err = errors.New("internal error: 'x-kubernetes-preserve-unknown-fields' must be true or undefined")
		}
		x.XPreserveUnknownFields = *p
	}
	return x
}

func (d *schemaDecoder) v1Rules(key string) apiextv1.ValidationRules {
	rules := d.rules(key)
	if len(rules) == 0 {
		return nil
	}
	out := make(apiextv1.ValidationRules, len(rules))
	for i, r := range rules {
		out[i] = apiextv1.ValidationRule{Rule: r.Rule, Message: r.Message, MessageExpression: r.MessageExpression,
			FieldPath: r.FieldPath, OptionalOldSelf: r.OptionalOldSelf}
		if r.Reason != nil {
			reason := apiextv1.FieldValueErrorReason(*r.Reason)
			out[i].Reason = &reason
		}
	}
	return out
}

func (d *schemaDecoder) valueValidation() (*structuralschema.ValueValidation, error) {
	vv := &structuralschema.ValueValidation{
		Format:           d.str("format"),
		Maximum:          d.float("maximum"),
		ExclusiveMaximum: d.boolean("exclusiveMaximum"),
		Minimum:          d.float("minimum"),
		ExclusiveMinimum: d.boolean("exclusiveMinimum"),
		MaxLength:        d.integer("maxLength"),
		MinLength:        d.integer("minLength"),
		Pattern:          d.str("pattern"),
		MaxItems:         d.integer("maxItems"),
		MinItems:         d.integer("minItems"),
		UniqueItems:      d.boolean("uniqueItems"),
		MultipleOf:       d.float("multipleOf"),
		MaxProperties:    d.integer("maxProperties"),
		MinProperties:    d.integer("minProperties"),
		Required:         d.strings("required"),
	}
	if enum, ok := d.m["enum"].([]any); ok {
		for _, e := range enum {
			n, err := normalize(e)
			if err != nil {
				return nil, fmt.Errorf("schema field %senum: %w", d.path, err)
			}
			vv.Enum = append(vv.Enum, structuralschema.JSON{Object: n})
		}
	}
	var err error
	for _, key := range []string{"allOf", "anyOf", "oneOf"} {
		list, ok := d.m[key].([]any)
		if !ok {
			continue
		}
		clauses := make([]structuralschema.NestedValueValidation, len(list))
		for i, x := range list {
			n, err := decodeNested(x, fmt.Sprintf("%s%s[%d].", d.path, key, i))
			if err != nil {
				return nil, err
			}
			clauses[i] = *n
		}
		switch key {
		case "allOf":
			vv.AllOf = clauses
		case "anyOf":
			vv.AnyOf = clauses
		case "oneOf":
			vv.OneOf = clauses
		}
	}
	if not, ok := d.m["not"]; ok && not != nil {
		if vv.Not, err = decodeNested(not, d.path+"not."); err != nil {
			return nil, err
		}
	}
	return vv, d.err
}

// decodeNested builds a value validation inside allOf, anyOf, oneOf or not, as
// newNestedValueValidation does: types and extensions there are kept as "forbidden" so that
// structural validation could report them.
func decodeNested(v any, path string) (*structuralschema.NestedValueValidation, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s must be an object", trimPath(path))
	}
	d := &schemaDecoder{m: m, path: path}
	if err := checkSupported(d); err != nil {
		return nil, err
	}
	vv, err := d.valueValidation()
	if err != nil {
		return nil, err
	}
	n := &structuralschema.NestedValueValidation{
		ValueValidation:      *vv,
		ValidationExtensions: structuralschema.ValidationExtensions{XValidations: d.v1Rules("x-kubernetes-validations")},
		ForbiddenGenerics:    d.generic(),
		ForbiddenExtensions:  d.extensions(),
	}
	if items, ok := m["items"]; ok && items != nil {
		if _, isList := items.([]any); isList {
			return nil, errors.New("OpenAPIV3Schema 'items' must be a schema, but is an array")
		}
		if n.Items, err = decodeNested(items, path+"items."); err != nil {
			return nil, err
		}
	}
	if props, ok := m["properties"].(map[string]any); ok {
		n.Properties = make(map[string]structuralschema.NestedValueValidation, len(props))
		for k, p := range props {
			pn, err := decodeNested(p, path+"properties."+k+".")
			if err != nil {
				return nil, err
			}
			n.Properties[k] = *pn
		}
	}
	if ap, ok := m["additionalProperties"]; ok && ap != nil {
		if b, isBool := ap.(bool); isBool {
			if b {
				n.AdditionalProperties = &structuralschema.NestedValueValidation{}
			}
		} else if n.AdditionalProperties, err = decodeNested(ap, path+"additionalProperties."); err != nil {
			return nil, err
		}
	}
	return n, d.err
}

// ignoreStructuralStatus is ignoreStatus for a structural schema.
func ignoreStructuralStatus(root *structuralschema.Structural) {
	if _, ok := root.Properties["status"]; !ok {
		return
	}
	props := make(map[string]structuralschema.Structural, len(root.Properties))
	for k, p := range root.Properties {
		props[k] = p
	}
	props["status"] = structuralschema.Structural{
		Generic:         structuralschema.Generic{Type: "object"},
		Extensions:      structuralschema.Extensions{XPreserveUnknownFields: true},
		ValueValidation: &structuralschema.ValueValidation{},
	}
	root.Properties = props
}

// dropStructuralTransitionRules is dropTransitionRules for a structural schema.
func dropStructuralTransitionRules(s *structuralschema.Structural) {
	if s == nil {
		return
	}
	s.XValidations = withoutTransitionRules(s.XValidations)
	for k, p := range s.Properties {
		dropStructuralTransitionRules(&p)
		s.Properties[k] = p
	}
	dropStructuralTransitionRules(s.Items)
	if s.AdditionalProperties != nil {
		dropStructuralTransitionRules(s.AdditionalProperties.Structural)
	}
}

func withoutTransitionRules(rules apiextv1.ValidationRules) apiextv1.ValidationRules {
	if len(rules) == 0 {
		return rules
	}
	kept := rules[:0]
	for _, r := range rules {
		if oldSelfRef.MatchString(r.Rule) && (r.OptionalOldSelf == nil || !*r.OptionalOldSelf) {
			continue
		}
		kept = append(kept, r)
	}
	return kept
}
