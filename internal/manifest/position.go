package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// FieldPath is the path of a field in an object: each element is a map key
// or, where the value is a list, a decimal index. Which one an element is
// follows from the value it is applied to, so the key "0" of a map and the
// index 0 of a list are both "0".
type FieldPath []string

// ParseFieldPath reads a field path as reports write it, kubectl's way:
// "spec.http[0].route[1].weight", a key that is not a plain name in
// brackets ("metadata.labels[app.kubernetes.io/name]"), or Go-quoted in
// brackets (`data["config.yaml"]`). A leading "." is allowed; "" is the
// object itself.
func ParseFieldPath(s string) (FieldPath, error) {
	var out FieldPath
	i := 0
	if strings.HasPrefix(s, ".") {
		i = 1
	}
	for i < len(s) {
		switch s[i] {
		case '[':
			if i+1 < len(s) && s[i+1] == '"' {
				q, err := strconv.QuotedPrefix(s[i+1:])
				if err != nil || !strings.HasPrefix(s[i+1+len(q):], "]") {
					return nil, fmt.Errorf("parse field path %q: unterminated quoted key at byte %d", s, i)
				}
				key, _ := strconv.Unquote(q)
				out = append(out, key)
				i += 1 + len(q) + 1
			} else {
				end := strings.IndexByte(s[i:], ']')
				if end < 0 {
					return nil, fmt.Errorf("parse field path %q: unterminated [ at byte %d", s, i)
				}
				out = append(out, s[i+1:i+end])
				i += end + 1
			}
		case '.':
			if i+1 >= len(s) || s[i+1] == '.' || s[i+1] == '[' {
				return nil, fmt.Errorf("parse field path %q: empty name at byte %d", s, i)
			}
			i++
		default:
			end := strings.IndexAny(s[i:], ".[")
			if end < 0 {
				end = len(s) - i
			}
			out = append(out, s[i:i+end])
			i += end
		}
	}
	return out, nil
}

// String writes the path the way ParseFieldPath reads it: plain names after
// dots, list indexes and other keys in brackets (Go-quoted when they hold
// brackets or quotes).
func (p FieldPath) String() string {
	var b strings.Builder
	for _, e := range p {
		switch {
		case isIdentifier(e):
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(e)
		case strings.ContainsAny(e, `[]"`) || e == "":
			b.WriteString("[" + strconv.Quote(e) + "]")
		default:
			b.WriteString("[" + e + "]")
		}
	}
	return b.String()
}

// Position is a place in a YAML document: 1-based line and column (columns
// count characters; kforge's YAML indents with spaces, so a key's column is
// the same in bytes, characters and UTF-16 units).
type Position struct {
	Line   int
	Column int
}

// Positions tells where the fields of one YAML document are written.
type Positions struct {
	root *yaml.Node
}

// YAMLPositions returns the manifest's canonical YAML (exactly the bytes
// [Manifest.YAML] writes) and where each of its fields is in those bytes.
func (m *Manifest) YAMLPositions() ([]byte, *Positions, error) {
	doc, err := m.YAML()
	if err != nil {
		return nil, nil, err
	}
	p, err := ParsePositions(doc)
	if err != nil {
		return nil, nil, fmt.Errorf("locate fields of %s: %w", m.Path, err)
	}
	return doc, p, nil
}

// ParsePositions reads the first YAML document of doc (such as a golden
// file, canonical or not) for [Positions.Locate].
func ParsePositions(doc []byte) (*Positions, error) {
	var n yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(doc)).Decode(&n); err != nil {
		if errors.Is(err, io.EOF) {
			return &Positions{}, nil
		}
		return nil, fmt.Errorf("parse YAML: %w", err)
	}
	root := &n
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	return &Positions{root: root}, nil
}

// Locate returns where the field at path is written: the position of its
// key, or for a list entry of the entry's first character after "- ". When
// the whole path is not in the document it returns the position of the
// deepest field on the way that is, with depth the number of path elements
// that were found (len(path) when all were). The empty path, and a path none
// of whose elements exist, give the document's first line with depth 0;
// an empty document gives the zero Position.
func (p *Positions) Locate(path FieldPath) (pos Position, depth int) {
	if p == nil || p.root == nil {
		return Position{}, 0
	}
	n := p.root
	pos = Position{Line: n.Line, Column: n.Column}
	for _, elem := range path {
		var next, at *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Value == elem {
					at, next = k, n.Content[i+1]
					break
				}
			}
		case yaml.SequenceNode:
			if i, err := strconv.Atoi(elem); err == nil && i >= 0 && i < len(n.Content) {
				at, next = n.Content[i], n.Content[i]
			}
		}
		if next == nil {
			return pos, depth
		}
		pos = Position{Line: at.Line, Column: at.Column}
		depth++
		n = next
	}
	return pos, depth
}
