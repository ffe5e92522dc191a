package schema

import (
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
)

// ignoreStructuralStatus accepts any status: with the status subresource, as for built-in
// kinds, the API server resets the status a client sends when it creates or updates the object,
// so a rendered status is never checked (and the often large status schema is not built).
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
