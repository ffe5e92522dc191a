# Dapr: component metadata secrets, sidecar annotations and connection pool
# sizes. Limits come from data.kforge.tiers.<tier>.dapr_min_idle_conns and
# data.kforge.settings.dapr.
package kforge.dapr

import data.kforge.lib

_components contains c if {
	some c in input.resources
	c.kind == "Component"
	startswith(c.apiVersion, "dapr.io/")
}

_metadata_items contains {"component": c, "index": i, "item": item} if {
	some c in _components
	some i, item in object.get(c, ["spec", "metadata"], [])
}

# METADATA
# title: Dapr secrets only by secretKeyRef
# description: >-
#   Component metadata whose name looks like a secret (password, secret,
#   token, key ...; data.kforge.settings.dapr.secret_name_pattern) must come
#   from secretKeyRef, never from a plaintext value in Git.
# scope: rule
# custom:
#   id: KF-DAPR-001
#   severity: error
deny contains finding if {
	some m in _metadata_items
	regex.match(lib.settings.dapr.secret_name_pattern, object.get(m.item, "name", ""))
	value := object.get(m.item, "value", "")
	value != ""
	finding := lib.finding(m.component, sprintf("spec.metadata[%d] (%s) has a plaintext value; take it from a secret with secretKeyRef {name, key} and auth.secretStore", [m.index, m.item.name]))
}

_dapr_apps contains w if {
	some w in lib.workloads
	lib.pod_annotations(w)["dapr.io/enabled"] == "true"
}

_app_name(w) := name if {
	name := lib.pod_labels(w)["app.kubernetes.io/name"]
} else := lib.labels(w)["app.kubernetes.io/name"]

_annotation_path(w, key) := sprintf("%s.annotations[%q]", [lib.pod_metadata_path(w), key])

# METADATA
# title: Dapr app-id matches the app name
# description: >-
#   dapr.io/app-id must equal the pod's app.kubernetes.io/name label, so
#   service invocation, component scopes and traces all use one name.
# scope: rule
# custom:
#   id: KF-DAPR-002
#   severity: error
deny contains finding if {
	some problem in _app_id_problems
	finding := lib.finding(problem.obj, problem.msg)
}

_app_id_problems contains {"obj": w, "msg": msg} if {
	some w in _dapr_apps
	app_id := object.get(lib.pod_annotations(w), "dapr.io/app-id", "")
	name := _app_name(w)
	app_id != name
	msg := sprintf("%s is %q; it must equal the app.kubernetes.io/name label %q", [_annotation_path(w, "dapr.io/app-id"), app_id, name])
}

_app_id_problems contains {"obj": w, "msg": msg} if {
	some w in _dapr_apps
	not _app_name(w)
	msg := sprintf("%s is %q, but the pods carry no app.kubernetes.io/name label to match", [_annotation_path(w, "dapr.io/app-id"), object.get(lib.pod_annotations(w), "dapr.io/app-id", "")])
}

_declared_port(w, port) if lib.as_number(port) in _container_ports(w)

_container_ports(w) := {p.containerPort |
	some c in lib.containers(w)
	c.field == "containers"
	some p in object.get(c.container, "ports", [])
}

# METADATA
# title: Dapr app-port is a container port
# description: >-
#   dapr.io/app-port must be a containerPort the app declares, or the
#   sidecar waits for a port nobody listens on.
# scope: rule
# custom:
#   id: KF-DAPR-003
#   severity: error
deny contains finding if {
	some w in _dapr_apps
	port := lib.pod_annotations(w)["dapr.io/app-port"]
	not _declared_port(w, port)
	finding := lib.finding(w, sprintf("%s is %q, but the containers declare ports %v", [_annotation_path(w, "dapr.io/app-port"), port, sort(_container_ports(w))]))
}

# METADATA
# title: Dapr Redis pools keep enough idle connections
# description: >-
#   Redis-backed components (state, pub/sub, lock, configuration) must set
#   minIdleConns to at least the tier's dapr_min_idle_conns (prod 10): a pool
#   of 5 idle connections once blocked a rules engine under load.
# scope: rule
# custom:
#   id: KF-DAPR-004
#   severity: error
deny contains finding if {
	some problem in _idle_problems
	finding := lib.finding(problem.component, sprintf("%s; the %s tier needs at least %v idle connections", [problem.msg, lib.tier, lib.tier_limits.dapr_min_idle_conns]))
}

_pooled_components contains c if {
	some c in _components
	regex.match(lib.settings.dapr.pooled_component_type_pattern, object.get(c, ["spec", "type"], ""))
}

_idle_items(c) := [{"index": i, "value": object.get(item, "value", null)} |
	some i, item in object.get(c, ["spec", "metadata"], [])
	item.name == "minIdleConns"
]

_idle_problems contains {"component": c, "msg": msg} if {
	some c in _pooled_components
	count(_idle_items(c)) == 0
	msg := sprintf("spec.metadata has no minIdleConns (%s defaults to 0)", [c.spec.type])
}

_idle_problems contains {"component": c, "msg": msg} if {
	some c in _pooled_components
	some item in _idle_items(c)
	not _enough_idle(item.value)
	msg := sprintf("spec.metadata[%d] (minIdleConns) is %v", [item.index, item.value])
}

_enough_idle(value) if lib.as_number(value) >= lib.tier_limits.dapr_min_idle_conns
