package schema

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"k8s.io/kube-openapi/pkg/validation/spec"
)

// jsonSchemaEntry is a JSON schema file of a schema location, for the kinds its name (or its
// x-kubernetes-group-version-kind) covers. Names follow kubeconform's layouts:
// "{kind}-{group}-{version}.json" (group is the first segment of the API group, as in
// "deployment-apps-v1.json"), "{kind}-{version}.json" for the core group and
// "{kind}_{version}.json" (the CRD catalog's layout, where the parent directory may name the
// group: "networking.istio.io/virtualservice_v1.json"). Kinds are lower case in names.
type jsonSchemaEntry struct {
	// kind is the lower-case kind, version the API version ("v1").
	kind, version string
	// groups are the API groups covered exactly; groupPrefix the first segment of the group
	// named in the file name; core is set for "{kind}-{version}.json". With none of them set,
	// the schema covers the kind and version in any group.
	groups      []string
	groupPrefix string
	core        bool
	source      string
	sha256      string
	validator   lazyKind
}

// match scores how specifically e covers group: 0 when it does not.
func (e *jsonSchemaEntry) match(group, version, kind string) int {
	if e.version != version || e.kind != strings.ToLower(kind) {
		return 0
	}
	switch {
	case len(e.groups) > 0:
		for _, g := range e.groups {
			if g == group {
				return 4
			}
		}
		return 0
	case e.core:
		if group == "" {
			return 3
		}
		return 0
	case e.groupPrefix != "":
		if first, _, _ := strings.Cut(group, "."); group != "" && first == e.groupPrefix {
			return 2
		}
		return 0
	}
	return 1
}

// readSchemaLocation reads a directory (recursively) or a file of CustomResourceDefinitions
// (YAML or JSON) and kubeconform-style JSON schemas; which one a file holds is decided by its
// content. JSON files whose name follows none of the layouts (kubeconform's _definitions.json)
// are skipped; a location holding nothing usable is an error.
func readSchemaLocation(p, root string) ([]*crdEntry, []*jsonSchemaEntry, error) {
	show := func(abs string) string { return displayPath(abs, root) }
	fi, err := os.Stat(p)
	if err != nil {
		return nil, nil, &LocationError{Path: show(p), Err: errors.New("no such file or directory")}
	}
	files, err := manifestFiles(p, fi)
	if err != nil {
		return nil, nil, &LocationError{Path: show(p), Err: err}
	}
	var crds []*crdEntry
	var schemas []*jsonSchemaEntry
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, nil, &LocationError{Path: show(f), Err: err}
		}
		if strings.EqualFold(filepath.Ext(f), ".json") && isJSONSchema(data) {
			e, err := jsonSchemaFromFile(f, show(f), data)
			if err != nil {
				return nil, nil, err
			}
			if e != nil {
				schemas = append(schemas, e)
			}
			continue
		}
		es, err := crdEntriesFromYAML(data, show(f))
		if err != nil {
			return nil, nil, err
		}
		crds = append(crds, es...)
	}
	if len(crds) == 0 && len(schemas) == 0 {
		return nil, nil, &LocationError{Path: show(p), Err: errors.New("holds no CustomResourceDefinition and no JSON schema named like kubeconform's ({kind}-{group}-{version}.json, {kind}_{version}.json)")}
	}
	return crds, schemas, nil
}

// isJSONSchema tells a JSON schema from a Kubernetes object (a CRD, a List): an object without
// apiVersion and kind that has a schema keyword.
func isJSONSchema(data []byte) bool {
	var m map[string]json.RawMessage
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	if _, ok := m["apiVersion"]; ok {
		if _, ok := m["kind"]; ok {
			return false
		}
	}
	for _, k := range []string{"$schema", "type", "properties", "$ref", "oneOf", "anyOf", "allOf", "definitions"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// jsonSchemaFromFile indexes one JSON schema file by its name; nil when the name follows no
// known layout.
func jsonSchemaFromFile(file, source string, data []byte) (*jsonSchemaEntry, error) {
	name := strings.ToLower(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	sum := sha256.Sum256(data)
	e := &jsonSchemaEntry{source: source, sha256: hex.EncodeToString(sum[:])}
	if kind, version, ok := strings.Cut(name, "_"); ok && kind != "" && isAPIVersion(version) {
		e.kind, e.version = kind, version
		if dir := filepath.Base(filepath.Dir(file)); strings.Contains(dir, ".") {
			e.groups = []string{dir}
		}
	} else if kind, rest, ok := strings.Cut(name, "-"); ok && kind != "" {
		group, version := "", rest
		if i := strings.LastIndexByte(rest, '-'); i >= 0 {
			group, version = rest[:i], rest[i+1:]
		}
		if !isAPIVersion(version) {
			return nil, nil
		}
		e.kind, e.version, e.groupPrefix, e.core = kind, version, group, group == ""
	} else {
		return nil, nil
	}
	var header struct {
		GVK []struct{ Group, Version, Kind string } `json:"x-kubernetes-group-version-kind"`
	}
	if json.Unmarshal(data, &header) == nil && len(header.GVK) > 0 {
		// The schema says exactly which kinds it describes (kubernetes-json-schema keeps it).
		var groups []string
		for _, g := range header.GVK {
			if strings.EqualFold(g.Kind, e.kind) && g.Version == e.version {
				groups = append(groups, g.Group)
			}
		}
		if len(groups) > 0 {
			e.groups, e.core, e.groupPrefix = groups, false, ""
		}
	}
	s, err := parseJSONSchema(data)
	if err != nil {
		return nil, &LocationError{Path: source, Err: err}
	}
	e.validator.build = func() (*kindValidator, error) {
		return &kindValidator{jsonSchema: s, source: "JSON schema " + source}, nil
	}
	return e, nil
}

// isAPIVersion reports whether s looks like a Kubernetes API version ("v1", "v2beta1").
func isAPIVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' || s[1] < '0' || s[1] > '9' {
		return false
	}
	for _, c := range s[1:] {
		if (c < '0' || c > '9') && (c < 'a' || c > 'z') {
			return false
		}
	}
	return true
}

// lookupJSONSchema returns the validator of the JSON schema that covers the kind most
// specifically, nil when none does.
func (v *Validator) lookupJSONSchema(group, version, kind string) (*jsonSchemaEntry, bool) {
	var best *jsonSchemaEntry
	score := 0
	for _, e := range v.jsonSchemas {
		// Later locations come later in the list and win ties.
		if s := e.match(group, version, kind); s > 0 && s >= score {
			best, score = e, s
		}
	}
	return best, best != nil
}

// jsonRefPrefix is the only kind of $ref a location's schema may hold: a reference into its
// own definitions.
const jsonRefPrefix = "#/definitions/"

// parseJSONSchema decodes a JSON schema and replaces its local references with the definitions
// they name (the validator reads one self-contained schema). A reference to another file is an
// error: kubeconform's "-standalone" schemas have none.
func parseJSONSchema(data []byte) (*spec.Schema, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var root map[string]any
	if err := dec.Decode(&root); err != nil {
		return nil, fmt.Errorf("read JSON schema: %w", err)
	}
	defs, _ := root["definitions"].(map[string]any)
	inlined, err := inlineRefs(root, defs, 0)
	if err != nil {
		return nil, err
	}
	for _, k := range []string{"definitions", "$schema", "id", "$id"} {
		delete(inlined, k)
	}
	js, err := json.Marshal(inlined)
	if err != nil {
		return nil, fmt.Errorf("read JSON schema: %w", err)
	}
	var s spec.Schema
	if err := json.Unmarshal(js, &s); err != nil {
		return nil, fmt.Errorf("read JSON schema: %w", err)
	}
	return &s, nil
}

// maxRefDepth bounds the inlining of recursive definitions; beyond it, anything is accepted.
const maxRefDepth = 32

// inlineRefs returns a copy of the schema s with its references replaced, visiting only the
// places that hold schemas (a property named "enum" is a schema, an enum's values are data).
func inlineRefs(s map[string]any, defs map[string]any, depth int) (map[string]any, error) {
	if ref, ok := s["$ref"].(string); ok {
		name, local := strings.CutPrefix(ref, jsonRefPrefix)
		if !local {
			return nil, fmt.Errorf("$ref %q refers to another file: use self-contained (kubeconform's -standalone) schemas", ref)
		}
		def, ok := defs[name].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("$ref %q: no such definition", ref)
		}
		if depth >= maxRefDepth {
			return map[string]any{}, nil
		}
		return inlineRefs(def, defs, depth+1)
	}
	sub := func(v any) (any, error) {
		m, ok := v.(map[string]any)
		if !ok {
			return v, nil // true, false
		}
		return inlineRefs(m, defs, depth)
	}
	out := make(map[string]any, len(s))
	for k, v := range s {
		var err error
		switch k {
		case "properties", "patternProperties":
			m, _ := v.(map[string]any)
			props := make(map[string]any, len(m))
			for name, p := range m {
				if props[name], err = sub(p); err != nil {
					return nil, err
				}
			}
			out[k] = props
		case "items", "additionalProperties", "additionalItems", "not", "allOf", "anyOf", "oneOf":
			if list, ok := v.([]any); ok {
				items := make([]any, len(list))
				for i, p := range list {
					if items[i], err = sub(p); err != nil {
						return nil, err
					}
				}
				out[k] = items
			} else if out[k], err = sub(v); err != nil {
				return nil, err
			}
		default:
			out[k] = v
		}
	}
	return out, nil
}
