# Reports how far each resource moved from what golden/ holds: reads input.previous.
package kforge.moves

# METADATA
# title: Replica changes
# custom:
#   id: KF-MOVE-001
#   severity: info
deny contains finding if {
	some obj in input.resources
	some old in input.previous
	old.metadata.name == obj.metadata.name
	finding := {
		"msg": sprintf("replicas %v -> %v", [old.spec.replicas, obj.spec.replicas]),
		"resource": {"apiVersion": obj.apiVersion, "kind": obj.kind, "namespace": obj.metadata.namespace, "name": obj.metadata.name},
	}
}
