package policy

import (
	"bytes"
	"encoding/json"

	"github.com/open-policy-agent/opa/v1/ast"
	sigsyaml "sigs.k8s.io/yaml"
)

// configDocs parses the configuration files embedded in ConfigMaps: for every string value of a
// ConfigMap's data that is valid YAML holding a mapping, {"index": <resource index>, "key": <data
// key>, "doc": <the mapping>}. Policies read them as input.config_docs (lib.config_docs) instead
// of parsing each text twice in Rego, with yaml.is_valid and yaml.unmarshal, which took a third
// of the policy time on a repository whose services each carry a config file. The parse is
// OPA's own: YAML to JSON with sigs.k8s.io/yaml, numbers kept exact, so the documents are the
// values yaml.unmarshal gives.
func configDocs(resources []map[string]any) []*ast.Term {
	var out []*ast.Term
	for i, obj := range resources {
		if kind, _ := obj["kind"].(string); kind != "ConfigMap" {
			continue
		}
		data, _ := obj["data"].(map[string]any)
		for key, v := range data {
			text, ok := v.(string)
			if !ok {
				continue
			}
			doc, ok := yamlObject(text)
			if !ok {
				continue
			}
			out = append(out, ast.ObjectTerm(
				ast.Item(ast.StringTerm("index"), ast.IntNumberTerm(i)),
				ast.Item(ast.StringTerm("key"), ast.StringTerm(key)),
				ast.Item(ast.StringTerm("doc"), ast.NewTerm(doc)),
			))
		}
	}
	return out
}

// yamlObject parses text the way Rego's yaml.unmarshal does and returns it when it is an
// object.
func yamlObject(text string) (ast.Value, bool) {
	js, err := sigsyaml.YAMLToJSON([]byte(text))
	if err != nil {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, ok := v.(map[string]any); !ok {
		return nil, false
	}
	value, err := ast.InterfaceToValue(v)
	if err != nil {
		return nil, false
	}
	return value, true
}
