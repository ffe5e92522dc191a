package finding

import "strconv"

// Location is a place in a repository file.
type Location struct {
	// File is repository-relative, with forward slashes.
	File string `json:"file,omitempty"`
	// Line and Column are 1-based; 0 when unknown.
	Line   int `json:"line,omitempty"`
	Column int `json:"column,omitempty"`
	// Message says what a related location is, e.g. "set at" for the Jsonnet line that set
	// the value a finding is about.
	Message string `json:"message,omitempty"`
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
