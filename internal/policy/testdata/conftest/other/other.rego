package other

deny contains {"msg": sprintf("%s %s is checked by package other", [input.kind, input.metadata.name])} if {
	input.kind == "Service"
}
