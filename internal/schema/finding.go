package schema

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

// Severities of findings, as the report model spells them.
const (
	SeverityError   = "error"
	SeverityWarning = "warning"
)

// Rule describes one finding id, for rule catalogues (`kforge policy list`, SARIF).
type Rule struct {
	// ID is the stable id ("KF-SCHEMA-001").
	ID string
	// Severity is the default severity; RuleNoSchema becomes an error with Options.Strict.
	Severity string
	// Title is a short summary.
	Title string
	// Description says what the rule checks and why.
	Description string
}

// Rules returns the catalogue of schema finding ids, in id order.
func Rules() []Rule {
	return []Rule{
		{RuleUnknownField, SeverityError, "Unknown field", "The object has a field its schema does not define; the API server rejects it (strict field validation) or drops it silently."},
		{RuleWrongType, SeverityError, "Wrong type", "A value has the wrong JSON type for its field, such as a string where an integer is expected."},
		{RuleRequired, SeverityError, "Required field missing", "A field the schema requires is missing."},
		{RuleInvalidValue, SeverityError, "Invalid value", "A value breaks its field's enum, pattern, format, length or range constraint, or the object's name, labels or annotations are malformed."},
		{RuleCEL, SeverityError, "Validation rule failed", "A CEL rule (x-kubernetes-validations) of the schema rejects the object."},
		{RuleDuplicate, SeverityError, "Duplicate entry", "Two entries of a keyed list share their key, a set holds a value twice, or a manifest file sets one field twice in the same object."},
		{RuleNoSchema, SeverityWarning, "No schema for kind", "No schema is known for the object's apiVersion and kind, so it is not checked; add its CustomResourceDefinition with --crds. An error with --strict-schemas."},
		{RuleQuantity, SeverityError, "Invalid quantity or number", "A resource quantity does not parse (cpu: 1 core), or an integer is out of range for its format."},
		{RuleNotServed, SeverityError, "API version not served", "The kind exists, but not in this apiVersion for the configured Kubernetes version or the CustomResourceDefinition."},
		{RuleDeprecated, SeverityWarning, "Deprecated API version", "The CustomResourceDefinition marks the object's apiVersion as deprecated."},
	}
}

// Resource identifies the object a finding is about.
type Resource struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name"`
}

// Finding is one schema violation of one object.
type Finding struct {
	// RuleID is one of the Rule* ids.
	RuleID string `json:"ruleId"`
	// Severity is SeverityError or SeverityWarning.
	Severity string `json:"severity"`
	// Title is the rule's title.
	Title string `json:"title"`
	// Message names the field path and the offending value.
	Message string `json:"message"`
	// FieldPath is the path of the offending field ("spec.template.spec.containers[0].ports[0].containerPort"),
	// empty for findings about the whole object.
	FieldPath string `json:"fieldPath,omitempty"`
	// Resource is the object.
	Resource Resource `json:"resource"`
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

func newFinding(id, severity string, res Resource, schemaSource, fieldPath, msg string) Finding {
	return Finding{RuleID: id, Severity: severity, Title: ruleTitle(id), Message: msg, FieldPath: fieldPath, Resource: res, Schema: schemaSource}
}
