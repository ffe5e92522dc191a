package kforge.unsafe

# METADATA
# title: Unsafe body
# custom:
#   id: KF-UNSAFE-002
warn contains msg if {
	some r in input.resources
	msg := sprintf("%s", [undefined_var])
}
