package schema

import (
	"encoding/json"
	"fmt"
	"strings"
)

// quantityFormat marks the nodes of a built-in schema that hold a resource.Quantity. It is not an
// OpenAPI format: the schema validator drops it, and checkNumbers parses those values.
const quantityFormat = "k8s-quantity"

const (
	componentsPrefix = "#/components/schemas/"
	quantitySchema   = "io.k8s.apimachinery.pkg.api.resource.Quantity"
	intOrStringName  = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
	objectMetaSchema = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
)

// openAPIDoc is one Kubernetes OpenAPI v3 document (one API group version), parsed lazily: the
// component schemas stay raw JSON until a kind needs them.
type openAPIDoc struct {
	schemas map[string]json.RawMessage
	// kinds maps a kind of the document's group version to its component schema name.
	kinds map[string]string
}

// parseOpenAPIDoc reads the component schemas of a document; kinds indexes the kinds of its group
// version (recorded by the generator).
func parseOpenAPIDoc(data []byte, kinds map[string]string) (*openAPIDoc, error) {
	var doc struct {
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	return &openAPIDoc{schemas: doc.Components.Schemas, kinds: kinds}, nil
}

// resolver turns a component schema with $refs into one self-contained schema, the form the
// structural schema machinery of CustomResourceDefinitions needs. It works on decoded JSON:
// shared definitions are resolved once and shared (nothing changes them afterwards); a
// definition that refers to itself (JSONSchemaProps) is cut at the repetition and accepts
// anything there.
type resolver struct {
	doc      *openAPIDoc
	memo     map[string]map[string]any
	visiting map[string]bool
}

func newResolver(doc *openAPIDoc) *resolver {
	return &resolver{doc: doc, memo: map[string]map[string]any{}, visiting: map[string]bool{}}
}

// preserveObject accepts any object.
func preserveObject() map[string]any {
	return map[string]any{"type": "object", "x-kubernetes-preserve-unknown-fields": true}
}

// named resolves the component schema name.
func (r *resolver) named(name string) (map[string]any, error) {
	if s, ok := r.memo[name]; ok {
		return s, nil
	}
	switch name {
	case quantitySchema:
		// string or number: a quantity is parsed, not matched against a type.
		return map[string]any{"format": quantityFormat}, nil
	case intOrStringName:
		return map[string]any{
			"x-kubernetes-int-or-string": true,
			"anyOf":                      []any{map[string]any{"type": "integer"}, map[string]any{"type": "string"}},
		}, nil
	}
	m, err := r.raw(name)
	if err != nil {
		return nil, err
	}
	if r.visiting[name] {
		// A recursive definition: accept anything below this point.
		cut := map[string]any{"x-kubernetes-preserve-unknown-fields": true}
		if t, ok := m["type"]; ok {
			cut["type"] = t
		}
		return cut, nil
	}
	r.visiting[name] = true
	out, err := r.resolve(m)
	delete(r.visiting, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r.memo[name] = out
	return out, nil
}

// raw decodes the component schema name.
func (r *resolver) raw(name string) (map[string]any, error) {
	raw, ok := r.doc.schemas[name]
	if !ok {
		return nil, fmt.Errorf("reference to unknown schema %s", name)
	}
	v, err := decodeJSONValue(raw)
	if err != nil {
		return nil, fmt.Errorf("decode schema %s: %w", name, err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("schema %s is not an object", name)
	}
	return m, nil
}

// resolve inlines the references of s and its children into a new schema.
func (r *resolver) resolve(s map[string]any) (map[string]any, error) {
	if ref, ok := s["$ref"].(string); ok {
		return r.ref(ref)
	}
	// {allOf: [{$ref}], description, default}: the wrapper the generator uses to describe a field
	// of a named type. Built-in defaults are applied by Go code in the API server, not from the
	// schema, so the wrapper's default is dropped with it.
	if allOf, ok := s["allOf"].([]any); ok && len(allOf) == 1 && s["type"] == nil && s["properties"] == nil {
		if only, ok := allOf[0].(map[string]any); ok {
			if ref, ok := only["$ref"].(string); ok {
				return r.ref(ref)
			}
		}
	}
	for _, k := range []string{"allOf", "anyOf", "oneOf", "not"} {
		if _, ok := s[k]; ok {
			return nil, fmt.Errorf("unsupported schema combinator %s", k)
		}
	}
	out := make(map[string]any, len(s))
	for k, v := range s {
		switch k {
		case "default", "description", "x-kubernetes-group-version-kind", "x-kubernetes-patch-merge-key",
			"x-kubernetes-patch-strategy", "x-kubernetes-unions":
			// Go defaulting, not schema defaulting, applies to built-in kinds; the rest is
			// documentation and merge strategy.
		case "properties":
			props, _ := v.(map[string]any)
			resolved := make(map[string]any, len(props))
			for name, p := range props {
				pm, ok := p.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("property %s is not a schema", name)
				}
				rp, err := r.resolve(pm)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				resolved[name] = rp
			}
			out[k] = resolved
		case "items", "additionalProperties":
			if sub, ok := v.(map[string]any); ok {
				rs, err := r.resolve(sub)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", k, err)
				}
				out[k] = rs
			} else {
				out[k] = v
			}
		default:
			out[k] = v
		}
	}
	// An object with no declared fields (RawExtension, FieldsV1) holds arbitrary JSON.
	if out["type"] == "object" && out["properties"] == nil && out["additionalProperties"] == nil {
		out["x-kubernetes-preserve-unknown-fields"] = true
	}
	return out, nil
}

func (r *resolver) ref(ref string) (map[string]any, error) {
	name, ok := strings.CutPrefix(ref, componentsPrefix)
	if !ok {
		return nil, fmt.Errorf("unsupported reference %q", ref)
	}
	return r.named(name)
}

// kindSchema returns the self-contained schema of a kind of the document. The root metadata is
// checked on its own (checkMetadata), so here it only has to be an object; the status is reset
// by the API server (the status subresource), so it is not checked.
func (r *resolver) kindSchema(kind string) (map[string]any, error) {
	name, ok := r.doc.kinds[kind]
	if !ok {
		return nil, fmt.Errorf("no schema for kind %s", kind)
	}
	root, err := r.raw(name)
	if err != nil {
		return nil, err
	}
	props, _ := root["properties"].(map[string]any)
	trimmed := make(map[string]any, len(root))
	for k, v := range root {
		trimmed[k] = v
	}
	resolvedProps := make(map[string]any, len(props))
	for k, p := range props {
		switch k {
		case "metadata", "status":
			resolvedProps[k] = preserveObject()
			continue
		}
		pm, ok := p.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: property %s is not a schema", name, k)
		}
		rp, err := r.resolve(pm)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", name, k, err)
		}
		resolvedProps[k] = rp
	}
	delete(trimmed, "properties")
	out, err := r.resolve(trimmed)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	out["properties"] = resolvedProps
	delete(out, "x-kubernetes-preserve-unknown-fields")
	return out, nil
}

// splitGroupVersion splits "apps/v1" into "apps" and "v1", and "v1" into "" and "v1".
func splitGroupVersion(gv string) (group, version string) {
	if g, v, ok := strings.Cut(gv, "/"); ok {
		return g, v
	}
	return "", gv
}
