package schema

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/yaml"
)

const (
	crdAPIVersion = "apiextensions.k8s.io/v1"
	crdKind       = "CustomResourceDefinition"
)

// crdEntry is one CustomResourceDefinition, decoded on first use; the validator of each of its
// versions is built on first use of that version.
type crdEntry struct {
	name, group, kind string
	// source says where the definition comes from, for findings and errors.
	source string
	// load returns the definition as JSON.
	load func() ([]byte, error)
	// sha256 is the hash of a definition read from a file or an environment, "" for the
	// embedded ones (the binary identifies those).
	sha256 string
	// caches are shared with every kind; set before the first validator is built.
	caches *caches

	once     sync.Once
	versions map[string]*crdVersion
	order    []string // version names in the definition's order
	err      error
}

// crdVersion is one version of a definition.
type crdVersion struct {
	served      bool
	deprecation string
	kind        lazyKind
}

func (e *crdEntry) decode() error {
	e.once.Do(func() {
		data, err := e.load()
		if err != nil {
			e.err = err
			return
		}
		// Only the versions are decoded now; a version's schema when an object first uses it.
		var crd struct {
			Spec struct {
				Versions []struct {
					Name               string  `json:"name"`
					Served             bool    `json:"served"`
					Deprecated         bool    `json:"deprecated"`
					DeprecationWarning *string `json:"deprecationWarning"`
					Schema             *struct {
						OpenAPIV3Schema json.RawMessage `json:"openAPIV3Schema"`
					} `json:"schema"`
					Subresources *struct {
						Status json.RawMessage `json:"status"`
					} `json:"subresources"`
				} `json:"versions"`
			} `json:"spec"`
		}
		if err := json.Unmarshal(data, &crd); err != nil {
			e.err = fmt.Errorf("decode: %w", err)
			return
		}
		e.versions = map[string]*crdVersion{}
		for _, ver := range crd.Spec.Versions {
			cv := &crdVersion{served: ver.Served}
			if ver.Deprecated {
				cv.deprecation = fmt.Sprintf("%s/%s %s is deprecated", e.group, ver.Name, e.kind)
				if ver.DeprecationWarning != nil && *ver.DeprecationWarning != "" {
					cv.deprecation = *ver.DeprecationWarning
				}
			}
			var raw json.RawMessage
			if ver.Schema != nil {
				raw = ver.Schema.OpenAPIV3Schema
			}
			source, name := e.source, ver.Name
			statusSubresource := ver.Subresources != nil && len(ver.Subresources.Status) > 0
			cv.kind.build = func() (*kindValidator, error) {
				st := &structuralschema.Structural{
					Generic:         structuralschema.Generic{Type: "object"},
					Extensions:      structuralschema.Extensions{XPreserveUnknownFields: true},
					ValueValidation: &structuralschema.ValueValidation{},
				}
				if len(raw) > 0 && string(raw) != "null" {
					var err error
					if st, err = decodeStructuralJSON(raw); err != nil {
						return nil, fmt.Errorf("schema of version %s: %w", name, err)
					}
				}
				if statusSubresource {
					ignoreStructuralStatus(st)
				}
				kv := newStructuralValidator(st, true, source, e.caches)
				kv.deprecation = cv.deprecation
				return kv, nil
			}
			e.versions[ver.Name] = cv
			e.order = append(e.order, ver.Name)
		}
	})
	return e.err
}

// crdHeader is what identifying a definition needs.
type crdHeader struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name string `json:"name"`
	} `json:"metadata"`
	Spec struct {
		Group string `json:"group"`
		Names struct {
			Kind string `json:"kind"`
		} `json:"names"`
		Versions []json.RawMessage `json:"versions"`
	} `json:"spec"`
	Items []json.RawMessage `json:"items"`
}

// crdEntriesFromJSON returns the definitions of one JSON document: a definition, a List of
// documents, or another kind (none).
func crdEntriesFromJSON(data []byte, source string) ([]*crdEntry, error) {
	var h crdHeader
	if err := json.Unmarshal(data, &h); err != nil {
		return nil, &CRDError{Source: source, Err: err}
	}
	if h.Kind == "List" || (strings.HasSuffix(h.Kind, "List") && len(h.Items) > 0) {
		var out []*crdEntry
		for _, item := range h.Items {
			es, err := crdEntriesFromJSON(item, source)
			if err != nil {
				return nil, err
			}
			out = append(out, es...)
		}
		return out, nil
	}
	if h.Kind != crdKind {
		return nil, nil
	}
	if h.APIVersion != crdAPIVersion {
		return nil, &CRDError{Source: source, Name: h.Metadata.Name, Err: fmt.Errorf("%s is not supported, only %s", h.APIVersion, crdAPIVersion)}
	}
	if h.Spec.Group == "" || h.Spec.Names.Kind == "" || len(h.Spec.Versions) == 0 {
		return nil, &CRDError{Source: source, Name: h.Metadata.Name, Err: errors.New("spec.group, spec.names.kind and spec.versions are required")}
	}
	sum := sha256.Sum256(data)
	e := &crdEntry{name: h.Metadata.Name, group: h.Spec.Group, kind: h.Spec.Names.Kind, source: source,
		sha256: hex.EncodeToString(sum[:]), load: func() ([]byte, error) { return data, nil }}
	if err := e.decode(); err != nil {
		return nil, &CRDError{Source: source, Name: e.name, Err: err}
	}
	return []*crdEntry{e}, nil
}

// crdEntriesFromYAML returns the definitions of a YAML or JSON stream.
func crdEntriesFromYAML(data []byte, source string) ([]*crdEntry, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var out []*crdEntry
	for {
		doc, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, &CRDError{Source: source, Err: err}
		}
		if len(bytes.TrimSpace(doc)) == 0 {
			continue
		}
		js, err := yaml.YAMLToJSON(doc)
		if err != nil {
			return nil, &CRDError{Source: source, Err: err}
		}
		if bytes.Equal(bytes.TrimSpace(js), []byte("null")) {
			continue
		}
		es, err := crdEntriesFromJSON(js, source)
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
}

// readCRDPath reads the definitions of a file or, recursively, of the .yaml, .yml and .json
// files of a directory.
func readCRDPath(p, root string) ([]*crdEntry, error) {
	show := func(abs string) string { return displayPath(abs, root) }
	fi, err := os.Stat(p)
	if err != nil {
		return nil, &CRDError{Source: show(p), Err: errors.New("no such file or directory")}
	}
	files, err := manifestFiles(p, fi)
	if err != nil {
		return nil, &CRDError{Source: show(p), Err: err}
	}
	var out []*crdEntry
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, &CRDError{Source: show(f), Err: err}
		}
		es, err := crdEntriesFromYAML(data, show(f))
		if err != nil {
			return nil, err
		}
		out = append(out, es...)
	}
	return out, nil
}

func isManifestFile(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	return false
}

// displayPath shows p relative to root (slash separated) when it lies inside it.
func displayPath(p, root string) string {
	if root == "" {
		return filepath.ToSlash(p)
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return filepath.ToSlash(p)
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// AddCRDs returns a Validator that also knows the CustomResourceDefinitions among objs (objects
// of kind CustomResourceDefinition, apiextensions.k8s.io/v1), in precedence over every other
// definition of the same group and kind. v is unchanged and the two share all other schemas;
// without definitions among objs, AddCRDs returns v. env names the environment in findings and
// errors.
func (v *Validator) AddCRDs(env string, objs []map[string]any) (*Validator, error) {
	var added []*crdEntry
	for _, obj := range objs {
		if k, _ := obj["kind"].(string); k != crdKind {
			continue
		}
		data, err := json.Marshal(obj)
		if err != nil {
			return nil, &CRDError{Source: env, Err: fmt.Errorf("encode definition: %w", err)}
		}
		name := ""
		if md, ok := obj["metadata"].(map[string]any); ok {
			name, _ = md["name"].(string)
		}
		es, err := crdEntriesFromJSON(data, fmt.Sprintf("CustomResourceDefinition %s rendered by %s", name, env))
		if err != nil {
			return nil, err
		}
		added = append(added, es...)
	}
	if len(added) == 0 {
		return v, nil
	}
	crds := make(map[groupKind]*crdEntry, len(v.crds)+len(added))
	for k, e := range v.crds {
		crds[k] = e
	}
	for _, e := range added {
		e.caches = &v.shared.caches
		crds[groupKind{e.group, e.kind}] = e
	}
	return &Validator{shared: v.shared, crds: crds, jsonSchemas: v.jsonSchemas}, nil
}

// manifestFiles lists the YAML and JSON files below p, sorted, or p itself when it is a file.
func manifestFiles(p string, fi fs.FileInfo) ([]string, error) {
	if !fi.IsDir() {
		return []string{p}, nil
	}
	var files []string
	err := filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isManifestFile(f) {
			files = append(files, f)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}
