package main

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.replicas
	msg := "replicas must be set"
}

warn contains msg if {
	input.kind == "ConfigMap"
	msg := "configmap"
}
