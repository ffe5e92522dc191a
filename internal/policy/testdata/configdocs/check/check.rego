# Compares the configuration files kforge parses in Go (input.config_docs) with what Rego's
# yaml.unmarshal makes of the same ConfigMap data.
package kforge.configdocs

_rego contains {"index": i, "key": key, "doc": doc} if {
	some i, obj in input.resources
	obj.kind == "ConfigMap"
	some key, text in object.get(obj, "data", {})
	is_string(text)
	yaml.is_valid(text)
	doc := yaml.unmarshal(text)
	is_object(doc)
}

_go := {d | some d in input.config_docs}

# METADATA
# title: Go and Rego parse the same documents
# custom:
#   id: KF-CD-001
#   severity: error
deny contains finding if {
	_rego != _go
	finding := {"msg": sprintf("rego %v, go %v", [_rego - _go, _go - _rego]), "resource": {}}
}

# METADATA
# title: Documents parsed
# custom:
#   id: KF-CD-002
#   severity: info
deny contains finding if {
	finding := {"msg": sprintf("%d documents", [count(_go)]), "resource": {}}
}
