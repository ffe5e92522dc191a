package kforge.canary_test

import data.kforge.canary

test_weight_over_cap if {
	vs := {"apiVersion": "networking.istio.io/v1", "kind": "VirtualService", "metadata": {"name": "a", "namespace": "apps"}, "spec": {"http": [{"name": "primary", "route": [{"destination": {"subset": "stable"}, "weight": 80}, {"destination": {"subset": "canary"}, "weight": 20}]}]}}
	count(canary.deny) == 1 with input as {"environment": {"tier": "prod"}, "resources": [vs]}
}
