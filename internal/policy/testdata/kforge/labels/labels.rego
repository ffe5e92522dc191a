package kforge.labels

# METADATA
# title: Recommended labels
# custom:
#   id: KF-T-010
#   severity: info
warn contains finding if {
	some r in input.resources
	not r.metadata.labels["app.kubernetes.io/name"]
	finding := {
		"msg": "missing label app.kubernetes.io/name",
		"resource": {"apiVersion": r.apiVersion, "kind": r.kind, "namespace": object.get(r.metadata, "namespace", ""), "name": r.metadata.name},
	}
}

# A finding may name its rule itself; the catalogue supplies title and severity.
deny contains finding if {
	some r in input.resources
	r.kind == "Secret"
	finding := {"id": "KF-T-011", "msg": "plaintext Secret rendered", "resource": r}
}

# METADATA
# title: No plaintext Secrets
# custom:
#   id: KF-T-011
#   severity: error
deny contains finding if {
	false
	finding := {"msg": "unreachable"}
}

# A body without METADATA is named after its package and rule.
deny contains "environment has no tier label" if {
	not input.environment.labels.tier
}
