package finding

// Rule is one entry of a rule catalogue: what a finding id means. Its JSON
// form is part of `kforge policy list --json` and of the JSON report; the
// keys are always present.
type Rule struct {
	// ID is the stable id findings carry, e.g. KF-CANARY-001, KF-SCHEMA-001;
	// policy rules without an id in their METADATA use "<package>.<rule>",
	// e.g. main.deny_latest.
	ID string `json:"id"`
	// Severity is the rule's default severity.
	Severity Severity `json:"severity"`
	// Title and Description say what the rule checks and why; empty strings
	// when unset.
	Title       string `json:"title"`
	Description string `json:"description"`
	// Package says where the rule comes from: the Rego package without the
	// data. prefix (kforge.canary), or the checks built into kforge (schema,
	// golden).
	Package string `json:"package"`
	// File and Line locate the rule's definition (its first Rego body),
	// repository-relative; empty and 0 for rules built into kforge.
	File string `json:"file"`
	Line int    `json:"line"`
	// Style is the kind of rule: kforge or conftest for policies, schema or
	// golden for the built-in checks.
	Style string `json:"style"`
}
