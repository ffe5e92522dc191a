package main

# A second file contributing to the same deny rule.
deny contains msg if {
	input.kind == "Service"
	input.spec.type == "NodePort"
	msg := sprintf("Service %s must not be a NodePort", [input.metadata.name])
}
