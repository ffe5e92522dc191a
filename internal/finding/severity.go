package finding

import "cmp"

// Severity is how much a finding matters: [SeverityError], [SeverityWarning]
// or [SeverityInfo]. Its text is what reports and rule metadata spell.
type Severity string

// The severities, most severe first.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	SeverityInfo    Severity = "info"
)

// Valid reports whether s is one of the three severities.
func (s Severity) Valid() bool {
	return s == SeverityError || s == SeverityWarning || s == SeverityInfo
}

// Rank orders severities, most severe first: error 0, warning 1, info 2,
// anything else 3.
func (s Severity) Rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	case SeverityInfo:
		return 2
	}
	return 3
}

// CompareSeverity orders a before b when a is more severe (by [Severity.Rank]).
func CompareSeverity(a, b Severity) int {
	return cmp.Compare(a.Rank(), b.Rank())
}
