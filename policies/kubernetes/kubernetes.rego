# Kubernetes hygiene for every rendered object: pinned images, resources,
# probes, recommended labels, non-root pods, no plaintext Secrets, explicit
# namespaces and unique names. Lists come from
# data.kforge.settings.kubernetes.
package kforge.kubernetes

import data.kforge.lib

_settings := lib.settings.kubernetes

_cluster_scoped_kinds := {k | some k in _settings.cluster_scoped_kinds}

_containers contains {"obj": obj, "c": c} if {
	some obj in lib.workloads
	some c in lib.containers(obj)
}

# _unpinned explains why an image reference is not pinned; undefined when it
# carries a tag other than latest or a digest.
_unpinned(image) := "no image" if {
	image == ""
} else := "no tag (it means latest)" if {
	not contains(image, "@")
	parts := split(image, "/")
	not contains(parts[count(parts) - 1], ":")
} else := "the latest tag" if {
	not contains(image, "@")
	parts := split(image, "/")
	endswith(parts[count(parts) - 1], ":latest")
}

# METADATA
# title: Images are pinned
# description: >-
#   Every container image names a tag other than latest, or a digest, so a
#   render always deploys the same bits.
# scope: rule
# custom:
#   id: KF-K8S-001
#   severity: error
deny contains finding if {
	some x in _containers
	image := object.get(x.c.container, "image", "")
	reason := _unpinned(image)
	finding := lib.finding(x.obj, sprintf("%s image %q has %s; pin a version tag or a digest", [x.c.path, image, reason]))
}

_missing_resources(container) := [sprintf("resources.%s.%s", [kind, name]) |
	some kind, names in _settings.required_resources
	some name in names
	not _has_resource(container, kind, name)
]

_has_resource(container, kind, name) if object.get(container, ["resources", kind, name], "") != ""

# METADATA
# title: Containers set requests and limits
# description: >-
#   Every container and init container sets resource requests and limits
#   (data.kforge.settings.kubernetes.required_resources: requests cpu and
#   memory, limits memory), so the scheduler can place it and a leak cannot
#   starve the node.
# scope: rule
# custom:
#   id: KF-K8S-002
#   severity: error
#   hygiene: true
deny contains finding if {
	some x in _containers
	x.c.field != "ephemeralContainers"
	missing := _missing_resources(x.c.container)
	count(missing) > 0
	finding := lib.finding(x.obj, sprintf("%s has no %s", [x.c.path, concat(", ", missing)]))
}

# METADATA
# title: Long-running containers have probes
# description: >-
#   Containers of long-running workloads (not Jobs, CronJobs or init
#   containers) define readinessProbe and livenessProbe, so traffic only
#   reaches ready pods and hung ones restart.
# scope: rule
# custom:
#   id: KF-K8S-003
#   severity: error
#   hygiene: true
deny contains finding if {
	some x in _containers
	x.obj.kind in lib.long_running_kinds
	x.c.field == "containers"
	missing := [probe |
		some probe in ["readinessProbe", "livenessProbe"]
		not is_object(object.get(x.c.container, probe, null))
	]
	count(missing) > 0
	finding := lib.finding(x.obj, sprintf("%s has no %s", [x.c.path, concat(" and ", missing)]))
}

_label_sets contains {"obj": obj, "pod": false, "labels": lib.labels(obj)} if {
	some obj in lib.workloads
}

_label_sets contains {"obj": obj, "pod": true, "labels": lib.pod_labels(obj)} if {
	some obj in lib.workloads
	obj.kind != "Pod"
}

# _label_path is the field path of a label set.
_label_path(set) := sprintf("%s.labels", [lib.pod_metadata_path(set.obj)]) if {
	set.pod
} else := "metadata.labels"

_missing_labels(labels, wanted) := [name |
	some name in wanted
	object.get(labels, name, "") == ""
]

# METADATA
# title: Workloads carry app.kubernetes.io/name and version
# description: >-
#   Workloads and their pod templates carry the app.kubernetes.io/name and
#   app.kubernetes.io/version labels
#   (data.kforge.settings.kubernetes.required_labels) that dashboards,
#   Dapr app-ids and canary analysis select on.
# scope: rule
# custom:
#   id: KF-K8S-004
#   severity: error
#   hygiene: true
deny contains finding if {
	some set in _label_sets
	missing := _missing_labels(set.labels, _settings.required_labels)
	count(missing) > 0
	finding := lib.finding(set.obj, sprintf("%s lacks %s", [_label_path(set), concat(", ", missing)]))
}

# METADATA
# title: App objects carry the recommended labels
# description: >-
#   An object labelled app.kubernetes.io/name carries the other recommended
#   labels too (instance, version, component, part-of, managed-by;
#   data.kforge.settings.kubernetes.recommended_labels).
# scope: rule
# custom:
#   id: KF-K8S-005
#   severity: warning
warn contains finding if {
	some obj in input.resources
	labels := object.get(obj, ["metadata", "labels"], {})
	object.get(labels, "app.kubernetes.io/name", "") != ""
	missing := _missing_labels(labels, _settings.recommended_labels)
	count(missing) > 0
	finding := lib.finding(obj, sprintf("metadata.labels lacks %s", [concat(", ", missing)]))
}

# _security is a container's effective securityContext field: the
# container's own setting, else the pod's.
_security(x, field) := object.get(x.c.container, ["securityContext", field], object.get(lib.pod_spec(x.obj), ["securityContext", field], null))

_root_problems contains {"x": x, "msg": "runAsNonRoot is not true in the container or pod securityContext"} if {
	some x in _containers
	_security(x, "runAsNonRoot") != true
}

_root_problems contains {"x": x, "msg": "runs as user 0 (securityContext.runAsUser)"} if {
	some x in _containers
	_security(x, "runAsUser") == 0
}

# METADATA
# title: Containers run as non-root
# description: >-
#   Every container runs with runAsNonRoot true (set on the container or the
#   pod) and not as user 0.
# scope: rule
# custom:
#   id: KF-K8S-006
#   severity: error
deny contains finding if {
	some p in _root_problems
	finding := lib.finding(p.x.obj, sprintf("%s %s", [p.x.c.path, p.msg]))
}

# METADATA
# title: No plaintext Secret objects
# description: >-
#   Rendered manifests land in Git (golden/), so they contain no Secret
#   objects: reference secrets (secretKeyRef, ExternalSecret, SealedSecret)
#   instead, or annotate a deliberate exception with
#   kforge.dev/allow-plaintext-secret: "true".
# scope: rule
# custom:
#   id: KF-K8S-007
#   severity: error
deny contains finding if {
	some obj in input.resources
	obj.kind == "Secret"
	obj.apiVersion == "v1"
	annotation := _settings.allow_plaintext_secret_annotation
	object.get(lib.annotations(obj), annotation, "") != "true"
	finding := lib.finding(obj, sprintf("a plaintext Secret would be committed to golden/; reference the secret instead or annotate %s: \"true\"", [annotation]))
}

# METADATA
# title: Namespaced objects carry a namespace
# description: >-
#   Every namespaced object sets metadata.namespace explicitly, so the
#   manifests apply the same way whatever the current kubectl context
#   (cluster-scoped kinds: data.kforge.settings.kubernetes.cluster_scoped_kinds).
# scope: rule
# custom:
#   id: KF-K8S-008
#   severity: error
deny contains finding if {
	some obj in input.resources
	object.get(obj, ["metadata", "namespace"], "") == ""
	not obj.kind in _cluster_scoped_kinds
	finding := lib.finding(obj, sprintf("metadata.namespace is not set on a namespaced %s", [obj.kind]))
}

# _names are the [kind, namespace, name] of every object, index for index.
_names := [[object.get(obj, "kind", ""), object.get(obj, ["metadata", "namespace"], ""), object.get(obj, ["metadata", "name"], "")] |
	some obj in input.resources
]

# _shared_names are the [kind, namespace, name] triples more than one object
# has. A set of the triples is as large as the list unless some repeat (the
# common case, decided in one step); equal triples are neighbours once sorted,
# so finding them takes n log n steps where comparing every pair of objects
# would take n squared.
_shared_names contains shared if {
	count({n | some n in _names}) != count(_names)
	sorted := sort(_names)
	count(sorted) > 1
	some i in numbers.range(1, count(sorted) - 1)
	shared := sorted[i]
	shared == sorted[i - 1]
}

# METADATA
# title: Names are unique per kind and namespace
# description: >-
#   Two objects of the same group and kind may not share a name in one
#   namespace; the second silently replaces the first when applied.
# scope: rule
# custom:
#   id: KF-K8S-009
#   severity: error
deny contains finding if {
	some shared in _shared_names
	indices := [i | some i, n in _names; n == shared]
	some i in indices
	obj := input.resources[i]
	group := lib.api_group(obj)
	same := [j | some j in indices; lib.api_group(input.resources[j]) == group]
	count(same) > 1
	finding := lib.finding(obj, sprintf("%d objects of kind %s share this name in the same namespace", [count(same), obj.kind]))
}
