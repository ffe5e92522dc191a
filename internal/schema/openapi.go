package schema

import (
	"encoding/json"
	"fmt"
	"strings"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
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
// structural schema machinery of CustomResourceDefinitions needs. Shared definitions are resolved
// once; a definition that refers to itself (JSONSchemaProps) is cut at the repetition and accepts
// anything there.
type resolver struct {
	doc      *openAPIDoc
	memo     map[string]apiextensions.JSONSchemaProps
	visiting map[string]bool
}

func newResolver(doc *openAPIDoc) *resolver {
	return &resolver{doc: doc, memo: map[string]apiextensions.JSONSchemaProps{}, visiting: map[string]bool{}}
}

// named resolves the component schema name.
func (r *resolver) named(name string) (apiextensions.JSONSchemaProps, error) {
	if s, ok := r.memo[name]; ok {
		return s, nil
	}
	switch name {
	case quantitySchema:
		// string or number: a quantity is parsed, not matched against a type.
		return apiextensions.JSONSchemaProps{Format: quantityFormat}, nil
	case intOrStringName:
		return apiextensions.JSONSchemaProps{
			XIntOrString: true,
			AnyOf:        []apiextensions.JSONSchemaProps{{Type: "integer"}, {Type: "string"}},
		}, nil
	}
	raw, ok := r.doc.schemas[name]
	if !ok {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("reference to unknown schema %s", name)
	}
	ps, err := decodeSchemaJSON(raw)
	if err != nil {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("decode schema %s: %w", name, err)
	}
	s := *ps
	if r.visiting[name] {
		// A recursive definition: accept anything below this point.
		return apiextensions.JSONSchemaProps{Type: s.Type, XPreserveUnknownFields: ptrTrue()}, nil
	}
	r.visiting[name] = true
	out, err := r.resolve(s)
	delete(r.visiting, name)
	if err != nil {
		return out, fmt.Errorf("%s: %w", name, err)
	}
	r.memo[name] = out
	return out, nil
}

// resolve inlines the references of s and its children.
func (r *resolver) resolve(s apiextensions.JSONSchemaProps) (apiextensions.JSONSchemaProps, error) {
	if s.Ref != nil {
		return r.ref(*s.Ref)
	}
	// {allOf: [{$ref}], description, default}: the wrapper the generator uses to describe a field
	// of a named type. Built-in defaults are applied by Go code in the API server, not from the
	// schema, so the wrapper's default is dropped with it.
	if len(s.AllOf) == 1 && s.AllOf[0].Ref != nil && s.Type == "" && len(s.Properties) == 0 {
		return r.ref(*s.AllOf[0].Ref)
	}
	if len(s.AllOf)+len(s.OneOf)+len(s.AnyOf) > 0 || s.Not != nil {
		return s, fmt.Errorf("unsupported schema combinator in %q", s.Description)
	}
	out := s
	out.Default = nil // see above: Go defaulting, not schema defaulting, applies to built-in kinds
	if len(s.Properties) > 0 {
		out.Properties = make(map[string]apiextensions.JSONSchemaProps, len(s.Properties))
		for k, p := range s.Properties {
			rp, err := r.resolve(p)
			if err != nil {
				return out, fmt.Errorf("%s: %w", k, err)
			}
			out.Properties[k] = rp
		}
	}
	if s.Items != nil && s.Items.Schema != nil {
		it, err := r.resolve(*s.Items.Schema)
		if err != nil {
			return out, fmt.Errorf("items: %w", err)
		}
		out.Items = &apiextensions.JSONSchemaPropsOrArray{Schema: &it}
	}
	if s.AdditionalProperties != nil && s.AdditionalProperties.Schema != nil {
		ap, err := r.resolve(*s.AdditionalProperties.Schema)
		if err != nil {
			return out, fmt.Errorf("additionalProperties: %w", err)
		}
		out.AdditionalProperties = &apiextensions.JSONSchemaPropsOrBool{Allows: true, Schema: &ap}
	}
	// An object with no declared fields (RawExtension, FieldsV1) holds arbitrary JSON.
	if s.Type == "object" && len(s.Properties) == 0 && s.AdditionalProperties == nil {
		out.XPreserveUnknownFields = ptrTrue()
	}
	return out, nil
}

func (r *resolver) ref(ref string) (apiextensions.JSONSchemaProps, error) {
	name, ok := strings.CutPrefix(ref, componentsPrefix)
	if !ok {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("unsupported reference %q", ref)
	}
	return r.named(name)
}

// kindSchema returns the self-contained schema of a kind of the document. The root metadata is
// checked on its own (checkMetadata), so here it only has to be an object; the status is reset
// by the API server (the status subresource), so it is not checked.
func (r *resolver) kindSchema(kind string) (apiextensions.JSONSchemaProps, error) {
	name, ok := r.doc.kinds[kind]
	if !ok {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("no schema for kind %s", kind)
	}
	raw, ok := r.doc.schemas[name]
	if !ok {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("reference to unknown schema %s", name)
	}
	ps, err := decodeSchemaJSON(raw)
	if err != nil {
		return apiextensions.JSONSchemaProps{}, fmt.Errorf("decode schema %s: %w", name, err)
	}
	root := *ps
	props := make(map[string]apiextensions.JSONSchemaProps, len(root.Properties))
	for k, p := range root.Properties {
		switch k {
		case "metadata", "status":
			props[k] = apiextensions.JSONSchemaProps{Type: "object", XPreserveUnknownFields: ptrTrue()}
			continue
		}
		rp, err := r.resolve(p)
		if err != nil {
			return root, fmt.Errorf("%s: %s: %w", name, k, err)
		}
		props[k] = rp
	}
	root.Properties = props
	return root, nil
}

func ptrTrue() *bool {
	t := true
	return &t
}

// splitGroupVersion splits "apps/v1" into "apps" and "v1", and "v1" into "" and "v1".
func splitGroupVersion(gv string) (group, version string) {
	if g, v, ok := strings.Cut(gv, "/"); ok {
		return g, v
	}
	return "", gv
}
