package finding

// ResourceRef identifies the Kubernetes object a finding is about.
type ResourceRef struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// IsZero reports whether r names no object.
func (r ResourceRef) IsZero() bool { return r == ResourceRef{} }

// String renders "Kind namespace/name", or "Kind name" when cluster-scoped,
// or "" for an empty reference.
func (r ResourceRef) String() string {
	switch {
	case r.IsZero():
		return ""
	case r.Namespace == "":
		return r.Kind + " " + r.Name
	}
	return r.Kind + " " + r.Namespace + "/" + r.Name
}
