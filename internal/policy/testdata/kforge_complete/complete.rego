package kforge.complete

deny := [{"msg": "a list is not a set"}] if {
	count(input.resources) > 0
}
