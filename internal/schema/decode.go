package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
)

// decodeSchemaJSON decodes a JSON schema straight into the API server's internal form. It does
// in one pass what decoding into the versioned (v1) type and converting would do in two, the
// first of which decodes every nested items and additionalProperties schema once more per level.
func decodeSchemaJSON(data []byte) (*apiextensions.JSONSchemaProps, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	s, err := decodeSchema(v, "")
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// schemaDecoder reads the fields of one schema object.
type schemaDecoder struct {
	m    map[string]any
	path string
	err  error
}

func (d *schemaDecoder) fail(key, want string) {
	if d.err == nil {
		d.err = fmt.Errorf("schema field %s%s must be %s", d.path, key, want)
	}
}

func (d *schemaDecoder) str(key string) string {
	v, ok := d.m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.fail(key, "a string")
	}
	return s
}

func (d *schemaDecoder) strPtr(key string) *string {
	if _, ok := d.m[key]; !ok {
		return nil
	}
	s := d.str(key)
	return &s
}

func (d *schemaDecoder) boolean(key string) bool {
	v, ok := d.m[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		d.fail(key, "a boolean")
	}
	return b
}

func (d *schemaDecoder) boolPtr(key string) *bool {
	if _, ok := d.m[key]; !ok {
		return nil
	}
	b := d.boolean(key)
	return &b
}

func (d *schemaDecoder) float(key string) *float64 {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	n, ok := v.(json.Number)
	if !ok {
		d.fail(key, "a number")
		return nil
	}
	f, err := n.Float64()
	if err != nil {
		d.fail(key, "a number")
	}
	return &f
}

func (d *schemaDecoder) integer(key string) *int64 {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	n, ok := v.(json.Number)
	if !ok {
		d.fail(key, "an integer")
		return nil
	}
	i, err := n.Int64()
	if err != nil {
		d.fail(key, "an integer")
	}
	return &i
}

func (d *schemaDecoder) strings(key string) []string {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.fail(key, "a list of strings")
		return nil
	}
	out := make([]string, len(l))
	for i, x := range l {
		s, ok := x.(string)
		if !ok {
			d.fail(key, "a list of strings")
		}
		out[i] = s
	}
	return out
}

// value returns a JSON value (default, example) with numbers as int64 or float64.
func (d *schemaDecoder) value(key string) *apiextensions.JSON {
	v, ok := d.m[key]
	if !ok {
		return nil
	}
	n, err := normalize(v)
	if err != nil {
		d.fail(key, "JSON")
	}
	j := apiextensions.JSON(n)
	return &j
}

func (d *schemaDecoder) schema(key string) *apiextensions.JSONSchemaProps {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	s, err := decodeSchema(v, d.path+key+".")
	if err != nil && d.err == nil {
		d.err = err
	}
	return &s
}

func (d *schemaDecoder) schemaList(key string) []apiextensions.JSONSchemaProps {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.fail(key, "a list of schemas")
		return nil
	}
	out := make([]apiextensions.JSONSchemaProps, len(l))
	for i, x := range l {
		s, err := decodeSchema(x, fmt.Sprintf("%s%s[%d].", d.path, key, i))
		if err != nil && d.err == nil {
			d.err = err
		}
		out[i] = s
	}
	return out
}

func (d *schemaDecoder) schemaMap(key string) map[string]apiextensions.JSONSchemaProps {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		d.fail(key, "an object of schemas")
		return nil
	}
	out := make(map[string]apiextensions.JSONSchemaProps, len(m))
	for k, x := range m {
		s, err := decodeSchema(x, d.path+key+"."+k+".")
		if err != nil && d.err == nil {
			d.err = err
		}
		out[k] = s
	}
	return out
}

func (d *schemaDecoder) schemaOrBool(key string) *apiextensions.JSONSchemaPropsOrBool {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	if b, ok := v.(bool); ok {
		return &apiextensions.JSONSchemaPropsOrBool{Allows: b}
	}
	return &apiextensions.JSONSchemaPropsOrBool{Allows: true, Schema: d.schema(key)}
}

func (d *schemaDecoder) rules(key string) apiextensions.ValidationRules {
	v, ok := d.m[key]
	if !ok || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		d.fail(key, "a list of rules")
		return nil
	}
	out := make(apiextensions.ValidationRules, len(l))
	for i, x := range l {
		m, ok := x.(map[string]any)
		if !ok {
			d.fail(key, "a list of rules")
			return nil
		}
		r := &schemaDecoder{m: m, path: fmt.Sprintf("%s%s[%d].", d.path, key, i)}
		out[i] = apiextensions.ValidationRule{
			Rule: r.str("rule"), Message: r.str("message"), MessageExpression: r.str("messageExpression"),
			FieldPath: r.str("fieldPath"), OptionalOldSelf: r.boolPtr("optionalOldSelf"),
		}
		if reason := r.strPtr("reason"); reason != nil {
			fr := apiextensions.FieldValueErrorReason(*reason)
			out[i].Reason = &fr
		}
		if r.err != nil && d.err == nil {
			d.err = r.err
		}
	}
	return out
}

// decodeSchema converts one decoded JSON schema object. Keywords structural schemas reject
// (patternProperties, definitions, dependencies, additionalItems, $ref, id, $schema) are kept so
// that building the structural schema rejects them as the API server does.
func decodeSchema(v any, path string) (apiextensions.JSONSchemaProps, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("schema %s must be an object", trimPath(path))
	}
	d := &schemaDecoder{m: m, path: path}
	s := apiextensions.JSONSchemaProps{
		ID:                     d.str("id"),
		Schema:                 apiextensions.JSONSchemaURL(d.str("$schema")),
		Ref:                    d.strPtr("$ref"),
		Description:            d.str("description"),
		Type:                   d.str("type"),
		Nullable:               d.boolean("nullable"),
		Format:                 d.str("format"),
		Title:                  d.str("title"),
		Default:                d.value("default"),
		Maximum:                d.float("maximum"),
		ExclusiveMaximum:       d.boolean("exclusiveMaximum"),
		Minimum:                d.float("minimum"),
		ExclusiveMinimum:       d.boolean("exclusiveMinimum"),
		MaxLength:              d.integer("maxLength"),
		MinLength:              d.integer("minLength"),
		Pattern:                d.str("pattern"),
		MaxItems:               d.integer("maxItems"),
		MinItems:               d.integer("minItems"),
		UniqueItems:            d.boolean("uniqueItems"),
		MultipleOf:             d.float("multipleOf"),
		MaxProperties:          d.integer("maxProperties"),
		MinProperties:          d.integer("minProperties"),
		Required:               d.strings("required"),
		AllOf:                  d.schemaList("allOf"),
		OneOf:                  d.schemaList("oneOf"),
		AnyOf:                  d.schemaList("anyOf"),
		Not:                    d.schema("not"),
		Properties:             d.schemaMap("properties"),
		AdditionalProperties:   d.schemaOrBool("additionalProperties"),
		PatternProperties:      d.schemaMap("patternProperties"),
		AdditionalItems:        d.schemaOrBool("additionalItems"),
		Definitions:            d.schemaMap("definitions"),
		Example:                d.value("example"),
		XPreserveUnknownFields: d.boolPtr("x-kubernetes-preserve-unknown-fields"),
		XEmbeddedResource:      d.boolean("x-kubernetes-embedded-resource"),
		XIntOrString:           d.boolean("x-kubernetes-int-or-string"),
		XListMapKeys:           d.strings("x-kubernetes-list-map-keys"),
		XListType:              d.strPtr("x-kubernetes-list-type"),
		XMapType:               d.strPtr("x-kubernetes-map-type"),
		XValidations:           d.rules("x-kubernetes-validations"),
	}
	if enum, ok := m["enum"]; ok && enum != nil {
		l, ok := enum.([]any)
		if !ok {
			d.fail("enum", "a list")
		}
		for _, x := range l {
			n, err := normalize(x)
			if err != nil {
				d.fail("enum", "a list of JSON values")
			}
			s.Enum = append(s.Enum, n)
		}
	}
	if items, ok := m["items"]; ok && items != nil {
		if _, isList := items.([]any); isList {
			s.Items = &apiextensions.JSONSchemaPropsOrArray{JSONSchemas: d.schemaList("items")}
		} else {
			s.Items = &apiextensions.JSONSchemaPropsOrArray{Schema: d.schema("items")}
		}
	}
	if deps, ok := m["dependencies"].(map[string]any); ok && len(deps) > 0 {
		s.Dependencies = apiextensions.JSONSchemaDependencies{}
		keys := make([]string, 0, len(deps))
		for k := range deps {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			s.Dependencies[k] = apiextensions.JSONSchemaPropsOrStringArray{}
		}
	}
	return s, d.err
}

func trimPath(p string) string {
	if len(p) > 0 && p[len(p)-1] == '.' {
		return p[:len(p)-1]
	}
	if p == "" {
		return "(root)"
	}
	return p
}
