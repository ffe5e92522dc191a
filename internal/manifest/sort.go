package manifest

import (
	"cmp"
	"slices"
)

// kindRank returns the position of kind in Tanka's fixed install order, or
// unrankedKind for kinds not in it (they sort after, alphabetically). The
// *List kinds are in Tanka's list too: they only matter for an object of such
// a kind without an items array.
func kindRank(kind string) int {
	switch kind {
	case "Namespace":
		return 0
	case "NetworkPolicy":
		return 1
	case "ResourceQuota":
		return 2
	case "LimitRange":
		return 3
	case "PodSecurityPolicy":
		return 4
	case "PodDisruptionBudget":
		return 5
	case "ServiceAccount":
		return 6
	case "Secret":
		return 7
	case "ConfigMap":
		return 8
	case "StorageClass":
		return 9
	case "PersistentVolume":
		return 10
	case "PersistentVolumeClaim":
		return 11
	case "CustomResourceDefinition":
		return 12
	case "ClusterRole":
		return 13
	case "ClusterRoleList":
		return 14
	case "ClusterRoleBinding":
		return 15
	case "ClusterRoleBindingList":
		return 16
	case "Role":
		return 17
	case "RoleList":
		return 18
	case "RoleBinding":
		return 19
	case "RoleBindingList":
		return 20
	case "Service":
		return 21
	case "DaemonSet":
		return 22
	case "Pod":
		return 23
	case "ReplicationController":
		return 24
	case "ReplicaSet":
		return 25
	case "Deployment":
		return 26
	case "HorizontalPodAutoscaler":
		return 27
	case "StatefulSet":
		return 28
	case "Job":
		return 29
	case "CronJob":
		return 30
	case "Ingress":
		return 31
	case "APIService":
		return 32
	}
	return unrankedKind
}

// unrankedKind is the rank of every kind outside Tanka's fixed order.
const unrankedKind = 33

// sortKey is what Sort compares, computed once per manifest.
type sortKey struct {
	rank                           int
	kind, namespace, name, version string
	path                           string
	m                              *Manifest
}

// Sort orders manifests as Tanka does: by the fixed kind order, other kinds
// after it alphabetically, then by namespace, then by name. kforge breaks the
// remaining ties by apiVersion and JSON path, so the order never depends on
// the input order.
func Sort(ms []*Manifest) {
	keys := make([]sortKey, len(ms))
	for i, m := range ms {
		kind := m.Kind()
		keys[i] = sortKey{
			rank: kindRank(kind), kind: kind, namespace: m.Namespace(), name: m.Name(),
			version: m.APIVersion(), path: m.Path, m: m,
		}
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		return cmp.Or(
			cmp.Compare(a.rank, b.rank),
			cmp.Compare(a.kind, b.kind),
			cmp.Compare(a.namespace, b.namespace),
			cmp.Compare(a.name, b.name),
			cmp.Compare(a.version, b.version),
			cmp.Compare(a.path, b.path),
		)
	})
	for i, k := range keys {
		ms[i] = k.m
	}
}
