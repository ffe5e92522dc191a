package schema

import (
	"context"
	"fmt"
	"sync"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	apiextvalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"k8s.io/apiserver/pkg/cel/environment"
	"k8s.io/kube-openapi/pkg/validation/spec"
	"k8s.io/kube-openapi/pkg/validation/strfmt"
	"k8s.io/kube-openapi/pkg/validation/validate"

	"github.com/kforge/kforge/internal/finding"
)

// kindValidator checks objects of one kind and version. It does not change once built (but for
// its kube-openapi schema, built once on first need), so one value serves every goroutine: the
// kube-openapi validator is created per call (it keeps a path while it walks), the CEL programs
// are compiled once and evaluate without shared state.
type kindValidator struct {
	structural *structuralschema.Structural
	tree       *node
	cel        *celNode
	patterns   *patternCache

	// The kube-openapi form of the schema is built when an object first fails precheck.
	openapiOnce sync.Once
	openapi     *spec.Schema
	openapiErr  error
	// custom is true for custom resources: the API server applies their schema defaults before
	// validating; built-in kinds are defaulted by Go code instead.
	custom bool
	// source says where the schema came from, for findings.
	source string
	// deprecation is the warning of a deprecated custom resource version, "" if not deprecated.
	deprecation string
	// quantities says whether the schema may have quantity nodes (built-in kinds), so that
	// custom resources skip that walk.
	quantities bool
	// jsonSchema, when set, is a JSON schema from a schema location: the kube-openapi validator
	// checks objects against it alone (no pruning, lists or CEL: JSON schemas have none).
	jsonSchema *spec.Schema
}

// lazyKind builds a kindValidator on first use, once, whichever goroutine asks first.
type lazyKind struct {
	once  sync.Once
	build func() (*kindValidator, error)
	kv    *kindValidator
	err   error
}

func (l *lazyKind) get() (*kindValidator, error) {
	l.once.Do(func() {
		l.kv, l.err = l.build()
		l.build = nil
	})
	return l.kv, l.err
}

// newStructuralValidator builds the validator of one kind from its structural schema.
func newStructuralValidator(st *structuralschema.Structural, custom bool, source string, c *caches) *kindValidator {
	return &kindValidator{
		structural: st,
		tree:       newNode(st),
		cel:        newCELNode(st, true, &c.cel),
		patterns:   &c.patterns,
		custom:     custom,
		source:     source,
		quantities: !custom,
	}
}

// openAPI returns the schema in the form the kube-openapi validator reads, built on first use
// as the API server builds it (ConvertJSONSchemaProps): int-or-string nodes typed "integer or
// string", formats the API server does not support dropped.
func (k *kindValidator) openAPI() (*spec.Schema, error) {
	k.openapiOnce.Do(func() {
		openapi := k.structural.ToKubeOpenAPI()
		strip := apiextvalidation.StripUnsupportedFormatsPostProcessorForVersion(environment.DefaultCompatibilityVersion())
		if err := postProcess(openapi, strip); err != nil {
			k.openapiErr = fmt.Errorf("convert schema to OpenAPI: %w", err)
			return
		}
		k.openapi = openapi
	})
	return k.openapi, k.openapiErr
}

// postProcess applies fn to every node of s and types its int-or-string nodes.
func postProcess(s *spec.Schema, fn func(*spec.Schema) error) error {
	if s == nil {
		return nil
	}
	if v, ok := s.Extensions["x-kubernetes-int-or-string"].(bool); ok && v {
		s.Type = spec.StringOrArray{"integer", "string"}
	}
	if err := fn(s); err != nil {
		return err
	}
	for k := range s.Properties {
		p := s.Properties[k]
		if err := postProcess(&p, fn); err != nil {
			return err
		}
		s.Properties[k] = p
	}
	if s.Items != nil {
		if err := postProcess(s.Items.Schema, fn); err != nil {
			return err
		}
		for i := range s.Items.Schemas {
			if err := postProcess(&s.Items.Schemas[i], fn); err != nil {
				return err
			}
		}
	}
	if s.AdditionalProperties != nil {
		if err := postProcess(s.AdditionalProperties.Schema, fn); err != nil {
			return err
		}
	}
	for _, list := range [][]spec.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for i := range list {
			if err := postProcess(&list[i], fn); err != nil {
				return err
			}
		}
	}
	return postProcess(s.Not, fn)
}

// check validates data, a normalized copy of the object that it may change (unknown fields are
// removed, custom resource defaults applied, as the API server does before validating).
func (k *kindValidator) check(ctx context.Context, res finding.ResourceRef, data map[string]any) []Finding {
	var out []Finding
	add := func(id, path, msg string) {
		out = append(out, newFinding(id, finding.SeverityError, res, k.source, path, msg))
	}
	if k.jsonSchema != nil {
		for _, f := range classifyResult(newOpenAPIValidator(k.jsonSchema, "").Validate(data).Errors, data) {
			add(f.id, f.path, f.msg)
		}
		return out
	}
	for _, u := range pruneUnknown(data, k.tree, nil, true) {
		add(RuleUnknownField, u.path, u.message())
	}
	if k.custom {
		defaulting.Default(data, k.structural)
	}
	typeErrors := false
	if !precheck(data, k.tree, k.patterns) {
		openapi, err := k.openAPI()
		if err != nil {
			add(RuleNoSchema, "", fmt.Sprintf("cannot use the schema: %v", err))
			return out
		}
		for _, f := range classifyResult(newOpenAPIValidator(openapi, "").Validate(data).Errors, data) {
			typeErrors = typeErrors || f.id == RuleWrongType
			add(f.id, f.path, f.msg)
		}
	}
	for _, p := range checkLists(data, k.tree, nil) {
		add(p.id, p.path, p.msg)
	}
	if k.quantities {
		for _, n := range checkNumbers(data, k.tree) {
			add(RuleQuantity, n.path, n.msg)
		}
	}
	// CEL rules read typed values: on data of the wrong type they only add noise.
	if k.cel != nil && !typeErrors {
		budget := int64(celconfig.RuntimeCELCostBudget)
		for _, e := range k.cel.validate(ctx, nil, data, &budget) {
			path := e.Field
			if path == "<nil>" {
				path = ""
			}
			add(RuleCEL, path, celMessage(e, data))
		}
	}
	return out
}

// celMessage shows the rule's message and, for a scalar, the value it rejected (the error
// itself carries only the value's type).
func celMessage(e *field.Error, data map[string]any) string {
	path := e.Field
	if path == "" || path == "<nil>" {
		return "(object): " + e.Detail
	}
	msg := fmt.Sprintf("%s: %s", path, e.Detail)
	if _, v, found := locate(data, path); found && isScalar(v) {
		msg += fmt.Sprintf(" (found %s)", formatValue(v))
	}
	return msg
}

// newOpenAPIValidator returns a fresh validator of s whose error names start at root.
func newOpenAPIValidator(s *spec.Schema, root string) *validate.SchemaValidator {
	return validate.NewSchemaValidator(s, nil, root, strfmt.Default)
}
