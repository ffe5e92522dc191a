# Trace sampling: the OpenTelemetry SDK environment of every instrumented
# container, the OpenTelemetry Collector's probabilistic and tail sampling,
# and the Dapr tracing configuration. Limits come from
# data.kforge.tiers.<tier>.sampling_* and collector_sampling_percentage.
package kforge.sampling

import data.kforge.lib

# _samplers are the OTEL_TRACES_SAMPLER values of the OpenTelemetry
# specification (SDK environment variables).
_samplers := {
	"always_on",
	"always_off",
	"traceidratio",
	"parentbased_always_on",
	"parentbased_always_off",
	"parentbased_traceidratio",
	"jaeger_remote",
	"parentbased_jaeger_remote",
	"xray",
}

_ratio_samplers := {"traceidratio", "parentbased_traceidratio"}

# _sdk_containers are the containers configured through OTEL_* variables.
_sdk_containers contains {"obj": obj, "path": c.path, "field_path": c.field_path, "container": c.container} if {
	some obj in lib.workloads
	some c in lib.containers(obj)
	some e in object.get(c.container, "env", [])
	startswith(e.name, "OTEL_")
}

# _sampler is the sampler the SDK uses: the literal OTEL_TRACES_SAMPLER, or
# the specification's default parentbased_always_on when it is not declared.
# Undefined when the value comes from valueFrom.
_sampler(c) := lib.env_value(c, "OTEL_TRACES_SAMPLER") if {
	lib.env_declared(c, "OTEL_TRACES_SAMPLER")
} else := "parentbased_always_on" if {
	not lib.env_declared(c, "OTEL_TRACES_SAMPLER")
}

_sampler_desc(c) := sprintf("OTEL_TRACES_SAMPLER=%s", [lib.env_value(c, "OTEL_TRACES_SAMPLER")]) if {
	lib.env_declared(c, "OTEL_TRACES_SAMPLER")
} else := "OTEL_TRACES_SAMPLER unset, so the SDK default parentbased_always_on"

_valid_arg(c) := ratio if {
	ratio := lib.as_number(lib.env_value(c, "OTEL_TRACES_SAMPLER_ARG"))
	ratio >= 0
	ratio <= 1
}

# _ratio is the share of root traces the SDK keeps; a ratio sampler with a
# missing or invalid argument samples everything (the Go SDK falls back to 1).
_ratio(c) := 1 if {
	_sampler(c) in {"always_on", "parentbased_always_on"}
} else := 0 if {
	_sampler(c) in {"always_off", "parentbased_always_off"}
} else := ratio if {
	_sampler(c) in _ratio_samplers
	ratio := _valid_arg(c)
} else := 1 if {
	_sampler(c) in _ratio_samplers
}

# _ratio_path is the field that sets an SDK container's sampling ratio: the
# ratio argument of a ratio sampler when declared, else the sampler.
_ratio_path(s) := lib.env_path(s, "OTEL_TRACES_SAMPLER_ARG") if {
	_sampler(s.container) in _ratio_samplers
	lib.env_declared(s.container, "OTEL_TRACES_SAMPLER_ARG")
} else := lib.env_path(s, "OTEL_TRACES_SAMPLER")

_ratio_desc(c) := sprintf("%s with OTEL_TRACES_SAMPLER_ARG=%s", [_sampler_desc(c), lib.env_value(c, "OTEL_TRACES_SAMPLER_ARG")]) if {
	_sampler(c) in _ratio_samplers
	_valid_arg(c)
} else := sprintf("%s without a valid OTEL_TRACES_SAMPLER_ARG (the SDK then samples everything)", [_sampler_desc(c)]) if {
	_sampler(c) in _ratio_samplers
} else := _sampler_desc(c)

# METADATA
# title: OTEL_TRACES_SAMPLER is a specified sampler
# description: >-
#   OTEL_TRACES_SAMPLER must be one of the values the OpenTelemetry
#   specification defines; SDKs ignore unknown values and fall back to
#   parentbased_always_on.
# scope: rule
# custom:
#   id: KF-SAMPLING-001
#   severity: error
deny contains finding if {
	some s in _sdk_containers
	value := lib.env_value(s.container, "OTEL_TRACES_SAMPLER")
	not value in _samplers
	finding := lib.finding_at(s.obj, lib.env_path(s, "OTEL_TRACES_SAMPLER"), sprintf("%s env OTEL_TRACES_SAMPLER is %q; it must be one of %s", [s.path, value, concat(", ", sort(_samplers))]))
}

# METADATA
# title: Ratio samplers get a ratio in [0, 1]
# description: >-
#   With traceidratio or parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG
#   must be set and parse as a number in [0, 1]; the Go SDK silently samples
#   everything otherwise.
# scope: rule
# custom:
#   id: KF-SAMPLING-002
#   severity: error
deny contains finding if {
	some s in _sdk_containers
	sampler := lib.env_value(s.container, "OTEL_TRACES_SAMPLER")
	sampler in _ratio_samplers
	not _valid_arg(s.container)
	finding := lib.finding_at(s.obj, lib.env_path(s, "OTEL_TRACES_SAMPLER_ARG"), sprintf("%s env OTEL_TRACES_SAMPLER_ARG is %s with OTEL_TRACES_SAMPLER=%s; it must be a number in [0, 1] or the SDK samples everything", [s.path, _arg_desc(s.container), sampler]))
}

_arg_desc(c) := sprintf("%q", [lib.env_value(c, "OTEL_TRACES_SAMPLER_ARG")]) if {
	lib.env_value(c, "OTEL_TRACES_SAMPLER_ARG")
} else := "not set"

# METADATA
# title: Parent-based sampler where the tier requires one
# description: >-
#   In tiers with sampling_require_parent_based (prod), the sampler must be
#   parent-based so a trace is kept or dropped as a whole across services;
#   always_on and bare traceidratio are refused.
# scope: rule
# custom:
#   id: KF-SAMPLING-003
#   severity: error
deny contains finding if {
	lib.tier_limits.sampling_require_parent_based
	some s in _sdk_containers
	sampler := _sampler(s.container)
	not startswith(sampler, "parentbased_")
	finding := lib.finding_at(s.obj, lib.env_path(s, "OTEL_TRACES_SAMPLER"), sprintf("%s env OTEL_TRACES_SAMPLER is %q; the %s tier requires a parent-based sampler (parentbased_traceidratio)", [s.path, sampler, lib.tier]))
}

# METADATA
# title: SDK sampling ratio within the tier cap
# description: >-
#   The share of traces the SDK samples (1 for always_on and
#   parentbased_always_on, the default) must not exceed the tier's
#   sampling_cap (prod 0.1).
# scope: rule
# custom:
#   id: KF-SAMPLING-004
#   severity: error
deny contains finding if {
	some s in _sdk_containers
	ratio := _ratio(s.container)
	cap := lib.tier_limits.sampling_cap
	ratio > cap
	finding := lib.finding_at(s.obj, _ratio_path(s), sprintf("%s samples %v of traces (%s); the %s tier caps sampling at %v", [s.path, ratio, _ratio_desc(s.container), lib.tier, cap]))
}

# METADATA
# title: Bare traceidratio sampler
# description: >-
#   traceidratio ignores the parent span's decision, so services sample
#   different parts of one trace; use parentbased_traceidratio.
# scope: rule
# custom:
#   id: KF-SAMPLING-005
#   severity: warning
warn contains finding if {
	some s in _sdk_containers
	lib.env_value(s.container, "OTEL_TRACES_SAMPLER") == "traceidratio"
	finding := lib.finding_at(s.obj, lib.env_path(s, "OTEL_TRACES_SAMPLER"), sprintf("%s env OTEL_TRACES_SAMPLER is \"traceidratio\", which ignores the parent's sampling decision and breaks traces across services; use parentbased_traceidratio", [s.path]))
}

# _collector_configs are OpenTelemetry Collector configuration files embedded
# in ConfigMaps, recognised by their receivers/exporters/service shape.
_collector_configs contains entry if {
	some entry in lib.config_docs
	is_object(entry.doc.receivers)
	is_object(entry.doc.exporters)
	is_object(entry.doc.service)
}

_components(doc, section, type) := {component_id: object.get(doc[section], component_id, null) |
	some component_id, _ in object.get(doc, section, {})
	_component_type(component_id) == type
}

_component_type(component_id) := split(component_id, "/")[0]

_config_path(entry, path) := sprintf("data[%q].%s", [entry.key, path])

_percentages contains {"entry": entry, "path": path, "value": value} if {
	some entry in _collector_configs
	some component_id, cfg in _components(entry.doc, "processors", "probabilistic_sampler")
	path := _config_path(entry, sprintf("processors.%s.sampling_percentage", [component_id]))
	value := object.get(_object_or_empty(cfg), "sampling_percentage", null)
}

_object_or_empty(x) := x if is_object(x)

else := {}

# METADATA
# title: Collector sampling percentage in [0, 100]
# description: >-
#   The collector's probabilistic_sampler sampling_percentage must be a
#   number from 0 to 100.
# scope: rule
# custom:
#   id: KF-SAMPLING-006
#   severity: error
deny contains finding if {
	some p in _percentages
	not _valid_percentage(p.value)
	finding := lib.finding_at(p.entry.resource, ["data", p.entry.key], sprintf("%s is %v; it must be a number from 0 to 100", [p.path, p.value]))
}

_valid_percentage(value) if {
	is_number(value)
	value >= 0
	value <= 100
}

# METADATA
# title: Collector sampling percentage matches the tier
# description: >-
#   The collector's probabilistic_sampler sampling_percentage must equal the
#   tier's collector_sampling_percentage (dev 100, staging 50, prod 10).
# scope: rule
# custom:
#   id: KF-SAMPLING-007
#   severity: error
deny contains finding if {
	some p in _percentages
	_valid_percentage(p.value)
	want := lib.tier_limits.collector_sampling_percentage
	p.value != want
	finding := lib.finding_at(p.entry.resource, ["data", p.entry.key], sprintf("%s is %v; the %s tier samples %v%% in the collector", [p.path, p.value, lib.tier, want]))
}

_tail_samplers contains {"entry": entry, "id": component_id, "cfg": _object_or_empty(cfg)} if {
	some entry in _collector_configs
	some component_id, cfg in _components(entry.doc, "processors", "tail_sampling")
}

_keeps_errors(cfg) if {
	some policy in object.get(cfg, "policies", [])
	policy.type == "status_code"
	"ERROR" in object.get(policy, ["status_code", "status_codes"], [])
}

# METADATA
# title: Tail sampling keeps error traces
# description: >-
#   A tail_sampling processor must have a top-level status_code policy with
#   status_codes [ERROR], so every failed request keeps its trace.
# scope: rule
# custom:
#   id: KF-SAMPLING-008
#   severity: error
deny contains finding if {
	some t in _tail_samplers
	not _keeps_errors(t.cfg)
	finding := lib.finding_at(t.entry.resource, ["data", t.entry.key], sprintf("%s has no policy of type status_code with status_codes [ERROR]; error traces may be dropped", [_config_path(t.entry, sprintf("processors.%s.policies", [t.id]))]))
}

# _mounts are the workloads that mount a ConfigMap, with their replica count.
_mounts(cm) := {{"obj": w, "replicas": _replicas(w)} |
	some w in lib.workloads
	lib.namespace(w) == lib.namespace(cm)
	some volume in object.get(lib.pod_spec(w), "volumes", [])
	_volume_config_map(volume) == lib.name(cm)
}

_volume_config_map(volume) := volume.configMap.name

_volume_config_map(volume) := name if {
	some source in volume.projected.sources
	name := source.configMap.name
}

# _replicas is a workload's replica count as {count, desc}; a DaemonSet runs
# one per node and an HPA may scale to maxReplicas.
_replicas(w) := {"count": 2, "desc": sprintf("%s runs one replica per node", [lib.describe(w)])} if {
	w.kind == "DaemonSet"
} else := {"count": n, "desc": sprintf("a HorizontalPodAutoscaler scales %s to %v replicas", [lib.describe(w), n])} if {
	maxima := [hpa.spec.maxReplicas |
		some hpa in input.resources
		hpa.kind == "HorizontalPodAutoscaler"
		lib.namespace(hpa) == lib.namespace(w)
		hpa.spec.scaleTargetRef.kind == w.kind
		hpa.spec.scaleTargetRef.name == lib.name(w)
	]
	count(maxima) > 0
	n := max(maxima)
	n > object.get(w, ["spec", "replicas"], 1)
} else := {"count": n, "desc": sprintf("%s has spec.replicas %v", [lib.describe(w), n])} if {
	n := object.get(w, ["spec", "replicas"], 1)
}

# _trace_id_load_balancing is true when some collector routes spans by trace
# ID (loadbalancing exporter, routing_key traceID, its default) in a traces
# pipeline that does not tail-sample itself.
_trace_id_load_balancing if {
	some entry in _collector_configs
	some pipeline_id, pipeline in object.get(entry.doc.service, "pipelines", {})
	_component_type(pipeline_id) == "traces"
	some exporter_id in object.get(pipeline, "exporters", [])
	_component_type(exporter_id) == "loadbalancing"
	exporter := _object_or_empty(object.get(entry.doc.exporters, exporter_id, {}))
	object.get(exporter, "routing_key", "traceID") == "traceID"
	every processor_id in object.get(pipeline, "processors", []) {
		_component_type(processor_id) != "tail_sampling"
	}
}

# METADATA
# title: Replicated tail sampling needs trace-ID load balancing
# description: >-
#   A tail_sampling collector with more than one replica must sit behind a
#   collector whose loadbalancing exporter routes by traceID; otherwise the
#   spans of one trace reach different replicas and are sampled apart.
# scope: rule
# custom:
#   id: KF-SAMPLING-009
#   severity: error
deny contains finding if {
	some t in _tail_samplers
	some mount in _mounts(t.entry.resource)
	mount.replicas.count > 1
	not _trace_id_load_balancing
	finding := lib.finding_at(t.entry.resource, ["data", t.entry.key], sprintf("%s tail-samples with more than one collector replica (%s), but no collector in front routes spans by trace ID; add a loadbalancing exporter with routing_key traceID", [_config_path(t.entry, sprintf("processors.%s", [t.id])), mount.replicas.desc]))
}

_dapr_configurations contains cfg if {
	some cfg in input.resources
	cfg.kind == "Configuration"
	startswith(cfg.apiVersion, "dapr.io/")
	is_object(cfg.spec.tracing)
}

# _dapr_users are the instrumented containers of workloads whose Dapr
# sidecar uses a Configuration.
_dapr_users(cfg) := {s |
	some s in _sdk_containers
	lib.namespace(s.obj) == lib.namespace(cfg)
	pod_annotations := lib.pod_annotations(s.obj)
	pod_annotations["dapr.io/enabled"] == "true"
	pod_annotations["dapr.io/config"] == lib.name(cfg)
	_ratio(s.container)
}

_dapr_rate_problems contains {"cfg": cfg, "msg": msg} if {
	some cfg in _dapr_configurations
	rate := object.get(cfg.spec.tracing, "samplingRate", null)
	not lib.as_number(rate)
	msg := sprintf("spec.tracing.samplingRate is %v; it must be a number equal to the SDK sampling ratio", [rate])
}

_dapr_rate_problems contains {"cfg": cfg, "msg": msg} if {
	some cfg in _dapr_configurations
	rate := lib.as_number(cfg.spec.tracing.samplingRate)
	some s in _dapr_users(cfg)
	abs(rate - _ratio(s.container)) > 0.000001
	msg := sprintf("spec.tracing.samplingRate is %q, but %s %s samples %v (%s); the sidecar must sample like the app", [cfg.spec.tracing.samplingRate, lib.describe(s.obj), s.path, _ratio(s.container), _ratio_desc(s.container)])
}

_dapr_rate_problems contains {"cfg": cfg, "msg": msg} if {
	some cfg in _dapr_configurations
	rate := lib.as_number(cfg.spec.tracing.samplingRate)
	count(_dapr_users(cfg)) == 0
	want := lib.tier_limits.sampling_ratio
	abs(rate - want) > 0.000001
	msg := sprintf("spec.tracing.samplingRate is %q; no rendered app uses this Configuration, and the %s tier's SDK sampling ratio is %v", [cfg.spec.tracing.samplingRate, lib.tier, want])
}

# METADATA
# title: Dapr sampling rate equals the SDK ratio
# description: >-
#   A Dapr Configuration's spec.tracing.samplingRate must equal the SDK
#   sampling ratio of the apps whose sidecars use it (else the tier's
#   sampling_ratio), so sidecar and app spans are sampled alike.
# scope: rule
# custom:
#   id: KF-SAMPLING-010
#   severity: error
deny contains finding if {
	some problem in _dapr_rate_problems
	finding := lib.finding_at(problem.cfg, "spec.tracing.samplingRate", problem.msg)
}
