// Package environment discovers, parses and selects the environments of a
// Tanka-layout repository.
//
// A static environment is a base directory holding main.jsonnet and
// spec.json; its name is the base path relative to the repository root,
// whatever spec.json says. Any other main.jsonnet is a candidate for inline
// environments: its evaluated output is searched for objects of kind
// Environment, whose resources sit under `data`. This package never
// evaluates Jsonnet itself; callers pass an EvalFunc.
package environment

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/kforge/kforge/internal/project"
)

// Environment is one environment of the repository.
type Environment struct {
	// Name is the Tanka name: the base directory relative to the root for a
	// static environment ("environments/prod"), metadata.name for an inline
	// one.
	Name string
	// Dir is the base directory, repository-relative ("environments/prod").
	Dir string
	// Entrypoint is the evaluated file, repository-relative
	// ("environments/prod/main.jsonnet").
	Entrypoint string
	// Inline tells whether the environment was found in evaluated output
	// rather than in a spec.json.
	Inline bool
	// Spec is the Tanka environment object, without data.
	Spec Spec
	// Data is the raw JSON of an inline environment's `data` field (its
	// resources), nil for static environments and for inline ones without
	// data.
	Data json.RawMessage
	// Warnings name the file (and object) and field of everything Tanka
	// would silently ignore or reinterpret, e.g. unknown spec.json fields.
	Warnings []string

	// envsDir is the configured environments directory, used by Slug.
	envsDir string
}

// Slug returns the environment's directory name under the golden directory.
// For a static environment it is Name without the configured environments
// directory prefix ("environments/prod" → "prod"); for an inline one it is
// the slug of its directory, "/", and its name made filesystem-safe
// (characters other than letters, digits, '.', '_' and '-' become '-').
// An environment whose directory is the repository root itself is "_root".
func (e Environment) Slug() string {
	if !e.Inline {
		return e.dirSlug(e.Name, "_root")
	}
	dir := e.dirSlug(e.Dir, "")
	name := sanitize(e.Name)
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

// dirSlug strips the environments directory prefix from a repository path.
func (e Environment) dirSlug(p, root string) string {
	envs := e.envsDir
	if envs == "" {
		envs = project.DefaultEnvironments
	}
	p = path.Clean(p)
	switch {
	case p == ".":
		return root
	case envs == ".":
		return p
	case p == envs:
		if root == "" {
			return ""
		}
		return path.Base(p)
	case strings.HasPrefix(p, envs+"/"):
		return strings.TrimPrefix(p, envs+"/")
	}
	return p
}

// sanitize makes an inline environment name safe as a single path element.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	if s == "" || strings.HasPrefix(s, ".") {
		s = "_" + s
	}
	return s
}

// Tier returns the environment's metadata.labels.tier ("" when unset).
func (e Environment) Tier() string {
	return e.Spec.Metadata.Labels["tier"]
}

// TkEnvJSON returns the value of `import 'tk'` for this environment:
// {"env": <environment object without data>}, serialised as Tanka
// serialises its v1alpha1.Environment (encoding/json, same field names and
// omitempty rules).
func (e Environment) TkEnvJSON() []byte {
	out, err := json.Marshal(struct {
		Env Spec `json:"env"`
	}{e.Spec})
	if err != nil {
		// Spec holds only strings, booleans, string slices and string maps,
		// which always marshal.
		panic(fmt.Sprintf("marshal environment %s: %v", e.Name, err))
	}
	return out
}

// ListJSON encodes envs the way `tk env list --json` prints them: one line holding the array of
// the environment objects (each as TkEnvJSON's "env" holds it), sorted by name as tk sorts
// them. No environment is "[]" (tk prints "null").
func ListJSON(envs []Environment) ([]byte, error) {
	specs := make([]Spec, len(envs))
	for i, e := range envs {
		specs[i] = e.Spec
	}
	slices.SortStableFunc(specs, func(a, b Spec) int { return strings.Compare(a.Metadata.Name, b.Metadata.Name) })
	out, err := json.Marshal(specs)
	if err != nil {
		return nil, fmt.Errorf("encode environments: %w", err)
	}
	return out, nil
}

// DefaultLabelFields are the fields whose values make up the
// tanka.dev/environment label when spec.tankaEnvLabelFromFields is empty.
func DefaultLabelFields() []string {
	return []string{".metadata.name", ".metadata.namespace"}
}

// EnvLabel returns the value of the tanka.dev/environment label: the first
// 48 hexadecimal characters of the SHA-256 of the tankaEnvLabelFromFields
// values joined with ":". Discovery rejects fields that do not resolve; on a
// hand-built Environment such a field contributes an empty string.
func (e Environment) EnvLabel() string {
	values, _ := labelValues(e.Spec)
	sum := sha256.Sum256([]byte(strings.Join(values, ":")))
	return hex.EncodeToString(sum[:])[:48]
}

// labelValues resolves the tankaEnvLabelFromFields of s. Every value is
// returned, an empty string standing in for each field that does not name a
// string or boolean; the error names the first such field.
func labelValues(s Spec) ([]string, error) {
	fields := s.Spec.TankaEnvLabelFromFields
	if len(fields) == 0 {
		fields = DefaultLabelFields()
	}
	values := make([]string, len(fields))
	var firstErr error
	for i, f := range fields {
		v, ok := fieldValue(s, f)
		if !ok && firstErr == nil {
			firstErr = fmt.Errorf("field spec.tankaEnvLabelFromFields[%d]: %q does not name a string or boolean field of the environment", i, f)
		}
		values[i] = v
	}
	return values, firstErr
}

// fieldValue returns the value of a dotted field path (".metadata.name") of
// the environment object as a string, the way Tanka's label computation
// reads it: strings as they are, booleans as "true"/"false". Label and
// annotation keys may contain dots: everything after ".metadata.labels." is
// the key.
func fieldValue(s Spec, field string) (string, bool) {
	f := strings.TrimPrefix(field, ".")
	for _, m := range []struct {
		prefix string
		values map[string]string
	}{
		{"metadata.labels.", s.Metadata.Labels},
		{"spec.resourceDefaults.labels.", s.Spec.ResourceDefaults.Labels},
		{"spec.resourceDefaults.annotations.", s.Spec.ResourceDefaults.Annotations},
	} {
		if key, ok := strings.CutPrefix(f, m.prefix); ok {
			v, found := m.values[key]
			return v, found
		}
	}
	switch f {
	case "apiVersion":
		return s.APIVersion, true
	case "kind":
		return s.Kind, true
	case "metadata.name":
		return s.Metadata.Name, true
	case "metadata.namespace":
		return s.Metadata.Namespace, true
	case "spec.apiServer":
		return s.Spec.APIServer, true
	case "spec.namespace":
		return s.Spec.Namespace, true
	case "spec.diffStrategy":
		return s.Spec.DiffStrategy, true
	case "spec.applyStrategy":
		return s.Spec.ApplyStrategy, true
	case "spec.injectLabels":
		return strconv.FormatBool(s.Spec.InjectLabels), true
	case "spec.expectVersions.tanka":
		return s.Spec.ExpectVersions.Tanka, true
	case "spec.exportJsonnetImplementation":
		return s.Spec.ExportJsonnetImplementation, true
	}
	return "", false
}
