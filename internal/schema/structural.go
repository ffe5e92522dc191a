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

// node is a structural schema with pointers to its children, built once per kind: the walks over
// objects follow it without copying a Structural out of a Properties map at every field.
type node struct {
	*structuralschema.Structural
	props      map[string]*node
	items      *node
	additional *node
	// lists is true when the node or a node below it is a list-type set or map.
	lists bool
}

func newNode(s *structuralschema.Structural) *node {
	if s == nil {
		return nil
	}
	n := &node{Structural: s, items: newNode(s.Items)}
	if len(s.Properties) > 0 {
		n.props = make(map[string]*node, len(s.Properties))
		for k := range s.Properties {
			p := s.Properties[k]
			n.props[k] = newNode(&p)
		}
	}
	if s.AdditionalProperties != nil {
		n.additional = newNode(s.AdditionalProperties.Structural)
	}
	n.lists = s.XListType != nil && (*s.XListType == "set" || *s.XListType == "map")
	for _, c := range n.props {
		n.lists = n.lists || c.lists
	}
	for _, c := range []*node{n.items, n.additional} {
		n.lists = n.lists || (c != nil && c.lists)
	}
	return n
}

// child is the node of property k: its own schema, else additionalProperties'; nil when the
// schema has neither.
func (n *node) child(k string) *node {
	if c := n.props[k]; c != nil {
		return c
	}
	return n.additional
}
