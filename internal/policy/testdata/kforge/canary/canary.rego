# METADATA
# description: Test canary rules.
package kforge.canary

# METADATA
# title: Canary weight exceeds the tier cap
# description: The canary route may carry at most the tier's cap.
# custom:
#   id: KF-T-001
#   severity: error
deny contains finding if {
	some vs in input.resources
	vs.kind == "VirtualService"
	some route in vs.spec.http
	some dest in route.route
	dest.destination.subset == "canary"
	cap := data.limits.canary_cap[input.environment.tier]
	dest.weight > cap
	finding := {
		"msg": sprintf("canary weight %d exceeds the %s cap of %d", [dest.weight, input.environment.tier, cap]),
		"resource": _ref(vs),
	}
}

# METADATA
# title: Route weights must sum to 100
# custom:
#   id: KF-T-002
deny contains finding if {
	some vs in input.resources
	vs.kind == "VirtualService"
	some route in vs.spec.http
	count(route.route) > 1
	total := sum([d.weight | some d in route.route])
	total != 100
	finding := {
		"msg": sprintf("route %s weights sum to %d", [route.name, total]),
		"resource": _ref(vs),
	}
}

# METADATA
# title: Canary without a header route
# description: A header route lets testers reach the canary on purpose.
# custom:
#   id: KF-T-003
#   severity: warning
warn contains finding if {
	some vs in input.resources
	vs.kind == "VirtualService"
	not _has_header_route(vs)
	finding := {"msg": "no header-matched route to the canary", "resource": _ref(vs)}
}

_has_header_route(vs) if {
	some route in vs.spec.http
	route.match[_].headers
}

_ref(obj) := {
	"apiVersion": obj.apiVersion,
	"kind": obj.kind,
	"namespace": object.get(obj.metadata, "namespace", ""),
	"name": obj.metadata.name,
}
