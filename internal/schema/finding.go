package schema

import "github.com/kforge/kforge/internal/finding"

// Rule ids of schema findings. They are stable: reports, SARIF rule descriptors and suppressions
// refer to them.
const (
	// RuleUnknownField: a field the schema does not define (a typo such as spec.replica).
	RuleUnknownField = "KF-SCHEMA-001"
	// RuleWrongType: a value of the wrong JSON type (replicas: "three", containerPort: http).
	RuleWrongType = "KF-SCHEMA-002"
	// RuleRequired: a required field is missing.
	RuleRequired = "KF-SCHEMA-003"
	// RuleInvalidValue: a value breaks an enum, pattern, format, length or range constraint, or
	// object metadata is malformed (name, labels, annotations).
	RuleInvalidValue = "KF-SCHEMA-004"
	// RuleCEL: a CEL rule (x-kubernetes-validations) of the schema failed.
	RuleCEL = "KF-SCHEMA-005"
	// RuleDuplicate: two entries of a list-type map share their key (two containers named app),
	// a list-type set holds the same value twice, or (DuplicateFields) a document sets one field
	// twice in the same object.
	RuleDuplicate = "KF-SCHEMA-006"
	// RuleNoSchema: no schema is known for the object's kind; a warning, an error when strict.
	RuleNoSchema = "KF-SCHEMA-007"
	// RuleQuantity: a malformed quantity (cpu: 1 core) or an integer out of its format's range.
	RuleQuantity = "KF-SCHEMA-008"
	// RuleNotServed: the kind is known, but not in this apiVersion (a removed or mistyped
	// version, a version the CustomResourceDefinition does not serve, or a kind a built-in group
	// does not have).
	RuleNotServed = "KF-SCHEMA-009"
	// RuleDeprecated: the CustomResourceDefinition marks the object's version deprecated.
	RuleDeprecated = "KF-SCHEMA-010"
)

// Rules returns the catalogue of schema finding ids, in id order. RuleNoSchema's severity is its
// default; it becomes an error with Options.Strict.
func Rules() []finding.Rule {
	rule := func(id string, severity finding.Severity, title, description string) finding.Rule {
		return finding.Rule{ID: id, Severity: severity, Title: title, Description: description, Package: "schema", Style: "schema"}
	}
	return []finding.Rule{
		rule(RuleUnknownField, finding.SeverityError, "Unknown field", "The object has a field its schema does not define; the API server rejects it (strict field validation) or drops it silently."),
		rule(RuleWrongType, finding.SeverityError, "Wrong type", "A value has the wrong JSON type for its field, such as a string where an integer is expected."),
		rule(RuleRequired, finding.SeverityError, "Required field missing", "A field the schema requires is missing."),
		rule(RuleInvalidValue, finding.SeverityError, "Invalid value", "A value breaks its field's enum, pattern, format, length or range constraint, or the object's name, labels or annotations are malformed."),
		rule(RuleCEL, finding.SeverityError, "Validation rule failed", "A CEL rule (x-kubernetes-validations) of the schema rejects the object."),
		rule(RuleDuplicate, finding.SeverityError, "Duplicate entry", "Two entries of a keyed list share their key, a set holds a value twice, or a manifest file sets one field twice in the same object."),
		rule(RuleNoSchema, finding.SeverityWarning, "No schema for kind", "No schema is known for the object's apiVersion and kind, so it is not checked; add its CustomResourceDefinition with --crds. An error with --strict-schemas."),
		rule(RuleQuantity, finding.SeverityError, "Invalid quantity or number", "A resource quantity does not parse (cpu: 1 core), or an integer is out of range for its format."),
		rule(RuleNotServed, finding.SeverityError, "API version not served", "The kind exists, but not in this apiVersion for the configured Kubernetes version or the CustomResourceDefinition."),
		rule(RuleDeprecated, finding.SeverityWarning, "Deprecated API version", "The CustomResourceDefinition marks the object's apiVersion as deprecated."),
	}
}

// Finding is one schema violation of one object.
type Finding struct {
	// RuleID is one of the Rule* ids.
	RuleID string `json:"ruleId"`
	// Severity is finding.SeverityError or finding.SeverityWarning.
	Severity finding.Severity `json:"severity"`
	// Title is the rule's title.
	Title string `json:"title"`
	// Message names the field path and the offending value.
	Message string `json:"message"`
	// FieldPath is the path of the offending field ("spec.template.spec.containers[0].ports[0].containerPort"),
	// empty for findings about the whole object.
	FieldPath string `json:"fieldPath,omitempty"`
	// Resource is the object.
	Resource finding.ResourceRef `json:"resource"`
	// Schema says where the schema came from ("Kubernetes v1.33.13 OpenAPI (apps/v1)",
	// "istio.io/api@v1.32.0/kubernetes/customresourcedefinitions.gen.yaml", a --crds file, or the
	// environment's rendered CustomResourceDefinition).
	Schema string `json:"schema,omitempty"`
}

func ruleTitle(id string) string {
	for _, r := range Rules() {
		if r.ID == id {
			return r.Title
		}
	}
	return ""
}

func newFinding(id string, severity finding.Severity, res finding.ResourceRef, schemaSource, fieldPath, msg string) Finding {
	return Finding{RuleID: id, Severity: severity, Title: ruleTitle(id), Message: msg, FieldPath: fieldPath, Resource: res, Schema: schemaSource}
}

// Outcome is f in the run's outcome model: a finding of environment about f's object, pointing at
// file (the object's file, may be empty), with the schema's origin as its source.
func (f Finding) Outcome(environment, file string) finding.Finding {
	return finding.Finding{
		RuleID: f.RuleID, Severity: f.Severity, Title: f.Title, Message: f.Message,
		Environment: environment, Resource: f.Resource, File: file, Source: f.Schema,
		FieldPath: f.FieldPath,
	}
}
