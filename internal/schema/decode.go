package schema

import (
	"bytes"
	"encoding/json"
	"fmt"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
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

func trimPath(p string) string {
	if len(p) > 0 && p[len(p)-1] == '.' {
		return p[:len(p)-1]
	}
	if p == "" {
		return "(root)"
	}
	return p
}
