package main

import data.lib

deny[msg] {
	input.kind == "Deployment"
	re_match("^web", input.metadata.name)
	msg := sprintf("%s: %s", [input.metadata.name, lib.reason])
}

warn[msg] {
	input.kind == "ConfigMap"
	not input.metadata.labels.owner
	msg = "no owner label"
}
