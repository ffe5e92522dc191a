package environment

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kforge/kforge/internal/project"
)

// FromOutput finds the inline environments in the evaluated output of
// entrypoint (repository-relative). It walks the output as Tanka does: an
// object with non-empty string apiVersion and kind is a manifest and is not
// descended into; objects are walked in sorted key order skipping null
// values, arrays by index; a manifest with an `items` list (a List) is
// replaced by its items. Every manifest of kind Environment (compared
// case-insensitively, as Tanka's filter does) is an inline environment; its
// object is read like a spec.json (defaults, warnings for unknown fields,
// errors for wrong types), its metadata.namespace set to the entrypoint and
// its data kept raw in Data. Leaves that are not manifests are left for the
// manifest extractor to report.
func FromOutput(p *project.Project, entrypoint string, output []byte) ([]Environment, error) {
	var found []foundObject
	if err := walkOutput(output, "", &found); err != nil {
		return nil, fmt.Errorf("find inline environments in the output of %s: %w", entrypoint, err)
	}
	envs := make([]Environment, 0, len(found))
	for _, f := range found {
		env, err := inlineEnv(p, entrypoint, f)
		if err != nil {
			return nil, err
		}
		envs = append(envs, env)
	}
	return envs, nil
}

// foundObject is an environment object and its JSON path in the output.
type foundObject struct {
	path string
	raw  json.RawMessage
}

// walkOutput collects the environment objects of a JSON value.
func walkOutput(raw json.RawMessage, at string, found *[]foundObject) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	switch raw[0] {
	case '{':
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(raw, &obj); err != nil {
			return fmt.Errorf("%s: %w", displayPath(at), err)
		}
		apiVersion, kind := stringField(obj, "apiVersion"), stringField(obj, "kind")
		if apiVersion != "" && kind != "" {
			if strings.EqualFold(kind, Kind) {
				*found = append(*found, foundObject{path: displayPath(at), raw: raw})
				return nil
			}
			if items, ok := obj["items"]; ok && firstByte(items) == '[' {
				return walkOutput(items, at+".items", found)
			}
			return nil
		}
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if isNull(obj[k]) {
				continue
			}
			if err := walkOutput(obj[k], at+pathKey(k), found); err != nil {
				return err
			}
		}
	case '[':
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil {
			return fmt.Errorf("%s: %w", displayPath(at), err)
		}
		for i, item := range list {
			if err := walkOutput(item, at+"["+strconv.Itoa(i)+"]", found); err != nil {
				return err
			}
		}
	}
	return nil
}

// stringField returns obj[key] when it is a JSON string, else "".
func stringField(obj map[string]json.RawMessage, key string) string {
	raw, ok := obj[key]
	if !ok || firstByte(raw) != '"' {
		return ""
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return ""
	}
	return s
}

func firstByte(raw json.RawMessage) byte {
	t := bytes.TrimSpace(raw)
	if len(t) == 0 {
		return 0
	}
	return t[0]
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`)

// pathKey formats one object key of a JSON path: ".name", or `["a.b"]`
// when the key is not a plain identifier.
func pathKey(k string) string {
	if identRE.MatchString(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

// displayPath shows the root of the output as ".".
func displayPath(at string) string {
	if at == "" {
		return "."
	}
	return at
}

// inlineEnv builds the environment for one object found in the output.
func inlineEnv(p *project.Project, entrypoint string, f foundObject) (Environment, error) {
	dec, prob := decodeSpec(f.raw, true)
	if prob != nil {
		return Environment{}, &SpecError{File: entrypoint, Object: f.path, Field: prob.field, Message: prob.message}
	}
	name := dec.spec.Metadata.Name
	if name == "" {
		return Environment{}, &SpecError{File: entrypoint, Object: f.path, Field: "metadata.name",
			Message: "field metadata.name is missing: an inline environment needs a name"}
	}
	env := Environment{
		Name:       name,
		Dir:        path.Dir(entrypoint),
		Entrypoint: entrypoint,
		Inline:     true,
		Spec:       dec.spec,
		Data:       dec.data,
		envsDir:    p.Config.Environments,
	}
	for _, w := range dec.warnings {
		env.Warnings = append(env.Warnings, fmt.Sprintf("%s: environment %s: %s", entrypoint, f.path, w))
	}
	if ns := dec.spec.Metadata.Namespace; ns != "" && ns != entrypoint {
		env.Warnings = append(env.Warnings, fmt.Sprintf("%s: environment %s: metadata.namespace %q is ignored: Tanka sets it to the entrypoint, %s", entrypoint, f.path, ns, entrypoint))
	}
	env.Spec.Metadata.Namespace = entrypoint
	if _, err := labelValues(env.Spec); err != nil {
		return Environment{}, &SpecError{File: entrypoint, Object: f.path, Field: "spec.tankaEnvLabelFromFields", Message: err.Error()}
	}
	return env, nil
}
