package kforge.bad

# METADATA
# title: Bad
# custom:
#   id: KF-BAD-001
deny contains {"msg": msg} if {
	some r in input.resources
	msg := undefined_helper(r)
}
