package main

deny contains {"message": "msg is the field conftest reads"} if {
	input.kind == "ConfigMap"
}
