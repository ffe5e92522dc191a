package kforge.unsafe

# METADATA
# title: Unsafe head
# custom:
#   id: KF-UNSAFE-001
deny contains x if {
	some r in input.resources
	r.kind == "Deployment"
}
