package kforge.conflict

# Several kinds make this complete rule produce several values.
only_kind := k if {
	some r in input.resources
	k := r.kind
}

# METADATA
# title: Conflict
# custom:
#   id: KF-CONFLICT-001
deny contains {"msg": only_kind} if {
	only_kind == "Deployment"
}
