package finding

import "strconv"

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

// Location is a place in a repository file.
type Location struct {
	// File is repository-relative, with forward slashes.
	File string `json:"file,omitempty"`
	// Line and Column are 1-based; 0 when unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
}

// String renders "file", "file:line" or "file:line:column", as far as known.
func (l Location) String() string {
	switch {
	case l.Line == 0:
		return l.File
	case l.Column == 0:
		return l.File + ":" + strconv.Itoa(l.Line)
	}
	return l.File + ":" + strconv.Itoa(l.Line) + ":" + strconv.Itoa(l.Column)
}
