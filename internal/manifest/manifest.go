package manifest

import (
	"strings"
)

// Manifest is one Kubernetes object of an environment's output.
type Manifest struct {
	// Object is the decoded JSON object. Numbers are json.Number in canonical
	// form: integral values as integers ("1000000"), others in the shortest
	// representation that round-trips ("0.1", "1.5e-07").
	Object map[string]any
	// Path is the JSON path of the object in the environment output, e.g.
	// ".apps.order_service.deployment" or ".crds.items[3]".
	Path string
}

// ID identifies a resource in a cluster: API group, kind, namespace, name.
type ID struct {
	Group     string // API group, "" for the core group
	Kind      string
	Namespace string // "" for cluster-scoped objects
	Name      string
}

// String renders the ID as "<group>/<kind>/<namespace>/<name>", e.g.
// "apps/Deployment/apps/order-service"; the core group is shown as "core", and
// an object without namespace has no namespace segment
// ("rbac.authorization.k8s.io/ClusterRole/admin").
func (id ID) String() string {
	group := id.Group
	if group == "" {
		group = "core"
	}
	if id.Namespace == "" {
		return group + "/" + id.Kind + "/" + id.Name
	}
	return group + "/" + id.Kind + "/" + id.Namespace + "/" + id.Name
}

// APIVersion returns the object's apiVersion ("apps/v1", "v1").
func (m *Manifest) APIVersion() string {
	s, _ := m.Object["apiVersion"].(string)
	return s
}

// Kind returns the object's kind ("Deployment").
func (m *Manifest) Kind() string {
	s, _ := m.Object["kind"].(string)
	return s
}

// Group returns the API group of the object's apiVersion, "" for the core
// group ("apps" for "apps/v1", "" for "v1").
func (m *Manifest) Group() string {
	group, _, found := strings.Cut(m.APIVersion(), "/")
	if !found {
		return ""
	}
	return group
}

// metadata returns the object's metadata, nil when absent or not an object.
func (m *Manifest) metadata() map[string]any {
	md, _ := m.Object["metadata"].(map[string]any)
	return md
}

// Name returns metadata.name, or metadata.generateName for an object that
// only has a name prefix.
func (m *Manifest) Name() string {
	md := m.metadata()
	if s, ok := md["name"].(string); ok {
		return s
	}
	s, _ := md["generateName"].(string)
	return s
}

// hasName reports whether the object has a metadata.name (rather than only
// a generateName).
func (m *Manifest) hasName() bool {
	_, ok := m.metadata()["name"].(string)
	return ok
}

// Namespace returns metadata.namespace, "" when the object has none
// (cluster-scoped objects).
func (m *Manifest) Namespace() string {
	s, _ := m.metadata()["namespace"].(string)
	return s
}

// Labels returns metadata.labels (nil when there are none). The map is the
// object's own: changing it changes the manifest.
func (m *Manifest) Labels() map[string]any {
	l, _ := m.metadata()["labels"].(map[string]any)
	return l
}

// Annotations returns metadata.annotations (nil when there are none). The map
// is the object's own: changing it changes the manifest.
func (m *Manifest) Annotations() map[string]any {
	a, _ := m.metadata()["annotations"].(map[string]any)
	return a
}

// ID returns the object's identity: group, kind, namespace and name.
func (m *Manifest) ID() ID {
	return ID{Group: m.Group(), Kind: m.Kind(), Namespace: m.Namespace(), Name: m.Name()}
}

// KindName returns "<kind>/<name>", the string target filters match.
func (m *Manifest) KindName() string {
	return m.Kind() + "/" + m.Name()
}

// IsSecret reports whether the object is a core Secret (whose golden file
// and diff need care).
func (m *Manifest) IsSecret() bool {
	return m.Kind() == "Secret" && m.Group() == ""
}
