package helm

import (
	"bytes"
	"fmt"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

// keyObjects names every object with the text/template nameFormat (sprig functions
// available) and returns them by name, converted to JSON values. Two objects with the same
// name are an error, as in Tanka.
func keyObjects(objs []map[string]any, nameFormat string) (map[string]any, error) {
	if nameFormat == "" {
		nameFormat = DefaultNameFormat
	}
	tmpl, err := template.New("").Funcs(sprig.TxtFuncMap()).Parse(nameFormat)
	if err != nil {
		return nil, fmt.Errorf("parsing name format: %w", err)
	}
	out := make(map[string]any, len(objs))
	for _, m := range objs {
		var buf bytes.Buffer
		if err := tmpl.Execute(&buf, m); err != nil {
			return nil, fmt.Errorf("name format: %w", err)
		}
		name := buf.String()
		if _, ok := out[name]; ok {
			return nil, fmt.Errorf("two resources share the same name '%s': adapt the name format '%s'", name, nameFormat)
		}
		v, err := jsonValue(m)
		if err != nil {
			return nil, fmt.Errorf("object %s: %w", name, err)
		}
		out[name] = v
	}
	return out, nil
}

// jsonValue converts a value decoded from YAML into the types go-jsonnet takes from a
// native function (numbers as float64, objects with string keys).
func jsonValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return x, nil
	case int:
		return float64(x), nil
	case int64:
		return float64(x), nil
	case uint64:
		return float64(x), nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			c, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	default:
		return nil, fmt.Errorf("a value of YAML type %T has no JSON form (a mapping with keys that are not strings?)", v)
	}
}
