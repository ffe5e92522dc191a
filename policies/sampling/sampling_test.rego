package kforge.sampling_test

import data.kforge.sampling

_collector_config := {
	"receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}, "http": {"endpoint": "0.0.0.0:4318"}}}},
	"processors": {
		"memory_limiter": {"check_interval": "1s", "limit_percentage": 80},
		"batch": {},
		"probabilistic_sampler": {"sampling_percentage": 10},
	},
	"exporters": {"otlp/tempo": {"endpoint": "tempo:4317"}},
	"service": {"pipelines": {"traces": {
		"receivers": ["otlp"],
		"processors": ["memory_limiter", "probabilistic_sampler", "batch"],
		"exporters": ["otlp/tempo"],
	}}},
}

_tail_sampling := {"decision_wait": "10s", "policies": [
	{"name": "errors", "type": "status_code", "status_code": {"status_codes": ["ERROR"]}},
	{"name": "slow", "type": "latency", "latency": {"threshold_ms": 500}},
]}

_config_map(name, key, doc) := {
	"apiVersion": "v1",
	"kind": "ConfigMap",
	"metadata": {"name": name, "namespace": "observability"},
	"data": {key: yaml.marshal(doc)},
}

_collector_deployment(replicas, config_map) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": config_map, "namespace": "observability"},
	"spec": {"replicas": replicas, "template": {
		"metadata": {"labels": {"app": config_map}},
		"spec": {
			"containers": [{"name": "collector", "image": "otel/opentelemetry-collector-contrib:0.114.0"}],
			"volumes": [{"name": "config", "configMap": {"name": config_map}}],
		},
	}},
}

_app(env) := {
	"apiVersion": "apps/v1",
	"kind": "Deployment",
	"metadata": {"name": "order-service", "namespace": "apps"},
	"spec": {"template": {
		"metadata": {
			"labels": {"app": "order-service"},
			"annotations": {"dapr.io/enabled": "true", "dapr.io/app-id": "order-service", "dapr.io/config": "tracing"},
		},
		"spec": {"containers": [{"name": "order-service", "image": "order-service:v1.8", "env": env}]},
	}},
}

_sdk_env(sampler, arg) := [
	{"name": "OTEL_SERVICE_NAME", "value": "order-service"},
	{"name": "OTEL_EXPORTER_OTLP_ENDPOINT", "value": "http://otel-collector.observability:4317"},
	{"name": "OTEL_TRACES_SAMPLER", "value": sampler},
	{"name": "OTEL_TRACES_SAMPLER_ARG", "value": arg},
]

_dapr_config(rate) := {
	"apiVersion": "dapr.io/v1alpha1",
	"kind": "Configuration",
	"metadata": {"name": "tracing", "namespace": "apps"},
	"spec": {"tracing": {
		"samplingRate": rate,
		"otel": {"endpointAddress": "otel-collector.observability:4317", "isSecure": false, "protocol": "grpc"},
	}},
}

_base := {
	"app": _app(_sdk_env("parentbased_traceidratio", "0.1")),
	"collector_config": _config_map("otel-collector-config", "collector.yaml", _collector_config),
	"collector": _collector_deployment(2, "otel-collector-config"),
	"dapr": _dapr_config("0.1"),
}

_input(tier, objects) := {
	"environment": {"name": tier, "tier": tier, "labels": {"tier": tier}, "namespace": "apps"},
	"resources": [obj | some obj in objects],
	"previous": [],
}

# _tier_base is _base with the tier's SDK ratio and collector percentage.
_tier_base(tier) := object.union(object.remove(_base, ["app", "collector_config", "dapr"]), {
	"app": _app(_sdk_env("parentbased_traceidratio", sprintf("%v", [data.kforge.tiers[tier].sampling_ratio]))),
	"collector_config": _collector_with([{
		"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage",
		"value": data.kforge.tiers[tier].collector_sampling_percentage,
	}]),
	"dapr": _dapr_config(sprintf("%v", [data.kforge.tiers[tier].sampling_ratio])),
})

_with(tier, overrides) := _input(tier, object.union(object.remove(_tier_base(tier), object.keys(overrides)), overrides))

_ref(obj) := {
	"apiVersion": obj.apiVersion,
	"kind": obj.kind,
	"namespace": object.get(obj, ["metadata", "namespace"], ""),
	"name": obj.metadata.name,
}

_app_ref := _ref(_base.app)

_cm_ref := _ref(_base.collector_config)

_container_path := "spec.template.spec.containers[0] (order-service)"

test_reference_sampling_allowed if {
	count(sampling.deny) == 0 with input as _input("prod", _base)
	count(sampling.warn) == 0 with input as _input("prod", _base)
}

test_every_tier_default_allowed if {
	every tier in ["dev", "staging", "prod"] {
		count(sampling.deny) == 0 with input as _with(tier, {})
		count(sampling.warn) == 0 with input as _with(tier, {})
	}
}

test_tier_defaults_allowed if {
	dev := {
		"app": _app(_sdk_env("parentbased_traceidratio", "1.0")),
		"collector_config": _config_map("otel-collector-config", "collector.yaml", json.patch(_collector_config, [{"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage", "value": 100}])),
		"dapr": _dapr_config("1"),
	}
	count(sampling.deny) == 0 with input as _with("dev", dev)
}

# KF-SAMPLING-001

test_unknown_sampler_denied if {
	sampling.deny == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER is \"ratio\"; it must be one of always_off, always_on, jaeger_remote, parentbased_always_off, parentbased_always_on, parentbased_jaeger_remote, parentbased_traceidratio, traceidratio, xray", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[2].value",
	}} with input as _with("dev", {"app": _app(_sdk_env("ratio", "0.5")), "dapr": _dapr_config("1")})
}

test_sampler_from_value_from_allowed if {
	env := [
		{"name": "OTEL_SERVICE_NAME", "value": "order-service"},
		{"name": "OTEL_TRACES_SAMPLER", "valueFrom": {"configMapKeyRef": {"name": "otel", "key": "sampler"}}},
	]
	count(sampling.deny) == 0 with input as _with("prod", {"app": _app(env), "dapr": _dapr_config("0.1")}) with data.kforge.tiers.prod.sampling_ratio as 0.1
}

# KF-SAMPLING-002

test_ratio_out_of_range_denied if {
	sampling.deny == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER_ARG is \"10\" with OTEL_TRACES_SAMPLER=parentbased_traceidratio; it must be a number in [0, 1] or the SDK samples everything", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[3].value",
	}} with input as _with("dev", {"app": _app(_sdk_env("parentbased_traceidratio", "10")), "dapr": _dapr_config("1")})
}

test_ratio_not_a_number_denied if {
	sampling.deny == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER_ARG is \"10%%\" with OTEL_TRACES_SAMPLER=parentbased_traceidratio; it must be a number in [0, 1] or the SDK samples everything", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[3].value",
	}} with input as _with("dev", {"app": _app(_sdk_env("parentbased_traceidratio", "10%")), "dapr": _dapr_config("1")})
}

test_ratio_missing_denied if {
	env := array.slice(_sdk_env("parentbased_traceidratio", ""), 0, 3)
	sampling.deny == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER_ARG is not set with OTEL_TRACES_SAMPLER=parentbased_traceidratio; it must be a number in [0, 1] or the SDK samples everything", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0]",
	}} with input as _with("dev", {"app": _app(env), "dapr": _dapr_config("1")})
}

test_ratio_bounds_allowed if {
	count(sampling.deny) == 0 with input as _with("prod", {"app": _app(_sdk_env("parentbased_traceidratio", "0")), "dapr": _dapr_config("0")})
	count(sampling.deny) == 0 with input as _with("dev", {"app": _app(_sdk_env("parentbased_traceidratio", "1")), "dapr": _dapr_config("1.0")})
}

# KF-SAMPLING-003

test_prod_bare_ratio_sampler_denied if {
	sampling.deny == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER is \"traceidratio\"; the prod tier requires a parent-based sampler (parentbased_traceidratio)", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[2].value",
	}} with input as _with("prod", {"app": _app(_sdk_env("traceidratio", "0.1"))})
}

test_staging_bare_ratio_sampler_allowed if {
	count(sampling.deny) == 0 with input as _with("staging", {
		"app": _app(_sdk_env("traceidratio", "0.5")),
		"collector_config": _config_map("otel-collector-config", "collector.yaml", json.patch(_collector_config, [{"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage", "value": 50}])),
		"dapr": _dapr_config("0.5"),
	})
}

# KF-SAMPLING-004

test_prod_always_on_denied if {
	sampling.deny == {
		{
			"msg": sprintf("%s env OTEL_TRACES_SAMPLER is \"always_on\"; the prod tier requires a parent-based sampler (parentbased_traceidratio)", [_container_path]),
			"resource": _app_ref,
			"path": "spec.template.spec.containers[0].env[2].value",
		},
		{
			"msg": sprintf("%s samples 1 of traces (OTEL_TRACES_SAMPLER=always_on); the prod tier caps sampling at 0.1", [_container_path]),
			"resource": _app_ref,
			"path": "spec.template.spec.containers[0].env[2].value",
		},
		{
			"msg": sprintf("spec.tracing.samplingRate is \"0.1\", but Deployment apps/order-service %s samples 1 (OTEL_TRACES_SAMPLER=always_on); the sidecar must sample like the app", [_container_path]),
			"resource": _ref(_base.dapr),
			"path": "spec.tracing.samplingRate",
			"path": "spec.tracing.samplingRate",
		},
	} with input as _with("prod", {"app": _app(_sdk_env("always_on", ""))})
}

test_prod_ratio_above_cap_denied if {
	sampling.deny == {{
		"msg": sprintf("%s samples 0.2 of traces (OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.2); the prod tier caps sampling at 0.1", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[3].value",
	}} with input as _with("prod", {"app": _app(_sdk_env("parentbased_traceidratio", "0.2")), "dapr": _dapr_config("0.2")})
}

test_prod_default_sampler_denied if {
	env := [{"name": "OTEL_SERVICE_NAME", "value": "order-service"}]
	sampling.deny == {{
		"msg": sprintf("%s samples 1 of traces (OTEL_TRACES_SAMPLER unset, so the SDK default parentbased_always_on); the prod tier caps sampling at 0.1", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0]",
	}} with input as _with("prod", {"app": _app(env), "dapr": _dapr_config("1")})
}

test_prod_ratio_at_cap_allowed if {
	count(sampling.deny) == 0 with input as _with("prod", {"app": _app(_sdk_env("parentbased_traceidratio", "0.10"))})
}

# KF-SAMPLING-005

test_bare_traceidratio_warned if {
	sampling.warn == {{
		"msg": sprintf("%s env OTEL_TRACES_SAMPLER is \"traceidratio\", which ignores the parent's sampling decision and breaks traces across services; use parentbased_traceidratio", [_container_path]),
		"resource": _app_ref,
		"path": "spec.template.spec.containers[0].env[2].value",
	}} with input as _with("dev", {"app": _app(_sdk_env("traceidratio", "1"))})
}

test_parent_based_not_warned if {
	count(sampling.warn) == 0 with input as _with("dev", {"app": _app(_sdk_env("parentbased_traceidratio", "1"))})
}

# KF-SAMPLING-006

_collector_with(patch) := _config_map("otel-collector-config", "collector.yaml", json.patch(_collector_config, patch))

test_collector_percentage_out_of_range_denied if {
	sampling.deny == {{
		"msg": "data[\"collector.yaml\"].processors.probabilistic_sampler.sampling_percentage is 150; it must be a number from 0 to 100",
		"resource": _cm_ref,
		"path": ["data", "collector.yaml"],
	}} with input as _with("prod", {"collector_config": _collector_with([{"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage", "value": 150}])})
}

test_collector_percentage_missing_denied if {
	sampling.deny == {{
		"msg": "data[\"collector.yaml\"].processors.probabilistic_sampler/traces.sampling_percentage is null; it must be a number from 0 to 100",
		"resource": _cm_ref,
		"path": ["data", "collector.yaml"],
	}} with input as _with("prod", {"collector_config": _collector_with([
		{"op": "remove", "path": "/processors/probabilistic_sampler"},
		{"op": "add", "path": "/processors/probabilistic_sampler~1traces", "value": null},
	])})
}

test_collector_without_probabilistic_sampler_allowed if {
	count(sampling.deny) == 0 with input as _with("prod", {"collector_config": _collector_with([{"op": "remove", "path": "/processors/probabilistic_sampler"}])})
}

# KF-SAMPLING-007

test_collector_percentage_mismatch_denied if {
	sampling.deny == {{
		"msg": "data[\"collector.yaml\"].processors.probabilistic_sampler.sampling_percentage is 50; the prod tier samples 10% in the collector",
		"resource": _cm_ref,
		"path": ["data", "collector.yaml"],
	}} with input as _with("prod", {"collector_config": _collector_with([{"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage", "value": 50}])})
}

test_collector_percentage_matches_staging_allowed if {
	count(sampling.deny) == 0 with input as _with("staging", {
		"app": _app(_sdk_env("parentbased_traceidratio", "0.5")),
		"collector_config": _collector_with([{"op": "replace", "path": "/processors/probabilistic_sampler/sampling_percentage", "value": 50}]),
		"dapr": _dapr_config("0.5"),
	})
}

# KF-SAMPLING-008

test_tail_sampling_keeps_errors_allowed if {
	count(sampling.deny) == 0 with input as _with("prod", {
		"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling", "value": _tail_sampling}]),
		"collector": _collector_deployment(1, "otel-collector-config"),
	})
}

test_tail_sampling_without_error_policy_denied if {
	policies := [{"name": "slow", "type": "latency", "latency": {"threshold_ms": 500}}]
	sampling.deny == {{
		"msg": "data[\"collector.yaml\"].processors.tail_sampling/slow.policies has no policy of type status_code with status_codes [ERROR]; error traces may be dropped",
		"resource": _cm_ref,
		"path": ["data", "collector.yaml"],
	}} with input as _with("prod", {
		"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling~1slow", "value": {"policies": policies}}]),
		"collector": _collector_deployment(1, "otel-collector-config"),
	})
}

# KF-SAMPLING-009

test_replicated_tail_sampling_without_load_balancing_denied if {
	sampling.deny == {{
		"msg": "data[\"collector.yaml\"].processors.tail_sampling tail-samples with more than one collector replica (Deployment observability/otel-collector-config has spec.replicas 2), but no collector in front routes spans by trace ID; add a loadbalancing exporter with routing_key traceID",
		"resource": _cm_ref,
		"path": ["data", "collector.yaml"],
	}} with input as _with("prod", {"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling", "value": _tail_sampling}])})
}

test_autoscaled_tail_sampling_denied if {
	hpa := {
		"apiVersion": "autoscaling/v2",
		"kind": "HorizontalPodAutoscaler",
		"metadata": {"name": "otel-collector-config", "namespace": "observability"},
		"spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "otel-collector-config"}, "minReplicas": 1, "maxReplicas": 4},
	}
	count(sampling.deny) == 1 with input as _with("prod", {
		"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling", "value": _tail_sampling}]),
		"collector": _collector_deployment(1, "otel-collector-config"),
		"hpa": hpa,
	})
}

test_replicated_tail_sampling_behind_load_balancer_allowed if {
	lb_config := {
		"receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}}}},
		"exporters": {"loadbalancing": {
			"routing_key": "traceID",
			"protocol": {"otlp": {"tls": {"insecure": true}}},
			"resolver": {"k8s": {"service": "otel-collector-config.observability"}},
		}},
		"service": {"pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["loadbalancing"]}}},
	}
	count(sampling.deny) == 0 with input as _with("prod", {
		"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling", "value": _tail_sampling}]),
		"lb_config": _config_map("otel-gateway-config", "collector.yaml", lb_config),
		"lb": _collector_deployment(2, "otel-gateway-config"),
	})
}

test_load_balancer_by_service_denied if {
	lb_config := {
		"receivers": {"otlp": {"protocols": {"grpc": {"endpoint": "0.0.0.0:4317"}}}},
		"exporters": {"loadbalancing": {"routing_key": "service"}},
		"service": {"pipelines": {"traces": {"receivers": ["otlp"], "exporters": ["loadbalancing"]}}},
	}
	count(sampling.deny) == 1 with input as _with("prod", {
		"collector_config": _collector_with([{"op": "add", "path": "/processors/tail_sampling", "value": _tail_sampling}]),
		"lb_config": _config_map("otel-gateway-config", "collector.yaml", lb_config),
	})
}

# KF-SAMPLING-010

test_dapr_rate_mismatch_denied if {
	sampling.deny == {{
		"msg": sprintf("spec.tracing.samplingRate is \"1\", but Deployment apps/order-service %s samples 0.1 (OTEL_TRACES_SAMPLER=parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1); the sidecar must sample like the app", [_container_path]),
		"resource": _ref(_base.dapr),
		"path": "spec.tracing.samplingRate",
		"path": "spec.tracing.samplingRate",
	}} with input as _with("prod", {"dapr": _dapr_config("1")})
}

test_dapr_rate_unused_configuration_denied if {
	sampling.deny == {{
		"msg": "spec.tracing.samplingRate is \"0.5\"; no rendered app uses this Configuration, and the prod tier's SDK sampling ratio is 0.1",
		"resource": _ref(_base.dapr),
		"path": "spec.tracing.samplingRate",
	}} with input as _input("prod", {"dapr": _dapr_config("0.5")})
}

test_dapr_rate_unused_configuration_allowed if {
	count(sampling.deny) == 0 with input as _input("prod", {"dapr": _dapr_config("0.10")})
}

test_dapr_rate_not_a_number_denied if {
	sampling.deny == {{
		"msg": "spec.tracing.samplingRate is ten percent; it must be a number equal to the SDK sampling ratio",
		"resource": _ref(_base.dapr),
		"path": "spec.tracing.samplingRate",
	}} with input as _with("prod", {"dapr": _dapr_config("ten percent")})
}
