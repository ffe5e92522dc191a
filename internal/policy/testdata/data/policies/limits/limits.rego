package kforge.limits

# METADATA
# title: Replicas below the tier minimum
# custom:
#   id: KF-DATA-001
deny contains finding if {
	some r in input.resources
	r.kind == "Deployment"
	min := data.limits.replicas[input.environment.tier]
	r.spec.replicas < min
	finding := {
		"msg": sprintf("%d replicas, %s needs %d (%s)", [r.spec.replicas, input.environment.tier, min, data.owner]),
		"resource": {"apiVersion": r.apiVersion, "kind": r.kind, "namespace": r.metadata.namespace, "name": r.metadata.name},
	}
}
