package finding

import (
	"cmp"
	"slices"
)

// Finding is one outcome of a run: a rule that an environment's output (or
// its golden directory) breaks.
type Finding struct {
	// RuleID is the id of the [Rule] the finding belongs to.
	RuleID string `json:"ruleId"`
	// Severity is the finding's severity, usually its rule's.
	Severity Severity `json:"severity"`
	// Title is the rule's title.
	Title string `json:"title,omitempty"`
	// Message says what is wrong and, where it can, how to fix it.
	Message string `json:"message"`
	// Environment is the name of the environment the finding belongs to.
	Environment string `json:"environment"`
	// Resource is the object the finding is about; empty when it is about the
	// environment (or a file) as a whole.
	Resource ResourceRef `json:"resource"`
	// File is where the resource comes from (its golden file), or the
	// environment's entrypoint; repository-relative, may be empty. Line and
	// Column narrow it down when known (1-based, 0 when unknown).
	File   string `json:"file,omitempty"`
	Line   int    `json:"line,omitempty"`
	Column int    `json:"column,omitempty"`
	// Source is what the rule was checked with: the repository-relative .rego
	// file of a policy, or the schema a structural check used.
	Source string `json:"source"`
	// Related are further places that explain the finding, such as the
	// Jsonnet lines that produced a value.
	Related []Location `json:"related,omitempty"`
	// FieldPath is the field of Resource the finding is about, as reports write paths
	// ("spec.http[0].route[1].weight"); empty when the finding names no field. The pipeline
	// turns it into Line and Column in the resource's golden file.
	FieldPath string `json:"fieldPath,omitempty"`
	// Environments are the environments an outcome affects when one finding stands for the
	// same outcome in several of them (an evaluation error in a shared library, a policy that
	// does not compile), sorted; empty when it is about Environment alone.
	Environments []string `json:"environments,omitempty"`
}

// Location is where the finding points: File, Line and Column.
func (f Finding) Location() Location {
	return Location{File: f.File, Line: f.Line, Column: f.Column}
}

// Equal reports whether a and b are the same finding, field for field.
func Equal(a, b Finding) bool {
	return Compare(a, b) == 0 && a.Severity == b.Severity && a.Title == b.Title && slices.Equal(a.Related, b.Related) &&
		slices.Equal(a.Environments, b.Environments)
}

// Compare is the order reports list findings in: by severity (most severe
// first), rule, environment, resource (namespace, kind, name, apiVersion),
// message, location and source.
func Compare(a, b Finding) int {
	return cmp.Or(
		CompareSeverity(a.Severity, b.Severity),
		cmp.Compare(a.RuleID, b.RuleID),
		cmp.Compare(a.Environment, b.Environment),
		cmp.Compare(a.Resource.Namespace, b.Resource.Namespace),
		cmp.Compare(a.Resource.Kind, b.Resource.Kind),
		cmp.Compare(a.Resource.Name, b.Resource.Name),
		cmp.Compare(a.Resource.APIVersion, b.Resource.APIVersion),
		cmp.Compare(a.Message, b.Message),
		cmp.Compare(a.File, b.File),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Source, b.Source),
	)
}

// Sort orders findings by [Compare]; equal findings keep their order.
func Sort(fs []Finding) {
	slices.SortStableFunc(fs, Compare)
}
