package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	yaml "go.yaml.in/yaml/v2"

	"github.com/kforge/kforge/internal/yamlemit"
)

// YAML returns the manifest in kforge's canonical YAML, the style of
// `tk show` and `tk export` (the yaml.v2 emitter that sigs.k8s.io/yaml's
// JSON-to-YAML path uses): keys in yaml.v2's natural order (made deterministic,
// see internal/yamlorder), 2-space indent,
// sequences not indented under their key, long strings folded past column 80,
// `|` block scalars for multi-line strings, YAML 1.1 ambiguous strings quoted,
// characters outside the Basic Multilingual Plane escaped. Unlike Tanka,
// integral numbers stay integers (1000000, not 1e+06).
//
// The output has no leading "---" and ends with "\n" (a final string value
// that itself ends in blank lines keeps them, as YAML requires).
//
// The bytes are yaml.v2's: internal/yamlemit writes them directly, and a
// document it declines (see there) is encoded with yaml.v2 itself.
func (m *Manifest) YAML() ([]byte, error) {
	return m.appendYAML(nil)
}

// appendYAML appends the manifest's canonical YAML (see YAML) to dst.
func (m *Manifest) appendYAML(dst []byte) ([]byte, error) {
	if out, ok := yamlemit.Append(dst, m.Object); ok {
		return out, nil
	}
	doc, err := m.yamlV2()
	if err != nil {
		return dst, err
	}
	return append(dst, doc...), nil
}

// yamlV2 encodes the manifest with yaml.v2, the reference yamlemit reproduces.
func (m *Manifest) yamlV2() ([]byte, error) {
	v, err := yamlemit.V2Tree(m.Object)
	if err != nil {
		return nil, fmt.Errorf("encode %s as YAML: %w", m.Path, err)
	}
	out, err := yaml.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s as YAML: %w", m.Path, err)
	}
	return out, nil
}

// WriteStream writes manifests as a YAML stream in the style of `tk show`:
// documents separated by "---\n" lines, none before the first.
func WriteStream(w io.Writer, ms []*Manifest) error {
	var buf []byte
	for i, m := range ms {
		if i > 0 {
			buf = append(buf, "---\n"...)
		}
		var err error
		if buf, err = m.appendYAML(buf); err != nil {
			return err
		}
	}
	if _, err := w.Write(buf); err != nil {
		return fmt.Errorf("write YAML stream: %w", err)
	}
	return nil
}

// WriteJSON writes manifests as one JSON document, a Kubernetes List
// ({"apiVersion": "v1", "items": [...], "kind": "List"}), indented by two
// spaces with keys sorted, HTML characters unescaped, ending with "\n".
func WriteJSON(w io.Writer, ms []*Manifest) error {
	items := make([]any, len(ms))
	for i, m := range ms {
		items[i] = m.Object
	}
	list := map[string]any{"apiVersion": "v1", "kind": "List", "items": items}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(list); err != nil {
		return fmt.Errorf("encode manifests as JSON: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write JSON: %w", err)
	}
	return nil
}
