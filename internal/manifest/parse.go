package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// ParseYAML reads a stream of YAML documents (the output of `kforge render`, `helm template` or
// a golden file) into manifests, by the same rules as Extract: empty documents are skipped, Lists
// are unwrapped, every object needs apiVersion, kind and metadata.name, identical duplicates are kept once and
// differing ones rejected.
// No namespace or label is added. source names the input in errors ("golden/prod/x.yaml", "-").
// In errors from the extraction rules, the path ".[N]" is the document at index N (0-based).
func ParseYAML(data []byte, source string) ([]*Manifest, error) {
	docs, err := decodeYAMLStream(data, source)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(docs)
	if err != nil {
		return nil, fmt.Errorf("%s: encode documents: %w", source, err)
	}
	ms, err := Extract(out, Settings{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	return ms, nil
}

// decodeYAMLStream decodes every non-empty document of a YAML stream into JSON-compatible values
// (string-keyed maps, slices, strings, booleans, nil and json.Number).
func decodeYAMLStream(data []byte, source string) ([]any, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []any
	for index := 1; ; index++ {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, index, err)
		}
		var v any
		if err := node.Decode(&v); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", source, index, err)
		}
		if v == nil {
			continue
		}
		jv, err := jsonCompatible(v)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d (line %d): %w", source, index, node.Line, err)
		}
		docs = append(docs, jv)
	}
}

// jsonCompatible converts a value decoded by yaml.v3 into the shapes encoding/json produces
// with UseNumber.
func jsonCompatible(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k, err)
			}
			t[k] = c
		}
		return t, nil
	case []any:
		for i, e := range t {
			c, err := jsonCompatible(e)
			if err != nil {
				return nil, fmt.Errorf("[%d]: %w", i, err)
			}
			t[i] = c
		}
		return t, nil
	case map[any]any:
		return nil, errors.New("a mapping key is not a string")
	case int:
		return json.Number(strconv.Itoa(t)), nil
	case int64:
		return json.Number(strconv.FormatInt(t, 10)), nil
	case uint64:
		return json.Number(strconv.FormatUint(t, 10)), nil
	case float64:
		if math.IsInf(t, 0) || math.IsNaN(t) {
			return nil, fmt.Errorf("%v is not a JSON number", t)
		}
		return json.Number(strconv.FormatFloat(t, 'g', -1, 64)), nil
	case string, bool, nil:
		return t, nil
	default:
		return nil, fmt.Errorf("unsupported YAML value of type %T (timestamps and binary must be quoted)", v)
	}
}
