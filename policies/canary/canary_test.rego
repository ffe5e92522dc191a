package kforge.canary_test

import data.kforge.canary

# A prod environment with both canary styles, valid as rendered: order-service
# (Git-driven weights 95/5) and esign-service (Argo Rollout).
_base := {
	"order_v18": _deployment("order-service-v1-8", "order-service", "v1.8"),
	"order_v19": _deployment("order-service-v1-9", "order-service", "v1.9"),
	"order_dr": {
		"apiVersion": "networking.istio.io/v1",
		"kind": "DestinationRule",
		"metadata": {"name": "order-service", "namespace": "apps"},
		"spec": {
			"host": "order-service.apps.svc.cluster.local",
			"subsets": [
				{"name": "stable", "labels": {"app": "order-service", "version": "v1.8"}},
				{"name": "canary", "labels": {"app": "order-service", "version": "v1.9"}},
			],
		},
	},
	"order_vs": {
		"apiVersion": "networking.istio.io/v1",
		"kind": "VirtualService",
		"metadata": {"name": "order-service", "namespace": "apps"},
		"spec": {
			"hosts": ["order-service.apps.svc.cluster.local"],
			"http": [
				{
					"name": "canary-header",
					"match": [{"headers": {"env": {"exact": "prod-canary"}}}],
					"route": [{"destination": {"host": "order-service.apps.svc.cluster.local", "subset": "canary"}, "weight": 100}],
				},
				{
					"name": "primary",
					"route": [
						{"destination": {"host": "order-service.apps.svc.cluster.local", "subset": "stable"}, "weight": 95},
						{"destination": {"host": "order-service.apps.svc.cluster.local", "subset": "canary"}, "weight": 5},
					],
				},
			],
		},
	},
	"order_analysis": _analysis("order-service"),
	"esign_rollout": {
		"apiVersion": "argoproj.io/v1alpha1",
		"kind": "Rollout",
		"metadata": {"name": "esign-service", "namespace": "apps", "labels": {"app.kubernetes.io/name": "esign-service"}},
		"spec": {
			"template": {
				"metadata": {"labels": {"app": "esign-service", "app.kubernetes.io/name": "esign-service"}},
				"spec": {"containers": [{"name": "esign-service", "image": "esign:v2.3"}]},
			},
			"strategy": {"canary": {
				"trafficRouting": {
					"istio": {
						"virtualService": {"name": "esign-service", "routes": ["primary"]},
						"destinationRule": {"name": "esign-service", "canarySubsetName": "canary", "stableSubsetName": "stable"},
					},
					"managedRoutes": [{"name": "canary-header"}],
				},
				"steps": [
					{"setHeaderRoute": {"name": "canary-header", "match": [{"headerName": "env", "headerValue": {"exact": "prod-canary"}}]}},
					{"setWeight": 5},
					{"pause": {"duration": "10m"}},
					{"analysis": {"templates": [{"templateName": "esign-service-canary-analysis"}]}},
					{"setWeight": 25},
					{"pause": {"duration": "10m"}},
					{"setWeight": 50},
					{"pause": {"duration": "10m"}},
				],
				"analysis": {"templates": [{"templateName": "esign-service-canary-analysis"}], "startingStep": 1},
			}},
		},
	},
	"esign_dr": {
		"apiVersion": "networking.istio.io/v1",
		"kind": "DestinationRule",
		"metadata": {"name": "esign-service", "namespace": "apps"},
		"spec": {
			"host": "esign-service",
			"subsets": [
				{"name": "stable", "labels": {"app": "esign-service"}},
				{"name": "canary", "labels": {"app": "esign-service"}},
			],
		},
	},
	"esign_vs": {
		"apiVersion": "networking.istio.io/v1",
		"kind": "VirtualService",
		"metadata": {"name": "esign-service", "namespace": "apps"},
		"spec": {
			"hosts": ["esign-service"],
			"http": [{
				"name": "primary",
				"route": [
					{"destination": {"host": "esign-service", "subset": "stable"}, "weight": 100},
					{"destination": {"host": "esign-service", "subset": "canary"}, "weight": 0},
				],
			}],
		},
	},
	"esign_analysis": _analysis("esign-service"),
}

_deployment(name, app, version) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": name, "namespace": "apps"},
	"spec": {"template": {
		"metadata": {"labels": {"app": app, "version": version, "app.kubernetes.io/name": app}},
		"spec": {"containers": [{"name": app, "image": sprintf("%s:%s", [app, version])}]},
	}},
}

_analysis(service) := {
	"apiVersion": "argoproj.io/v1alpha1",
	"kind": "AnalysisTemplate",
	"metadata": {
		"name": sprintf("%s-canary-analysis", [service]),
		"namespace": "apps",
		"labels": {"app.kubernetes.io/name": service},
	},
	"spec": {"metrics": [
		{
			"name": "latency-p95-ratio",
			"interval": "1m",
			"failureLimit": 1,
			"successCondition": "result[0] <= 1.2",
			"failureCondition": "result[0] > 1.2",
			"provider": {"prometheus": {"address": "http://prometheus.observability:9090", "query": "q"}},
		},
		{
			"name": "error-rate-delta",
			"interval": "1m",
			"failureLimit": 1,
			"successCondition": "result[0] <= 0.003",
			"failureCondition": "result[0] > 0.003",
			"provider": {"prometheus": {"address": "http://prometheus.observability:9090", "query": "q"}},
		},
	]},
}

_ref(obj) := {
	"apiVersion": obj.apiVersion,
	"kind": obj.kind,
	"namespace": object.get(obj, ["metadata", "namespace"], ""),
	"name": obj.metadata.name,
}

_resources(objects) := [obj | some obj in objects]

_patched(patch) := _resources(json.patch(_base, patch))

_input(tier, objects) := {
	"environment": {"name": tier, "tier": tier, "labels": {"tier": tier}, "namespace": "apps"},
	"resources": objects,
	"previous": [],
}

_input_with_previous(tier, objects, previous) := object.union(_input(tier, objects), {"previous": previous})

_vs_order := _base.order_vs

_vs_esign := _base.esign_vs

_rollout := _base.esign_rollout

test_reference_canaries_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _resources(_base))
	count(canary.deny) == 0 with input as _input("staging", _resources(_base))
	count(canary.deny) == 0 with input as _input_with_previous("prod", _resources(_base), _resources(_base))
}

# KF-CANARY-001

test_weights_in_range_allowed if {
	count(canary.deny) == 0 with input as _input("dev", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": 0},
		{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 100},
	]))
}

test_weight_out_of_range_denied if {
	canary.deny == {
		{"msg": "spec.strategy.canary.steps[4].setWeight is -5; a traffic weight must be an integer from 0 to 100", "resource": _ref(_rollout), "path": "spec.strategy.canary.steps[4].setWeight"},
	} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/4/setWeight", "value": -5}]))
}

test_fractional_weight_denied if {
	canary.deny == {
		{"msg": "spec.http[1].route[0].weight is 87.5; a traffic weight must be an integer from 0 to 100", "resource": _ref(_vs_order), "path": "spec.http[1].route[0].weight"},
		{"msg": "spec.http[1].route[1].weight is 12.5; a traffic weight must be an integer from 0 to 100", "resource": _ref(_vs_order), "path": "spec.http[1].route[1].weight"},
	} with input as _input("dev", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": 87.5},
		{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 12.5},
	]))
}

# KF-CANARY-002

test_single_unweighted_destination_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{
		"op": "replace", "path": "/order_vs/spec/http/0/route",
		"value": [{"destination": {"host": "order-service", "subset": "canary"}}],
	}]))
}

test_weights_not_summing_to_100_denied if {
	canary.deny == {{
		"msg": "spec.http[1] (primary) route weights [95, 4] sum to 99; they must sum to exactly 100",
		"resource": _ref(_vs_order),
		"path": "spec.http[1]",
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 4}]))
}

# KF-CANARY-003

test_canary_weight_at_cap_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": 90},
		{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 10},
	]))
	count(canary.deny) == 0 with input as _input("staging", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": 50},
		{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 50},
	]))
}

test_canary_weight_above_cap_denied if {
	canary.deny == {{
		"msg": "spec.http[1].route[1].weight sends 15% to canary subset \"canary\"; the prod tier caps canary traffic at 10%",
		"resource": _ref(_vs_order),
		"path": "spec.http[1].route[1].weight",
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": 85},
		{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": 15},
	]))
}

test_canary_cap_comes_from_data if {
	count(canary.deny) == 2 with input as _input("prod", _resources(_base))
		with data.kforge.tiers.prod.canary_cap as 4
}

# KF-CANARY-004

test_rollout_first_step_at_cap_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/1/setWeight", "value": 10}]))
}

test_rollout_first_step_above_cap_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary.steps[1].setWeight is 20%; the prod tier caps the first canary step at 10%",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary.steps[1].setWeight",
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/1/setWeight", "value": 20}]))
}

test_rollout_without_set_weight_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary.steps has no setWeight step, so the first step shifts 100%; the staging tier caps the first canary step at 50%",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary.steps",
	}} with input as _input("staging", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps", "value": [{"pause": {}}]}]))
}

# KF-CANARY-005

test_header_route_after_default_denied if {
	canary.deny == {{
		"msg": "header-matched route spec.http[1] (canary-header) comes after the default route spec.http[0] (primary) and never matches; move it before spec.http[0]",
		"resource": _ref(_vs_order),
		"path": "spec.http[1]",
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http", "value": [_vs_order.spec.http[1], _vs_order.spec.http[0]]},
	]))
}

test_header_route_after_non_default_route_allowed if {
	api_route := {"name": "api", "match": [{"uri": {"prefix": "/api"}}], "route": [{"destination": {"host": "order-service", "subset": "stable"}}]}
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http", "value": [api_route, _vs_order.spec.http[0], _vs_order.spec.http[1]]},
	]))
}

# KF-CANARY-006

test_header_route_partial_canary_denied if {
	canary.deny == {{
		"msg": "header-matched route spec.http[0] (canary-header) sends 50% to the canary subset; it must send 100%",
		"resource": _ref(_vs_order),
		"path": "spec.http[0]",
	}} with input as _input("prod", _patched([{
		"op": "replace", "path": "/order_vs/spec/http/0/route",
		"value": [
			{"destination": {"host": "order-service", "subset": "stable"}, "weight": 50},
			{"destination": {"host": "order-service", "subset": "canary"}, "weight": 50},
		],
	}]))
}

test_header_route_to_stable_denied if {
	canary.deny == {{
		"msg": "header-matched route spec.http[0] (canary-header) sends 0% to the canary subset; it must send 100%",
		"resource": _ref(_vs_order),
		"path": "spec.http[0]",
	}} with input as _input("prod", _patched([{
		"op": "replace", "path": "/order_vs/spec/http/0/route",
		"value": [{"destination": {"host": "order-service.apps.svc.cluster.local", "subset": "stable"}, "weight": 100}],
	}]))
}

# The host runs a canary (its DestinationRule defines the canary subset) even
# when no route sends it traffic.
test_header_route_to_stable_without_canary_split_denied if {
	canary.deny == {{
		"msg": "header-matched route spec.http[0] (canary-header) sends 0% to the canary subset; it must send 100%",
		"resource": _ref(_vs_order),
		"path": "spec.http[0]",
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/0/route", "value": [{"destination": {"host": "order-service", "subset": "stable"}}]},
		{"op": "replace", "path": "/order_vs/spec/http/1/route", "value": [{"destination": {"host": "order-service", "subset": "stable"}, "weight": 100}]},
	]))
}

test_header_route_to_canary_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{
		"op": "replace", "path": "/order_vs/spec/http/0/route",
		"value": [
			{"destination": {"host": "order-service", "subset": "stable"}, "weight": 0},
			{"destination": {"host": "order-service", "subset": "canary"}, "weight": 100},
		],
	}]))
}

# Header routing to a host that runs no canary is not a canary route.
test_header_route_to_host_without_canary_allowed if {
	search_vs := {
		"apiVersion": "networking.istio.io/v1",
		"kind": "VirtualService",
		"metadata": {"name": "search", "namespace": "apps"},
		"spec": {
			"hosts": ["search"],
			"http": [
				{"name": "v2", "match": [{"headers": {"x-api-version": {"exact": "2"}}}], "route": [{"destination": {"host": "search-v2"}}]},
				{"name": "primary", "route": [{"destination": {"host": "search"}}]},
			],
		},
	}
	count(canary.deny) == 0 with input as _input("prod", array.concat(_resources(_base), [search_vs]))
}

# KF-CANARY-007

test_unknown_vs_subset_denied if {
	canary.deny == {
		{
			"msg": "spec.http[0].route[0].destination.subset \"preview\" is not defined for host order-service.apps.svc.cluster.local in DestinationRule apps/order-service (subsets [\"canary\", \"stable\"])",
			"resource": _ref(_vs_order),
			"path": "spec.http[0].route[0].destination.subset",
		},
		# The header route no longer reaches a canary subset (KF-CANARY-006).
		{
			"msg": "header-matched route spec.http[0] (canary-header) sends 0% to the canary subset; it must send 100%",
			"resource": _ref(_vs_order),
			"path": "spec.http[0]",
		},
	} with input as _input("prod", _patched([{"op": "replace", "path": "/order_vs/spec/http/0/route/0/destination/subset", "value": "preview"}]))
}

test_short_host_resolves_to_destination_rule_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_vs/spec/http/1/route/0/destination/host", "value": "order-service"},
		{"op": "replace", "path": "/order_dr/spec/host", "value": "order-service.apps"},
	]))
}

test_missing_destination_rule_denied if {
	canary.deny == {{
		"msg": "spec.http[0].route[0].destination.subset is \"stable\", but no DestinationRule is rendered for host esign-service.other.svc.cluster.local",
		"resource": _ref(_vs_esign),
		"path": "spec.http[0].route[0].destination.subset",
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_vs/spec/http/0/route/0/destination/host", "value": "esign-service.other"}]))
}

test_rollout_unknown_subset_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName \"main\" is not a subset of DestinationRule apps/esign-service (subsets [\"canary\", \"stable\"])",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary.trafficRouting.istio.destinationRule.stableSubsetName",
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/trafficRouting/istio/destinationRule/stableSubsetName", "value": "main"}]))
}

test_rollout_missing_destination_rule_denied if {
	canary.deny == {
		{
			"msg": "spec.strategy.canary.trafficRouting.istio.destinationRule.name is \"esign\", but no such DestinationRule is rendered in namespace apps",
			"resource": _ref(_rollout),
			"path": "spec.strategy.canary.trafficRouting.istio.destinationRule.name",
		},
	} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/trafficRouting/istio/destinationRule/name", "value": "esign"}]))
}

# KF-CANARY-008

test_subset_without_pods_denied if {
	canary.deny == {{
		"msg": "spec.subsets[1] (canary) selects labels {\"app\": \"order-service\", \"version\": \"v2.0\"}, but no rendered Deployment, StatefulSet or Rollout in namespace apps has pods with those labels",
		"resource": _ref(_base.order_dr),
		"path": "spec.subsets[1]",
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/order_dr/spec/subsets/1/labels/version", "value": "v2.0"}]))
}

test_subset_pods_in_other_namespace_denied if {
	count(canary.deny) == 1 with input as _input("prod", _patched([{"op": "replace", "path": "/order_v19/metadata/namespace", "value": "other"}]))
}

test_unreferenced_subset_without_pods_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{
		"op": "add", "path": "/order_dr/spec/subsets/-",
		"value": {"name": "retired", "labels": {"version": "v1.7"}},
	}]))
}

# KF-CANARY-009

test_metric_without_condition_denied if {
	canary.deny == {{
		"msg": "spec.metrics[2] (throughput) has neither successCondition nor failureCondition",
		"resource": _ref(_base.order_analysis),
		"path": "spec.metrics[2]",
	}} with input as _input("prod", _patched([{
		"op": "add", "path": "/order_analysis/spec/metrics/-",
		"value": {"name": "throughput", "provider": {"prometheus": {"query": "q"}}},
	}]))
}

test_metric_with_failure_condition_only_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{"op": "remove", "path": "/order_analysis/spec/metrics/0/successCondition"}]))
}

# KF-CANARY-010

test_canary_without_rollback_analysis_denied if {
	canary.deny == {{
		"msg": "canary service order-service has no rollback AnalysisTemplate (none in namespace apps labelled app.kubernetes.io/name=order-service)",
		"resource": _ref(_vs_order),
	}} with input as _input("prod", _patched([{"op": "remove", "path": "/order_analysis"}]))
}

test_rollout_analysis_by_reference_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "remove", "path": "/esign_analysis/metadata/labels"},
		{"op": "replace", "path": "/esign_vs/spec/http/0/route", "value": [{"destination": {"host": "esign-service", "subset": "stable"}, "weight": 100}]},
	]))
}

# A Rollout-managed VirtualService is the Rollout's canary: the templates
# the Rollout runs guard it, whatever their labels.
test_rollout_managed_vs_needs_no_labelled_template_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{"op": "remove", "path": "/esign_analysis/metadata/labels"}]))
}

test_rollout_analysis_step_only_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/analysis"}]))
}

test_rollout_background_analysis_only_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/steps/3"}]))
}

test_rollout_single_template_name_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/3/analysis", "value": {"templateName": "esign-service-canary-analysis"}},
		{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/analysis"},
	]))
}

test_rollout_cluster_template_with_checks_allowed if {
	cluster_template := json.patch(_analysis("esign-service"), [
		{"op": "replace", "path": "/kind", "value": "ClusterAnalysisTemplate"},
		{"op": "replace", "path": "/metadata", "value": {"name": "canary-analysis"}},
	])
	ref := [{"templateName": "canary-analysis", "clusterScope": true}]
	count(canary.deny) == 0 with input as _input("prod", array.concat(
		_patched([
			{"op": "remove", "path": "/esign_analysis"},
			{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/3/analysis/templates", "value": ref},
			{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/analysis/templates", "value": ref},
		]),
		[cluster_template],
	))
}

_without_rollout_analysis := [
	{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/analysis"},
	{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/steps/3"},
]

# A labelled AnalysisTemplate that nothing runs is no rollback analysis.
test_rollout_without_analysis_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary runs no rollback analysis: no analysis step in spec.strategy.canary.steps and no spec.strategy.canary.analysis names a template (AnalysisTemplate apps/esign-service-canary-analysis is labelled app.kubernetes.io/name=esign-service, but nothing runs it)",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary",
	}} with input as _input("prod", _patched(_without_rollout_analysis))
}

test_rollout_without_analysis_or_template_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary runs no rollback analysis: no analysis step in spec.strategy.canary.steps and no spec.strategy.canary.analysis names a template",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary",
	}} with input as _input("prod", _patched(array.concat(_without_rollout_analysis, [{"op": "remove", "path": "/esign_analysis"}])))
}

test_rollout_analysis_without_templates_denied if {
	count(canary.deny) == 1 with input as _input("prod", _patched([
		{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/analysis/templates", "value": []},
		{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/3/analysis/templates", "value": []},
	]))
}

# The templates a Rollout runs must carry the latency and error-rate checks;
# a labelled template with them does not stand in for the ones it runs.
test_rollout_analysis_without_checks_denied if {
	smoke := {
		"apiVersion": "argoproj.io/v1alpha1",
		"kind": "AnalysisTemplate",
		"metadata": {"name": "esign-smoke", "namespace": "apps"},
		"spec": {"metrics": [{"name": "smoke", "successCondition": "result[0] == 1", "provider": {"web": {"url": "http://esign-service/healthz"}}}]},
	}
	ref := [{"templateName": "esign-smoke"}]
	canary.deny == {
		{
			"msg": "the rollback analysis of canary service esign-service (AnalysisTemplate apps/esign-smoke) has no latency ratio metric (no spec.metrics[].name matching (?i)latency)",
			"resource": _ref(smoke),
		},
		{
			"msg": "the rollback analysis of canary service esign-service (AnalysisTemplate apps/esign-smoke) has no error-rate delta metric (no spec.metrics[].name matching (?i)error)",
			"resource": _ref(smoke),
		},
	} with input as _input("prod", array.concat(
		_patched([
			{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/3/analysis/templates", "value": ref},
			{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/analysis/templates", "value": ref},
		]),
		[smoke],
	))
}

# KF-CANARY-011

test_rollout_missing_template_denied if {
	canary.deny == {{
		"msg": "analysis template \"esign-smoke\" is not rendered (looked for an AnalysisTemplate in namespace apps)",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary.analysis.templates[1].templateName",
	}} with input as _input("prod", _patched([{"op": "add", "path": "/esign_rollout/spec/strategy/canary/analysis/templates/-", "value": {"templateName": "esign-smoke"}}]))
}

test_rollout_cluster_template_denied if {
	canary.deny == {{
		"msg": "analysis template \"esign-smoke\" is not rendered (looked for a ClusterAnalysisTemplate)",
		"resource": _ref(_rollout),
		"path": "spec.strategy.canary.analysis.templates[1].templateName",
	}} with input as _input("prod", _patched([{
		"op": "add", "path": "/esign_rollout/spec/strategy/canary/analysis/templates/-",
		"value": {"templateName": "esign-smoke", "clusterScope": true},
	}]))
}

test_rollout_cluster_template_allowed if {
	cluster_template := {"apiVersion": "argoproj.io/v1alpha1", "kind": "ClusterAnalysisTemplate", "metadata": {"name": "esign-smoke"}, "spec": {"metrics": []}}
	count(canary.deny) == 0 with input as _input("prod", array.concat(
		_patched([{
			"op": "add", "path": "/esign_rollout/spec/strategy/canary/analysis/templates/-",
			"value": {"templateName": "esign-smoke", "clusterScope": true},
		}]),
		[cluster_template],
	))
}

test_rollout_analysis_templates_not_rendered_denied if {
	canary.deny == {
		{
			"msg": "analysis template \"esign-canary\" is not rendered (looked for an AnalysisTemplate in namespace apps)",
			"resource": _ref(_rollout),
			"path": "spec.strategy.canary.steps[3].analysis.templates[0].templateName",
		},
		{
			"msg": "analysis template \"esign-canary\" is not rendered (looked for an AnalysisTemplate in namespace apps)",
			"resource": _ref(_rollout),
			"path": "spec.strategy.canary.analysis.templates[0].templateName",
		},
	} with input as _input("prod", _patched([
		{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/steps/3/analysis/templates/0/templateName", "value": "esign-canary"},
		{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/analysis/templates/0/templateName", "value": "esign-canary"},
	]))
}

# KF-CANARY-012

test_latency_threshold_at_bound_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_analysis/spec/metrics/0/successCondition", "value": "result[0] <= 1.5"},
		{"op": "replace", "path": "/order_analysis/spec/metrics/0/failureCondition", "value": "result[0] > 1.5"},
	]))
}

test_latency_threshold_too_loose_denied if {
	canary.deny == {{
		"msg": "spec.metrics[0] (latency-p95-ratio) latency ratio threshold is 1.6; it must be in (1, 1.5]",
		"resource": _ref(_base.order_analysis),
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_analysis/spec/metrics/0/successCondition", "value": "result[0] <= 1.6"},
		{"op": "replace", "path": "/order_analysis/spec/metrics/0/failureCondition", "value": "result[0] > 1.6"},
	]))
}

test_latency_threshold_too_tight_denied if {
	canary.deny == {{
		"msg": "spec.metrics[0] (latency-p95-ratio) latency ratio threshold is 1; it must be in (1, 1.5]",
		"resource": _ref(_base.esign_analysis),
	}} with input as _input("prod", _patched([
		{"op": "remove", "path": "/esign_analysis/spec/metrics/0/successCondition"},
		{"op": "replace", "path": "/esign_analysis/spec/metrics/0/failureCondition", "value": "result[0] > 1.0"},
	]))
}

test_latency_metric_missing_denied if {
	canary.deny == {{
		"msg": "the rollback analysis of canary service order-service (AnalysisTemplate apps/order-service-canary-analysis) has no latency ratio metric (no spec.metrics[].name matching (?i)latency)",
		"resource": _ref(_base.order_analysis),
	}} with input as _input("prod", _patched([{"op": "remove", "path": "/order_analysis/spec/metrics/0"}]))
}

test_latency_threshold_unreadable_denied if {
	canary.deny == {{
		"msg": "spec.metrics[0] (latency-p95-ratio) has no readable latency ratio threshold: no number after < or <= in successCondition \"result[0] in [0, 2]\", nor after > or >= in failureCondition \"\"",
		"resource": _ref(_base.order_analysis),
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_analysis/spec/metrics/0/successCondition", "value": "result[0] in [0, 2]"},
		{"op": "remove", "path": "/order_analysis/spec/metrics/0/failureCondition"},
	]))
}

# KF-CANARY-013

test_error_rate_threshold_at_bound_allowed if {
	count(canary.deny) == 0 with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_analysis/spec/metrics/1/successCondition", "value": "result[0] <= 0.01"},
		{"op": "replace", "path": "/order_analysis/spec/metrics/1/failureCondition", "value": "result[0] > 0.01"},
	]))
}

test_error_rate_threshold_too_loose_denied if {
	canary.deny == {{
		"msg": "spec.metrics[1] (error-rate-delta) error-rate delta threshold is 0.02; it must be in (0, 0.01]",
		"resource": _ref(_base.order_analysis),
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/order_analysis/spec/metrics/1/failureCondition", "value": "result[0] > 0.02"}]))
}

test_error_rate_threshold_zero_denied if {
	canary.deny == {{
		"msg": "spec.metrics[1] (error-rate-delta) error-rate delta threshold is 0; it must be in (0, 0.01]",
		"resource": _ref(_base.order_analysis),
	}} with input as _input("prod", _patched([
		{"op": "replace", "path": "/order_analysis/spec/metrics/1/successCondition", "value": "result[0] <= 0"},
		{"op": "replace", "path": "/order_analysis/spec/metrics/1/failureCondition", "value": "result[0] > 0"},
	]))
}

# KF-CANARY-014

test_rollout_unknown_route_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary.trafficRouting.istio.virtualService.routes[0] is \"main\", but VirtualService apps/esign-service has no http route of that name (routes [\"primary\"])",
		"resource": _ref(_rollout),
	}} with input as _input("prod", _patched([{"op": "replace", "path": "/esign_rollout/spec/strategy/canary/trafficRouting/istio/virtualService/routes/0", "value": "main"}]))
}

test_rollout_unknown_virtual_service_denied if {
	canary.deny == {{
		"msg": "spec.strategy.canary.trafficRouting.istio.virtualServices[0].name is \"esign\", but no such VirtualService is rendered in namespace apps",
		"resource": _ref(_rollout),
	}} with input as _input("prod", _patched([
		{"op": "remove", "path": "/esign_rollout/spec/strategy/canary/trafficRouting/istio/virtualService"},
		{"op": "add", "path": "/esign_rollout/spec/strategy/canary/trafficRouting/istio/virtualServices", "value": [{"name": "esign", "routes": ["primary"]}]},
	]))
}

# KF-CANARY-015

_weights_patch(stable, canary_weight) := [
	{"op": "replace", "path": "/order_vs/spec/http/1/route/0/weight", "value": stable},
	{"op": "replace", "path": "/order_vs/spec/http/1/route/1/weight", "value": canary_weight},
]

test_weight_step_within_limit_allowed if {
	count(canary.deny) == 0 with input as _input_with_previous("prod", _patched(_weights_patch(70, 30)), _resources(_base))
		with data.kforge.tiers.prod.canary_cap as 100
}

test_weight_step_too_large_denied if {
	canary.deny == {{
		"msg": "spec.http[1] (primary) sends 40% to canary subset \"canary\", up from 5% in the committed render (+35); the prod tier allows at most +25 per change",
		"resource": _ref(_vs_order),
	}} with input as _input_with_previous("prod", _patched(_weights_patch(60, 40)), _resources(_base))
		with data.kforge.tiers.prod.canary_cap as 100
}

test_weight_step_ignored_without_previous if {
	count(canary.deny) == 0 with input as _input("prod", _patched(_weights_patch(60, 40)))
		with data.kforge.tiers.prod.canary_cap as 100
}

# KF-CANARY-016

test_new_canary_at_first_step_allowed if {
	count(canary.deny) == 0 with input as _input_with_previous("prod", _resources(_base), _patched(_weights_patch(100, 0)))
}

test_new_canary_too_large_denied if {
	canary.deny == {{
		"msg": "spec.http[1] (primary) starts a new canary at 10% to subset \"canary\" (it had no canary traffic in the committed render); the prod tier starts canaries at 5% at most",
		"resource": _ref(_vs_order),
	}} with input as _input_with_previous("prod", _patched(_weights_patch(90, 10)), _patched([{"op": "remove", "path": "/order_vs"}]))
}

test_new_canary_version_too_large_denied if {
	previous := _patched(array.concat(_weights_patch(90, 10), [{"op": "replace", "path": "/order_dr/spec/subsets/1/labels/version", "value": "v1.8"}]))
	canary.deny == {{
		"msg": "spec.http[1] (primary) starts a new canary at 10% to subset \"canary\" (its subset selected {\"app\": \"order-service\", \"version\": \"v1.8\"} in the committed render and selects {\"app\": \"order-service\", \"version\": \"v1.9\"} now); the prod tier starts canaries at 5% at most",
		"resource": _ref(_vs_order),
	}} with input as _input_with_previous("prod", _patched(_weights_patch(90, 10)), previous)
}

test_weight_step_on_unnamed_route_denied if {
	unnamed := [
		{"op": "remove", "path": "/order_vs/spec/http/1/name"},
		{"op": "remove", "path": "/order_vs/spec/http/0/name"},
	]
	canary.deny == {{
		"msg": "spec.http[1] sends 40% to canary subset \"canary\", up from 5% in the committed render (+35); the prod tier allows at most +25 per change",
		"resource": _ref(_vs_order),
	}} with input as _input_with_previous("prod", _patched(array.concat(unnamed, _weights_patch(60, 40))), _patched(unnamed))
		with data.kforge.tiers.prod.canary_cap as 100
}
