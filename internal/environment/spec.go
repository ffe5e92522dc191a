package environment

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/kforge/kforge/internal/project"
)

// Tanka's constants for an environment object.
const (
	// APIVersion is the apiVersion Tanka gives an environment without one.
	APIVersion = "tanka.dev/v1alpha1"
	// Kind is the kind of an environment object.
	Kind = "Environment"
	// DefaultNamespace is spec.namespace when the environment sets none.
	DefaultNamespace = "default"
	// SpecFile is the file that makes a base directory a static environment.
	SpecFile = "spec.json"
)

// Spec is Tanka's environment object (v1alpha1.Environment) without its
// data. Its JSON form, field names and omitempty behaviour included, is the
// one Tanka hands to Jsonnet as `import 'tk'`.
type Spec struct {
	// APIVersion defaults to "tanka.dev/v1alpha1".
	APIVersion string `json:"apiVersion"`
	// Kind defaults to "Environment".
	Kind string `json:"kind"`
	// Metadata names and labels the environment.
	Metadata Metadata `json:"metadata"`
	// Spec holds the Kubernetes-facing settings.
	Spec Settings `json:"spec"`
}

// Metadata is the metadata of an environment object.
type Metadata struct {
	// Name is the environment's name: for a static environment its base
	// directory relative to the root, for an inline one what Jsonnet says.
	Name string `json:"name,omitempty"`
	// Namespace is, as in Tanka, the entrypoint relative to the root
	// ("environments/prod/main.jsonnet"); it is not a Kubernetes namespace.
	Namespace string `json:"namespace,omitempty"`
	// Labels are free-form; kforge reads "tier" from them.
	Labels map[string]string `json:"labels,omitempty"`
}

// Settings is the "spec" block of an environment object.
type Settings struct {
	// APIServer is the cluster URL; "https://" is prefixed when it has no
	// scheme.
	APIServer string `json:"apiServer,omitempty"`
	// ContextNames are kubeconfig context names, the alternative to APIServer.
	ContextNames []string `json:"contextNames,omitempty"`
	// Namespace is the default namespace of namespaced resources.
	Namespace string `json:"namespace"`
	// DiffStrategy is Tanka's diff strategy (kforge only carries it).
	DiffStrategy string `json:"diffStrategy,omitempty"`
	// ApplyStrategy is Tanka's apply strategy (kforge only carries it).
	ApplyStrategy string `json:"applyStrategy,omitempty"`
	// InjectLabels adds the tanka.dev/environment label to every resource.
	InjectLabels bool `json:"injectLabels,omitempty"`
	// TankaEnvLabelFromFields lists the fields (".metadata.name") whose
	// values make up the tanka.dev/environment label.
	TankaEnvLabelFromFields []string `json:"tankaEnvLabelFromFields,omitempty"`
	// ResourceDefaults are labels and annotations added where absent.
	ResourceDefaults ResourceDefaults `json:"resourceDefaults"`
	// ExpectVersions holds version constraints (kforge only carries them).
	ExpectVersions ExpectVersions `json:"expectVersions"`
	// ExportJsonnetImplementation is Tanka's export evaluator choice (kforge
	// only carries it).
	ExportJsonnetImplementation string `json:"exportJsonnetImplementation,omitempty"`
}

// ResourceDefaults are metadata added to every resource that lacks the key.
type ResourceDefaults struct {
	// Annotations to add where absent.
	Annotations map[string]string `json:"annotations,omitempty"`
	// Labels to add where absent.
	Labels map[string]string `json:"labels,omitempty"`
}

// ExpectVersions holds version constraints of the environment.
type ExpectVersions struct {
	// Tanka is a semantic version constraint on Tanka.
	Tanka string `json:"tanka,omitempty"`
}

// newSpec returns an environment object holding Tanka's defaults.
func newSpec() Spec {
	return Spec{APIVersion: APIVersion, Kind: Kind, Spec: Settings{Namespace: DefaultNamespace}}
}

// fieldSchema describes the known fields of an environment object: a nil
// child marks a leaf, a non-nil one an object whose fields are known too.
type fieldSchema map[string]fieldSchema

func envSchema(inline bool) fieldSchema {
	s := fieldSchema{
		"apiVersion": nil,
		"kind":       nil,
		"metadata":   {"name": nil, "namespace": nil, "labels": nil},
		"spec": {
			"apiServer":                   nil,
			"contextNames":                nil,
			"namespace":                   nil,
			"diffStrategy":                nil,
			"applyStrategy":               nil,
			"injectLabels":                nil,
			"tankaEnvLabelFromFields":     nil,
			"resourceDefaults":            {"labels": nil, "annotations": nil},
			"expectVersions":              {"tanka": nil},
			"exportJsonnetImplementation": nil,
		},
	}
	if inline {
		s["data"] = nil
	}
	return s
}

// fieldTypes describes what each field must hold, for type errors.
func fieldTypes() map[string]string {
	return map[string]string{
		"":                                  "a JSON object",
		"apiVersion":                        "a string",
		"kind":                              "a string",
		"metadata":                          "an object",
		"metadata.name":                     "a string",
		"metadata.namespace":                "a string",
		"metadata.labels":                   "an object of strings",
		"spec":                              "an object",
		"spec.apiServer":                    "a string",
		"spec.contextNames":                 "a list of strings",
		"spec.namespace":                    "a string",
		"spec.diffStrategy":                 "a string",
		"spec.applyStrategy":                "a string",
		"spec.injectLabels":                 "a boolean",
		"spec.tankaEnvLabelFromFields":      "a list of strings",
		"spec.resourceDefaults":             "an object",
		"spec.resourceDefaults.labels":      "an object of strings",
		"spec.resourceDefaults.annotations": "an object of strings",
		"spec.expectVersions":               "an object",
		"spec.expectVersions.tanka":         "a string",
		"spec.exportJsonnetImplementation":  "a string",
		"namespace":                         "a string",
		"server":                            "a string",
		"team":                              "a string",
	}
}

// deprecated maps Tanka's legacy top-level fields to their replacements.
func deprecated() map[string]string {
	return map[string]string{
		"namespace": "spec.namespace",
		"server":    "spec.apiServer",
		"team":      "metadata.labels.team",
	}
}

// problem is a decoding error before it is given its location.
type problem struct {
	offset  int64 // byte offset into the document, -1 when unknown
	field   string
	message string
}

// decoded is the result of decoding an environment object.
type decoded struct {
	spec     Spec
	data     json.RawMessage // the "data" field, nil when absent or null
	warnings []string        // without location
}

var schemeRE = regexp.MustCompile(`^.+://`)

// decodeSpec decodes an environment object the way Tanka does (defaults,
// legacy fields, https:// for a scheme-less apiServer), and additionally
// reports unknown fields as warnings and wrong types as errors naming the
// field. The document is spec.json for a static environment, the object
// found in the output for an inline one.
func decodeSpec(doc []byte, inline bool) (decoded, *problem) {
	var out decoded
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return out, jsonProblem(err)
	}
	if top == nil {
		return out, &problem{offset: 0, message: "must be a JSON object, found null"}
	}
	s := newSpec()
	if err := json.Unmarshal(doc, &s); err != nil {
		return out, jsonProblem(err)
	}
	if raw, ok := lookupFold(top, "data"); ok && inline && !isNull(raw) {
		out.data = raw
	}
	var warnings []string
	checkFields(top, envSchema(inline), "", &warnings)
	if p := applyDeprecated(&s, top, &warnings); p != nil {
		return out, p
	}
	if s.Spec.APIServer != "" && !schemeRE.MatchString(s.Spec.APIServer) {
		s.Spec.APIServer = "https://" + s.Spec.APIServer
	}
	out.spec = s
	out.warnings = warnings
	return out, nil
}

// jsonProblem turns an encoding/json error into a problem.
func jsonProblem(err error) *problem {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &problem{offset: se.Offset, message: "invalid JSON: " + se.Error()}
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		want, ok := fieldTypes()[te.Field]
		if !ok {
			want = "of another type"
		}
		if te.Field == "" {
			return &problem{offset: te.Offset, message: fmt.Sprintf("must be %s, found %s", want, jsonTypeName(te.Value))}
		}
		return &problem{offset: te.Offset, field: te.Field,
			message: fmt.Sprintf("field %s must be %s, found %s", te.Field, want, jsonTypeName(te.Value))}
	}
	return &problem{offset: -1, message: "invalid JSON: " + err.Error()}
}

// jsonTypeName turns encoding/json's value kind into words.
func jsonTypeName(v string) string {
	switch v {
	case "string":
		return "a string"
	case "number":
		return "a number"
	case "bool":
		return "a boolean"
	case "array":
		return "a list"
	case "object":
		return "an object"
	}
	if strings.HasPrefix(v, "number ") {
		return "the number " + strings.TrimPrefix(v, "number ")
	}
	return v
}

// checkFields walks a decoded object against the schema and records a
// warning for every field Tanka would ignore.
func checkFields(obj map[string]json.RawMessage, schema fieldSchema, prefix string, warnings *[]string) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		name := k
		child, known := schema[k]
		if !known {
			for sk, sc := range schema {
				if strings.EqualFold(sk, k) {
					*warnings = append(*warnings, fmt.Sprintf("field %s%s is read as %s%s: Tanka matches field names case-insensitively, write %s%s", prefix, k, prefix, sk, prefix, sk))
					name, child, known = sk, sc, true
					break
				}
			}
		}
		if !known {
			if _, isDeprecated := deprecated()[k]; isDeprecated && prefix == "" {
				continue // reported by applyDeprecated
			}
			*warnings = append(*warnings, fmt.Sprintf("unknown field %s%s (ignored)", prefix, k))
			continue
		}
		if child == nil {
			continue
		}
		var sub map[string]json.RawMessage
		if err := json.Unmarshal(obj[k], &sub); err == nil && sub != nil {
			checkFields(sub, child, prefix+name+".", warnings)
		}
	}
}

// applyDeprecated applies Tanka's legacy top-level fields where their
// replacement is not set, as Tanka does, and warns about each one.
func applyDeprecated(s *Spec, top map[string]json.RawMessage, warnings *[]string) *problem {
	for _, old := range []string{"namespace", "server", "team"} {
		raw, ok := top[old]
		if !ok {
			continue
		}
		var v string
		if err := json.Unmarshal(raw, &v); err != nil || isNull(raw) {
			return &problem{offset: -1, field: old, message: fmt.Sprintf("field %s must be a string, found %s", old, project.JSONType(raw))}
		}
		var replaced bool
		switch old {
		case "namespace":
			replaced = s.Spec.Namespace != ""
			if !replaced {
				s.Spec.Namespace = v
			}
		case "server":
			replaced = s.Spec.APIServer != ""
			if !replaced {
				s.Spec.APIServer = v
			}
		case "team":
			_, replaced = s.Metadata.Labels["team"]
			if !replaced {
				if s.Metadata.Labels == nil {
					s.Metadata.Labels = map[string]string{}
				}
				s.Metadata.Labels["team"] = v
			}
		}
		repl := deprecated()[old]
		if replaced {
			*warnings = append(*warnings, fmt.Sprintf("deprecated field %s ignored: %s is set", old, repl))
		} else {
			*warnings = append(*warnings, fmt.Sprintf("deprecated field %s: use %s", old, repl))
		}
	}
	return nil
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// lookupFold finds key in obj, exactly or else case-insensitively, as
// encoding/json matches struct fields.
func lookupFold(obj map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if v, ok := obj[key]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// lineCol converts a byte offset as reported by encoding/json (the number of
// bytes read when the error was found) into a 1-based line and column of the
// last byte read.
func lineCol(doc []byte, offset int64) (int, int) {
	if offset > int64(len(doc)) {
		offset = int64(len(doc))
	}
	pos := int(offset) - 1
	if pos < 0 {
		return 1, 1
	}
	line, col := 1, 1
	for i := 0; i < pos; i++ {
		if doc[i] == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}
