package main

deny contains msg if {
	input.kind == "Deployment"
	not input.spec.template.spec.securityContext.runAsNonRoot
	msg := sprintf("%s: containers must not run as root", [input.metadata.name])
}

deny_latest contains msg if {
	some c in input.spec.template.spec.containers
	endswith(c.image, ":latest")
	msg := sprintf("%s uses a latest tag", [c.name])
}

violation_labels contains {"msg": msg, "details": {"missing": "app"}} if {
	input.kind == "Deployment"
	not input.metadata.labels.app
	msg := "Deployment has no app label"
}

# METADATA
# title: Few replicas
warn_replicas contains msg if {
	input.kind == "Deployment"
	input.spec.replicas < 2
	msg := sprintf("only %d replica", [input.spec.replicas])
}

# Empty messages and values that are neither strings nor objects pass, as in conftest.
warn_quiet contains "" if true

warn_quiet contains 42 if true

deny_file contains msg if {
	endswith(data.conftest.file.name, ".yml")
	msg := sprintf("%s/%s: use the .yaml extension", [data.conftest.file.dir, data.conftest.file.name])
}

exception contains rules if {
	input.metadata.name == "legacy"
	rules := ["latest", "labels"]
}

exception contains rules if {
	input.metadata.name == "root-ok"
	rules := [""]
}
