package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
)

// Settings are the environment's values Extract applies to every manifest.
type Settings struct {
	// Namespace is the environment's default namespace (Tanka's
	// spec.namespace), set on every namespaced object without one. Empty
	// means no default namespace.
	Namespace string
	// InjectLabels are set on every object, overriding existing values:
	// Tanka's tanka.dev/environment label when spec.injectLabels is true
	// (the caller computes the value).
	InjectLabels map[string]string
	// DefaultLabels are spec.resourceDefaults.labels, added where the key is
	// absent.
	DefaultLabels map[string]string
	// DefaultAnnotations are spec.resourceDefaults.annotations, added where
	// the key is absent.
	DefaultAnnotations map[string]string
}

// ksonnetKey is ksonnet's private field, dropped from every walked object.
const ksonnetKey = "__ksonnet"

// Extract turns the JSON output of an environment into its manifests, by
// Tanka's rules:
//
//   - null output is zero manifests;
//   - an object with non-empty string apiVersion and kind is a manifest (not
//     descended into; its __ksonnet key is dropped); an object with an items
//     array (a List) is replaced by its items, recursively;
//   - other objects are walked in sorted key order, skipping null values;
//     arrays by index (a null element is an error); any other value is an
//     error naming its JSON path;
//   - a manifest needs a metadata object with a non-empty string name (or
//     generateName); namespace must be a string; labels and annotations must
//     map to strings;
//   - the default namespace goes on every object without one except
//     cluster-scoped kinds (annotation tanka.dev/namespaced "true"/"false"
//     overrides), and an empty annotations map is removed, as Tanka does;
//     then injected labels are set and default labels and annotations added
//     where absent;
//   - the result is sorted (see Sort); two manifests with the same group,
//     kind, namespace and name are kept once when their content is
//     identical, and are an error naming both paths when it differs.
//
// Numbers are kept as json.Number in canonical form (integral values as
// integers). All problems found are returned together: one *Error, or Errors.
func Extract(outputJSON []byte, s Settings) ([]*Manifest, error) {
	x, err := ExtractFiltered(outputJSON, s, nil)
	return x.Manifests, err
}

// Extraction is what ExtractFiltered found in an environment's output.
type Extraction struct {
	// Manifests are the extracted, filtered and sorted manifests.
	Manifests []*Manifest
	// Duplicates are the identical repeated definitions that were dropped, in
	// output order.
	Duplicates []Duplicate
}

// Duplicate is a resource defined twice with identical content: Tanka
// applies both, harmlessly, so kforge keeps the first and says so.
type Duplicate struct {
	// ID is the resource.
	ID ID
	// Kept and Dropped are the JSON paths of the definition kept and of the
	// identical one dropped.
	Kept, Dropped string
}

// ExtractFiltered is Extract with the target filter keep (nil keeps all)
// applied before duplicates are looked for, so that `-t '!kind/name'`
// removes a duplicated resource as it removes any other.
func ExtractFiltered[T string | []byte](outputJSON T, s Settings, keep *Filter) (Extraction, error) {
	root, err := decode(outputJSON)
	if err != nil {
		return Extraction{}, err
	}
	x := &extractor{}
	if root != nil {
		x.walk(root, rootPath)
	}
	for _, m := range x.manifests {
		applySettings(m, s)
	}
	if !keep.Empty() && len(x.problems) == 0 {
		x.manifests = keep.Keep(x.manifests)
	}
	dups := x.checkDuplicates()
	if err := asError(x.problems); err != nil {
		return Extraction{}, err
	}
	Sort(x.manifests)
	return Extraction{Manifests: x.manifests, Duplicates: dups}, nil
}

// decode parses the output with numbers kept as json.Number and rejects
// anything after the first value. Well-formed output takes decodeFast; anything
// it declines gets encoding/json's result and error.
func decode[T jsonText](b T) (any, error) {
	if v, ok := decodeFast(b); ok {
		return v, nil
	}
	dec := json.NewDecoder(bytes.NewReader([]byte(b)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode environment output: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("decode environment output: unexpected data after the top-level JSON value")
	}
	return v, nil
}

// extractor collects manifests and problems during one walk.
type extractor struct {
	manifests []*Manifest
	problems  []*Error
}

func (x *extractor) fail(path, format string, args ...any) {
	x.problems = append(x.problems, &Error{Path: path, Reason: fmt.Sprintf(format, args...)})
}

// expected is the tail of every "found the wrong thing" message.
const expected = "expected a Kubernetes object (an object with non-empty string apiVersion and kind), or an object or array of them"

// walk visits a non-null value of the output tree.
func (x *extractor) walk(v any, path string) {
	switch v := v.(type) {
	case map[string]any:
		if isManifestObject(v) {
			x.manifest(v, path)
			return
		}
		keys := make([]string, 0, len(v))
		for k, child := range v {
			if child != nil && k != ksonnetKey {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			x.walk(v[k], keyPath(path, k))
		}
	case []any:
		for i, child := range v {
			if child == nil {
				x.fail(indexPath(path, i), "found null in an array; %s", expected)
				continue
			}
			x.walk(child, indexPath(path, i))
		}
	default:
		reason := fmt.Sprintf("found %s; %s", describe(v), expected)
		if strings.HasSuffix(path, ".apiVersion") || strings.HasSuffix(path, ".kind") {
			reason += " (the object holding this field is not one: both apiVersion and kind must be non-empty strings)"
		}
		x.fail(path, "%s", reason)
	}
}

// isManifestObject reports whether obj has non-empty string apiVersion and
// kind.
func isManifestObject(obj map[string]any) bool {
	apiVersion, _ := obj["apiVersion"].(string)
	kind, _ := obj["kind"].(string)
	return apiVersion != "" && kind != ""
}

// manifest takes an object with apiVersion and kind: a List is unwrapped,
// anything else validated and kept.
func (x *extractor) manifest(obj map[string]any, path string) {
	delete(obj, ksonnetKey)
	if items, ok := obj["items"].([]any); ok {
		itemsPath := keyPath(path, "items")
		for i, item := range items {
			itemPath := indexPath(itemsPath, i)
			o, ok := item.(map[string]any)
			if !ok || !isManifestObject(o) {
				x.fail(itemPath, "found %s as an item of %s %s; a List may only hold Kubernetes objects (non-empty string apiVersion and kind)",
					describe(item), obj["apiVersion"], obj["kind"])
				continue
			}
			x.manifest(o, itemPath)
		}
		return
	}
	if problems := validate(obj); len(problems) > 0 {
		x.fail(path, "invalid Kubernetes object (%s %s): %s", obj["apiVersion"], obj["kind"], strings.Join(problems, "; "))
		return
	}
	n := normalizer{path: path}
	n.object(obj)
	if len(n.problems) > 0 {
		x.problems = append(x.problems, n.problems...)
		return
	}
	x.manifests = append(x.manifests, &Manifest{Object: obj, Path: path})
}

// validate lists every problem of a manifest's metadata, in a fixed order:
// metadata, name, namespace, labels, annotations.
func validate(obj map[string]any) []string {
	rawMD, present := obj["metadata"]
	md, ok := rawMD.(map[string]any)
	if !ok {
		if !present {
			return []string{"metadata is missing (it needs at least a name)"}
		}
		return []string{"metadata must be an object, found " + describe(rawMD)}
	}
	var problems []string
	name, hasName := md["name"]
	generateName, hasGenerateName := md["generateName"]
	switch {
	case hasName && name != nil:
		if s, ok := name.(string); !ok {
			problems = append(problems, "metadata.name must be a string, found "+describe(name))
		} else if s == "" {
			problems = append(problems, "metadata.name is empty")
		}
	case hasGenerateName && generateName != nil:
		if s, ok := generateName.(string); !ok {
			problems = append(problems, "metadata.generateName must be a string, found "+describe(generateName))
		} else if s == "" {
			problems = append(problems, "metadata.generateName is empty")
		}
	default:
		problems = append(problems, "metadata.name is missing")
	}
	if ns, ok := md["namespace"]; ok && ns != nil {
		if _, ok := ns.(string); !ok {
			problems = append(problems, "metadata.namespace must be a string, found "+describe(ns))
		}
	}
	problems = append(problems, validateStringMap(md, "labels")...)
	problems = append(problems, validateStringMap(md, "annotations")...)
	return problems
}

// validateStringMap checks that metadata[field] is null, absent or an object
// of strings, naming every offending key in sorted order.
func validateStringMap(md map[string]any, field string) []string {
	raw := md[field]
	if raw == nil {
		return nil
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return []string{"metadata." + field + " must be an object of strings, found " + describe(raw)}
	}
	var problems []string
	for _, k := range sortedKeys(m) {
		if _, ok := m[k].(string); !ok {
			problems = append(problems, keyPath("metadata."+field, k)+" must be a string, found "+describe(m[k]))
		}
	}
	return problems
}

// sortedKeys returns the keys of m in byte order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// normalizer rewrites the numbers of one manifest into canonical form,
// recording numbers that do not fit a float64.
type normalizer struct {
	path     string // the manifest's path
	segments []any  // string keys and int indices below it
	problems []*Error
}

func (n *normalizer) value(v any) any {
	switch v := v.(type) {
	case map[string]any:
		n.object(v)
	case []any:
		for i, child := range v {
			n.segments = append(n.segments, i)
			v[i] = n.value(child)
			n.segments = n.segments[:len(n.segments)-1]
		}
	case json.Number:
		c, err := canonicalNumber(v)
		if err != nil {
			n.problems = append(n.problems, &Error{Path: n.current(), Reason: err.Error()})
			return v
		}
		return c
	}
	return v
}

func (n *normalizer) object(obj map[string]any) {
	for k, child := range obj {
		switch child.(type) {
		case map[string]any, []any, json.Number:
			n.segments = append(n.segments, k)
			obj[k] = n.value(child)
			n.segments = n.segments[:len(n.segments)-1]
		}
	}
}

// current renders the JSON path of the value being normalized.
func (n *normalizer) current() string {
	p := n.path
	for _, s := range n.segments {
		switch s := s.(type) {
		case string:
			p = keyPath(p, s)
		case int:
			p = indexPath(p, s)
		}
	}
	return p
}

// applySettings sets the default namespace, injected labels and resource
// defaults on a valid manifest, in Tanka's order.
func applySettings(m *Manifest, s Settings) {
	md := m.metadata()
	if s.Namespace != "" {
		namespaced := !isClusterScopedKind(m.Kind())
		if v, ok := m.Annotations()[annotationNamespaced]; ok {
			namespaced = v == "true"
		}
		if _, ok := md["namespace"].(string); namespaced && !ok {
			md["namespace"] = s.Namespace
		}
		// Tanka removes an empty (or null) annotations object here.
		if _, present := md["annotations"]; present && len(m.Annotations()) == 0 {
			delete(md, "annotations")
		}
	}
	if len(s.InjectLabels) > 0 {
		labels := ensureMap(md, "labels")
		for k, v := range s.InjectLabels {
			labels[k] = v
		}
	}
	addDefaults(md, "annotations", s.DefaultAnnotations)
	addDefaults(md, "labels", s.DefaultLabels)
}

// addDefaults adds defaults to metadata[field] where the key is absent.
func addDefaults(md map[string]any, field string, defaults map[string]string) {
	if len(defaults) == 0 {
		return
	}
	m := ensureMap(md, field)
	for k, v := range defaults {
		if _, ok := m[k]; !ok {
			m[k] = v
		}
	}
}

// ensureMap returns metadata[field], creating it when absent or null.
func ensureMap(md map[string]any, field string) map[string]any {
	m, ok := md[field].(map[string]any)
	if !ok {
		m = map[string]any{}
		md[field] = m
	}
	return m
}

// checkDuplicates finds every manifest whose group, kind, namespace and name
// equal those of one found earlier in the walk: one with identical content
// is dropped and returned, one that differs is reported as a problem naming
// both paths. Objects with only a generateName are never duplicates.
func (x *extractor) checkDuplicates() []Duplicate {
	seen := make(map[ID]*Manifest, len(x.manifests))
	kept := x.manifests[:0]
	var dups []Duplicate
	for _, m := range x.manifests {
		if !m.hasName() {
			kept = append(kept, m)
			continue
		}
		id := m.ID()
		if first, ok := seen[id]; ok {
			if reflect.DeepEqual(first.Object, m.Object) {
				dups = append(dups, Duplicate{ID: id, Kept: first.Path, Dropped: m.Path})
				continue
			}
			x.fail(m.Path, "duplicate resource %s with different content, already defined at %s", id, first.Path)
			continue
		}
		seen[id] = m
		kept = append(kept, m)
	}
	x.manifests = kept
	return dups
}
