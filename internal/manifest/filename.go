package manifest

import (
	"fmt"
	"strings"
)

// clusterDir is the golden directory of objects without a namespace.
const clusterDir = "_cluster"

// maxComponent is the longest file name component most file systems allow.
const maxComponent = 255

// FileName returns the manifest's file in the golden layout of its
// environment: "<namespace>/<kind-lowercased>-<name>.yaml", or
// "_cluster/<kind-lowercased>-<name>.yaml" without a namespace, each part
// made portable by [PortableComponent]. It does not
// know the other manifests: FileNames is authoritative for a set, qualifying
// names with the API group where needed and rejecting unsafe ones.
func (m *Manifest) FileName() string {
	return m.dir() + "/" + PortableComponent(strings.ToLower(m.Kind())+"-"+m.Name()+".yaml")
}

// dir returns the manifest's directory in the golden layout.
func (m *Manifest) dir() string {
	if ns := m.Namespace(); ns != "" {
		return PortableComponent(ns)
	}
	return clusterDir
}

// qualifiedFileName is FileName with the API group after the kind:
// "<namespace>/<kind-lowercased>.<group>-<name>.yaml" ("core" for the core
// group).
func (m *Manifest) qualifiedFileName() string {
	group := m.Group()
	if group == "" {
		group = "core"
	}
	return m.dir() + "/" + PortableComponent(strings.ToLower(m.Kind())+"."+strings.ToLower(group)+"-"+m.Name()+".yaml")
}

// FileNames returns the golden file name of every manifest, in the order of
// ms. Manifests that share namespace, kind and name (compared
// case-insensitively) but differ in API group all get group-qualified names
// ("<kind>.<group>-<name>.yaml", group "core" for the core group) so names
// stay unique. It fails, naming the
// resource, when a namespace, kind, group or name would escape its directory (contains
// "/", "\", "..", NUL, or is "." or ".."), when a path component exceeds 255
// bytes, or when two names still collide case-insensitively.
func FileNames(ms []*Manifest) ([]string, error) {
	var problems []*Error
	for _, m := range ms {
		if reason := unsafeComponents(m); reason != "" {
			problems = append(problems, &Error{Path: m.Path, Reason: fmt.Sprintf("resource %s cannot be written to a file: %s", m.ID(), reason)})
		}
	}
	if err := asError(problems); err != nil {
		return nil, err
	}

	// Manifests whose plain names collide case-insensitively get
	// group-qualified names when some other of them is in another group.
	byPlain := make(map[string][]*Manifest, len(ms))
	for _, m := range ms {
		key := strings.ToLower(m.FileName())
		byPlain[key] = append(byPlain[key], m)
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.FileName()
		for _, other := range byPlain[strings.ToLower(names[i])] {
			if !strings.EqualFold(other.Group(), m.Group()) {
				names[i] = m.qualifiedFileName()
				break
			}
		}
	}

	owner := make(map[string]int, len(ms))
	for i, name := range names {
		for _, c := range strings.Split(name, "/") {
			if len(c) > maxComponent {
				problems = append(problems, &Error{Path: ms[i].Path, Reason: fmt.Sprintf(
					"resource %s cannot be written to a file: file name component %q is %d bytes long (at most %d)",
					ms[i].ID(), truncate(c, 40)+"...", len(c), maxComponent)})
			}
		}
		key := strings.ToLower(name)
		if j, ok := owner[key]; ok {
			problems = append(problems, &Error{Path: ms[i].Path, Reason: fmt.Sprintf(
				"resource %s and resource %s (at %s) would both be written to %s (file names are compared case-insensitively)",
				ms[i].ID(), ms[j].ID(), ms[j].Path, name)})
			continue
		}
		owner[key] = i
	}
	if err := asError(problems); err != nil {
		return nil, err
	}
	return names, nil
}

// unsafeComponents explains why the manifest's namespace or name cannot be
// part of a path, or returns "".
func unsafeComponents(m *Manifest) string {
	for _, c := range []struct{ what, value string }{
		{"namespace", m.Namespace()},
		{"kind", m.Kind()},
		{"API group", m.Group()},
		{"name", m.Name()},
	} {
		switch {
		case c.value == "." || c.value == "..":
			return fmt.Sprintf("%s %q is a relative directory", c.what, c.value)
		case strings.ContainsAny(c.value, "/\\"):
			return fmt.Sprintf("%s %q contains a path separator", c.what, c.value)
		case strings.Contains(c.value, ".."):
			return fmt.Sprintf("%s %q contains \"..\"", c.what, c.value)
		case strings.ContainsRune(c.value, 0):
			return fmt.Sprintf("%s %q contains a NUL character", c.what, c.value)
		}
	}
	return ""
}
